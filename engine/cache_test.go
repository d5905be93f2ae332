package engine

import (
	"bytes"
	"testing"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/scanners"
)

func TestCacheBoundsAndKeys(t *testing.T) {
	var epoch int64
	c := NewCache(1000, func() int64 { return epoch })
	if NewCache(0, nil) != nil {
		t.Fatal("a zero-byte cache is not off")
	}
	part := func(name string, fill byte) *message.Part {
		return &message.Part{Path: "2", Filename: name, DeclaredType: "application/pdf", Content: bytes.Repeat([]byte{fill}, 2000)}
	}
	scan := func(p *message.Part) (hits int) {
		m := &message.Message{Parts: []*message.Part{{Path: "1", DeclaredType: "text/plain", Content: []byte("hi")}, p}}
		h, misses := c.take(m)
		c.put(misses, m, []scanners.Finding{{Scanner: "yara", ID: "R", Part: "2", Severity: scanners.Malicious}, {ID: "msg"}},
			[]PartInfo{{Path: "1"}, {Path: "2"}, {Path: "2/x"}})
		return len(h)
	}
	if scan(part("a.pdf", 1)) != 0 || scan(part("a.pdf", 1)) != 1 {
		t.Fatal("the same attachment is not a hit the second time")
	}
	if scan(part("b.pdf", 1)) != 0 {
		t.Error("another name is a hit")
	}
	epoch++
	if scan(part("a.pdf", 1)) != 0 {
		t.Error("a new epoch (the known set changed) is a hit")
	}
	// Each entry is a few hundred bytes: 1000 bytes hold three, the
	// oldest go first.
	for i := range 10 {
		scan(part("c.pdf", byte(10+i)))
	}
	if c.size > c.max || len(c.items) > 3 || c.order.Len() != len(c.items) {
		t.Fatalf("size %d of %d with %d entries", c.size, c.max, len(c.items))
	}
	if scan(part("c.pdf", 19)) != 1 || scan(part("c.pdf", 10)) != 0 {
		t.Error("LRU order: the newest is gone or the oldest stayed")
	}
	// Replayed findings are re-rooted, the message-level one is not cached.
	m := &message.Message{Parts: []*message.Part{{Path: "3", Filename: "c.pdf", DeclaredType: "application/pdf", Content: bytes.Repeat([]byte{19}, 2000)}}}
	h, _ := c.take(m)
	f, _, parts := replay(h)
	if len(m.Parts) != 0 || len(f) != 1 || f[0].Part != "3" || len(parts) != 2 || parts[1].Path != "3/x" || !parts[1].Cached {
		t.Errorf("replay: parts left %d, findings %+v, parts %+v", len(m.Parts), f, parts)
	}
}

// An attachment whose outcome owes something to the rest of its message (a
// budget of the message spent, a container opened at another path) is not
// remembered: alone, it must be scanned in full.
func TestCacheLeavesOutBorrowedOutcomes(t *testing.T) {
	attachment := func() *message.Message {
		return &message.Message{Parts: []*message.Part{{Path: "2", Filename: "a.docx", DeclaredType: "application/zip", Content: bytes.Repeat([]byte{7}, 2000)}}}
	}
	cases := map[string]func(m *message.Message) []scanners.Finding{
		"codes not read": func(m *message.Message) []scanners.Finding {
			return []scanners.Finding{{Scanner: "heuristic", ID: "image-not-searched", Part: "2/word/media/image1.png"}}
		},
		"message's unpack time": func(m *message.Message) []scanners.Finding {
			m.Problems = append(m.Problems, message.Problem{Part: "2/word/document.xml", Reason: "limit-time"})
			return nil
		},
		"opened at another path": func(m *message.Message) []scanners.Finding {
			m.Problems = append(m.Problems, message.Problem{Part: "2/inner.zip", Reason: "duplicate-container"})
			return nil
		},
		"nothing borrowed": func(m *message.Message) []scanners.Finding {
			m.Problems = append(m.Problems, message.Problem{Part: "2/x", Reason: "corrupt-archive"})
			return []scanners.Finding{{Scanner: "heuristic", ID: "image-not-searched", Part: "1"}}
		},
	}
	for name, outcome := range cases {
		c := NewCache(1<<20, func() int64 { return 0 })
		m := attachment()
		_, misses := c.take(m)
		c.put(misses, m, outcome(m), []PartInfo{{Path: "2"}})
		hits, _ := c.take(attachment())
		if want := name == "nothing borrowed"; (len(hits) == 1) != want {
			t.Errorf("%s: cached %v, want %v", name, len(hits) == 1, want)
		}
	}
}
