package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/policy"
)

// Issue 16, finding 12: only one attachment name was used, so
// Content-Type name="a.js" with Content-Disposition filename="a.txt", or
// two Content-Disposition fields, passed with no finding. Every name is
// now checked, and names that disagree are a finding of their own.
func TestEveryAttachmentNameIsChecked(t *testing.T) {
	script := "var greeting = \"hello\";\r\n"
	mail := func(headers string) string {
		return "From: a@example.com\r\nTo: b@example.org\r\nSubject: names\r\nMIME-Version: 1.0\r\n" +
			"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n" +
			"--b\r\n" + headers + "\r\n\r\n" + script + "--b--\r\n"
	}
	tests := []struct {
		name, headers string
		clean         bool
	}{
		{"name a.js, filename a.txt", "Content-Type: text/plain; name=\"a.js\"\r\nContent-Disposition: attachment; filename=\"a.txt\"", false},
		{"name a.txt, filename a.js", "Content-Type: text/plain; name=\"a.txt\"\r\nContent-Disposition: attachment; filename=\"a.js\"", false},
		{"two Content-Disposition fields", "Content-Type: text/plain\r\nContent-Disposition: attachment; filename=\"a.txt\"\r\nContent-Disposition: attachment; filename=\"a.js\"", false},
		{"two filename parameters", "Content-Type: text/plain\r\nContent-Disposition: attachment; filename=\"a.txt\"; filename=\"a.js\"", false},
		{"name cut at a NUL", "Content-Type: text/plain\r\nContent-Disposition: attachment; filename=\"a.js\x00.txt\"", false},
		{"RFC 2231 and plain disagree", "Content-Type: text/plain\r\nContent-Disposition: attachment; filename=\"a.txt\"; filename*=utf-8''a%2Ejs", false},
		{"the same name twice is clean", "Content-Type: text/plain; name=\"a.txt\"\r\nContent-Disposition: attachment; filename=\"a.txt\"", true},
	}
	dir := t.TempDir()
	var files []string
	for i, tc := range tests {
		f := filepath.Join(dir, string(rune('a'+i))+".eml")
		if err := os.WriteFile(f, []byte(mail(tc.headers)), 0o600); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	_, res := scanJSON(t, files...)
	if len(res) != len(tests) {
		t.Fatalf("%d results, want %d", len(res), len(tests))
	}
	for i, tc := range tests {
		r := res[i]
		var ids []string
		for _, f := range r.Findings {
			ids = append(ids, f.ID)
		}
		got := strings.Join(ids, " ")
		if tc.clean {
			if r.Action != policy.Accept || len(ids) > 0 {
				t.Errorf("%s: %s with %v, want accept with no finding", tc.name, r.Action, ids)
			}
			continue
		}
		if policy.Stronger(policy.Quarantine, r.Action) || !strings.Contains(got, "dangerous-script") || !strings.Contains(got, "filename-mismatch") {
			t.Errorf("%s: %s with %v, want quarantine with dangerous-script and filename-mismatch", tc.name, r.Action, ids)
		}
	}
}
