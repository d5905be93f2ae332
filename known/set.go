package known

import "math/bits"

// Set is the known set in memory: an exact map by SHA-256 and a TLSH index.
// It is immutable. A full load builds the base; each later change makes a
// new Set (With) that shares the base and rebuilds only the small layer of
// what changed since, so a refresh costs what changed, not the whole set.
type Set struct {
	base *layer
	dead []uint64 // base positions removed or replaced since the base was built
	top  *layer   // samples added or changed since the base was built
	n    int
}

// layer is one immutable group of samples with its lookups.
type layer struct {
	samples []Sample
	bySHA   map[SHA256]int32
	index   *Index
	withTL  []int32 // index position -> sample position
}

// newLayer indexes samples; of two with one SHA-256 the later wins.
func newLayer(samples []Sample) *layer {
	l := &layer{bySHA: make(map[SHA256]int32, len(samples))}
	for i, sm := range samples {
		if j, ok := l.bySHA[sm.SHA256]; ok {
			l.samples[j] = sm
			continue
		}
		l.bySHA[sm.SHA256] = int32(len(l.samples))
		l.samples = append(l.samples, samples[i])
	}
	var ds []TLSH
	for i, sm := range l.samples {
		if sm.HasTLSH {
			ds = append(ds, sm.TLSH)
			l.withTL = append(l.withTL, int32(i))
		}
	}
	l.index = NewIndex(ds)
	return l
}

// nearest is the closest sample within threshold whose position skip does
// not rule out (skip may be nil).
func (l *layer) nearest(t TLSH, threshold int, skip func(pos int32) bool) (Sample, int, bool) {
	var except func(id int) bool
	if skip != nil {
		except = func(id int) bool { return skip(l.withTL[id]) }
	}
	id, dist, ok := l.index.nearest(t, threshold, except)
	if !ok {
		return Sample{}, 0, false
	}
	return l.samples[l.withTL[id]], dist, true
}

var emptyLayer = newLayer(nil)

// NewSet builds a set from samples (a later duplicate SHA-256 wins).
func NewSet(samples []Sample) *Set {
	b := newLayer(samples)
	return &Set{base: b, top: emptyLayer, n: len(b.samples)}
}

// compactAt is how many changed samples the top layer holds before With
// folds everything into a new base: rebuilding the top on each change then
// costs at most an eighth of a full rebuild.
func compactAt(base int) int { return max(1024, base/8) }

// With returns the set with changed samples added or replacing those of
// the same SHA-256, and removed ones gone (a SHA-256 in both is removed).
// s itself does not change.
func (s *Set) With(changed []Sample, removed []SHA256) *Set {
	if s == nil {
		s = NewSet(nil)
	}
	if len(changed) == 0 && len(removed) == 0 {
		return s
	}
	gone := make(map[SHA256]bool, len(removed))
	for _, h := range removed {
		gone[h] = true
	}
	replaced := make(map[SHA256]bool, len(changed))
	for _, sm := range changed {
		replaced[sm.SHA256] = true
	}
	var top []Sample
	for _, sm := range s.top.samples {
		if !gone[sm.SHA256] && !replaced[sm.SHA256] {
			top = append(top, sm)
		}
	}
	for _, sm := range changed {
		if !gone[sm.SHA256] {
			top = append(top, sm)
		}
	}
	dead := make([]uint64, (len(s.base.samples)+63)/64)
	copy(dead, s.dead)
	for _, hs := range []map[SHA256]bool{gone, replaced} {
		for h := range hs {
			if i, ok := s.base.bySHA[h]; ok {
				dead[i/64] |= 1 << (i % 64)
			}
		}
	}
	deadN := 0
	for _, w := range dead {
		deadN += bits.OnesCount64(w)
	}
	live := len(s.base.samples) - deadN
	if len(top) > compactAt(live) {
		all := make([]Sample, 0, live+len(top))
		for i, sm := range s.base.samples {
			if dead[i/64]&(1<<(i%64)) == 0 {
				all = append(all, sm)
			}
		}
		return NewSet(append(all, top...))
	}
	t := newLayer(top)
	return &Set{base: s.base, dead: dead, top: t, n: live + len(t.samples)}
}

func (s *Set) isDead(i int32) bool {
	return int(i/64) < len(s.dead) && s.dead[i/64]&(1<<(i%64)) != 0
}

// Len is the number of samples.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	return s.n
}

// Exact returns the sample with this SHA-256.
func (s *Set) Exact(h SHA256) (Sample, bool) {
	if s == nil {
		return Sample{}, false
	}
	if i, ok := s.top.bySHA[h]; ok {
		return s.top.samples[i], true
	}
	if i, ok := s.base.bySHA[h]; ok && !s.isDead(i) {
		return s.base.samples[i], true
	}
	return Sample{}, false
}

// Similar returns the sample whose TLSH is nearest to t, within threshold
// (of two at one distance, the more recently changed).
func (s *Set) Similar(t TLSH, threshold int) (Sample, int, bool) {
	if s == nil {
		return Sample{}, 0, false
	}
	sm, dist, ok := s.top.nearest(t, threshold, nil)
	if ok {
		threshold = dist - 1
	}
	var skip func(int32) bool
	if len(s.dead) > 0 {
		skip = s.isDead
	}
	if b, d, found := s.base.nearest(t, threshold, skip); found {
		return b, d, true
	}
	return sm, dist, ok
}
