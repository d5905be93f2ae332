package formats

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// 7-Zip (p7zip's 7z: Debian's 7zz is built without RAR) extracts what
// EncryptedRAR5 writes with the password, its names encrypted or not, and
// refuses a wrong one.
func TestEncryptedRAR5With7z(t *testing.T) {
	sevenZip, err := exec.LookPath("7z")
	if err != nil {
		t.Fatalf("7z not found (scripts/deps.sh test installs p7zip-full): %v", err)
	}
	data := []byte("WScript.Shell kensa corpus stand-in\r\n")
	for _, headers := range []bool{false, true} {
		file := filepath.Join(t.TempDir(), "x.rar")
		if err := os.WriteFile(file, EncryptedRAR5("Rx-5512", headers, File{"a.txt", []byte("first")}, File{"b.js", data}), 0o600); err != nil {
			t.Fatal(err)
		}
		got, err := exec.Command(sevenZip, "x", "-so", "-pRx-5512", file, "b.js").Output()
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("headers %v: 7z extracted %q (%v), want %q", headers, got, err, data)
		}
		if out, err := exec.Command(sevenZip, "t", "-pwrong", file).CombinedOutput(); err == nil {
			t.Errorf("headers %v: 7z opened it with a wrong password:\n%s", headers, out)
		}
	}
}
