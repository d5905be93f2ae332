package unpack

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/internal/soffice"
)

var officeXMLVBA = formats.VBAProject(formats.VBAModule{Name: "ThisDocument", Source: "Attribute VB_Name = \"ThisDocument\"\r\nSub AutoOpen()\r\n    MsgBox \"kensa test\"\r\nEnd Sub\r\n"})

func flatOPC() []byte {
	return formats.FlatOPC(
		formats.FlatOPCPart{Name: "/word/document.xml", ContentType: "application/vnd.ms-word.document.macroEnabled.main+xml",
			XML: `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Invoice &amp; more</w:t></w:r></w:p></w:body></w:document>`},
		formats.FlatOPCPart{Name: "/word/vbaProject.bin", ContentType: "application/vnd.ms-office.vbaProject", Data: officeXMLVBA},
	)
}

// A Flat OPC and a Word 2003 XML document are read as the documents they
// are: their parts are members, the VBA project opened to its source.
func TestOfficeXML(t *testing.T) {
	for name, doc := range map[string][]byte{"flat.xml": flatOPC(), "w2003.doc": formats.Word2003XML("Invoice", officeXMLVBA)} {
		t.Run(name, func(t *testing.T) {
			m := mail("", "", name, doc)
			expand(t, m, Options{})
			noProblems(t, m)
			project := "2/" + name + "/word/vbaProject.bin"
			if name == "w2003.doc" {
				project = "2/" + name + "/editdata.mso/editdata.bin"
			}
			if p := mustPart(t, m, project); !bytes.Equal(p.Content, officeXMLVBA) {
				t.Errorf("VBA project: %d bytes, want %d", len(p.Content), len(officeXMLVBA))
			}
			if p := mustPart(t, m, project+"/vba/ThisDocument"); !strings.Contains(string(p.Content), "Sub AutoOpen()") {
				t.Errorf("module: %q", p.Content)
			}
			if name == "flat.xml" {
				if p := mustPart(t, m, "2/flat.xml/word/document.xml"); !strings.HasPrefix(string(p.Content), "<w:document") || !strings.HasSuffix(string(p.Content), "</w:document>") {
					t.Errorf("document.xml: %q", p.Content)
				}
			}
		})
	}
	t.Run("base64 split by a comment and a CDATA section", func(t *testing.T) {
		enc := base64.StdEncoding.EncodeToString(formats.ActiveMime(officeXMLVBA))
		doc := bytes.Replace(formats.Word2003XML("x", officeXMLVBA), []byte(enc), []byte(enc[:40]+"<!-- x -->"+enc[40:80]+"<![CDATA["+enc[80:120]+"]]>"+enc[120:]), 1)
		m := mail("", "", "w.doc", doc)
		expand(t, m, Options{})
		noProblems(t, m)
		mustPart(t, m, "2/w.doc/editdata.mso/editdata.bin/vba/ThisDocument")
	})
	t.Run("no XML declaration", func(t *testing.T) {
		doc := formats.Word2003XML("x", officeXMLVBA)
		doc = doc[bytes.Index(doc, []byte("<w:wordDocument")):]
		m := mail("", "", "w.doc", doc)
		expand(t, m, Options{})
		mustPart(t, m, "2/w.doc/editdata.mso/editdata.bin/vba/ThisDocument")
	})
	t.Run("XML that is no Office document", func(t *testing.T) {
		m := mail("", "", "feed.xml", []byte(`<?xml version="1.0"?><rss><channel><title>aGVsbG8=</title></channel></rss>`))
		expand(t, m, Options{})
		if len(m.Parts) != 2 {
			t.Errorf("opened:\n%s", dump(m))
		}
	})
	t.Run("ActiveMime that does not inflate", func(t *testing.T) {
		bad := formats.ActiveMime(officeXMLVBA)
		bad = append(bad[:0x33:0x33], 0xFF, 0xFF, 0xFF)
		m := mail("", "", "w.xml", formats.Word2003XML("x", nil))
		m.Parts[1].Content = bytes.Replace(m.Parts[1].Content, []byte(`<w:binData w:name="editdata.mso">`), []byte(`<w:binData w:name="editdata.mso">`+base64.StdEncoding.EncodeToString(bad)+`</w:binData><w:binData w:name="x">`), 1)
		expand(t, m, Options{})
		mustProblem(t, m, ReasonCorrupt, "2/w.xml/editdata.mso")
	})
}

// LibreOffice, an independent reader of both formats, opens them as the
// Word documents they are (it does not run their macros): the text Kensa
// reads in the part is the text LibreOffice shows.
func TestOfficeXMLAsLibreOfficeOpensIt(t *testing.T) {
	out, err := soffice.ConvertFiles(t.TempDir(), "txt:Text", map[string][]byte{"flat.xml": flatOPC(), "w2003.xml": formats.Word2003XML("Invoice", officeXMLVBA)})
	if err != nil {
		t.Fatal(err)
	}
	for name, txt := range out {
		if !strings.Contains(string(txt), "Invoice") {
			t.Errorf("%s: LibreOffice shows %q, not the document's text", name, txt)
		}
	}
}

// A Word web archive with an ActiveMime editdata.mso is read under a name
// Word opens, also after a PDF ("MalDoc in PDF": PDF readers show the PDF,
// Word the archive); the same bytes named .txt are left alone.
func TestWebArchive(t *testing.T) {
	mht := formats.WordWebArchive("Invoice", officeXMLVBA)
	pdfFirst := append([]byte("%PDF-1.7\r\n1 0 obj\r\n<< /Type /Catalog >>\r\nendobj\r\n"), append(mht, "trailer\r\n<< /Root 1 0 R >>\r\n%%EOF\r\n"...)...)
	for _, tc := range []struct {
		name string
		doc  []byte
		want string // the module's path, "" when nothing may be read
	}{
		{"invoice.doc", mht, "2/invoice.doc/2/activemime/ole.bin/vba/ThisDocument"},
		{"invoice.mht", bytes.ReplaceAll(mht, []byte("MIME-Version"), []byte("mime-version")), "2/invoice.mht/2/activemime/ole.bin/vba/ThisDocument"},
		{"statement.doc", pdfFirst, "2/statement.doc/2/activemime/ole.bin/vba/ThisDocument"},
		{"notes.txt", mht, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := mail("", "", tc.name, tc.doc)
			m.Parts[1].DeclaredType = "application/octet-stream"
			expand(t, m, Options{})
			if tc.want == "" {
				for _, p := range m.Parts {
					if strings.Contains(p.Path, "/vba/") {
						t.Errorf("read %s", p.Path)
					}
				}
				return
			}
			if p := mustPart(t, m, tc.want); !strings.Contains(string(p.Content), "Sub AutoOpen()") {
				t.Errorf("module: %q", p.Content)
			}
		})
	}
}
