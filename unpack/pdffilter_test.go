package unpack

import (
	"bytes"
	"compress/lzw"
	"io"
	"math/rand/v2"
	"strconv"
	"testing"

	tifflzw "golang.org/x/image/tiff/lzw"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

// The generator's LZW writer against two independent decoders: Go's own
// (EarlyChange 0) and x/image's TIFF decoder (EarlyChange 1).
func TestLZWWriterAgainstDecoders(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 2, 300, 5000, 70000} {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(rng.IntN(7)) + 'a' // repetitive enough to grow the table
			if i%3 == 0 {
				data[i] = byte(rng.IntN(256))
			}
		}
		for _, early := range []bool{false, true} {
			var r io.Reader
			if early {
				r = tifflzw.NewReader(bytes.NewReader(formats.LZW(data, true)), tifflzw.MSB, 8)
			} else {
				r = lzw.NewReader(bytes.NewReader(formats.LZW(data, false)), lzw.MSB, 8)
			}
			got, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(got, data) {
				t.Errorf("n=%d early=%v: %d bytes back (%v), want %d", n, early, len(got), err, n)
			}
		}
	}
}

// pdfEmbedding is a PDF whose embedded file "payload.bin" and whose page
// content are the same bytes, encoded as filter says.
func pdfEmbedding(filter string, encoded []byte, extra ...string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(p) 3 0 R] >> >> >>",
		"<< /Type /Pages /Kids [] /Count 0 >>",
		"<< /Type /Filespec /F (payload.bin) /EF << /F 4 0 R >> >>",
		formats.PDFStream("/Type /EmbeddedFile "+filter, encoded),
		formats.PDFStream(filter, encoded),
	}
	return formats.PDF(append(objs, extra...)...)
}

func TestPDFFilters(t *testing.T) {
	payload := []byte("app.launchURL('https://kensa.example/'); " + marker + " " + string(bytes.Repeat([]byte("abcabcabc"), 300)))
	tests := []struct {
		name, filter string
		encoded      []byte
		extra        []string
	}{
		{"none", "", payload, nil},
		{"Flate", "/Filter /FlateDecode", formats.Zlib(payload), nil},
		{"Flate, deflated", "/Filter /FlateDecode", formats.ZlibDeflated(payload), nil},
		{"abbreviated", "/Filter /Fl", formats.ZlibDeflated(payload), nil},
		{"#xx in the filter name", "/Filter /Fl#61teDecode", formats.ZlibDeflated(payload), nil},
		{"every letter escaped", "/Filter " + formats.EscapeName("FlateDecode"), formats.ZlibDeflated(payload), nil},
		{"#xx in the key", "/Filt#65r [/Fl#61teDecode]", formats.ZlibDeflated(payload), nil},
		{"PNG predictor", "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >>", formats.Zlib(formats.PNGUp(payload, 7)), nil},
		{"chain with parameters per filter", "/Filter [/ASCIIHexDecode /FlateDecode] /DecodeParms [null << /Predictor 12 /Columns 5 >>]",
			formats.ASCIIHex(formats.Zlib(formats.PNGUp(payload, 5))), nil},
		{"LZW", "/Filter /LZWDecode", formats.LZW(payload, true), nil},
		{"LZW, EarlyChange 0", "/Filter /LZWDecode /DecodeParms << /EarlyChange 0 >>", formats.LZW(payload, false), nil},
		{"ASCIIHex", "/Filter /ASCIIHexDecode", formats.ASCIIHex(payload), nil},
		{"ASCII85", "/Filter /ASCII85Decode", formats.ASCII85(payload), nil},
		{"ASCII85 without <~", "/Filter /A85", formats.ASCII85(payload)[2:], nil},
		{"RunLength", "/Filter /RunLengthDecode", formats.RunLength(payload), nil},
		{"ASCII85 then LZW", "/Filter [/A85 /LZW]", formats.ASCII85(formats.LZW(payload, true)), nil},
		{"filter by reference", "/Filter 6 0 R", formats.RunLength(payload), []string{"[/RunLengthDecode]"}},
		{"Identity crypt filter", "/Filter [/Crypt /Fl] /DecodeParms [<< /Name /Identity >> null]", formats.ZlibDeflated(payload), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mail("", "", "x.pdf", pdfEmbedding(tt.filter, tt.encoded, tt.extra...))
			expand(t, m, Options{})
			noProblems(t, m)
			if p := mustPart(t, m, "2/x.pdf/payload.bin"); !bytes.HasPrefix(p.Content, payload) || len(p.Content) > len(payload)+8 {
				t.Errorf("embedded file: %d bytes %q…, want the %d bytes of the payload", len(p.Content), truncateBytes(p.Content, 40), len(payload))
			}
			if p := mustPart(t, m, "2/x.pdf/streams"); !bytes.Contains(p.Content, payload) {
				t.Errorf("streams do not hold the payload:\n%s", dump(m))
			}
		})
	}
}

// A stream that cannot be decoded makes the PDF unscannable, by name.
func TestPDFUndecodable(t *testing.T) {
	tests := []struct {
		name, filter string
		encoded      []byte
		extra        []string
		reason       string
	}{
		{"unknown filter", "/Filter /KensaDecode", []byte("data"), nil, ReasonUnsupported},
		{"escaped unknown filter", "/Filter /Fl#61te", []byte("data"), nil, ReasonUnsupported},
		{"reference to nothing", "/Filter 9 0 R", []byte("data"), nil, ReasonUnsupported},
		{"broken Flate", "/Filter /FlateDecode", []byte("this is not deflate at all"), nil, ReasonCorrupt},
		{"bad hex", "/Filter /AHx", []byte("zz>"), nil, ReasonCorrupt},
		{"bad predictor", "/Filter /Fl /DecodeParms << /Predictor 12 /Columns 99999999 >>", formats.ZlibDeflated([]byte("x")), nil, ReasonCorrupt},
		{"encrypted", "/Filter /FlateDecode", formats.ZlibDeflated([]byte("x")), []string{"<< /Filter /Standard /V 2 /R 3 >>\nendobj\ntrailer\n<< /Encrypt 6 0 R >>"}, ReasonEncrypted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mail("", "", "x.pdf", pdfEmbedding(tt.filter, tt.encoded, tt.extra...))
			expand(t, m, Options{})
			mustProblem(t, m, tt.reason, "2")
		})
	}
}

// Object streams hold objects too: a file specification in one names the
// embedded file, and its text reaches the joined streams.
func TestPDFObjectStream(t *testing.T) {
	spec := "<< /Type /Filespec /F (invoice.js) /EF << /F 4 0 R >> >>"
	action := "<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
	objstm := "3 0 5 " + itoa(len(spec)+1) + " "
	objstm += spec + " " + action
	first := len("3 0 5 " + itoa(len(spec)+1) + " ")
	pdf := formats.PDF(
		"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>",
		"<< /Type /Pages /Kids [] /Count 0 >>",
		formats.PDFStream("/Type /ObjStm /N 2 /First "+itoa(first)+" /Filter /FlateDecode", formats.ZlibDeflated([]byte(objstm))),
		formats.PDFStream("/Type /EmbeddedFile /Filter /LZWDecode", formats.LZW([]byte("WScript.Shell"), true)),
	)
	m := mail("", "", "x.pdf", pdf)
	expand(t, m, Options{})
	noProblems(t, m)
	if p := mustPart(t, m, "2/x.pdf/invoice.js"); string(p.Content) != "WScript.Shell" {
		t.Errorf("invoice.js = %q", p.Content)
	}
	if p := mustPart(t, m, "2/x.pdf/streams"); !bytes.Contains(p.Content, []byte("/JavaScript")) {
		t.Errorf("object stream text missing from streams: %q", p.Content)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }
