package unpack

import (
	"bytes"
	"github.com/kensa-milter/kensa/pdfsyntax"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

const pdfCryptMarker = "app.alert('kensa pdfcrypt marker')"

// pdfCryptPlain is a PDF with a JavaScript action in a Flate stream and an
// embedded file, the input qpdf encrypts.
func pdfCryptPlain() []byte {
	return formats.PDF(
		"<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R /Names << /EmbeddedFiles << /Names [(a) 5 0 R] >> >> >>",
		"<< /Type /Pages /Kids [] /Count 0 /Annots [7 0 R] >>",
		"<< /S /JavaScript /JS 4 0 R /Next << /S /JavaScript /JS (app.launchURL\\(1\\)) >> >>",
		formats.PDFStream("/Filter /FlateDecode", formats.Zlib([]byte(pdfCryptMarker))),
		"<< /Type /Filespec /F (invoice.js) /UF (invoice.js) /EF << /F 6 0 R >> >>",
		formats.PDFStream("/Type /EmbeddedFile /Filter /FlateDecode", formats.Zlib([]byte("WScript.Shell kensa"))),
		"<< /Type /Annot /Subtype /Link /Rect [0 0 1 1] /A << /S /URI /URI (https://login.kensa-phish.example/x) >> >>",
	)
}

// qpdfEncrypt runs Debian's qpdf, the independent writer of encrypted PDFs.
func qpdfEncrypt(t *testing.T, in []byte, args ...string) []byte {
	t.Helper()
	qpdf, err := exec.LookPath("qpdf")
	if err != nil {
		t.Fatalf("qpdf not found (scripts/deps.sh test installs it): %v", err)
	}
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "in.pdf"), filepath.Join(dir, "out.pdf")
	if err := os.WriteFile(src, in, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := append(append([]string{}, args...), src, dst)
	if out, err := exec.Command(qpdf, cmd...).CombinedOutput(); err != nil {
		t.Fatalf("qpdf %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	b, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Permission-only PDFs (an empty user password) open the way every reader
// opens them: their streams reach the members and nothing is unscannable.
func TestPDFDecryptEmptyPassword(t *testing.T) {
	plain := pdfCryptPlain()
	cases := map[string][]string{
		"RC4-40 R2":           {"--allow-weak-crypto", "--encrypt", "", "owner", "40", "--"},
		"RC4-128 R3":          {"--allow-weak-crypto", "--encrypt", "", "owner", "128", "--use-aes=n", "--"},
		"AESV2 R4":            {"--encrypt", "", "owner", "128", "--use-aes=y", "--"},
		"AESV2 R4 no meta":    {"--encrypt", "", "owner", "128", "--use-aes=y", "--cleartext-metadata", "--"},
		"AESV3 R6":            {"--encrypt", "", "owner", "256", "--"},
		"AESV3 R6 objstreams": {"--object-streams=generate", "--encrypt", "", "owner", "256", "--"},
		"AESV2 R4 objstreams": {"--object-streams=generate", "--encrypt", "", "owner", "128", "--use-aes=y", "--"},
		"RC4-128 objstreams":  {"--allow-weak-crypto", "--object-streams=generate", "--encrypt", "", "owner", "128", "--use-aes=n", "--"},
		"AESV3 R5":            {"--allow-weak-crypto", "--encrypt", "", "owner", "256", "--force-R5", "--"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			enc := qpdfEncrypt(t, plain, args...)
			if !bytes.Contains(enc, []byte("/Encrypt")) || bytes.Contains(enc, []byte(pdfCryptMarker)) {
				t.Fatalf("qpdf did not encrypt")
			}
			m := mail("", "", "x.pdf", enc)
			expand(t, m, Options{})
			noProblems(t, m)
			if p := mustPart(t, m, "2"); p.Encrypted || p.UnlockedBy != "" {
				t.Errorf("Encrypted %v UnlockedBy %q", p.Encrypted, p.UnlockedBy)
			}
			if p := mustPart(t, m, "2/x.pdf/streams"); !bytes.Contains(p.Content, []byte(pdfCryptMarker)) {
				t.Errorf("the JavaScript stream was not decrypted: %q", truncateBytes(p.Content, 300))
			}
			// Strings (a link, a script) are decrypted into the joined text.
			for _, want := range []string{"https://login.kensa-phish.example/x", "app.launchURL"} {
				if p := mustPart(t, m, "2/x.pdf/streams"); !bytes.Contains(p.Content, []byte(want)) {
					t.Errorf("%s missing from the decrypted strings: %q", want, truncateBytes(p.Content, 2000))
				}
			}
			// The embedded file, named by its (decrypted) file specification.
			if p := mustPart(t, m, "2/x.pdf/invoice.js"); string(p.Content) != "WScript.Shell kensa" {
				t.Errorf("invoice.js = %q", p.Content)
			}
		})
	}
}

// A user password keeps a PDF shut (encrypted-archive) until the message
// offers it.
func TestPDFDecryptUserPassword(t *testing.T) {
	for name, args := range map[string][]string{
		"AESV2 R4": {"--encrypt", "secret-42", "owner", "128", "--use-aes=y", "--"},
		"AESV3 R6": {"--encrypt", "secret-42", "owner", "256", "--"},
	} {
		t.Run(name, func(t *testing.T) {
			enc := qpdfEncrypt(t, pdfCryptPlain(), args...)
			m := mail("", "Hello, the statement is attached.", "x.pdf", enc)
			expand(t, m, Options{})
			mustProblem(t, m, ReasonEncrypted, "2")
			if p := mustPart(t, m, "2"); !p.Encrypted {
				t.Error("not marked encrypted")
			}
			if p := part(m, "2/x.pdf/streams"); p != nil {
				t.Errorf("streams of a shut PDF: %q", truncateBytes(p.Content, 100))
			}

			m = mail("", "Hello, the statement is attached.\nPassword: secret-42\n", "x.pdf", enc)
			expand(t, m, Options{})
			noProblems(t, m)
			if p := mustPart(t, m, "2"); p.Encrypted || p.UnlockedBy != "body" || p.Password != "secret-42" {
				t.Errorf("Encrypted %v UnlockedBy %q Password %q", p.Encrypted, p.UnlockedBy, p.Password)
			}
			if p := mustPart(t, m, "2/x.pdf/streams"); !bytes.Contains(p.Content, []byte(pdfCryptMarker)) {
				t.Errorf("the JavaScript stream was not decrypted: %q", truncateBytes(p.Content, 300))
			}
		})
	}
}

// Handlers Kensa does not read stay encrypted-archive, with the reason.
func TestPDFDecryptUnsupported(t *testing.T) {
	for name, enc := range map[string]string{
		"public key": "<< /Filter /Adobe.PubSec /V 4 /R 4 >>",
		"V3":         "<< /Filter /Standard /V 3 /R 3 /O <00> /U <00> /P -4 >>",
		"short O":    "<< /Filter /Standard /V 2 /R 3 /O <00> /U <00> /P -4 >>",
		"bad CFM":    "<< /Filter /Standard /V 4 /R 4 /CF << /StdCF << /CFM /Kensa >> >> /StmF /StdCF /StrF /StdCF /O <00> /U <00> /P -4 >>",
	} {
		t.Run(name, func(t *testing.T) {
			pdf := bytes.Replace(pdfCryptPlain(), []byte("/Root 1 0 R"), []byte("/Root 1 0 R /Encrypt "+enc), 1)
			m := mail("", "", "x.pdf", pdf)
			expand(t, m, Options{})
			mustProblem(t, m, ReasonEncrypted, "2")
		})
	}
}

// qpdfSecurity returns the /Encrypt dictionary and first /ID (hex) of a
// permission-only AESV2 PDF written by qpdf.
func qpdfSecurity(t *testing.T) (dict []byte, idHex string) {
	t.Helper()
	enc := qpdfEncrypt(t, pdfCryptPlain(), "--object-streams=disable", "--encrypt", "", "owner", "128", "--use-aes=y", "--")
	ref := regexp.MustCompile(`/Encrypt (\d+) 0 R`).FindSubmatch(enc)
	ids := regexp.MustCompile(`/ID ?\[ ?<([0-9a-fA-F]+)> ?<[0-9a-fA-F]+> ?\]`).FindSubmatch(enc)
	if ref == nil || ids == nil {
		t.Fatalf("no /Encrypt reference or /ID in qpdf's output")
	}
	obj := regexp.MustCompile(`(?s)\n` + string(ref[1]) + ` 0 obj\s*(<<.*?>>)\s*endobj`).FindSubmatch(enc)
	if obj == nil {
		t.Fatalf("no encryption dictionary %s in qpdf's output", ref[1])
	}
	if s, err := pdfsyntax.ParseSecurity(obj[1], pdfsyntax.HexLoose(ids[1])); err != nil || s.Open("") == nil {
		t.Fatalf("the copied dictionary does not open with the empty password (%v)", err)
	}
	return obj[1], string(ids[1])
}

// A stream whose first filter is /Crypt with the Identity crypt filter is
// in clear inside an encrypted document (ISO 32000-1 7.4.10), as readers
// show it: decrypting it anyway would turn a script into noise for Kensa
// only. A /Crypt naming no crypt filter of the document is unsupported.
func TestPDFDecryptIdentityCryptFilter(t *testing.T) {
	dict, id := qpdfSecurity(t)
	build := func(name string) []byte {
		pdf := formats.PDF(
			"<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>",
			"<< /Type /Pages /Kids [] /Count 0 >>",
			"<< /S /JavaScript /JS 4 0 R >>",
			formats.PDFStream("/Filter [/Crypt /FlateDecode] /DecodeParms [<< /Type /CryptFilterDecodeParms"+name+" >> null]", formats.Zlib([]byte(pdfCryptMarker))),
			string(dict),
		)
		return bytes.Replace(pdf, []byte("/Root 1 0 R"), []byte("/Root 1 0 R /Encrypt 5 0 R /ID [<"+id+"> <"+id+">]"), 1)
	}
	for _, name := range []string{"", " /Name /Identity"} {
		m := mail("", "", "x.pdf", build(name))
		expand(t, m, Options{})
		noProblems(t, m)
		if p := mustPart(t, m, "2/x.pdf/streams"); !bytes.Contains(p.Content, []byte(pdfCryptMarker)) {
			t.Errorf("%q: the clear stream was decrypted into noise: %q", name, truncateBytes(p.Content, 300))
		}
	}
	m := mail("", "", "x.pdf", build(" /Name /KensaNoSuchFilter"))
	expand(t, m, Options{})
	mustProblem(t, m, ReasonUnsupported, "2")
}

// A decoy: a plain PDF (readers run its script as is) carrying a working
// empty-password /Encrypt dictionary and an /Encrypt entry that is not in
// the trailer startxref names. Decrypting would turn the script into noise
// for Kensa only; the PDF must stay unscannable instead.
func TestPDFDecryptDecoyEntry(t *testing.T) {
	dict, id := qpdfSecurity(t)
	decoy := formats.PDF(
		"<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>",
		"<< /Type /Pages /Kids [] /Count 0 >>",
		"<< /S /JavaScript /JS 4 0 R >>",
		formats.PDFStream("/Filter /FlateDecode", formats.Zlib([]byte(pdfCryptMarker))),
		string(dict),
		formats.PDFStream("", []byte("trailer\n<< /ID [<"+id+"> <"+id+">] /Encrypt 5 0 R >>")),
	)
	m := mail("", "", "x.pdf", decoy)
	expand(t, m, Options{})
	mustProblem(t, m, ReasonEncrypted, "2")
}
