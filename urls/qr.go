package urls

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"image/color"
	_ "image/gif" // image.Decode reads what mail carries
	_ "image/jpeg"
	_ "image/png"
	"math/bits"
	"slices"
	"strings"
	"time"

	"github.com/kensa-milter/kensa/filetype"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"
	"github.com/makiuchi-d/gozxing/qrcode/detector"
	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/webp"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/urls/internal/jpegluma"
)

// 2-D codes (QR, Data Matrix, Aztec) in images: phishing moved into them
// because gateways do not read pictures. gozxing, pure Go, decodes them
// (no C code reader runs on attacker bytes), and it reads Data Matrix and
// Aztec as well as QR (see docs/heuristics.md for the comparison with
// libzbar). A JPEG's pixels come from libjpeg-turbo (urls/internal/jpegluma),
// the library mail clients, browsers and phones show it with, kept and
// fuzzed by OSS-Fuzz; other pictures from Go's decoders.

// Bounds on reading codes; a CodeBudget carries them through one message.
const (
	// MaxCodeImages bounds the images searched in one message (the notes of
	// those skipped, too); MaxCodeTime bounds the work. It is high because a
	// count is the cheapest budget to spend: twenty tiny decoy pictures
	// before a QR lure once hid it from the search.
	MaxCodeImages = 200
	MaxCodePixels = 4032 * 3024 // pixels of one image decoded whole (a 12-megapixel phone photo); larger ones are skipped
	// MaxCodeJPEGPixels bounds a JPEG jpegluma reads: libjpeg decodes at the
	// scale the search needs (up to 1/8), so its plane stays near
	// codeWorkArea whatever the photo's size (a 100-megapixel camera's).
	MaxCodeJPEGPixels = 100_000_000
	MaxCodeTime       = 3 * time.Second // decoding time per message, shared among its pictures; no image starts after it
	codeWorkArea      = 2_500_000       // pixels searched: larger images are scaled down to about this
	minCodeSide       = 21              // a QR code (version 1) is 21 modules wide
	maxCodeBytes      = int64(64 << 20) // bytes of one image file read
	maxCodeTexts      = 8               // codes kept per image
	maxCodeText       = 4096            // bytes of one decoded text kept
	codeMinScale      = 300             // images smaller than this (longer side) are also tried enlarged
	tableCellPx       = 4               // pixels per cell when an HTML table is drawn
	maxTableCells     = 200 * 200       // cells of one HTML table drawn
	codeDeadline      = 500 * time.Millisecond
)

// CodeBudget bounds the images decoded and the time spent on one message,
// shares that time among its parts holding pictures (ExpectParts), and
// remembers what each distinct content read gave, so that the same
// bytes are searched once per message, and each PDF's objects until both
// its page text and its code search have read them. It is not safe for concurrent use:
// one per message scan.
type CodeBudget struct {
	images   int
	deadline time.Time                 // the message's: no image starts after it
	end      time.Time                 // while a part is read, the end of its share of the time (zero: none)
	pictures int                       // parts holding pictures not yet read (ExpectParts), among which the time is shared
	same     message.SameBytes         // the contents read, by their bytes
	read     map[codeRead]Codes        // what CodeURLs found in each (made on first use)
	inline   map[string][]byte         // the message's images by Content-ID (InlineParts)
	layouts  int                       // HTML image layouts left to search (qrlayout.go)
	pdfs     map[*message.Part]*pdfDoc // PDFs read by one of their readers, not yet by the other (pdfdoc.go)
}

// codeRead is a content as CodeURLs read it: the number message.SameBytes
// gave the first content with its bytes, and how it was read.
type codeRead struct {
	first int
	kind  codeKind
}

func (c Codes) clone() Codes {
	return Codes{URLs: slices.Clone(c.URLs), Texts: slices.Clone(c.Texts), Skipped: slices.Clone(c.Skipped)}
}

// CodeTime is the time NewCodeBudget gives a message: MaxCodeTime. Only
// tests change it, and only before a scan starts: a test that proves a code
// is read gives the search minutes, so that only a hang trips the deadline
// on a machine slowed by load and -race (gozxing runs ten times slower under
// it), not a busy CI run. The deadline itself is proved with hostile
// pictures and budgets already spent. The notes keep saying MaxCodeTime.
var CodeTime = MaxCodeTime

// NewCodeBudget starts the budget of one message.
func NewCodeBudget() *CodeBudget {
	return &CodeBudget{images: MaxCodeImages, layouts: maxCodeLayouts, deadline: time.Now().Add(CodeTime)}
}

// ExpectParts counts the parts of a message that hold pictures to search
// for codes (images, PDFs), among which CodeURLs shares its time.
func (b *CodeBudget) ExpectParts(parts []*message.Part) {
	for _, p := range parts {
		if isCodeImage(p) || isPDF(p, p.Content) {
			b.pictures++
		}
	}
}

// share sets the end of the time a part of kind k may take: an even share
// of what is left of the message's among the parts still to read, this one
// among them (the last one's share is all that is left, and the grace after
// it, codeDeadline), so that a picture costly to search (a photograph's
// noise makes thousands of finder-pattern triples) cannot spend the time of
// the pictures after it; what a part leaves unused goes to those after it.
// Parts ExpectParts did not count (HTML, text, or every part when it was
// not called) count as one more.
func (b *CodeBudget) share(k codeKind) {
	n := b.pictures + 1
	if (k == imageCodes || k == pdfCodes) && b.pictures > 0 {
		n = b.pictures
		b.pictures--
	}
	b.end = time.Time{}
	if n > 1 {
		b.end = time.Now().Add(max(0, time.Until(b.deadline)) / time.Duration(n))
	}
}

// startBy is the time after which no image is started: the message's
// deadline, or the end of the part's share when sooner.
func (b *CodeBudget) startBy() time.Time {
	if !b.end.IsZero() && b.end.Before(b.deadline) {
		return b.end
	}
	return b.deadline
}

// stopBy is the time at which a search stops: grace after the message's
// deadline (a picture started before it finishes its step), or the end of
// the part's share when sooner.
func (b *CodeBudget) stopBy(grace time.Duration) time.Time {
	t := b.deadline.Add(grace)
	if !b.end.IsZero() && b.end.Before(t) {
		return b.end
	}
	return t
}

// codeTimeSpent is the note of a search stopped by its part's share of
// the message's time for reading codes.
var codeTimeSpent = fmt.Sprintf("its share of the message's %v for reading codes was spent", MaxCodeTime)

// take spends one image; why is "" when there is room.
func (b *CodeBudget) take() (why string) {
	switch {
	case b.images <= 0:
		return fmt.Sprintf("more than %d images in the message", MaxCodeImages)
	case time.Now().After(b.startBy()):
		return codeTimeSpent
	}
	b.images--
	return ""
}

// Codes is what CodeURLs found in one part.
type Codes struct {
	URLs    []URL    // URLs the codes hold, Source "qr"
	Texts   []string // every decoded text, cut at maxCodeText
	Skipped []string // images not searched, and why (too large, over budget)
}

// codeKind is how CodeURLs reads a part: what follows depends on the
// part's bytes alone.
type codeKind uint8

const (
	noCodes codeKind = iota
	imageCodes
	pdfCodes
	htmlCodes
	textCodes
)

func kindOfCodes(p *message.Part) codeKind {
	content := p.Content
	switch {
	case isCodeImage(p):
		return imageCodes
	case isPDF(p, content[:min(len(content), MaxScanSize)]):
		return pdfCodes
	case isHTML(p, content[:min(len(content), MaxScanSize)]):
		return htmlCodes
	case looksText(content) && blockCharCount(content[:min(len(content), MaxScanSize)], false) >= minBlockChars:
		return textCodes
	}
	return noCodes
}

// CodeURLs reads the 2-D codes in p: p itself when it is an image (PNG,
// JPEG, GIF, BMP, WebP, by its bytes), the images of a PDF and the codes
// its pages draw with path operators, and codes drawn without a picture:
// as HTML tables of black and white cells, with Unicode block characters
// in text and HTML, as SVG shapes, and as grids of CSS boxes. It never
// panics.
//
// Bytes read once in a message are not read again in it (an inline logo
// sent twice, a picture in a document and beside it, the same scan in
// several documents of a zip): the second part gets what the first gave,
// its codes and its notes, and takes nothing of the budget, so the images
// after it are searched as if it were not there. What the first gave is
// what a second search would give: the search depends on the bytes and the
// way they are read alone, and the time it may take only runs out. Never
// across messages: the budget is the message's.
func CodeURLs(p *message.Part, b *CodeBudget) Codes {
	var out Codes
	content := p.Content
	kind := kindOfCodes(p)
	if kind == noCodes {
		return out
	}
	read := codeRead{b.same.Add(content), kind}
	if c, ok := b.read[read]; ok {
		return c.clone()
	}
	b.share(kind)
	defer func() { b.end = time.Time{} }()
	switch kind {
	case imageCodes:
		out.addImage(content, b, "")
	case pdfCodes:
		doc := b.pdfDoc(p, codeReading)
		objs := doc.objs
		drawn := map[int]*image.Gray{}
		for _, im := range pdfImages(objs, b) { // each drawn one took its share of b
			if im.skip != "" {
				out.Skipped = append(out.Skipped, im.skip)
			}
			if im.img != nil {
				drawn[im.num] = im.img
				out.search(im.img, b, fmt.Sprintf("PDF image object %d", im.num))
			}
		}
		drawings, inline, tiles := pdfVectorDrawings(doc, b.startBy())
		objs = doc.withObjStms()
		for _, d := range drawings {
			out.addGray(d.img, b, fmt.Sprintf("PDF page object %d drawing", d.page))
		}
		for _, in := range inline {
			im, _ := drawPDFImage(objs, in.o, fmt.Sprintf("PDF page object %d inline image", in.page), b)
			if im.skip != "" {
				out.Skipped = append(out.Skipped, im.skip)
			}
			if im.img != nil {
				out.search(im.img, b, fmt.Sprintf("PDF page object %d inline image", in.page))
			}
		}
		out.addPDFTiles(objs, tiles, drawn, b)
	case htmlCodes:
		h := content[:min(len(content), MaxScanSize)]
		drawn := 0
		out.addDrawn(drawnCodes(htmlTableCodes(h)), b, "HTML table", &drawn)
		out.addDrawn(htmlBlockCodes(h), b, "block-character drawing", &drawn)
		out.addDrawn(svgCodes(h), b, "SVG drawing", &drawn)
		out.addDrawn(boxCodes(h), b, "CSS box grid", &drawn)
		out.addLayouts(h, b)
	case textCodes:
		drawn := 0
		out.addDrawn(textBlockCodes(content[:min(len(content), MaxScanSize)]), b, "block-character drawing", &drawn)
	}
	c := collector{seen: map[string]bool{}, hosts: map[string]string{}}
	for _, t := range out.Texts {
		c.codeText(t)
	}
	out.URLs = c.out
	if b.read == nil {
		b.read = map[codeRead]Codes{}
	}
	b.read[read] = out.clone()
	return out
}

// codeText adds the URLs in a decoded text: a code holding just a URL (in
// any case: QR's compact alphanumeric mode is upper case), or URLs inside a
// vCard, a calendar entry or a sentence.
func (c *collector) codeText(t string) {
	s := strings.TrimSpace(t)
	if strings.HasPrefix(strings.ToUpper(s), "URLTO:") { // an old convention of Japanese phones
		s = strings.TrimSpace(s[len("URLTO:"):])
	}
	if u := Parse(s); u.Host != "" && !strings.ContainsAny(s, " \t\r\n") {
		c.add(s, "", SourceQR)
		return
	}
	c.text([]byte(t), SourceQR)
}

func (out *Codes) addImage(b []byte, budget *CodeBudget, what string) {
	cfg, format, err := imageConfig(b)
	if err != nil {
		if errors.Is(err, errJPEGKindUnread) {
			// A whole header of a kind neither reads (arithmetic coding,
			// lossless, 12-bit): libjpeg may show it. Junk is no image.
			out.Skipped = append(out.Skipped, "jpeg image not searched for codes: "+err.Error())
		}
		return // not an image Go reads: nothing to search, and not our finding to make
	}
	if what == "" {
		what = format + " image"
	}
	if why := overPixels(format, cfg.Width, cfg.Height); why != "" {
		out.Skipped = append(out.Skipped, what+" "+why)
		return
	}
	if cfg.Width < minCodeSide || cfg.Height < minCodeSide || int64(len(b)) > maxCodeBytes {
		return
	}
	if why := budget.take(); why != "" {
		out.Skipped = append(out.Skipped, what+" not searched for codes: "+why)
		return
	}
	g, _, why := decodeGray(b, format, cfg.Width, cfg.Height, budget.stopBy(codeDeadline))
	if why != "" {
		out.Skipped = append(out.Skipped, what+" "+why)
	}
	if g != nil && format == "jpeg" && mirrored(jpegluma.Orientation(b)) {
		mirror(g) // as shown: then the code reads as the reader's phone reads it
	}
	if g != nil {
		n := len(out.Texts)
		out.search(g, budget, what)
		if format == "gif" && len(out.Texts) == n {
			out.gifFrameCodes(b, budget, what)
		}
	}
}

// errJPEGKindUnread is a whole JPEG header of a kind neither jpegluma nor
// image/jpeg reads (arithmetic coding, lossless, 12-bit).
var errJPEGKindUnread = errors.New("neither jpegluma nor image/jpeg reads its header")

// imageConfig is image.DecodeConfig, and jpegluma's reading of a JPEG
// header image/jpeg refuses and libjpeg reads (a TEM or DAC marker,
// components sharing an identifier). When neither reads it, err wraps
// errJPEGKindUnread if jpegluma found a header of a kind it does not read.
func imageConfig(b []byte) (image.Config, string, error) {
	cfg, format, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		w, h, lerr := jpegluma.Config(b)
		switch {
		case lerr == nil:
			return image.Config{Width: w, Height: h}, "jpeg", nil
		case errors.Is(lerr, jpegluma.ErrUnsupported):
			err = fmt.Errorf("%w (%v)", errJPEGKindUnread, err)
		}
	}
	return cfg, format, err
}

// search reads the codes in g, noting when the message's time for reading
// codes ran out before g was read in every way.
func (out *Codes) search(g *image.Gray, budget *CodeBudget, what string) {
	var short bool
	if out.Texts, short = appendCodes(out.Texts, g, budget); short {
		out.Skipped = append(out.Skipped, what+" not fully searched for codes: "+codeTimeSpent)
	}
}

// overPixels says why a w×h image of format is too large to search, ""
// when it is not: a JPEG may be as large as jpegluma reads at a reduced
// scale; another image is decoded whole, so its bound is MaxCodePixels.
func overPixels(format string, w, h int) string {
	limit := int64(MaxCodePixels)
	if format == "jpeg" {
		limit = MaxCodeJPEGPixels
	}
	if int64(w)*int64(h) > limit {
		return fmt.Sprintf("of %dx%d pixels not searched for codes: over %d megapixels", w, h, limit/1_000_000)
	}
	return ""
}

// decodeGray is the image in b as the search reads it (toGray's plane), nil
// when it does not decode. A JPEG is decoded by jpegluma (libjpeg-turbo), luma only and at
// the largest scale 1/s that keeps at least the resolution toGray gives:
// toGray averages k×k pixels into one, so s is the largest power of two up
// to k (jpegluma scales by 1, 2, 4 or 8), and the plane at 1/s is averaged
// down by the rest, k/s, to toGray's very size (w/k × h/k). When k/s is not
// a whole number (k = 3: s = 2, and each pixel is the mean of 1.5×1.5 of
// the half-scale plane), the means are weighted by overlap. What jpegluma
// does not read (CMYK, 12-bit...), and a JPEG libjpeg finds corrupt before
// it shows any of it, goes to image/jpeg as before, unless it is larger
// than image/jpeg may decode whole (MaxCodePixels): then skipped says why;
// a progressive JPEG over jpegluma's memory bound is noted. scale is the s
// used, 0 for image.Decode.
func decodeGray(b []byte, format string, w, h int, deadline time.Time) (g *image.Gray, scale int, skipped string) {
	var lumaErr error
	if format == "jpeg" {
		k := workScale(w, h)
		s := 1
		for s*2 <= min(k, 8) {
			s *= 2
		}
		y, err := safeLuma(b, s, deadline)
		lumaErr = err
		if err == nil {
			if k == s && y.Rect.Min == (image.Point{}) && y.Stride == y.Rect.Dx() {
				return y, s, "" // what shrinkPlane would copy it into, pixel for pixel
			}
			if k%s == 0 {
				return shrinkPlane(plane{y.Pix, y.Stride}, y.Rect.Dx(), y.Rect.Dy(), k/s), s, ""
			}
			return shrinkArea(y, w/k, h/k, k, s), s, ""
		}
		if errors.Is(err, jpegluma.ErrTooMuchMemory) {
			return nil, 0, fmt.Sprintf("of %dx%d pixels not searched for codes: %s", w, h, strings.TrimPrefix(err.Error(), "jpegluma: "))
		}
		if why := overPixels("", w, h); why != "" {
			return nil, 0, why + " (a JPEG libjpeg does not read, too large to decode whole)"
		}
	}
	// A decode stopped by the message's time for codes, or none left for
	// image/jpeg's (it cannot be stopped): noted, not searched.
	if errors.Is(lumaErr, jpegluma.ErrDeadline) || !deadline.IsZero() && time.Now().After(deadline) {
		return nil, 0, "not fully searched for codes: " + codeTimeSpent
	}
	if errors.Is(lumaErr, jpegluma.ErrTooManyScans) {
		// libjpeg shows it; image/jpeg would spend a pass over the
		// picture on each scan, so neither decodes it: noted.
		return nil, 0, "not searched for codes: " + lumaErr.Error()
	}
	img, err := safeDecode(b)
	if err != nil {
		if format == "jpeg" {
			// Neither reads it (a header libjpeg refuses, CMYK
			// image/jpeg finds damaged): say it went unread.
			return nil, 0, "not searched for codes: neither jpegluma nor image/jpeg reads it (" + err.Error() + ")"
		}
		return nil, 0, ""
	}
	return toGray(img), 0, ""
}

// safeLuma is jpegluma.Decode, with a panic made an error like safeDecode's.
func safeLuma(b []byte, scale int, deadline time.Time) (g *image.Gray, err error) {
	defer func() {
		if r := recover(); r != nil {
			g, err = nil, fmt.Errorf("urls: jpegluma panic: %v", r)
		}
	}()
	g, err = jpegluma.DecodeBy(b, scale, MaxCodeJPEGPixels, deadline)
	if err != nil && !errors.Is(err, jpegluma.ErrUnsupported) && !errors.Is(err, jpegluma.ErrDeadline) && !errors.Is(err, jpegluma.ErrTooManyScans) && !errors.Is(err, jpegluma.ErrTooMuchMemory) {
		err = fmt.Errorf("urls: %w (image/jpeg tries it)", err)
	}
	return g, err
}

// shrinkArea averages g down to w×h pixels, each the mean of the (k/s)²
// pixels of g it covers, those on its border weighted by how much of them
// it covers (k/s is between 1 and 2: at most three of g's pixels a side).
// The weights are a product of a row's and a column's, so each row of g is
// summed across once (at most three pixels of it for each pixel out, kept
// while the rows out that cover it are made) and those sums down: the same
// whole numbers as summing each pixel's window, in a few operations a pixel
// (a 12-megapixel photograph is read this way, at k = 3 from its half-scale
// plane).
func shrinkArea(g *image.Gray, w, h, k, s int) *image.Gray {
	// In units of 1/s of g's pixels (one pixel of the full image), output
	// pixel x covers [x·k, x·k+k) and g's pixel j covers [j·s, j·s+s).
	type tap struct{ j, w int }
	taps := func(x, n int) (t [3]tap) {
		lo, hi := x*k, x*k+k
		for i, j := 0, lo/s; j*s < hi && i < 3; i, j = i+1, j+1 {
			t[i] = tap{min(j, n-1), min(hi, j*s+s) - max(lo, j*s)}
		}
		return t
	}
	gw, gh := g.Rect.Dx(), g.Rect.Dy()
	// Each pixel out's three taps across: its first pixel of g and the
	// weights of it and the next two (a weight 0 where there is no third;
	// the index stays inside the row, clamped as taps clamps it).
	type across struct {
		j          int32
		d1, d2     int32 // the second and third taps' offsets from j (0 at the edge)
		w0, w1, w2 int32
	}
	xs := make([]across, w)
	for x := range xs {
		t := taps(x, gw)
		xs[x] = across{int32(t[0].j), int32(t[1].j - t[0].j), int32(t[2].j - t[0].j), int32(t[0].w), int32(t[1].w), int32(t[2].w)}
		if t[1].w == 0 {
			xs[x].d1 = 0
		}
		if t[2].w == 0 {
			xs[x].d2 = 0
		}
	}
	// The sums across of the rows of g the current row out covers, by row
	// (at most three rows a row out; the next row out starts at or after
	// the last of them, so three slots suffice).
	var sums [3][]int32
	var sumRow [3]int
	for i := range sums {
		sums[i], sumRow[i] = make([]int32, w), -1
	}
	across1 := func(j int) []int32 {
		i := j % 3
		if sumRow[i] == j {
			return sums[i]
		}
		src, dst := g.Pix[j*g.Stride:j*g.Stride+gw], sums[i]
		for x, a := range xs {
			p := src[a.j:]
			dst[x] = a.w0*int32(p[0]) + a.w1*int32(p[a.d1]) + a.w2*int32(p[a.d2])
		}
		sumRow[i] = j
		return dst
	}
	acc := make([]int32, w)
	out := image.NewGray(image.Rect(0, 0, w, h))
	kk, half := int32(k*k), int32(k*k/2)
	for y := 0; y < h; y++ {
		clear(acc)
		for _, a := range taps(y, gh) {
			if a.w == 0 {
				continue
			}
			wy := int32(a.w)
			for x, v := range across1(a.j) {
				acc[x] += wy * v
			}
		}
		row := out.Pix[y*out.Stride : y*out.Stride+w]
		if k == 3 { // the usual photograph's: a division by a constant
			for x, v := range acc {
				row[x] = uint8((uint32(v) + 4) / 9)
			}
			continue
		}
		for x, v := range acc {
			row[x] = uint8((v + half) / kk)
		}
	}
	return out
}

// addDrawn searches the drawn codes ds, what and a number naming each,
// while *drawn, the part's drawings searched so far, is under
// maxCodeTables; each in its ways until one reads.
func (out *Codes) addDrawn(ds []drawnCode, budget *CodeBudget, what string, drawn *int) {
	for i, d := range ds {
		if *drawn >= maxCodeTables {
			return
		}
		*drawn++
		for _, g := range d {
			n := len(out.Texts)
			out.addGray(g, budget, fmt.Sprintf("%s %d", what, i+1))
			if len(out.Texts) > n {
				break
			}
		}
	}
}

func (out *Codes) addGray(g *image.Gray, budget *CodeBudget, what string) {
	if why := budget.take(); why != "" {
		out.Skipped = append(out.Skipped, what+" not searched for codes: "+why)
		return
	}
	out.search(g, budget, what)
}

// safeDecode is image.Decode, with a panic in a decoder made an error.
func safeDecode(b []byte) (img image.Image, err error) {
	defer func() {
		if r := recover(); r != nil {
			img, err = nil, fmt.Errorf("urls: image decoder panic: %v", r)
		}
	}()
	img, _, err = image.Decode(bytes.NewReader(b))
	return img, err
}

// codeImages are the image types the code reader decodes.
var codeImages = map[string]bool{filetype.PNG: true, filetype.JPEG: true, filetype.GIF: true, filetype.BMP: true, filetype.WEBP: true}

// isCodeImage says whether p is an image the code reader decodes, by its
// bytes (filetype.Detect, which the part's DetectedType is).
func isCodeImage(p *message.Part) bool {
	t := p.DetectedType
	if t == "" {
		t = filetype.Detect(p.Content)
	}
	return codeImages[t]
}

// toGray is img in shades of grey (transparent pixels over white, as a mail
// client shows them), scaled down to about codeWorkArea pixels.
func toGray(img image.Image) *image.Gray {
	r := img.Bounds()
	w, h := r.Dx(), r.Dy()
	k := workScale(w, h)
	if y, ok := lumaPlane(img); ok { // JPEG and grey images: the luma is there already
		return shrinkPlane(y, w, h, k)
	}
	g := image.NewGray(image.Rect(0, 0, w/k, h/k))
	if row := lumaRows(img); row != nil {
		// k rows of lumas at a time, then their means: what the loop
		// below gives, without a call through color.Color (and an
		// allocation) per pixel.
		buf := make([]uint8, k*w)
		for y := 0; y < h/k; y++ {
			for dy := 0; dy < k; dy++ {
				row(r.Min.Y+y*k+dy, buf[dy*w:(dy+1)*w])
			}
			out := g.Pix[y*g.Stride : y*g.Stride+w/k]
			for x := range out {
				sum := 0
				for dy := 0; dy < k; dy++ {
					for _, v := range buf[dy*w+x*k : dy*w+x*k+k] {
						sum += int(v)
					}
				}
				out[x] = uint8(sum / (k * k))
			}
		}
		return g
	}
	for y := 0; y < h/k; y++ {
		for x := 0; x < w/k; x++ {
			sum := 0
			for dy := 0; dy < k; dy++ {
				for dx := 0; dx < k; dx++ {
					sum += lumaOver(img.At(r.Min.X+x*k+dx, r.Min.Y+y*k+dy))
				}
			}
			g.Pix[y*g.Stride+x] = uint8(sum / (k * k))
		}
	}
	return g
}

// lumaRows is a function writing the lumaOver of row y of img (in its
// coordinates) into out, for the kinds PNG and GIF decode to (RGBA, NRGBA,
// paletted) and the GIF frames composed on an RGBA canvas; nil for others.
func lumaRows(img image.Image) func(y int, out []uint8) {
	switch m := img.(type) {
	case *image.RGBA:
		return func(y int, out []uint8) {
			p := m.Pix[m.PixOffset(m.Rect.Min.X, y):]
			for x := range out {
				c := color.RGBA{p[4*x], p[4*x+1], p[4*x+2], p[4*x+3]}
				out[x] = uint8(lumaOf(c.RGBA()))
			}
		}
	case *image.NRGBA:
		return func(y int, out []uint8) {
			p := m.Pix[m.PixOffset(m.Rect.Min.X, y):]
			for x := range out {
				c := color.NRGBA{p[4*x], p[4*x+1], p[4*x+2], p[4*x+3]}
				out[x] = uint8(lumaOf(c.RGBA()))
			}
		}
	case *image.Paletted:
		var level [256]uint8 // each index's luma; one past the palette is white
		for i := range level {
			level[i] = 255
			if i < len(m.Palette) {
				level[i] = uint8(lumaOver(m.Palette[i]))
			}
		}
		return func(y int, out []uint8) {
			p := m.Pix[m.PixOffset(m.Rect.Min.X, y):]
			for x := range out {
				out[x] = level[p[x]]
			}
		}
	}
	return nil
}

// workScale is k, the factor toGray averages an image of w×h pixels down
// by: the smallest with (w/k)×(h/k) within codeWorkArea.
func workScale(w, h int) int {
	k := 1
	for (w/k)*(h/k) > codeWorkArea {
		k++
	}
	return k
}

// shrinkPlane averages the w×h luma plane y down by k: each pixel of the
// (w/k)×(h/k) result is the mean of k×k pixels.
func shrinkPlane(y plane, w, h, k int) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w/k, h/k))
	for yy := 0; yy < h/k; yy++ {
		out := g.Pix[yy*g.Stride : yy*g.Stride+w/k]
		switch k {
		case 1:
			copy(out, y.pix[yy*y.stride:])
		case 2: // most photographs: the same sums, without the general loop's overhead
			r0, r1 := y.pix[2*yy*y.stride:], y.pix[(2*yy+1)*y.stride:]
			for x := range out {
				out[x] = uint8((int(r0[2*x]) + int(r0[2*x+1]) + int(r1[2*x]) + int(r1[2*x+1])) / 4)
			}
		default:
			for x := range out {
				sum := 0
				for dy := 0; dy < k; dy++ {
					row := y.pix[(yy*k+dy)*y.stride:]
					for dx := 0; dx < k; dx++ {
						sum += int(row[x*k+dx])
					}
				}
				out[x] = uint8(sum / (k * k))
			}
		}
	}
	return g
}

type plane struct {
	pix    []byte
	stride int
}

// lumaPlane is the luma of a YCbCr (JPEG) or grey image, from its first
// pixel; ok is false for other images.
func lumaPlane(img image.Image) (plane, bool) {
	switch m := img.(type) {
	case *image.YCbCr:
		return plane{m.Y[m.YOffset(m.Rect.Min.X, m.Rect.Min.Y):], m.YStride}, true
	case *image.Gray:
		return plane{m.Pix[m.PixOffset(m.Rect.Min.X, m.Rect.Min.Y):], m.Stride}, true
	}
	return plane{}, false
}

// lumaOver is the grey level of c drawn over white.
func lumaOver(c color.Color) int {
	return lumaOf(c.RGBA())
}

// lumaOf is the grey level of a colour as color.Color's RGBA gives it
// (premultiplied, 16 bits) drawn over white.
func lumaOf(r, g, b, a uint32) int {
	white := 0xffff - a
	y := (19595*(r+white) + 38470*(g+white) + 7471*(b+white) + 1<<15) >> 24
	return int(min(y, 255))
}

// appendCodes decodes the codes in g: as it is, then with its contrast
// stretched, enlarged when small, and the light-on-dark codes of the
// stretched and enlarged images (phones read those too). Each image is
// binarized once for both polarities (codePlane). It stops at the first
// reading that finds something. Each reading also looks for Data Matrix and
// Aztec codes away from the centre (offCentreCodes). short says the
// message's time for reading codes ran out before every reading was tried.
func appendCodes(texts []string, g *image.Gray, budget *CodeBudget) (_ []string, short bool) {
	type tried struct {
		im       *image.Gray
		inverted bool
	}
	var st, big *image.Gray
	planes, done := map[*image.Gray]*codePlane{}, map[tried]bool{}
	stretched := func() *image.Gray { // once: several tries start from it
		if st == nil {
			// The first try gathered g's block statistics, which hold its
			// range of grey: no second pass over its pixels to find it.
			if lo, hi, ok := planes[g].levels(g); ok {
				st = stretchRange(g, lo, hi)
			} else {
				st = stretch(g)
			}
		}
		return st
	}
	enlarged := func() *image.Gray {
		if b := g.Bounds(); big == nil && max(b.Dx(), b.Dy()) < codeMinScale {
			big = enlarge(stretched(), 3)
		}
		return big
	}
	tries := []struct {
		image    func() *image.Gray
		inverted bool
	}{
		{func() *image.Gray { return g }, false},
		{stretched, false}, // stretch gives g back when its contrast is full
		{enlarged, false},
		{stretched, true},
		{enlarged, true},
	}
	for _, try := range tries {
		if time.Now().After(budget.stopBy(codeDeadline)) {
			return texts, true
		}
		im := try.image()
		if im == nil || done[tried{im, try.inverted}] {
			continue
		}
		done[tried{im, try.inverted}] = true
		p := planes[im]
		if p == nil {
			var err error
			if p, err = newCodePlane(im); err != nil {
				continue
			}
			planes[im] = p
		}
		found, missed, stopped := decodeCodes(p.bitmap(try.inverted), budget.stopBy(codeDeadline))
		if m, err := p.blackMatrix(try.inverted); err == nil && !stopped {
			if len(found) == 0 && len(missed) > 0 { // a code's corners, unread: dots with gaps?
				found = rescueTriples(m, missed, budget.stopBy(codeDeadline))
			}
			found = append(found, offCentreCodes(m, found)...)
		}
		if len(found) > 0 || stopped {
			for _, t := range found {
				if len(texts) >= maxCodeTexts {
					break
				}
				texts = append(texts, cut(t, maxCodeText))
			}
			return texts, stopped
		}
	}
	return texts, false
}

// codeHints are the readers' hints: read-only, shared by every search.
var codeHints = map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true}

// decodeCodes runs the QR (several per image: gozxing's QRCodeMultiReader
// with our finder, decodeQR), Data Matrix and Aztec readers. short says the
// QR search stopped at deadline (what it read by then is in out): a
// picture can hold enough finder patterns to keep it busy for minutes.
// missed are the QR triples that did not read (decodeQR).
func decodeCodes(bmp *gozxing.BinaryBitmap, deadline time.Time) (out []string, missed []*detector.FinderPatternInfo, short bool) {
	defer func() {
		if recover() != nil { // a reader bug on hostile pixels is no code, not a crash
			out, missed, short = nil, nil, false
		}
	}()
	if m, err := bmp.GetBlackMatrix(); err == nil {
		out, missed, short = decodeQR(m, deadline)
	}
	if len(out) > 0 || short {
		return out, missed, short
	}
	for _, rd := range []gozxing.Reader{datamatrix.NewDataMatrixReader(), aztecReader{}} {
		if r, err := rd.Decode(bmp, codeHints); err == nil {
			out = append(out, r.GetText())
		}
	}
	return out, missed, false
}

// stretch spreads g's grey levels over the full range (a code printed grey
// on grey); g itself when they already are.
func stretch(g *image.Gray) *image.Gray {
	lo, hi := uint8(255), uint8(0)
	for rest := g.Pix; len(rest) > 0; {
		// A chunk at a time, the test after each: it stays true once true.
		chunk := rest[:min(len(rest), 1024)]
		rest = rest[len(chunk):]
		// Eight pixels at a time, byte by byte without a branch (a
		// comparison per pixel is one taken at random on a photograph),
		// then across the bytes; the odd pixels at the end one by one.
		wlo, whi := ^uint64(0), uint64(0)
		for len(chunk) >= 8 {
			v := binary.LittleEndian.Uint64(chunk)
			wlo, _ = byteMinMax(wlo, v)
			_, whi = byteMinMax(whi, v)
			chunk = chunk[8:]
		}
		for _, k := range [3]int{32, 16, 8} {
			wlo, _ = byteMinMax(wlo, bits.RotateLeft64(wlo, k))
			_, whi = byteMinMax(whi, bits.RotateLeft64(whi, k))
		}
		lo, hi = min(lo, uint8(wlo)), max(hi, uint8(whi))
		for _, p := range chunk {
			lo, hi = min(lo, p), max(hi, p)
		}
		if lo < 40 && hi > 215 { // full contrast already, whatever follows (photos: within a few rows)
			return g
		}
	}
	return stretchRange(g, lo, hi)
}

// stretchRange is stretch of g whose grey levels range from lo to hi.
func stretchRange(g *image.Gray, lo, hi uint8) *image.Gray {
	if lo < 40 && hi > 215 || hi <= lo {
		return g
	}
	var level [256]uint8 // the stretched level of each grey level in the range
	for p := int(lo); p <= int(hi); p++ {
		level[p] = uint8((p - int(lo)) * 255 / int(hi-lo))
	}
	out := image.NewGray(g.Rect)
	for i, p := range g.Pix {
		out.Pix[i] = level[p]
	}
	return out
}

// enlarge scales g up k times, each pixel a k×k block, with a white margin.
func enlarge(g *image.Gray, k int) *image.Gray {
	b := g.Bounds()
	m := 8
	out := image.NewGray(image.Rect(0, 0, b.Dx()*k+2*m, b.Dy()*k+2*m))
	for i := range out.Pix {
		out.Pix[i] = 255
	}
	for y := 0; y < b.Dy(); y++ {
		first := out.Pix[(y*k+m)*out.Stride+m:][:b.Dx()*k]
		for x, p := range g.Pix[y*g.Stride : y*g.Stride+b.Dx()] {
			for i := range k {
				first[x*k+i] = p
			}
		}
		for i := 1; i < k; i++ { // the row's other k-1 copies
			copy(out.Pix[(y*k+i+m)*out.Stride+m:], first)
		}
	}
	return out
}
