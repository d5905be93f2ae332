package urls

import (
	"bytes"
	"fmt"
	"image"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/kensa-milter/kensa/pdfsyntax"
)

// PDF image XObjects, drawn in grey for the code readers: DCT (JPEG) and
// Flate streams with PNG predictors, 1 to 8 bits per component, image masks,
// and soft masks (SMask), which can carry the whole picture of a code whose
// colour is one flat black.

// maxPDFImages bounds the image objects read from one PDF.
const maxPDFImages = 32

type pdfImage struct {
	num  int
	img  *image.Gray
	skip string // why it was not drawn, for the report; "" when drawn or silently unreadable
}

type pdfObj struct {
	dict     map[string]string
	raw      []byte // the object's text before any stream (a dictionary, an array...)
	data     []byte // stream bytes, nil for none
	inflated []byte // what unpack inflated data to, when pdfStreamBytes would give the same (pdfsyntax.Inflated)
}

// pdfImages draws the image objects of the PDF objs that are no one's soft
// mask, each spending one image of budget before it is drawn: drawing is
// what costs (a few hundred bytes of JPEG may claim 100 megapixels), so a
// message of many PDFs stops drawing when its budget is spent.
func pdfImages(objs map[int]pdfObj, budget *CodeBudget) []pdfImage {
	masks := map[int]bool{}
	for _, o := range objs {
		if v, ok := o.dict["SMask"]; ok {
			if n, ok := pdfRef(v); ok {
				masks[n] = true
			}
		}
	}
	var out []pdfImage
	// In object order, for stable output.
	nums := make([]int, 0, len(objs))
	for n := range objs {
		nums = append(nums, n)
	}
	slices.Sort(nums)
	for _, n := range nums {
		o := objs[n]
		if o.data == nil || o.dict["Subtype"] != "/Image" || masks[n] {
			continue
		}
		if len(out) >= maxPDFImages {
			break
		}
		if im, ok := drawPDFImage(objs, o, fmt.Sprintf("PDF image object %d", n), budget); ok {
			im.num = n
			out = append(out, im)
		}
	}
	return out
}

// drawPDFImage draws one image, an object or an inline image (what names
// it in notes), after its size and the budget allow it; ok is false for
// one too small to hold a code or that does not draw.
func drawPDFImage(objs map[int]pdfObj, o pdfObj, what string, budget *CodeBudget) (_ pdfImage, ok bool) {
	w, _ := strconv.Atoi(o.dict["Width"])
	h, _ := strconv.Atoi(o.dict["Height"])
	if w < minCodeSide || h < minCodeSide {
		return pdfImage{}, false
	}
	// A JPEG says its own size, whatever the dictionary says.
	jw, jh, isJPEG := pdfJPEGSize(o)
	format := ""
	if isJPEG {
		format = "jpeg"
	}
	if why := overPixels(format, w, h); why != "" {
		return pdfImage{skip: what + " " + why}, true
	}
	if why := overPixels(format, jw, jh); isJPEG && why != "" {
		return pdfImage{skip: fmt.Sprintf("%s %s (its JPEG's own size)", what, why)}, true
	}
	if why := budget.take(); why != "" {
		return pdfImage{skip: what + " not searched for codes: " + why}, true
	}
	g, why := pdfPicture(objs, o, w, h, budget.stopBy(codeDeadline))
	im := pdfImage{img: g}
	if why != "" {
		im.skip = what + " " + why
	}
	return im, g != nil || why != ""
}

// pdfPicture draws the image o, w×h pixels by its dictionary, with its
// soft mask laid over white; nil when it does not draw, and skipped says
// why when that is worth a note.
func pdfPicture(objs map[int]pdfObj, o pdfObj, w, h int, deadline time.Time) (g *image.Gray, skipped string) {
	g, skipped = pdfDraw(o, w, h, deadline)
	if g == nil {
		return nil, skipped
	}
	if sn, ok := pdfRef(o.dict["SMask"]); ok {
		if m, ok := objs[sn]; ok && m.data != nil {
			if a, _ := pdfDraw(m, w, h, deadline); a != nil && a.Rect == g.Rect {
				for i, p := range g.Pix { // over white
					g.Pix[i] = uint8(255 - int(a.Pix[i])*(255-int(p))/255)
				}
			}
		}
	}
	return g, skipped
}

// pdfJPEGSize is the size in the header of o's JPEG, when o is one.
func pdfJPEGSize(o pdfObj) (w, h int, ok bool) {
	if f := pdfFilters(o.dict["Filter"]); len(f) != 1 || f[0] != "/DCTDecode" && f[0] != "/DCT" {
		return 0, 0, false
	}
	cfg, format, err := imageConfig(o.data)
	return cfg.Width, cfg.Height, err == nil && format == "jpeg"
}

// pictureFilters are the filters pdfDraw reads itself.
var pictureFilters = map[string]bool{"/FlateDecode": true, "/Fl": true, "/DCTDecode": true, "/DCT": true}

// maxPDFJPEG bounds the JPEG bytes decoded from a text encoding.
const maxPDFJPEG = 32 << 20

// pdfDraw decodes one image stream into w×h grey pixels; nil when it
// cannot, and skipped says why when the reason is worth a note.
func pdfDraw(o pdfObj, w, h int, deadline time.Time) (g *image.Gray, skipped string) {
	filters := pdfFilters(o.dict["Filter"])
	data := o.data
	predicted := false
	if slices.ContainsFunc(filters, func(f string) bool { return !pictureFilters[f] }) {
		// Other encodings (ASCIIHex, ASCII85, LZW, RunLength) in front:
		// pdfsyntax decodes up to the JPEG, if any, predictors and all.
		specs, err := pdfsyntax.Filters(PDFUnescape(o.raw), nil)
		if err != nil {
			return nil, ""
		}
		n := len(specs)
		if n > 0 && specs[n-1].Name == "DCTDecode" {
			n--
		}
		limit := w*h*4 + h + 1024
		filters = nil
		if n < len(specs) {
			limit, filters = maxPDFJPEG, []string{"/DCTDecode"}
		}
		if data = pdfDecode(specs[:n], data, limit); data == nil {
			return nil, ""
		}
		predicted = true
	} // Flate and DCT are read here:
	for i, f := range filters {
		switch f {
		case "/FlateDecode", "/Fl":
			bpc, _ := strconv.Atoi(o.dict["BitsPerComponent"])
			limit := int64(w)*int64(h)*4 + int64(h) + 1024 // 4 bytes a pixel, a predictor byte a row
			if bpc > 8 {
				return nil, ""
			}
			d, ok := pdfsyntax.Inflate(data, int(limit)) // a truncated stream still draws its top
			if !ok {
				return nil, ""
			}
			data = d
		case "/DCTDecode", "/DCT":
			if i != len(filters)-1 {
				return nil, ""
			}
			// The scale and the bound follow the JPEG's own header (the
			// dictionary may lie): image/jpeg would allocate whatever it says.
			cfg, format, err := imageConfig(data)
			if err != nil {
				return nil, ""
			}
			if why := overPixels(format, cfg.Width, cfg.Height); why != "" {
				return nil, why
			}
			g, _, why := decodeGray(data, format, cfg.Width, cfg.Height, deadline)
			return g, why // maybe scaled down: then no soft mask is laid over it
		default:
			return nil, "" // JPX, JBIG2, CCITT: not read
		}
	}
	bpc, _ := strconv.Atoi(o.dict["BitsPerComponent"])
	if o.dict["ImageMask"] == "true" {
		bpc = 1
	}
	if bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 {
		return nil, ""
	}
	// Components: from the colour space when it says, else from the size.
	comps := 0
	switch o.dict["ColorSpace"] {
	case "/DeviceGray", "/G", "/CalGray":
		comps = 1
	case "/DeviceRGB", "/RGB", "/CalRGB":
		comps = 3
	case "/DeviceCMYK", "/CMYK":
		comps = 4
	}
	if o.dict["ImageMask"] == "true" || o.dict["ColorSpace"] == "" {
		comps = 1
	}
	params := pdfKeys([]byte(o.dict["DecodeParms"]))
	pred, _ := strconv.Atoi(params["Predictor"])
	perRow := 0
	if pred >= 10 {
		perRow = 1 // the PNG filter type byte
	}
	guess := func(c int) int { return ((w*c*bpc+7)/8 + perRow) * h }
	if comps == 0 {
		for _, c := range []int{1, 3, 4} {
			if len(data) >= guess(c) && len(data) < guess(c+1) {
				comps = c
			}
		}
		if comps == 0 {
			comps = 1
		}
	}
	rowBytes := (w*comps*bpc + 7) / 8
	if pred > 1 && !predicted {
		r, err := pdfsyntax.Unpredict(bytes.NewReader(data), pred, comps, bpc, w)
		if err != nil {
			return nil, ""
		}
		data, _ = io.ReadAll(io.LimitReader(r, int64(rowBytes)*int64(h))) // a short stream still draws its top
	}
	if len(data) < rowBytes*h {
		// Capacity cut: unfiltered data is the PDF's own bytes, which
		// appending in place would overwrite.
		data = append(data[:len(data):len(data)], make([]byte, rowBytes*h-len(data))...)
	}
	g = image.NewGray(image.Rect(0, 0, w, h))
	maxV := (1 << bpc) - 1
	invertDecode := o.dict["Decode"] != "" && bytes.HasPrefix(bytes.TrimLeft([]byte(o.dict["Decode"]), "[ "), []byte("1"))
	for y := 0; y < h; y++ {
		row := data[y*rowBytes : (y+1)*rowBytes]
		for x := 0; x < w; x++ {
			sum := 0
			for c := 0; c < comps; c++ {
				bit := (x*comps + c) * bpc
				v := int(row[bit/8]>>(8-bpc-bit%8)) & maxV
				sum += v * 255 / maxV
			}
			v := sum / comps
			if comps == 4 { // CMYK: ink, not light
				v = 255 - v
			}
			if invertDecode {
				v = 255 - v
			}
			g.Pix[y*g.Stride+x] = uint8(v)
		}
	}
	return g, ""
}

// pdfFilters lists a /Filter value: one name or an array of them.
func pdfFilters(v string) []string {
	var out []string
	b := []byte(v)
	for i := 0; i < len(b) && len(out) < 8; i++ {
		if b[i] == '/' {
			name, end := PDFNameBytes(b, i, nil)
			out = append(out, "/"+string(name))
			i = end - 1
		}
	}
	return out
}

// pdfRef reads "12 0 R".
func pdfRef(v string) (int, bool) {
	f := strings.Fields(v)
	if len(f) != 3 || f[2] != "R" || !allDigits(f[1]) {
		return 0, false
	}
	n, err := strconv.Atoi(f[0])
	return n, err == nil
}

// pdfObjectsByNum reads the objects of b (pdfsyntax.Objects): the keys
// of each top-level dictionary and the stream bytes, cut at /Length when
// that is a number that fits. A later object of the same number (an
// incremental update) replaces the earlier one, as readers do. An
// encrypted PDF is opened as unpack opens it, with the empty user
// password every reader tries first (pdfsyntax.Crypt), then with password,
// the one of the message's that opened it in unpack (message.Part.Password);
// its streams are decrypted. One that stays shut gives no objects: unpack
// names it encrypted, and there is nothing here to read.
func pdfObjectsByNum(b []byte, password string) map[int]pdfObj {
	return pdfObjectsInflated(b, password, nil)
}

// pdfObjectsInflated is pdfObjectsByNum, a stream unpack inflated coming
// with what it inflated to (inflated, when unpack read b as this does).
func pdfObjectsInflated(b []byte, password string, inflated *pdfsyntax.Inflated) map[int]pdfObj {
	objs := map[int]pdfObj{}
	listed := pdfsyntax.Objects(b, maxPDFObjectsRead)
	dict, id, found, why := pdfsyntax.FindEncrypt(b, listed)
	crypt, shut := pdfOpen(dict, id, found, why, password)
	if shut {
		return objs
	}
	inflated = inflated.For(b, found, dict, id)
	for _, po := range listed {
		o := pdfObj{dict: pdfKeys(po.Dict), raw: po.Dict}
		if po.HasStream {
			o.data = po.Full
			if crypt != nil {
				plain, ok := crypt.Stream(po.Num, po.Gen, PDFUnescape(po.Dict), po.Data, po.Full)
				if !ok {
					continue // a /Crypt filter the document does not define
				}
				o.data = plain
			} else if l, err := strconv.Atoi(o.dict["Length"]); err == nil && l >= 0 && l <= len(o.data) {
				o.data = o.data[:l]
			}
			o.inflated, _ = inflated.Stream(po.Full, o.data)
		}
		objs[po.Num] = o
	}
	return objs
}

// pdfOpen returns the decryptor of an encrypted PDF (FindEncrypt's
// answer) opened with the empty user password or password; nil for a
// plain one; shut when it is encrypted and opens with neither.
func pdfOpen(dict, id []byte, found bool, why, password string) (crypt *pdfsyntax.Crypt, shut bool) {
	if !found {
		return nil, false
	}
	if why != "" {
		return nil, true
	}
	s, err := pdfsyntax.ParseSecurity(dict, id)
	if err != nil {
		return nil, true
	}
	crypt = s.Open("")
	if crypt == nil && password != "" {
		crypt = s.Open(password)
	}
	return crypt, crypt == nil
}

// maxPDFObjectsRead bounds the objects read.
const maxPDFObjectsRead = 16384

// pdfKeys reads the top-level keys of the first dictionary in b: names
// decoded ("/Im#61ge" is "/Image"), values as written (a name, a number,
// a reference, an array or a nested dictionary).
func pdfKeys(b []byte) map[string]string {
	m := map[string]string{}
	i := bytes.Index(b, []byte("<<"))
	if i < 0 {
		return m
	}
	i += 2
	var buf [maxPDFName + 8]byte
	for n := 0; i < len(b) && n < 256; n++ {
		for i < len(b) && pdfsyntax.Space(b[i]) {
			i++
		}
		if i >= len(b) || b[i] == '>' {
			break
		}
		if b[i] != '/' {
			i++
			continue
		}
		name, end := PDFNameBytes(b, i, buf[:0])
		key := string(name)
		i = end
		for i < len(b) && pdfsyntax.Space(b[i]) {
			i++
		}
		if i >= len(b) {
			break
		}
		start := i
		switch {
		case b[i] == '/':
			v, e := PDFNameBytes(b, i, buf[:0])
			m[key] = "/" + string(v)
			i = e
			continue
		case b[i] == '[':
			i = pdfSkipNested(b, i, '[', ']')
		case bytes.HasPrefix(b[i:], []byte("<<")):
			i = pdfSkipNested(b, i, '<', '>')
		case b[i] == '(': // skipped whole: decoding would stop at MaxLength, inside it
			i = pdfsyntax.LiteralEnd(b, i)
		case b[i] == '<':
			i = pdfsyntax.HexEnd(b, i)
		default: // numbers, references, true/false
			words := 0
			for i < len(b) && words < 3 {
				for i < len(b) && !pdfsyntax.Space(b[i]) && !pdfsyntax.Delimiter(b[i]) {
					i++
				}
				words++
				k := i
				for k < len(b) && pdfsyntax.Space(b[k]) {
					k++
				}
				if words < 3 && k < len(b) && (b[k] >= '0' && b[k] <= '9' || b[k] == 'R') {
					i = k
					continue
				}
				break
			}
		}
		m[key] = string(bytes.TrimSpace(b[start:min(i, len(b))]))
	}
	return m
}

// pdfSkipNested returns the index after the bracket that closes the one
// at b[i]: "[" with "]", "<<" with ">>".
func pdfSkipNested(b []byte, i int, open, close byte) int {
	o, c := []byte{open}, []byte{close}
	if open == '<' {
		o, c = []byte("<<"), []byte(">>")
	}
	depth := 0
	for i < len(b) {
		switch {
		case bytes.HasPrefix(b[i:], o):
			depth++
			i += len(o)
		case bytes.HasPrefix(b[i:], c):
			depth--
			i += len(c)
			if depth <= 0 {
				return i
			}
		default:
			i++
		}
	}
	return i
}
