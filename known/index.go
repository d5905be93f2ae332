package known

// Index finds the nearest TLSH digest within a distance among many. It is
// exact (it returns what a linear scan returns) but looks at few digests:
//
//   - Digests are kept in buckets by their header (length code and the two
//     quartile ratios: 65,536 buckets, stored flat and in order).
//   - The header's share of the distance depends only on the two headers,
//     so a lookup visits only the buckets whose header cost is within the
//     threshold: with the default threshold a length code farther than four
//     steps costs too much on its own, and so do most ratio pairs.
//   - In a visited bucket, the remaining budget (threshold minus header
//     cost) bounds the body distance, which is computed from bit planes
//     with popcounts (about ten instructions per digest).
//
// An Index is immutable; build a new one when the set changes.
type Index struct {
	start  []int32  // start[k]..start[k+1] are the digests of header key k
	bodies []planes // in key order, beside their checksums and positions
	sums   []byte
	ids    []int32 // position in the slice given to NewIndex
}

func headerKey(l, q1, q2 byte) int { return int(l)<<8 | int(q1&0xf)<<4 | int(q2&0xf) }

// NewIndex indexes ds; lookups return positions in ds.
func NewIndex(ds []TLSH) *Index {
	x := &Index{start: make([]int32, 1<<16+1), bodies: make([]planes, len(ds)), sums: make([]byte, len(ds)), ids: make([]int32, len(ds))}
	for _, d := range ds {
		x.start[headerKey(d.L, d.Q1, d.Q2)+1]++
	}
	for k := 1; k < len(x.start); k++ {
		x.start[k] += x.start[k-1]
	}
	next := make([]int32, 1<<16)
	copy(next, x.start[:1<<16])
	for i, d := range ds {
		k := headerKey(d.L, d.Q1, d.Q2)
		j := next[k]
		x.bodies[j], x.sums[j], x.ids[j] = planesOf(d.Body), d.Checksum, int32(i)
		next[k]++
	}
	return x
}

// Len is the number of digests indexed.
func (x *Index) Len() int { return len(x.ids) }

// Nearest returns the position of the digest closest to q with distance at
// most threshold (the lowest position among equals), or ok=false.
func (x *Index) Nearest(q TLSH, threshold int) (id, dist int, ok bool) {
	return x.nearest(q, threshold, nil)
}

// nearest is Nearest among the digests whose position except does not
// rule out (except may be nil): the set's removed samples.
func (x *Index) nearest(q TLSH, threshold int, except func(id int) bool) (id, dist int, ok bool) {
	if x == nil || len(x.ids) == 0 || threshold < 0 {
		return 0, 0, false
	}
	qp := planesOf(q.Body)
	best, bestID := threshold+1, -1
	// Length codes within reach: cost 0, 1, then 12 per step from 2.
	maxL := max(1, threshold/12)
	lo, hi := -maxL, maxL
	if maxL >= 128 { // every length code, once
		lo, hi = -127, 128
	}
	for dl := lo; dl <= hi; dl++ {
		l := q.L + byte(dl) // wraps as the reference's mod 256 does
		lc := lCost(q.L, l)
		if lc > best {
			continue
		}
		for q1 := range byte(16) {
			c1 := lc + qCost(q.Q1, q1)
			if c1 > best {
				continue
			}
			for q2 := range byte(16) {
				c := c1 + qCost(q.Q2, q2)
				if c > best {
					continue
				}
				k := headerKey(l, q1, q2)
				for j := x.start[k]; j < x.start[k+1]; j++ {
					p := &x.bodies[j]
					// The first half alone often exceeds the budget.
					d := c + checksumCost(q.Checksum, x.sums[j]) + halfDistance(qp.lo[0], qp.hi[0], p.lo[0], p.hi[0])
					if d > best {
						continue
					}
					d += halfDistance(qp.lo[1], qp.hi[1], p.lo[1], p.hi[1])
					if (d < best || (d == best && int(x.ids[j]) < bestID)) && (except == nil || !except(int(x.ids[j]))) {
						best, bestID = d, int(x.ids[j])
					}
				}
			}
		}
	}
	if bestID < 0 {
		return 0, 0, false
	}
	return bestID, best, true
}
