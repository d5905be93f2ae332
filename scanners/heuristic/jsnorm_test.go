package heuristic

import (
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/message"
)

func TestNormalizeJS(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"joined literals", `var f = window['at'+"ob"];`, `window.atob`},
		{"escapes in literals", `x = "\x42l" + 'o\u0062';`, `"Blob"`},
		{"fromCharCode", `var n = String.fromCharCode(66,108,0x6f,98);`, `"Blob"`},
		{"array join", `var d = ['QUJD','REVG', "R0hJ"].join('');`, `"QUJDREVGR0hJ"`},
		{"literal variables", "var a = 'QUJD';\nvar b = 'REVG';\nvar c = atob(a + b);", `var c = "ABCDEF"`},
		{"global alias", "var B = window.Blob;\nvar x = new B([d]);", `new Blob([d])`},
		{"bracket alias then new", "var k = 'Bl' + 'ob';\nvar o = new window[k]([u]);", `new window.Blob([u])`},
		// constant folding: pieces of an address put together
		{"join with a separator", `location.href = ["https:", "", "evil.example", "p.php"].join("/");`, `"https://evil.example/p.php"`},
		{"join without an argument", `x = ['a', "b"].join();`, `"a,b"`},
		{"concat", `u = "https://".concat('evil', ".example", "/p");`, `"https://evil.example/p"`},
		{"template without substitutions", "u = `https://evil.example/p`;", `"https://evil.example/p"`},
		{"template of a literal variable", "var h = 'evil.example';\nlocation = `https://${h}/p`;", `location = "https://evil.example/p"`},
		{"template with code stays", "u = `https://${f(x)}/p`;", "`https://${f(x)}/p`"},
		{"backquote inside a literal", "a = \"`\"; b = 'x' + 'y';", `"xy"`},
		{"reversed", `u = "php.p/elpmaxe.live//:sptth".split("").reverse().join("");`, `"https://evil.example/p.php"`},
		{"parenthesised pieces", `location.replace(('https://' + 'evil') + '.example/p');`, `location.replace("https://evil.example/p")`},
		{"declaration list", "var a = 'https://', b = 'evil.example';\nfetch(a + b);", `fetch("https://evil.example")`},
		{"empty initialiser", "var u = '';\nu = 'https://evil.example/p';\nlocation.href = u;", `location.href = 'https://evil.example/p'`},
		{"appends", "var u = 'https://';\nu += 'evil.example';\nu += '/p';\nfetch(u, {});", `fetch("https://evil.example/p", {})`},
		{"name = name + literal", "var u = 'https://';\nu = u + 'evil.example';\nu = u + '/p';\nlocation.href = u;", `location.href = "https://evil.example/p"`},
		{"array held in a variable", "var parts = ['https:', '', 'evil.example', 'p'];\nlocation.href = parts.join('/');", `location.href = "https://evil.example/p"`},
		{"escaped line break kept", "x = `a\nb` + 'c';", `"a\nbc"`},
		// values computed from literals
		{"object properties", `var c={h:"https://",d:"evil"+".example"}; location.href=c.h+c.d+"/login"`, `location.href="https://evil.example/login"`},
		{"object property by bracket", `var c={"h":'https://evil.example/b', f: function(){ return 1 }}; location.href=c["h"]`, `location.href='https://evil.example/b'`},
		{"array indexes", `var p=["ht","tps://","ev","il.example"]; form.action=p[0]+p[1]+p[2]+p[3]`, `form.action="https://evil.example"`},
		{"split, reverse, join", `location = "elpmaxe.live//:sptth".split("").reverse().join("")`, `location = "https://evil.example"`},
		{"split on a separator", `u = "https:|evil.example|p".split("|").join("/")`, `u = "https:/evil.example/p"`},
		{"replace chain", `location = "hxxps://evil[.]example".replace("hxxps","https").replace("[.]",".")`, `location = "https://evil.example"`},
		{"replace junk by a regular expression", `location = "hQtQtQpQsQ:Q/Q/QeQvQiQlQ.QeQxQaQmQpQlQe".replace(/Q/g,"")`, `location = "https://evil.example"`},
		{"replace with a group", `u = "evil_example".replace(/(\w+)_(\w+)/, "https://$1.$2/")`, `u = "https://evil.example/"`},
		{"replaceAll", `u = "h-t-t-p-s://evil.example".replaceAll("-", "")`, `u = "https://evil.example"`},
		{"slice", `location = "https://xyzevil.example".slice(0,8)+"evil.example/a"`, `location = "https://evil.example/a"`},
		{"substring and substr", `u = "zzhttps://".substring(2) + "..evil.example..".substr(2, 12)`, `u = "https://evil.example"`},
		{"negative slice", `u = "https://evil.example/p?junk".slice(0, -5)`, `u = "https://evil.example/p"`},
		{"charAt and index", `u = "xh".charAt(1) + "ttps://evil.example"[0] + "ttps://evil.example".slice(1)`, `u = "https://evil.example"`},
		{"new URL with a base", `location = new URL("/owa/auth.php", "https://evil.example/x/")`, `location = "https://evil.example/owa/auth.php"`},
		{"new URL href", `var u = new URL("https://evil.example/x").href; location = u;`, `location = "https://evil.example/x"`},
		{"shift cipher by map", `var arr=[107,119,119,115,118,61,50,50,104,121,108,111,49,104,123,100,112,115,111,104]; location = String.fromCharCode(...arr.map(c=>c-3))`, `location = "https://evil.example"`},
		{"fromCharCode apply of a map", `location = String.fromCharCode.apply(null, [105,117,117,113,116].map(function (c) { return c - 1; })) + "://evil.example"`, `location = "https://evil.example"`},
		{"map to characters, joined", `location = [104,116,116,112,115].map(function(c){return String.fromCharCode(c)}).join("") + "://evil.example"`, `location = "https://evil.example"`},
		{"map over characters", `u = "iuuqt".split("").map(c => String.fromCharCode(c.charCodeAt(0) - 1)).join("") + "://evil.example"`, `u = "https://evil.example"`},
		{"constant expressions", `var k = 7; u = String.fromCharCode(0x68 ^ 0, 116, 0x74, 113 - 1, k * 16 + 3)`, `u = "https"`},
		{"XOR loop over an array", `var a=[95,67,67,71,68,13,24,24,82,65,94,91,25,82,79,86,90,71,91,82], k=55, s=""; for (var i=0;i<a.length;i++){ s += String.fromCharCode(a[i]^k); } location.href=s;`, `location.href="https://evil.example"`},
		{"XOR loop over a string, repeating key", `var e="\x1b\x11\x17\x02\x16\x4e\x5c\x4a\x06\x04\x0c\x18\x5d\x00\x1b\x13\x08\x04\x1f\x00", key="secret", s=""; for (let i = 0; i < e.length; i++) s = s + String.fromCharCode(e.charCodeAt(i) ^ key.charCodeAt(i % key.length)); top.location = s;`, `top.location = "https://evil.example"`},
		{"for of loop", `var s = ""; for (const c of [105,117,117,113,116]) { s += String.fromCharCode(c - 1); } u = s + "://evil.example";`, `u = "https://evil.example"`},
		{"bracketed location", `window["loc"+"ation"]["hr"+"ef"]="https://evil.example/x"`, `window.location.href="https://evil.example/x"`},
		{"location alias", `var l = window.location; l.href = "https://evil.example/al";`, `location.href = "https://evil.example/al"`},
		{"top location alias", `const loc = top.location; loc.replace("https://evil.example/t");`, `location.replace("https://evil.example/t")`},
		{"timer given code", `setTimeout("location='https://evil.example/t'", 100)`, `setTimeout(function(){location='https://evil.example/t'`},
		{"eval of a literal", `eval("location.replace('https://evil.example/e')")`, "\nlocation.replace('https://evil.example/e')\n"},
		{"Function of a literal", `new Function("location = 'https://evil.example/f'")();`, "(function(){location = 'https://evil.example/f'\n})();"},
		{"loop counted down", `var r = "elpmaxe.live//:sptth", u = ""; for (var i = r.length - 1; i >= 0; i--) u += r.charAt(i); location = u;`, `location = "https://evil.example"`},
		{"loop to an inclusive bound", `var s = ""; for (let i = 0; i <= 4; ++i) s = s + "https"[i]; u = s;`, `u = "https"`},
		{"at", `u = ["x", "https://evil.example"].at(-1) + "/p".at(0) + "p"`, `u = "https://evil.example/p"`},
		{"function of a literal", `function d(s) { return s.split("").reverse().join(""); }
location = d("elpmaxe.live//:sptth");`, `location = "https://evil.example"`},
		{"arrow function of two literals", "const dec = (s, k) => String.fromCharCode(...s.split(\"\").map(c => c.charCodeAt(0) ^ k));\nlocation = dec(\"_CCGD\\r\\x18\\x18RA^[\\x19RO\\x56ZG[R\", 55);", `location = "https://evil.example"`},
		{"function returning a literal", `function target() { return "https://" + "evil.example"; }
setTimeout(function () { location.replace(target()); }, 10);`, `location.replace("https://evil.example")`},
		{"split then index", `var h = "a,evil.example,b".split(","); u = "https://" + h[1];`, `u = "https://evil.example"`},
		// code of several statements, run on constants
		{"decoder function with a for loop", `function d(s) { var o = ""; for (var i = 0; i < s.length; i++) { var c = s.charCodeAt(i); o += String.fromCharCode(c - 1); } return o; }
location = d("iuuqt;00fwjm/fybnqmf");`, `location = "https://evil.example"`},
		{"while loop at the top", `var k = [104,116,116,112,115,58,47,47,101,118,105,108,46,101,120,97,109,112,108,101], i = 0, u = "";
while (i < k.length) { u += String.fromCharCode(k[i]); i++; }
location.replace(u);`, `location.replace("https://evil.example")`},
		{"do-while of parseInt", `function h(x) { var r = "", p = 0; do { r += String.fromCharCode(parseInt(x.substr(p, 2), 16)); p += 2; } while (p < x.length); return r; }
top.location = h("68747470733a2f2f6576696c2e6578616d706c65");`, `location = "https://evil.example"`},
		{"while (i--) reading backwards", `function rv(s) { var o = ""; var i = s.length; while (i--) { o += s.charAt(i); } return o; } location = rv("elpmaxe.live//:sptth");`, `location = "https://evil.example"`},
		{"Math.floor of a division", `var q = [728, 812, 812, 784, 805], out = []; for (var i = 0; i < q.length; i++) { out.push(String.fromCharCode(Math.floor(q[i] / 7))); } var u = out.join("") + "://evil.example"; location = u;`, `location = "https://evil.example"`},
		{"toString(36)", `var w = [694029, 32488192274].map(function (n) { return n.toString(36); }); location = "https://" + w.join(".");`, `location = "https://evil.example"`},
		{"nested object", `var app = {net: {scheme: "https", hosts: [["evil", "example"]]}}; var g = app.net.scheme + "://" + app.net.hosts[0].join("."); fetch(g);`, `fetch("https://evil.example")`},
		{"destructuring", `const {p, h} = {p: "https://", h: "evil.example"}; const [a] = [p + h]; location = a;`, `location = "https://evil.example"`},
		{"template with code", "const parts = [\"evil\", \"example\"]; location = `https://${parts.join(\".\")}/${40 + 2}`;", `location = "https://evil.example/42"`},
		{"Array.from and reduce", `var g = Array.from("iuuqt;00fwjm/fybnqmf").reduce(function (a, c) { return a + String.fromCharCode(c.charCodeAt(0) - 1); }, ""); fetch(g);`, `fetch("https://evil.example")`},
		{"padStart and decodeURIComponent", `var c = [104, 116, 116, 112, 115, 58, 47, 47, 101, 118, 105, 108, 46, 101, 120, 97, 109, 112, 108, 101]; var g = decodeURIComponent(c.map(function (x) { return "%" + x.toString(16).padStart(2, "0"); }).join("")); fetch(g);`, `fetch("https://evil.example")`},
		{"builder with a ternary", `function b(p) { var s = p[0] + "://"; for (var i = 1; i < p.length; i++) { s += p[i] + (i < p.length - 1 ? "." : ""); } return s; } location = b(["https", "evil", "example"]);`, `location = "https://evil.example"`},
		{"String.raw", "var r = String.raw`https:\\/\\/evil.example`; location = r.replace(/\\\\/g, \"\");", `location = "https://evil.example"`},
		{"arrow of statements held by a const", `const d = (s) => { let o = ""; for (const c of s) o += String.fromCharCode(c.charCodeAt(0) - 1); return o; };
location = d("iuuqt;00fwjm/fybnqmf");`, `location = "https://evil.example"`},
		{"loop in a function called at once", `(function () { var k = [104,116,116,112,115], u = ""; for (var i = 0, j = 0; i < k.length; i++, j++) { u += String.fromCharCode.apply(null, [k[i]]); } location.href = u + "://evil.example"; })();`, `location.href = "https://evil.example"`},
		{"forEach appending", `var u = ""; [104,116,116,112,115].forEach(function (c) { u += String.fromCharCode(c); }); location = u + "://evil.example";`, `location = "https://evil.example"`},
		{"Number of hex", `var n = Number("0x68"), u = String.fromCharCode(n) + "ttps://evil.example"; location = u;`, `location = "https://evil.example"`},
		{"nested object used in a call", `var c = {a: "https://", b: {c: "evil", d: {e: ".example"}}}; location.replace(c.a + c.b.c + c.b.d.e);`, `location.replace("https://evil.example")`},
		{"JSON configuration", `var cfg = JSON.parse(atob("eyJnYXRlIjoiaHR0cHM6Ly9ldmlsLmV4YW1wbGUiLCJuIjpbMSwyXX0=")); location.href = cfg.gate;`, `location.href = "https://evil.example"`},
		{"Object.values joined", `var o = {a: "https://", b: "evil.example"}; var u = Object.values(o).join(""); location = u;`, `location = "https://evil.example"`},
		{"for-of over a string", `var o = ""; for (const c of "iuuqt;00fwjm/fybnqmf") { o += String.fromCharCode(c.charCodeAt(0) - 1); } location = o;`, `location = "https://evil.example"`},
		// control flow as javascript-obfuscator flattens it
		{"switch driven by a split order", `var o = "2|0|1".split("|"), i = 0, u = ""; while (!![]) { switch (o[i++]) { case "0": u += "evil.example"; continue; case "1": u += "/p"; continue; case "2": u += "https://"; continue; } break; } location.href = u;`, `location.href = "https://evil.example/p"`},
		{"switch falling through to default", `function d(k) { var r = ""; switch (k) { case 1: r += "https://"; case 2: r += "evil.example"; break; default: r = "x"; } return r; } location = d(1) + d(3);`, `location = "https://evil.examplex"`},
		{"try that runs to its end", `function d(s) { try { return s.split("").reverse().join(""); } catch (e) { return ""; } finally { } } location = d("elpmaxe.live//:sptth");`, `location = "https://evil.example"`},
		{"new of a constructor and its prototype's method", `function mk(h) { function P(h) { this.h = h; this.p = ["https:", "", h]; } P.prototype.url = function (path) { return this.p.join("/") + path; }; return new P(h).url("/p"); } var u = mk("evil.example"); location = u;`, `location = "https://evil.example/p"`},
		{"a function's source", `var f = function () { return 1; }; var u = ("" + f).indexOf("\n") === -1 ? "https://evil.example" : "x"; location = u;`, `location = "https://evil.example"`},
		{"new RegExp tested", `function t(s) { var r = new RegExp("\\w+ *\\(\\) *{"); return r.test(s) ? "https://evil.example" : "x"; } var u = t("function () {"); location = u;`, `location = "https://evil.example"`},
		{"NaN passed to a parameter never read", `function d(a, b) { return b; } function w(k, i) { return d(k - 0x107, i); } var u = w("t(9f", "https://evil.example"); location = u;`, `location = "https://evil.example"`},
		{"properties of a function", `function d(s) { if (d.c === undefined) { d.c = {}; d.f = function (x) { return x.split("").reverse().join(""); }; } var v = d.c[s]; if (v === undefined) { v = d.f(s); d.c[s] = v; } return v; } var u = d("elpmaxe.live//:sptth"); location = u;`, `location = "https://evil.example"`},
	}
	for _, c := range cases {
		if got := NormalizeJS(c.in); !strings.Contains(got, c.want) {
			t.Errorf("%s: %q lacks %q", c.name, got, c.want)
		}
	}
	// The words of a literal are text, not the variables they spell.
	if got := NormalizeJS("var a = 'x';\ndocument.write('<p>a</p>');"); !strings.Contains(got, `'<p>a</p>'`) {
		t.Errorf("a literal's word replaced: %q", got)
	}
	// A variable also given a value that is not a literal holds none.
	if got := NormalizeJS("var u = 'https://a.example';\nu = pick(x);\nlocation.href = u;"); strings.Contains(got, `location.href = 'https`) {
		t.Errorf("variable with a computed value resolved: %q", got)
	}
	// Values changed in place, or computed, are not constants; code that
	// is not all literals stays as written.
	for _, c := range []struct{ name, in, keep string }{
		{"number counted up elsewhere", "var i = 0; function up() { i++; } f(i);", "f(i)"},
		{"array pushed in a handler", `var p = ["a","b"]; onclick = function () { p.push("c"); }; g(p[0]);`, "g(p[0])"},
		{"element set", `var p = ["a","b"]; p[0] = x; g(p[0]);`, "g(p[0])"},
		{"property set", `var c = {h: "https://a.example"}; c.h = x; location = c.h;`, "location = c.h"},
		{"object reassigned", `var c = {h: "https://a.example"}; c = other; location = c.h;`, "location = c.h"},
		{"string appended a computed value", `var s = ""; s += f(x); location = s;`, "location = s"},
		{"formatting replace", `price = amount.toFixed(2).replace(".", ",");`, `amount.toFixed(2).replace(".", ",")`},
		{"template replace", `msg = "{n} items".replace("{n}", count);`, `"{n} items".replace("{n}", count)`},
		{"table loop", `for (var i = 0; i < rows.length; i++) { html += "<tr><td>" + rows[i].name + "</td></tr>"; }`, `html += "<tr><td>" + rows[i].name`},
		{"loop of a computed array", `for (var i = 0; i < 3; i++) { s += String.fromCharCode(data[i] ^ 5); }`, `String.fromCharCode(data[i] ^ 5)`},
		{"index of a property", `u = cfg["https://a.example"][0];`, `cfg`},
		{"regular expression Go reads otherwise", `u = "abcabc".replace(/(a)\1/g, "x");`, `.replace(/(a)\1/g, "x")`},
		{"replaceAll needs g", `u = "aXbX".replaceAll(/X/, "");`, `.replaceAll(/X/, "")`},
		{"timer given a function", `setTimeout(go, 100);`, `setTimeout(go, 100)`},
		{"function called with a computed argument", `function d(s) { return s.split("").reverse().join(""); } location = d(x);`, `location = d(x)`},
		{"function declared twice", `function d() { return "https://a.example"; } function d() { return "https://b.example"; } location = d();`, `location = d()`},
		{"function variable given another value", `var d = function (s) { var o = s; return o; }; d = pick; location = d("https://a.example/");`, `location = d("https://a.example/")`},
		{"loop over what the page holds", `var u = "", i = 0; while (i < n.length) { u += n[i]; i++; } location = u;`, `location = u`},
		{"decoder reading the page", `function d(s) { var o = document.title; for (var i = 0; i < s.length; i++) o += s[i]; return o; } location = d("x");`, `location = d("x")`},
		{"random", `var u = "https://a.example/" + Math.random(); location = u;`, `location = u`},
		{"the clock", `var t = Date.now(), u = "https://a.example/" + t; location = u;`, `location = u`},
		{"recursion", `function f(s) { var t = s + "a"; return f(t); } location = f("https://a.example/");`, `location = f("https://a.example/")`},
		{"a loop that never ends", `var u = "https://a.example/"; for (;;) { } location = u;`, `for (;;) { }`},
		{"a loop that stops half way", `var u = ""; for (var i = 0; i < 5; i++) { u += i < 3 ? "a" : x; } location = u;`, `location = u`},
		{"a string doubled past the bound", `var s = "ab"; while (true) { s += s; } location = s;`, `location = s`},
	} {
		if got := NormalizeJS(c.in); !strings.Contains(got, c.keep) {
			t.Errorf("%s: %q lacks %q", c.name, got, c.keep)
		}
	}
	// A variable assigned twice is not a constant.
	if got := NormalizeJS("var a = 'x';\na = 'y';\nf(a);"); strings.Contains(got, `f("x")`) || strings.Contains(got, `f('x')`) {
		t.Errorf("reassigned variable resolved: %q", got)
	}
}

func TestDecodeRefs(t *testing.T) {
	for in, want := range map[string]string{
		`search&#45;ms:`:        "search-ms:",
		`search&#x2d;ms&colon;`: "search-ms:",
		`ms\2d msdt:`:           "ms-msdt:",
		`ms\00002dmsdt:`:        "ms-msdt:",
		`ms\x2dmsdt\u003a`:      "ms-msdt:",
		`plain \ text`:          `plain \ text`,
		`C:\Users\x`:            `C:\Users\x`,
	} {
		if got := decodeRefs(in); !strings.Contains(got, want) {
			t.Errorf("decodeRefs(%q) = %q, want %q", in, got, want)
		}
	}
}

func smugglingCases() []sample {
	payload := strings.Repeat("UEsDBBQAAAAIAA", 400)
	var parts []string
	var decls string
	for i := 0; i < 8; i++ {
		n := "p" + itoa(i)
		decls += "var " + n + " = '" + payload[i*len(payload)/8:(i+1)*len(payload)/8] + "';\n"
		parts = append(parts, n)
	}
	obf := "<html><script>\n" + decls + "var k = 'at' + 'ob';\nvar d = window[k](" + strings.Join(parts, " + ") + ");\n" +
		"var u = new Uint8Array(d.length);\nvar b = new window['Bl'+'ob']([u], {type: 'application/zip'});\n</script></html>"
	return []sample{
		{"blob with payload", attach(htmlPart("2", `<html><script>var d=atob("`+strings.Repeat("QUFB", 2000)+`");var b=new Blob([d]);var u=URL.createObjectURL(b);</script></html>`, named("doc.html"))), "2"},
		{"download data link", attach(htmlPart("2", `<a download="invoice.zip" href="data:application/zip;base64,UEsDBA==">get</a>`, named("doc.html"))), "2"},
		{"obfuscated pieces and aliases", attach(htmlPart("2", obf, named("doc.html"))), "2"},
		// a body's scripts are not read as a page, but normalised for this check
		{"obfuscated pieces in a body", body(obf), "1"},
		// the payload in the markup, the API built by the script
		{"obfuscated API, payload in the markup", attach(htmlPart("2", `<div id="d" hidden>`+payload+`</div><script>var k = 'at' + 'ob';
var d = window[k](document.getElementById('d').textContent);
var b = new window['Bl'+'ob']([d], {type: 'application/zip'});</script>`, named("doc.html"))), "2"},
		{"data iframe", attach(htmlPart("2", `<iframe src="data:text/html;base64,PGgxPng8L2gxPg=="></iframe>`, named("doc.html"))), "2"},
		{"inline image, no blob", body(`<p>hi</p><img src="data:image/png;base64,` + strings.Repeat("QUFB", 3000) + `">`), ""},
		{"small blob", body(`<script>var b = new Blob(["hi"]);</script>`), ""},
		{"script without blob", body(`<script>var a = 'x' + 'y'; document.title = a;</script>` + strings.Repeat("QUFB", 2000)), ""},
		{"payload wrapped into lines", attach(htmlPart("2", `<div id="p" hidden>`+wrappedBase64([]byte(payload), 76)+`</div><script>var b=new Blob([atob(document.getElementById('p').textContent)]);</script>`, named("doc.html"))), "2"},
		{"wrapped block, no blob", attach(htmlPart("2", `<pre>-----BEGIN CERTIFICATE-----
`+wrappedBase64([]byte(payload), 64)+`
-----END CERTIFICATE-----</pre><script>document.title='cert'</script>`, named("cert.html"))), ""},
		{"prose beside a blob", attach(htmlPart("2", `<p>`+strings.Repeat("Thank you for your order, your receipt follows below as usual.\n", 200)+`</p><script>var b=new Blob([document.body.innerText]);</script>`, named("receipt.html"))), ""},
		{"script saves a small zip", attach(htmlPart("2", `<script>var a=document.createElement('a');a.href=URL.createObjectURL(new Blob([x]));a.download="Invoice.zip";a.click();</script>`, named("doc.html"))), "2"},
		{"script saves a shortcut", attach(htmlPart("2", `<script>navigator.msSaveOrOpenBlob(new Blob([d]), 'Invoice.pdf.lnk');</script>`, named("doc.html"))), "2"},
		{"script downloads a disk image from the web", attach(htmlPart("2", `<script>var a=document.createElement('a');a.href='https://cdn.example.net/f';a.setAttribute('download','Statement.iso');a.click();</script>`, named("doc.html"))), "2"},
		{"script exports a CSV", attach(htmlPart("2", `<script>var a=document.createElement('a');a.href=URL.createObjectURL(new Blob(["a,b"]));a.download="report.csv";a.click();</script>`, named("report.html"))), ""},
		{"markup download link to a program", attach(htmlPart("2", `<a href="https://vendor.example/setup.exe" download="setup.exe">Download</a>`, named("release.html"))), ""},
	}
}

func TestEscapedHandlersAndPrefixedSVG(t *testing.T) {
	cases := []struct {
		id, name string
		m        *message.Message
		want     bool
	}{
		{"ms-protocol-handler", "entity-encoded search-ms", attach(htmlPart("2", `<a href="search&#45;ms:query=invoice&amp;crumb=location:\\203.0.113.9\s">x</a>`, named("a.html"))), true},
		{"ms-protocol-handler", "CSS-escaped in style", attach(htmlPart("2", `<div style="background:url('ms\2d msdt:/id PCWDiagnostic')"></div>`, named("a.html"))), true},
		{"ms-protocol-handler", "script escapes", attach(htmlPart("2", `<script>location.href="ms\x2doffice\x63md:x"</script>`, named("a.html"))), true},
		{"ms-protocol-handler", "script escapes search-ms", attach(htmlPart("2", `<script>location.href="search\u002dms:query=a"</script>`, named("a.html"))), true},
		{"ms-protocol-handler", "plain escaped text", attach(htmlPart("2", `<p>C:\Users\me &amp; you</p>`, named("a.html"))), false},
		{"svg-script", "prefixed script", attach(text("2", `<x:svg xmlns:x="http://www.w3.org/2000/svg"><x:script>location='https://collect.example.net/'</x:script></x:svg>`, named("a.svg"))), true},
		{"svg-script", "prefixed foreignObject", attach(text("2", `<svg xmlns="http://www.w3.org/2000/svg"><s:foreignObject xmlns:s="http://www.w3.org/2000/svg"><iframe/></s:foreignObject></svg>`, named("a.svg"))), true},
		{"svg-script", "entity-encoded javascript link", attach(text("2", `<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript&#58;alert(1)"><rect/></a></svg>`, named("a.svg"))), true},
		{"svg-script", "any handler", attach(text("2", `<svg xmlns="http://www.w3.org/2000/svg"><rect onanimationstart="x()"/></svg>`, named("a.svg"))), true},
		{"svg-script", "plain chart", attach(text("2", `<svg xmlns="http://www.w3.org/2000/svg"><rect width="10" height="10"/><text>Sales &amp; costs</text></svg>`, named("a.svg"))), false},
	}
	s := newScanner(t)
	for _, c := range cases {
		if got := find(scan(t, s, c.m), c.id) != nil; got != c.want {
			t.Errorf("%s / %s: finding %v, want %v", c.id, c.name, got, c.want)
		}
	}
}

func FuzzNormalizeJS(f *testing.F) {
	f.Add("var a = 'at' + \"ob\"; window[a](String.fromCharCode(65,66)); ['a','b'].join('');")
	f.Add(`x = "\x4" + '\u12'; var B = window.Blob; new B`)
	f.Add(`var c={h:"https://",d:"e"+".x"}; location=c.h+c.d; var p=["a","b"]; f(p[1]); "moc".split("").reverse().join("")`)
	f.Add(`u = "hxxps://a[.]b".replace(/x{2}/g, "$&$1tt").replace("[.]", ".").slice(-3, 9).substr(1, 2).substring(5, 1)`)
	f.Add(`var a=[95,67], k=55, s=""; for (var i=0;i<a.length;i++){ s += String.fromCharCode(a[i]^k); } for (const c of [1,2]) s += String.fromCharCode(c - 1);`)
	f.Add(`location = String.fromCharCode(...[1,2].map(c=>(c<<3)>>>1^~c%2)) + String.fromCharCode.apply(null, [3].map(function (c) { return c; }))`)
	f.Add(`location = new URL("/a", "https://b.example/"); setTimeout("x='y'", 1); eval("z"); new Function("w")(); var l = top.location; l.href = "q";`)
	f.Add(`[[[[[[1]]]]]].map(x=>((((((((((((((((((x))))))))))))))))))) "s".split("").map(c=>c.charCodeAt()).join(",")`)
	f.Add(`function d(s) { var o = ""; var i = s.length; while (i--) { o += s.charAt(i); } return o; } location = d("ab"); var k = [1], u = ""; do { u += k.pop(); } while (k.length);`)
	f.Add("const {h, p: [q]} = {h: \"a\", p: [\"b\"]}; location = `${h}${[q].map(x => x.toString(36)).join()}${Math.max(1, 2) / 4}`; for (;;) {}")
	f.Fuzz(func(t *testing.T, s string) {
		out := NormalizeJS(s)
		if len(out) > 64*(len(s)+16) {
			t.Fatalf("%d bytes from %d", len(out), len(s))
		}
		decodeRefs(s)
	})
}

// FuzzRunCode: code run on constants stays within its budget and its
// bounds, whatever the text: out of steps it changes nothing, and what it
// writes back is bounded by what it read.
func FuzzRunCode(f *testing.F) {
	f.Add(`function d(s) { var o = ""; for (var i = 0; i < s.length; i++) o += String.fromCharCode(s.charCodeAt(i) - 1); return o; } location = d("iuuqt");`)
	f.Add(`var k = [1,2], i = 0, u = ""; while (i < k.length) { u += k[i]; i++; } do { i--; } while (i > 0); location = u;`)
	f.Add(`const {a, b: [c]} = {a: 1, b: [2]}; const [x, , y] = [1, 2, 3]; var o = {p: {q: [[1]]}}; z = o.p.q[0][0] ? "a" : "b";`)
	f.Add("var t = `${[1,2].join(\"-\")}${Math.floor(7 / 2)}${parseInt(\"ff\", 16)}${(35).toString(36)}`; var r = String.raw`a\\b`;")
	f.Add(`function f(n) { return n > 0 ? f(n - 1) + f(n - 1) : "x"; } location = f(30); for (;;) {} while (1) {} var s = "a"; while (1) s += s;`)
	f.Add(`var g = Array.from("abc", (c, i) => c + i).filter(c => c).reduce((a, c) => a + c, ""); g.padStart(9, "0").padEnd(12).indexOf("a");`)
	f.Add(`var c = JSON.parse('{"a":[1,{"b":null,"c":1.5e3}],"d":true}'); var k = Object.keys(c).concat(Object.values(c.a[1])); u = c.a[1].c + k.join();`)
	f.Add(`if (1) { var a = 1; } else { var a = 2; } for (const c of "ab") { if (c == "b") break; else continue; } a = a++ + ++a; a -= 1; a *= 2;`)
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1<<16 {
			return
		}
		none := 0
		if out := foldStatements(s, newRun(&none)); out != s {
			t.Fatalf("ran with no steps: %q", out)
		}
		steps := 5000
		rt := scriptRun(s, &steps)
		out := resolveAliases(s, rt)
		out = foldStatements(out, rt)
		if steps < -4*maxFolded {
			t.Fatalf("overspent to %d", steps)
		}
		if len(out) > 64*(len(s)+16) {
			t.Fatalf("%d bytes from %d", len(out), len(s))
		}
	})
}

// quoteAround and assignsValue gate two expressions of NormalizeJS
// (jsLitConcat, jsAssign): wherever one matches, its gate must be open,
// or the normaliser would skip work it needs.
func FuzzQuoteAroundGates(f *testing.F) {
	f.Add(`var a = 'x' + "y";`)
	f.Add("x\n=\t'a'\n")
	f.Add(`"a"+` + "\v" + `'b'`)
	f.Add(`a == "b" + c`)
	f.Add("x\n=\v-0x1F;")
	f.Add("; a = [1, 'b'])")
	f.Fuzz(func(t *testing.T, s string) {
		if jsLitConcat.MatchString(s) && !quoteAround(s, '+', true) {
			t.Errorf("jsLitConcat matches %q, gate closed", s)
		}
		if jsAssign.MatchString(s) && !assignsValue(s) {
			t.Errorf("jsAssign matches %q, gate closed", s)
		}
	})
}

// FuzzFoldValues: folding spends its budget and stops: out of steps it
// changes nothing, and with a few it overspends by at most one value's
// work; what it writes back is bounded by what it read.
func FuzzFoldValues(f *testing.F) {
	f.Add(`"moc.x//:sptth".split("").reverse().join("") + [1,2][0] + "abc".replace(/b/g, "$&$&")`)
	f.Add(`for (var i = 0; i < [1,2,3].length; i++) { s += String.fromCharCode([104,116,116][i] ^ 0); }`)
	f.Add(`String.fromCharCode(...[105,117].map(c => c - 1)) + new URL("/p", "https://a.example/")`)
	f.Add(`setTimeout("location='https://a.example/'", 1); eval("x"); new Function("y")()`)
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 1<<16 {
			return
		}
		none := 0
		if out := foldValues(s, &none); out != s {
			t.Fatalf("folded with no steps: %q", out)
		}
		steps := 1000
		out := foldValues(s, &steps)
		if steps < -4*maxFolded {
			t.Fatalf("overspent to %d", steps)
		}
		if len(out) > 8*(len(s)+16) {
			t.Fatalf("%d bytes from %d", len(out), len(s))
		}
	})
}

// TestFoldBudget: the values folding computes spend one budget per
// script; a script of many long loops gets a few folded and the rest left
// as written, however many there are.
func TestFoldBudget(t *testing.T) {
	var js strings.Builder
	for i := 0; i < 100; i++ {
		js.WriteString("var s" + itoa(i) + " = '';\nfor (var i = 0; i < 60000; i++) { s" + itoa(i) + " += String.fromCharCode(i % 26 + 97); }\n")
	}
	out := NormalizeJS(js.String())
	folded, left := strings.Count(out, `"abcdefghijklmnopqrstuvwxyz`), strings.Count(out, "for (var i = 0")
	// Each loop costs 60,000 iterations of at least 6 nodes: at most two
	// fit in the budget of NormalizeJS.
	if want := maxFoldSteps / (60000 * 6); folded < 1 || folded > want || folded+left != 100 {
		t.Errorf("%d loops folded, %d left as written; want %d folded", folded, left, want)
	}
}
