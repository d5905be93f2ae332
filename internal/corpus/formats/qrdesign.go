package formats

import (
	"bytes"
	"image"
	"image/color"
	"image/color/palette"
	"image/gif"
	"math"

	qrcode "github.com/skip2/go-qrcode"
)

// "Designer" QR codes in pictures, as quishing kits and QR generator sites
// make them: round dots with gaps between them, round finder patterns, a
// logo over the centre, colours, gradients and photographs behind, low
// contrast, light on dark, no quiet zone, turned, tilted, mirrored, tiny in
// a screenshot or blown up. Every one is a code a phone reads.

// Design is how QRDesign draws a code. The zero value is a black on white
// code of level M, 4 pixels a module, with its quiet zone.
type Design struct {
	Level        qrcode.RecoveryLevel // error correction; 0 is qrcode.Low, so set it (Medium, High)
	Module       float64              // pixels a module (default 4); fractions allowed
	Quiet        int                  // light modules around the code (-1: none; 0: the standard 4)
	Dot          float64              // dark modules as round dots this share of the pitch wide (0: squares)
	RoundFinders bool                 // finder patterns as a ring around a disc
	Logo         float64              // a logo over this share of the code's side, at its centre
	Dark, Dark2  color.RGBA           // dark modules, shading from Dark to Dark2 across the code (Dark2 zero: flat)
	Light        color.RGBA           // light modules and the quiet zone (zero: white)
	Back         Backdrop             // what lies behind light modules and around the code
	Invert       bool                 // light modules drawn dark and dark ones light
	Turn         float64              // degrees, anticlockwise
	Tilt         float64              // perspective: the code's right edge this share taller than its left
	Mirror       bool                 // left and right swapped
	Split        float64              // a light line this many pixels wide down the code's middle
	W, H         int                  // the picture's size (0: the code, its quiet zone and a margin of 2 modules)
	X, Y         int                  // where the code's centre is (0, 0: the picture's centre)
	Sharp        bool                 // no antialiasing: each pixel the colour at its centre (nearest-neighbour scaling)
}

// Backdrop is what a designed code is drawn over.
type Backdrop int

const (
	BackFlat     Backdrop = iota // Light everywhere
	BackGradient                 // a light diagonal gradient from Light to a pale tint, also under the code
	BackPhoto                    // a photograph-like picture (shading, blobs, grain), the code's light modules Light
	BackBusy                     // dark text-like marks right up to the code, the code's light modules Light
	BackScreen                   // a screenshot: white, grey bars of text, a blue title bar
)

// QRDesign draws text's QR code as d says.
func QRDesign(text string, d Design) *image.RGBA {
	q, err := qrcode.New(text, d.Level)
	if err != nil {
		panic(err) // a text too long for a code: a bug in the caller
	}
	q.DisableBorder = true
	bm := q.Bitmap()
	n := len(bm)
	if d.Module == 0 {
		d.Module = 4
	}
	quiet := float64(d.Quiet)
	switch d.Quiet {
	case 0:
		quiet = 4
	case -1:
		quiet = 0
	}
	if d.Light == (color.RGBA{}) {
		d.Light = color.RGBA{255, 255, 255, 255}
	}
	if d.Dark == (color.RGBA{}) {
		d.Dark = color.RGBA{0, 0, 0, 255}
	}
	side := (float64(n) + 2*quiet) * d.Module
	if d.W == 0 {
		d.W = int(math.Ceil(side + 4*d.Module))
		d.H = d.W
		if d.Turn != 0 || d.Tilt != 0 {
			d.W, d.H = int(side*1.5), int(side*1.5)
		}
	}
	cx, cy := float64(d.W)/2, float64(d.H)/2
	if d.X != 0 || d.Y != 0 {
		cx, cy = float64(d.X), float64(d.Y)
	}
	sin, cos := math.Sincos(d.Turn * math.Pi / 180)
	// at maps a point of the picture to the code's plane, in modules from
	// its top left corner (the quiet zone negative or past n).
	at := func(x, y float64) (u, v float64) {
		x, y = x-cx, y-cy
		x, y = cos*x-sin*y, sin*x+cos*y // undo the turn
		if d.Tilt != 0 {
			// A camera turned about the vertical axis: the picture is the
			// code's plane over 1-aX, so the right edge stands 1+Tilt
			// times as tall as the left (as/2 = Tilt/(2+Tilt)).
			a := 2 * d.Tilt / (2 + d.Tilt) / (float64(n) * d.Module)
			x, y = x/(1+a*x), y/(1+a*x)
		}
		if d.Mirror {
			x = -x
		}
		return x/d.Module + float64(n)/2, y/d.Module + float64(n)/2
	}
	lx, hy := float64(n)*(0.5-d.Logo/2), float64(n)*(0.5+d.Logo/2)
	finder := func(u, v float64) (dark, in bool) {
		for _, c := range [3][2]float64{{3.5, 3.5}, {float64(n) - 3.5, 3.5}, {3.5, float64(n) - 3.5}} {
			du, dv := u-c[0], v-c[1]
			if math.Abs(du) >= 4 || math.Abs(dv) >= 4 { // the finder and its light separator
				continue
			}
			if !d.RoundFinders {
				return bm[int(v)][int(u)], true
			}
			r := math.Hypot(du, dv)
			return r < 1.5 || r >= 2.5 && r < 3.5, true
		}
		return false, false
	}
	// colour is the picture at (x, y).
	colour := func(x, y float64) color.RGBA {
		u, v := at(x, y)
		in := u >= 0 && v >= 0 && u < float64(n) && v < float64(n)
		if d.Split > 0 && math.Abs(x-cx) < d.Split/2 && math.Abs(y-cy) < float64(n)*d.Module/2 {
			return d.Light
		}
		if !in {
			inQuiet := u >= -quiet && v >= -quiet && u < float64(n)+quiet && v < float64(n)+quiet
			switch {
			case d.Invert && (inQuiet || d.Back == BackFlat):
				return d.Dark
			case inQuiet && d.Back != BackGradient:
				return d.Light
			}
			return backdrop(d, x, y)
		}
		if d.Logo > 0 && u >= lx && u < hy && v >= lx && v < hy {
			return logo((u-lx)/(hy-lx), (v-lx)/(hy-lx))
		}
		dark, isFinder := finder(u, v)
		if !isFinder {
			dark = bm[int(v)][int(u)]
			if dark && d.Dot > 0 {
				fu, fv := u-math.Floor(u)-0.5, v-math.Floor(v)-0.5
				dark = math.Hypot(fu, fv) < d.Dot/2
			}
		}
		if dark != d.Invert {
			if d.Dark2 == (color.RGBA{}) {
				return d.Dark
			}
			return mix(d.Dark, d.Dark2, (u+v)/float64(2*n))
		}
		if d.Back == BackGradient {
			return backdrop(d, x, y)
		}
		return d.Light
	}
	img := image.NewRGBA(image.Rect(0, 0, d.W, d.H))
	ss := 3 // samples a side: the antialiased edges of a drawn picture
	if d.Sharp {
		ss = 1
	}
	for y := 0; y < d.H; y++ {
		for x := 0; x < d.W; x++ {
			var r, g, b int
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					c := colour(float64(x)+(float64(sx)+0.5)/float64(ss), float64(y)+(float64(sy)+0.5)/float64(ss))
					r, g, b = r+int(c.R), g+int(c.G), b+int(c.B)
				}
			}
			k := ss * ss
			img.Pix[y*img.Stride+4*x], img.Pix[y*img.Stride+4*x+1], img.Pix[y*img.Stride+4*x+2], img.Pix[y*img.Stride+4*x+3] = uint8(r/k), uint8(g/k), uint8(b/k), 255
		}
	}
	return img
}

func mix(a, b color.RGBA, t float64) color.RGBA {
	t = max(0, min(1, t))
	f := func(p, q uint8) uint8 { return uint8(float64(p)*(1-t) + float64(q)*t) }
	return color.RGBA{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B), 255}
}

// backdrop is the picture behind the code at (x, y).
func backdrop(d Design, x, y float64) color.RGBA {
	switch d.Back {
	case BackGradient:
		return mix(d.Light, color.RGBA{255, 214, 230, 255}, (x+y)/float64(d.W+d.H))
	case BackPhoto:
		// Sky, a hill, blobs of foliage and grain: mid-tones with edges.
		grain := float64(int((uint64(int(y)*7919+int(x))*0x9e3779b97f4a7c15)>>59)) - 16
		base := 150 + 60*math.Sin(x/37)*math.Cos(y/53) + grain
		if y > float64(d.H)*0.6+30*math.Sin(x/90) {
			base -= 70
		}
		c := uint8(max(0, min(255, base)))
		return color.RGBA{c / 2, c, uint8(max(0, min(255, base*0.8))), 255}
	case BackBusy:
		// Rows of dark "words" on white: runs of dark with gaps, like text.
		if int(y)%12 < 7 && (int(x)/5+int(y)/12*3)%7 < 5 {
			return color.RGBA{20, 20, 20, 255}
		}
		return color.RGBA{250, 250, 250, 255}
	case BackScreen:
		switch {
		case y < 60:
			return color.RGBA{30, 90, 200, 255}
		case int(y)%24 < 10 && int(x)%400 > 40 && int(x)%400 < 40+int(y*7)%300:
			return color.RGBA{90, 90, 90, 255}
		}
		return color.RGBA{255, 255, 255, 255}
	}
	return d.Light
}

// logo is a brand mark over the centre of a code, at (s, t) in [0, 1)²: a
// white frame, a coloured disc and a white letter bar.
func logo(s, t float64) color.RGBA {
	if s < 0.1 || t < 0.1 || s > 0.9 || t > 0.9 {
		return color.RGBA{255, 255, 255, 255}
	}
	if math.Abs(s-0.5) < 0.08 && math.Abs(t-0.5) < 0.25 {
		return color.RGBA{255, 255, 255, 255}
	}
	if math.Hypot(s-0.5, t-0.5) < 0.38 {
		return color.RGBA{214, 40, 40, 255}
	}
	return color.RGBA{240, 240, 240, 255}
}

// AnimatedGIF is a GIF of the given frames, each shown for delay
// hundredths of a second, looping: what a mail client animates.
func AnimatedGIF(delay int, frames ...image.Image) []byte {
	a := &gif.GIF{}
	for _, f := range frames {
		p := image.NewPaletted(f.Bounds(), palette.Plan9)
		for y := f.Bounds().Min.Y; y < f.Bounds().Max.Y; y++ {
			for x := f.Bounds().Min.X; x < f.Bounds().Max.X; x++ {
				p.Set(x, y, f.At(x, y))
			}
		}
		a.Image = append(a.Image, p)
		a.Delay = append(a.Delay, delay)
	}
	var b bytes.Buffer
	if err := gif.EncodeAll(&b, a); err != nil {
		panic(err)
	}
	return b.Bytes()
}
