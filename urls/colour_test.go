package urls

import "testing"

// TestColours: dark and light as a browser paints them, for CSS values and
// for HTML's legacy colour attributes.
func TestColours(t *testing.T) {
	css := map[string]bool{
		"black": true, "Navy": true, "darkslategray": true, "maroon": true, "midnightblue": true,
		"white": false, "ivory": false, "yellow": false, "silver": false, "lightgrey": false,
		"#000": true, "#0006": false, "#0008": true, "#000f": true, "#111111": true, "#eeeeee": false,
		"#000000ff": true, "#0000001a": false, "#00000080": true, "#00000070": false,
		"rgb(0,0,0)": true, "rgb(0 0 0 / 0.2)": false, "rgba(0, 0, 0, 90%)": true,
		"rgb(20%, 20%, 20%)": true, "rgb(255 255 255)": false, "rgb(10.5, 0, 0)": true,
		"hsl(240, 100%, 20%)": true, "hsl(240deg 100% 90%)": false, "hsla(0, 0%, 0%, 1)": true,
		"hsl(-120, 50%, 10%)": true, "hsl(0 0% 100% / 1)": false,
		"url(a.png) #000 no-repeat": true, "#000 none repeat": true, "url(a.png) no-repeat": false,
		"rgb(0,0,0) !important": true, " #000 !important ": true,
		"": false, "transparent": false, "none": false, "000000": false, "#00": false,
		"#gggggg": false, "rgb(0,0)": false, "rgb(nan, 0, 0)": false, "hsl(inf, 0%, 0%)": false,
		"rgb(0,0,0": false, "foo(0,0,0)": false, "notacolour": false,
	}
	for c, want := range css {
		if got := isDark(c); got != want {
			t.Errorf("isDark(%q) = %v, want %v", c, got, want)
		}
	}
	// HTML's rules for parsing a legacy colour value: a name, #rgb, and
	// anything else as hex digits with every other character a 0.
	legacy := map[string]bool{
		"black": true, "NAVY": true, "white": false, "#fff": false, "#000": true,
		"000000": true, "ffffff": false, "000": true, "x": true, "kensa": true,
		"chucknorris": true,                                                    // #c00000, a dark red
		"#ffffff":     false, "#FFFFFF": false, " #000000 ": true, "fff": true, // #0f0f0f
		"ffffff000000ffffff": true, "#1f1f1f1f": false, // #ff00ff, #1ff11f
		"transparent": false, "": false, "   ": false,
	}
	for c, want := range legacy {
		if got := legacyDark(c); got != want {
			t.Errorf("legacyDark(%q) = %v, want %v", c, got, want)
		}
	}
	for c, want := range map[string][3]float64{
		"chucknorris": {0xc0, 0, 0}, "ninjaturtle": {0x00, 0xa0, 0x00}, "crap": {0xc0, 0xa0, 0},
		"#abc": {0xaa, 0xbb, 0xcc}, "abc": {0x0a, 0x0b, 0x0c}, "1234567890abcdef1234": {0x12, 0x89, 0xef}, "#0000001234567890ab": {0x00, 0x12, 0x78}, "000000000a000000000b000000000c": {0x0a, 0x0b, 0x0c},
	} {
		r, g, b, ok := legacyColour(c)
		if got := [3]float64{r, g, b}; !ok || got != want {
			t.Errorf("legacyColour(%q) = %v %v, want %v", c, got, ok, want)
		}
	}
}
