package formats

import (
	"image"
	"math"
)

// SequentialLumaTwice is g as a baseline JPEG (SOF0, three components) of
// three scans: luma whole (every block's DC and AC terms), the two chroma
// components (neutral), then luma again with the same DC terms and no AC
// terms. A baseline file whose first scan lacks a component is read whole
// by libjpeg, which merges a component scanned again into what it has: the
// DC terms are replaced, an AC term only where the later scan codes one. So
// mail clients, browsers and phones show g; a reader that shows the last
// luma scan alone (Go's image/jpeg) shows the mean of each block of 8×8,
// and a code whose modules are smaller than a block does not read from it.
// quant (1 to 255) is every term's quantizer: 2 keeps a black and white
// picture's terms within baseline's sizes.
func SequentialLumaTwice(g *image.Gray, quant int) []byte {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	out := soiFlatDQT(quant)
	out = append(out, 0xff, 0xc0, 0, 17, 8, byte(h>>8), byte(h), byte(w>>8), byte(w), 3,
		1, 0x11, 0, 2, 0x11, 0, 3, 0x11, 0)
	// Tables of codes of one length: DC categories 0-11 in 4 bits, every
	// AC symbol (end of block, run of 16 zeros, runs 0-15 of sizes 1-10)
	// in 8. The code of a symbol is its index among the table's values.
	dht := []byte{0xff, 0xc4, 0, 31, 0x00, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	for v := 0; v < 12; v++ {
		dht = append(dht, byte(v))
	}
	out = append(out, dht...)
	acVals := []byte{0x00, 0xf0}
	for r := 0; r < 16; r++ {
		for s := 1; s <= 10; s++ {
			acVals = append(acVals, byte(r<<4|s))
		}
	}
	acCode := map[byte]uint32{}
	for i, v := range acVals {
		acCode[v] = uint32(i)
	}
	n := 2 + 1 + 16 + len(acVals)
	out = append(out, 0xff, 0xc4, byte(n>>8), byte(n), 0x10, 0, 0, 0, 0, 0, 0, 0, byte(len(acVals)), 0, 0, 0, 0, 0, 0, 0, 0)
	out = append(out, acVals...)

	bw, bh := (w+7)/8, (h+7)/8
	blocks := make([][64]int, bw*bh) // quantized terms, zig-zag order
	for by := 0; by < bh; by++ {
		for bx := 0; bx < bw; bx++ {
			blocks[by*bw+bx] = fdct(g, bx, by, quant)
		}
	}
	dcTerm := func(b *bitWriter, diff int) {
		cat, bits := category(diff)
		b.put(uint32(cat), 4)
		b.put(bits, cat)
	}
	scan := func(comps []byte, block func(b *bitWriter, i int, prev *int)) {
		out = append(out, 0xff, 0xda, 0, byte(6+2*len(comps)), byte(len(comps)))
		for _, c := range comps {
			out = append(out, c, 0x00)
		}
		out = append(out, 0, 63, 0)
		var b bitWriter
		prev := make([]int, len(comps))
		for i := range blocks {
			for k := range comps {
				block(&b, i, &prev[k])
			}
		}
		out = append(out, b.flush()...)
	}
	// Luma whole.
	scan([]byte{1}, func(b *bitWriter, i int, prev *int) {
		z := &blocks[i]
		dcTerm(b, z[0]-*prev)
		*prev = z[0]
		run := 0
		for k := 1; k < 64; k++ {
			if z[k] == 0 {
				run++
				continue
			}
			for ; run > 15; run -= 16 {
				b.put(acCode[0xf0], 8)
			}
			cat, bits := category(z[k])
			b.put(acCode[byte(run<<4|cat)], 8)
			b.put(bits, cat)
			run = 0
		}
		if run > 0 {
			b.put(acCode[0x00], 8)
		}
	})
	// Neutral chroma: every term zero.
	scan([]byte{2, 3}, func(b *bitWriter, i int, prev *int) {
		dcTerm(b, 0)
		b.put(acCode[0x00], 8)
	})
	// Luma again: the same DC terms, no AC term.
	scan([]byte{1}, func(b *bitWriter, i int, prev *int) {
		dcTerm(b, blocks[i][0]-*prev)
		*prev = blocks[i][0]
		b.put(acCode[0x00], 8)
	})
	return append(out, 0xff, 0xd9)
}

// category is the size of v's magnitude in bits and the bits that code v
// (F.1.2.1: a negative value as v-1, in that many bits).
func category(v int) (int, uint32) {
	cat := 0
	for a := abs(v); a > 0; a >>= 1 {
		cat++
	}
	if v < 0 {
		v--
	}
	return cat, uint32(v) & (1<<cat - 1)
}

// fdct is the block at (bx, by) of g (edge blocks repeat the last row and
// column), its forward DCT (A.3.3) quantized by quant, in zig-zag order.
func fdct(g *image.Gray, bx, by, quant int) (z [64]int) {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	var p [8][8]float64
	for y := 0; y < 8; y++ {
		for x := 0; x < 8; x++ {
			p[y][x] = float64(g.Pix[min(by*8+y, h-1)*g.Stride+min(bx*8+x, w-1)]) - 128
		}
	}
	i := 0
	for s := 0; s < 15; s++ { // the zig-zag walk of the diagonals
		for k := 0; k <= s; k++ {
			u, v := k, s-k // u across, v down; even diagonals run up
			if s%2 == 1 {
				u, v = s-k, k
			}
			if u > 7 || v > 7 {
				continue
			}
			sum := 0.0
			for y := 0; y < 8; y++ {
				for x := 0; x < 8; x++ {
					sum += p[y][x] * math.Cos(float64(2*x+1)*float64(u)*math.Pi/16) * math.Cos(float64(2*y+1)*float64(v)*math.Pi/16)
				}
			}
			cu, cv := 1.0, 1.0
			if u == 0 {
				cu = math.Sqrt2 / 2
			}
			if v == 0 {
				cv = math.Sqrt2 / 2
			}
			z[i] = int(math.Round(sum * cu * cv / 4 / float64(quant)))
			i++
		}
	}
	return z
}
