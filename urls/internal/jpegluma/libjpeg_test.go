package jpegluma

import (
	"bytes"
	"fmt"
	"os/exec"
	"slices"
	"testing"
)

// JPEG marker codes the tests write files with.
const (
	mSOF0 = 0xc0
	mSOF2 = 0xc2
	mSOF3 = 0xc3
	mDHT  = 0xc4
	mDAC  = 0xcc
	mRST0 = 0xd0
	mRST7 = 0xd7
	mSOI  = 0xd8
	mEOI  = 0xd9
	mSOS  = 0xda
	mDQT  = 0xdb
	mDNL  = 0xdc
	mDRI  = 0xdd
	mAPP1 = 0xe1
)

// nextMarker finds the first marker at or after p, skipping other bytes and
// fill bytes as libjpeg's next_marker does: its code, the position of its
// 0xff and the position after it. At the end of the data it is an EOI, as
// libjpeg's reader makes one up there.
func nextMarker(data []byte, p int) (m byte, at, next int) {
	for p < len(data) {
		if data[p] != 0xff {
			p++
			continue
		}
		at = p
		for p < len(data) && data[p] == 0xff {
			p++
		}
		if p < len(data) && data[p] != 0 {
			return data[p], at, p + 1
		}
		p++
	}
	return mEOI, len(data), len(data)
}

// markerStarts are the positions of the markers in data after from: the
// first 0xff of each (fill bytes before it included), stuffed zeros not.
func markerStarts(data []byte, from int) []int {
	var at []int
	for p := from; p < len(data); {
		_, a, next := nextMarker(data, p)
		if a >= len(data) {
			break
		}
		at = append(at, a)
		p = next
	}
	return at
}

// djpegAt is what djpeg (bin, libjpeg-turbo's own tool) writes of data at
// 1/s in grey, with libjpeg's defaults: its plane cut to Decode's size
// (libjpeg's is ⌈w/s⌉×⌈h/s⌉), ok false when djpeg writes no whole picture.
// It does not use t, so that it runs in goroutines.
func djpegAt(bin string, data []byte, s int) (pix []byte, w, h int, ok bool) {
	cmd := exec.Command(bin, "-grayscale", "-scale", fmt.Sprintf("1/%d", s), "-pnm")
	cmd.Stdin = bytes.NewReader(data)
	out, _ := cmd.Output() // exit status 2: warnings, the picture written
	var ow, oh, maxv int
	if n, err := fmt.Fscanf(bytes.NewReader(out), "P5\n%d %d\n%d\n", &ow, &oh, &maxv); err != nil || n != 3 || maxv != 255 || len(out) < ow*oh {
		return nil, 0, 0, false
	}
	iw, ih, err := Config(data)
	if err != nil || (iw+s-1)/s != ow || (ih+s-1)/s != oh {
		return nil, 0, 0, false
	}
	plane := out[len(out)-ow*oh:]
	w, h = iw/s, ih/s
	pix = make([]byte, w*h)
	for y := range h {
		copy(pix[y*w:(y+1)*w], plane[y*ow:])
	}
	return pix, w, h, true
}

// libjpegShows is what a libjpeg client shows of data: djpeg's grey plane
// when it writes a picture; when it stops with a fatal error at a marker
// (djpeg then writes nothing for a file of several scans, and a browser or
// a mail client shows the scans before the marker), the picture djpeg
// writes of the file cut before that marker (cut, found from djpeg alone:
// the last marker before which a cut still shows a picture, the next one
// after it no longer). ok is false when no cut before a marker explains
// the failure.
type libjpegShows struct {
	pix  []byte
	w, h int
	cut  int // len(data) when djpeg shows the whole file
	ok   bool
}

// libjpegShown finds what a libjpeg client shows of data at 1/s.
func libjpegShown(bin string, data []byte, s int) libjpegShows {
	if pix, w, h, ok := djpegAt(bin, data, s); ok {
		return libjpegShows{pix, w, h, len(data), true}
	}
	sos := bytes.Index(data, []byte{0xff, mSOS})
	if sos < 0 {
		return libjpegShows{}
	}
	cands := markerStarts(data, sos+2)
	i, _ := slices.BinarySearchFunc(cands, true, func(c int, _ bool) int {
		if _, _, _, ok := djpegAt(bin, data[:c], s); ok {
			return -1
		}
		return 1
	})
	if i == 0 {
		return libjpegShows{}
	}
	cut := cands[i-1]
	pix, w, h, ok := djpegAt(bin, data[:cut], s)
	return libjpegShows{pix, w, h, cut, ok}
}

// likeLibjpeg: at each scale Decode reads data pixel for pixel as a libjpeg
// client shows it (libjpegShown), or fails where none shows a picture. It
// returns how many scales libjpeg stopped at a marker in.
func likeLibjpeg(t *testing.T, name string, data []byte, scales ...int) (stopped int) {
	t.Helper()
	bin := tool(t, "djpeg", "libjpeg-turbo-progs")
	for _, s := range scales {
		sh := libjpegShown(bin, data, s)
		got, err := Decode(data, s, 1<<26)
		if !sh.ok {
			if err == nil {
				t.Errorf("%s at 1/%d: djpeg shows no picture of it nor of a cut before a marker, we read one", name, s)
			}
			continue
		}
		if sh.cut < len(data) {
			stopped++
		}
		if err != nil {
			t.Errorf("%s at 1/%d: libjpeg shows it (cut at %d of %d), we: %v", name, s, sh.cut, len(data), err)
			continue
		}
		if got.Rect.Dx() != sh.w || got.Rect.Dy() != sh.h || got.Stride != sh.w || !bytes.Equal(got.Pix, sh.pix) {
			t.Errorf("%s at 1/%d: %v differs from what libjpeg shows (%dx%d, cut at %d of %d)", name, s, got.Rect, sh.w, sh.h, sh.cut, len(data))
		}
	}
	return stopped
}
