package unpack

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

// cabFiles span several 32 KiB blocks, so that MSZIP's matches reach into
// the blocks before them, and carry a UTF-8 name.
func cabFiles() []formats.File {
	var big bytes.Buffer
	for i := range 6000 {
		fmt.Fprintf(&big, "line %d of an ordinary report, total %d\r\n", i, i*i%977)
	}
	return []formats.File{
		{Name: "readme.txt", Data: []byte(marker)},
		{Name: `docs\report.txt`, Data: big.Bytes()},
		{Name: "請求書.js", Data: []byte("WScript.Shell kensa test")},
	}
}

// What 7-Zip and libarchive (bsdtar) extract from a cabinet, Kensa reads,
// byte for byte: the two readers stand in for Windows Explorer's, which
// opens .cab files as folders.
func TestCabAsToolsExtractIt(t *testing.T) {
	tools := map[string]func(file, dir string) *exec.Cmd{
		"7z":     func(file, dir string) *exec.Cmd { return exec.Command("7z", "x", "-y", "-o"+dir, file) },
		"bsdtar": func(file, dir string) *exec.Cmd { return exec.Command("bsdtar", "-x", "-C", dir, "-f", file) },
	}
	for _, method := range []formats.CabMethod{formats.CabStored, formats.CabMSZIP} {
		cab := formats.Cab(method, cabFiles()...)
		m := mail("", "", "files.cab", cab)
		expand(t, m, Options{})
		noProblems(t, m)
		for tool, cmd := range tools {
			t.Run(fmt.Sprintf("%s/method %d", tool, method), func(t *testing.T) {
				if _, err := exec.LookPath(tool); err != nil {
					t.Fatalf("%s not found (scripts/deps.sh test installs it): %v", tool, err)
				}
				dir := t.TempDir()
				file := filepath.Join(dir, "files.cab")
				if err := os.WriteFile(file, cab, 0o600); err != nil {
					t.Fatal(err)
				}
				out := filepath.Join(dir, "out")
				if err := os.Mkdir(out, 0o700); err != nil {
					t.Fatal(err)
				}
				if b, err := cmd(file, out).CombinedOutput(); err != nil {
					t.Fatalf("%s: %v\n%s", tool, err, b)
				}
				n := 0
				err := filepath.WalkDir(out, func(path string, d os.DirEntry, err error) error {
					if err != nil || d.IsDir() {
						return err
					}
					n++
					want, err := os.ReadFile(path)
					if err != nil {
						return err
					}
					rel, _ := filepath.Rel(out, path)
					p := mustPart(t, m, "2/files.cab/"+filepath.ToSlash(rel))
					if !bytes.Equal(p.Content, want) {
						t.Errorf("%s: Kensa read %d bytes, %s %d", rel, len(p.Content), tool, len(want))
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if n != len(cabFiles()) {
					t.Errorf("%s extracted %d files, want %d", tool, n, len(cabFiles()))
				}
			})
		}
	}
}

func TestCabHostile(t *testing.T) {
	js := formats.File{Name: "a.js", Data: []byte("WScript.Shell kensa test")}
	txt := formats.File{Name: "b.txt", Data: []byte(marker)}
	cab := formats.Cab(formats.CabMSZIP, js, txt)
	filesAt := int(binary.LittleEndian.Uint32(cab[16:]))

	t.Run("LZX is unsupported", func(t *testing.T) {
		m := mail("", "", "x.cab", formats.Cab(formats.CabLZX, js))
		expand(t, m, Options{})
		mustProblem(t, m, ReasonUnsupported, "2")
	})
	t.Run("files sharing bytes", func(t *testing.T) {
		b := bytes.Clone(cab)
		// The second file starts inside the first.
		second := filesAt + 16 + len(js.Name) + 1
		binary.LittleEndian.PutUint32(b[second+4:], 1)
		m := mail("", "", "x.cab", b)
		expand(t, m, Options{})
		mustProblem(t, m, ReasonCorrupt, "2")
		if part(m, "2/x.cab/a.js") != nil {
			t.Errorf("read members of a cabinet whose files overlap:\n%s", dump(m))
		}
	})
	t.Run("cut short", func(t *testing.T) {
		b := bytes.Clone(cab[:len(cab)-4])
		m := mail("", "", "x.cab", b)
		expand(t, m, Options{})
		mustProblem(t, m, ReasonCorrupt, "2")
	})
	t.Run("file past its folder", func(t *testing.T) {
		b := bytes.Clone(cab)
		second := filesAt + 16 + len(js.Name) + 1
		binary.LittleEndian.PutUint32(b[second:], 1<<20) // b.txt claims 1 MiB
		m := mail("", "", "x.cab", b)
		expand(t, m, Options{})
		mustProblem(t, m, ReasonCorrupt, "2")
		if p := mustPart(t, m, "2/x.cab/a.js"); !bytes.Equal(p.Content, js.Data) {
			t.Errorf("a.js: %q", p.Content)
		}
		if p := mustPart(t, m, "2/x.cab/b.txt"); !bytes.Equal(p.Content, txt.Data) {
			t.Errorf("b.txt: %q", p.Content)
		}
	})
	t.Run("bomb", func(t *testing.T) {
		// 1024 blocks of 32 KiB of zeros each: 32 MiB from a few KiB.
		m := mail("", "", "x.cab", formats.Cab(formats.CabMSZIP, formats.File{Name: "z.bin", Data: make([]byte, 32<<20)}))
		expand(t, m, Options{})
		mustProblem(t, m, ReasonRatio, "2")
	})
}
