package heuristic

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"testing"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/unpack"
)

// A PDF whose script hides in a compressed object stream: the plain bytes
// show no /JavaScript, unpack inflates the stream into the member
// "streams", and the PDF checks read that member as the PDF's own.
func TestPDFScriptInCompressedObjectStream(t *testing.T) {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	fmt.Fprint(zw, "5 0 << /Type /Action /S /JavaScript /JS (app.alert('stand-in')) >>")
	zw.Close()
	var pdf bytes.Buffer
	fmt.Fprintf(&pdf, "%%PDF-1.7\n1 0 obj << /Type /Catalog /OpenAction 5 0 R >> endobj\n")
	fmt.Fprintf(&pdf, "3 0 obj << /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n", z.Len())
	pdf.Write(z.Bytes())
	pdf.WriteString("\nendstream\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	if bytes.Contains(pdf.Bytes(), []byte("JavaScript")) {
		t.Fatal("fixture: the script must only be inside the compressed stream")
	}
	m := &message.Message{Parts: []*message.Part{
		{Path: "1", DeclaredType: "text/plain", Content: []byte("see attached")},
		{Path: "2", Filename: "x.pdf", DeclaredType: "application/pdf", DetectedType: "application/pdf", Content: pdf.Bytes()},
	}}
	unpack.Expand(context.Background(), m, unpack.Options{})
	fs, err := newScanner(t).Scan(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.ID == "pdf-javascript" && f.Part == "2/x.pdf/streams" {
			return
		}
	}
	t.Errorf("no pdf-javascript on 2/x.pdf/streams; parts %v, findings %+v", paths(m), fs)
}

func paths(m *message.Message) []string {
	var out []string
	for _, p := range m.Parts {
		out = append(out, p.Path+" "+p.Filename)
	}
	return out
}
