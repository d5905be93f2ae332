package urls

import (
	"math"
	"strconv"
	"strings"

	"github.com/kensa-milter/kensa/pdfsyntax"
)

// Whether a colour is dark decides which cells of a drawn code are modules,
// so it must be read as the client reads it: a colour Kensa does not know
// is a code it does not see. CSS values (styles, SVG fills) follow CSS
// Color 4; HTML attributes (bgcolor, <font color>) follow HTML's legacy
// colour parsing, which turns almost any string into some colour.

// isDark says whether a CSS colour value is dark: luma under half, once
// drawn over white (a translucent black is grey). A value CSS does not
// accept is not dark (the browser drops the declaration).
func isDark(c string) bool {
	c = strings.ToLower(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(c), "!important")))
	// A background shorthand ("url(x.png) #000 no-repeat") gives its colour
	// as one of its words; brackets hold one word ("rgb(0, 0, 0)").
	depth, start := 0, 0
	for i := 0; i <= len(c); i++ {
		switch {
		case i < len(c) && c[i] == '(':
			depth++
		case i < len(c) && c[i] == ')':
			depth--
		case i == len(c) || c[i] == ' ' && depth <= 0:
			if r, g, b, a, ok := cssColour(c[start:i]); ok {
				return darkOverWhite(r, g, b, a)
			}
			start = i + 1
		}
	}
	return false
}

// legacyDark says whether an HTML colour attribute is dark, read by HTML's
// rules for parsing a legacy colour value: bgcolor="000000" (no #) is
// black, and so is bgcolor="x", whose letter is read as the digit 0.
func legacyDark(v string) bool {
	r, g, b, ok := legacyColour(v)
	return ok && darkOverWhite(r, g, b, 1)
}

// darkOverWhite is the luma rule the table and block readers share.
func darkOverWhite(r, g, b, a float64) bool {
	a = math.Max(0, math.Min(1, a))
	y := (299*r + 587*g + 114*b) / 1000
	return y*a+255*(1-a) < 128
}

// cssColour reads a CSS colour: a name, #rgb, #rgba, #rrggbb, #rrggbbaa,
// rgb()/rgba() and hsl()/hsla() in the comma and the space syntax. The
// channels are 0-255, alpha 0-1.
func cssColour(c string) (r, g, b, a float64, ok bool) {
	if v, ok := cssNamedColours[c]; ok {
		return float64(v >> 16), float64(v >> 8 & 255), float64(v & 255), 1, true
	}
	if strings.HasPrefix(c, "#") {
		return hexColour(c[1:])
	}
	open, end := strings.IndexByte(c, '('), strings.LastIndexByte(c, ')')
	if open < 0 || end != len(c)-1 {
		return 0, 0, 0, 0, false
	}
	fn := strings.TrimSpace(c[:open])
	args := strings.FieldsFunc(c[open+1:end], func(r rune) bool { return r == ',' || r == ' ' || r == '/' || r == '\t' })
	if len(args) != 3 && len(args) != 4 {
		return 0, 0, 0, 0, false
	}
	a = 1
	if len(args) == 4 {
		if a, ok = cssNumber(args[3], 1); !ok {
			return 0, 0, 0, 0, false
		}
	}
	switch fn {
	case "rgb", "rgba":
		var ch [3]float64
		for i := range ch {
			if ch[i], ok = cssNumber(args[i], 255); !ok {
				return 0, 0, 0, 0, false
			}
		}
		return ch[0], ch[1], ch[2], a, true
	case "hsl", "hsla":
		h, ok1 := strconv.ParseFloat(strings.TrimSuffix(args[0], "deg"), 64)
		s, ok2 := cssNumber(args[1], 1)
		l, ok3 := cssNumber(args[2], 1)
		if ok1 != nil || !ok2 || !ok3 || math.IsNaN(h) || math.IsInf(h, 0) {
			return 0, 0, 0, 0, false
		}
		r, g, b = hslToRGB(h, s, l)
		return r, g, b, a, true
	}
	return 0, 0, 0, 0, false
}

// cssNumber reads a channel: a number (0-full) or a percentage of full.
func cssNumber(s string, full float64) (float64, bool) {
	pct := strings.HasSuffix(s, "%")
	v, err := strconv.ParseFloat(strings.TrimSuffix(s, "%"), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	if pct {
		v = v * full / 100
	}
	return math.Max(0, math.Min(full, v)), true
}

// hexColour reads the digits of #rgb, #rgba, #rrggbb or #rrggbbaa.
func hexColour(h string) (r, g, b, a float64, ok bool) {
	v, err := strconv.ParseUint(h, 16, 32)
	if err != nil {
		return 0, 0, 0, 0, false
	}
	switch len(h) {
	case 3:
		v = v<<4 | 0xf
		fallthrough
	case 4:
		n := func(i uint) float64 { return float64(v>>(4*i)&15) * 17 }
		return n(3), n(2), n(1), n(0) / 255, true
	case 6:
		v = v<<8 | 0xff
		fallthrough
	case 8:
		n := func(i uint) float64 { return float64(v >> (8 * i) & 255) }
		return n(3), n(2), n(1), n(0) / 255, true
	}
	return 0, 0, 0, 0, false
}

// hslToRGB converts hue (degrees), saturation and lightness (0-1).
func hslToRGB(h, s, l float64) (r, g, b float64) {
	h = math.Mod(math.Mod(h, 360)+360, 360)
	c := (1 - math.Abs(2*l-1)) * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := l - c/2
	var r1, g1, b1 float64
	switch {
	case h < 60:
		r1, g1 = c, x
	case h < 120:
		r1, g1 = x, c
	case h < 180:
		g1, b1 = c, x
	case h < 240:
		g1, b1 = x, c
	case h < 300:
		r1, b1 = x, c
	default:
		r1, b1 = c, x
	}
	return (r1 + m) * 255, (g1 + m) * 255, (b1 + m) * 255
}

// legacyColour is HTML's "rules for parsing a legacy colour value"
// (HTML Living Standard, 2.3.6): a name or #rgb as CSS reads them, and
// anything else read as hex digits, a non-digit as 0, in three parts.
func legacyColour(v string) (r, g, b float64, ok bool) {
	v = strings.Trim(v, " \t\n\f\r")
	lower := strings.ToLower(v)
	if v == "" || lower == "transparent" {
		return 0, 0, 0, false
	}
	if n, ok := cssNamedColours[lower]; ok {
		return float64(n >> 16), float64(n >> 8 & 255), float64(n & 255), true
	}
	if len(v) == 4 && v[0] == '#' {
		if r, g, b, _, ok := hexColour(v[1:]); ok {
			return r, g, b, true
		}
	}
	var digits []byte
	for _, c := range v {
		if len(digits) >= 128 {
			break
		}
		switch {
		case c > 0xffff:
			digits = append(digits, '0', '0')
		case c < 0x80:
			digits = append(digits, byte(c))
		default:
			digits = append(digits, '0') // one code unit, not a digit
		}
	}
	if len(digits) > 128 {
		digits = digits[:128]
	}
	if digits[0] == '#' {
		digits = digits[1:]
	}
	for i, c := range digits {
		if pdfsyntax.Unhex(c) < 0 {
			digits[i] = '0'
		}
	}
	for len(digits) == 0 || len(digits)%3 != 0 {
		digits = append(digits, '0')
	}
	n := len(digits) / 3
	part := func(i int) string { return string(digits[i*n : (i+1)*n]) }
	p := [3]string{part(0), part(1), part(2)}
	if n > 8 {
		for i := range p {
			p[i] = p[i][n-8:]
		}
		n = 8
	}
	for n > 2 && p[0][0] == '0' && p[1][0] == '0' && p[2][0] == '0' {
		for i := range p {
			p[i] = p[i][1:]
		}
		n--
	}
	var ch [3]float64
	for i := range p {
		if len(p[i]) > 2 {
			p[i] = p[i][:2]
		}
		x, _ := strconv.ParseUint(p[i], 16, 8)
		ch[i] = float64(x)
	}
	return ch[0], ch[1], ch[2], true
}
