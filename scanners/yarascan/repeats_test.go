package yarascan

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/unpack"
)

// zipWithMarkers is a message whose attachment is a zip of a stored member
// and a deflated one (in deflate's stored blocks), each holding marker in
// the middle of bytes that do not compress, with a comment and bytes after
// the zip's end.
func zipWithMarkers(t *testing.T, marker string) *message.Message {
	t.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	member := func() []byte {
		b := make([]byte, 40_000)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return slices.Concat(b[:20_000], []byte(marker), b[20_000:])
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, h := range []*zip.FileHeader{{Name: "stored.bin", Method: zip.Store}, {Name: "packed.bin", Method: zip.Deflate}} {
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(member())
	}
	zw.SetComment("KENSA-COMMENT")
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	b.WriteString("KENSA-APPENDED after the end")
	m := &message.Message{Parts: []*message.Part{{Path: "2", Filename: "a.zip", DeclaredType: "application/zip", DetectedType: "application/zip", Content: b.Bytes()}}}
	unpack.Expand(context.Background(), m, unpack.Options{})
	return m
}

// A zip member's bytes that lie in the zip as they are, stored or in
// deflate's stored blocks, are read in the member only, when the rules
// cannot tell: a rule that wants the marker in a zip no longer matches the
// zip, while everything of the zip that is not a member's bytes (its
// comment, bytes after its end, its size) still matches there, and the
// member's rules match the member. A rule set that reads places scans the
// zip whole.
func TestRepeatsReadInMembers(t *testing.T) {
	const marker = "KENSA-REPEAT-MARKER"
	m := zipWithMarkers(t, marker)
	zipPart := m.Parts[0]
	if n := len(zipPart.Content) - scannedBytes(zipPart.Content, holes(zipPart.Content, zipPart.Repeated)); n < 2*40_000 {
		t.Fatalf("the zip records %d bytes as repeated (%v), want its two members'", n, zipPart.Repeated)
	}
	rules := fmt.Sprintf(`
rule MarkerInZip { strings: $a = %q condition: filetype == "ZIP" and $a }
rule Marker { strings: $a = %q condition: $a }
rule Comment { strings: $a = "KENSA-COMMENT" condition: $a }
rule Appended { strings: $a = "KENSA-APPENDED" condition: $a }
rule Size { strings: $a = "PK" condition: $a and filesize == %d }
`, marker, marker, len(zipPart.Content))
	want := []string{"Appended@2", "Comment@2", "Marker@2/a.zip/packed.bin", "Marker@2/a.zip/stored.bin", "Size@2"}
	s := scannerFor(t, rules)
	if s.whole {
		t.Fatal("rules that read no place scan containers whole")
	}
	got, err := s.Scan(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(hits(got), want) {
		t.Errorf("got %v, want %v", hits(got), want)
	}

	// One rule that reads a place: the zip is scanned whole again.
	s = scannerFor(t, rules+`rule Start { strings: $a = "PK" condition: $a at 0 }`)
	if !s.whole {
		t.Fatal("a rule with at: containers not scanned whole")
	}
	got, err = s.Scan(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	want = append(want, "MarkerInZip@2", "Start@2")
	slices.Sort(want)
	if !slices.Equal(hits(got), want) {
		t.Errorf("whole: got %v, want %v", hits(got), want)
	}
}

// A tar holds its members as they are: a marker in a member is read in the
// member only, while the tar's own headers (the member's name) still match
// the tar.
func TestRepeatsReadInTarMembers(t *testing.T) {
	const marker = "KENSA-REPEAT-MARKER"
	r := rand.New(rand.NewPCG(3, 4))
	data := make([]byte, 40_000)
	for i := range data {
		data[i] = byte(r.Uint32())
	}
	data = slices.Concat(data[:20_000], []byte(marker), data[20_000:])
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	if err := tw.WriteHeader(&tar.Header{Name: "KENSA-NAME.bin", Mode: 0o644, Size: int64(len(data))}); err != nil {
		t.Fatal(err)
	}
	tw.Write(data)
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	m := &message.Message{Parts: []*message.Part{{Path: "2", Filename: "a.tar", DeclaredType: "application/x-tar", DetectedType: "application/x-tar", Content: b.Bytes()}}}
	unpack.Expand(context.Background(), m, unpack.Options{})
	tarPart := m.Parts[0]
	if n := len(tarPart.Content) - scannedBytes(tarPart.Content, holes(tarPart.Content, tarPart.Repeated)); n != len(data) {
		t.Fatalf("the tar records %d bytes as repeated (%v), want its member's %d", n, tarPart.Repeated, len(data))
	}
	rules := fmt.Sprintf(`
rule MarkerInTar { strings: $a = %q condition: filetype == "TAR" and $a }
rule Marker { strings: $a = %q condition: $a }
rule Name { strings: $a = "KENSA-NAME" condition: $a }
`, marker, marker)
	got, err := scannerFor(t, rules).Scan(context.Background(), m)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"Marker@2/a.tar/KENSA-NAME.bin", "Name@2"}; !slices.Equal(hits(got), want) {
		t.Errorf("got %v, want %v", hits(got), want)
	}
}

// The blocks libyara reads of a container are exactly its bytes outside the
// repeated ranges, each at its own offset, ranges that overlap or fall
// outside the content cut to what is inside, and filesize the container's.
func TestHolesBlocks(t *testing.T) {
	content := []byte("0123456789abcdefghij")
	p := &message.Part{Content: content, Repeated: []message.Span{{Off: 12, Len: 3}, {Off: 2, Len: 4}, {Off: 4, Len: 4}, {Off: -1, Len: 5}, {Off: 18, Len: 10}, {Off: 9, Len: 0}}}
	h := holes(p.Content, p.Repeated)
	wantHoles := []message.Span{{Off: 2, Len: 4}, {Off: 6, Len: 2}, {Off: 12, Len: 3}, {Off: 18, Len: 2}}
	if !slices.Equal(h, wantHoles) {
		t.Fatalf("holes %v, want %v", h, wantHoles)
	}
	x := newBlocks(content, h)
	var got []string
	for b := x.First(); b != nil; b = x.Next() {
		buf := make([]byte, b.Size)
		b.FetchData(buf)
		got = append(got, fmt.Sprintf("%d:%s", b.Base, buf))
	}
	want := []string{"0:01", "8:89ab", "15:fgh"}
	if !slices.Equal(got, want) {
		t.Errorf("blocks %v, want %v", got, want)
	}
	if x.Filesize() != uint64(len(content)) || scannedBytes(content, h) != 9 {
		t.Errorf("filesize %d, scanned %d", x.Filesize(), scannedBytes(content, h))
	}
}

func TestReadsPlaces(t *testing.T) {
	for _, c := range []struct {
		text string
		want bool
	}{
		{`rule A { strings: $a = "at in # @ !" condition: $a }`, false},
		{`// look at this, in a comment
/* uint16(0) in a block comment */
rule A { meta: description = "at 0, in (1..2), #a, @a, !a" strings: $a = /at|in|#@!\/uint8/ $b = { 40 23 [2] 21 } condition: $a and $b and filesize > 10KB and not $c }`, false},
		{`rule A { strings: $a = "x" condition: $a at 0 }`, true},
		{`rule A { strings: $a = "x" condition: $a in (0..100) }`, true},
		{`rule A { strings: $a = "x" condition: #a > 2 }`, true},
		{`rule A { strings: $a = "x" condition: @a[1] < 5 }`, true},
		{`rule A { strings: $a = "x" condition: !a[1] == 1 }`, true},
		{`rule A { condition: uint16(0) == 0x5a4d }`, true},
		{`rule A { condition: uint32be(0) == 1 }`, true},
		{`rule A { condition: int8(3) == 1 }`, true},
		{`rule A { condition: filetype != "EXE" }`, true}, // != is conservative
		{`import "pe" rule A { condition: pe.is_dll() }`, true},
		{`include "other.yar"`, true},
		{`rule A { strings: $a = "x" condition: for any i in (1..2): ($a) }`, true},
		{`rule A { condition: entrypoint == 0 }`, true},
	} {
		got := readsPlaces([][]byte{[]byte("rule B { condition: true }"), []byte(c.text)})
		if got != c.want {
			t.Errorf("%s: got %v, want %v", c.text, got, c.want)
		}
	}
	// The embedded pack reads no place: its containers' repeated bytes
	// are read once.
	if s := newScanner(t, Options{Builtin: true}); s.whole {
		t.Error("the builtin pack scans containers whole")
	}
}
