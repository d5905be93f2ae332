package heuristic

import (
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/showntext"
	"github.com/kensa-milter/kensa/urls"
)

// lorem is the padding a loader fills itself with: a sentence the reader
// would see twelve times (about 570 characters other than spaces).
const lorem = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod."

func padding() string { return strings.Repeat("<p>"+lorem+"</p>", 12) }

// kitLoader is what a loader carries of its own: an empty box the kit's
// script draws into.
const kitLoader = `<div id="app"></div><script src="https://kit.attacker.example/x.js"></script>`

// padPage is a loader page with a style sheet, the padding wrapped in
// open and close, and the kit's script.
func padPage(css, open, close string) string { return loaderPage(css, open+padding()+close) }

// loaderPage is a loader page with a style sheet and markup of its own.
func loaderPage(css, body string) string {
	return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Document</title><style>" + css + "</style></head><body>" +
		body + kitLoader + "</body></html>"
}

type visCase struct {
	name, page string
}

// paddingTricks are loader pages whose padding Chromium does not show the
// reader: each must count as a loader (html-redirect-attachment).
func paddingTricks() []visCase {
	div := func(style string) (string, string) { return `<div style="` + style + `">`, `</div>` }
	inline := func(name, style string) visCase {
		o, c := div(style)
		return visCase{name, padPage("", o, c)}
	}
	sheet := func(name, css string) visCase {
		return visCase{name, padPage(css, `<div class="intro" id="txt">`, `</div>`)}
	}
	return []visCase{
		inline("absolute, far left", "position:absolute;left:-9999px"),
		inline("fixed, far up", "position:fixed;top:-9999px"),
		inline("relative, far left in em", "position:relative;left:-700em"),
		inline("text-indent", "text-indent:-9999px"),
		inline("translateX", "transform:translateX(-9999px)"),
		inline("translate by the window's width", "position:absolute;left:0;transform:translate(-100vw, 0)"),
		inline("off-canvas, translate -100%", "position:fixed;left:0;top:0;width:300px;transform:translateX(-100%)"),
		inline("margin-left", "margin-left:-9999px"),
		inline("margin shorthand, up", "margin:-9999px 0 0 0"),
		inline("clip rect", "position:absolute;clip:rect(0 0 0 0)"),
		inline("clip rect, commas", "position:absolute;clip:rect(1px,1px,1px,1px)"),
		inline("clip-path inset", "clip-path:inset(50%)"),
		inline("clip-path circle 0", "clip-path:circle(0)"),
		inline("zero size, overflow hidden", "width:0;height:0;overflow:hidden"),
		inline("max-height 0", "max-height:0;overflow:hidden"),
		// the block's own lines (paragraphs inside it would give it height)
		{"line-height 0", loaderPage("", `<div style="line-height:0;overflow:hidden">`+strings.Repeat(lorem+" ", 12)+`</div>`)},
		inline("scale 0", "transform:scale(0)"),
		inline("white on the window", "color:#fff"),
		inline("near white", "color:#fefefe"),
		inline("white by name", "color:White"),
		inline("transparent", "color:transparent"),
		inline("rgba alpha 0", "color:rgba(20, 20, 20, 0)"),
		inline("hsla alpha 0", "color:hsla(0, 0%, 10%, 0)"),
		inline("rgb, space syntax, alpha 0", "color:rgb(20 20 20 / 0%)"),
		inline("faint opacity", "opacity:0.01"),
		inline("font-size 1px", "font-size:1px"),
		inline("font-size 0.5pt", "font-size:0.5pt"),
		inline("font shorthand 0", "font:0/0 a"),
		{"font-size in em of a 10px parent", padPage("", `<div style="font-size:10px"><div style="font-size:0.1em">`, `</div></div>`)},
		{"colour of the element's background", padPage("", `<div style="background:#0b3d91;color:#0b3d91">`, `</div>`)},
		{"colour of an ancestor's background, rgb vs hex", padPage("", `<section style="background-color:rgb(240,244,248)"><div style="color:#f0f4f8">`, `</div></section>`)},
		{"colour of body's background, hsl", padPage("body{background:hsl(210, 40%, 96%)} .t{color:hsl(210deg 40% 96%)}", `<div class="t">`, `</div>`)},
		{"named colours alike", padPage("body{background:ghostwhite}", `<div style="color:#f8f8ff">`, `</div>`)},
		{"hwb", padPage("body{background:#000}", `<div style="color:hwb(0 0% 100%)">`, `</div>`)},
		{"custom property", padPage(":root{--bg:#fdf6e3} body{background:var(--bg)} .intro{color:var(--bg)}", `<div class="intro">`, `</div>`)},
		{"semi-transparent text on its background", padPage("", `<div style="background:#222;color:rgba(255,255,255,0.02)">`, `</div>`)},
		{"covered by a full-page element", padPage("", "", `<div style="position:fixed;top:0;left:0;width:100%;height:100%;background:#fff;z-index:999"></div>`)},
		{"covered, inset 0, from a class", padPage(".cover{position:fixed;inset:0;background-color:rgb(255,255,255)}", "", `<div class="cover"></div>`)},
		sheet("class: far left", ".intro{position:absolute;left:-9999px;top:0}"),
		sheet("id: clip-path", "#txt{clip-path:inset(50%)}"),
		sheet("class: white", "body{background:#fff} div.intro{color:#ffffff}"),
		sheet("class: zero height", ".intro{height:0;overflow:hidden}"),
		sheet("class: tiny font", "p{font-size:14px} .intro p{font-size:1px}"),
		sheet("class: text-indent", ".intro{text-indent:-9999px;white-space:nowrap;overflow:hidden}"),
		sheet("class: display none, important", ".intro{display:none !important}"),
	}
}

// honestTwins are saved pages with their own text and scripts from their
// own site, hiding a little (skip links, screen-reader text, banners):
// none is a loader.
func honestTwins() []visCase {
	article := strings.Repeat(`<p class="text">Our team met in Kyoto this spring to plan the new season of workshops, and we are glad to share the programme with you.</p>`, 5)
	site := `<script src="https://www.example.com/static/site.js"></script>`
	page := func(css, body string) string {
		return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Workshops</title><style>" + css + "</style></head><body>" + body + site + "</body></html>"
	}
	srOnly := `.sr-only{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0,0,0,0);white-space:nowrap;border:0}` +
		`.visually-hidden:not(:focus){position:absolute!important;width:1px!important;height:1px!important;overflow:hidden!important;clip-path:inset(50%)!important}` +
		`.skip-link{position:absolute;left:-9999px;top:auto}.skip-link:focus{left:0}`
	return []visCase{
		{"skip link and screen-reader text", page(srOnly, `<a class="skip-link" href="#main">Skip to content</a><nav><span class="sr-only">Main menu</span><a href="/">Home</a></nav>`+
			`<main id="main"><h1>Workshops</h1>`+article+`<span class="visually-hidden">End of article</span></main>`)},
		{"cookie banner", page(`.cookie{position:fixed;bottom:0;left:0;width:100%;background:#222;color:#fff;padding:12px;z-index:1000}`,
			`<main><h1>Workshops</h1>`+article+`</main><div class="cookie">We use cookies to keep you signed in. <button>Accept</button></div>`)},
		{"consent dialog over the page", page(`.veil{position:fixed;inset:0;background:rgba(0,0,0,.5);z-index:10}.box{position:fixed;top:30%;left:30%;background:#fff;z-index:11}`,
			`<main>`+article+`</main><div class="veil"></div><div class="box">Choose your privacy settings.</div>`)},
		{"dark text on light by class", page(`body{background:#ffffff}.text{color:#1a1a1a}.card{background:#1e1e1e;color:#f5f5f5;padding:8px}`,
			`<h1>Workshops</h1>`+article+`<div class="card">Sign up at the front desk.</div>`)},
		{"dark theme", page(`body{background:#121212;color:#e0e0e0}`, `<h1>Workshops</h1>`+article)},
		{"white heading on a picture", page(`.hero{background:#fff url(data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7) center/cover;height:200px}.hero h1{color:#fff}`,
			`<div class="hero"><h1>Workshops in Kyoto</h1></div>`+article)},
		{"inline-block row with font-size 0", page(`.row{font-size:0}.col{display:inline-block;width:50%;font-size:16px}`,
			`<div class="row"><div class="col">`+article+`</div><div class="col">More to come.</div></div>`)},
		{"print and narrow-screen rules", page(`@media print{main{display:none}} @media (max-width: 600px){.text{font-size:0}} @media (prefers-color-scheme: dark){.text{color:#fff}}`,
			`<main>`+article+`</main>`)},
		// Chromium draws a size relative to the default at 6px at least
		{"tiny relative font", page(``, `<main style="font-size:0.05em">`+article+`</main>`)},
		{"closed details with a summary", page(``, `<main>`+article+`</main><details><summary>Terms</summary>`+strings.Repeat("Clause. ", 100)+`</details>`)},
	}
}

func TestVisibleText(t *testing.T) {
	for _, c := range paddingTricks() {
		if n := showntext.Chars([]byte(c.page)); n >= smallPage {
			t.Errorf("%s: %d characters counted as shown, want fewer than %d", c.name, n, smallPage)
		}
	}
	for _, c := range honestTwins() {
		if n := showntext.Chars([]byte(c.page)); n < smallPage {
			t.Errorf("%s: %d characters counted as shown, want %d or more", c.name, n, smallPage)
		}
	}
	// the padding itself counts where nothing hides it
	if n := showntext.Chars([]byte(padPage("", "<div>", "</div>"))); n < smallPage {
		t.Errorf("plain padding: %d characters counted as shown", n)
	}
}

// textCase is a mail body and the text a reader sees of it (htmlText),
// spaces aside: held to Chromium by TestShownTextInChromium.
type textCase struct{ name, page, want string }

// mailBodies are bodies that hide text from the reader, as lures and
// newsletters do: a lure phrase hidden (must not count), honest decoy text
// hidden beside a shown lure (must not count either), a newsletter's
// hidden preview text, and plain shown text.
func mailBodies() []textCase {
	lure := `<p>Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199.</p>`
	return []textCase{
		{"shown lure, decoy white on white", `<div style="color:#ffffff">Acme Software Store order</div>` + lure,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		{"shown lure, decoy in a 1px font", lure + `<span style="font-size:1px">Acme Software Store</span>`,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		{"shown lure, decoy off the screen", `<div style="position:absolute;left:-5000px">Acme Software Store</div>` + lure,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		{"shown lure, decoy clipped", `<div style="max-height:0;overflow:hidden">Acme Software Store</div>` + lure,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		{"shown lure, decoy in the background's colour", `<table style="background:#f4f4f4"><tr><td><span style="color:#f4f4f4">Acme Software Store</span>` + lure + `</td></tr></table>`,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		{"shown lure, decoy under a style sheet class", `<style>.fine{opacity:0}</style><p class="fine">Acme Software Store</p>` + lure,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		{"hidden lure phrase", `<p>Hello Jo,<span style="display:none">Jo shared a file with you</span> the minutes are attached.</p>`,
			"Hello Jo, the minutes are attached."},
		{"hidden lure phrase, transparent", `<p>Hello Jo, <span style="color:transparent">please review and sign</span>see you Monday.</p>`,
			"Hello Jo, see you Monday."},
		{"newsletter preview text", `<div style="display:none;max-height:0;overflow:hidden;mso-hide:all">Spring sale inside&zwnj;&nbsp;&zwnj;&nbsp;</div><h1>Spring sale</h1><p>Twenty per cent off all bikes.</p>`,
			"Spring sale Twenty per cent off all bikes."},
		{"a rule for another element's children", `<style>.footer .cta{display:none}</style><p class="cta">Jo shared a file with you</p><div class="footer">Unsubscribe</div>`,
			"Jo shared a file with you Unsubscribe"},
		{"a rule for children that applies", `<style>.footer .cta{display:none}</style><div class="footer"><p class="cta">Jo shared a file with you</p>Unsubscribe</div>`,
			"Unsubscribe"},
		{"a child rule", `<style>div > .x{display:none}</style><p class="x">Shown</p><div><span class="x">Hidden</span>Also shown</div>`,
			"Shown Also shown"},
		{"inline and block", `<div>Nor<b>ton</b></div><p>call<br>1-8<span>0</span>8</p><span style="display:none">hidden</span><script>x</script>`,
			"Norton call 1-808"},
		{"inline-block keeps words", `<p>Nor<span style="display:inline-block">ton</span> <span style="display:block">360</span></p>`,
			"Norton 360"},
		{"unknown elements are inline", `<p>Nor<x-a>ton</x-a> 3<o:p>6</o:p>0</p>`, "Norton 360"},
		// rules by attribute selectors and pseudo-classes, as Chromium applies them
		{"decoy hidden by an attribute rule", `<style>[data-x]{display:none}</style><div data-x>Acme Software Store</div>` + lure,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		{"decoy hidden by [style*=]", `<style>div[style*="mso-line"]{font-size:0}</style><div style="mso-line-height-rule:exactly">Acme Software Store</div>` + lure,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		{"decoy hidden by [class~=]", `<style>[class~=fine]{opacity:0}</style><p class="a fine">Acme Software Store</p>` + lure,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		{"attribute values in their case", `<style>[data-k="Hide"]{display:none} [data-k^=x i]{display:none} [lang|=en]{display:none}</style><p data-k="hide">Shown</p><p data-k="Hide">Hidden</p><p data-k="Xy">Hidden</p><p lang="en-GB">Hidden</p><p lang="eng">Also shown</p>`,
			"Shown Also shown"},
		{"hidden shown again by a rule", `<style>.x{display:block}</style><div hidden class="x">Norton 360 renewal</div><div hidden>Acme</div>`,
			"Norton 360 renewal"},
		{"decoy hidden as a first child", `<style>.d p:first-child{display:none}</style><div class="d"><p>Acme Software Store</p><p>Norton 360 renewal</p></div>`,
			"Norton 360 renewal"},
		{"decoys hidden by nth-child", `<style>li:nth-child(2n+1){visibility:hidden} li:nth-last-child(3){color:#fff}</style><ul><li>Acme</li><li>Norton</li><li>Store</li><li>Shop</li><li>order</li><li>360</li></ul>`,
			"Norton 360"},
		{"decoy hidden by :not()", `<style>.d > :not(.keep){display:none} .d > :is(.b, .c){font-size:0}</style><div class="d"><span class="keep">Norton 360</span><span>Acme</span></div><div class="d"><span class="keep b">Store</span></div>`,
			"Norton 360"},
		{"of-type and only-child", `<style>.d span:last-of-type{display:none} .e b:only-child{display:none}</style><div class="d"><span>Norton</span> <b>360</b><span>Acme</span></div><div class="e"><b>Store</b></div>`,
			"Norton 360"},
		{"hover and focus rules are not the first sight", `<style>p:hover{display:none} .x:not(:hover){color:#fff} a:focus{display:none}</style><p>Norton 360</p><p class="x">Acme</p><a href="https://example.com/">link</a>`,
			"Norton 360 link"},
		// how Chromium fills text, and content it does not draw
		{"decoy hidden by -webkit-text-fill-color", `<div style="-webkit-text-fill-color:transparent">Acme Software Store</div>` + lure,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		{"lure white in color, black in fill", `<p style="color:#fff;-webkit-text-fill-color:#000">Norton 360 renewal</p><p style="-webkit-text-fill-color:#fff">Acme<span style="-webkit-text-fill-color:currentcolor">Store</span></p>`,
			"Norton 360 renewal Store"},
		{"decoy hidden by filter: opacity()", `<p style="filter:opacity(0)">Acme Software Store</p><p style="filter:opacity(100%)">Norton 360 renewal</p>`,
			"Norton 360 renewal"},
		{"decoy hidden by content-visibility", `<div style="content-visibility:hidden">Acme Software Store</div><div style="content-visibility:visible">Norton 360 renewal</div>`,
			"Norton 360 renewal"},
		// text drawn only by the styles, as Chromium draws ::before and ::after
		{"lure drawn by ::before", `<style>.c::before{content:"Call Norton at 1-808-555-0199"}</style><p class="c"></p><p>Your order</p>`,
			"Call Norton at 1-808-555-0199 Your order"},
		{"lure drawn by ::after from an attribute", `<style>.n::after{content:" " attr(data-t) " renewal"} b:after{content:'\4E orton'}</style><p class="n" data-t="Norton 360">Your</p><b></b>`,
			"Your Norton 360 renewal Norton"},
		{"::before hidden", `<style>.c::before{content:"Acme Store";display:none} .d:after{content:"Acme";font-size:0} .e:before{content:"Acme";color:#fff}</style><p class="c d e">Norton 360</p>`,
			"Norton 360"},
		{"::before as a block", `<style>.c::before{content:"Norton";display:block}</style><p class="c">360</p>`,
			"Norton 360"},
		// classes and ids match in their case in standards and limited quirks modes, in any case in quirks mode
		{"standards mode: a rule in another case hides nothing", `<!DOCTYPE html><html><head><style>.Note{display:none} #Legal{display:none}</style></head><body><p class="note">Norton 360: your renewal of $399.99 was charged.</p><p id="legal">To cancel call 1-808-555-0199.</p></body></html>`,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		{"limited quirks (XHTML 1.0 Transitional): classes in their case", `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd"><html><head><style>.Fine{display:none}</style></head><body><p class="fine">Norton 360 renewal</p><p class="Fine">Acme Software Store</p></body></html>`,
			"Norton 360 renewal"},
		{"quirks mode (no doctype): classes and ids in any case", `<style>.Fine{display:none} #LEGAL{display:none}</style><p class="fine">Acme Software Store</p><p id="legal">Acme</p>` + lure,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		{"quirks mode (HTML 4.01 Transitional, no system id)", `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN"><style>.Fine{display:none}</style><p class="fine">Acme Software Store</p>` + lure,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		{"a bogus doctype is quirks mode", `<!DOCTYPE html x><style>.Fine{display:none}</style><p class="fine">Acme Software Store</p>` + lure,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		{"quirks mode: a table does not inherit the font's size", `<div style="font-size:0"><table><tr><td>Norton 360 renewal</td></tr></table><span>Acme</span></div>`,
			"Norton 360 renewal"},
		{"standards mode: a table inherits the font's size", `<!DOCTYPE html><div style="font-size:0"><table><tr><td>Acme Software Store</td></tr></table></div><p>Norton 360 renewal</p>`,
			"Norton 360 renewal"},
		// escapes in selectors name what they stand for
		{"decoys hidden by escaped selectors", `<style>.\66 ine{display:none} #legal\:note{display:none} .\31 0pt{font-size:0} .a\.b{color:#fff}</style><p class="fine">Acme</p><p id="legal:note">Software</p><p class="10pt">Store</p><p class="a.b">Shop</p>` + lure,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		{"escaped selectors that name other elements", `<!DOCTYPE html><style>.\46 ine{display:none} .a\ b{display:none} .x\,y{display:none}</style><p class="fine">Norton 360</p><p class="a b">renewal</p><p class="x y">order</p>`,
			"Norton 360 renewal order"},
		{"a class is split at ASCII white space only", `<style>.fine{display:none}</style><p class="fine&#160;print">Norton 360 renewal</p><p class="x fine">Acme</p>`,
			"Norton 360 renewal"},
		// :has()
		{"decoys hidden by :has()", `<style>.card:has(.promo){display:none} .row:has(> b){color:#fff} li:has(+ li.last){display:none} .box:has(.a .b){font-size:0}</style><div class="card">Acme <span class="promo">Store</span></div><p class="row"><b>Software</b> Shop</p><ul><li>Acme</li><li class="last">Norton</li></ul><div class="box"><p class="a">Acme<i class="b">x</i></p></div><div class="card">360 renewal</div>`,
			"Norton 360 renewal"},
		{":has() that matches nothing", `<style>.card:has(> .promo){display:none} .row:has(+ .x){display:none}</style><div class="card"><p>Norton <span class="promo">360</span></p></div><p class="row">renewal</p><p>order</p><p class="x">now</p>`,
			"Norton 360 renewal order now"},
		// @media and @supports: rules apply where a desktop mail client in the light scheme meets them for sure
		{"rules under conditions the reader does not meet", `<style>@media (min-width: 3000px){.a{display:none}} @media not screen{.b{display:none}} @media (prefers-color-scheme: dark){.c{display:none}} @media screen and (max-device-width: 480px){.d{display:none}} @media (400px <= width <= 700px){.e{display:none}} @supports (foo: bar){.f{display:none}} @supports not (display: grid){.g{display:none}}</style><p class="a">Norton</p><p class="b">360</p><p class="c">renewal</p><p class="d">of</p><p class="e">$399.99</p><p class="f">was</p><p class="g">charged</p>`,
			"Norton 360 renewal of $399.99 was charged"},
		{"rules under conditions the reader meets", `<style>@media (min-width: 600px){.a{display:none}} @media not print{.b{display:none}} @media (prefers-color-scheme: light){.c{display:none}} @media (width >= 600px) and (max-width: 2000px){.d{display:none}} @media print, screen{.e{display:none}} @supports (display: grid) and (position: sticky){.f{display:none}} @supports selector(:has(a)){.g{display:none}}</style><p class="a">Acme</p><p class="b">Software</p><p class="c">Store</p><p class="d">Shop</p><p class="e">order</p><p class="f">Acme</p><p class="g">Store</p>` + lure,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		// colours
		{"decoys in colours mixed to the background", `<style>.m{color:color-mix(in srgb, white 100%, black)} .t{color:color-mix(in srgb, #000, transparent 99%)}</style><p class="m">Acme</p><p class="t">Software</p><p style="color:color-mix(in srgb, black 2%, white 2%)">Store</p><div style="background:#0b3d91;color:#0b3d91"><span style="color:currentColor">Shop</span></div>` + lure,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		{"colours mixed that show", `<p style="color:color-mix(in srgb, black 60%, white)">Norton 360</p><p style="color:color-mix(in srgb, rgb(0 0 0 / 50%) 30%, black)">renewal</p>`,
			"Norton 360 renewal"},
		{"display: contents draws its content", `<div style="display:contents">Norton 360</div><div style="display:contents;width:0;height:0;overflow:hidden">renewal</div><div style="display:contents;color:#fff">Acme</div>`,
			"Norton 360renewal"}, // no box, so no block's edge between them
		{"a clip-path polygon of no area", `<p style="clip-path:polygon(0 0, 0 0, 0 0)">Acme Software Store</p><p style="clip-path:polygon(0 0, 100% 0, 100% 100%, 0 100%)">Norton 360 renewal</p>`,
			"Norton 360 renewal"},
		// ::first-letter and ::first-line draw the first letter and line in a font of their own
		{"a letter of the brand hidden by ::first-letter", `<style>.h::first-letter{font-size:0} .q:first-letter{font:0/0 a}</style><p class="h">XNorton 360: your renewal of $399.99 was charged.</p><div class="q"><p>"QTo cancel call 1-808-555-0199.</p></div>`,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		{"a decoy hidden by ::first-line", `<style>.d::first-line{font-size:0} .s{font-size:0} .s::first-line{font-size:16px}</style><div class="d">Acme Software Store<br>Norton 360 renewal</div><div class="s">To cancel call 1-808-555-0199.<br>Acme Store</div>`,
			"Norton 360 renewal To cancel call 1-808-555-0199."},
		{"::first-letter and ::first-line that hide nothing", `<style>p::first-letter{font-size:2em;float:left} .l::first-line{font-size:0} .m::first-letter{font-size:0}</style><p>Norton 360 renewal</p><div class="l"><img alt="" src="data:,">` + `</div><div class="m"><span style="position:absolute;top:0;left:600px">Acme</span> <span style="display:inline-block">Order</span> now</div>`,
			"Norton 360 renewal Acme Order now"},
		// presentational attributes: <font color>, <body text>, bgcolor (legacy colour values)
		{"decoys hidden by <font color> and bgcolor", `<body bgcolor="#fdfdfd"><font color="#ffffff">Acme</font><font color="fdfdfd">Software</font><table bgcolor="navy"><tr><td><font color="#000080">Store</font></td></tr></table><table><tr bgcolor="#222"><td><font color=#222>Shop</font></td></tr></table>` + lure + `</body>`,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		{"<font color> that shows", `<body text="#ffffff" bgcolor="#0b3d91"><font color="fff">Norton</font> <font color="chucknorris">360</font> <font color=black style="color:#fff">renewal</font><style>.w{color:#000}</style><table><tr><td bgcolor="#000" style="background:#fff"><font class=w color="#fff">order</font></td></tr></table></body>`,
			"Norton 360 renewal order"},
		// text painted by other than its fill: a shadow, a stroke, a background clipped to it
		{"a lure in a shadow, a stroke, a background clipped to the text", `<p style="color:transparent;text-shadow:0 0 0 #000">Norton 360</p><p style="-webkit-text-fill-color:transparent;-webkit-text-stroke:1px #222">renewal</p><p style="color:transparent;background:linear-gradient(#000,#333);-webkit-background-clip:text;background-clip:text">To cancel call <b>1-808-555-0199.</b></p>`,
			"Norton 360 renewal To cancel call 1-808-555-0199."},
		{"shadows, strokes and clipped backgrounds that show nothing", `<p style="color:transparent;text-shadow:0 0 0 #fff, 1px 1px transparent">Acme</p><p style="color:transparent;text-shadow:-9999px 0 0 #000">Software</p><p style="color:transparent;-webkit-text-stroke-width:1px">Store</p><p style="color:transparent;background:#fff;background-clip:text">Shop</p>` + lure,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		// colours in lab(), lch(), oklab(), oklch(), hues in any angle unit
		{"decoys in lab and oklab colours of the background", `<p style="color:oklab(1 0 0)">Acme</p><p style="color:oklch(100% 0 0)">Software</p><p style="color:lab(100 0 0)">Store</p><p style="color:lch(99 1 0.5turn / 1)">Shop</p><p style="color:hsl(1rad 0% 99%)">Acme</p><div style="background:oklch(0.3 0.1 250)"><span style="color:#1c3251">Store</span></div>` + lure,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		{"lab and oklab colours that show", `<p style="color:oklch(0.3 0.1 250)">Norton 360</p><p style="color:lab(20% 10 -40)">renewal</p><p style="color:hsl(200grad 50% 20%)">order</p>`,
			"Norton 360 renewal order"},
		// calc(), min(), max(), clamp()
		{"decoys hidden by calc() and its kin", `<p style="font-size:calc(1px - 1px)">Acme</p><p style="opacity:calc(0)">Software</p><p style="font-size:clamp(0px, 1vw, 1px)">Store</p><div style="position:absolute;left:calc(-100vw - 20px)">Shop</div><p style="font-size:calc(0.01em)">Acme</p><p style="font-size:min(1rem, 0.5px)">Store</p>` + lure,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		{"calc() that shows", `<p style="font-size:calc(0)">Norton</p><p style="font-size:calc(2 * 8px)">360</p><p style="position:relative;left:calc(10px - 5px)">renewal</p><p style="opacity:max(0, 0.9)">order</p>`,
			"Norton 360 renewal order"},
		// the transform properties of their own, zoom, letter-spacing
		{"decoys hidden by scale, translate, zoom and letter-spacing", `<p style="scale:0">Acme</p><p style="translate:-9999px">Software</p><p style="zoom:0.01">Store</p><p style="letter-spacing:-1em">Shop</p><p style="scale:0 1">Acme</p><p style="translate:0 -5000px">Store</p><div style="zoom:5%"><p>Shop</p></div>` + lure,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		{"zoom and letter-spacing that show", `<p style="zoom:0">Norton</p><p style="zoom:50%">360</p><p style="letter-spacing:-0.05em">renewal</p><p style="letter-spacing:-2px">order</p>`,
			"Norton 360 renewal order"},
		// offsets by right and bottom, logical properties
		{"decoys moved off by right, bottom and logical offsets", `<div style="position:absolute;right:9999px">Acme</div><div style="position:relative;bottom:5000px">Software</div><div style="position:absolute;inset-inline-start:-9999px">Store</div><div style="margin-inline-start:-9999px">Shop</div><div style="position:absolute;inset:-9999px auto auto auto">Acme</div>` + lure,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		// a heading replaced by a picture: its text pushed past the right edge it clips at
		{"a decoy indented past a clipping edge", `<h1 style="text-indent:100%;white-space:nowrap;overflow:hidden">Acme Software Store</h1><div style="text-indent:1400px;text-wrap-mode:nowrap;overflow:hidden">Acme</div>` + lure,
			"Norton 360: your renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		// a list item's ::marker draws its content, or a string list-style-type
		{"a lure drawn by list markers", `<style>.n::marker{content:"Norton 360 "} ul.c{list-style-position:inside}</style><ul><li class="n">renewal of $399.99 was charged.</li></ul><ul class="c" style="list-style-type:'To cancel call '"><li>1-808-555-0199.</li></ul>`,
			"Norton 360 renewal of $399.99 was charged. To cancel call 1-808-555-0199."},
		{"markers that draw nothing", `<style>.a::marker{font-size:0} .b::marker{color:#fff} .c::marker{content:none} .e::marker{display:none;opacity:0}</style><ul style="list-style-position:inside"><li class="a" style="list-style-type:'Acme '">Norton</li><li class="b" style="list-style-type:'Store '">360</li><li class="c" style="list-style-type:'Shop '">renewal</li><li style="display:block;list-style-type:'Acme '">of</li><li class="e" style="list-style-type:'$399.99 '">charged</li></ul>`,
			"Norton 360 renewal of $399.99 charged"},
		// honest newsletters: a clearfix, bullets, a hidden preheader, rules for narrow windows
		{"newsletter clearfix and bullets", `<style>.cf:after{content:"";display:table;clear:both} .l li{list-style:none} .l li:before{content:"\2022 "}</style><div class="cf">Spring sale</div><ul class="l"><li>Bikes</li><li>Helmets</li></ul>`,
			"Spring sale •Bikes •Helmets"},
		{"newsletter with a hidden preheader and media queries", `<style>.pre{display:none!important;mso-hide:all} .mob{display:none} @media only screen and (max-width:600px){.mob{display:block!important} .desk{display:none!important}} td[class="col"]{width:50%}</style><div class="pre">Twenty per cent off inside</div><table><tr><td class="col desk">Spring sale</td><td class="mob">Tap to shop</td></tr></table>`,
			"Spring sale"},
	}
}

// noscriptBodies are bodies a mail client, which runs no script, draws
// otherwise than a browser: what <noscript> holds (markup, style sheets)
// is shown. want is the body's text (showntext.ReadBody); held to Chromium
// with its scripts off, and the page's reading to it with them on, by
// TestShownTextInChromium.
func noscriptBodies() []textCase {
	return []textCase{
		{"a lure in a noscript", `<p>Hello,</p><noscript><h2>Norton 360</h2><p>To cancel call <b>1-808-555-0199</b>.</p></noscript><script>var seen = 1</script>`,
			"Hello, Norton 360 To cancel call 1-808-555-0199."},
		{"a style sheet in a noscript of the head", `<html><head><noscript><style>.d{display:none}</style></noscript></head><body><p class="d">Acme Software Store</p><p>Norton 360 renewal</p></body></html>`,
			"Norton 360 renewal"},
		{"a noscript a rule hides", `<style>noscript{display:none}</style><p>Norton 360 renewal</p><noscript>Acme Software Store</noscript>`,
			"Norton 360 renewal"},
	}
}

// outlookBodies hide text as Outlook does and Chromium does not
// (TestShownTextInChromium leaves them out).
var outlookBodies = []textCase{
	{"decoy hidden from Outlook", `<p>Norton 360 renewal</p><div style="mso-hide: ALL !important">Acme Software Store</div><style>.x{mso-hide:all}</style><p class=x>Acme</p>`,
		"Norton 360 renewal"},
	{"other mso-hide values shown", `<p style="mso-hide:screen">Acme</p><p style="mso-hide:allx">Store</p>`, "Acme Store"},
}

func TestHTMLText(t *testing.T) {
	for _, c := range append(mailBodies(), outlookBodies...) {
		if got := strings.Join(strings.Fields(showntext.Text([]byte(c.page), maxShownHTML)), " "); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
		// a body with no noscript reads alike as a page
		if _, got := showntext.ReadBody([]byte(c.page), maxShownHTML); strings.Join(strings.Fields(got), " ") != c.want {
			t.Errorf("%s: as a body, got %q, want %q", c.name, got, c.want)
		}
	}
	for _, c := range noscriptBodies() {
		if _, got := showntext.ReadBody([]byte(c.page), maxShownHTML); strings.Join(strings.Fields(got), " ") != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}

// FuzzShownPieces: scanPieces reads every piece html.Tokenizer reads
// (tokenPieces), their letters in the same order (it may read a few more:
// every alt of a tag, a tag the end of the markup cuts).
func FuzzShownPieces(f *testing.F) {
	for _, c := range brandGateCases {
		f.Add([]byte(c.page))
	}
	for _, s := range []string{
		`<p a="x>y" b='<style>' c=d>Nor<!-- <style> -->ton<!--->x<!-->y<!-- a --!> b`,
		`<textarea><b>Nor</textareax>ton</TEXTAREA >&amp;<title>&#78;</title><xmp>&#78;</xmp>`,
		`<img alt="&notit;&amp;" ALT=x><image alt=Nor>ton</>x</3>y<?php z ?>w<!DOCTYPE html>v<!x>u`,
		`<script>if(a<b)</script>Norton<style>p{}</STYLE/>x<plaintext><b>y`,
		`<script><!--<script></script><style></script>Norton</style>`,
		`a<<b>c< d<`, `<a =x =y/ / z='q>`, `<img alt`, `<a href=x>y</a `,
	} {
		f.Add([]byte(s))
	}
	streams := func(read func(f func([]byte) bool)) []string {
		var out []string
		read(func(t []byte) bool {
			if s, _ := pieceStream(nil, string(t)); len(s) > 0 {
				out = append(out, string(s))
			}
			return true
		})
		return out
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ok := true
		scan := streams(func(f func([]byte) bool) { ok = scanPieces(b, f) })
		if !ok {
			return
		}
		tok := streams(func(f func([]byte) bool) { tokenPieces(b, false, false, f) })
		for i := 0; len(tok) > 0; i++ {
			if i == len(scan) {
				t.Fatalf("tokenizer's pieces %q not in scanPieces' %q", tok, scan)
			}
			if scan[i] == tok[0] {
				tok = tok[1:]
			}
		}
	})
}

// BenchmarkShownPieces reads the pieces of the mixed set's and
// business.eml's HTML parts (mayNameBrand's reading) with scanPieces and
// with html.Tokenizer (tokenPieces), the same bytes, side by side:
//
//	KENSA_BENCH_CORPUS=/tmp/kensa-corpus go test -run '^$' -bench ShownPieces ./scanners/heuristic
func BenchmarkShownPieces(b *testing.B) {
	var pages [][]byte
	for _, m := range append(mixedExpanded(b), expanded(b, "business.eml")...) {
		for _, p := range m.Parts {
			if urls.IsHTML(p) {
				pages = append(pages, head(p))
			}
		}
	}
	size := 0
	for _, p := range pages {
		size += len(p)
	}
	none := func([]byte) bool { return true }
	for _, c := range []struct {
		name string
		read func([]byte)
	}{
		{"scan", func(p []byte) { scanPieces(p, none) }},
		{"tokenizer", func(p []byte) { tokenPieces(p, false, false, none) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for b.Loop() {
				for _, p := range pages {
					c.read(p)
				}
			}
		})
	}
}
