package corpus

import "github.com/kensa-milter/kensa/policy"

// svgLoaderSamples: an SVG attachment with nothing of its own that draws
// itself from a remote script named by xlink:href, which Chromium runs
// (scanners/heuristic's TestSVGScriptHrefInChromium).
func svgLoaderSamples() []Sample {
	svgButton := build(Sample{Name: "svg-link-button", About: "an SVG image that is one big link: View document over a coloured box, to a page outside the sender's domain, no script",
		Action: policy.Tag, Want: []Want{w("heuristic", "svg-link", "2")}},
		mail{subject: "Shared file", root: multipart("mixed", text("Please see the attached file.\n"), attach("image/svg+xml", "Shared_File.svg",
			[]byte(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="600" height="300">`+
				`<a xlink:href="https://docs-view.example.net/d/7731"><rect width="600" height="300" fill="#0078d4"/>`+
				`<text x="200" y="160" fill="#fff" font-size="32">View document</text></a></svg>`+"\r\n")))})
	svgLogo := build(Sample{Name: "svg-logo-own-site", Clean: true, About: "a company's SVG logo in its signature, linking to the company's own site"},
		mail{subject: "Our new logo", root: multipart("mixed", text("Here is the new logo for the brochure.\n"), attach("image/svg+xml", "logo.svg",
			[]byte(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="200" height="60">`+
				`<a xlink:href="https://www.shop.example.com/"><circle cx="30" cy="30" r="25" fill="#e60"/><text x="70" y="38">Example Shop</text></a></svg>`+"\r\n")))})
	return []Sample{svgButton, svgLogo, build(Sample{Name: "svg-script-href-loader", About: "an SVG image whose only content is a script element loading a remote script by xlink:href",
		Action: policy.Quarantine, Want: []Want{w("heuristic", "html-redirect-attachment", "2"), w("heuristic", "svg-script", "2")}},
		mail{subject: "Remittance", root: multipart("mixed", text("Remittance advice attached.\n"), attach("image/svg+xml", "Remittance.svg",
			[]byte(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="600" height="400">`+
				`<script xlink:href="https://cdn-assets.example.net/r/loader.js"/></svg>`+"\r\n")))})}
}
