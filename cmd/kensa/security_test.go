package main

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Finding 2 of issue 16: Postfix accepts MAIL FROM:<@gmail.com>, and
// "release and allow the sender" stored "@gmail.com", so after the next
// reload no gmail address was scanned. Only a full address outside the
// recipients' domains may be added; the file never gets anything else.
func TestReleaseAllowSenderRefusesDomainsNullAndOwnDomain(t *testing.T) {
	q := newQEnv(t)
	file := filepath.Join(q.dir, "state", "allowed-senders")
	for _, sender := range []string{"@gmail.com", "", "ceo@example.org", "gmail.com"} {
		e := q.put(t, "Invoice", sender, []string{"bob@example.org"}, false)
		code, out, errs := q.run(t, "release", "--allow-sender", e.ID)
		if code == 0 || !strings.Contains(errs, "not allow-listed") || !strings.Contains(out, "released to bob@example.org") {
			t.Errorf("sender %q: exit %d, out %q, err %q", sender, code, out, errs)
		}
		if data, err := os.ReadFile(file); err == nil && len(data) > 0 {
			t.Fatalf("sender %q reached the allowed-senders file: %q", sender, data)
		}
	}
	e := q.put(t, "Invoice", "billing@partner.example", []string{"bob@example.org"}, false)
	if code, out, errs := q.run(t, "release", "--allow-sender", e.ID); code != 0 || !strings.Contains(out, "billing@partner.example added") {
		t.Errorf("a full address: exit %d %q %q", code, out, errs)
	}
	if data, _ := os.ReadFile(file); string(data) != "billing@partner.example\n" {
		t.Errorf("allowed-senders = %q", data)
	}
}

// Finding 9 of issue 16: with digest.domains left at [] the digest went to
// every recipient, external ones included. Without domains it sends nothing
// and says why.
func TestDigestWithoutDomainsSendsNothing(t *testing.T) {
	q := newQEnv(t)
	yml, _ := os.ReadFile(q.cfg)
	yml = append(yml, []byte("console:\n  public_url: https://mx.example.org:8899\n  digest:\n    from: quarantine@example.org\n")...)
	if err := os.WriteFile(q.cfg, yml, 0o600); err != nil {
		t.Fatal(err)
	}
	q.put(t, "Outbound", "bob@example.org", []string{"partner@outside.example"}, false)
	code, out, errs := q.run(t, "digest", "--now")
	if code != exitError || !strings.Contains(errs, "console.digest.domains") {
		t.Errorf("digest without domains: exit %d %q %q", code, out, errs)
	}
	if n := len(q.sink.Messages()); n != 0 {
		t.Errorf("%d digest mails sent without domains", n)
	}
}

// Finding 12 of issue 16 (implemented by the MIME work): only one
// attachment name was used, so a part named "a.js" in Content-Type and
// "a.txt" in Content-Disposition, or with two Content-Disposition fields,
// was accepted with no finding. Every name is checked, and names that
// disagree are a finding.
func TestAttachmentNamesThatDisagree(t *testing.T) {
	dir := t.TempDir()
	head := "From: a@example.com\r\nTo: b@example.org\r\nSubject: names\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b1\r\n"
	tail := "Content-Transfer-Encoding: base64\r\n\r\naGVsbG8gd29ybGQK\r\n--b1--\r\n"
	for name, fields := range map[string]string{
		"type and disposition": "Content-Type: application/octet-stream; name=\"a.js\"\r\nContent-Disposition: attachment; filename=\"a.txt\"\r\n",
		"two dispositions": "Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"a.txt\"\r\n" +
			"Content-Disposition: attachment; filename=\"a.js\"\r\n",
	} {
		file := writeFile(t, dir, strings.ReplaceAll(name, " ", "-")+".eml", []byte(head+fields+tail))
		code, res := scanJSON(t, file)
		if code != exitFlagged || len(res) != 1 || res[0].Action.String() == "accept" {
			t.Errorf("%s: exit %d %+v", name, code, res)
			continue
		}
		var ids []string
		for _, f := range res[0].Findings {
			ids = append(ids, f.Scanner+"/"+f.ID)
		}
		got := strings.Join(ids, " ")
		if !strings.Contains(got, "heuristic/filename-mismatch") || !strings.Contains(got, "heuristic/dangerous-script") {
			t.Errorf("%s: findings %s, want the script name seen and the names that disagree", name, got)
		}
	}
}

// "kensa quarantine link @domain" made a link listing a whole domain's
// quarantine (informational item of issue 16): only a mailbox gets a link.
func TestQuarantineLinkRefusesDomains(t *testing.T) {
	q := newQEnv(t)
	yml, _ := os.ReadFile(q.cfg)
	yml = append(yml, []byte("console:\n  public_url: https://mx.example.org:8899\n")...)
	if err := os.WriteFile(q.cfg, yml, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, rcpt := range []string{"@example.org", "example.org", "bob@"} {
		if code, out, errs := q.run(t, "link", rcpt); code != exitError || out != "" || !strings.Contains(errs, "not one address") {
			t.Errorf("link %q: exit %d %q %q", rcpt, code, out, errs)
		}
	}
	if code, out, _ := q.run(t, "link", "bob@example.org"); code != 0 || !strings.Contains(out, "/quarantine/u/") {
		t.Errorf("link for a mailbox: %d %q", code, out)
	}
}

// /metrics sat on the console's listener (issue 16, informational): with
// http.metrics_listen it is served there and not on http.listen.
func TestMetricsOnAListenerOfItsOwn(t *testing.T) {
	bin := buildKensa(t)
	dir := t.TempDir()
	ports := make([]string, 2)
	for i := range ports {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ports[i] = ln.Addr().String()
		ln.Close()
	}
	cfg := writeFile(t, dir, "kensa.yaml", []byte(fmt.Sprintf("listen: inet:0@127.0.0.1\nstate_dir: %s\nlog:\n  format: json\nhttp:\n  listen: %s\n  metrics_listen: %s\n",
		filepath.Join(dir, "state"), ports[0], ports[1])))
	startServe(t, bin, cfg)
	status := func(url string) int {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if c := status("http://" + ports[1] + "/metrics"); c != http.StatusOK {
		t.Errorf("/metrics on metrics_listen: %d", c)
	}
	if c := status("http://" + ports[0] + "/metrics"); c != http.StatusNotFound {
		t.Errorf("/metrics on http.listen: %d, want 404", c)
	}
	if c := status("http://" + ports[0] + "/healthz"); c != http.StatusOK {
		t.Errorf("/healthz on http.listen: %d", c)
	}
}
