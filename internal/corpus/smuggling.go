package corpus

import "strings"

// HTML smuggling that leaves no long base64 literal: a payload wrapped into
// lines in a hidden element, and a file whose bytes the page draws itself,
// saved under a disk image's name. scanners/heuristic's
// TestSavedFileInChromium holds the same tricks to what Chromium saves.

func savedFileCases() []officeCase {
	return []officeCase{
		htmlCase("html-smuggling-wrapped", "an HTML attachment whose zip payload is base64 wrapped into 76-character lines in a hidden div, which its script reads, decodes and saves as Invoice_2291.zip",
			"Invoice_2291.html", "<!DOCTYPE html>\r\n<html><body><p>Preparing your invoice...</p>\r\n<div id=\"p\" style=\"display:none\">\r\n"+
				wrapLines(fakeZipB64(6000), 76)+"</div>\r\n<script>\r\n"+
				"var s = document.getElementById('p').textContent.replace(/\\s/g, '');\r\nvar bin = atob(s);\r\n"+
				"var arr = new Uint8Array(bin.length);\r\nfor (var i = 0; i < bin.length; i++) { arr[i] = bin.charCodeAt(i); }\r\n"+
				"var a = document.createElement('a');\r\na.href = URL.createObjectURL(new Blob([arr]));\r\na.download = 'Invoice_2291.zip';\r\n"+
				"document.body.appendChild(a);\r\na.click();\r\n</script></body></html>\r\n", "html-smuggling"),
		htmlCase("html-smuggling-drawn", "an HTML attachment that carries no payload: its script draws the bytes on a canvas and saves them as Statement.img",
			"Statement.html", "<!DOCTYPE html>\r\n<html><body><p>Downloading your statement...</p><canvas id=\"c\" width=\"64\" height=\"64\" hidden></canvas>\r\n<script>\r\n"+
				"var c = document.getElementById('c');\r\nc.getContext('2d').fillRect(0, 0, 32, 32);\r\n"+
				"c.toBlob(function (b) {\r\n  var a = document.createElement('a');\r\n  a.href = URL.createObjectURL(b);\r\n"+
				"  a.setAttribute('download', 'Statement.img');\r\n  document.body.appendChild(a);\r\n  a.click();\r\n});\r\n</script></body></html>\r\n", "html-smuggling"),
	}
}

// savedFileClean: an exported report page whose button saves its table as
// CSV through a Blob.
func savedFileClean() []Sample {
	return []Sample{build(Sample{Name: "html-export-csv", Clean: true, About: "an exported report page whose button saves its table as report.csv through a Blob"},
		mail{subject: "Monthly report", root: multipart("mixed", text("The monthly report as a page.\n"),
			attach("text/html; charset=utf-8", "report.html", []byte("<!DOCTYPE html>\r\n<html><body><h1>November</h1>\r\n"+
				"<table id=\"t\"><tr><td>Region</td><td>Orders</td></tr><tr><td>North</td><td>412</td></tr></table>\r\n"+
				"<button onclick=\"save()\">Save as CSV</button>\r\n<script>\r\nfunction save() {\r\n"+
				"  var rows = [].map.call(document.querySelectorAll('#t tr'), function (r) { return [].map.call(r.cells, function (c) { return c.innerText; }).join(','); });\r\n"+
				"  var a = document.createElement('a');\r\n  a.href = URL.createObjectURL(new Blob([rows.join('\\n')], {type: 'text/csv'}));\r\n"+
				"  a.download = 'report.csv';\r\n  a.click();\r\n}\r\n</script></body></html>\r\n")))})}
}

// wrapLines cuts s into lines of n characters, as a MIME or PEM block.
func wrapLines(s string, n int) string {
	var b strings.Builder
	for len(s) > n {
		b.WriteString(s[:n] + "\r\n")
		s = s[n:]
	}
	b.WriteString(s + "\r\n")
	return b.String()
}
