package formats

import (
	"bytes"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// 7-Zip reads the Deflate64 and LZMA members Zip writes, byte for byte:
// text, runs longer than DEFLATE's 258, and repeats further back than
// DEFLATE's 32 KiB.
func TestZipMethodsWith7z(t *testing.T) {
	sevenZip, err := exec.LookPath("7z")
	if err != nil {
		t.Fatalf("7z not found (scripts/deps.sh test installs p7zip-full): %v", err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	noise := make([]byte, 40000)
	for i := range noise {
		noise[i] = byte(rng.IntN(256))
	}
	far := append(append(append([]byte{}, noise...), bytes.Repeat([]byte("x"), 20000)...), noise...)
	datas := map[string][]byte{
		"text.txt": bytes.Repeat([]byte("Quarterly report: figures and notes.\r\n"), 500),
		"run.bin":  append(bytes.Repeat([]byte{0}, 70000), 'z'),
		"far.bin":  far,
		"one.txt":  []byte("a"),
	}
	for _, m := range []struct {
		name   string
		method uint16
		flags  uint16
	}{{"deflate64", ZipDeflate64, 0}, {"lzma", ZipLZMA, 0}, {"lzma-eos", ZipLZMA, 2}} {
		t.Run(m.name, func(t *testing.T) {
			var entries []ZipEntry
			for name, data := range datas {
				entries = append(entries, ZipEntry{Name: name, Data: data, Method: m.method, Flags: m.flags})
			}
			dir := t.TempDir()
			file := filepath.Join(dir, "x.zip")
			if err := os.WriteFile(file, Zip(entries...), 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(sevenZip, "x", "-y", "-o"+dir, file).CombinedOutput()
			if err != nil {
				t.Fatalf("7z x: %v\n%s", err, out)
			}
			for name, data := range datas {
				got, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil || !bytes.Equal(got, data) {
					t.Errorf("%s: 7z extracted %d bytes (%v), want %d", name, len(got), err, len(data))
				}
			}
		})
	}
}
