package urls

import (
	"strings"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/message"
)

// Only the first MaxScanSize bytes of a part are searched. (A PDF, because
// its /URI scan is a plain byte loop: the same bound, quick under -race.)
func TestExtractReadsAtMostMaxScanSize(t *testing.T) {
	pad := strings.Repeat("\x00", MaxScanSize)
	s := "%PDF-1.7\n<< /URI (https://early.example/) >>\n" + pad + "<< /URI (https://late.example/) >>\n"
	us := Extract(&message.Part{Path: "2", Filename: "x.pdf", Content: []byte(s)})
	if len(us) != 1 || us[0].Host != "early.example" {
		t.Errorf("got %+v, want only the URL before the bound", us)
	}
	// The same file within the bound yields both.
	us = Extract(&message.Part{Path: "2", Filename: "x.pdf", Content: []byte(strings.Replace(s, pad, "\x00", 1))})
	if len(us) != 2 {
		t.Errorf("got %d URLs within the bound, want 2", len(us))
	}
}

// One URL repeated a hundred thousand times costs a bounded number of parses.
func TestExtractRepeatedCandidatesBounded(t *testing.T) {
	s := strings.Repeat("https://same.example/x ", 100000)
	start := time.Now()
	us := Extract(textPart(s))
	if len(us) != 1 {
		t.Errorf("%d URLs, want 1", len(us))
	}
	// 40 ms here on an idle machine: 2 s (20 s under -race) is room for a
	// busy CI machine, not for a parse per candidate gone quadratic.
	if took := time.Since(start); took > timeScale*2*time.Second {
		t.Errorf("took %s", took)
	}
}
