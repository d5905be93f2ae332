package urls

import (
	"bytes"
	"encoding/binary"
	"image"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// The same bytes are searched once per message (CodeURLs): these tests hold
// what a repeated part gets to what a search of its own gives.

// onceSample is a part's content and how it is declared.
type onceSample struct {
	name     string
	declared string
	content  func(t testing.TB) []byte
}

// onceSamples are the search's test pictures (every raceStride-th under
// the race detector), PDFs and HTML tables with codes, pictures the budget
// notes unsearched, and hostile and random bytes behind image headers.
func onceSamples() []onceSample {
	var out []onceSample
	for i, c := range append(codeCases(), offCentreCases()...) {
		if i%raceStride == 0 {
			out = append(out, onceSample{c.name, "", c.image})
		}
	}
	fixed := func(b []byte) func(testing.TB) []byte { return func(testing.TB) []byte { return b } }
	rnd := rand.New(rand.NewPCG(17, 2026))
	random := func(head string, n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(rnd.Uint32())
		}
		return append([]byte(head), b...)
	}
	for _, head := range []string{"\x89PNG\r\n\x1a\n", "\xff\xd8\xff\xe0\x00\x10JFIF\x00", "GIF89a", "BM", "RIFF\x00\x10\x00\x00WEBPVP8 "} {
		out = append(out, onceSample{"random bytes after " + head[:2], "", fixed(random(head, 4096))})
	}
	out = append(out,
		onceSample{"qr jpeg cut in half", "", func(t testing.TB) []byte {
			b := encodeJPEG(t, formats.QRImage(qrLure, 300), 75)
			return b[:len(b)/2]
		}},
		onceSample{"jpeg claiming 30000x30000", "", func(t testing.TB) []byte {
			b := encodeJPEG(t, formats.QRImage(qrLure, 200), 60)
			i := bytes.Index(b, []byte{0xff, 0xc0})
			binary.BigEndian.PutUint16(b[i+5:], 30000)
			binary.BigEndian.PutUint16(b[i+7:], 30000)
			return b
		}},
		onceSample{"png too large to search", "", func(t testing.TB) []byte {
			return encodePNG(t, image.NewGray(image.Rect(0, 0, 4100, 3001)))
		}},
		onceSample{"noise", "", func(t testing.TB) []byte {
			g := image.NewGray(image.Rect(0, 0, 640, 480))
			for i := range g.Pix {
				g.Pix[i] = byte(rnd.Uint32())
			}
			return encodePNG(t, g)
		}},
		onceSample{"pdf with a qr image", "application/pdf", func(t testing.TB) []byte {
			data := encodeJPEG(t, formats.QRImage(qrLure, 200), 60)
			return []byte(pdfImageDoc("/Type /XObject /Subtype /Image /Width 200 /Height 200 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /DCTDecode", data, ""))
		}},
		onceSample{"html table qr", "text/html", func(t testing.TB) []byte {
			return []byte(htmlTableQR(t, qrLure, func(d bool) string {
				return map[bool]string{true: `<td bgcolor="#000000" width="4" height="4"></td>`, false: `<td bgcolor="white" width="4" height="4"></td>`}[d]
			}))
		}},
	)
	return out
}

// longBudget is a message's budget with minutes to read codes.
func longBudget() *CodeBudget {
	return &CodeBudget{images: MaxCodeImages, deadline: time.Now().Add(longCodeTimeout)}
}

// TestCodeURLsOncePerContent: a part with the bytes of one searched before
// in the message gets what a search of its own gives (the search before
// this shortcut, as the first part of those bytes gets), its codes and its notes,
// takes nothing of the budget, and gets a copy (changing it changes no
// other part's).
func TestCodeURLsOncePerContent(t *testing.T) {
	longCodeTime(t)
	for _, s := range onceSamples() {
		t.Run(s.name, func(t *testing.T) {
			content := s.content(t)
			part := func() *message.Part {
				return &message.Part{Path: "2", DeclaredType: s.declared, Content: bytes.Clone(content)}
			}
			// The first part of its bytes is searched as before: what it
			// gets is what the part gets alone.
			b := longBudget()
			alone := CodeURLs(part(), b)
			left := b.images
			again := CodeURLs(part(), b)
			if !reflect.DeepEqual(again, alone) {
				t.Fatalf("alone %+v\nagain %+v", alone, again)
			}
			if b.images != left {
				t.Errorf("the repeat took %d images of the budget", left-b.images)
			}
			if len(again.Texts) > 0 {
				again.Texts[0] = "changed"
			}
			if len(again.Skipped) > 0 {
				again.Skipped[0] = "changed"
			}
			if third := CodeURLs(part(), b); !reflect.DeepEqual(third, alone) {
				t.Errorf("a change to one part's codes reached another's: %+v", third)
			}
			t.Logf("%d texts, %d notes", len(alone.Texts), len(alone.Skipped))
		})
	}
}

// TestCodeURLsOnceComparesBytes: a content is taken for one read before
// only when its bytes are the same, not its length and hash alone (a
// remembered read planted under the key of other bytes is not used), nor
// the same bytes read another way.
func TestCodeURLsOnceComparesBytes(t *testing.T) {
	longCodeTime(t)
	other := "https://other.example.net/x"
	a := encodePNG(t, formats.QRImage(qrLure, 200))
	o := encodePNG(t, formats.QRImage(other, 200))
	// the same length: the shorter padded after its end, as a PNG may be
	for len(a) < len(o) {
		a = append(a, 0)
	}
	for len(o) < len(a) {
		o = append(o, 0)
	}
	b := longBudget()
	if c := CodeURLs(&message.Part{Path: "2", Content: a}, b); len(c.Texts) != 1 || c.Texts[0] != qrLure {
		t.Fatalf("first: %+v", c)
	}
	if c := CodeURLs(&message.Part{Path: "3", Content: o}, b); len(c.Texts) != 1 || c.Texts[0] != other {
		t.Errorf("same length, other bytes: %+v", c)
	}
	// Reads of other bytes of a's length planted first, so that a's length
	// repeats (a collision under a's very hash is message.SameBytes's test:
	// TestSameBytesPlantedCollision).
	b = longBudget()
	b.read = map[codeRead]Codes{}
	planted := Codes{Texts: []string{"planted"}}
	for _, c := range [][]byte{o, bytes.Repeat([]byte{1}, len(a))} {
		b.read[codeRead{b.same.Add(c), imageCodes}] = planted
	}
	if c := CodeURLs(&message.Part{Path: "2", Content: a}, b); len(c.Texts) != 1 || c.Texts[0] != qrLure {
		t.Errorf("a read of other bytes with the same length was used: %+v", c)
	}
	if c := CodeURLs(&message.Part{Path: "3", Content: bytes.Clone(a)}, b); len(c.Texts) != 1 || c.Texts[0] != qrLure || b.images != MaxCodeImages-1 {
		t.Errorf("a's bytes again, among others of its length: %+v, %d images left", c, b.images)
	}

	// The same bytes as a text part (no codes read) and as HTML (a table
	// drawn), in either order; a text that does not start like HTML.
	table := []byte("Scan this:\n" + htmlTableQR(t, qrLure, func(d bool) string {
		return map[bool]string{true: `<td bgcolor="#000000" width="4" height="4"></td>`, false: `<td bgcolor="white" width="4" height="4"></td>`}[d]
	}))
	for _, order := range [][]string{{"text/plain", "text/html"}, {"text/html", "text/plain"}} {
		b := longBudget()
		for _, declared := range order {
			c := CodeURLs(&message.Part{Path: "2", DeclaredType: declared, Content: table}, b)
			if want := map[string]int{"text/plain": 0, "text/html": 1}[declared]; len(c.Texts) != want {
				t.Errorf("%v, as %s: %d texts, want %d", order, declared, len(c.Texts), want)
			}
		}
	}
}
