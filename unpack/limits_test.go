package unpack

import (
	"testing"

	"github.com/kensa-milter/kensa/message"
)

// The same container bytes twice in one message are opened once: the copy
// gets a duplicate-container problem, which is not unscannable (the same
// bytes give the same members, scanned at the first path).
func TestDuplicateContainerOpenedOnce(t *testing.T) {
	z := zipOf(t, entry{"a.txt", []byte(marker)})
	m := &message.Message{Parts: []*message.Part{
		{Path: "1", DeclaredType: "text/plain", Content: []byte("two copies")},
		{Path: "2", Filename: "x.zip", Content: z},
		{Path: "3", Filename: "copy.zip", Content: append([]byte(nil), z...)},
	}}
	expand(t, m, Options{})
	mustPart(t, m, "2/x.zip/a.txt")
	if p := part(m, "3/copy.zip/a.txt"); p != nil {
		t.Errorf("the copy was opened again:\n%s", dump(m))
	}
	p := problem(m, ReasonDuplicate)
	if p == nil || p.Part != "3" || p.Unscannable {
		t.Fatalf("want a duplicate-container problem on part 3, not unscannable; have:\n%s", dump(m))
	}
	if problem(m, ReasonCorrupt) != nil || len(m.Problems) != 1 {
		t.Errorf("unexpected problems:\n%s", dump(m))
	}
}
