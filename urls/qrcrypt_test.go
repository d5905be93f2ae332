package urls

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// cryptCodePDFs are the plain PDFs the encrypted ones are made of: a page
// image with a PNG predictor, a flat black image whose soft mask carries
// the code, and codes drawn with paths in a page content stream and in a
// form XObject.
func cryptCodePDFs() map[string][]byte {
	g := formats.QRImage(qrLure, 200)
	w := g.Rect.Dx()
	var pred bytes.Buffer
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
	page := func(extra ...string) []byte {
		return formats.PDF(append([]string{
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /Resources << /XObject << /Im1 4 0 R >> >> /MediaBox [0 0 300 300] /Contents 6 0 R >>",
		}, extra...)...)
	}
	img := fmt.Sprintf("/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", w, w)
	content := formats.PDFStream("", []byte("BT /F1 12 Tf 20 280 Td (Scan to keep your mailbox) Tj ET\nq 250 0 0 250 25 25 cm /Im1 Do Q\n"))
	mods := formats.QRModules(qrLure)
	return map[string][]byte{
		"image predictor": page(formats.PDFStream(img+fmt.Sprintf(" /DecodeParms << /Predictor 15 /Colors 1 /Columns %d >>", w), formats.ZlibDeflated(pred.Bytes())), "<< >>", content),
		"image smask": page(formats.PDFStream(img+" /SMask 5 0 R", formats.ZlibDeflated(bytes.Repeat([]byte{0}, w*w))),
			formats.PDFStream(img, formats.ZlibDeflated(invert(g).Pix)), content),
		"vector squares": formats.VectorCodePDF(mods, formats.VectorSquares, "Scan to keep your mailbox"),
		"vector form":    formats.VectorCodePDF(mods, formats.VectorForm, "Scan to keep your mailbox"),
	}
}

// TestCodesEncryptedPDF: a PDF encrypted with the empty user password
// opens in every reader without a question, so its codes are read as the
// plain PDF's are (the streams decrypted as unpack decrypts them, by
// pdfsyntax). One with a user password set gives nothing to read (unpack
// names it encrypted) and does not upset the search, unless unpack opened
// it with one of the message's passwords (message.Part.Password).
func TestCodesEncryptedPDF(t *testing.T) {
	longCodeTime(t)
	kinds := map[string]formats.PDFEncryption{"RC4-128": formats.PDFRC4128, "AES-256 R6": formats.PDFAES256R6}
	for name, plain := range cryptCodePDFs() {
		for kname, kind := range kinds {
			t.Run(name+"/"+kname, func(t *testing.T) {
				objs := formats.PDFObjectBodies(plain)
				open := formats.EncryptPDF(kind, "", objs...)
				if bytes.Contains(open, []byte("Scan to keep")) {
					t.Fatal("not encrypted")
				}
				hs, codes := codeHosts(&message.Part{Path: "2", DetectedType: "application/pdf", Content: open})
				if fmt.Sprint(hs) != "[login.rnicrosoft.com/qr]" || len(codes.Skipped) != 0 {
					t.Errorf("empty user password: got %v %q %q", hs, codes.Texts, codes.Skipped)
				}
				shut := formats.EncryptPDF(kind, "secret", objs...)
				if hs, codes := codeHosts(&message.Part{Path: "2", DetectedType: "application/pdf", Content: shut}); len(hs) != 0 || len(codes.Texts) != 0 {
					t.Errorf("user password set: read %v %q", hs, codes.Texts)
				}
				if hs, codes := codeHosts(&message.Part{Path: "2", DetectedType: "application/pdf", Content: shut, Password: "secret"}); fmt.Sprint(hs) != "[login.rnicrosoft.com/qr]" || len(codes.Skipped) != 0 {
					t.Errorf("opened with the message's password: got %v %q %q", hs, codes.Texts, codes.Skipped)
				}
				if hs, codes := codeHosts(&message.Part{Path: "2", DetectedType: "application/pdf", Content: shut, Password: "wrong"}); len(hs) != 0 || len(codes.Texts) != 0 {
					t.Errorf("a wrong password: read %v %q", hs, codes.Texts)
				}
			})
		}
	}
}

// TestCodesEncryptedPDFQpdf: the same with qpdf (scripts/deps.sh test), an
// independent writer, in each of its encryptions with an empty user
// password, object streams and all.
func TestCodesEncryptedPDFQpdf(t *testing.T) {
	longCodeTime(t)
	qpdf, err := exec.LookPath("qpdf")
	if err != nil {
		t.Fatalf("qpdf not found (scripts/deps.sh test installs it): %v", err)
	}
	modes := map[string][]string{
		"RC4-40":  {"--allow-weak-crypto", "--encrypt", "", "owner", "40", "--"},
		"RC4-128": {"--allow-weak-crypto", "--encrypt", "", "owner", "128", "--use-aes=n", "--"},
		"AES-128": {"--object-streams=generate", "--encrypt", "", "owner", "128", "--use-aes=y", "--"},
		"AES-256": {"--object-streams=generate", "--encrypt", "", "owner", "256", "--"},
	}
	plain := cryptCodePDFs()
	for _, name := range []string{"image smask", "vector form"} {
		for mode, args := range modes {
			t.Run(name+"/"+mode, func(t *testing.T) {
				dir := t.TempDir()
				in, out := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "out.pdf")
				if err := os.WriteFile(in, plain[name], 0o600); err != nil {
					t.Fatal(err)
				}
				if msg, err := exec.Command(qpdf, append(append([]string{}, args...), in, out)...).CombinedOutput(); err != nil {
					t.Fatalf("qpdf: %v\n%s", err, msg)
				}
				enc, err := os.ReadFile(out)
				if err != nil {
					t.Fatal(err)
				}
				if hs, codes := codeHosts(&message.Part{Path: "2", DetectedType: "application/pdf", Content: enc}); fmt.Sprint(hs) != "[login.rnicrosoft.com/qr]" {
					t.Errorf("got %v %q %q", hs, codes.Texts, codes.Skipped)
				}
			})
		}
	}
}

// TestCodesFilteredPDF: a page content stream, a form XObject or an image
// whose Flate data is wrapped in one more filter (ASCII85, ASCIIHex,
// RunLength, LZW, as every reader decodes them) is read as the plain one,
// encrypted too; the filters are unpack's (pdfsyntax).
func TestCodesFilteredPDF(t *testing.T) {
	longCodeTime(t)
	encodings := map[string]func([]byte) []byte{
		"ASCII85Decode":   formats.PDFASCII85,
		"ASCIIHexDecode":  formats.ASCIIHex,
		"RunLengthDecode": formats.RunLength,
		"LZWDecode":       func(b []byte) []byte { return formats.LZW(b, true) },
	}
	plain := cryptCodePDFs()
	targets := []struct {
		name string
		num  int // the stream the code is in
	}{{"vector squares", 4}, {"vector form", 5}, {"image predictor", 4}}
	for _, tg := range targets {
		for filter, encode := range encodings {
			t.Run(tg.name+"/"+filter, func(t *testing.T) {
				pdf := formats.WrapPDFStream(plain[tg.name], tg.num, filter, encode)
				if !bytes.Contains(pdf, []byte("/Filter [/"+filter+" /FlateDecode]")) {
					t.Fatal("not wrapped")
				}
				for _, doc := range [][]byte{pdf, formats.EncryptPDF(formats.PDFAES256R6, "", formats.PDFObjectBodies(pdf)...)} {
					hs, codes := codeHosts(&message.Part{Path: "2", DetectedType: "application/pdf", Content: doc})
					if fmt.Sprint(hs) != "[login.rnicrosoft.com/qr]" || len(codes.Skipped) != 0 {
						t.Errorf("got %v %q %q", hs, codes.Texts, codes.Skipped)
					}
				}
			})
		}
	}
}
