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

// Containers of the same length but different bytes are both opened; a
// third copy of the first is still found (hashes are taken only once a
// length repeats, so the first container's hash is taken late).
func TestSameLengthContainersBothOpened(t *testing.T) {
	a := zipOf(t, entry{"a.txt", []byte("first  " + marker)})
	b := zipOf(t, entry{"b.txt", []byte("second " + marker)})
	if len(a) != len(b) {
		t.Fatalf("fixture: lengths %d and %d differ", len(a), len(b))
	}
	m := &message.Message{Parts: []*message.Part{
		{Path: "1", Filename: "a.zip", Content: a},
		{Path: "2", Filename: "b.zip", Content: b},
		{Path: "3", Filename: "again.zip", Content: append([]byte(nil), a...)},
	}}
	expand(t, m, Options{})
	mustPart(t, m, "1/a.zip/a.txt")
	mustPart(t, m, "2/b.zip/b.txt")
	if p := part(m, "3/again.zip/a.txt"); p != nil {
		t.Errorf("the copy was opened again:\n%s", dump(m))
	}
	if p := problem(m, ReasonDuplicate); p == nil || p.Part != "3" || p.Detail != "same bytes as 1, opened there" {
		t.Fatalf("want part 3 named a duplicate of 1; have:\n%s", dump(m))
	}
}
