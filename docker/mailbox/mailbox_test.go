package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/smtp"
	"strings"
	"testing"
	"time"

	"github.com/sirupsen/logrus"
)

// start runs the SMTP server and the web handler on loopback.
func start(t *testing.T, st *store, maxSize int) (smtpAddr string, web *httptest.Server) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	log := logrus.New()
	log.SetOutput(io.Discard)
	t.Cleanup(serveSMTP(ln, st, maxSize, log).Close)
	web = httptest.NewServer(newHandler(st, "http://localhost:8899/quarantine/", log))
	t.Cleanup(web.Close)
	return ln.Addr().String(), web
}

// dialog sends lines to the SMTP server and returns every reply line.
func dialog(t *testing.T, addr string, lines ...string) string {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(5 * time.Second))
	go func() {
		for _, l := range lines {
			io.WriteString(c, l+"\r\n")
		}
	}()
	var out strings.Builder
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		out.WriteString(line)
		if err != nil || strings.HasPrefix(line, "221 ") {
			return out.String()
		}
	}
}

func get(t *testing.T, url string) (int, http.Header, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

func TestDeliverAndList(t *testing.T) {
	st := newStore(10, 1<<20)
	addr, web := start(t, st, 1<<20)
	msg := "Subject: =?utf-8?q?caf=C3=A9_<script>alert(1)</script>?=\r\n" +
		"X-Kensa-Verdict: tag; score=30; ref=k1\r\n" +
		"X-Kensa-Findings: heuristic/pdf-javascript (2)\r\n\r\n" +
		"Hello <b>Bob</b>\r\n.leading dot\r\n"
	if err := smtp.SendMail(addr, nil, "alice@example.com", []string{"bob@example.org", "carol@example.org"}, []byte(msg)); err != nil {
		t.Fatalf("SendMail: %v", err)
	}
	m := st.Get(1)
	if m == nil || m.From != "alice@example.com" || len(m.To) != 2 || string(m.Data) != msg {
		t.Fatalf("stored %+v, want the message as sent (dot-stuffing undone)", m)
	}

	code, h, body := get(t, web.URL+"/")
	if code != 200 || !strings.Contains(body, "tag; score=30; ref=k1") || !strings.Contains(body, "heuristic/pdf-javascript (2)") {
		t.Errorf("list: %d %s", code, body)
	}
	if strings.Contains(body, "<script>") || !strings.Contains(body, "café &lt;script&gt;") {
		t.Errorf("subject not decoded and escaped: %s", body)
	}
	if !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("no CSP: %v", h)
	}

	_, _, body = get(t, web.URL+"/api/messages")
	var list []summary
	if err := json.Unmarshal([]byte(body), &list); err != nil {
		t.Fatalf("api: %v: %s", err, body)
	}
	if len(list) != 1 || list[0].Kensa["X-Kensa-Verdict"] != "tag; score=30; ref=k1" || list[0].To[1] != "carol@example.org" {
		t.Errorf("api: %+v", list)
	}

	code, _, body = get(t, web.URL+"/message/1")
	if code != 200 || !strings.Contains(body, "Hello Bob") && !strings.Contains(body, "Hello &lt;b&gt;Bob&lt;/b&gt;") {
		t.Errorf("message page: %d %s", code, body)
	}
	code, h, body = get(t, web.URL+"/message/1/raw")
	if code != 200 || body != msg || h.Get("X-Content-Type-Options") != "nosniff" || !strings.HasPrefix(h.Get("Content-Type"), "text/plain") {
		t.Errorf("raw: %d %v %q", code, h, body)
	}
	for _, p := range []string{"/message/2", "/message/x", "/message/1/../../etc/passwd"} {
		if code, _, _ := get(t, web.URL+p); code != 404 {
			t.Errorf("%s: %d, want 404", p, code)
		}
	}
}

func TestSMTPDialogs(t *testing.T) {
	st := newStore(10, 1<<20)
	addr, _ := start(t, st, 100)
	tests := []struct {
		name  string
		lines []string
		want  []string // reply codes in order, after the greeting
	}{
		{"order", []string{"HELO x", "RCPT TO:<a@b>", "DATA", "QUIT"}, []string{"250", "503", "503", "221"}},
		{"syntax", []string{"EHLO x", "MAIL FROM:a@b", "MAIL FROM:<a@b> BODY=8BITMIME", "RCPT TO:<>", "RCPT TO:<c@d>", "RSET", "NOOP", "BOGUS", "QUIT"},
			[]string{"250", "501", "250", "501", "250", "250", "250", "500", "221"}},
		{"too big", []string{"HELO x", "MAIL FROM:<a@b>", "RCPT TO:<c@d>", "DATA", strings.Repeat("x", 200), ".", "MAIL FROM:<a@b>", "QUIT"},
			[]string{"250", "250", "250", "354", "552", "250", "221"}},
		{"long line", []string{strings.Repeat("N", 2000)}, []string{"500"}},
		{"null sender", []string{"HELO x", "MAIL FROM:<>", "RCPT TO:<c@d>", "DATA", "hi", ".", "QUIT"},
			[]string{"250", "250", "250", "354", "250", "221"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := dialog(t, addr, tt.lines...)
			var codes []string
			for _, l := range strings.Split(strings.TrimSpace(out), "\r\n")[1:] {
				if len(l) >= 4 && l[3] == ' ' {
					codes = append(codes, l[:3])
				}
			}
			if fmt.Sprint(codes) != fmt.Sprint(tt.want) {
				t.Errorf("replies %v, want %v\n%s", codes, tt.want, out)
			}
		})
	}
	if n := len(st.List()); n != 1 {
		t.Errorf("%d messages stored, want 1 (the null sender's; the too-big one dropped)", n)
	}
}

func TestStoreBounds(t *testing.T) {
	tests := []struct {
		name              string
		maxMsgs, maxBytes int
		sizes             []int
		wantIDs           []int // newest first
	}{
		{"count", 3, 1000, []int{1, 1, 1, 1, 1}, []int{5, 4, 3}},
		{"bytes", 10, 10, []int{4, 4, 4}, []int{3, 2}},
		{"one too large is still kept", 10, 10, []int{4, 50}, []int{2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := newStore(tt.maxMsgs, tt.maxBytes)
			for _, n := range tt.sizes {
				st.Add("a@b", []string{"c@d"}, make([]byte, n))
			}
			var ids []int
			for _, m := range st.List() {
				ids = append(ids, m.ID)
			}
			if fmt.Sprint(ids) != fmt.Sprint(tt.wantIDs) {
				t.Errorf("kept %v, want %v", ids, tt.wantIDs)
			}
		})
	}
}
