package yarascan

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/filetype"
	"github.com/kensa-milter/kensa/message"
)

// cjpeg is a w by h photo-like picture (or a grey one) written by
// libjpeg-turbo's cjpeg with args: a JPEG from a real encoder.
func cjpeg(t *testing.T, w, h int, grey bool, args ...string) []byte {
	t.Helper()
	bin, err := exec.LookPath("cjpeg")
	if err != nil {
		t.Fatalf("cjpeg not found (scripts/deps.sh test installs libjpeg-turbo-progs): %v", err)
	}
	chans, magic := 3, "P6"
	if grey {
		chans, magic = 1, "P5"
	}
	ppm := fmt.Appendf(nil, "%s %d %d 255\n", magic, w, h)
	for y := range h {
		for x := range w {
			for c := range chans {
				ppm = append(ppm, byte((x*7+y*13+(x*y)%31+c*50)%256))
			}
		}
	}
	cmd := exec.Command(bin, args...)
	cmd.Stdin = bytes.NewReader(ppm)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("cjpeg %v: %v: %s", args, err, stderr.String())
	}
	return out
}

// djpegScans is how many scans libjpeg-turbo's djpeg reads in b, from its
// trace, and whether it decoded b without a warning.
func djpegScans(t *testing.T, b []byte) (int, bool) {
	t.Helper()
	bin, err := exec.LookPath("djpeg")
	if err != nil {
		t.Fatalf("djpeg not found (scripts/deps.sh test installs libjpeg-turbo-progs): %v", err)
	}
	cmd := exec.Command(bin, "-verbose", "-verbose")
	cmd.Stdin = bytes.NewReader(b)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if _, err := cmd.Output(); err != nil {
		t.Fatalf("djpeg: %v: %s", err, stderr.String())
	}
	trace := stderr.String()
	return strings.Count(trace, "Start Of Scan"), !strings.Contains(trace, "Corrupt JPEG data")
}

// The walk finds the scan data of JPEGs a real encoder writes in every
// layout: one range for each scan djpeg reads, right after its scan header
// and up to the next marker, and nothing else (headers and tables stay).
func TestJPEGScanDataOfRealFiles(t *testing.T) {
	for _, c := range []struct {
		name string
		grey bool
		args []string
	}{
		{"baseline 4:2:0", false, nil},
		{"4:4:4", false, []string{"-sample", "1x1", "-quality", "95"}},
		{"grey", true, nil},
		{"optimized", false, []string{"-optimize"}},
		{"progressive", false, []string{"-progressive"}},
		{"restart rows", false, []string{"-restart", "1"}},
		{"restart blocks", false, []string{"-restart", "3B", "-progressive"}},
		{"arithmetic", false, []string{"-arithmetic"}},
		{"quality 100", false, []string{"-quality", "100"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := cjpeg(t, 203, 131, c.grey, c.args...)
			scans, clean := djpegScans(t, b)
			if !clean || scans == 0 {
				t.Fatalf("djpeg reads %d scans, clean %v", scans, clean)
			}
			spans := jpegScanData(b)
			if len(spans) != scans {
				t.Fatalf("%d ranges %v, djpeg reads %d scans", len(spans), spans, scans)
			}
			total := 0
			for _, s := range spans {
				total += s.Len
				if !isAfterScanHeader(b, s.Off) {
					t.Errorf("range %v does not start after a scan header", s)
				}
				end := s.Off + s.Len
				if b[end] != 0xFF || b[end+1] == 0 || b[end+1] >= 0xD0 && b[end+1] <= 0xD7 {
					t.Errorf("range %v does not end at a marker: % x", s, b[end:end+2])
				}
			}
			if last := spans[len(spans)-1]; total < len(b)/2 || last.Off+last.Len != len(b)-2 {
				t.Errorf("scan data %d of %d bytes, the last scan's ends at %d", total, len(b), last.Off+last.Len)
			}
		})
	}
}

// isAfterScanHeader says an SOS segment ends at off.
func isAfterScanHeader(b []byte, off int) bool {
	for ns := 1; ns <= 4; ns++ {
		n := 6 + 2*ns
		if at := off - n - 2; at >= 0 && b[at] == 0xFF && b[at+1] == 0xDA && int(binary.BigEndian.Uint16(b[at+2:])) == n && int(b[at+4]) == ns {
			return true
		}
	}
	return false
}

// sosAt is where b's scan k's data starts.
func sosAt(t *testing.T, b []byte, k int) int {
	t.Helper()
	spans := jpegScanData(b)
	if len(spans) <= k {
		t.Fatalf("no scan %d in %v", k, spans)
	}
	return spans[k].Off
}

// eoiAt is where b's EOI is.
func eoiAt(t *testing.T, b []byte) int {
	t.Helper()
	spans := jpegScanData(b)
	last := spans[len(spans)-1]
	at := last.Off + last.Len
	if !bytes.Equal(b[at:at+2], []byte{0xFF, 0xD9}) {
		t.Fatalf("no EOI after the last scan: % x", b[at:at+2])
	}
	return at
}

// insert is b with what inserted at at.
func insert(b []byte, at int, what ...[]byte) []byte {
	return slices.Concat(append(append([][]byte{b[:at:at]}, what...), b[at:])...)
}

// segment is a marker segment with its length.
func segment(marker byte, data []byte) []byte {
	return slices.Concat([]byte{0xFF, marker}, binary.BigEndian.AppendUint16(nil, uint16(2+len(data))), data)
}

// A payload an attacker puts in a JPEG where something may read it as
// bytes is scanned; only scan data in a well-formed JPEG that is opened as
// a picture is left out (and yara.images: full scans that too).
func TestJPEGPayloadsScanned(t *testing.T) {
	const payload = "KENSA-PAYLOAD"
	// A program stand-in: FF bytes as machine code has them.
	pe := slices.Concat([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"), bytes.Repeat([]byte{0xFF, 0x15, 0x10, 0x20}, 8), []byte("KENSA-PAYLOAD in a PE"))
	photo := cjpeg(t, 203, 131, false)
	prog := cjpeg(t, 203, 131, false, "-progressive")
	restart := cjpeg(t, 203, 131, false, "-restart", "1")
	first := sosAt(t, photo, 0)
	eoi := eoiAt(t, photo)
	// inScan puts the payload in the first scan's data: still a
	// well-formed JPEG, the payload where only a decoder reads.
	inScan := insert(photo, first, []byte(payload))
	rst := bytes.Index(restart[sosAt(t, restart, 0):], []byte{0xFF, 0xD0}) + sosAt(t, restart, 0)

	frame := bytes.Index(photo, []byte{0xFF, 0xC0})
	sos := bytes.Index(photo, []byte{0xFF, 0xDA})
	for _, c := range []struct {
		name         string
		b            []byte
		filename     string
		declared     string
		leftOut      bool // trimmed leaves the payload out: an honest picture
		wellFormed   bool // the walk finds scan data
		detectedJPEG bool
	}{
		{"in scan data of a photo", inScan, "photo.jpg", "image/jpeg", true, true, true},
		{"in scan data, no name", inScan, "", "", true, true, true},
		{"in scan data of a progressive photo", insert(prog, sosAt(t, prog, 3), []byte(payload)), "p.jpeg", "image/jpeg", true, true, true},
		{"between restart markers", insert(restart, rst+2, []byte(payload)), "r.jpg", "image/jpeg", true, true, true},
		{"after EOI", insert(photo, len(photo), []byte(payload)), "photo.jpg", "image/jpeg", false, true, true},
		{"a PE after EOI", insert(photo, len(photo), pe), "photo.jpg", "image/jpeg", false, true, true},
		{"a second JPEG glued after the first", slices.Concat(photo, inScan), "photo.jpg", "image/jpeg", false, true, true},
		{"a zip glued after", slices.Concat(photo, []byte("PK\x03\x04"), []byte(payload)), "photo.jpg", "image/jpeg", false, true, true},
		{"in a COM segment", insert(photo, first-12-2, segment(0xFE, []byte(payload))), "photo.jpg", "image/jpeg", false, true, true},
		{"in an APP1 segment", insert(photo, 2, segment(0xE1, []byte("Exif\x00\x00"+payload))), "photo.jpg", "image/jpeg", false, true, true},
		{"after the last block's data, before EOI (decoders skip it)", insert(photo, eoi, []byte(payload)), "photo.jpg", "image/jpeg", true, true, true},
		{"a PE in scan data (its FF bytes end the scan)", insert(photo, first, pe), "photo.jpg", "image/jpeg", false, false, true},
		{"fake scan header naming no component", insert(photo, first-12-2, segment(0xDA, []byte{1, 9, 0, 0, 63, 0}), []byte(payload)), "photo.jpg", "image/jpeg", false, false, true},
		{"scan header before the frame", insert(photo, frame, segment(0xDA, []byte{1, 1, 0, 0, 63, 0}), []byte(payload)), "photo.jpg", "image/jpeg", false, false, true},
		{"scan header of the wrong length", insert(photo, sos, segment(0xDA, []byte{1, 1, 0, 0, 63, 0, 0}), []byte(payload)), "photo.jpg", "image/jpeg", false, false, true},
		{"restart marker without a restart interval", insert(photo, first, []byte{0xFF, 0xD0}, []byte(payload)), "photo.jpg", "image/jpeg", false, false, true},
		{"restart marker out of turn", insert(restart, rst+2, []byte{0xFF, 0xD5}, []byte(payload)), "r.jpg", "image/jpeg", false, false, true},
		{"more restart markers than blocks", insert(restart, rst, bytes.Repeat([]byte{0xFF, 0xD0, 0xFF, 0xD1, 0xFF, 0xD2, 0xFF, 0xD3, 0xFF, 0xD4, 0xFF, 0xD5, 0xFF, 0xD6, 0xFF, 0xD7}, 8), []byte(payload)), "r.jpg", "image/jpeg", false, false, true},
		{"truncated, no EOI", inScan[:len(inScan)-2], "photo.jpg", "image/jpeg", false, false, true},
		{"a tiny picture with megabytes of scan data", insert(cjpeg(t, 8, 8, true), sosAt(t, cjpeg(t, 8, 8, true), 0), bytes.Repeat([]byte("A"), 200_000), []byte(payload)), "photo.jpg", "image/jpeg", false, false, true},
		{"a second SOI", insert(inScan, 2, []byte{0xFF, 0xD8}), "photo.jpg", "image/jpeg", false, false, true},
		{"an unknown marker", insert(inScan, 2, segment(0xF7, []byte{0, 0})), "photo.jpg", "image/jpeg", false, false, true},
		{"a JPEG named .html (a browser reads it as text)", inScan, "photo.html", "image/jpeg", false, true, true},
		{"a JPEG named .hta", inScan, "photo.jpg.hta", "", false, true, true},
		{"a JPEG declared text/html", inScan, "", "text/html", false, true, true},
		{"a JPEG by name that is no JPEG", []byte("GIF89a " + payload), "photo.jpg", "image/jpeg", false, false, false},
		{"a JPEG by name that is a program", pe, "photo.jpg", "image/jpeg", false, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := filetype.Detect(c.b) == filetype.JPEG; got != c.detectedJPEG {
				t.Fatalf("detected as JPEG: %v", got)
			}
			if got := jpegScanData(c.b) != nil; got != c.wellFormed {
				t.Errorf("well-formed: %v, want %v", got, c.wellFormed)
			}
			m := &message.Message{Parts: []*message.Part{{Path: "2", Filename: c.filename, DeclaredType: c.declared, DetectedType: filetype.Detect(c.b), Content: c.b}}}
			rules := fmt.Sprintf(`rule Payload { strings: $a = %q condition: $a and filesize == %d }`, payload, len(c.b))
			for _, full := range []bool{false, true} {
				s := scannerFor(t, rules)
				s.pixels = full
				got, err := s.Scan(context.Background(), m)
				if err != nil {
					t.Fatal(err)
				}
				want := []string{"Payload@2"}
				if c.leftOut && !full {
					want = nil
				}
				if !slices.Equal(hits(got), want) {
					t.Errorf("yara.images full %v: got %v, want %v", full, hits(got), want)
				}
			}
		})
	}
}

// yara.images: only "trimmed" leaves scan data out; anything else (a value
// the config check refused) scans every byte, the stricter choice.
func TestImageDataSetting(t *testing.T) {
	for v, want := range map[string]bool{"trimmed": false, "full": true, "": true, "half": true} {
		if got := ImageData(v); got != want {
			t.Errorf("ImageData(%q) = %v, want %v", v, got, want)
		}
	}
}

// The same JPEG bytes named .jpg and .html are no twins: the .html copy,
// which a browser reads as text, is scanned whole even when the rules read
// no name.
func TestJPEGTwinsByName(t *testing.T) {
	photo := cjpeg(t, 203, 131, false)
	b := insert(photo, sosAt(t, photo, 0), []byte("KENSA-PAYLOAD"))
	m := &message.Message{Parts: []*message.Part{
		{Path: "2", Filename: "a.jpg", DeclaredType: "image/jpeg", DetectedType: filetype.JPEG, Content: b},
		{Path: "3", Filename: "a.html", DeclaredType: "image/jpeg", DetectedType: filetype.JPEG, Content: b},
		{Path: "4", Filename: "b.jpg", DeclaredType: "image/jpeg", DetectedType: filetype.JPEG, Content: b},
	}}
	s := scannerFor(t, `rule Payload { strings: $a = "KENSA-PAYLOAD" condition: $a }`)
	if twin := s.twins(m.Parts, partVarsOf(m)); !slices.Equal(twin, []int{-1, -1, 0}) {
		t.Errorf("twins %v, want the two .jpg copies only", twin)
	}
	got, err := s.Scan(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Payload@3"}; !slices.Equal(hits(got), want) {
		t.Errorf("got %v, want %v", hits(got), want)
	}
}
