package unpack

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/kensa-milter/kensa/filetype"
	"github.com/kensa-milter/kensa/message"
)

// Office documents saved as one XML file, which Word opens (named .xml,
// .doc or anything Word is given) as it opens the zipped or binary kind:
//   - Flat OPC (a "Word XML Document", macro-enabled or not): every part of
//     the package in a pkg:part, binary parts (the VBA project) base64 in
//     pkg:binaryData, XML parts inline in pkg:xmlData;
//   - Word 2003 XML (WordprocessingML): the VBA project in a w:binData
//     named editdata.mso, embedded objects in ones named oledata.mso, both
//     ActiveMime (a header and a zlib stream of the compound file).
// Each part becomes a member under its own name, ActiveMime decompressed,
// so the VBA project is opened and read as in a .docm.

// officeXMLKind opens a part that is a Flat OPC or Word 2003 XML document.
var officeXMLKind = kind{"officexml", nil, openOfficeXML}

// isOfficeXML: markup whose first 4 KiB declare one of the two namespaces,
// with or without an XML declaration (Word reads both).
func isOfficeXML(p *message.Part, t string) bool {
	h := p.Content[:min(len(p.Content), 4<<10)]
	if t != filetype.XML && t != filetype.Text && t != filetype.HTML || !bytes.HasPrefix(bytes.TrimLeft(h, "\xEF\xBB\xBF \t\r\n"), []byte("<")) {
		return false
	}
	return bytes.Contains(h, []byte("schemas.microsoft.com/office/2006/xmlPackage")) ||
		bytes.Contains(h, []byte("schemas.microsoft.com/office/word/2003/wordml"))
}

// maxOfficeXMLParts bounds the parts read from one document.
const maxOfficeXMLParts = 1024

func openOfficeXML(c *container) error {
	b := c.part.Content
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	var name string // the pkg:part or w:binData being read
	var data []byte // the base64 text of a binary part, its pieces joined
	inData := false // inside pkg:binaryData or w:binData
	xmlStart := -1  // offset of a pkg:xmlData's content
	n := 0
	count := func() error {
		if n++; n > maxOfficeXMLParts {
			return fmt.Errorf("office XML: more than %d parts", maxOfficeXMLParts)
		}
		return nil
	}
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("office XML: %w", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "part", "binData":
				name = ""
				for _, a := range t.Attr {
					if a.Name.Local == "name" {
						name = strings.TrimLeft(a.Value, "/")
					}
				}
				inData, data = t.Name.Local == "binData", data[:0]
			case "binaryData":
				inData, data = true, data[:0]
			case "xmlData":
				xmlStart = int(d.InputOffset())
			}
		case xml.CharData:
			// Word joins the text around comments and CDATA sections.
			if inData {
				data = append(data, t...)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "xmlData":
				end := bytes.LastIndex(b[:d.InputOffset()], []byte("</"))
				if xmlStart >= 0 && end >= xmlStart && name != "" {
					if err := count(); err != nil {
						return err
					}
					if c.add(name, b[xmlStart:end:end]) == nil {
						return errStop
					}
				}
				xmlStart = -1
			case "binaryData", "binData":
				if !inData {
					continue
				}
				inData = false
				raw, err := base64.StdEncoding.DecodeString(stripSpace(string(data)))
				if err != nil {
					return fmt.Errorf("office XML: part %q: %w", cleanName(name), err)
				}
				if err := count(); err != nil {
					return err
				}
				// An ActiveMime part is opened as its own container.
				if _, err := c.member(cmp.Or(name, "binary-"+strconv.Itoa(n)), bytes.NewReader(raw), int64(len(data))); err != nil {
					return err
				}
			}
		}
	}
}
