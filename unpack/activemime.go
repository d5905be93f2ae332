package unpack

import (
	"bytes"
	"cmp"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/kensa-milter/kensa/message"
)

// ActiveMime is how Office keeps a compound file (a VBA project, an
// embedded object) inside its XML and web-archive formats: a header and a
// zlib stream. Word 2003 XML carries it base64 in w:binData, a Word or Excel
// web archive (.mht, or any name Word opens) as the editdata.mso and
// oledata.mso parts, and "MalDoc in PDF" hides such an archive after a PDF,
// where PDF readers show a page and Word the document with its macros.

// activeMimeKind opens an ActiveMime blob: its one member is the compound
// file, which is opened in turn.
var activeMimeKind = kind{"activemime", nil, openActiveMime}

func isActiveMime(p *message.Part) bool { return bytes.HasPrefix(p.Content, []byte("ActiveMime")) }

func openActiveMime(c *container) error {
	data := c.part.Content
	if len(data) < 0x34 {
		return fmt.Errorf("ActiveMime: header cut short")
	}
	// Office writes the stream at 0x32 (Word) or 0x22A (Excel); the header's
	// 16-bit field at 0x1E plus 46 says where, and is tried first.
	for _, off := range []int{int(binary.LittleEndian.Uint16(data[0x1E:])) + 46, 0x32, 0x22A} {
		if off+2 > len(data) || data[off] != 0x78 { // a zlib header
			continue
		}
		zr, err := zlib.NewReader(bytes.NewReader(data[off:]))
		if err != nil {
			continue
		}
		name := cmp.Or(strings.TrimSuffix(baseName(c.part.Filename), ".mso"), "ole") + ".bin"
		_, err = c.member(name, zr, int64(len(data)-off))
		return err
	}
	return fmt.Errorf("ActiveMime: no zlib stream where Office writes it")
}

// webArchiveKind is the second reading of a file Word opens that holds a
// web archive with ActiveMime parts: the MIME message from its
// MIME-Version line on, wherever it starts.
var webArchiveKind = kind{"mht", nil, openWebArchive}

// wordOpens are the extensions Word or Excel opens, whatever the content.
var wordOpens = []string{".doc", ".docm", ".dot", ".dotm", ".wbk", ".rtf", ".mht", ".mhtml", ".xml", ".xls", ".xlsm", ".xlt", ".xla"}

// activeMimeB64 is how every base64 ActiveMime part begins.
var activeMimeB64 = []byte("QWN0aXZlTWltZQ")

// webArchiveWithin returns webArchiveKind for a part named or declared as
// an Office document that holds a MIME-Version header and a base64
// ActiveMime part.
func webArchiveWithin(p *message.Part) *kind {
	ext := ""
	if i := strings.LastIndexByte(p.Filename, '.'); i >= 0 {
		ext = p.Filename[i:]
	}
	office := p.DeclaredType == "application/msword" || p.DeclaredType == "application/vnd.ms-excel"
	for _, e := range wordOpens {
		office = office || strings.EqualFold(ext, e)
	}
	// The ActiveMime mark first: one search that fails on nearly every
	// document, where the MIME-Version field would take four (one a
	// spelling) over every Office XML member.
	if !office || !bytes.Contains(p.Content, activeMimeB64) || mimeVersionAt(p.Content) < 0 {
		return nil
	}
	return &webArchiveKind
}

// mimeVersions are the spellings of the field mimeVersionAt looks for.
var mimeVersions = [][]byte{[]byte("MIME-Version:"), []byte("Mime-Version:"), []byte("mime-version:"), []byte("MIME-VERSION:")}

// mimeVersionAt is the offset of the first MIME-Version field, any case.
func mimeVersionAt(b []byte) int {
	at := -1
	for _, v := range mimeVersions {
		if i := bytes.Index(b, v); i >= 0 && (at < 0 || i < at) {
			at = i
		}
	}
	return at
}

func openWebArchive(c *container) error {
	at := mimeVersionAt(c.part.Content)
	if at < 0 {
		return fmt.Errorf("web archive: no MIME-Version field")
	}
	return c.addMessage(c.part.Content[at:], "web archive")
}
