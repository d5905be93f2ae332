package unpack

import (
	"archive/zip"
	"bytes"
	"io"
	"strings"
	"testing"

	f "github.com/kensa-milter/kensa/internal/corpus/formats"
)

const odtType = "application/vnd.oasis.opendocument.text"

func odtContent(text string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3"><office:body><office:text><text:p>` + text + `</text:p></office:text></office:body></office:document-content>`)
}

// odtEncrypted is an OpenDocument text holding text, encrypted with pw by
// our writer (LibreOffice opens it: TestEncryptedOfficeLibreOffice).
func odtEncrypted(pw, text string) []byte {
	return f.EncryptedODF(odtType, pw, 100000, f.ZipEntry{Name: "content.xml", Data: odtContent(text)},
		f.ZipEntry{Name: "styles.xml", Data: []byte(`<?xml version="1.0" encoding="UTF-8"?><office:document-styles xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:version="1.3"/>`)})
}

// odtMacro is an OpenDocument text whose load event runs a Basic macro that
// starts notepad, unencrypted.
func odtMacro() []byte {
	head := `<?xml version="1.0" encoding="UTF-8"?>`
	content := head + `<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:script="urn:oasis:names:tc:opendocument:xmlns:script:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:dom="http://www.w3.org/2001/xml-events" xmlns:ooo="http://openoffice.org/2004/office" office:version="1.3">` +
		`<office:scripts><office:event-listeners><script:event-listener script:language="ooo:script" script:event-name="dom:load" xlink:href="vnd.sun.star.script:Standard.Module1.Startup?language=Basic&amp;location=document" xlink:type="simple"/></office:event-listeners></office:scripts>` +
		`<office:body><office:text><text:p>Invoice</text:p></office:text></office:body></office:document-content>`
	manifest := head + `<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">` +
		`<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="` + odtType + `"/>` +
		`<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>` +
		`<manifest:file-entry manifest:full-path="Basic/Standard/Module1.xml" manifest:media-type="text/xml"/>` +
		`<manifest:file-entry manifest:full-path="Basic/Standard/script-lb.xml" manifest:media-type="text/xml"/>` +
		`<manifest:file-entry manifest:full-path="Basic/script-lc.xml" manifest:media-type="text/xml"/></manifest:manifest>`
	return f.Zip(
		f.ZipEntry{Name: "mimetype", Data: []byte(odtType)},
		f.ZipEntry{Name: "content.xml", Data: []byte(content)},
		f.ZipEntry{Name: "Basic/Standard/script-lb.xml", Data: []byte(head + `<library:library xmlns:library="http://openoffice.org/2000/library" library:name="Standard" library:readonly="false" library:passwordprotected="false"><library:element library:name="Module1"/></library:library>`)},
		f.ZipEntry{Name: "Basic/Standard/Module1.xml", Data: []byte(head + `<script:module xmlns:script="http://openoffice.org/2000/script" script:name="Module1" script:language="StarBasic" script:moduleType="normal">Sub Startup` + "\n" + `  Shell(&quot;notepad.exe&quot;)` + "\n" + `End Sub` + "\n" + `</script:module>`)},
		f.ZipEntry{Name: "Basic/script-lc.xml", Data: []byte(head + `<library:libraries xmlns:library="http://openoffice.org/2000/library" xmlns:xlink="http://www.w3.org/1999/xlink"><library:library library:name="Standard" library:link="false"/></library:libraries>`)},
		f.ZipEntry{Name: "META-INF/manifest.xml", Data: []byte(manifest)})
}

func TestEncryptedODF(t *testing.T) {
	doc := odtEncrypted("Qx-odf-77", "kensa-odt-marker")
	t.Run("opened", func(t *testing.T) {
		m := mail("", "Hallo,\ndas Passwort lautet: Qx-odf-77\n", "x.odt", doc)
		expand(t, m, Options{})
		noProblems(t, m)
		if m.Parts[1].UnlockedBy != "body" {
			t.Errorf("UnlockedBy = %q", m.Parts[1].UnlockedBy)
		}
		if p := mustPart(t, m, "2/x.odt/content.xml"); !strings.Contains(string(p.Content), "kensa-odt-marker") || p.Encrypted {
			t.Errorf("content.xml %q Encrypted=%v", p.Content, p.Encrypted)
		}
		if p := mustPart(t, m, "2/x.odt/styles.xml"); !strings.Contains(string(p.Content), "document-styles") {
			t.Errorf("styles.xml %q", p.Content)
		}
	})
	t.Run("locked", func(t *testing.T) {
		m := mail("", "Password: wrong-one", "x.odt", doc)
		expand(t, m, Options{})
		mustProblem(t, m, ReasonEncryptedDoc, "2")
		for _, name := range []string{"2/x.odt/content.xml", "2/x.odt/styles.xml"} {
			if p := mustPart(t, m, name); !p.Encrypted || p.Content != nil {
				t.Errorf("%s: Encrypted=%v content %q", name, p.Encrypted, p.Content)
			}
		}
	})
	// The iteration count is the sender's: one beyond what a message may
	// spend is not tried, and the document stays encrypted-document.
	t.Run("iterations refused", func(t *testing.T) {
		big := manifestEdit(t, doc, `iteration-count="100000"`, `iteration-count="99999999"`)
		m := mail("", "Password: Qx-odf-77", "x.odt", big)
		expand(t, m, Options{})
		if p := problem(m, ReasonEncryptedDoc); p == nil || !strings.Contains(p.Detail, "iterations") {
			t.Fatalf("problem %+v, want encrypted-document naming the iterations", p)
		}
	})
	t.Run("unknown algorithm", func(t *testing.T) {
		gcm := manifestEdit(t, doc, "xmlenc#aes256-cbc", "xmlenc11#aes256-gcm")
		m := mail("", "Password: Qx-odf-77", "x.odt", gcm)
		expand(t, m, Options{})
		if p := problem(m, ReasonEncryptedDoc); p == nil || !strings.Contains(p.Detail, "aes256-gcm") {
			t.Fatalf("problem %+v, want encrypted-document naming the algorithm", p)
		}
	})
}

// manifestEdit is an ODF package with old replaced by new in its manifest.
func manifestEdit(t *testing.T, doc []byte, old, new string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(doc), int64(len(doc)))
	if err != nil {
		t.Fatal(err)
	}
	var out []f.ZipEntry
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		if err != nil {
			t.Fatal(err)
		}
		if zf.Name == "META-INF/manifest.xml" {
			b = []byte(strings.ReplaceAll(string(b), old, new))
		}
		out = append(out, f.ZipEntry{Name: zf.Name, Data: b})
	}
	return f.Zip(out...)
}
