package jpegluma

import "math"

// The inverse DCT, folded with the box average of each scale. Both are
// linear, so the mean of s×s output pixels is a smaller transform of the
// same coefficients: at 1/2 the frequencies above 4 alias onto those below
// (cos((2m+1)(8-j)π/8) = -cos((2m+1)jπ/8)) and frequency 4 averages out; at
// 1/4 only the odd frequencies and DC survive the average; at 1/8 only DC.
// Each 1-D kernel returns √8 times the exact samples (or means), scaled by
// 2^constBits, like the textbook factorization of the 8-point transform
// (Loeffler, Ligtenberg and Moschytz, 1989) that the full scale uses.

const (
	constBits = 16
	passBits  = 8 // fraction bits kept between the row and the column pass
)

func fix(x float64) int64 { return int64(math.Round(x * (1 << constBits))) }

// Full scale: the LL&M factorization (12 multiplications).
var (
	f0298 = fix(0.298631336)
	f0390 = fix(0.390180644)
	f0541 = fix(0.541196100)
	f0765 = fix(0.765366865)
	f0899 = fix(0.899976223)
	f1175 = fix(1.175875602)
	f1501 = fix(1.501321110)
	f1847 = fix(1.847759065)
	f1961 = fix(1.961570560)
	f2053 = fix(2.053119869)
	f2562 = fix(2.562915447)
	f3072 = fix(3.072711026)
)

func idct8(in *[8]int64, out *[8]int64) {
	// Even part.
	z1 := (in[2] + in[6]) * f0541
	t2 := z1 - in[6]*f1847
	t3 := z1 + in[2]*f0765
	t0 := (in[0] + in[4]) << constBits
	t1 := (in[0] - in[4]) << constBits
	t10, t13 := t0+t3, t0-t3
	t11, t12 := t1+t2, t1-t2
	// Odd part.
	o0, o1, o2, o3 := in[7], in[5], in[3], in[1]
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
	out[0], out[7] = t10+o3, t10-o3
	out[1], out[6] = t11+o2, t11-o2
	out[2], out[5] = t12+o1, t12-o1
	out[3], out[4] = t13+o0, t13-o0
}

// Half scale: fold the 8 frequencies onto 4 (Z_j = A_j X_j - B_j X_{8-j},
// A_j = √2 cos(jπ/16), B_j = √2 cos((8-j)π/16)), then a 4-point inverse DCT.
var h1a, h1b, h3a, h3b, h1c, h1d, h3c, h3d, h2a, h2b int64

// Quarter scale: y0,1 = X_0 ± Σ_odd q_k X_k.
var q1, q3, q5, q7 int64

func init() {
	a := func(j int) float64 { return math.Sqrt2 * math.Cos(float64(j)*math.Pi/16) }
	c1, c3, c4 := math.Cos(math.Pi/8), math.Cos(3*math.Pi/8), math.Cos(math.Pi/4)
	h1a, h1b = fix(c1*a(1)), fix(c1*a(7)) // o_a = c1 Z1 + c3 Z3
	h3a, h3b = fix(c3*a(3)), fix(c3*a(5))
	h1c, h1d = fix(c3*a(1)), fix(c3*a(7)) // o_b = c3 Z1 - c1 Z3
	h3c, h3d = fix(c1*a(3)), fix(c1*a(5))
	h2a, h2b = fix(c4*a(2)), fix(c4*a(6)) // c4 Z2
	q := func(k int) int64 {
		s := 0.0
		for j := 0; j < 4; j++ {
			s += math.Cos(float64((2*j+1)*k) * math.Pi / 16)
		}
		return fix(math.Sqrt2 / 4 * s)
	}
	q1, q3, q5, q7 = q(1), q(3), q(5), q(7)
}

func idct4(in *[8]int64, out *[8]int64) {
	x0 := in[0] << constBits
	z2 := in[2]*h2a - in[6]*h2b
	ea, eb := x0+z2, x0-z2
	oa := in[1]*h1a - in[7]*h1b + in[3]*h3a - in[5]*h3b
	ob := in[1]*h1c - in[7]*h1d - in[3]*h3c + in[5]*h3d
	out[0], out[3] = ea+oa, ea-oa
	out[1], out[2] = eb+ob, eb-ob
}

func idct2(in *[8]int64, out *[8]int64) {
	x0 := in[0] << constBits
	s := in[1]*q1 + in[3]*q3 + in[5]*q5 + in[7]*q7
	out[0], out[1] = x0+s, x0-s
}

// kernel runs the 1-D kernel of scale shift sh (a switch, not a table of
// functions: through a function value, in and out would escape to the heap).
func kernel(sh int, in, out *[8]int64) {
	switch sh {
	case 0:
		idct8(in, out)
	case 1:
		idct4(in, out)
	default:
		idct2(in, out)
	}
}

// put writes the (8>>sh)² pixels of a block whose coefficients (natural
// order, dequantized) lie in rows 0..rows and columns 0..cols of blk, or
// the nw×nh of them at the top left that are inside the image.
func put(sh int, blk *[64]int64, rows, cols int, dst []byte, stride, nw, nh int) {
	const (
		rowShift = constBits - passBits
		outShift = constBits + passBits + 3 // and the 8 of √8·√8
	)
	n := 8 >> sh
	if sh == 3 || rows == 0 && cols == 0 { // flat: the DC term alone
		v := (blk[0]<<(constBits+passBits) + 1<<(outShift-1)) >> outShift
		p := clamp(v + 128)
		for y := 0; y < nh; y++ {
			row := dst[y*stride : y*stride+nw]
			for x := range row {
				row[x] = p
			}
		}
		return
	}
	// Row pass, into t[x][v] so that the column pass reads a column whole.
	var t [8][8]int64 // [output x][frequency v]
	var out [8]int64
	for v := 0; v <= rows; v++ {
		r := (*[8]int64)(blk[v*8 : v*8+8])
		if cols == 0 || r[1]|r[2]|r[3]|r[4]|r[5]|r[6]|r[7] == 0 {
			dc := r[0] << passBits
			for x := 0; x < n; x++ {
				t[x][v] = dc
			}
			continue
		}
		kernel(sh, r, &out)
		for x := 0; x < n; x++ {
			t[x][v] = (out[x] + 1<<(rowShift-1)) >> rowShift
		}
	}
	// Column pass.
	for x := 0; x < nw; x++ {
		if rows == 0 {
			p := clamp((t[x][0]<<constBits+1<<(outShift-1))>>outShift + 128)
			for y := 0; y < nh; y++ {
				dst[y*stride+x] = p
			}
			continue
		}
		kernel(sh, &t[x], &out)
		for y := 0; y < nh; y++ {
			dst[y*stride+x] = clamp((out[y]+1<<(outShift-1))>>outShift + 128)
		}
	}
}

func clamp(v int64) byte {
	if v < 0 {
		return 0
	}
	if v > 255 {
		return 255
	}
	return byte(v)
}
