package message

import "testing"

// UTF16LE and UTF16BE read both byte orders, pair surrogates, mark a lone
// one and drop an odd last byte.
func TestUTF16(t *testing.T) {
	for _, tt := range []struct {
		le, be []byte
		want   string
	}{
		{[]byte("a\x00\x42\x30"), []byte("\x00a\x30\x42"), "aあ"},
		{[]byte("\x3d\xd8\x00\xde"), []byte("\xd8\x3d\xde\x00"), "😀"},
		{[]byte("\x3d\xd8a\x00"), []byte("\xd8\x3d\x00a"), "\uFFFDa"},
		{[]byte("a\x00b"), []byte("\x00ab"), "a"},
		{nil, nil, ""},
	} {
		if got := UTF16LE(tt.le); got != tt.want {
			t.Errorf("UTF16LE(%x) = %q, want %q", tt.le, got, tt.want)
		}
		if got := UTF16BE(tt.be); got != tt.want {
			t.Errorf("UTF16BE(%x) = %q, want %q", tt.be, got, tt.want)
		}
	}
}
