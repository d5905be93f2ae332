package yarascan

import (
	"bytes"
	"encoding/binary"
	"path"
	"strings"

	"github.com/kensa-milter/kensa/filetype"
	"github.com/kensa-milter/kensa/message"
)

// A JPEG's entropy-coded data (what follows each start-of-scan header, up
// to the next marker) is Huffman-coded pixel coefficients. No program
// shows those bytes as bytes: a viewer decodes them to pixels, no reader
// takes a string, a script or a program from them. What an attacker can
// hide there is steganography, which needs a loader to take it out, and
// that loader can take a payload out of any file; the loader is what gets
// caught. So, with yara.images: trimmed, a JPEG part is scanned with its
// entropy-coded data left out (libyara's memory blocks, as for a
// container's repeats, with the part's size as filesize), and everything
// else stays in: the markers and headers, APPn (EXIF, XMP, ICC), COM,
// every byte after EOI (an appended zip, program or second JPEG), and
// every byte the walk below does not prove to be scan data.
//
// The walk is strict, so that a file made to look like a JPEG does not
// get holes: SOI first; then only known segments, each whole inside the
// file; one frame header (SOF) with 1 to 4 components and sane sampling
// factors before any scan; each scan header (SOS) naming components of
// the frame, with sane spectral and approximation values; inside scan
// data only stuffed 0xFF00 and restart markers in their order (only with
// a restart interval, and no more of them than the frame's blocks allow);
// no more scan data than the frame's blocks can take; and EOI at the end.
// Anything else (a truncated file, an unknown marker, a second SOI, a
// scan header that names no component, a restart marker out of turn) and
// the part is scanned whole. A part gets holes only when its bytes are a
// JPEG and its names and declared type say it is opened as a picture: a
// JPEG named .html or .hta is read by a browser or mshta as text, its
// scan data included, and is scanned whole.

// maxJPEGScans bounds the scans (progressive JPEGs have about ten) and so
// the memory blocks; a file with more is scanned whole.
const maxJPEGScans = 64

// maxBlockBytes is the most entropy-coded bytes one 8x8 block can take:
// a 16-bit Huffman code and 11 extra bits for DC, for each of 63 AC
// coefficients a 16-bit code and 14 extra bits (12-bit precision), every
// byte 0xFF stuffed with 0x00 (twice), rounded up.
const maxBlockBytes = 2 * (16 + 11 + 63*(16+14)) / 8

// imageExts are the extensions a picture opens with in a viewer. A JPEG
// with any other extension is scanned whole.
var imageExts = map[string]bool{"": true, ".jpg": true, ".jpeg": true, ".jpe": true, ".jfif": true, ".pjpeg": true, ".pjp": true,
	".png": true, ".gif": true, ".bmp": true, ".webp": true, ".tif": true, ".tiff": true}

// shownAsPicture says p is a JPEG by its bytes that is opened as a
// picture: each of its names ends in a picture extension or none, and its
// declared type, if any, is a picture or plain bytes.
func shownAsPicture(p *message.Part) bool {
	if p.DetectedType != filetype.JPEG {
		return false
	}
	if d := p.DeclaredType; d != "" && !strings.HasPrefix(d, "image/") && d != "application/octet-stream" {
		return false
	}
	for _, n := range append([]string{p.Filename}, p.AltNames...) {
		n = strings.TrimRight(cString(n), ". ")
		if i := strings.LastIndexAny(n, `/\`); i >= 0 {
			n = n[i+1:]
		}
		if !imageExts[strings.ToLower(path.Ext(n))] {
			return false
		}
	}
	return true
}

// jpegScanData is where b's entropy-coded data lies, in order, when b is a
// well-formed JPEG (see above); nil otherwise.
func jpegScanData(b []byte) []message.Span {
	if len(b) < 4 || b[0] != 0xFF || b[1] != 0xD8 {
		return nil
	}
	var (
		spans      []message.Span
		comps      []byte // the frame's component IDs
		blocks     int    // 8x8 blocks of the frame, padded to whole MCUs
		mcus       int    // MCUs of an interleaved scan
		compBlocks []int  // blocks of each component alone (non-interleaved scans)
		interval   int    // restart interval in MCUs (DRI), 0 for none
	)
	for i := 2; ; {
		// A marker, after any 0xFF fill bytes.
		if i >= len(b) || b[i] != 0xFF {
			return nil
		}
		for i < len(b) && b[i] == 0xFF {
			i++
		}
		if i >= len(b) {
			return nil
		}
		m := b[i]
		i++
		if m == 0xD9 { // EOI: the rest of the file stays in the scan
			if len(spans) == 0 {
				return nil
			}
			return spans
		}
		if !jpegSegment(m) || i+2 > len(b) {
			return nil
		}
		n := int(binary.BigEndian.Uint16(b[i:]))
		if n < 2 || i+n > len(b) {
			return nil
		}
		seg := b[i+2 : i+n]
		i += n
		switch {
		case m == 0xDD: // DRI
			if len(seg) != 2 {
				return nil
			}
			interval = int(binary.BigEndian.Uint16(seg))
		case m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC: // SOF
			if comps != nil {
				return nil
			}
			if comps, blocks, mcus, compBlocks = jpegFrame(seg); comps == nil {
				return nil
			}
		case m == 0xDA: // SOS
			ns, ok := jpegScanHeader(seg, comps)
			if !ok || len(spans) == maxJPEGScans {
				return nil
			}
			units := mcus // restart intervals count MCUs
			if ns == 1 {  // a non-interleaved scan's MCU is one block of its component
				units = compBlocks[bytes.IndexByte(comps, seg[1])]
			}
			end, ok := jpegScanEnd(b, i, units, interval)
			if !ok || end-i > blocks*maxBlockBytes {
				return nil
			}
			if end > i {
				spans = append(spans, message.Span{Off: i, Len: end - i})
			}
			i = end
		}
	}
}

// jpegSegment says m is a marker with a length that may stand between
// SOI and EOI outside scan data: frames, tables, restart interval, scan
// headers, application data and comments.
func jpegSegment(m byte) bool {
	switch {
	case m >= 0xC0 && m <= 0xCF && m != 0xC8: // SOFn, DHT, DAC
		return true
	case m == 0xDA || m == 0xDB || m == 0xDD: // SOS, DQT, DRI
		return true
	case m >= 0xE0 && m <= 0xEF, m == 0xFE: // APPn, COM
		return true
	}
	return false
}

// jpegFrame reads a frame header: its component IDs, its 8x8 blocks
// padded to whole MCUs, its MCUs and each component's own blocks; nil
// comps when it is not sane.
func jpegFrame(seg []byte) (comps []byte, blocks, mcus int, compBlocks []int) {
	if len(seg) < 6 {
		return nil, 0, 0, nil
	}
	p, h, w, nf := seg[0], int(binary.BigEndian.Uint16(seg[1:])), int(binary.BigEndian.Uint16(seg[3:])), int(seg[5])
	if (p != 8 && p != 12) || h == 0 || w == 0 || nf < 1 || nf > 4 || len(seg) != 6+3*nf {
		return nil, 0, 0, nil
	}
	hmax, vmax := 1, 1
	for k := range nf {
		c := seg[6+3*k:]
		hs, vs := int(c[1]>>4), int(c[1]&15)
		if hs < 1 || hs > 4 || vs < 1 || vs > 4 || bytes.IndexByte(comps, c[0]) >= 0 {
			return nil, 0, 0, nil
		}
		comps = append(comps, c[0])
		hmax, vmax = max(hmax, hs), max(vmax, vs)
	}
	ceil := func(a, b int) int { return (a + b - 1) / b }
	mx, my := ceil(w, 8*hmax), ceil(h, 8*vmax)
	mcus = mx * my
	for k := range nf {
		c := seg[6+3*k:]
		hs, vs := int(c[1]>>4), int(c[1]&15)
		blocks += mcus * hs * vs
		compBlocks = append(compBlocks, ceil(ceil(w*hs, hmax), 8)*ceil(ceil(h*vs, vmax), 8))
	}
	return comps, blocks, mcus, compBlocks
}

// jpegScanHeader reads a scan header against the frame's components: how
// many components the scan codes, and whether the header is sane.
func jpegScanHeader(seg, comps []byte) (int, bool) {
	if comps == nil || len(seg) < 1 {
		return 0, false
	}
	ns := int(seg[0])
	if ns < 1 || ns > 4 || len(seg) != 4+2*ns {
		return 0, false
	}
	for k := range ns {
		if bytes.IndexByte(comps, seg[1+2*k]) < 0 {
			return 0, false
		}
	}
	ss, se, ah, al := seg[1+2*ns], seg[2+2*ns], seg[3+2*ns]>>4, seg[3+2*ns]&15
	return ns, ss <= se && se <= 63 && ah <= 13 && al <= 13
}

// jpegScanEnd is where the scan data from i ends: at the first marker
// that is neither a stuffed 0xFF00 nor a restart marker. Restart markers
// must come in their order (RST0 to RST7 and round), only with a restart
// interval, and no more of them than the scan's units allow. ok is false
// when they do not, or when the file ends first.
func jpegScanEnd(b []byte, i, units, interval int) (int, bool) {
	restarts := 0
	for {
		k := bytes.IndexByte(b[i:], 0xFF)
		if k < 0 || i+k+1 >= len(b) {
			return 0, false
		}
		i += k
		switch m := b[i+1]; {
		case m == 0x00:
			i += 2
		case m >= 0xD0 && m <= 0xD7:
			if interval == 0 || int(m-0xD0) != restarts%8 || (restarts+1)*interval >= units {
				return 0, false
			}
			restarts++
			i += 2
		default:
			return i, true
		}
	}
}
