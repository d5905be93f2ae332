package message

import (
	"bytes"
	"hash/maphash"
)

// SameBytes finds, among contents added one at a time, the first earlier
// one with the same bytes: the one way Kensa tells that two parts of a
// message carry the same bytes (an inline logo sent twice, the same
// document in a zip and beside it), so that a scanner reads them once.
//
// Only contents of the same length are compared, and a seeded hash is
// taken only once a length repeats (most messages' parts differ in length
// and hash nothing). The bytes themselves are compared before two contents
// are called the same, and the seed is random per SameBytes, so an
// attacker cannot plant colliding parts: the work is linear in the bytes
// added, however many parts of one length a message holds.
//
// The zero value is ready to use. It keeps the contents it is given (not
// copies) and is not safe for concurrent use.
type SameBytes struct {
	n        int            // contents added
	contents map[int][]byte // the first content of each distinct bytes, by number
	first    map[int]int    // length -> the first content of that length
	summed   map[int]bool   // lengths that repeated: their contents are in bySum
	bySum    map[lenSum][]int
	seed     maphash.Seed
}

// lenSum is a content's length and seeded hash.
type lenSum struct {
	n   int
	sum uint64
}

// Add adds content as the next content (numbered from 0 in the order of
// the calls) and returns the number of the first content added with the
// same bytes: its own number when no earlier content had them.
func (s *SameBytes) Add(content []byte) int {
	i := s.n
	s.n++
	if s.contents == nil {
		s.contents, s.first = map[int][]byte{}, map[int]int{}
	}
	f, ok := s.first[len(content)]
	switch {
	case !ok:
		s.first[len(content)] = i
		s.contents[i] = content
		return i
	case bytes.Equal(s.contents[f], content):
		return f
	}
	if !s.summed[len(content)] { // the length repeats: hash its first content too
		if s.bySum == nil {
			s.seed, s.summed, s.bySum = maphash.MakeSeed(), map[int]bool{}, map[lenSum][]int{}
		}
		s.summed[len(content)] = true
		k := lenSum{len(content), maphash.Bytes(s.seed, s.contents[f])}
		s.bySum[k] = append(s.bySum[k], f)
	}
	k := lenSum{len(content), maphash.Bytes(s.seed, content)}
	for _, j := range s.bySum[k] {
		if bytes.Equal(s.contents[j], content) {
			return j
		}
	}
	s.bySum[k] = append(s.bySum[k], i)
	s.contents[i] = content
	return i
}

// SameContent gives, for each part, the index of the first earlier part
// with the same Content, or -1 (for the first part of its bytes and for a
// nil part). Empty contents are the same as each other.
func SameContent(parts []*Part) []int {
	same := make([]int, len(parts))
	var s SameBytes
	index := make([]int, 0, len(parts)) // SameBytes's numbers -> parts' indexes
	for i, p := range parts {
		same[i] = -1
		if p == nil {
			continue
		}
		index = append(index, i)
		if j := index[s.Add(p.Content)]; j != i {
			same[i] = j
		}
	}
	return same
}
