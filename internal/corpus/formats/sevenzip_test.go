package formats

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// 7-Zip reads what SevenZip writes: the name, the attributes, the data
// (small, and large enough for multi-byte numbers).
func TestSevenZipWith7z(t *testing.T) {
	sevenZip, err := exec.LookPath("7z")
	if err != nil {
		t.Fatalf("7z not found (scripts/deps.sh test installs p7zip-full): %v", err)
	}
	for _, data := range [][]byte{[]byte("WScript.Shell kensa test\n"), bytes.Repeat([]byte("0123456789"), 2000)} {
		dir := t.TempDir()
		file := filepath.Join(dir, "x.7z")
		if err := os.WriteFile(file, SevenZip("請求書.js", data, 0x10), 0o600); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(sevenZip, "x", "-y", "-o"+dir, file).CombinedOutput()
		if err != nil {
			t.Fatalf("7z x: %v\n%s", err, out)
		}
		got, err := os.ReadFile(filepath.Join(dir, "請求書.js"))
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("7z extracted %d bytes (%v), want %d:\n%s", len(got), err, len(data), out)
		}
		list, _ := exec.Command(sevenZip, "l", "-slt", "-ba", file).Output()
		if !strings.Contains(string(list), "Attributes = D") {
			t.Errorf("attributes not read:\n%s", list)
		}
	}
}
