package unpack

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// A 7z item with data whose attributes say "folder": 7-Zip and bsdtar
// extract it as a file, so it is read. The archive is made by 7z (headers
// uncompressed) and its attributes set to FILE_ATTRIBUTE_DIRECTORY.
func TestSevenZipFolderWithData(t *testing.T) {
	sevenZip, err := exec.LookPath("7z")
	if err != nil {
		t.Fatalf("7z not found (scripts/deps.sh test installs p7zip-full): %v", err)
	}
	dir := t.TempDir()
	js := []byte("WScript.Shell kensa test\n")
	if err := os.WriteFile(filepath.Join(dir, "a.js"), js, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(sevenZip, "a", "-mhc=off", "-mx=0", "-bd", "x.7z", "a.js")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("7z a: %v\n%s", err, out)
	}
	b, err := os.ReadFile(filepath.Join(dir, "x.7z"))
	if err != nil {
		t.Fatal(err)
	}
	le := binary.LittleEndian
	at, size := 32+int(le.Uint64(b[12:])), int(le.Uint64(b[20:]))
	hdr := b[at : at+size]
	// kWinAttributes (0x15), its size, all defined, not external, then the attributes.
	i := bytes.Index(hdr, []byte{0x15, 6, 1, 0})
	if i < 0 {
		t.Fatalf("no attributes property in the header %x", hdr)
	}
	le.PutUint32(hdr[i+4:], 0x10)
	le.PutUint32(b[28:], crc32.ChecksumIEEE(hdr))
	le.PutUint32(b[8:], crc32.ChecksumIEEE(b[12:32]))
	file := filepath.Join(dir, "dir.7z")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	out, _ := exec.Command(sevenZip, "l", "-slt", "-ba", file).Output()
	if !strings.Contains(string(out), "Attributes = D") || !strings.Contains(string(out), "Size = 25") {
		t.Fatalf("7z does not list a folder attribute with data:\n%s", out)
	}
	m := mail("", "", "x.7z", b)
	expand(t, m, Options{})
	if p := mustPart(t, m, "2/x.7z/a.js"); !bytes.Equal(p.Content, js) {
		t.Errorf("a.js = %q", p.Content)
	}
}
