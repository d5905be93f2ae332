package unpack

import (
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// Where a message gives the password of its encrypted attachment, each
// proven on archives the real tools make: Info-ZIP's zip -P (ZipCrypto),
// 7-Zip's AES-256 zip and 7z with encrypted names, and qpdf's AES-256 PDF.

// realEncrypted is an archive holding marker.txt (a PDF: an embedded
// file) under pw, made by a real tool; member is the member's path below
// the container.
func realEncrypted(t *testing.T, kind, pw string) (data []byte, member string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "marker.txt"), []byte(marker), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	var cmd *exec.Cmd
	switch kind {
	case "zip -P":
		cmd = exec.Command(toolNeeded(t, "zip"), "-q", "-P", pw, out, "marker.txt")
		out += ".zip"
	case "7zz zip AES-256":
		out += ".zip"
		cmd = exec.Command(toolNeeded(t, "7zz"), "a", "-bso0", "-tzip", "-mem=AES256", "-p"+pw, out, "marker.txt")
	case "7zz 7z -mhe=on":
		out += ".7z"
		cmd = exec.Command(toolNeeded(t, "7zz"), "a", "-bso0", "-t7z", "-mhe=on", "-p"+pw, out, "marker.txt")
	case "qpdf AES-256":
		pdf := formats.PDF(
			"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(marker.txt) 3 0 R] >> >> >>",
			"<< /Type /Pages /Kids [] /Count 0 >>",
			"<< /Type /Filespec /F (marker.txt) /UF (marker.txt) /EF << /F 4 0 R >> >>",
			formats.PDFStream("/Type /EmbeddedFile", []byte(marker)))
		return qpdfEncrypt(t, pdf, "--encrypt", pw, "owner-x", "256", "--"), "marker.txt"
	default:
		t.Fatalf("no tool for %s", kind)
	}
	cmd.Dir = dir
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", kind, err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b, "marker.txt"
}

// real7z is a 7z that 7-Zip (7zz) makes of entries.
func real7z(t *testing.T, entries ...entry) []byte {
	t.Helper()
	dir := t.TempDir()
	var names []string
	for _, e := range entries {
		f := filepath.Join(dir, "in", e.name)
		if err := os.MkdirAll(filepath.Dir(f), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, e.data, 0o600); err != nil {
			t.Fatal(err)
		}
		names = append(names, e.name)
	}
	cmd := exec.Command(toolNeeded(t, "7zz"), append([]string{"a", "-bso0", "-t7z", "../out.7z"}, names...)...)
	cmd.Dir = filepath.Join(dir, "in")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("7zz: %v\n%s", err, b)
	}
	b, err := os.ReadFile(filepath.Join(dir, "out.7z"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// parsed is raw mail read by message.Parse, as Kensa reads it.
func parsed(t *testing.T, raw string) *message.Message {
	t.Helper()
	m, err := message.Parse([]byte(strings.ReplaceAll(raw, "\n", "\r\n")))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// b64 is a base64 body folded at 76 characters.
func b64(b []byte) string {
	s := base64.StdEncoding.EncodeToString(b)
	var out strings.Builder
	for len(s) > 76 {
		out.WriteString(s[:76] + "\n")
		s = s[76:]
	}
	return out.String() + s + "\n"
}

// mixed is a multipart/mixed message of parts (each its headers, a blank
// line and its body).
func mixed(subject string, parts ...string) string {
	s := "From: a@example.com\nTo: b@example.org\nSubject: " + subject + "\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"B0\"\n\n"
	for _, p := range parts {
		s += "--B0\n" + p + "\n"
	}
	return s + "--B0--\n"
}

func textPart(ctype, body string) string {
	return "Content-Type: " + ctype + "; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n" + body
}

func filePart(name string, data []byte) string {
	return "Content-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"" + name + "\"\nContent-Transfer-Encoding: base64\n\n" + b64(data)
}

func docxWith(t *testing.T, text string) []byte {
	return zipOf(t,
		entry{"[Content_Types].xml", []byte(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`)},
		entry{"_rels/.rels", []byte(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`)},
		entry{"word/document.xml", []byte(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Access details</w:t></w:r></w:p><w:p><w:r><w:t>Pass</w:t></w:r><w:r><w:t xml:space="preserve">word: </w:t></w:r><w:r><w:t>` + text + `</w:t></w:r></w:p></w:body></w:document>`)})
}

func TestPasswordSources(t *testing.T) {
	const pw = "Zq4471x"
	type source struct {
		name string
		mail func(name string, archive []byte) string // the archive is attached as name
		from string                                   // UnlockedBy
	}
	hello := textPart("text/plain", "Please see the attached invoice.\n")
	// Archives that give the password, read by the walk only after the
	// locked one (retry.go): 7-Zip's own 7z (solid, LZMA2), a RAR 5, a 7z
	// in a zip attached before the locked archive.
	pw7z := real7z(t, entry{"docs/readme.md", []byte("Read me.\n")}, entry{"docs/password.txt", []byte("Password: " + pw + "\r\n")})
	name7z := real7z(t, entry{"pass_" + pw + ".txt", []byte("x")})
	pwRar := formats.RAR5(formats.File{Name: "readme.md", Data: []byte("Read me.\n")}, formats.File{Name: "password.txt", Data: []byte("Password: " + pw + "\r\n")})
	sources := []source{
		{"7z after the archive", func(n string, a []byte) string {
			return mixed("Invoice", hello, filePart(n, a), filePart("password.7z", pw7z))
		}, "attachment"},
		{"member name in a 7z after the archive", func(n string, a []byte) string {
			return mixed("Invoice", hello, filePart(n, a), filePart("info.7z", name7z))
		}, "filename"},
		{"rar after the archive", func(n string, a []byte) string {
			return mixed("Invoice", hello, filePart(n, a), filePart("password.rar", pwRar))
		}, "attachment"},
		{"7z in a zip before the archive", func(n string, a []byte) string {
			return mixed("Invoice", hello, filePart("info.zip", zipOf(t, entry{"info/password.7z", pw7z})), filePart(n, a))
		}, "attachment"},
		{"body", func(n string, a []byte) string {
			return mixed("Invoice", textPart("text/plain", "Hello,\nthe password is "+pw+"\n"), filePart(n, a))
		}, "body"},
		{"subject", func(n string, a []byte) string {
			return mixed("Invoice - PW: "+pw, hello, filePart(n, a))
		}, "subject"},
		{"file name", func(n string, a []byte) string {
			return mixed("Invoice", hello, filePart("Invoice_PW_"+pw+filepath.Ext(n), a))
		}, "filename"},
		{"file name in brackets", func(n string, a []byte) string {
			return mixed("Invoice", hello, filePart("doc (pass "+pw+")"+filepath.Ext(n), a))
		}, "filename"},
		{"password.txt", func(n string, a []byte) string {
			return mixed("Invoice", hello, filePart(n, a), filePart("password.txt", []byte("Password: "+pw+"\r\n")))
		}, "attachment"},
		{"html attachment", func(n string, a []byte) string {
			return mixed("Invoice", hello, filePart(n, a), filePart("access.htm", []byte(`<p>Pass<b>word</b>: <span>Zq44</span>71x</p>`)))
		}, "attachment"},
		{"docx after the archive", func(n string, a []byte) string {
			return mixed("Invoice", hello, filePart(n, a), filePart("access.docx", docxWith(t, pw)))
		}, "attachment"},
		{"pdf text", func(n string, a []byte) string {
			page := "BT /F1 12 Tf 72 700 Td (Access details) Tj 0 -20 Td (Password: " + pw + ") Tj ET"
			return mixed("Invoice", hello, filePart(n, a), filePart("access.pdf", formats.TextPDF([]string{page})))
		}, "attachment"},
		{"forwarded message", func(n string, a []byte) string {
			inner := "From: c@example.net\nSubject: archive\nContent-Type: text/plain\n\nHi,\nthe password is " + pw + "\n"
			return mixed("Fwd: archive", hello, "Content-Type: message/rfc822\n\n"+inner, filePart(n, a))
		}, "attachment"}, // an attached message is read as one: its text is an attachment's
		{"attached .eml", func(n string, a []byte) string {
			inner := "From: c@example.net\nSubject: archive\nContent-Type: text/plain\n\nHi,\nthe password is " + pw + "\n"
			return mixed("Fwd: archive", hello, filePart("original.eml", []byte(inner)), filePart(n, a))
		}, "attachment"},
		{"attached .eml subject", func(n string, a []byte) string {
			inner := "From: c@example.net\nSubject: Archive password: " + pw + "\nContent-Type: text/plain\n\nSee the archive.\n"
			return mixed("Fwd: archive", hello, filePart("original.eml", []byte(inner)), filePart(n, a))
		}, "attachment"},
		{"zip after the archive", func(n string, a []byte) string {
			return mixed("Invoice", hello, filePart(n, a), filePart("password.zip", formats.Zip(formats.ZipEntry{Name: "password.txt", Data: []byte("Password: " + pw + "\r\n")})))
		}, "attachment"}, // read before unpack opens it: the archive before it is tried once
		{"tar after the archive", func(n string, a []byte) string {
			return mixed("Invoice", hello, filePart(n, a), filePart("password.tar", tarOf(t, entry{"docs/readme.md", []byte("Read me.\n")}, entry{"docs/password.txt", []byte("Password: " + pw + "\r\n")})))
		}, "attachment"},
		{"member name in a tar after the archive", func(n string, a []byte) string {
			return mixed("Invoice", hello, filePart(n, a), filePart("info.tar", tarOf(t, entry{"pass_" + pw + ".txt", []byte("x")})))
		}, "filename"},
		{"member name in a zip after the archive", func(n string, a []byte) string {
			return mixed("Invoice", hello, filePart(n, a), filePart("info.zip", formats.Zip(formats.ZipEntry{Name: "pass_" + pw + ".txt"})))
		}, "filename"},
		{"encoded .eml subject after the archive", func(n string, a []byte) string {
			inner := "From: c@example.net\nSubject: =?UTF-8?B?" + base64.StdEncoding.EncodeToString([]byte("Пароль: "+pw)) + "?=\nContent-Type: text/plain\n\nСм. архив.\n"
			return mixed("Fwd: archive", hello, filePart(n, a), filePart("original.eml", []byte(inner)))
		}, "attachment"},
		{".eml in a zip after the archive", func(n string, a []byte) string {
			inner := "From: c@example.net\nSubject: =?UTF-8?Q?Archive_password=3A_" + pw + "?=\nContent-Type: text/plain\n\nSee the archive.\n"
			return mixed("Fwd: archive", hello, filePart(n, a), filePart("mail.zip", formats.Zip(formats.ZipEntry{Name: "original.eml", Data: []byte(inner)})))
		}, "attachment"},
		{"look-alike letters", func(n string, a []byte) string {
			return mixed("Invoice", textPart("text/plain", "Password: Zq4471\u0445\n"), filePart(n, a)) // Cyrillic х
		}, "body"},
		{"quoted reply", func(n string, a []byte) string {
			return mixed("Re: invoice", textPart("text/plain", "Thanks!\n\n> On Monday you wrote:\n> The password is: "+pw+"\n"), filePart(n, a))
		}, "body"},
		{"html split and hidden", func(n string, a []byte) string {
			return mixed("Invoice", textPart("text/html", `<p>Pass<span>wo</span>rd: Zq<span style="display:none">decoy</span>44<span>71x</span></p>`), filePart(n, a))
		}, "body"},
		{"html zero-width and full width", func(n string, a []byte) string {
			return mixed("Invoice", textPart("text/html", "<p>Pass\u200bword&#58; Ｚｑ４\u200b４７１ｘ</p>"), filePart(n, a))
		}, "body"},
		{"spaced out", func(n string, a []byte) string {
			return mixed("Invoice", textPart("text/plain", "The password is: Z q 4 4 7 1 x\n"), filePart(n, a))
		}, "body"},
		{"arrow", func(n string, a []byte) string {
			return mixed("Invoice", textPart("text/plain", "pw → "+pw+"\n"), filePart(n, a))
		}, "body"},
	}
	for _, kind := range []string{"zip -P", "7zz zip AES-256", "7zz 7z -mhe=on", "qpdf AES-256"} {
		archive, member := realEncrypted(t, kind, pw)
		ext := map[string]string{"zip -P": ".zip", "7zz zip AES-256": ".zip", "7zz 7z -mhe=on": ".7z", "qpdf AES-256": ".pdf"}[kind]
		for _, src := range sources {
			t.Run(kind+"/"+src.name, func(t *testing.T) {
				m := parsed(t, src.mail("invoice"+ext, archive))
				expand(t, m, Options{})
				var box *message.Part
				for _, p := range m.Parts {
					if p.Filename == "invoice"+ext || src.from == "filename" && p.Depth == 0 && strings.HasSuffix(p.Filename, ext) && strings.Contains(p.Filename, pw) {
						box = p
					}
				}
				if box == nil {
					t.Fatalf("no %s part:\n%s", ext, dump(m))
				}
				if box.UnlockedBy != src.from || box.Encrypted {
					t.Fatalf("UnlockedBy %q Encrypted %v, want %q; problems %+v\n%s", box.UnlockedBy, box.Encrypted, src.from, m.Problems, dump(m))
				}
				found := false
				for _, p := range m.Parts {
					if strings.HasPrefix(p.Path, box.Path+"/") && strings.HasSuffix(p.Path, "/"+member) && strings.Contains(string(p.Content), marker) {
						found = true
					}
				}
				if !found {
					t.Errorf("no decrypted %s:\n%s", member, dump(m))
				}
			})
		}
	}
}

// The honest twins: an archive whose password the mail does not give
// (a payroll system that sends it separately, a signature that speaks of
// passwords) stays encrypted, as before, whatever the mail says about
// passwords.
func TestPasswordHonestTwins(t *testing.T) {
	archive, _ := realEncrypted(t, "zip -P", "Sx-99871-payroll")
	sig := "\n-- \nIT Service Desk\nWe will never ask for your password. Forgot your password? Use https://id.example.com/reset\nPIN resets: call ext. 4400\n"
	for name, raw := range map[string]string{
		"payroll": mixed("Your payslip for December", textPart("text/plain", "Dear employee,\n\nyour payslip is attached as an encrypted archive.\nThe password was sent to you separately by text message.\n"+sig),
			filePart("payslip_2026-12.zip", archive)),
		"password policy file name": mixed("Password policy", textPart("text/plain", "Attached is the new password policy.\n"+sig),
			filePart("PW_policy_2026.zip", archive)),
	} {
		t.Run(name, func(t *testing.T) {
			m := parsed(t, raw)
			expand(t, m, Options{})
			mustProblem(t, m, ReasonEncrypted, "2")
			if p := m.Parts[1]; p.UnlockedBy != "" || !p.Encrypted {
				t.Errorf("UnlockedBy %q Encrypted %v, want a locked archive", p.UnlockedBy, p.Encrypted)
			}
		})
	}
}

// Decoys do not open the archive, and what a message offers is bounded:
// the archive stays encrypted (unscannable), never clean.
func TestPasswordCandidatesBounded(t *testing.T) {
	var body, html strings.Builder
	for i := 0; i < 200; i++ {
		fmt.Fprintf(&body, "password: decoy%03d\n", i)
		fmt.Fprintf(&html, `<p style="display:none">Password: hidden%03d</p>`, i)
	}
	parts := []string{textPart("text/plain", body.String()), textPart("text/html", html.String())}
	for i := 0; i < 50; i++ {
		parts = append(parts, filePart(fmt.Sprintf("PW_%03d.txt", i), []byte(fmt.Sprintf("pass: att%03d", i))))
	}
	parts = append(parts, filePart("x.zip", encryptedZip(t, "right-one", 0, entry{"a.txt", []byte(marker)})))
	m := parsed(t, mixed("PW: subj", parts...))
	w := newWalker(t.Context(), m, Limits{}.withDefaults(), []string{"configured"})
	if got := w.candidates(); len(got) != maxCandidates {
		t.Errorf("%d candidates, want the cap %d", len(got), maxCandidates)
	}
	expand(t, m, Options{})
	mustProblem(t, m, ReasonEncrypted, fmt.Sprint(len(parts)))
	if p := problem(m, ReasonEncrypted); !strings.Contains(p.Detail, "20 password tries") {
		t.Errorf("detail %q, want 20 password tries", p.Detail)
	}
}

// A page's passwords are the ones its reader sees: decoys a style sheet
// hides (ahead of the real one, to use up the tries) are none, and a
// password shown by the page's rules still opens the archive.
func TestPasswordsShownByThePage(t *testing.T) {
	var decoys strings.Builder
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&decoys, `<p class="pw">Password: decoy%03d</p>`, i)
	}
	for name, page := range map[string]string{
		"decoys hidden by a class": `<style>.pw{display:none}</style>` + decoys.String() + `<p>Password: right-one</p>`,
		"decoys hidden by a rule of their parent": `<style>div.x > p{font-size:0}</style><div class=x>` + decoys.String() +
			`</div><table><tr><td>Password:</td><td>right-one</td></tr></table>`,
	} {
		t.Run(name, func(t *testing.T) {
			m := parsed(t, mixed("Invoice", textPart("text/html", page), filePart("x.zip", encryptedZip(t, "right-one", 0, entry{"a.txt", []byte(marker)}))))
			w := newWalker(t.Context(), m, Limits{}.withDefaults(), nil)
			for _, c := range w.candidates() {
				if strings.HasPrefix(c.text, "decoy") {
					t.Errorf("hidden decoy %q is a candidate", c.text)
				}
			}
			expand(t, m, Options{})
			if p := m.Parts[1]; p.UnlockedBy != "body" {
				t.Errorf("UnlockedBy %q, want body", p.UnlockedBy)
			}
		})
	}
}
