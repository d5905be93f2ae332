package urls

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/corpus/formats"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/kensa-milter/kensa/internal/cputime"
	"github.com/kensa-milter/kensa/message"
)

const qrLure = "https://login.rnicrosoft.com/keep?session=8f3a9c2e71"

// longCodeTime gives the messages of t, a test that proves a code is read,
// five minutes to read codes instead of MaxCodeTime: on a CI machine busy
// with other packages, under -race, a search of a few hundred milliseconds
// can take seconds, and a search cut short would fail the test for the
// machine's speed, not for what it reads. Five minutes still stops a hang.
func longCodeTime(t testing.TB) {
	t.Helper()
	was := CodeTime
	CodeTime = longCodeTimeout
	t.Cleanup(func() { CodeTime = was })
}

const longCodeTimeout = 5 * time.Minute

func rotated(g *image.Gray, deg float64) *image.Gray {
	w := g.Rect.Dx()
	n := w * 3 / 2
	out := image.NewGray(image.Rect(0, 0, n, n))
	for i := range out.Pix {
		out.Pix[i] = 255
	}
	a := deg * math.Pi / 180
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			dx, dy := float64(x-n/2), float64(y-n/2)
			sx := int(math.Cos(a)*dx + math.Sin(a)*dy + float64(w)/2)
			sy := int(-math.Sin(a)*dx + math.Cos(a)*dy + float64(w)/2)
			if sx >= 0 && sy >= 0 && sx < w && sy < w {
				out.Pix[y*out.Stride+x] = g.Pix[sy*g.Stride+sx]
			}
		}
	}
	return out
}

func encodePNG(t testing.TB, img image.Image) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t testing.TB, img image.Image, q int) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: q}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// codeHosts searches p for codes, with minutes to do it (longCodeTime).
func codeHosts(p *message.Part) ([]string, Codes) {
	c := CodeURLs(p, &CodeBudget{images: MaxCodeImages, deadline: time.Now().Add(longCodeTimeout)})
	var hs []string
	for _, u := range c.URLs {
		hs = append(hs, u.Host+"/"+u.Source)
	}
	return hs, c
}

// TestCodeURLsImages: codes in every image format mail carries, rotated,
// scaled, re-encoded at low JPEG quality, low in contrast, inverted.
func TestCodeURLsImages(t *testing.T) {
	longCodeTime(t)
	g := formats.QRImage(qrLure, 256)
	lowContrast := formats.QRImage(qrLure, 256)
	for i, p := range lowContrast.Pix {
		lowContrast.Pix[i] = map[bool]uint8{true: 118, false: 150}[p < 128]
	}
	inverted := invert(formats.QRImage(qrLure, 256))
	var gifb bytes.Buffer
	pal := image.NewPaletted(g.Rect, color.Palette{color.White, color.Black})
	for i, p := range g.Pix {
		pal.Pix[i] = map[bool]uint8{true: 1, false: 0}[p < 128]
	}
	if err := gif.Encode(&gifb, pal, nil); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		b    []byte
	}{
		{"png", encodePNG(t, g)},
		{"jpeg quality 10", encodeJPEG(t, g, 10)},
		{"gif", gifb.Bytes()},
		{"bmp", bmpOf(g)},
		{"rotated 30", encodePNG(t, rotated(g, 30))},
		{"rotated 90", encodePNG(t, rotated(g, 90))},
		{"small 66px", encodePNG(t, formats.QRImage(qrLure, 66))},
		{"large 1800px", encodePNG(t, formats.QRImage(qrLure, 1800))},
		{"low contrast", encodePNG(t, lowContrast)},
		{"inverted", encodePNG(t, inverted)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			hs, codes := codeHosts(&message.Part{Path: "2", Content: c.b})
			if fmt.Sprint(hs) != "[login.rnicrosoft.com/qr]" || len(codes.Texts) != 1 || codes.Texts[0] != qrLure {
				t.Errorf("got %v %q", hs, codes.Texts)
			}
		})
	}
}

// bmpOf writes g as an 8-bit BMP with a grey palette (x/image has no
// BMP encoder for Gray that mail clients would write; this is what they read).
func bmpOf(g *image.Gray) []byte {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	row := (w + 3) &^ 3
	var b bytes.Buffer
	le := func(v uint32, n int) {
		for i := 0; i < n; i++ {
			b.WriteByte(byte(v >> (8 * i)))
		}
	}
	off := 14 + 40 + 256*4
	b.WriteString("BM")
	le(uint32(off+row*h), 4)
	le(0, 4)
	le(uint32(off), 4)
	le(40, 4)
	le(uint32(w), 4)
	le(uint32(h), 4)
	le(1, 2)
	le(8, 2)
	le(0, 4)
	le(uint32(row*h), 4)
	le(2835, 4)
	le(2835, 4)
	le(256, 4)
	le(0, 4)
	for i := 0; i < 256; i++ {
		b.Write([]byte{byte(i), byte(i), byte(i), 0})
	}
	for y := h - 1; y >= 0; y-- {
		b.Write(g.Pix[y*g.Stride : y*g.Stride+w])
		b.Write(make([]byte, row-w))
	}
	return b.Bytes()
}

// TestCodeURLsPDF: a code as a PDF page image, in the ways PDF writers
// store one: DCT, Flate with PNG predictors, and a flat black image whose
// soft mask carries the code.
func TestCodeURLsPDF(t *testing.T) {
	longCodeTime(t)
	g := formats.QRImage(qrLure, 200)
	w := g.Rect.Dx()
	var pred bytes.Buffer // PNG "Up" filter on every row
	for y := 0; y < w; y++ {
		pred.WriteByte(2)
		for x := 0; x < w; x++ {
			v := g.Pix[y*g.Stride+x]
			if y > 0 {
				v -= g.Pix[(y-1)*g.Stride+x]
			}
			pred.WriteByte(v)
		}
	}
	black := bytes.Repeat([]byte{0}, w*w)
	cases := map[string]string{
		"dct": pdfImageDoc(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", w, w),
			encodeJPEG(t, g, 40), ""),
		"flate predictor hex-escaped names": pdfImageDoc(fmt.Sprintf("/Type /XObject /Subtype /Im#61ge /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /DecodeParms << /Predictor 15 /Colors 1 /Columns %d >>", w, w, w),
			formats.ZlibDeflated(pred.Bytes()), ""),
		"smask": pdfImageDoc(fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode /SMask 5 0 R", w, w),
			formats.ZlibDeflated(black), fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", w, w)+"\x00"+string(formats.ZlibDeflated(invert(g).Pix))),
	}
	for name, doc := range cases {
		t.Run(name, func(t *testing.T) {
			hs, c := codeHosts(&message.Part{Path: "2", DetectedType: "application/pdf", Content: []byte(doc)})
			if fmt.Sprint(hs) != "[login.rnicrosoft.com/qr]" {
				t.Errorf("got %v %+v", hs, c)
			}
		})
	}
}

// pdfImageDoc is a one-page PDF drawing image object 4; mask, when set, is
// "dict\x00data" of object 5.
func pdfImageDoc(dict string, data []byte, mask string) string {
	var b strings.Builder
	b.WriteString("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n")
	b.WriteString("2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n")
	b.WriteString("3 0 obj << /Type /Page /Parent 2 0 R /Resources << /XObject << /Im1 4 0 R >> >> /MediaBox [0 0 300 300] >> endobj\n")
	fmt.Fprintf(&b, "4 0 obj << %s /Length %d >>\nstream\n%s\nendstream\nendobj\n", dict, len(data), data)
	if mask != "" {
		d, m, _ := strings.Cut(mask, "\x00")
		fmt.Fprintf(&b, "5 0 obj << %s /Length %d >>\nstream\n%s\nendstream\nendobj\n", d, len(m), m)
	}
	b.WriteString("%%EOF\n")
	return b.String()
}

// htmlTableQR draws text as an HTML table of cells coloured the given way.
func htmlTableQR(t testing.TB, text string, cell func(dark bool) string) string {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		t.Fatal(err)
	}
	bm := q.Bitmap()
	var b strings.Builder
	b.WriteString(`<html><head><style>.k{background-color:#000}.w{background:#fff}</style></head><body><p>Scan to verify your mailbox</p><table cellspacing="0" cellpadding="0">`)
	for _, row := range bm {
		b.WriteString("<tr>")
		for _, d := range row {
			b.WriteString(cell(d))
		}
		b.WriteString("</tr>\n")
	}
	b.WriteString("</table></body></html>")
	return b.String()
}

func TestCodeURLsHTMLTable(t *testing.T) {
	longCodeTime(t)
	cells := map[string]func(bool) string{
		"bgcolor": func(d bool) string {
			return map[bool]string{true: `<td bgcolor="#000000" width="4" height="4"></td>`, false: `<td bgcolor="white" width="4" height="4"></td>`}[d]
		},
		"style": func(d bool) string {
			return map[bool]string{true: `<td style="width:4px;height:4px;background-color:rgb(0, 0, 0)"></td>`, false: `<td style="width:4px;height:4px"></td>`}[d]
		},
		"class": func(d bool) string {
			return map[bool]string{true: `<TD class="k"></TD>`, false: `<td class="w"></td>`}[d]
		},
		// Colours a client reads as dark that are not black: a name, a
		// bgcolor without its # (HTML's legacy parsing), hsl(), eight
		// hex digits, a shorthand with an image first.
		"named": func(d bool) string {
			return map[bool]string{true: `<td bgcolor="Navy" width="4" height="4"></td>`, false: `<td bgcolor="ivory" width="4" height="4"></td>`}[d]
		},
		"legacy digits": func(d bool) string {
			return map[bool]string{true: `<td bgcolor="000000" width="4" height="4"></td>`, false: `<td bgcolor="ffffff" width="4" height="4"></td>`}[d]
		},
		"legacy letters": func(d bool) string {
			return map[bool]string{true: `<td bgcolor="kensa" width="4" height="4"></td>`, false: `<td bgcolor="#fff" width="4" height="4"></td>`}[d]
		},
		"hsl": func(d bool) string {
			return map[bool]string{true: `<td style="background:hsl(240deg 100% 15%)"></td>`, false: `<td style="background:hsla(60, 100%, 95%, 1)"></td>`}[d]
		},
		"eight digits": func(d bool) string {
			return map[bool]string{true: `<td style="background-color:#101010ff"></td>`, false: `<td style="background-color:#0000001a"></td>`}[d]
		},
		"shorthand": func(d bool) string {
			return map[bool]string{true: `<td style="background:url(dot.png) rgb(20 20 20) no-repeat"></td>`, false: `<td style="background:url(dot.png) white no-repeat"></td>`}[d]
		},
	}
	for name, cell := range cells {
		t.Run(name, func(t *testing.T) {
			p := &message.Part{Path: "1", DeclaredType: "text/html", Content: []byte(htmlTableQR(t, qrLure, cell))}
			if hs, c := codeHosts(p); fmt.Sprint(hs) != "[login.rnicrosoft.com/qr]" {
				t.Errorf("got %v %+v", hs, c)
			}
		})
	}
	// An ordinary layout table is no code, and costs no drawing.
	var b strings.Builder
	b.WriteString("<table>")
	for i := 0; i < 30; i++ {
		b.WriteString("<tr><td>Item</td><td bgcolor=\"#eeeeee\">12.00</td></tr>")
	}
	b.WriteString("</table>")
	if g := htmlTableCodes([]byte(b.String())); g != nil {
		t.Errorf("layout table drawn: %d images", len(g))
	}
}

// TestCodeURLsBounds: a huge image is skipped and said so; the budget of
// images per message holds; text that is not a URL gives no URL.
func TestCodeURLsBounds(t *testing.T) {
	longCodeTime(t)
	huge := image.NewGray(image.Rect(0, 0, 4100, 3001))
	for i := range huge.Pix {
		huge.Pix[i] = 255
	}
	c := CodeURLs(&message.Part{Path: "2", Content: encodePNG(t, huge)}, NewCodeBudget())
	if len(c.Skipped) != 1 || !strings.Contains(c.Skipped[0], "4100x3001") || len(c.URLs) != 0 {
		t.Errorf("huge image: %+v", c)
	}
	b := &CodeBudget{images: MaxCodeImages, layouts: maxCodeLayouts, deadline: time.Now().Add(longCodeTimeout)} // the count, not the time
	img := encodePNG(t, formats.QRImage(qrLure, 120))
	found, skipped := 0, 0
	for i := 0; i < MaxCodeImages+3; i++ {
		// distinct bytes (a byte after the end), so each is searched
		distinct := append(slices.Clip(img), byte(i))
		c := CodeURLs(&message.Part{Path: "2", Content: distinct}, b)
		found += len(c.URLs)
		skipped += len(c.Skipped)
	}
	if found != MaxCodeImages || skipped != 3 {
		t.Errorf("budget: %d found, %d skipped", found, skipped)
	}
	c = CodeURLs(&message.Part{Path: "2", Content: encodePNG(t, formats.QRImage("TICKET 2026-0042 ROW 7 SEAT 12", 200))}, NewCodeBudget())
	if len(c.URLs) != 0 || len(c.Texts) != 1 {
		t.Errorf("ticket text: %+v", c)
	}
	c = CodeURLs(&message.Part{Path: "2", Content: encodePNG(t, formats.QRImage("BEGIN:VCARD\nVERSION:3.0\nFN:Sales\nURL:https://shop.example.com/contact\nEND:VCARD", 300))}, NewCodeBudget())
	if len(c.URLs) != 1 || c.URLs[0].Host != "shop.example.com" {
		t.Errorf("vCard: %+v", c)
	}
	for _, junk := range [][]byte{[]byte("\x89PNG\r\n\x1a\ngarbage"), []byte("\xff\xd8\xff\xe0broken"), []byte("GIF89a")} {
		if c := CodeURLs(&message.Part{Path: "2", Content: junk}, NewCodeBudget()); len(c.URLs)+len(c.Skipped) != 0 {
			t.Errorf("junk %q: %+v", junk, c)
		}
	}
}

// BenchmarkCodeURLs is the cost of reading the codes of one part, by kind.
func BenchmarkCodeURLs(b *testing.B) {
	g := formats.QRImage(qrLure, 256)
	photo := image.NewGray(image.Rect(0, 0, 1600, 1200)) // a photo-sized image with no code
	for i := range photo.Pix {
		photo.Pix[i] = uint8(i * 7 % 251)
	}
	// A photograph: smooth shading and sensor noise, no code.
	landscape := image.NewGray(image.Rect(0, 0, 2048, 1536))
	for i := range landscape.Pix {
		x, y := i%2048, i/2048
		landscape.Pix[i] = uint8(min(255, 20+(x+y)/16+int(uint32(i)*2654435761>>27)))
	}
	parts := []struct {
		name string
		p    *message.Part
	}{
		{"jpeg-2048x1536-photo-no-code", &message.Part{Content: encodeJPEG(b, landscape, 85)}},
		{"png-256", &message.Part{Content: encodePNG(b, g)}},
		{"jpeg-q30-256", &message.Part{Content: encodeJPEG(b, g, 30)}},
		{"png-1600x1200-no-code", &message.Part{Content: encodePNG(b, photo)}},
		{"html-table", &message.Part{DeclaredType: "text/html", Content: []byte(htmlTableQR(b, qrLure, func(d bool) string {
			return map[bool]string{true: `<td bgcolor="#000"></td>`, false: `<td></td>`}[d]
		}))}},
		{"html-newsletter-no-table", &message.Part{DeclaredType: "text/html", Content: []byte(strings.Repeat(`<p>News <a href="https://www.example.com/a">read</a></p>`, 200))}},
		{"text", &message.Part{Content: []byte(strings.Repeat("Plain text with https://www.example.com/x in it.\n", 200))}},
		// PDFs without codes: their cost must not grow with the reading of
		// drawn codes (the pre-check keeps them uninterpreted or undrawn).
		{"pdf-text", &message.Part{Content: formats.VectorHonest("text")}},
		{"pdf-invoice-vector", &message.Part{Content: formats.VectorHonest("invoice")}},
		{"pdf-logo-vector", &message.Part{Content: formats.VectorHonest("logo")}},
		{"pdf-chart-vector", &message.Part{Content: formats.VectorHonest("chart")}},
		{"pdf-qr-vector", &message.Part{Content: formats.VectorCodePDF(formats.QRModules(qrLure), formats.VectorSquares, "Scan")}},
	}
	for _, c := range parts {
		b.Run(c.name, func(b *testing.B) {
			cputime.Each(b, 1, "op", func() {
				CodeURLs(c.p, NewCodeBudget())
			})
		})
	}
}

// toGray's fast paths (k = 1 and 2) give what the general box filter gives.
func TestToGrayScales(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, size := range [][2]int{{301, 199}, {2001, 1301}, {1999, 1400}} {
		w, h := size[0], size[1]
		img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio420)
		for i := range img.Y {
			img.Y[i] = uint8(r.IntN(256))
		}
		k := 1
		for (w/k)*(h/k) > codeWorkArea {
			k++
		}
		got := toGray(img)
		if got.Rect.Dx() != w/k || got.Rect.Dy() != h/k {
			t.Fatalf("%dx%d: grey image %v, want %dx%d", w, h, got.Rect, w/k, h/k)
		}
		for y := 0; y < h/k; y++ {
			for x := 0; x < w/k; x++ {
				sum := 0
				for dy := 0; dy < k; dy++ {
					for dx := 0; dx < k; dx++ {
						sum += int(img.Y[(y*k+dy)*img.YStride+x*k+dx])
					}
				}
				if want := uint8(sum / (k * k)); got.Pix[y*got.Stride+x] != want {
					t.Fatalf("%dx%d (k=%d): pixel (%d,%d) = %d, want %d", w, h, k, x, y, got.Pix[y*got.Stride+x], want)
				}
			}
		}
	}
}

// invert is g with every grey level turned over.
func invert(g *image.Gray) *image.Gray {
	out := image.NewGray(g.Rect)
	for i, p := range g.Pix {
		out.Pix[i] = 255 - p
	}
	return out
}

// opaqueImage hides an image's type, so toGray takes its general path.
type opaqueImage struct{ image.Image }

// TestToGrayRows: toGray's rows for RGBA, NRGBA and paletted images (what
// PNG and GIF decode to) give what the general path through color.Color
// gives, transparency and all, at full scale and averaged down.
func TestToGrayRows(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, size := range [][2]int{{37, 29}, {1999, 1401}} { // k = 1 and 2
		w, h := size[0], size[1]
		rect := image.Rect(3, 5, 3+w, 5+h) // not at the origin
		rgba, nrgba := image.NewRGBA(rect), image.NewNRGBA(rect)
		for i := range rgba.Pix {
			rgba.Pix[i], nrgba.Pix[i] = uint8(r.IntN(256)), uint8(r.IntN(256))
		}
		for i := 3; i < len(rgba.Pix); i += 4 { // premultiplied: no channel above alpha
			for j := i - 3; j < i; j++ {
				rgba.Pix[j] = min(rgba.Pix[j], rgba.Pix[i])
			}
		}
		pal := image.NewPaletted(rect, color.Palette{color.Black, color.Transparent, color.RGBA{20, 40, 120, 255}, color.White})
		for i := range pal.Pix {
			pal.Pix[i] = uint8(r.IntN(4))
		}
		for name, img := range map[string]image.Image{"rgba": rgba, "nrgba": nrgba, "paletted": pal} {
			if got, want := toGray(img), toGray(opaqueImage{img}); got.Rect != want.Rect || !bytes.Equal(got.Pix, want.Pix) {
				t.Errorf("%s %dx%d: differs from the general path", name, w, h)
			}
		}
	}
}

// dimPhoto is noisyPhoto with its grey squeezed into 70..190: a photograph
// taken in dim light, no black, no white. The search stretches its
// contrast, and its noise gives the QR finder some 300 centres and the
// selection thousands of triples.
func dimPhoto(w, h int, seed uint64) *image.Gray {
	g := noisyPhoto(w, h, seed)
	for i, v := range g.Pix {
		g.Pix[i] = uint8(70 + int(v)*120/255)
	}
	return g
}

// TestCodeTimeShared: the message's time for reading codes is shared among
// its pictures (ExpectParts), so six dim photographs, each once most of the
// 3 seconds, do not leave the QR code after them unread; each is noted not
// fully searched if its share ran out. With the real 3 seconds: what is
// proven is how they are shared (the code needs a few milliseconds of its
// share of at least 3/7 of a second).
func TestCodeTimeShared(t *testing.T) {
	var parts []*message.Part
	for i := range 6 {
		parts = append(parts, &message.Part{Path: fmt.Sprint(i + 1), Content: encodePNG(t, dimPhoto(1200, 900, uint64(31+i)))})
	}
	parts = append(parts, &message.Part{Path: "7", Content: encodePNG(t, formats.QRImage(qrLure, 200))})
	b := NewCodeBudget()
	b.ExpectParts(parts)
	for i, p := range parts[:6] {
		c := CodeURLs(p, b)
		if len(c.Texts) > 0 || len(c.Skipped) > 1 || len(c.Skipped) == 1 && !strings.HasSuffix(c.Skipped[0], "not fully searched for codes: "+codeTimeSpent) {
			t.Errorf("photograph %d: %+v", i+1, c)
		}
	}
	if c := CodeURLs(parts[6], b); !slices.Equal(c.Texts, []string{qrLure}) || len(c.Skipped) > 0 {
		t.Errorf("the code after the photographs: %+v", c)
	}
}
