package jpegluma

// The inverse DCT, folded with the box average of each scale. Both are
// linear, so the mean of s×s output pixels is a smaller transform of the
// same coefficients: at 1/2 the frequencies above 4 alias onto those below
// (cos((2m+1)(8-j)π/8) = -cos((2m+1)jπ/8)) and frequency 4 averages out; at
// 1/4 only the odd frequencies and DC survive the average; at 1/8 only DC.
// Each 1-D kernel returns √8 times the exact samples (or means), scaled by
// 2^constBits, like the textbook factorization of the 8-point transform
// (Loeffler, Ligtenberg and Moschytz, 1989) that the full scale uses.
//
// The arithmetic is exact in int64 for any coefficients a scan can carry
// (|c| ≤ 2^15: products under 2^33 in the first pass, 2^50 in the second),
// so the order of additions does not change a pixel; int32 would overflow
// on them. The kernels take their DC input already scaled, with the
// rounding (and at the end the +128 level shift) added to it: every output
// holds it once, which is a rounding of each output.

const (
	constBits = 16
	passBits  = 8 // fraction bits kept between the row and the column pass
	rowShift  = constBits - passBits
	outShift  = constBits + passBits + 3 // and the 8 of √8·√8
	rowBias   = 1 << (rowShift - 1)
	outBias   = 1<<(outShift-1) + 128<<outShift
)

// The kernels' constants: round(x·2^constBits) of the values TestConstants
// derives them from.
const (
	// Full scale: the LL&M factorization (12 multiplications).
	f0298 = 19571  // 0.298631336
	f0390 = 25571  // 0.390180644
	f0541 = 35468  // 0.541196100
	f0765 = 50159  // 0.765366865
	f0899 = 58981  // 0.899976223
	f1175 = 77062  // 1.175875602
	f1501 = 98391  // 1.501321110
	f1847 = 121095 // 1.847759065
	f1961 = 128553 // 1.961570560
	f2053 = 134553 // 2.053119869
	f2562 = 167963 // 2.562915447
	f3072 = 201373 // 3.072711026

	// Half scale: fold the 8 frequencies onto 4 (Z_j = A_j X_j - B_j
	// X_{8-j}, A_j = √2 cos(jπ/16), B_j = √2 cos((8-j)π/16)), then a
	// 4-point inverse DCT with c_k = cos(kπ/8).
	h1a, h1b = 83982, 16705 // c1·A1, c1·B1: o_a = c1 Z1 + c3 Z3
	h3a, h3b = 29490, 19705 // c3·A3, c3·B3
	h1c, h1d = 34786, 6919  // c3·A1, c3·B1: o_b = c3 Z1 - c1 Z3
	h3c, h3d = 71196, 47572 // c1·A3, c1·B3
	h2a, h2b = 60547, 25080 // c4·A2, c4·B2: c4 Z2

	// Quarter scale: y0,1 = X_0 ± Σ_odd q_k X_k, q_k = √2/4 Σ_{j<4}
	// cos((2j+1)kπ/16).
	q1, q3, q5, q7 = 59384, -20853, 13933, -11812
)

// idct8 is the 8-point kernel of x0 (the DC input times 2^constBits, plus
// a bias) and x1..x7.
func idct8(x0, x1, x2, x3, x4, x5, x6, x7 int64) (y0, y1, y2, y3, y4, y5, y6, y7 int64) {
	// Even part.
	z1 := (x2 + x6) * f0541
	t2 := z1 - x6*f1847
	t3 := z1 + x2*f0765
	t0 := x0 + x4<<constBits
	t1 := x0 - x4<<constBits
	t10, t13 := t0+t3, t0-t3
	t11, t12 := t1+t2, t1-t2
	// Odd part.
	o0, o1, o2, o3 := x7, x5, x3, x1
	a1, a2, a3, a4 := o0+o3, o1+o2, o0+o2, o1+o3
	z5 := (a3 + a4) * f1175
	o0 *= f0298
	o1 *= f2053
	o2 *= f3072
	o3 *= f1501
	a1 *= -f0899
	a2 *= -f2562
	a3 = a3*-f1961 + z5
	a4 = a4*-f0390 + z5
	o0 += a1 + a3
	o1 += a2 + a4
	o2 += a2 + a3
	o3 += a1 + a4
	return t10 + o3, t11 + o2, t12 + o1, t13 + o0, t13 - o0, t12 - o1, t11 - o2, t10 - o3
}

// idct4 is the half-scale kernel: four means of two samples each. X4
// averages out.
func idct4(x0, x1, x2, x3, x5, x6, x7 int64) (y0, y1, y2, y3 int64) {
	z2 := x2*h2a - x6*h2b
	ea, eb := x0+z2, x0-z2
	oa := x1*h1a - x7*h1b + x3*h3a - x5*h3b
	ob := x1*h1c - x7*h1d - x3*h3c + x5*h3d
	return ea + oa, eb + ob, eb - ob, ea - oa
}

// idct2 is the quarter-scale kernel: two means of four samples each.
func idct2(x0, x1, x3, x5, x7 int64) (y0, y1 int64) {
	s := x1*q1 + x3*q3 + x5*q5 + x7*q7
	return x0 + s, x0 - s
}

// put writes the (8>>sh)² pixels of a block whose coefficients (natural
// order, dequantized) lie in rows 0..rows and columns 0..cols of blk, or
// the nw×nh of them at the top left that are inside the image.
func put(sh int, blk *[64]int64, rows, cols int, dst []byte, stride, nw, nh int) {
	if sh == 3 || rows == 0 && cols == 0 { // flat: the DC term alone
		fill(dst, stride, nw, nh, clamp((blk[0]<<(constBits+passBits)+outBias)>>outShift))
		return
	}
	rows &= 7
	switch sh {
	case 0:
		put8(blk, rows, cols, dst, stride, nw, nh)
	case 1:
		put4(blk, rows, cols, dst, stride, nw, nh)
	default:
		put2(blk, rows, cols, dst, stride, nw, nh)
	}
}

func fill(dst []byte, stride, nw, nh int, p byte) {
	for y := 0; y < nh; y++ {
		row := dst[y*stride : y*stride+nw]
		for x := range row {
			row[x] = p
		}
	}
}

// put8 is put at full scale. The row pass leaves ws[v*8+x]: row v of the
// block transformed along x, with passBits of fraction. A row without AC
// terms goes through the kernel like any other: it comes out flat, r[0] <<
// passBits exactly, and testing each row for it was a branch a photograph's
// blocks take at random (put4 likewise).
func put8(blk *[64]int64, rows, cols int, dst []byte, stride, nw, nh int) {
	var ws [64]int64
	for v := 0; v <= rows; v++ {
		r := (*[8]int64)(blk[v*8:])
		w := (*[8]int64)(ws[v*8:])
		if cols == 0 {
			dc := r[0] << passBits
			w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7] = dc, dc, dc, dc, dc, dc, dc, dc
			continue
		}
		y0, y1, y2, y3, y4, y5, y6, y7 := idct8(r[0]<<constBits+rowBias, r[1], r[2], r[3], r[4], r[5], r[6], r[7])
		w[0], w[1], w[2], w[3] = y0>>rowShift, y1>>rowShift, y2>>rowShift, y3>>rowShift
		w[4], w[5], w[6], w[7] = y4>>rowShift, y5>>rowShift, y6>>rowShift, y7>>rowShift
	}
	n := nw
	if cols == 0 {
		n = 1 // every column the same: the first, copied
	}
	var out [8]int64
	for x := 0; x < n; x++ {
		c := ws[x&7:]
		if rows == 0 {
			p := clamp((c[0]<<constBits + outBias) >> outShift)
			for y := 0; y < nh; y++ {
				dst[y*stride+x] = p
			}
			continue
		}
		y0, y1, y2, y3, y4, y5, y6, y7 := idct8(c[0]<<constBits+outBias, c[8], c[16], c[24], c[32], c[40], c[48], c[56])
		if nh == 8 {
			d := dst[x : x+7*stride+1]
			d[7*stride] = clamp(y7 >> outShift)
			d[0] = clamp(y0 >> outShift)
			d[stride] = clamp(y1 >> outShift)
			d[2*stride] = clamp(y2 >> outShift)
			d[3*stride] = clamp(y3 >> outShift)
			d[4*stride] = clamp(y4 >> outShift)
			d[5*stride] = clamp(y5 >> outShift)
			d[6*stride] = clamp(y6 >> outShift)
			continue
		}
		out = [8]int64{y0, y1, y2, y3, y4, y5, y6, y7}
		for y := 0; y < nh; y++ {
			dst[y*stride+x] = clamp(out[y] >> outShift)
		}
	}
	if cols == 0 {
		copyFirst(dst, stride, nw, nh)
	}
}

// put4 is put at half scale; row 4 and column 4 average out.
func put4(blk *[64]int64, rows, cols int, dst []byte, stride, nw, nh int) {
	var ws [32]int64 // ws[v*4+x]
	for v := 0; v <= rows; v++ {
		if v == 4 {
			continue
		}
		r := (*[8]int64)(blk[v*8:])
		w := (*[4]int64)(ws[v*4:])
		if cols == 0 {
			dc := r[0] << passBits
			w[0], w[1], w[2], w[3] = dc, dc, dc, dc
			continue
		}
		y0, y1, y2, y3 := idct4(r[0]<<constBits+rowBias, r[1], r[2], r[3], r[5], r[6], r[7])
		w[0], w[1], w[2], w[3] = y0>>rowShift, y1>>rowShift, y2>>rowShift, y3>>rowShift
	}
	n := nw
	if cols == 0 {
		n = 1
	}
	for x := 0; x < n; x++ {
		c := ws[x&3:]
		y0, y1, y2, y3 := idct4(c[0]<<constBits+outBias, c[4], c[8], c[12], c[20], c[24], c[28])
		if nh == 4 {
			d := dst[x : x+3*stride+1]
			d[3*stride] = clamp(y3 >> outShift)
			d[0] = clamp(y0 >> outShift)
			d[stride] = clamp(y1 >> outShift)
			d[2*stride] = clamp(y2 >> outShift)
			continue
		}
		out := [4]int64{y0, y1, y2, y3}
		for y := 0; y < nh; y++ {
			dst[y*stride+x] = clamp(out[y&3] >> outShift)
		}
	}
	if cols == 0 {
		copyFirst(dst, stride, nw, nh)
	}
}

// put2 is put at quarter scale; only the odd rows and columns, and the
// first, do not average out.
func put2(blk *[64]int64, rows, cols int, dst []byte, stride, nw, nh int) {
	var ws [16]int64 // ws[v*2+x]
	for v := 0; v <= rows; v++ {
		if v != 0 && v&1 == 0 {
			continue
		}
		r := (*[8]int64)(blk[v*8:])
		if cols == 0 || r[1]|r[3]|r[5]|r[7] == 0 {
			dc := r[0] << passBits
			ws[v*2], ws[v*2+1] = dc, dc
			continue
		}
		y0, y1 := idct2(r[0]<<constBits+rowBias, r[1], r[3], r[5], r[7])
		ws[v*2], ws[v*2+1] = y0>>rowShift, y1>>rowShift
	}
	for x := 0; x < nw; x++ {
		c := ws[x&1:]
		y0, y1 := idct2(c[0]<<constBits+outBias, c[2], c[6], c[10], c[14])
		dst[x] = clamp(y0 >> outShift)
		if nh == 2 {
			dst[stride+x] = clamp(y1 >> outShift)
		}
	}
}

// copyFirst copies the first column of the nw×nh pixels at dst to the
// others.
func copyFirst(dst []byte, stride, nw, nh int) {
	for y := 0; y < nh; y++ {
		row := dst[y*stride : y*stride+nw]
		for x := 1; x < len(row); x++ {
			row[x] = row[0]
		}
	}
}

// clamp is v limited to 0..255, without branches: photographs' noise puts
// many pixels past the limits, at random.
func clamp(v int64) byte {
	v &^= v >> 63        // below 0: 0
	v |= (255 - v) >> 63 // above 255: all ones
	return byte(v)
}
