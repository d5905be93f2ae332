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
