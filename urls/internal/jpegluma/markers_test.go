package jpegluma

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
)

// Markers an attacker writes into and between the scans of a file with
// restart intervals (unknown ones, duplicate and out-of-order restarts,
// reserved codes, garbage) are read as libjpeg reads them. libjpeg stops
// with a fatal error at an unknown marker it meets between scans, and passes
// over one it meets at a restart boundary; which of the two it is depends on
// the interval the decoder is in, not on the marker. djpeg then writes
// nothing for a progressive file, and a client that keeps what it decoded
// (a browser, a mail client) shows the scans before the marker: the file cut
// there. A reader that passes the marker and reads the later scans searches
// another picture than the one shown.

// markerVariant is a file with markers changed, and what was done. early:
// a change that may leave a scan's last intervals without data (a marker
// libjpeg leaves in place at a restart boundary, a restart lost or
// duplicated), after which libjpeg smooths otherwise (see
// checkMarkersLikeLibjpeg).
type markerVariant struct {
	name  string
	data  []byte
	early bool
}

// markerSites are the markers of the scans' data and between them, with
// their codes: every marker after the first SOS and, with last false,
// before the last one (the last scan kept whole: see checkMarkersLikeLibjpeg).
func markerSites(data []byte, last bool) (at []int, codes []byte) {
	sos := bytes.Index(data, []byte{0xff, mSOS})
	end := len(data)
	if !last {
		end = bytes.LastIndex(data, []byte{0xff, mSOS}) + 1
	}
	for _, a := range markerStarts(data, sos+2) {
		if a >= end {
			break
		}
		m, _, _ := nextMarker(data, a)
		at, codes = append(at, a), append(codes, m)
	}
	return at, codes
}

func isRST(m byte) bool { return mRST0 <= m && m <= mRST7 }

// mutateMarkers makes n random marker changes to data, most at the site of
// a marker: an unknown or reserved marker inserted, a TEM, a restart
// duplicated, one out of order, one removed or replaced, garbage or fill
// bytes before a marker, an EOI or a DRI too early; and a marker inside an
// interval's coded data. A progressive file's last scan is left alone.
func mutateMarkers(r *rand.Rand, data []byte, n int) markerVariant {
	out := bytes.Clone(data)
	var what []string
	early := false
	prog := bytes.Contains(data[:min(len(data), 1000)], []byte{0xff, mSOF2})
	for k := 0; k < n; k++ {
		at, codes := markerSites(out, !prog)
		if len(at) == 0 {
			break
		}
		i := r.IntN(len(at))
		p, m := at[i], codes[i]
		after := p + 2 // after the marker: the start of a restart interval's data
		for after < len(out) && out[after-1] == 0xff && out[after-2] == 0xff {
			after++
		}
		insert := func(pos int, b ...byte) {
			out = append(out[:pos:pos], append(b, out[pos:]...)...)
		}
		unknown := []byte{0x02, 0x03, 0x10, 0x4f, 0x7f, 0xbf, byte(2 + r.IntN(0xbe))}
		reserved := []byte{0xc3, 0xc8, 0xde, 0xdf, 0xf0, 0xfd}
		switch kind := r.IntN(13); {
		case kind < 3:
			u := unknown[r.IntN(len(unknown))]
			if isRST(m) && r.IntN(2) == 0 {
				insert(after, 0xff, u)
				early = true
				what = append(what, fmt.Sprintf("FF%02X after %02X@%d", u, m, p))
			} else {
				insert(p, 0xff, u)
				what = append(what, fmt.Sprintf("FF%02X before %02X@%d", u, m, p))
			}
		case kind == 3:
			u := reserved[r.IntN(len(reserved))]
			insert(p, 0xff, u)
			early = true
			what = append(what, fmt.Sprintf("FF%02X before %02X@%d", u, m, p))
		case kind == 4:
			insert(p, 0xff, 0x01)
			what = append(what, fmt.Sprintf("TEM before %02X@%d", m, p))
		case kind == 5 && isRST(m):
			insert(after, 0xff, m)
			early = true
			what = append(what, fmt.Sprintf("%02X@%d twice", m, p))
		case kind == 6:
			rst := byte(mRST0 + r.IntN(8))
			insert(p, 0xff, rst)
			early = true
			what = append(what, fmt.Sprintf("%02X before %02X@%d", rst, m, p))
		case kind == 7 && isRST(m):
			out = append(out[:p:p], out[after:]...)
			early = true
			what = append(what, fmt.Sprintf("%02X@%d removed", m, p))
		case kind == 8 && isRST(m):
			c := []byte{byte(mRST0 + r.IntN(8)), unknown[r.IntN(len(unknown))]}[r.IntN(2)]
			out[after-1] = c
			early = true
			what = append(what, fmt.Sprintf("%02X@%d made %02X", m, p, c))
		case kind == 9:
			g := []byte{0x00, 0x5a, 0xff, 0x00, 0x12}[r.IntN(3):]
			insert(p, g...)
			what = append(what, fmt.Sprintf("% X before %02X@%d", g, m, p))
		case kind == 10:
			insert(p, 0xff, 0xff)
			what = append(what, fmt.Sprintf("fill before %02X@%d", m, p))
		case kind == 11:
			if r.IntN(2) == 0 {
				insert(p, 0xff, mEOI)
				early = true
				what = append(what, fmt.Sprintf("EOI before %02X@%d", m, p))
			} else {
				ri := []int{0, 1, 2, 5}[r.IntN(4)]
				insert(p, 0xff, mDRI, 0, 4, byte(ri>>8), byte(ri))
				early = true
				what = append(what, fmt.Sprintf("DRI %d before %02X@%d", ri, m, p))
			}
		case kind == 12:
			// Inside an interval's coded data, between two bytes that are
			// not a stuffed 0xff 0x00: the interval's data ends there.
			from := bytes.Index(out, []byte{0xff, mSOS})
			q := from + 20 + r.IntN(max(p-from-20, 1))
			if q >= p || out[q-1] == 0xff || q+1 < len(out) && out[q] == 0xff {
				k--
				continue
			}
			c := append(unknown, reserved...)[r.IntN(len(unknown)+len(reserved))]
			if r.IntN(4) == 0 {
				c = byte(mRST0 + r.IntN(8))
			}
			insert(q, 0xff, c)
			early = true
			what = append(what, fmt.Sprintf("FF%02X inside the data at %d", c, q))
		default:
			k-- // a change for a restart marker drew another marker
		}
	}
	return markerVariant{fmt.Sprint(what), out, early}
}

// scanEndMarkers are variants that put a marker between each scan's data
// and the marker after it (libjpeg stops at an unknown or reserved one,
// passes a restart or a TEM), and at each scan's first and last restart
// boundaries an unknown marker (libjpeg passes it) or the restart marker
// twice (the interval after it empty; not in the last scan, see
// checkMarkersLikeLibjpeg).
func scanEndMarkers(data []byte) []markerVariant {
	var vs []markerVariant
	ins := func(p int, b ...byte) []byte {
		return append(append(bytes.Clone(data[:p]), b...), data[p:]...)
	}
	at, codes := markerSites(data, true)
	lastSOS := bytes.LastIndex(data, []byte{0xff, mSOS})
	for i := 1; i < len(at); i++ {
		p, m := at[i], codes[i]
		if isRST(m) {
			// A scan's first and last restart boundaries.
			if !isRST(codes[i-1]) || i+1 < len(at) && !isRST(codes[i+1]) {
				vs = append(vs, markerVariant{name: fmt.Sprintf("FF02 at a boundary, before %02X@%d", m, p), data: ins(p, 0xff, 0x02)})
				if p < lastSOS {
					vs = append(vs, markerVariant{name: fmt.Sprintf("%02X twice @%d", m, p), data: ins(p, 0xff, m)})
				}
			}
			continue
		}
		if !isRST(codes[i-1]) && codes[i-1] != mSOS {
			continue
		}
		// at[i] is the marker after a scan's entropy-coded data.
		for _, b := range [][]byte{{0xff, 0x02}, {0xff, 0x7f}, {0xff, 0xf0}, {0xff, mRST0 + 5}, {0xff, 0x01}, {0xff, 0xff, 0x02}} {
			vs = append(vs, markerVariant{name: fmt.Sprintf("% X after the scan, before %02X@%d", b, m, p), data: ins(p, b...)})
		}
	}
	return vs
}

// markerBases are files with restarts in every layout the marker walk
// distinguishes: progressive colour with luma scans of their own and a
// restart interval per scan (cjpeg -restart in rows writes a DRI before each
// scan whose MCU count differs), grey, 4:4:4 with cjpeg's own script
// (successive approximation), and sequential ones (one interleaved scan, a
// scan per component).
func markerBases(t *testing.T) map[string][]byte {
	photo := testPhoto(96, 64, 9)
	// Luma's lowest AC terms whole after the second scan, its others
	// refined later: cut after any scan but the first, djpeg does not
	// smooth the luma, so the pictures compare at full scale.
	colour := scanScript(t, "0,1,2: 0-0, 0, 0;\n0: 1-9, 0, 0;\n1: 1-63, 0, 0;\n0: 10-63, 0, 1;\n2: 1-63, 0, 0;\n0: 10-63, 1, 0;\n")
	grey := scanScript(t, "0: 0-0, 0, 0;\n0: 1-9, 0, 0;\n0: 10-63, 0, 2;\n0: 10-63, 2, 1;\n0: 10-63, 1, 0;\n")
	perComp := scanScript(t, "0;\n1;\n2;\n")
	return map[string][]byte{
		"prog-420-r1":     cjpeg(t, photo, false, "-scans", colour, "-quality", "85", "-restart", "1"),
		"prog-grey-2B":    cjpeg(t, photo, true, "-scans", grey, "-grayscale", "-quality", "85", "-restart", "2B"),
		"prog-444-3B":     cjpeg(t, photo, false, "-progressive", "-sample", "1x1", "-quality", "85", "-restart", "3B"),
		"prog-420":        cjpeg(t, photo, false, "-scans", colour, "-quality", "85"),
		"seq-420":         cjpeg(t, photo, false, "-quality", "85"),
		"seq-420-r1":      cjpeg(t, photo, false, "-quality", "85", "-restart", "1"),
		"seq-scans-420-2": cjpeg(t, photo, false, "-scans", perComp, "-quality", "85", "-restart", "2B"),
	}
}

// checkMarkersLikeLibjpeg decodes each variant at every scale and compares
// it with what a libjpeg client shows (libjpegShown), pixel for pixel: where
// libjpeg stops at a marker, the plane of the file cut there, the same
// scans read, no more (a picture libjpeg never refined) and no fewer. It
// returns how many variants libjpeg stops in.
func checkMarkersLikeLibjpeg(t *testing.T, base string, vs []markerVariant) (stopped int) {
	t.Helper()
	for _, v := range vs {
		if likeLibjpeg(t, base+": "+v.name, v.data, 1, 2, 4, 8) > 0 {
			stopped++
		}
	}
	return stopped
}

// TestMarkersLikeLibjpeg: markers written into and between the scans of
// files with restart intervals, progressive and sequential, read as libjpeg
// reads them: an unknown marker after a scan's last interval ends the
// picture (libjpeg's fatal error: the client shows the scans before it),
// one at a restart boundary is passed over, restarts duplicated, out of
// order or missing resynchronise as libjpeg's do, and reserved markers end
// the picture where libjpeg's fatal error does. Before, an unknown marker
// after a progressive scan with restarts was passed over and the later
// scans read: another picture than the one shown.
func TestMarkersLikeLibjpeg(t *testing.T) {
	bases := markerBases(t)
	r := rand.New(rand.NewPCG(11, 12))
	for _, name := range slices.Sorted(maps.Keys(bases)) {
		data := bases[name]
		vs := scanEndMarkers(data)
		for i := 0; i < 25; i++ {
			vs = append(vs, mutateMarkers(r, data, 1+r.IntN(3)))
		}
		stopped := checkMarkersLikeLibjpeg(t, name, vs)
		t.Logf("%s: %d variants, libjpeg stopped in %d", name, len(vs), stopped)
		// djpeg writes a one-scan picture before it reads what follows.
		oneScan := bytes.Count(data, []byte{0xff, mSOS}) == 1
		if !oneScan && stopped < 5 {
			t.Errorf("%s: libjpeg stopped at a marker in %d of %d variants: the test does not test what it means", name, stopped, len(vs))
		}
	}
}
