package formats

import "image"

// ProgressiveDCOnly is g as a progressive JPEG cut short after its first
// scan: the frame (SOF2, one grey component), a DC Huffman table and the
// scan of every block's DC term, then nothing (no AC scans, no EOI), as a
// download or a forward cut short leaves it. libjpeg, and so mail clients,
// browsers and phones, show it as it is: one grey level a block of 8×8, so
// a code whose modules are 16 pixels or more reads. image/jpeg refuses it
// (it wants an EOI). quant is the DC quantizer (1 to 255).
func ProgressiveDCOnly(g *image.Gray, quant int) []byte {
	out := progHeader(g, quant)
	out = append(out, 0xff, 0xda, 0, 8, 1, 1, 0x00, 0, 0, 0x00) // Ss=0 Se=0 Ah=0 Al=0
	return append(out, dcScan(g, quant, false)...)
}

// ProgressiveStopsAtMarker is g as a progressive JPEG with a restart
// marker after each row of blocks: its first scan is every block's DC term
// (as ProgressiveDCOnly), then comes an unknown marker (0xff 0x02), then a
// scan of two large AC terms in every block that stripe the picture beyond
// recognition, then an EOI. libjpeg stops at the unknown marker with an
// error, after the scan's last restart interval: it never reads the
// stripes, and a mail client keeps and shows the DC terms, blocky and
// readable. A reader that passes over the marker (libjpeg does so at a
// restart boundary, so a reader that does not know which interval it is
// in may do so here) searches the stripes and finds no code.
func ProgressiveStopsAtMarker(g *image.Gray, quant int) []byte {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	out := progHeader(g, quant)
	// An AC table of one code, '0': a term of 7 bits (run 0, size 7).
	out = append(out, 0xff, 0xc4, 0, 20, 0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x07)
	bw := (w + 7) / 8
	out = append(out, 0xff, 0xdd, 0, 4, byte(bw>>8), byte(bw)) // DRI: a row of blocks
	out = append(out, 0xff, 0xda, 0, 8, 1, 1, 0x00, 0, 0, 0x00)
	out = append(out, dcScan(g, quant, true)...)
	out = append(out, 0xff, 0x02)
	out = append(out, 0xff, 0xda, 0, 8, 1, 1, 0x00, 1, 2, 0x00) // Ss=1 Se=2 Ah=0 Al=0
	var b bitWriter
	seed := uint32(1)
	for by := 0; by < (h+7)/8; by++ {
		if by > 0 {
			out = append(append(out, b.flush()...), 0xff, byte(0xd0+(by-1)&7))
			b = bitWriter{}
		}
		for bx := 0; bx < bw; bx++ {
			for k := 0; k < 2; k++ {
				seed = seed*1103515245 + 12345
				v := 100 // ±100 times the quantizer: well past black and white
				if seed>>16&1 == 1 {
					v = -101 // -100, as its 7 bits are written (F.1.2.1)
				}
				b.put(0, 1)
				b.put(uint32(v)&0x7f, 7)
			}
		}
	}
	out = append(out, b.flush()...)
	return append(out, 0xff, 0xd9)
}

// soiFlatDQT is a JPEG's SOI and one quantization table (0) whose every
// term is quant.
func soiFlatDQT(quant int) []byte {
	out := []byte{0xff, 0xd8, 0xff, 0xdb, 0, 67, 0}
	for k := 0; k < 64; k++ {
		out = append(out, byte(quant))
	}
	return out
}

// progHeader is a progressive JPEG's SOI, quantization table (every term
// quant), frame (SOF2, one grey component) and DC Huffman table.
func progHeader(g *image.Gray, quant int) []byte {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	out := soiFlatDQT(quant)
	out = append(out, 0xff, 0xc2, 0, 11, 8, byte(h>>8), byte(h), byte(w>>8), byte(w), 1, 1, 0x11, 0)
	// The DC table of the standard's example (K.3, luminance).
	dht := append([]byte{0xff, 0xc4, 0, 31, 0x00}, dcCounts[:]...)
	for v := 0; v < 12; v++ {
		dht = append(dht, byte(v))
	}
	return append(out, dht...)
}

var dcCounts = [16]byte{0, 1, 5, 1, 1, 1, 1, 1, 1}

// dcScan is the coded data of a scan of every block's DC term; with
// restarts, a restart marker after each row of blocks (the predictor back
// to 0 after it).
func dcScan(g *image.Gray, quant int, restarts bool) []byte {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	// Canonical codes of the table: the category is the symbol.
	var code [12]uint32
	var size [12]int
	c, sym := uint32(0), 0
	for l := 1; l <= 16; l++ {
		for i := 0; i < int(dcCounts[l-1]); i++ {
			code[sym], size[sym] = c, l
			c++
			sym++
		}
		c <<= 1
	}
	var out []byte
	var bw bitWriter
	prev := 0
	for by := 0; by < (h+7)/8; by++ {
		if restarts && by > 0 {
			out = append(append(out, bw.flush()...), 0xff, byte(0xd0+(by-1)&7))
			bw, prev = bitWriter{}, 0
		}
		for bx := 0; bx < (w+7)/8; bx++ {
			// DC = Σ(p-128)/8; edge blocks repeat the last row and column.
			sum := 0
			for y := by * 8; y < by*8+8; y++ {
				for x := bx * 8; x < bx*8+8; x++ {
					sum += int(g.Pix[min(y, h-1)*g.Stride+min(x, w-1)]) - 128
				}
			}
			dc := divRound(sum, 8*quant)
			diff := dc - prev
			prev = dc
			cat, bits := 0, diff
			for a := abs(diff); a > 0; a >>= 1 {
				cat++
			}
			if diff < 0 {
				bits = diff - 1
			}
			bw.put(code[cat], size[cat])
			bw.put(uint32(bits)&(1<<cat-1), cat)
		}
	}
	return append(out, bw.flush()...)
}

func divRound(a, b int) int {
	if a < 0 {
		return -((-a + b/2) / b)
	}
	return (a + b/2) / b
}

func abs(a int) int {
	if a < 0 {
		return -a
	}
	return a
}

// bitWriter writes entropy-coded bits, a 0x00 stuffed after each 0xff.
type bitWriter struct {
	out  []byte
	acc  uint32
	nacc int
}

func (b *bitWriter) put(v uint32, n int) {
	for i := n - 1; i >= 0; i-- {
		b.acc = b.acc<<1 | v>>i&1
		b.nacc++
		if b.nacc == 8 {
			b.out = append(b.out, byte(b.acc))
			if byte(b.acc) == 0xff {
				b.out = append(b.out, 0)
			}
			b.acc, b.nacc = 0, 0
		}
	}
}

// flush pads the last byte with 1 bits, as encoders do.
func (b *bitWriter) flush() []byte {
	if b.nacc > 0 {
		b.put(1<<(8-b.nacc)-1, 8-b.nacc)
	}
	return b.out
}
