package heuristic

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/kensa-milter/kensa/internal/chromium"
	"github.com/kensa-milter/kensa/showntext"
	"github.com/kensa-milter/kensa/urls"
)

// shownInChromium is, in the page Chromium has drawn, the characters (not
// spaces) the reader sees, in the document's order: each character's box is on the screen,
// at least 1.5 px both ways, Chromium finds the character's own element
// at its centre under nothing but see-through layers (so nothing opaque
// covers it, and no clipping cuts it away), and a colour it is painted
// in, with the opacity of every ancestor, stands out from the backgrounds
// under it (contrast ratio 1.1 or more; unknown over a picture; the
// colours are its fill's, -webkit-text-fill-color's, which is color's
// unless set, its stroke's, its shadows', and a background's clipped to
// the text; filter: opacity() counts as opacity; each colour as Chromium
// converts it to sRGB, in a canvas). What
// visibleText counts and htmlText reads are held to it.
const shownInChromium = `(() => {
	// a CSS colour as Chromium draws it in sRGB: filled into a canvas and read back
	const cv = document.createElement("canvas");
	cv.width = cv.height = 1;
	const cx = cv.getContext("2d", {willReadFrequently: true});
	const rgba = s => {
		cx.clearRect(0, 0, 1, 1);
		cx.fillStyle = "transparent";
		cx.fillStyle = s;
		cx.fillRect(0, 0, 1, 1);
		const d = cx.getImageData(0, 0, 1, 1).data;
		return {r: d[0], g: d[1], b: d[2], a: d[3] / 255};
	};
	const blend = (c, u) => ({r: c.r*c.a + u.r*(1-c.a), g: c.g*c.a + u.g*(1-c.a), b: c.b*c.a + u.b*(1-c.a), a: 1});
	const lum = c => { const f = v => { v /= 255; return v <= 0.04045 ? v/12.92 : Math.pow((v+0.055)/1.055, 2.4); }; return 0.2126*f(c.r) + 0.7152*f(c.g) + 0.0722*f(c.b); };
	const contrast = (x, y) => { const a = lum(x) + 0.05, b = lum(y) + 0.05; return Math.max(a, b) / Math.min(a, b); };
	const clipsToText = s => s.backgroundClip === "text" || s.webkitBackgroundClip === "text";
	const colourShows = el => {
		const chain = [];
		for (let e = el; e; e = e.parentElement) chain.unshift(e);
		let under = {r: 255, g: 255, b: 255, a: 1}, unknown = false, opacity = 1, clipPicture = false;
		const clips = []; // backgrounds drawn in the text alone, over what is under them
		for (const e of chain) {
			const s = getComputedStyle(e);
			opacity *= parseFloat(s.opacity);
			const fo = /opacity\(([\d.]+)(%?)\)/.exec(s.filter);
			if (fo) opacity *= parseFloat(fo[1]) / (fo[2] ? 100 : 1);
			const c = rgba(s.backgroundColor);
			if (clipsToText(s)) {
				if (s.backgroundImage !== "none") clipPicture = true;
				if (c.a > 0) clips.push(blend(c, under));
				continue;
			}
			if (c.a >= 1) { under = c; unknown = false; } else if (c.a > 0) under = blend(c, under);
			if (s.backgroundImage !== "none") unknown = true;
		}
		// what paints the text: its fill (color unless -webkit-text-fill-color
		// is set), its stroke, its shadows that are on the screen, a background clipped to it
		const s = getComputedStyle(el);
		const paints = [rgba(s.webkitTextFillColor), ...clips];
		if (parseFloat(s.webkitTextStrokeWidth) > 0) paints.push(rgba(s.webkitTextStrokeColor));
		for (const m of s.textShadow.matchAll(/([a-z-]+\([^)]*\)|[a-z]+)\s+(-?[\d.e+]+)px\s+(-?[\d.e+]+)px/g)) {
			if (parseFloat(m[2]) > -999 && parseFloat(m[3]) > -999) paints.push(rgba(m[1]));
		}
		if (clipPicture) return true;
		return paints.some(c => {
			c.a *= opacity;
			return c.a >= 0.05 && (unknown || contrast(blend(c, under), under) >= 1.1);
		});
	};
	let out = "";
	const w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	const r = document.createRange();
	for (let t = w.nextNode(); t; t = w.nextNode()) {
		const el = t.parentElement;
		if (!el || !colourShows(el)) continue;
		// an element of display: contents has no box of its own: what is
		// found over its text is its nearest ancestor's
		let boxed = el;
		while (boxed.parentElement && getComputedStyle(boxed).display === "contents") boxed = boxed.parentElement;
		for (let i = 0; i < t.data.length; i++) {
			if (t.data[i] <= " ") continue;
			r.setStart(t, i); r.setEnd(t, i + 1);
			const b = r.getBoundingClientRect();
			if (b.width < 1.5 || b.height < 1.5) continue;
			const x = b.left + b.width/2, y = b.top + b.height/2;
			if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) continue;
			// what is drawn over the character: see-through layers
			// (translucent, no picture) let it show
			for (const hit of document.elementsFromPoint(x, y)) {
				if (hit === boxed || el.contains(hit)) { out += t.data[i]; break; }
				const s = getComputedStyle(hit);
				if (rgba(s.backgroundColor).a >= 1 && parseFloat(s.opacity) >= 1 || s.backgroundImage !== "none") break;
			}
		}
	}
	return out;
})()`

// pseudoAsElements puts in the page, for shownInChromium, each text
// Chromium draws in a ::before, ::after or a list item's ::marker (its
// content, or a string list-style-type) as an element of its own in the
// same place (a marker at the start of its item, inline), with every property of the pseudo-element's computed style
// (the cascade is Chromium's): the content's strings and attr() values,
// up to its alternative text. The pseudo-elements themselves are then
// drawn empty.
const pseudoAsElements = `(() => {
	const text = (c, el) => {
		let out = "";
		for (let i = 0; i < c.length; ) {
			const q = c[i];
			if (q === '"' || q === "'") {
				let j = i + 1;
				for (; j < c.length && c[j] !== q; j++) {
					if (c[j] !== "\\") { out += c[j]; continue; }
					const m = /^[0-9a-fA-F]{1,6} ?/.exec(c.slice(j + 1));
					if (m) { out += String.fromCodePoint(parseInt(m[0], 16)); j += m[0].length; } else { out += c[++j]; }
				}
				i = j + 1;
			} else if (c.startsWith("attr(", i)) {
				const j = c.indexOf(")", i);
				out += el.getAttribute(c.slice(i + 5, j).trim()) || "";
				i = j + 1;
			} else if (q === "/") {
				break;
			} else i++;
		}
		return out;
	};
	const made = [];
	for (const el of document.body.querySelectorAll("*")) {
		for (const which of ["::before", "::after"]) {
			const cs = getComputedStyle(el, which);
			if (cs.content === "none" || cs.content === "normal") continue;
			const t = text(cs.content, el);
			if (t === "") continue;
			const box = document.createElement("kensa-pseudo");
			for (let i = 0; i < cs.length; i++) box.style.setProperty(cs[i], cs.getPropertyValue(cs[i]));
			box.textContent = t;
			made.push([el, which, box]);
		}
	}
	// a list item's ::marker: its content's strings, else its list-style-type's string
	for (const el of document.body.querySelectorAll("*")) {
		if (getComputedStyle(el).display !== "list-item") continue;
		const cs = getComputedStyle(el, "::marker");
		let t = cs.content === "normal" || cs.content === "none" ? "" : text(cs.content, el);
		const type = getComputedStyle(el).listStyleType;
		if (cs.content === "normal" && (type.startsWith('"') || type.startsWith("'"))) t = text(type, el);
		if (t === "") continue;
		const box = document.createElement("kensa-pseudo");
		for (let i = 0; i < cs.length; i++) box.style.setProperty(cs[i], cs.getPropertyValue(cs[i]));
		box.style.display = "inline";
		box.textContent = t;
		made.push([el, "::marker", box]);
	}
	for (const [el, which, box] of made) {
		if (which === "::after") el.append(box); else el.prepend(box);
	}
	const off = document.createElement("style");
	off.textContent = "*::before, *::after, *::marker { content: none !important; }";
	document.head.append(off);
	return made.length;
})()`

// chromiumText is what Chromium shows of page (shownInChromium), the
// text of its ::before and ::after included (pseudoAsElements).
func chromiumText(t *testing.T, browser context.Context, dir, name, page string) string {
	return chromiumShows(t, browser, dir, name, page, true)
}

// chromiumBodyText is chromiumText of a mail body as a mail client draws
// it: Chromium runs none of its scripts (so it draws <noscript>).
func chromiumBodyText(t *testing.T, browser context.Context, dir, name, page string) string {
	return chromiumShows(t, browser, dir, name, page, false)
}

func chromiumShows(t *testing.T, browser context.Context, dir, name, page string, scripts bool) string {
	t.Helper()
	first := []chromedp.Action{chromedp.EmulateViewport(showntext.ViewportWidth, 3000)}
	if !scripts {
		first = append(first, emulation.SetScriptExecutionDisabled(true))
	}
	tab, cancel := chromium.Open(t, browser, filepath.Join(dir, "page.html"), []byte(page), first...)
	defer cancel()
	var s string
	var made int
	if err := chromedp.Run(tab, chromedp.Evaluate(pseudoAsElements, &made), chromedp.Evaluate(shownInChromium, &s)); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return s
}

// TestVisibleTextInChromium opens every padded loader and every honest
// twin in Chromium: the padding must be what Chromium hides (the same
// padding unhidden shows), the twins' text what it shows, and
// visibleText must fall on the same side of smallPage as Chromium.
func TestVisibleTextInChromium(t *testing.T) {
	browser := chromium.Start(t, 5*time.Minute, chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"))
	dir := t.TempDir()
	shown := func(t *testing.T, name, page string) int {
		return utf8.RuneCountInString(chromiumText(t, browser, dir, name, page))
	}
	if n := shown(t, "plain padding", padPage("", "<div>", "</div>")); n < smallPage {
		t.Fatalf("the padding unhidden: Chromium shows %d characters, want %d or more", n, smallPage)
	}
	for _, c := range paddingTricks() {
		n, ours := shown(t, c.name, c.page), showntext.Chars([]byte(c.page))
		t.Logf("%-50s Chromium %4d, visibleText %4d", c.name, n, ours)
		if n >= smallPage {
			t.Errorf("%s: Chromium shows %d characters: the trick does not hide the padding", c.name, n)
		}
		if ours >= smallPage {
			t.Errorf("%s: visibleText counts %d characters, Chromium shows %d", c.name, ours, n)
		}
	}
	for _, c := range honestTwins() {
		n, ours := shown(t, c.name, c.page), showntext.Chars([]byte(c.page))
		t.Logf("%-50s Chromium %4d, visibleText %4d", c.name, n, ours)
		if n < smallPage || ours < smallPage {
			t.Errorf("%s: Chromium shows %d characters, visibleText counts %d; want both %d or more", c.name, n, ours, smallPage)
		}
	}
}

// TestShownTextInChromium opens every mail body of mailBodies and
// noscriptBodies (these also with Chromium's scripts off, as a mail client
// draws them, against showntext.ReadBody) and every lure and honest twin of the checks that read a body's text
// (callback-phishing, document-share-lure) in Chromium: htmlText must read
// the characters Chromium shows, one by one, and the want of mailBodies
// must be what Chromium shows. Images' descriptions are a mail client's
// (Chromium draws the picture), so pages with them are left out.
func TestShownTextInChromium(t *testing.T) {
	browser := chromium.Start(t, 5*time.Minute, chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND"))
	dir := t.TempDir()
	// spaces aside, and format characters (a zero-width space has no box)
	squeeze := func(s string) string {
		return strings.Map(func(r rune) rune {
			if unicode.IsSpace(r) || unicode.Is(unicode.Cf, r) {
				return -1
			}
			return r
		}, s)
	}
	pages := map[string]string{}
	for _, c := range mailBodies() {
		pages["mailBodies/"+c.name] = c.page
		if got := squeeze(chromiumText(t, browser, dir, c.name, c.page)); got != squeeze(c.want) {
			t.Errorf("%s: Chromium shows %q, the case wants %q", c.name, got, c.want)
		}
	}
	for _, c := range noscriptBodies() {
		body := squeeze(chromiumBodyText(t, browser, dir, c.name, c.page))
		if body != squeeze(c.want) {
			t.Errorf("%s: Chromium shows %q with scripts off, the case wants %q", c.name, body, c.want)
		}
		if _, got := showntext.ReadBody([]byte(c.page), maxShownHTML); squeeze(got) != body {
			t.Errorf("%s: ReadBody reads %q, Chromium shows %q with scripts off", c.name, got, body)
		}
		pages["noscriptBodies/"+c.name] = c.page // as a page, with scripts on
	}
	for id, samples := range bodyTextCases(t) {
		for _, sm := range samples {
			for _, p := range sm.m.Parts {
				if urls.IsHTML(p) && !bytes.Contains(bytes.ToLower(p.Content), []byte("<img")) {
					pages[id+"/"+sm.name+"/"+p.Path] = string(p.Content)
				}
			}
		}
	}
	if len(pages) < 30 {
		t.Fatalf("only %d pages to hold to Chromium", len(pages))
	}
	for name, page := range pages {
		want := squeeze(chromiumText(t, browser, dir, name, page))
		if got := squeeze(showntext.Text([]byte(page), maxShownHTML)); got != want {
			t.Errorf("%s: htmlText reads %q, Chromium shows %q", name, got, want)
		}
	}
}
