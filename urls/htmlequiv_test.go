package urls

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// refHTML is the loop over golang.org/x/net/html's Tokenizer that html
// replaced; html must give exactly what it gives.
func (c *collector) refHTML(b []byte, nested bool) {
	z := html.NewTokenizer(bytes.NewReader(b))
	z.SetMaxBuf(1 << 20)
	var anchor *URL // open <a>, its text is being collected
	var anchorText strings.Builder
	var attrs tagAttrs
	var base baseURL
	closeAnchor := func() {
		if anchor != nil {
			c.add(anchor.Raw, anchorText.String(), SourceHref)
			anchor = nil
			anchorText.Reset()
		}
	}
	for i := 0; i < 1_000_000 && !c.full(); i++ {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			closeAnchor()
			return
		case html.TextToken:
			t := z.Text()
			if anchor != nil && anchorText.Len() < MaxTextLen {
				anchorText.Write(t[:min(len(t), MaxTextLen)])
				anchorText.WriteByte(' ')
			}
			c.text(t, SourceText)
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := linkTag(name)
			if tag == "" {
				continue // no link in it: its attributes need not be read
			}
			attrs = attrs[:0]
			for n := 0; hasAttr && n < 64; n++ {
				var a tagAttr
				a.k, a.v, hasAttr = z.TagAttr()
				attrs = append(attrs, a)
			}
			switch tag {
			case "a":
				closeAnchor()
				if h, ok := attrs.href(); ok {
					h = base.resolve(h)
					if tt == html.SelfClosingTagToken {
						c.add(h, "", SourceHref)
					} else {
						anchor = &URL{Raw: h}
					}
				}
			case "area":
				if h, ok := attrs.href(); ok && strings.TrimSpace(h) != "" {
					c.add(base.resolve(h), "", SourceHref)
				}
			case "base":
				base.set(attrs)
			case "form":
				c.addAttr(attrs, "action", SourceAction)
			case "iframe", "frame":
				c.addAttr(attrs, "src", SourceFrame)
			case "img", "script", "embed", "source", "video", "audio", "input":
				if s, _ := attrs.get("src"); s != "" && !strings.HasPrefix(strings.ToLower(strings.TrimSpace(s)), "data:") {
					c.add(s, "", SourceSrc)
				}
			case "meta":
				if v, _ := attrs.get("http-equiv"); strings.EqualFold(v, "refresh") {
					content, _ := attrs.get("content")
					if _, after, ok := strings.Cut(content, "="); ok {
						c.add(strings.Trim(after, `'" `), "", SourceFrame)
					}
				}
			case "set", "animate":
				c.animatedHref(attrs)
			case "vml":
				if h, ok := attrs.href(); ok && strings.TrimSpace(h) != "" {
					c.add(base.resolve(h), "", SourceHref)
				}
			}
		case html.EndTagToken:
			if name, _ := z.TagName(); string(localName(name)) == "a" {
				closeAnchor()
			}
		case html.CommentToken:
			if inner := outlookOnly(z.Text()); inner != nil && !nested {
				c.refHTML(inner, true)
			}
		}
	}
	closeAnchor()
}

func htmlURLs(b []byte, ref bool) []URL {
	c := collector{seen: map[string]bool{}, hosts: map[string]string{}}
	if ref {
		c.refHTML(b, false)
	} else {
		c.html(b)
	}
	return c.out
}

func checkHTML(t *testing.T, b []byte) {
	t.Helper()
	got, want := htmlURLs(b, false), htmlURLs(b, true)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%q:\n got %+v\nwant %+v", b[:min(len(b), 2000)], got, want)
	}
}

// htmlSeeds are the awkward corners of HTML tokenizing.
var htmlSeeds = []string{
	"<base href=https://ba.example/d/><a href=keep>k</a><a href=/x>x</a><area href=../y><a href=https://abs.example/>a</a>", "<base target=_top><base href=https://bb.example/><a href=z>",
	"<base href=keep/><a href=q>", "<base href='javascript:x'><a href=r>", "<BASE HREF=http://bc.example><v:rect href=s>", "<base href=http://bd.example><a href='%zz'>",
	"<!--[if mso]><a href=http://s.example>s</a><![endif]-->www.after.example", "<!--[if gte mso 9]><v:roundrect href=http://t.example>t</v:roundrect><![endif]-->",
	"<!-- [IF MSO]><a href=http://u.example>u<![endif]-->", "<!--[if mso]><!--[if mso]><a href=http://v.example>v<![endif]-->", "<!--[if IE]><a href=http://w.example>w</a><![endif]-->",
	"<!--[if !mso]><!--><a href=http://x.example>x</a><!--<![endif]-->", "<!--[if mso]>", "<!--[if mso]><a href=http://y.example>y</a>-->", "<V:RECT HREF=http://z.example>",
	"<svg:a xlink:href=http://k.example/>k</svg:a>www.after.example", "<x:y:a href=http://l.example>l</X:Y:A>", "<svg:a xl:href=http://m.example>m",
	"<a :href=http://n.example>n</a>", "<svg:area foo:href=http://o.example>", "<svg:set attributeName=xl:href to=http://p.example>", "<:a href=http://q.example>",
	"<averylongprefix:a href=http://r.example>r</averylongprefix:a>",
	"", "<", "<a", "<a href=x", "</", "</a", "</a>", "</>", "</ x>", "</1", "<!", "<!-", "<!--", "<!-->", "<!--->",
	"<!-- x -- y --!>z<a href=http://a.example>t</a>", "<?xml x?><a href=//b.example>b", "<!DOCTYPE html><a href=x>",
	"<![CDATA[<a href=http://c.example>]]><a href=http://d.example>", "<a href='http://e.example' href=http://f.example>x</A>",
	"<A HREF=\"HTTP://G.EXAMPLE/P\">Text &amp; more</a>", "<a href=http://h.example/>self</a>", "<a href=http://h.example />",
	"<a href/>x</a>", "<a/href=http://i.example>x", "<a =href=x>", "<a href = \"  http://j.example \" >y", "<a\x00 href=x>",
	"<a hr\x00ef=http://k.example>", "<a href=\"http://l.example/\x00\">", "<a href=\"http://m.example/?a=1&amp;b=2&lt;&gt;&quot;&nbsp;&#39;&#x41;\">",
	"<a href=\"http://n.example/?a=1&b=2&copy=3&notit;&amp&lt\">", "<a href=\"http://o.example/&ampx;&AMP;&apos\">",
	"<a href=\"http://p\r\n.example/\r\">q\r\nr</a>", "text www.q.example &#119;ww.r.example http&#58;//s.example/",
	"<script>var s = \"</script>\"; www.t.example</script><a href=http://u.example>", "<script><!--<script>x</script>www.v.example--></script>www.w.example",
	"<SCRIPT>a</SCRIPT >b", "<script/>www.x.example</script>", "<style>a{background:url(http://y.example/i.png)}</style>",
	"<style></style><a href=z>", "<title>&#104;ttp://z.example</title>", "<textarea>http://ta.example &amp;</textarea>",
	"<plaintext><a href=http://pt.example>", "<xmp><a href=http://xmp.example></xmp>", "<iframe src=http://if.example>www.in.example</iframe>",
	"<noscript><a href=http://ns.example>x</a></noscript>", "<img src=\"data:image/png;base64,xx\"><img SRC=http://img.example/a.png>",
	"<meta http-equiv=Refresh content=\"0; URL='http://meta.example/'\">", "<form action=http://form.example/post><input type=password>",
	"<area href=http://area.example>", "<frame src=http://frame.example>", "<base href=http://base.example/><a href=rel>x</a>",
	"<img srcset=\"http://s1.example/a.png 1x, http://s2.example/b.png 2x\">", "<a href=x>one<a href=y>two</a>", "<a href=x>" + strings.Repeat("long text ", 40),
	"<a b=c d e='f' g=\"h\"/>", "<a b=/>", "<a b='/'/>", "<a\thref\t=\thttp://tab.example\t>", "<a\fhref=x>", "a<b<c<a href=x>d",
	"<a href=\"unterminated", "<a href='x'", "<p title=\">\" class=x><a href=http://q.example>q</a>", "< a href=x>", "<1a href=x>",
	"<a href=x>\xff\xfe</a>", "<a href=\"http://ü.example/\">ü</a>", "<a href=http://x.example>www.y.example</a >",
	"<input src=http://in.example>", "<video src=v><audio src=a><source src=s><embed src=e>",
	"http://plain.example <b>www.bold.example</b>", "<a href=\"&#x68;ttp://enc.example\">", "<a href=\"&#0;\">", "<a href=\"&#1114112;&#xD800;\">",
	"</a b=\">\">www.after.example", "</a b='x'", "<a href=x></a/>", "<a href=x><!-- www.comment.example --></a>",
	"<svg><a xlink:href=\"http://xl.example/\">x</a><a XLINK:HREF=http://xl2.example href=http://h2.example>y</a></svg>",
	"<svg><a href=http://own.example><set attributeName=href to=\"http://set.example/\"/><ANIMATE AttributeName='xlink:href' values='http://v1.example/; http://v2.example/' from=http://f.example>x</a></svg>",
	"<set attributename=HREF to=&#104;ttp://ent.example/><animate attributeName=fill to=http://not.example/><setx attributeName=href to=http://nottag.example/>",
}

// htmlFiles are the HTML test inputs in the repository: the corpus mails
// (whole, as HTML) and their HTML bodies.
func htmlFiles(t testing.TB) [][]byte {
	var out [][]byte
	for _, glob := range []string{"../testdata/corpus/*/*.eml", "testdata/*"} {
		files, _ := filepath.Glob(glob)
		for _, f := range files {
			if fi, err := os.Stat(f); err == nil && fi.IsDir() {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatalf("reading %s: %v", f, err)
			}
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		t.Fatal("no corpus mails found in ../testdata/corpus")
	}
	return out
}

func TestHTMLEquivalence(t *testing.T) {
	for _, s := range htmlSeeds {
		checkHTML(t, []byte(s))
		checkHTML(t, []byte(strings.ToUpper(s)))
	}
	for _, b := range htmlFiles(t) {
		checkHTML(t, b)
	}
	checkHTML(t, benchHTML())
	checkHTML(t, corpusHTML())
	checkHTML(t, marketingHTML())
	// Every prefix of a varied page: tokens cut at every byte.
	m := marketingHTML()[:6000]
	for i := range m {
		checkHTML(t, m[:i])
	}
}

// TestHTMLEquivalenceLimits: tokens near the Tokenizer's buffer limit, and
// more links than a part keeps.
func TestHTMLEquivalenceLimits(t *testing.T) {
	pad := func(n int) string { return strings.Repeat("x", n) }
	for _, d := range []int{-4, -3, -2, -1, 0, 1, 2} {
		n := htmlMaxBuf + d
		for _, s := range []string{
			"<a href=http://a.example>" + pad(n-2) + "<b>www.after.example",
			"<a href=http://a.example>" + pad(n) + "www.end.example",
			pad(n-len("http://t.example/")) + "http://t.example/<a href=http://b.example>",
			"<a href=http://a.example title=" + pad(n-40) + ">x</a>www.after.example",
			"<p title=" + pad(n-12) + ">www.after.example",
			"</p title=" + pad(n-12) + ">www.after.example",
			"<!--" + pad(n-7) + "-->www.after.example",
			"<script>" + pad(n-20) + "</script>www.after.example",
			"<style>" + pad(n-2) + "</style>www.after.example",
		} {
			checkHTML(t, []byte(s))
		}
	}
	var many strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&many, "<a href=http://h%d.example/>l%d</a> www.t%d.example <img src=http://i%d.example/>", i%700, i, i%600, i)
	}
	checkHTML(t, []byte(many.String()))
	var attrs strings.Builder
	attrs.WriteString("<a")
	for i := range 70 {
		fmt.Fprintf(&attrs, " a%d=%d A%d=x", i, i, i)
	}
	attrs.WriteString(" href=http://late.example/>x</a><a")
	for i := range 63 {
		fmt.Fprintf(&attrs, " a%d=%d", i, i)
	}
	attrs.WriteString(" href=http://just.example/>y</a>")
	checkHTML(t, []byte(attrs.String()))
}

func FuzzHTMLEquivalent(f *testing.F) {
	for _, s := range htmlSeeds {
		f.Add([]byte(s))
	}
	for _, b := range htmlFiles(f) {
		f.Add(b)
	}
	f.Add(benchHTML())
	f.Add(marketingHTML()[:4000])
	f.Fuzz(checkHTML)
}

// corpusHTML is the HTML part of the benchmark corpus's business.eml, made
// the way bench/corpusgen makes it: about 20 KB, a link per table row.
func corpusHTML() []byte {
	r := rand.New(rand.NewPCG(7, 8))
	words := strings.Fields(`the quarterly report budget meeting project customer invoice delivery schedule
review team office contract supplier order shipment forecast revenue update attached please find
regards thanks agenda minutes proposal estimate warehouse logistics quality audit policy training`)
	sentence := func() string {
		w := make([]string, 6+r.IntN(12))
		for i := range w {
			w[i] = words[r.IntN(len(words))]
		}
		w[0] = strings.ToUpper(w[0][:1]) + w[0][1:]
		return strings.Join(w, " ") + "."
	}
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Update</title></head><body>\n<table>")
	for b.Len() < 20000 {
		fmt.Fprintf(&b, "<tr><td>%s</td><td><a href=\"https://www.example.com/projects/%d\">project %d</a></td></tr>\n<p>%s</p>\n",
			sentence(), r.IntN(9999), r.IntN(999), sentence())
	}
	b.WriteString("</table><p><a href=\"https://www.example.com/unsubscribe\">Unsubscribe</a></p></body></html>\n")
	return []byte(strings.ReplaceAll(b.String(), "\n", "\r\n"))
}

// marketingHTML is a newsletter as mailing tools write it: about 80 KB, a
// style sheet, Outlook conditional comments, nested layout tables with
// inline styles, images, tracked links with &amp; in them, and a footer.
func marketingHTML() []byte {
	r := rand.New(rand.NewPCG(9, 10))
	var b strings.Builder
	b.WriteString(`<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">` + "\n" +
		`<html xmlns="http://www.w3.org/1999/xhtml"><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">` +
		`<meta name="viewport" content="width=device-width, initial-scale=1.0"><title>Our autumn offers</title>` + "\n<style type=\"text/css\">\n")
	for i := range 60 {
		fmt.Fprintf(&b, ".c%d { font-family: Arial, Helvetica, sans-serif; font-size: %dpx; color: #%06x; padding: 0 %dpx; }\n", i, 10+i%8, r.IntN(1<<24), i%12)
	}
	b.WriteString("@media only screen and (max-width: 600px) { .wrap { width: 100% !important; } }\n</style>\n" +
		"<!--[if mso]><style>table{border-collapse:collapse;}</style><![endif]-->\n</head>\n<body style=\"margin:0;padding:0;\">\n" +
		`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" class="wrap"><tr><td align="center">` + "\n")
	words := strings.Fields("new season offer save today limited free shipping members exclusive collection discover style comfort quality order")
	for i := 0; b.Len() < 78000; i++ {
		w := make([]string, 8+r.IntN(12))
		for j := range w {
			w[j] = words[r.IntN(len(words))]
		}
		id := r.Uint32()
		fmt.Fprintf(&b, `<table role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" style="background-color:#ffffff;border:1px solid #e0e0e0;">`+
			`<tr><td class="c%d" style="padding:16px 24px;font-size:14px;line-height:20px;">`+
			`<a href="https://click.mail.example.com/?qs=%08x&amp;u=%d&amp;utm_source=newsletter&amp;utm_medium=email" target="_blank" style="text-decoration:none;">`+
			`<img src="https://img.mail.example.com/products/%d.jpg" width="552" height="300" alt="%s" style="display:block;border:0;"></a>`+
			"</td></tr>\n<tr><td style=\"padding:0 24px 16px;\"><p style=\"margin:0;\">%s &nbsp;&mdash; %s</p>"+
			`<a href="https://click.mail.example.com/?qs=%08x&amp;u=%d" style="color:#d0021b;font-weight:bold;">Shop now &rsaquo;</a></td></tr></table>`+"\n",
			i%60, id, i, i, w[0], strings.Join(w, " "), strings.Join(w[:4], " "), id+1, i)
	}
	b.WriteString(`<p class="c1">You receive this mail because you subscribed at www.shop.example. ` +
		`<a href="https://mail.example.com/unsubscribe?u=42&amp;l=en">Unsubscribe</a> | <a href="https://mail.example.com/prefs?u=42">Preferences</a></p>` + "\n" +
		`<img src="https://t.mail.example.com/open.gif?u=42" width="1" height="1" alt="">` + "\n</td></tr></table></body></html>\n")
	return []byte(b.String())
}

func benchHTMLPart(b *testing.B, page []byte, ref bool) {
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		htmlURLs(page, ref)
	}
}

// The HTML part of business.eml, and a larger newsletter; Ref is the
// Tokenizer loop, for comparison in one run.
func BenchmarkHTMLCorpus(b *testing.B)       { benchHTMLPart(b, corpusHTML(), false) }
func BenchmarkHTMLCorpusRef(b *testing.B)    { benchHTMLPart(b, corpusHTML(), true) }
func BenchmarkHTMLMarketing(b *testing.B)    { benchHTMLPart(b, marketingHTML(), false) }
func BenchmarkHTMLMarketingRef(b *testing.B) { benchHTMLPart(b, marketingHTML(), true) }
