package corpus

import (
	"bytes"

	"github.com/kensa-milter/kensa/policy"
)

// opaqueSignedSamples: mail signed the opaque way (RFC 8551 3.5.3), whose
// entity travels inside the CMS SignedData of an smime.p7m. Thunderbird,
// Outlook and Apple Mail show what it carries whether or not the
// signature verifies, so any certificate hides an attachment from a
// gateway that keeps smime.p7m as bytes. The clean twin is an honest
// opaque-signed delivery note.
func opaqueSignedSamples() []Sample {
	var out []Sample
	p7m := func(entity []byte) node {
		return node{ctype: `application/pkcs7-mime; smime-type=signed-data; name="smime.p7m"`, cte: "base64",
			disp: `attachment; filename="smime.p7m"`, body: opaqueSigned(entity)}
	}
	script := entityBytes(multipart("mixed", text("Hello,\n\nthe remittance advice is attached.\n"),
		attach("application/octet-stream", "Remittance_4471.js", []byte(jsDropper))), "smime-opaque-signed-script")
	out = append(out, build(Sample{Name: "smime-opaque-signed-script", Action: policy.Reject,
		About: "an opaque-signed S/MIME mail (application/pkcs7-mime signed-data) whose signed entity carries a script, which mail clients show",
		Want:  []Want{w("heuristic", "dangerous-script", "1/2"), w("yara", "Kensa_Script_Dropper", "1/2")}},
		mail{from: "Accounts <accounts@supplier.example.net>", subject: "Remittance advice", root: p7m(script)}))
	// The signed entity is the message its reader sees, so its text is the
	// body every lure check reads (before: read as an attachment's, and
	// the lure went through).
	share := entityBytes(multipart("alternative", text("Kenji Sato shared a file with you: Q4-payroll.xlsx\n"),
		html(`<p>Kenji Sato shared a file with you: Q4-payroll.xlsx</p><p><a href="https://q4-files.example.net/d/7f3a">Open</a></p>`)), "smime-opaque-signed-share-lure")
	out = append(out, build(Sample{Name: "smime-opaque-signed-share-lure", Action: policy.Tag,
		About: "an opaque-signed S/MIME mail whose signed body is a shared-file lure to an ordinary domain",
		Want:  []Want{w("heuristic", "document-share-lure", "1/2")}},
		mail{from: "Kenji Sato <kenji.sato@files-notify.example.org>", subject: "Kenji Sato shared a file", root: p7m(share)}))
	callback := entityBytes(text("Hi,\n\nthis is Mark from Norton billing. Your Norton 360 subscription renewed today and $499.99 was charged to your card.\n"+
		"If you did not authorize this, call me at 1-808-555-0199 so I can cancel it and refund you.\n\nMark\n"), "smime-opaque-signed-callback")
	out = append(out, build(Sample{Name: "smime-opaque-signed-callback", Action: policy.Quarantine,
		About: "callback phishing as the body of an opaque-signed S/MIME mail",
		Want:  []Want{w("heuristic", "callback-phishing", "1/1")}},
		mail{from: "Mark Ellis <mark.ellis.billing@gmail.com>", subject: "Norton subscription", root: p7m(callback)}))
	note := entityBytes(multipart("mixed", text("Hello Kenji,\n\nthe signed delivery note for order 4711 is attached.\n\nAnna\n"),
		attach("application/pdf", "delivery-note-4711.pdf", plainPDF("Delivery note 4711"))), "smime-opaque-signed-delivery-note")
	out = append(out, build(Sample{Name: "smime-opaque-signed-delivery-note", Clean: true,
		About: "an honest opaque-signed S/MIME mail carrying a delivery note PDF"},
		mail{from: "Anna <anna@shop.example.com>", subject: "Delivery note 4711", root: p7m(note)}))
	return out
}

// entityBytes is node n written as a MIME entity on its own (the content
// a signature covers), its boundaries seeded by seed.
func entityBytes(n node, seed string) []byte {
	var b bytes.Buffer
	count := 0
	writeNode(&b, n, seed, &count)
	return b.Bytes()
}
