package heuristic

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/message"
)

// A message with many parts that trip the same check yields at most
// maxFindingsPerCheck findings for it; the verdict needs no more.
func TestFindingsPerCheckBounded(t *testing.T) {
	var parts []*message.Part
	for i := 0; i < 3*maxFindingsPerCheck; i++ {
		parts = append(parts, part(fmt.Sprint(i+2), fakePE(), named(fmt.Sprintf("tool%d.exe", i))))
	}
	s, err := New(nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := s.Scan(context.Background(), msg(parts...))
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, f := range fs {
		if f.ID == "dangerous-executable" {
			n++
		}
	}
	if n != maxFindingsPerCheck {
		t.Errorf("%d dangerous-executable findings, want %d", n, maxFindingsPerCheck)
	}
}

// The VBA checks read the first maxVBASource bytes of a module (YARA reads
// all of it): an auto-run call past the bound is not seen, one within it is.
func TestVBAChecksReadAtMostMaxVBASource(t *testing.T) {
	code := "\nSub AutoOpen()\n  Shell \"calc\"\nEnd Sub\n"
	line := "' nothing but a comment line\n"
	pad := strings.Repeat(line, maxVBASource/len(line)+1)
	s, err := New(nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		src  string
		want bool
	}{
		{"call past the bound", pad + code, false},
		{"call within the bound", line + code + line, true},
	} {
		m := vba("2/x.docm/vba/Module1", tc.src)
		fs, err := s.Scan(context.Background(), m)
		if err != nil {
			t.Fatal(err)
		}
		got := false
		for _, f := range fs {
			got = got || f.ID == "vba-autorun-exec"
		}
		if got != tc.want {
			t.Errorf("%s: vba-autorun-exec %v, want %v", tc.name, got, tc.want)
		}
	}
}
