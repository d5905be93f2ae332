package testmail

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"
)

func TestBase64(t *testing.T) {
	for _, n := range []int{0, 1, 56, 57, 58, 114, 1000} {
		b := bytes.Repeat([]byte{0xfb, 'x', 0}, n)[:n]
		s := Base64(b)
		lines := strings.Split(s, "\r\n")
		for i, l := range lines {
			if len(l) > 76 || (i < len(lines)-1 && len(l) != 76) || strings.ContainsAny(l, "\r\n") {
				t.Fatalf("n=%d: line %d of %d characters", n, i, len(l))
			}
		}
		got, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(s, "\r\n", ""))
		if err != nil || !bytes.Equal(got, b) {
			t.Fatalf("n=%d: does not decode back: %v", n, err)
		}
	}
}
