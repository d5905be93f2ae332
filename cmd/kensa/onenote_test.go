package main

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/policy"
)

// An honest OneNote section in the packaging OneDrive hands out (a
// screenshot and a PDF): Kensa reads it, so it is tagged as every .one is
// (risky-container) and not quarantined as unscannable, as it was before
// unpack read the packaging. It cannot be a clean corpus sample: every
// OneNote attachment is tagged.
func TestOneNotePackagedHonest(t *testing.T) {
	pdf := []byte("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
	one := formats.OneNotePackaged("Meeting notes: the statement is below",
		formats.OneNoteFile{Picture: true, Data: []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR screenshot")},
		formats.OneNoteFile{Name: "statement.pdf", Data: pdf})
	msg := "From: a@example.com\r\nTo: b@example.org\r\nSubject: Shared notes\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nThe notes from today.\r\n" +
		"--b\r\nContent-Type: application/onenote\r\nContent-Disposition: attachment; filename=\"notes.one\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
		base64.StdEncoding.EncodeToString(one) + "\r\n--b--\r\n"
	f := filepath.Join(t.TempDir(), "notes.eml")
	if err := os.WriteFile(f, []byte(msg), 0o600); err != nil {
		t.Fatal(err)
	}
	_, res := scanJSON(t, f)
	if len(res) != 1 {
		t.Fatalf("%d results", len(res))
	}
	r := res[0]
	var ids []string
	for _, f := range r.Findings {
		ids = append(ids, f.Scanner+"/"+f.ID)
	}
	if r.Action != policy.Tag || !slices.Equal(ids, []string{"heuristic/risky-container"}) || len(r.Problems) != 0 {
		t.Errorf("action %s, findings %v, problems %v: want tag with risky-container alone", r.Action, ids, r.Problems)
	}
	var pdfRead bool
	for _, p := range r.Parts {
		pdfRead = pdfRead || p.Path == "2/notes.one/statement.pdf" && p.DetectedType == "application/pdf" && p.Size == len(pdf)
	}
	if !pdfRead {
		t.Errorf("the PDF was not read: %+v", r.Parts)
	}
}
