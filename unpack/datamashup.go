package unpack

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"

	"github.com/kensa-milter/kensa/message"

	"github.com/kensa-milter/kensa/internal/cryptkeys"
)

// Excel keeps a workbook's Power Query queries in a custom XML part
// (customXml/itemN.xml) whose root is a DataMashup element: base64 of a
// binary stream (MS-QDEFF 2.2) that starts with a version (0) and the
// length of the package parts, an OPC zip whose Formulas/Section1.m holds
// the queries' M code (Web.Contents("http://..."), File.Contents("\\host\
// share\x")). The package parts become one member, opened in turn as a zip,
// so the M code is scanned like any other part. The permissions and
// metadata that follow say nothing the queries do not.

// dataMashupKind opens a custom XML part holding a DataMashup.
var dataMashupKind = kind{"datamashup", nil, openDataMashup}

// dataMashupNS is the DataMashup namespace; Excel writes the part in
// UTF-16 or UTF-8.
const dataMashupNS = "schemas.microsoft.com/DataMashup"

var dataMashupNS16 = cryptkeys.UTF16LE(dataMashupNS)

// isDataMashup: markup declaring the DataMashup namespace in its first 1 KiB.
func isDataMashup(p *message.Part) bool {
	h := p.Content[:min(len(p.Content), 1<<10)]
	t := bytes.TrimPrefix(bytes.TrimPrefix(h, []byte("\xFF\xFE")), []byte("\xEF\xBB\xBF"))
	if !bytes.HasPrefix(t, []byte("<")) {
		return false
	}
	return bytes.Contains(h, []byte(dataMashupNS)) || bytes.Contains(h, dataMashupNS16)
}

func openDataMashup(c *container) error {
	b := c.part.Content
	if bytes.HasPrefix(b, []byte("\xFF\xFE")) || len(b) > 1 && b[1] == 0 {
		b = []byte(message.UTF16LE(bytes.TrimPrefix(b, []byte("\xFF\xFE"))))
	}
	text, err := dataMashupText(b)
	if err != nil {
		return fmt.Errorf("DataMashup: %w", err)
	}
	// Decoded is smaller than the part, which the walker already bounded.
	data := make([]byte, base64.StdEncoding.DecodedLen(len(text)))
	n, err := base64.StdEncoding.Decode(data, text)
	if err != nil {
		return fmt.Errorf("DataMashup: base64: %w", err)
	}
	data = data[:n]
	if len(data) < 8 {
		return fmt.Errorf("DataMashup: stream of %d bytes, shorter than its header", len(data))
	}
	le := binary.LittleEndian
	if v := le.Uint32(data); v != 0 {
		return fmt.Errorf("DataMashup: version %d, not 0", v)
	}
	size := uint64(le.Uint32(data[4:]))
	if size > uint64(len(data)-8) {
		return fmt.Errorf("DataMashup: package parts of %d bytes, %d left", size, len(data)-8)
	}
	_, err = c.member("PackageParts.zip", bytes.NewReader(data[8:8+size]), int64(size))
	return err
}

// dataMashupText is the base64 text of the DataMashup element, read as an
// XML parser reads it (any prefix, comments and CDATA sections between its
// pieces, entities), without its blanks.
func dataMashupText(b []byte) ([]byte, error) {
	d := xml.NewDecoder(bytes.NewReader(b))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil } // already UTF-8
	var text []byte
	depth := 0 // inside the DataMashup element
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil, errors.New("no DataMashup element")
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth > 0 || t.Name.Local == "DataMashup" {
				depth++
			}
		case xml.EndElement:
			if depth > 0 {
				if depth--; depth == 0 {
					return bytes.Map(func(r rune) rune {
						if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
							return -1
						}
						return r
					}, text), nil
				}
			}
		case xml.CharData:
			if depth == 1 {
				text = append(text, t...)
			}
		}
	}
}
