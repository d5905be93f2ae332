package corpus

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

// Plain Office documents, as an office sends them every day (no macro, no
// link, no trick), for the benchmark's mixed mail (bench/corpusgen). They are
// written by the corpus's own Word and Excel writers, then deflated member by
// member as Word and Excel save them, so that a benchmark pays for inflating.

// DOCX is a Word document of paragraphs and JPEG pictures (word/media).
func DOCX(paragraphs []string, pictures ...[]byte) []byte {
	var body strings.Builder
	for _, p := range paragraphs {
		body.WriteString(`<w:p><w:r><w:t xml:space="preserve">` + xmlEscape(p) + `</w:t></w:r></w:p>`)
	}
	var parts []docxPart
	for i, pic := range pictures {
		id := fmt.Sprintf("rId%d", 10+i)
		body.WriteString(`<w:p><w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"><wp:extent cx="5486400" cy="4114800"/>` +
			`<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">` +
			`<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:blipFill><a:blip r:embed="` + id + `"/></pic:blipFill></pic:pic>` +
			`</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`)
		parts = append(parts, docxPart{name: fmt.Sprintf("word/media/image%d.jpeg", i+1), ctype: "image/jpeg", relType: officeRel + "/image", relID: id, data: pic})
	}
	return deflated(docxOf(body.String(), "", "", nil, parts...))
}

// XLSX is an Excel workbook with one sheet of rows.
func XLSX(rows [][]string) []byte { return deflated(xlsx(rows, nil)) }

// deflated is the zip z with every member deflated.
func deflated(z []byte) []byte {
	r, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	if err != nil {
		panic(err)
	}
	entries := make([]formats.ZipEntry, len(r.File))
	for i, f := range r.File {
		rc, err := f.Open()
		if err != nil {
			panic(err)
		}
		data, err := io.ReadAll(rc)
		if err != nil {
			panic(err)
		}
		entries[i] = formats.ZipEntry{Name: f.Name, Data: data}
	}
	return formats.ArchiveZip(true, entries...)
}
