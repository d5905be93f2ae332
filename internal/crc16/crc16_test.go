package crc16

import "testing"

// The check values of the CRC catalogue (CRC-16/XMODEM, "123456789" →
// 0x31C3) and ECMA-167's own example (7.2.6: the bytes 0x70 0x6A 0x77 →
// 0x3299).
func TestChecksum(t *testing.T) {
	for _, c := range []struct {
		in   string
		want uint16
	}{{"", 0}, {"123456789", 0x31C3}, {"\x70\x6a\x77", 0x3299}, {"A", 0x58E5}} {
		if got := Checksum([]byte(c.in)); got != c.want {
			t.Errorf("Checksum(%q) = %#04x, want %#04x", c.in, got, c.want)
		}
	}
}

// The CRC catalogue's check value for CRC-16/ARC ("123456789" → 0xBB3D),
// and UpdateARC in pieces gives the same.
func TestARC(t *testing.T) {
	if got := ARC([]byte("123456789")); got != 0xBB3D {
		t.Errorf("ARC(123456789) = %#04x, want 0xbb3d", got)
	}
	if got := UpdateARC(ARC([]byte("1234")), []byte("56789")); got != 0xBB3D {
		t.Errorf("UpdateARC in two pieces = %#04x, want 0xbb3d", got)
	}
}
