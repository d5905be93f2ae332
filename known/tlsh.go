package known

import (
	"encoding/hex"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
)

// TLSH is Trend Micro's locality-sensitive hash in its standard form: 128
// buckets, a 1-byte checksum, a 5-byte sliding window. Two digests are
// compared with Distance; 0 means the same shape, a few tens means a close
// variant.
//
// This is our own implementation. It equals the reference library's output
// byte for byte (TestTLSHMatchesTool runs Debian's `tlsh` tool over a
// generated corpus). We do not link the reference library: Debian ships it
// as a C++ static library only, which would add a C++ toolchain and a second
// cgo package for about two hundred lines of arithmetic.
type TLSH struct {
	Checksum byte
	L        byte // log-scaled length
	Q1, Q2   byte // quartile ratios, 4 bits each
	// Body is the 128 two-bit bucket codes in the reference's order: byte i
	// holds buckets 4i..4i+3, bucket 4i+j in bits 2j..2j+1.
	Body [32]byte
}

// MinTLSHSize is the fewest bytes a TLSH is computed from. TLSH 4 (what
// feeds publish) uses 50; Debian 12's 3.4.4 tool refuses below 256 but
// computes the same digest above it.
const MinTLSHSize = 50

// pearson is the permutation of 0..255 from Pearson's "Fast hashing of
// variable-length text strings" (CACM 33(6), 1990), which TLSH uses as its
// mixing table: a constant of the algorithm.
var pearson = [256]byte{
	1, 87, 49, 12, 176, 178, 102, 166, 121, 193, 6, 84, 249, 230, 44, 163,
	14, 197, 213, 181, 161, 85, 218, 80, 64, 239, 24, 226, 236, 142, 38, 200,
	110, 177, 104, 103, 141, 253, 255, 50, 77, 101, 81, 18, 45, 96, 31, 222,
	25, 107, 190, 70, 86, 237, 240, 34, 72, 242, 20, 214, 244, 227, 149, 235,
	97, 234, 57, 22, 60, 250, 82, 175, 208, 5, 127, 199, 111, 62, 135, 248,
	174, 169, 211, 58, 66, 154, 106, 195, 245, 171, 17, 187, 182, 179, 0, 243,
	132, 56, 148, 75, 128, 133, 158, 100, 130, 126, 91, 13, 153, 246, 216, 219,
	119, 68, 223, 78, 83, 88, 201, 99, 122, 11, 92, 32, 136, 114, 52, 10,
	138, 30, 48, 183, 156, 35, 61, 26, 143, 74, 251, 94, 129, 162, 63, 152,
	170, 7, 115, 167, 241, 206, 3, 150, 55, 59, 151, 220, 90, 53, 23, 131,
	125, 173, 15, 238, 79, 95, 89, 16, 105, 137, 225, 224, 217, 160, 37, 123,
	118, 73, 2, 157, 46, 116, 9, 145, 134, 228, 207, 212, 202, 215, 69, 229,
	27, 188, 67, 124, 168, 252, 42, 4, 29, 108, 21, 247, 19, 205, 39, 203,
	233, 40, 186, 147, 198, 192, 155, 33, 164, 191, 98, 204, 165, 180, 117, 76,
	140, 36, 210, 172, 41, 54, 159, 8, 185, 232, 113, 196, 231, 47, 146, 120,
	51, 65, 28, 144, 254, 221, 93, 189, 194, 139, 112, 43, 71, 109, 184, 209,
}

// salted[s][x] is pearson[pearson[s]^x]: the first two mixing steps for
// the six salts the bucket triplets use and the checksum's salt 0.
var salted = func() (t [14][256]byte) {
	for _, s := range []int{0, 2, 3, 5, 7, 11, 13} {
		for x := range 256 {
			t[s][x] = pearson[pearson[s]^byte(x)]
		}
	}
	return t
}()

func mix(s int, a, b, c byte) byte { return pearson[pearson[salted[s][a]^b]^c] }

// ComputeTLSH returns the TLSH of data, or ok=false when data is too short
// (MinTLSHSize) or too uniform for one (fewer than half the buckets used).
func ComputeTLSH(data []byte) (t TLSH, ok bool) {
	if len(data) < MinTLSHSize {
		return TLSH{}, false
	}
	var buckets [256]uint32
	var checksum byte
	// The window is data[i-4..i]; a = data[i] is the newest byte.
	for i := 4; i < len(data); i++ {
		a, b, c, d, e := data[i], data[i-1], data[i-2], data[i-3], data[i-4]
		checksum = mix(0, a, b, checksum)
		buckets[mix(2, a, b, c)]++
		buckets[mix(3, a, b, d)]++
		buckets[mix(5, a, c, d)]++
		buckets[mix(7, a, c, e)]++
		buckets[mix(11, a, b, e)]++
		buckets[mix(13, a, d, e)]++
	}
	sorted := buckets
	s := sorted[:128]
	slices.Sort(s)
	q1, q2, q3 := s[31], s[63], s[95]
	if q3 == 0 {
		return TLSH{}, false
	}
	nonzero := 0
	for _, v := range buckets[:128] {
		if v > 0 {
			nonzero++
		}
	}
	if nonzero <= 64 {
		return TLSH{}, false
	}
	for i := range 32 {
		var h byte
		for j := range 4 {
			k := buckets[4*i+j]
			switch {
			case k > q3:
				h |= 3 << (2 * j)
			case k > q2:
				h |= 2 << (2 * j)
			case k > q1:
				h |= 1 << (2 * j)
			}
		}
		t.Body[i] = h
	}
	t.Checksum = checksum
	t.L = lValue(len(data))
	// The reference computes the ratios in single precision.
	t.Q1 = byte(uint32(float32(q1*100)/float32(q3)) % 16)
	t.Q2 = byte(uint32(float32(q2*100)/float32(q3)) % 16)
	return t, true
}

// lValue is the reference's log-scaled length: steps of 1.5 up to 656
// bytes, of 1.3 up to 3199, of 1.1 beyond, wrapping at 256.
func lValue(n int) byte {
	const log15, log13, log11 = 0.4054651, 0.26236426, 0.095310180
	// log of a float, in single precision, as the reference's log((float)len).
	x := float64(float32(math.Log(float64(float32(n)))))
	var i int
	switch {
	case n <= 656:
		i = int(math.Floor(x / log15))
	case n <= 3199:
		i = int(math.Floor(x/log13 - 8.72777))
	default:
		i = int(math.Floor(x/log11 - 62.5472))
	}
	return byte(i & 0xff)
}

func swapNibbles(b byte) byte { return b<<4 | b>>4 }

// String is the digest as feeds write it: "T1" and 70 hex digits.
func (t TLSH) String() string { return "T1" + t.hex() }

// hex is the reference tool's spelling (TLSH 3.x): 70 upper-case hex digits.
func (t TLSH) hex() string {
	var raw [35]byte
	raw[0] = swapNibbles(t.Checksum)
	raw[1] = swapNibbles(t.L)
	raw[2] = t.Q1<<4 | t.Q2&0xf
	for i := range 32 {
		raw[3+i] = t.Body[31-i]
	}
	return strings.ToUpper(hex.EncodeToString(raw[:]))
}

// ParseTLSH reads a digest written either way: 70 hex digits (TLSH 3.x, as
// Debian's tool prints) or "T1" and 70 hex digits (TLSH 4, as feeds write).
func ParseTLSH(s string) (TLSH, error) {
	s = strings.TrimSpace(s)
	if len(s) == 72 && (s[:2] == "T1" || s[:2] == "t1") {
		s = s[2:]
	}
	if len(s) != 70 {
		return TLSH{}, fmt.Errorf("tlsh %q: want 70 hex digits, optionally after T1", clip(s))
	}
	raw, err := hex.DecodeString(s)
	if err != nil {
		return TLSH{}, fmt.Errorf("tlsh %q: not hex", clip(s))
	}
	var t TLSH
	t.Checksum = swapNibbles(raw[0])
	t.L = swapNibbles(raw[1])
	t.Q1, t.Q2 = raw[2]>>4, raw[2]&0xf
	for i := range 32 {
		t.Body[31-i] = raw[3+i]
	}
	return t, nil
}

func clip(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// Distance is the reference's difference score with the length included:
// 0 for identical digests, growing as they differ. It is not a metric (the
// triangle inequality does not hold), which is why the index filters with
// its own lower bounds and then computes this.
func Distance(a, b TLSH) int {
	d := headerCost(a.L, a.Q1, a.Q2, b.L, b.Q1, b.Q2) + checksumCost(a.Checksum, b.Checksum)
	for i := range a.Body {
		d += int(bytePairCost[a.Body[i]][b.Body[i]])
	}
	return d
}

// bytePairCost[x][y] is the body distance of two code bytes, four codes
// each: the straightforward form, which the index's bit-plane form is
// tested against.
var bytePairCost = func() (t [256][256]byte) {
	for x := range 256 {
		for y := range 256 {
			for j := range 4 {
				a, b := x>>(2*j)&3, y>>(2*j)&3
				d := a - b
				if d < 0 {
					d = -d
				}
				if d == 3 {
					d = 6
				}
				t[x][y] += byte(d)
			}
		}
	}
	return t
}()

func modDiff(x, y, r int) int {
	d := x - y
	if d < 0 {
		d = -d
	}
	return min(d, r-d)
}

func lCost(a, b byte) int {
	d := modDiff(int(a), int(b), 256)
	if d <= 1 {
		return d
	}
	return d * 12
}

func qCost(a, b byte) int {
	d := modDiff(int(a), int(b), 16)
	if d <= 1 {
		return d
	}
	return (d - 1) * 12
}

func headerCost(l1, q11, q21, l2, q12, q22 byte) int {
	return lCost(l1, l2) + qCost(q11, q12) + qCost(q21, q22)
}

func checksumCost(a, b byte) int {
	if a != b {
		return 1
	}
	return 0
}

// planes holds the 128 two-bit codes as two bit planes (low bits, high
// bits), so that the body distance is a handful of popcounts.
type planes struct{ lo, hi [2]uint64 }

func planesOf(body [32]byte) planes {
	var p planes
	for i := range 128 {
		c := body[i/4] >> (2 * (i % 4)) & 3
		p.lo[i/64] |= uint64(c&1) << (i % 64)
		p.hi[i/64] |= uint64(c>>1) << (i % 64)
	}
	return p
}

// halfDistance sums, over 64 codes given as bit planes, |a-b|, except that
// 0 against 3 counts 6: the reference's weighting. Two calls cover a body.
func halfDistance(alo, ahi, blo, bhi uint64) int {
	x0, x1 := alo^blo, ahi^bhi
	both := x0 & x1
	// Where both bits differ the pair is 0/3 (cost 6) when a's two bits
	// are equal, else 1/2 (cost 1).
	far := both &^ (alo ^ ahi)
	return bits.OnesCount64(x0&^x1) + 2*bits.OnesCount64(x1&^x0) + bits.OnesCount64(both^far) + 6*bits.OnesCount64(far)
}
