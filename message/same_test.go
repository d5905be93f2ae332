package message

import (
	"bytes"
	"hash/maphash"
	"slices"
	"testing"
)

// TestSameContent: the first earlier part with the same bytes, compared as
// bytes (not by length), empty contents alike, nil parts never matched.
func TestSameContent(t *testing.T) {
	cases := []struct {
		name  string
		parts []*Part
		want  []int
	}{
		{"none", nil, []int{}},
		{"equal bytes", []*Part{{Content: []byte("logo")}, {Content: []byte("text")}, {Content: []byte("logo")}, {Content: []byte("logo")}}, []int{-1, -1, 0, 0}},
		{"same length, other bytes", []*Part{{Content: []byte("abcd")}, {Content: []byte("abce")}, {Content: []byte("bbcd")}, {Content: []byte("abce")}}, []int{-1, -1, -1, 1}},
		{"empty parts", []*Part{{Content: nil}, {Content: []byte{}}, {Content: []byte("x")}, {}}, []int{-1, 0, -1, 0}},
		{"nil parts", []*Part{nil, {Content: []byte("a")}, nil, {Content: []byte("a")}, nil}, []int{-1, -1, -1, 1, -1}},
		{"copies of one buffer", func() []*Part {
			b := bytes.Repeat([]byte("pdf"), 1000)
			return []*Part{{Content: b}, {Content: bytes.Clone(b)}, {Content: b[:len(b)-1]}, {Content: append(bytes.Clone(b[:len(b)-1]), 'g')}}
		}(), []int{-1, 0, -1, -1}},
	}
	for _, c := range cases {
		if got := SameContent(c.parts); !slices.Equal(got, c.want) {
			t.Errorf("%s: SameContent = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestSameBytesPlantedCollision: contents an attacker made to collide
// under an unseeded hash (here: planted under the very seeded hash of the
// content looked up) are told apart by their bytes.
func TestSameBytesPlantedCollision(t *testing.T) {
	a, o, z := []byte("payload-A"), []byte("payload-B"), []byte("payload-Z")
	var s SameBytes
	if s.Add(o) != 0 || s.Add(z) != 1 { // the length repeats: both hashed
		t.Fatal("distinct contents numbered wrong")
	}
	// o planted under a's hash, as a collision would put it
	k := lenSum{len(a), maphash.Bytes(s.seed, a)}
	s.bySum[k] = append(s.bySum[k], 0)
	if got := s.Add(a); got != 2 {
		t.Errorf("a collided with other bytes: first %d, want 2", got)
	}
	if got := s.Add(bytes.Clone(a)); got != 2 {
		t.Errorf("a again among colliding contents: first %d, want 2", got)
	}
	if got := s.Add(bytes.Clone(o)); got != 0 {
		t.Errorf("o again: first %d, want 0", got)
	}
}

// TestSameContentMany: many parts of one length, half of them copies,
// found right (each copy's first, each distinct one on its own) and with
// each distinct content hashed into a bucket of its own bytes only.
func TestSameContentMany(t *testing.T) {
	const n = 20000
	parts := make([]*Part, n)
	want := make([]int, n)
	for i := range parts {
		c := make([]byte, 64)
		v := i
		if i%2 == 1 {
			v = i / 4 * 2 // a copy of an earlier even part
		}
		for j := 0; j < 8; j++ {
			c[j] = byte(v >> (8 * j))
		}
		parts[i] = &Part{Content: c}
		want[i] = -1
		if i%2 == 1 {
			want[i] = v
		}
	}
	if got := SameContent(parts); !slices.Equal(got, want) {
		t.Fatalf("SameContent of %d parts wrong", n)
	}
	var s SameBytes
	for _, p := range parts {
		s.Add(p.Content)
	}
	for k, js := range s.bySum {
		if len(js) > 2 { // a seeded 64-bit hash: collisions among 10000 contents are all but impossible
			t.Errorf("%d distinct contents under one hash %v", len(js), k)
		}
	}
	if len(s.contents) != n/2 {
		t.Errorf("%d distinct contents kept, want %d", len(s.contents), n/2)
	}
}

// BenchmarkSameContentOneLength: parts of one length (the attacker's
// case) cost the same per byte as parts of many.
func BenchmarkSameContentOneLength(b *testing.B) {
	parts := make([]*Part, 5000)
	for i := range parts {
		c := make([]byte, 256)
		c[0], c[1] = byte(i), byte(i>>8)
		parts[i] = &Part{Content: c}
	}
	b.SetBytes(int64(len(parts) * 256))
	for b.Loop() {
		SameContent(parts)
	}
}
