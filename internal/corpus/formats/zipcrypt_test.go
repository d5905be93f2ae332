package formats

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// The encrypted zips of the corpus are what the real tools open: 7-Zip
// (7zz) extracts ZipCrypto and WinZip AES-128 and AES-256 members, stored
// and deflated, with the password, and Info-ZIP's unzip the ZipCrypto ones
// (it has no AES); both refuse a wrong password.
func TestEncryptedZipRealTools(t *testing.T) {
	need := func(tool string) string {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Fatalf("%s not found (scripts/deps.sh test installs it): %v", tool, err)
		}
		return p
	}
	sevenZip, unzip := need("7zz"), need("unzip")
	data := bytes.Repeat([]byte("WScript.Shell kensa corpus stand-in\r\n"), 40)
	const pw = "Zq-4471 ü"
	for _, aes := range []byte{0, 1, 3} {
		for _, deflate := range []bool{false, true} {
			dir := t.TempDir()
			file := filepath.Join(dir, "x.zip")
			if err := os.WriteFile(file, EncryptedZip(pw, aes, deflate, ZipEntry{Name: "a.js", Data: data}), 0o600); err != nil {
				t.Fatal(err)
			}
			extract := map[string][]string{"7zz": {sevenZip, "e", "-so", "-p" + pw, file}}
			wrong := map[string][]string{"7zz": {sevenZip, "e", "-so", "-pnot-it", file}}
			if aes == 0 {
				extract["unzip"] = []string{unzip, "-p", "-P", pw, file}
				wrong["unzip"] = []string{unzip, "-p", "-P", "not-it", file}
			}
			for tool, args := range extract {
				got, err := exec.Command(args[0], args[1:]...).Output()
				if err != nil || !bytes.Equal(got, data) {
					t.Errorf("AES %d deflate %v: %s extracted %d bytes (%v), want %d", aes, deflate, tool, len(got), err, len(data))
				}
				if got, err := exec.Command(wrong[tool][0], wrong[tool][1:]...).Output(); err == nil && bytes.Equal(got, data) {
					t.Errorf("AES %d deflate %v: %s extracted with a wrong password", aes, deflate, tool)
				}
			}
		}
	}
}
