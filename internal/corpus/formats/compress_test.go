package formats

import (
	"bytes"
	"os/exec"
	"testing"
)

// The single-stream writers' output is what the real tools read back:
// ncompress's compress -d, lzip -d, lz4 -d.
func TestStreamWriters(t *testing.T) {
	data := bytes.Repeat([]byte("MZ Kensa corpus: a stand-in, written by our writers. "), 3000)
	for _, c := range []struct {
		tool string
		args []string
		b    []byte
	}{
		{"compress", []string{"-d", "-c"}, Compress(data, 16, true, false)},
		{"compress", []string{"-d", "-c"}, Compress(data, 9, false, false)},
		{"lzip", []string{"-d", "-c"}, Lzip(data)},
		{"lz4", []string{"-d", "-c"}, Lz4(data)},
	} {
		bin, err := exec.LookPath(c.tool)
		if err != nil {
			t.Fatalf("%s not found (scripts/deps.sh test installs it): %v", c.tool, err)
		}
		cmd := exec.Command(bin, c.args...)
		cmd.Stdin = bytes.NewReader(c.b)
		got, err := cmd.Output()
		if err != nil || !bytes.Equal(got, data) {
			t.Errorf("%s read %d bytes (%v), we wrote %d", c.tool, len(got), err, len(data))
		}
	}
}
