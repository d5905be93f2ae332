package message

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// On well-formed mail every choice a reading makes is moot: no choice
// matters, so Parse reads it once, and a reading that makes every choice
// the other way gives the same parts, byte for byte.
func TestReadingsAgreeOnWellFormedMail(t *testing.T) {
	mails := map[string][]byte{
		"typical":  typicalMail(0),
		"nested3":  typicalMail(3),
		"forwards": []byte(nestedForwards(3)),
	}
	files, _ := filepath.Glob("../testdata/corpus/clean/*.eml")
	if len(files) < 20 {
		t.Fatalf("%d clean corpus samples, want the committed corpus", len(files))
	}
	for _, f := range files {
		if strings.HasPrefix(filepath.Base(f), "trick-") {
			continue // the parser tricks' clean twins are malformed on purpose
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		mails[filepath.Base(f)] = b
	}
	all := reading(1)<<numChoices - 1
	for name, raw := range mails {
		primary := read(raw, 0, nil)
		if primary.hit != 0 {
			t.Errorf("%s: choices %s mattered in well-formed mail", name, primary.hit)
			continue
		}
		other := read(raw, all, nil)
		if len(other.m.Parts) != len(primary.m.Parts) {
			t.Errorf("%s: %d parts every other way, %d the primary way", name, len(other.m.Parts), len(primary.m.Parts))
			continue
		}
		for i, p := range primary.m.Parts {
			q := other.m.Parts[i]
			if p.Path != q.Path || p.Filename != q.Filename || !bytes.Equal(p.Content, q.Content) {
				t.Errorf("%s: part %d: %s %q (%d bytes) the primary way, %s %q (%d bytes) every other way",
					name, i, p.Path, p.Filename, len(p.Content), q.Path, q.Filename, len(q.Content))
			}
		}
	}
}

// A message that needs more readings than the bound is unscannable; one
// that needs no more is not.
func TestReadingsAreBounded(t *testing.T) {
	// Four choices matter: junk after a delimiter, "=" inside base64 (two
	// ways), a part after the close delimiter.
	raw := []byte("From: a@example.com\r\nSubject: many\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n" +
		"--b x\r\n\r\none\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\nTV=qQAAM\r\n" +
		"--b--\r\n--b\r\n\r\nafter\r\n")
	if hit := read(raw, 0, nil).hit; hit != rdPrefixDelim|rdB64Continuous|rdB64Strict|rdOutside {
		t.Fatalf("choices that matter: %s", hit)
	}
	for _, tc := range []struct {
		limit   int
		limited bool
	}{{maxReadings, false}, {4, true}} {
		m := &Message{Raw: raw}
		readAll(m, raw, tc.limit)
		limited := false
		for _, p := range m.Problems {
			limited = limited || p.Reason == ReasonLimitReadings && p.Unscannable
		}
		if limited != tc.limited {
			t.Errorf("limit %d: limit problem %v, want %v (problems %+v)", tc.limit, limited, tc.limited, m.Problems)
		}
		if !tc.limited && len(m.Parts) < 4 {
			t.Errorf("limit %d: %d parts", tc.limit, len(m.Parts))
		}
	}
}
