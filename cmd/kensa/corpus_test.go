package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/miekg/dns"

	"github.com/kensa-milter/kensa/internal/corpus"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/rules"
	"github.com/kensa-milter/kensa/scanners"
	"github.com/kensa-milter/kensa/scanners/heuristic"
	"github.com/kensa-milter/kensa/urls"
)

// The quality gate: `kensa scan --json`, built exactly as the command builds
// it, over the whole corpus of internal/corpus. Every malicious sample must
// get at least its expected action and every expected finding on its part;
// every clean sample must be accepted without a suspicious or malicious
// finding. `make test` runs it from this directory so the figures line shows.

const repoRoot = "../.."

func TestCorpus(t *testing.T) {
	samples, err := corpus.Samples(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := corpus.Write(filepath.Join(dir, "corpus"), samples); err != nil {
		t.Fatal(err)
	}
	cfg := corpusConfig(t, dir)
	longCodeTime(t) // the gate proves detection, not speed
	code, results := scanJSON(t, "--config", cfg, filepath.Join(dir, "corpus"))
	if code == exitError {
		t.Errorf("kensa scan exited %d (an error)", code)
	}
	byPath := map[string]scanResult{}
	for _, r := range results {
		rel, _ := filepath.Rel(filepath.Join(dir, "corpus"), r.File)
		byPath[rel] = r
	}

	var rows []string
	var detected, malicious, fps, clean int
	for _, s := range samples {
		r, ok := byPath[s.Path()]
		var problems []string
		if !ok {
			problems = append(problems, "not scanned")
		} else {
			problems = judge(s, r)
		}
		if s.Clean {
			clean++
			if len(problems) > 0 {
				fps++
			}
		} else {
			malicious++
			if len(problems) == 0 {
				detected++
			}
		}
		status := "ok"
		if len(problems) > 0 {
			var got []string
			for _, f := range r.Findings {
				got = append(got, fmt.Sprintf("%s/%s (%s)", f.Scanner, f.ID, f.Part))
			}
			status = "FAIL: " + strings.Join(problems, "; ") + "; found: " + strings.Join(got, ", ")
		}
		rows = append(rows, fmt.Sprintf("  %-48s %-12s %-10s %4d  %s", s.Path(), expected(s), r.Action, r.Score, status))
	}
	// Printed, not logged: `make test` shows it on success too.
	fmt.Printf("corpus: detection %d/%d, false positives %d/%d\n", detected, malicious, fps, clean)
	if detected != malicious || fps != 0 {
		t.Errorf("corpus: %d of %d malicious samples missed, %d of %d clean samples flagged:\n  %-48s %-12s %-10s %4s  %s\n%s",
			malicious-detected, malicious, fps, clean, "sample", "expected", "action", "score", "", strings.Join(rows, "\n"))
	}
}

func expected(s corpus.Sample) string {
	if s.Clean {
		return "accept"
	}
	return s.Action.String() + "+"
}

// judge lists what is wrong with one result; nothing for a pass.
func judge(s corpus.Sample, r scanResult) []string {
	var out []string
	if r.Error != "" || len(r.Errors) > 0 {
		out = append(out, fmt.Sprintf("errors: %s %v", r.Error, r.Errors))
	}
	if s.Clean {
		if r.Action != policy.Accept {
			out = append(out, "action "+r.Action.String())
		}
		for _, f := range r.Findings {
			if f.Severity >= scanners.Suspicious {
				out = append(out, fmt.Sprintf("finding %s/%s (%s) %s: %s", f.Scanner, f.ID, f.Part, f.Severity, f.Detail))
			}
		}
		return out
	}
	if r.Action == policy.TempFail || policy.Stronger(s.Action, r.Action) {
		out = append(out, "action "+r.Action.String())
	}
	for _, w := range s.Want {
		found := false
		for _, f := range r.Findings {
			if f.Scanner == w.Scanner && f.ID == w.ID && f.Part == w.Part {
				found = true
			}
		}
		if !found {
			out = append(out, "missing "+w.String())
		}
	}
	return out
}

// corpusConfig is the default configuration plus what the samples that need
// one rely on: the corpus blocklist, the protected domain, and a DNS URI
// blocklist served by a DNS server this test starts.
func corpusConfig(t *testing.T, dir string) string {
	t.Helper()
	bl := writeFile(t, dir, "blocklist.txt", []byte(corpus.BlocklistEntries))
	server := startDNSBL(t, map[string]string{corpus.DNSBLListed + "." + corpus.DNSBLZone + ".": "127.0.1.2"})
	// Its own state_dir: no known set from the machine running the test.
	// Time limits of minutes, not the defaults' seconds: the gate proves
	// detection, and on a CI machine busy with other packages, under -race,
	// a sample unpacked or looked up in milliseconds here can take seconds
	// there and be cut short (unpack limit-time, a DNSBL query timed out).
	// Minutes still stop a hang.
	return writeFile(t, dir, "kensa.yaml", []byte(fmt.Sprintf("state_dir: %s\n"+
		"limits:\n  scan_timeout: 10m\nyara:\n  timeout: 5m\nunpack:\n  timeout: 5m\n"+
		"heuristics:\n  url_blocklist: %s\n  protected_domains: [%s]\n  dnsbl:\n    zones: [%s]\n    server: %q\n    timeout: 1m\n",
		filepath.Join(dir, "state"), bl, corpus.ProtectedDomain, corpus.DNSBLZone, server)))
}

// longCodeTime gives the messages t scans five minutes to read 2-D codes
// instead of urls.MaxCodeTime: a code read in 100 ms on an idle machine can
// take seconds under -race on a busy CI run, and a search cut short would
// miss the QR samples. Five minutes still stops a hang (the deadline itself
// is tested in package urls).
func longCodeTime(t testing.TB) {
	t.Helper()
	was := urls.CodeTime
	urls.CodeTime = 5 * time.Minute
	t.Cleanup(func() { urls.CodeTime = was })
}

// startDNSBL is a real DNS server on 127.0.0.1 answering A queries from a
// table and NXDOMAIN otherwise.
func startDNSBL(t *testing.T, answers map[string]string) string {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("DNS server: %v", err)
	}
	started := make(chan struct{})
	srv := &dns.Server{PacketConn: pc, NotifyStartedFunc: func() { close(started) },
		Handler: dns.HandlerFunc(func(w dns.ResponseWriter, r *dns.Msg) {
			m := new(dns.Msg)
			m.SetReply(r)
			if a, ok := answers[strings.ToLower(r.Question[0].Name)]; ok && r.Question[0].Qtype == dns.TypeA {
				m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: r.Question[0].Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60}, A: net.ParseIP(a)})
			} else {
				m.Rcode = dns.RcodeNameError
			}
			_ = w.WriteMsg(m)
		})}
	go func() { _ = srv.ActivateAndServe() }()
	<-started
	t.Cleanup(func() { _ = srv.Shutdown() })
	return pc.LocalAddr().String()
}

// The committed corpus is exactly what the generator makes: regenerate with
// `go run ./testdata/gen` after changing internal/corpus.
func TestCorpusCommittedMatchesGenerator(t *testing.T) {
	samples, err := corpus.Samples(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	again, err := corpus.Samples(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for i, s := range corpus.Committed(samples) {
		want[s.Path()] = true
		if !bytes.Equal(s.Raw, corpus.Committed(again)[i].Raw) {
			t.Errorf("%s: two runs of the generator differ", s.Path())
		}
		got, err := os.ReadFile(filepath.Join(repoRoot, "testdata", "corpus", s.Path()))
		if err != nil || !bytes.Equal(got, s.Raw) {
			t.Errorf("testdata/corpus/%s differs from the generator (%v): run go run ./testdata/gen", s.Path(), err)
		}
		if bytes.Contains(s.Raw, []byte("EICAR-STANDARD-ANTIVIRUS-TEST-FILE")) {
			t.Errorf("%s carries the EICAR test string but is committed: mark it RunOnly", s.Path())
		}
	}
	_ = filepath.WalkDir(filepath.Join(repoRoot, "testdata", "corpus"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(filepath.Join(repoRoot, "testdata", "corpus"), p)
			if !want[rel] {
				t.Errorf("testdata/corpus/%s is not made by the generator: run go run ./testdata/gen", rel)
			}
		}
		return nil
	})
}

// The corpus covers every heuristic check and every rule of the YARA pack
// with a malicious sample that must produce it.
func TestCorpusCoversEveryCheckAndRule(t *testing.T) {
	samples, err := corpus.Samples(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{}
	for _, s := range samples {
		for _, w := range s.Want {
			covered[w.Scanner+"/"+w.ID] = true
		}
	}
	var missing []string
	for _, c := range heuristic.Checks() {
		if !covered["heuristic/"+c.ID] {
			missing = append(missing, "heuristic/"+c.ID)
		}
	}
	public := regexp.MustCompile(`(?m)^rule\s+(\w+)`)
	files, err := fs.Glob(rules.FS, "*.yar")
	if err != nil || len(files) == 0 {
		t.Fatalf("rule pack: %v", err)
	}
	for _, f := range files {
		b, err := rules.FS.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range public.FindAllSubmatch(b, -1) {
			if !covered["yara/"+string(m[1])] {
				missing = append(missing, "yara/"+string(m[1]))
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("no corpus sample expects %s", strings.Join(missing, ", "))
	}
}
