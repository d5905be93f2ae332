package unpack

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

// What bsdtar (libarchive, as macOS' tools) packs into a xar with each
// compression it offers, Kensa reads byte for byte, under the names it
// shows; and bsdtar reads what formats.Xar writes, as Kensa does.
func TestXarAsBsdtar(t *testing.T) {
	bsdtar := toolNeeded(t, "bsdtar")
	files := installerFiles()
	src := t.TempDir()
	names := writeFiles(t, src, files)
	for _, comp := range []string{"gzip", "bzip2", "xz", "none"} {
		t.Run(comp, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "x.pkg")
			cmd := exec.Command(bsdtar, append([]string{"-c", "--format", "xar", "--options", "xar:compression=" + comp, "-f", file}, names...)...)
			cmd.Dir = src
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("bsdtar: %v\n%s", err, out)
			}
			b, _ := os.ReadFile(file)
			msg := mail("", "", "x.pkg", b)
			expand(t, msg, Options{})
			noProblems(t, msg)
			sameMembers(t, msg, "2/x.pkg", files, "bsdtar")
		})
	}
	t.Run("formats.Xar", func(t *testing.T) {
		dir := t.TempDir()
		file := filepath.Join(dir, "x.xar")
		js := files["invoice.js"]
		if err := os.WriteFile(file, formats.Xar(formats.File{Name: "a/b/invoice.js", Data: js}, formats.File{Name: "notes.txt", Data: []byte(marker)}), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(bsdtar, "-x", "-C", dir, "-f", file).CombinedOutput(); err != nil {
			t.Fatalf("bsdtar -x: %v\n%s", err, out)
		}
		if got, err := os.ReadFile(filepath.Join(dir, "a/b/invoice.js")); err != nil || !bytes.Equal(got, js) {
			t.Fatalf("bsdtar extracted %q (%v)", got, err)
		}
		b, _ := os.ReadFile(file)
		msg := mail("", "", "x.xar", b)
		expand(t, msg, Options{})
		noProblems(t, msg)
		if got := mustPart(t, msg, "2/x.xar/a/b/invoice.js"); !bytes.Equal(got.Content, js) {
			t.Errorf("read %q", got.Content)
		}
	})
}

// Broken and hostile xar archives are named problems, never a silent clean.
func TestXarHostile(t *testing.T) {
	good := formats.Xar(formats.File{Name: "invoice.js", Data: []byte(marker)})
	file := func(data string) string {
		return `<?xml version="1.0"?><xar><toc><file id="1"><type>file</type><name>invoice.js</name>` + data + `</file></toc></xar>`
	}
	heap := append(make([]byte, 20), formats.Zlib([]byte(marker))...)
	n := len(heap) - 20
	for _, tt := range []struct {
		name string
		b    []byte
		want string
	}{
		{"truncated header", good[:20], "truncated header"},
		{"table beyond the file", append(append([]byte{}, good[:8]...), bytes.Repeat([]byte{0x7F}, 20)...), "beyond the file"},
		{"table not zlib", append(append(append([]byte{}, good[:28]...), "xxxx"...), good[32:]...), "table of contents"},
		{"table not XML", formats.XarTOC("<xar><toc><file>", heap), "table of contents"},
		{"data beyond the heap", formats.XarTOC(file(fmt.Sprintf(`<data><offset>30</offset><length>%d</length><encoding style="application/x-gzip"/></data>`, n)), heap), "data beyond the archive"},
		{"negative offset", formats.XarTOC(file(fmt.Sprintf(`<data><offset>-5</offset><length>%d</length></data>`, n)), heap), "data beyond the archive"},
		{"unknown encoding", formats.XarTOC(file(fmt.Sprintf(`<data><offset>20</offset><length>%d</length><encoding style="application/x-kensa"/></data>`, n)), heap), `encoding "application/x-kensa" not supported`},
		{"not zlib data", formats.XarTOC(file(`<data><offset>0</offset><length>20</length><encoding style="application/x-gzip"/></data>`), heap), `file "invoice.js"`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			msg := mail("", "", "x.pkg", tt.b)
			expand(t, msg, Options{})
			p := problem(msg, ReasonCorrupt)
			if p == nil || !strings.Contains(p.Detail, tt.want) {
				t.Fatalf("want a corrupt-archive problem saying %q; have:\n%s", tt.want, dump(msg))
			}
		})
	}
	// Many files naming the same compressed data: the walker's limits cut it.
	var many strings.Builder
	many.WriteString(`<xar><toc>`)
	bomb := formats.Zlib(make([]byte, 4<<20))
	for i := 0; i < 40; i++ {
		fmt.Fprintf(&many, `<file><type>file</type><name>f%d</name><data><offset>20</offset><length>%d</length><encoding style="application/x-gzip"/></data></file>`, i, len(bomb))
	}
	many.WriteString(`</toc></xar>`)
	msg := mail("", "", "x.pkg", formats.XarTOC(many.String(), append(make([]byte, 20), bomb...)))
	expand(t, msg, Options{})
	mustProblem(t, msg, ReasonTotalSize, "2")
}
