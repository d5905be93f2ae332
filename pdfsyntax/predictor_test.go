package pdfsyntax

import (
	"bytes"
	"io"
	"strings"
	"testing"
)

// TestUnpredict: three pixels a row of one 8-bit component, each PNG
// filter type once, then TIFF predictor 2, and the parameters refused.
func TestUnpredict(t *testing.T) {
	png := []byte{
		0, 10, 20, 30, // None
		1, 5, 5, 5, // Sub: 5 10 15
		2, 1, 1, 1, // Up: 6 11 16
		3, 4, 2, 2, // Average: 6/2+4=7, (7+11)/2+2=11, (11+16)/2+2=15
		4, 1, 1, 1, // Paeth: left/up/up-left of each byte picked as PNG does: 8, 12, 16
		0, 9, // a short last row: what there is
	}
	r, err := Unpredict(bytes.NewReader(png), 15, 1, 8, 3)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(r)
	want := []byte{10, 20, 30, 5, 10, 15, 6, 11, 16, 7, 11, 15, 8, 12, 16, 9}
	if !bytes.Equal(got, want) {
		t.Errorf("PNG: got %v, want %v", got, want)
	}
	r, err = Unpredict(bytes.NewReader([]byte{1, 2, 3, 10, 1, 1}), 2, 1, 8, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := io.ReadAll(r); !bytes.Equal(got, []byte{1, 3, 6, 10, 11, 12}) {
		t.Errorf("TIFF: got %v", got)
	}
	if r, _ := Unpredict(strings.NewReader("as is"), 1, 0, 0, 0); r == nil {
		t.Error("predictor 1 is none")
	}
	for _, p := range [][4]int{{15, 0, 8, 1}, {15, 1, 3, 1}, {15, 1, 8, 1 << 21}, {2, 1, 4, 8}, {7, 1, 8, 1}} {
		if _, err := Unpredict(strings.NewReader(""), p[0], p[1], p[2], p[3]); err == nil {
			t.Errorf("Unpredict%v accepted", p)
		}
	}
}
