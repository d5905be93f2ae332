package urls

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/urls/internal/jpegluma"
)

// rgbStoredJPEG is a JPEG whose three planes are red (full everywhere),
// green and blue (the code's grey levels): a reader that takes them for
// Y, Cb and Cr sees a white picture, libjpeg red modules on white. An
// Adobe marker says RGB (transform 0); a short APP0 "JFIF\0" segment, which
// image/jpeg takes for a JFIF marker and libjpeg does not, comes first.
func rgbStoredJPEG(t *testing.T, code *image.Gray) []byte {
	t.Helper()
	r := code.Rect
	m := image.NewYCbCr(r, image.YCbCrSubsampleRatio444)
	for i := range m.Y {
		m.Y[i], m.Cb[i], m.Cr[i] = 255, code.Pix[i], code.Pix[i]
	}
	data := encodeJPEG(t, m, 90)
	shortJFIF := []byte{0xff, 0xe0, 0, 7, 'J', 'F', 'I', 'F', 0}
	adobe := []byte{0xff, 0xee, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, 0}
	return append(append(append(bytes.Clone(data[:2]), shortJFIF...), adobe...), data[2:]...)
}

// TestCodeURLsStoredRGBJPEG: a code in the green and blue planes of a JPEG
// stored as RGB, behind an APP0 segment image/jpeg calls JFIF and libjpeg
// does not: mail clients show red modules on white; the search must see
// them, not the white red plane taken for luma.
func TestCodeURLsStoredRGBJPEG(t *testing.T) {
	longCodeTime(t)
	data := rgbStoredJPEG(t, formats.QRImage(qrLure, 300))
	hs, c := codeHosts(&message.Part{Path: "2", Content: data})
	if len(hs) != 1 || hs[0] != "login.rnicrosoft.com/qr" {
		t.Errorf("found %v (%+v)", hs, c)
	}
}

// TestCodeURLsDamagedJPEG: a code in the top half of a JPEG whose end is
// cut off, or whose scan carries a marker libjpeg passes over, is shown by
// mail clients (libjpeg: the rest grey) and image/jpeg refuses the file:
// the search reads what libjpeg shows.
func TestCodeURLsDamagedJPEG(t *testing.T) {
	longCodeTime(t)
	w, h := 600, 800
	data := encodeJPEG(t, photoYCbCr(w, h, formats.QRImage(qrLure, 300), 150, 40), 85)
	sos := bytes.Index(data, []byte{0xff, 0xda})
	for name, b := range map[string][]byte{
		"truncated": data[:sos+(len(data)-sos)*6/10],
		"tem":       append([]byte{0xff, 0xd8, 0xff, 0x01}, data[2:]...),
		"dac":       append([]byte{0xff, 0xd8, 0xff, 0xcc, 0, 4, 0, 0x10}, data[2:]...),
	} {
		if _, err := jpeg.Decode(bytes.NewReader(b)); err == nil {
			t.Fatalf("%s: image/jpeg reads it", name)
		}
		hs, c := codeHosts(&message.Part{Path: "2", Content: b})
		if len(hs) != 1 || hs[0] != "login.rnicrosoft.com/qr" {
			t.Errorf("%s: found %v (%+v)", name, hs, c)
		}
	}
}

// exifAPP1 is an EXIF APP1 segment holding only the Orientation tag.
func exifAPP1(orientation uint16, bigEndian bool) []byte {
	tiff := []byte{'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, byte(orientation), 0, 0, 0, 0, 0, 0, 0}
	if bigEndian {
		tiff = []byte{'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, byte(orientation), 0, 0, 0, 0, 0, 0}
	}
	seg := append([]byte("Exif\x00\x00"), tiff...)
	return append([]byte{0xff, 0xe1, byte((len(seg) + 2) >> 8), byte(len(seg) + 2)}, seg...)
}

// TestCodeURLsEXIFMirrored: a Data Matrix stored mirrored in a JPEG whose
// EXIF orientation mirrors it back (2, 4, 5, 7) is shown readable by mail
// clients and phones; gozxing's Data Matrix reader does not read mirrored
// codes, so the search reads the picture as shown.
func TestCodeURLsEXIFMirrored(t *testing.T) {
	longCodeTime(t)
	m := dataMatrixModules(t, "https://login.rnicrosoft.com/x")
	flipped := make(modules, len(m))
	for y := range m {
		flipped[y] = make([]bool, len(m[y]))
		for x := range m[y] {
			flipped[y][x] = m[y][len(m[y])-1-x]
		}
	}
	g := image.NewGray(image.Rect(0, 0, 400, 400))
	flipped.draw(g, 50, 50, 8, 4, 0, 255)
	data := encodeJPEG(t, g, 90)
	if hs, _ := codeHosts(&message.Part{Path: "2", Content: data}); len(hs) != 0 {
		t.Fatalf("a mirrored Data Matrix is read without EXIF now (%v): the test needs another code", hs)
	}
	for _, c := range []struct {
		o    uint16
		be   bool
		want int
	}{{2, false, 1}, {4, true, 1}, {5, false, 1}, {7, true, 1}, {1, false, 0}, {3, true, 0}} {
		b := append(append(bytes.Clone(data[:2]), exifAPP1(c.o, c.be)...), data[2:]...)
		if hs, _ := codeHosts(&message.Part{Path: "2", Content: b}); len(hs) != c.want {
			t.Errorf("orientation %d: found %v, want %d", c.o, hs, c.want)
		}
	}
	// A byte of junk before the segment (after the first one): libjpeg
	// passes over it (a warning), and so the picture is shown mirrored all
	// the same.
	i := 4 + (int(data[4])<<8 | int(data[5]))
	b := append(append(bytes.Clone(data[:i]), append([]byte{0}, exifAPP1(2, false)...)...), data[i:]...)
	if hs, _ := codeHosts(&message.Part{Path: "2", Content: b}); len(hs) != 1 {
		t.Errorf("orientation 2 after a byte of junk: found %v", hs)
	}
}

// TestPDFImagesSpendTheBudget: a PDF's images are drawn only while the
// message's budget lasts. Drawing is the cost: a JPEG of a few hundred
// bytes may claim 100 megapixels (libjpeg shows it grey), and the images
// of PDF after PDF were drawn before the budget was asked, so a message of
// many small PDFs took seconds per PDF with every image noted unsearched.
func TestPDFImagesSpendTheBudget(t *testing.T) {
	longCodeTime(t)
	data := encodeJPEG(t, formats.QRImage(qrLure, 200), 60)
	var b strings.Builder
	b.WriteString("%PDF-1.7\n")
	for i := 0; i < 5; i++ {
		fmt.Fprintf(&b, "%d 0 obj << /Type /XObject /Subtype /Image /Width 200 /Height 200 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n%s\nendstream\nendobj\n", 10+i, len(data), data)
	}
	b.WriteString("%%EOF\n")
	budget := NewCodeBudget()
	budget.images = 2
	drawn, noted := 0, 0
	for _, im := range pdfImages(pdfObjectsByNum([]byte(b.String()), ""), budget) {
		if im.img != nil {
			drawn++
		}
		if strings.Contains(im.skip, "more than") {
			noted++
		}
	}
	if drawn != 2 || noted != 3 {
		t.Errorf("%d images drawn, %d noted unsearched; want 2 and 3", drawn, noted)
	}
}

// TestDecodeGrayDeadline: once the message's time for codes has passed, a
// JPEG's decode stops and says so, and image/jpeg (which cannot be
// stopped) is not started for a JPEG libjpeg leaves to it (CMYK): a 64 MB
// JPEG costs libjpeg a second or so.
func TestDecodeGrayDeadline(t *testing.T) {
	data := encodeJPEG(t, formats.QRImage(qrLure, 200), 60)
	past := time.Now().Add(-time.Second)
	for name, b := range map[string][]byte{"jpegluma": data, "image/jpeg": cmykJPEG(t, formats.QRImage(qrLure, 200))} {
		if g, _, why := decodeGray(b, "jpeg", 200, 200, past); g != nil || !strings.Contains(why, "not fully searched") {
			t.Errorf("%s: plane %v, note %q; want none and the time noted", name, g != nil, why)
		}
		if g, _, why := decodeGray(b, "jpeg", 200, 200, time.Now().Add(time.Hour)); g == nil || why != "" {
			t.Errorf("%s, time left: plane %v, note %q", name, g != nil, why)
		}
	}
}

// cmykJPEG is code as a CMYK JPEG (Adobe marker, four components), written
// by Pillow (cjpeg writes no CMYK): libjpeg does not read it into grey,
// image/jpeg reads it.
func cmykJPEG(t *testing.T, code *image.Gray) []byte {
	t.Helper()
	py := "/usr/bin/python3" // Debian's, where python3-pil is
	var pgm bytes.Buffer
	fmt.Fprintf(&pgm, "P5\n%d %d\n255\n", code.Rect.Dx(), code.Rect.Dy())
	pgm.Write(code.Pix)
	script := "import sys, io\nfrom PIL import Image\nb = io.BytesIO()\nImage.open(io.BytesIO(sys.stdin.buffer.read())).convert('CMYK').save(b, 'JPEG', quality=90)\nsys.stdout.buffer.write(b.getvalue())\n"
	cmd := exec.Command(py, "-c", script)
	cmd.Stdin = &pgm
	out, err := cmd.Output()
	if err != nil || !bytes.Contains(out, []byte("Adobe")) {
		t.Fatalf("Pillow (python3-pil, installed by scripts/deps.sh test) wrote no CMYK JPEG: %v", err)
	}
	if _, err := jpegluma.Decode(out, 1, 1<<20); !errors.Is(err, jpegluma.ErrUnsupported) {
		t.Fatalf("libjpeg reads the CMYK JPEG into grey now (%v): find another it leaves to image/jpeg", err)
	}
	return out
}

// progressiveJPEG is img as cjpeg writes it progressive (4:2:0, quality
// 85), and the same file cut after its first scan (the DC terms).
func progressiveJPEG(t testing.TB, img image.Image) (whole, dcOnly []byte) {
	t.Helper()
	bin, err := exec.LookPath("cjpeg")
	if err != nil {
		t.Fatalf("cjpeg not found (Debian package libjpeg-turbo-progs, installed by scripts/deps.sh test): %v", err)
	}
	var ppm bytes.Buffer
	r := img.Bounds()
	fmt.Fprintf(&ppm, "P6\n%d %d\n255\n", r.Dx(), r.Dy())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)
			ppm.Write([]byte{c.R, c.G, c.B})
		}
	}
	cmd := exec.Command(bin, "-progressive", "-quality", "85")
	cmd.Stdin = &ppm
	whole, err = cmd.Output()
	if err != nil {
		t.Fatalf("cjpeg: %v", err)
	}
	// The first scan ends at the first marker after its header that is
	// not a stuffed byte or a restart.
	sos := bytes.Index(whole, []byte{0xff, 0xda})
	if sos < 0 || whole[sos+4] != 3 {
		t.Fatal("cjpeg wrote no scan of three components first")
	}
	for p := sos + 2 + (int(whole[sos+2])<<8 | int(whole[sos+3])); p+1 < len(whole); p++ {
		if m := whole[p+1]; whole[p] == 0xff && m != 0 && m != 0xff && (m < 0xd0 || m > 0xd7) {
			return whole, whole[:p]
		}
	}
	t.Fatal("no marker after the first scan")
	return nil, nil
}

// TestProgressiveJPEGCodes: a code in a progressive JPEG is read, and so is
// one with modules of 16 pixels or more in a progressive JPEG cut after its
// first scan, which mail clients show (libjpeg: the DC terms, one grey
// level a block) and image/jpeg refuses: it was noted unsearched.
func TestProgressiveJPEGCodes(t *testing.T) {
	longCodeTime(t)
	for _, module := range []int{16, 19, 24} { // pixels; the code is 41 modules with its margin
		whole, dcOnly := progressiveJPEG(t, formats.QRImage(qrLure, 41*module))
		if _, err := jpeg.Decode(bytes.NewReader(dcOnly)); err == nil {
			t.Fatal("image/jpeg reads a progressive JPEG cut after its DC scan now")
		}
		for name, data := range map[string][]byte{"whole": whole, "DC scan alone": dcOnly} {
			hs, c := codeHosts(&message.Part{Path: "2", Content: data})
			if fmt.Sprint(hs) != "[login.rnicrosoft.com/qr]" || len(c.Skipped) != 0 {
				t.Errorf("modules of %d px, %s: hosts %v, skipped %q", module, name, hs, c.Skipped)
			}
		}
	}
	// The corpus's writer of such files (Go, no cjpeg): what the search
	// reads of it is libjpeg's plane (the DC terms smoothed across blocks,
	// as a client shows the picture), not image/jpeg's flat blocks.
	dc := formats.ProgressiveDCOnly(formats.QRImageModules(qrLure, 16), 16)
	img, err := jpeg.Decode(bytes.NewReader(append(bytes.Clone(dc), 0xff, 0xd9)))
	if err != nil {
		t.Fatalf("image/jpeg does not read formats.ProgressiveDCOnly's file with an EOI: %v", err)
	}
	lj, err := jpegluma.Decode(dc, 1, MaxCodeJPEGPixels)
	if err != nil {
		t.Fatal(err)
	}
	if g, _, _ := decodeGray(dc, "jpeg", img.Bounds().Dx(), img.Bounds().Dy(), time.Time{}); g == nil || !bytes.Equal(g.Pix, lj.Pix) {
		t.Errorf("formats.ProgressiveDCOnly's file reads otherwise than libjpeg shows it")
	}
	if hs, c := codeHosts(&message.Part{Path: "2", Content: dc}); fmt.Sprint(hs) != "[login.rnicrosoft.com/qr]" || len(c.Skipped) != 0 {
		t.Errorf("formats.ProgressiveDCOnly: hosts %v, skipped %q", hs, c.Skipped)
	}
	// An unknown marker after the first scan's last restart interval, then
	// a scan that stripes the picture (formats.ProgressiveStopsAtMarker):
	// libjpeg stops at the marker, so the code is read from the DC terms,
	// as the file cut there reads; read past the marker, the stripes hide
	// it (the file without the marker), which is what the marker is for.
	stops := formats.ProgressiveStopsAtMarker(formats.QRImageModules(qrLure, 16), 16)
	at := bytes.Index(stops, []byte{0xff, 0x02})
	if at < 0 {
		t.Fatal("formats.ProgressiveStopsAtMarker wrote no unknown marker")
	}
	if hs, c := codeHosts(&message.Part{Path: "2", Content: stops}); fmt.Sprint(hs) != "[login.rnicrosoft.com/qr]" || len(c.Skipped) != 0 {
		t.Errorf("formats.ProgressiveStopsAtMarker: hosts %v, skipped %q", hs, c.Skipped)
	}
	cut, err := jpeg.DecodeConfig(bytes.NewReader(append(bytes.Clone(stops[:at]), 0xff, 0xd9)))
	if err != nil {
		t.Fatalf("image/jpeg does not read formats.ProgressiveStopsAtMarker's first scan with an EOI: %v", err)
	}
	g, _, _ := decodeGray(stops, "jpeg", cut.Width, cut.Height, time.Time{})
	first, _, _ := decodeGray(stops[:at], "jpeg", cut.Width, cut.Height, time.Time{})
	if g == nil || first == nil || !bytes.Equal(g.Pix, first.Pix) {
		t.Errorf("formats.ProgressiveStopsAtMarker's file reads otherwise than its first scan")
	}
	passed := append(bytes.Clone(stops[:at]), stops[at+2:]...)
	if hs, _ := codeHosts(&message.Part{Path: "2", Content: passed}); len(hs) != 0 {
		t.Errorf("formats.ProgressiveStopsAtMarker's stripes do not hide the code: hosts %v", hs)
	}
	// Its last scan 300 times: more scans than jpegluma decodes (each a
	// pass over the picture), and image/jpeg is not asked: noted.
	whole, _ := progressiveJPEG(t, formats.QRImage(qrLure, 41*16))
	last := bytes.LastIndex(whole, []byte{0xff, 0xda})
	many := append(bytes.Clone(whole[:last]), bytes.Repeat(whole[last:len(whole)-2], 300)...)
	many = append(many, 0xff, 0xd9)
	if _, c := codeHosts(&message.Part{Path: "2", Content: many}); len(c.Skipped) != 1 || !strings.Contains(c.Skipped[0], "too many scans") {
		t.Errorf("300 scans more: skipped %q", c.Skipped)
	}
}

// TestUnreadJPEGIsNoted: a JPEG whose header both decoders read and whose
// data neither does is noted unsearched, not passed over in silence: a
// progressive frame whose scan has a sequential scan's parameters (libjpeg
// refuses it too, and image/jpeg), and a 12-bit one, whose header neither
// reads.
func TestUnreadJPEGIsNoted(t *testing.T) {
	longCodeTime(t)
	data := encodeJPEG(t, formats.QRImage(qrLure, 200), 60)
	sof := bytes.Index(data, []byte{0xff, 0xc0})
	data[sof+1] = 0xc2 // progressive, with a sequential scan's parameters: image/jpeg refuses the scan
	if _, err := jpeg.Decode(bytes.NewReader(data)); err == nil {
		t.Fatal("image/jpeg reads it")
	}
	_, c := codeHosts(&message.Part{Path: "2", Content: data})
	if len(c.Skipped) != 1 || !strings.Contains(c.Skipped[0], "neither jpegluma nor image/jpeg reads it") {
		t.Errorf("skipped %q", c.Skipped)
	}
	data[sof+1] = 0xc0
	data[sof+4] = 12 // 12-bit samples: neither reads even the header
	if _, c := codeHosts(&message.Part{Path: "2", Content: data}); len(c.Skipped) != 1 || !strings.Contains(c.Skipped[0], "reads its header") {
		t.Errorf("12-bit: skipped %q", c.Skipped)
	}
}

// TestSequentialLumaTwiceCodes: a baseline JPEG that scans luma twice
// (formats.SequentialLumaTwice: the code whole, then the same DC terms
// alone) shows the code in libjpeg, which merges the scans (djpeg's
// picture, searched as a PNG, holds it), and is searched as libjpeg shows
// it. image/jpeg shows the second scan alone, the mean of each block, where
// the code (modules of 4 pixels) does not read: what the search saw when
// such a file went to image/jpeg.
func TestSequentialLumaTwiceCodes(t *testing.T) {
	longCodeTime(t)
	data := formats.SequentialLumaTwice(formats.QRImageModules(qrLure, 4), 2)
	if hs, c := codeHosts(&message.Part{Path: "2", Content: data}); fmt.Sprint(hs) != "[login.rnicrosoft.com/qr]" || len(c.Skipped) != 0 {
		t.Errorf("formats.SequentialLumaTwice: hosts %v, skipped %q", hs, c.Skipped)
	}
	asPNG := func(img image.Image) []byte {
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	bin, err := exec.LookPath("djpeg")
	if err != nil {
		t.Fatalf("djpeg not found (Debian package libjpeg-turbo-progs, installed by scripts/deps.sh test): %v", err)
	}
	cmd := exec.Command(bin, "-grayscale", "-pnm")
	cmd.Stdin = bytes.NewReader(data)
	out, err := cmd.Output()
	var w, h, maxv int
	if n, _ := fmt.Sscanf(string(out), "P5\n%d %d\n%d\n", &w, &h, &maxv); err != nil || n != 3 || len(out) < w*h {
		t.Fatalf("djpeg shows no picture: %v", err)
	}
	shown := &image.Gray{Pix: out[len(out)-w*h:], Stride: w, Rect: image.Rect(0, 0, w, h)}
	if hs, _ := codeHosts(&message.Part{Path: "2", Content: asPNG(shown)}); fmt.Sprint(hs) != "[login.rnicrosoft.com/qr]" {
		t.Errorf("djpeg's picture of formats.SequentialLumaTwice: hosts %v", hs)
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("image/jpeg: %v", err)
	}
	if hs, _ := codeHosts(&message.Part{Path: "2", Content: asPNG(img)}); len(hs) != 0 {
		t.Errorf("image/jpeg's picture of formats.SequentialLumaTwice shows the code: hosts %v", hs)
	}
}
