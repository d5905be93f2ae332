package formats

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"strings"
)

// FlatOPCPart is one part of a Flat OPC document: XML inline, anything
// else base64.
type FlatOPCPart struct {
	Name, ContentType string
	XML               string // inline XML, when set
	Data              []byte // a binary part
}

// FlatOPC is a Word document saved as one XML file ("Word XML Document",
// the macro-enabled kind when a part is the VBA project), as Word writes it.
func FlatOPC(parts ...FlatOPCPart) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" standalone="yes"?>` + "\r\n" + `<?mso-application progid="Word.Document"?>` + "\r\n")
	b.WriteString(`<pkg:package xmlns:pkg="http://schemas.microsoft.com/office/2006/xmlPackage">`)
	for _, p := range parts {
		b.WriteString(`<pkg:part pkg:name="` + p.Name + `" pkg:contentType="` + p.ContentType + `"`)
		if p.XML != "" {
			b.WriteString(`><pkg:xmlData>` + p.XML + `</pkg:xmlData></pkg:part>`)
			continue
		}
		b.WriteString(` pkg:compression="store"><pkg:binaryData>`)
		enc := base64.StdEncoding.EncodeToString(p.Data)
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + `</pkg:binaryData></pkg:part>`)
	}
	b.WriteString(`</pkg:package>`)
	return []byte(b.String())
}

// Word2003XML is a WordprocessingML document (Word 2003's XML format) with
// the VBA project vba in its editdata.mso, as Word writes it: ActiveMime.
func Word2003XML(text string, vba []byte) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\r\n" + `<?mso-application progid="Word.Document"?>` + "\r\n" +
		`<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml" w:macrosPresent="yes">` +
		`<w:binData w:name="editdata.mso">` + base64.StdEncoding.EncodeToString(ActiveMime(vba)) + `</w:binData>` +
		`<w:body><w:p><w:r><w:t>` + text + `</w:t></w:r></w:p></w:body></w:wordDocument>`)
}

// ActiveMime is the blob Office keeps a compound file in inside XML and MHT
// documents: a header whose field at 0x1E, plus 46, is where the zlib stream
// of the file starts (0x32, as Word writes it).
func ActiveMime(cfb []byte) []byte {
	h := make([]byte, 0x32)
	copy(h, "ActiveMime")
	binary.LittleEndian.PutUint16(h[0x1E:], 0x32-46)
	binary.LittleEndian.PutUint32(h[0x2E:], uint32(len(cfb)))
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(cfb)
	zw.Close()
	return append(h, z.Bytes()...)
}

// WordWebArchive is a Word document saved as a single-file web page (MHT),
// which Word opens under a .doc name as the document, with the VBA project
// vba (when not nil) as its editdata.mso part, ActiveMime in base64.
func WordWebArchive(text string, vba []byte) []byte {
	const boundary = "----=_NextPart_01DB0000.4B454E53"
	var b strings.Builder
	b.WriteString("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"" + boundary + "\"\r\n\r\n")
	b.WriteString("--" + boundary + "\r\nContent-Location: file:///C:/Doc.htm\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Type: text/html; charset=\"us-ascii\"\r\n\r\n")
	b.WriteString("<html xmlns:o=3D\"urn:schemas-microsoft-com:office:office\" xmlns:w=3D\"urn:schemas-microsoft-com:office:word\">\r\n")
	if vba != nil {
		b.WriteString("<head><link rel=3DEdit-Time-Data href=3D\"Doc_files/editdata.mso\"></head>\r\n")
	}
	b.WriteString("<body><p>" + text + "</p></body></html>\r\n\r\n")
	if vba != nil {
		b.WriteString("--" + boundary + "\r\nContent-Location: file:///C:/Doc_files/editdata.mso\r\nContent-Transfer-Encoding: base64\r\nContent-Type: application/x-mso\r\n\r\n")
		enc := base64.StdEncoding.EncodeToString(ActiveMime(vba))
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\r\n\r\n")
	}
	b.WriteString("--" + boundary + "--\r\n")
	return []byte(b.String())
}
