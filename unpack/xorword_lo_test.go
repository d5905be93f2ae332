package unpack

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	f "github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/internal/cryptkeys"
	"github.com/kensa-milter/kensa/internal/soffice"
)

// TestXORWordLibreOffice holds Word's XOR obfuscation, as the corpus writes
// it and unpack reads it, to LibreOffice: a Word 97 document LibreOffice
// wrote (with a DDEAUTO field), obfuscated by f.XORObfuscateWord, opens in
// LibreOffice with the password (odd and even lengths) and not with
// another, and unpack opens it with the password the message gives and
// finds the field.
func TestXORWordLibreOffice(t *testing.T) {
	dir := t.TempDir()
	docx := zipOf(t,
		entry{"[Content_Types].xml", []byte(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`)},
		entry{"_rels/.rels", []byte(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`)},
		entry{"word/document.xml", []byte(`<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>kensa-xor-marker </w:t></w:r>` +
			`<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DDEAUTO c:\\windows\\system32\\cmd.exe "/k notepad.exe" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>!</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p></w:body></w:document>`)})
	out, err := soffice.ConvertFiles(dir, "doc", map[string][]byte{"dde.docx": docx})
	if err != nil {
		t.Fatalf("LibreOffice: %v", err)
	}
	r, err := openCFB(out["dde.docx"])
	if err != nil {
		t.Fatal(err)
	}
	var entries []f.CFBEntry
	for {
		e, err := r.Next()
		if err != nil {
			break
		}
		if len(e.Path) > 0 || e.FileInfo().IsDir() {
			continue // the root's streams are the document
		}
		b, err := io.ReadAll(e)
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, f.CFBEntry{Name: e.Name, Parent: -1, Data: b})
	}
	docs := map[string]string{"xor-even.doc": "Xor-pw12", "xor-odd.doc": "Xor-pw7"}
	var jobs []soffice.CryptJob
	for name, pw := range docs {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, f.CFB(f.XORObfuscateWord(entries, pw)), 0o600); err != nil {
			t.Fatal(err)
		}
		jobs = append(jobs, soffice.CryptJob{Mode: "open", In: p, Password: pw, Out: p + ".txt", Filter: "Text"})
	}
	wrong := filepath.Join(dir, "xor-even.doc")
	jobs = append(jobs, soffice.CryptJob{Mode: "open", In: wrong, Password: "Xor-pw13", Out: wrong + ".wrong.txt", Filter: "Text"})
	log, _ := soffice.Crypt(dir, jobs...)
	for _, j := range jobs {
		line := strings.Join([]string{j.Mode, j.In, j.Password, j.Out, j.Filter}, "\t")
		ok := strings.Contains(log, "ok "+line+"\n")
		if strings.HasSuffix(j.Out, ".wrong.txt") {
			if ok {
				t.Errorf("LibreOffice opened %s with a wrong password", filepath.Base(j.In))
			}
			continue
		}
		b, _ := os.ReadFile(j.Out)
		if !ok || !strings.Contains(string(b), "kensa-xor-marker") {
			t.Errorf("LibreOffice opening %s with %q: text %q\n%s", filepath.Base(j.In), j.Password, b, log)
		}
	}
	for name, pw := range docs {
		b, _ := os.ReadFile(filepath.Join(dir, name))
		m := mail("x", "The password is "+pw+"\n", name, b)
		expand(t, m, Options{})
		if p := problem(m, ReasonEncryptedDoc); p != nil {
			t.Errorf("%s: %s", name, p.Detail)
		}
		found := false
		for _, p := range m.Parts {
			found = found || strings.HasSuffix(p.Path, "/decrypted/WordDocument") && strings.Contains(string(p.Content), string(cryptkeys.UTF16LE("DDEAUTO")))
		}
		if !found {
			t.Errorf("%s: no decrypted WordDocument holding DDEAUTO:\n%s", name, dump(m))
		}
		m = mail("x", "no password here", name, b)
		expand(t, m, Options{})
		if problem(m, ReasonEncryptedDoc) == nil {
			t.Errorf("%s opened without its password", name)
		}
	}
}
