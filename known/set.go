package known

// Set is the known set in memory: an exact map by SHA-256 and a TLSH index.
// It is immutable; a refresh builds a new one.
type Set struct {
	samples []Sample
	bySHA   map[SHA256]int32
	index   *Index
	withTL  []int32 // index position -> sample position
}

// NewSet builds a set from samples (a later duplicate SHA-256 wins).
func NewSet(samples []Sample) *Set {
	s := &Set{samples: samples, bySHA: make(map[SHA256]int32, len(samples))}
	var ds []TLSH
	for i, sm := range samples {
		s.bySHA[sm.SHA256] = int32(i)
		if sm.HasTLSH {
			ds = append(ds, sm.TLSH)
			s.withTL = append(s.withTL, int32(i))
		}
	}
	s.index = NewIndex(ds)
	return s
}

// Len is the number of samples.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	return len(s.samples)
}

// Exact returns the sample with this SHA-256.
func (s *Set) Exact(h SHA256) (Sample, bool) {
	if s == nil {
		return Sample{}, false
	}
	i, ok := s.bySHA[h]
	if !ok {
		return Sample{}, false
	}
	return s.samples[i], true
}

// Similar returns the sample whose TLSH is nearest to t, within threshold.
func (s *Set) Similar(t TLSH, threshold int) (Sample, int, bool) {
	if s == nil {
		return Sample{}, 0, false
	}
	id, dist, ok := s.index.Nearest(t, threshold)
	if !ok {
		return Sample{}, 0, false
	}
	return s.samples[s.withTL[id]], dist, true
}
