package message

import (
	"fmt"
	"strings"
	"testing"
)

// Defect problems are capped at maxDefects plus one line saying so, however
// many the message has; unscannable problems are never dropped.
func TestDefectsCapped(t *testing.T) {
	var b strings.Builder
	b.WriteString("From: a@example.com\r\nSubject: defects\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n")
	for i := 0; i < maxDefects+50; i++ {
		// A file name given twice is a defect, read anyway.
		fmt.Fprintf(&b, "--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"a%d.txt\"\r\nContent-Disposition: attachment; filename=\"b%d.txt\"\r\n\r\npart %d\r\n", i, i, i)
	}
	b.WriteString("--b\r\nContent-Type: message/partial; id=\"x\"; number=1\r\n\r\nfragment\r\n--b--\r\n")
	m, err := Parse([]byte(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	defects, unscannable := 0, 0
	last := ""
	for _, p := range m.Problems {
		switch {
		case p.Unscannable:
			unscannable++
		case p.Reason == ReasonDefect:
			defects++
			last = p.Detail
		}
	}
	if defects != maxDefects+1 || !strings.Contains(last, fmt.Sprintf("more than %d defects", maxDefects)) {
		t.Errorf("%d defect problems, last %q; want %d and a line saying the rest are not listed", defects, last, maxDefects+1)
	}
	if unscannable == 0 {
		t.Error("the unscannable problem after the cap was dropped")
	}
	if len(m.Parts) != maxDefects+51 {
		t.Errorf("%d parts, want every one (%d)", len(m.Parts), maxDefects+51)
	}
}
