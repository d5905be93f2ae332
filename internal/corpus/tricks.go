package corpus

import (
	"encoding/base64"
	"fmt"
	"mime/quotedprintable"
	"strings"

	"github.com/kensa-milter/kensa/internal/testmail"
	"github.com/kensa-milter/kensa/policy"
)

// Parser tricks (issue 12): each hides an attachment in the gap between
// how a gateway and a mail client read a malformed or unusual message.
// Every trick is written with each harmful payload (an EICAR zip, a fake
// program, a script dropper) as a malicious sample, and with a harmless
// PDF as its clean twin: the same trick must not make honest mail
// suspicious. A few tricks have no twin: a message/partial fragment is
// unscannable whatever it holds, and two readings showing two different
// attachments is itself the finding.

// trickPayload is what a trick carries.
type trickPayload struct {
	key     string // in the sample name
	ctype   string
	name    string
	data    []byte
	clean   bool
	runOnly bool
	action  policy.Action
	// wants are the findings on the part at path (named base by unpack),
	// inside a container when in is true.
	wants func(path, base string, in bool) []Want
}

func trickPayloads() []trickPayload {
	exeFinding := func(in bool) string {
		if in {
			return "executable-in-container"
		}
		return "dangerous-executable"
	}
	scriptFinding := func(in bool) string {
		if in {
			return "executable-in-container"
		}
		return "dangerous-script"
	}
	return []trickPayload{
		{key: "eicar-zip", ctype: "application/zip", name: "invoice.zip", runOnly: true, action: policy.Reject,
			data: zipOf(file{"invoice.com", []byte(testmail.EICAR())}),
			wants: func(path, base string, in bool) []Want {
				return []Want{w("yara", "Kensa_EICAR_Test_File", path+"/"+base+"/invoice.com")}
			}},
		{key: "fake-pe", ctype: "application/octet-stream", name: "invoice.exe", action: policy.Quarantine,
			data: fakePE("parser trick"),
			wants: func(path, base string, in bool) []Want {
				return []Want{w("heuristic", exeFinding(in), path)}
			}},
		{key: "script", ctype: "application/octet-stream", name: "invoice.js", action: policy.Reject,
			data: []byte(jsDropper),
			wants: func(path, base string, in bool) []Want {
				return []Want{w("yara", "Kensa_Script_Dropper", path), w("heuristic", scriptFinding(in), path)}
			}},
		{key: "clean", ctype: "application/pdf", name: "invoice.pdf", clean: true, data: plainPDF("Invoice 2026-0412")},
	}
}

// trick is one way to write a message so that a reader may miss a part.
type trick struct {
	name, about string
	// at is the path of the payload part; "{name}" stands for its name.
	at string
	// base is the file name unpack gives the payload ("" for its name).
	base func(pl trickPayload) string
	in   bool   // the payload is a member of a container (TNEF, a text part's embedded file)
	more []Want // findings every malicious sample also has
	// noTwin: no clean twin (see the package comment above).
	noTwin bool
	build  func(pl trickPayload) string // everything after the common header fields
}

const trickB = "kensa-b-42"

var trickText = "Content-Type: text/plain; charset=utf-8\r\n\r\nPlease find the invoice attached.\r\n"

// attPart is the payload as a base64 attachment, header and body.
func attPart(pl trickPayload, cte string) string {
	return fmt.Sprintf("Content-Type: %s; name=\"%s\"\r\nContent-Disposition: attachment; filename=\"%s\"\r\nContent-Transfer-Encoding: %s\r\n\r\n%s",
		pl.ctype, pl.name, pl.name, cte, testmail.Base64(pl.data))
}

// body2 is a multipart body of a text part and the payload, with boundary b.
func body2(b, payloadPart string) string {
	return "This is a multi-part message in MIME format.\r\n--" + b + "\r\n" + trickText + "--" + b + "\r\n" + payloadPart + "\r\n--" + b + "--\r\n"
}

const mimeV = "MIME-Version: 1.0\r\n"

// otherName is a second name for the payload: harmless and disagreeing
// for a harmful payload, the same extension for the clean twin.
func otherName(pl trickPayload) string {
	if pl.clean {
		return "Invoice copy.pdf"
	}
	return "invoice.txt"
}

func tricks() []trick {
	std := func(ctypeLine string) func(pl trickPayload) string {
		return func(pl trickPayload) string {
			return mimeV + ctypeLine + "\r\n\r\n" + body2(trickB, attPart(pl, "base64"))
		}
	}
	withCTE := func(cte string) func(pl trickPayload) string {
		return func(pl trickPayload) string {
			return mimeV + "Content-Type: multipart/mixed; boundary=\"" + trickB + "\"\r\n\r\n" + body2(trickB, attPart(pl, cte))
		}
	}
	named := func(names func(pl trickPayload) string) func(pl trickPayload) string {
		return func(pl trickPayload) string {
			part := "Content-Type: " + pl.ctype + "\r\n" + names(pl) + "Content-Transfer-Encoding: base64\r\n\r\n" + testmail.Base64(pl.data)
			return mimeV + "Content-Type: multipart/mixed; boundary=\"" + trickB + "\"\r\n\r\n" + body2(trickB, part)
		}
	}
	first := func(pl trickPayload) string { return otherName(pl) }
	cutName := func(pl trickPayload) string { return strings.ReplaceAll(pl.name, "\x00", "") + ".txt" }
	mismatch := []Want{w("heuristic", "filename-mismatch", "2")}
	textBody := func(enc func(string, []byte) string) func(pl trickPayload) string {
		return func(pl trickPayload) string {
			return mimeV + "Content-Type: text/plain; charset=us-ascii\r\n\r\nHello,\r\n\r\nthe file follows.\r\n\r\n" + enc(pl.name, pl.data) + "\r\nRegards\r\n"
		}
	}
	nested := func(levels int) (func(pl trickPayload) string, string) {
		at := "2"
		for i := 0; i < levels; i++ {
			at += ".2"
		}
		return func(pl trickPayload) string {
			inner := attPart(pl, "base64")
			for i := levels; i >= 1; i-- {
				b := fmt.Sprintf("%s-%d", trickB, i)
				inner = "Content-Type: multipart/mixed; boundary=\"" + b + "\"\r\n\r\n" + body2(b, inner)
			}
			return mimeV + "Content-Type: multipart/mixed; boundary=\"" + trickB + "\"\r\n\r\n" + body2(trickB, inner)
		}, at
	}
	deep, deepAt := nested(8)
	return []trick{
		// Header fields
		{name: "hdr-blank-before-colon", about: "a tab between Content-Type and its colon", at: "2",
			build: std("Content-Type\t: multipart/mixed; boundary=\"" + trickB + "\"")},
		{name: "hdr-comments", about: "RFC 822 comments inside the Content-Type value and its parameter", at: "2",
			build: std("Content-Type: multipart/mixed (generated by the mailer) ; (b) boundary=(c)\"" + trickB + "\"")},
		{name: "hdr-rfc2231-boundary", about: "the boundary as an RFC 2231 parameter with a charset and a language", at: "2",
			build: std("Content-Type: multipart/mixed; boundary*=iso-8859-1'de'" + strings.ReplaceAll(trickB, "-", "%2D"))},
		{name: "hdr-rfc2231-continued", about: "the boundary in RFC 2231 continuations, one percent-encoded", at: "2",
			build: std("Content-Type: multipart/mixed; boundary*0=\"kensa-b\"; boundary*1*=%2D42")},
		{name: "hdr-content-type-twice-last", about: "two Content-Type fields: text first, the multipart last", at: "last-field:2",
			build: std("Content-Type: text/plain; charset=us-ascii\r\nContent-Type: multipart/mixed; boundary=\"" + trickB + "\"")},
		{name: "hdr-content-type-twice-first", about: "two Content-Type fields: the multipart first, text last", at: "2",
			build: std("Content-Type: multipart/mixed; boundary=\"" + trickB + "\"\r\nContent-Type: text/plain; charset=us-ascii")},
		{name: "hdr-boundary-twice", about: "the boundary parameter twice, the real one last", at: "last-param:2",
			build: std("Content-Type: multipart/mixed; boundary=\"decoy-b\"; boundary=\"" + trickB + "\"")},
		{name: "hdr-nul-in-value", about: "a NUL byte inside the Content-Type value", at: "2",
			build: std("Content-Type: multipart/mixed;\x00 boundary=\"" + trickB + "\"")},
		{name: "hdr-nul-in-boundary", about: "a NUL inside the boundary: C-string readers end it there", at: "nul-cut:2",
			build: std("Content-Type: multipart/mixed; boundary=\"" + trickB + "\x00x\"")},
		{name: "hdr-no-boundary", about: "a multipart without a boundary parameter, as Postfix delivers one whose value had a NUL", at: "guess-boundary:2",
			build: std("Content-Type: multipart/mixed;")},
		{name: "hdr-encoded-word-type", about: "an RFC 2047 encoded word as the Content-Type", at: "encoded-words:2",
			build: std("Content-Type: =?us-ascii?Q?multipart/mixed?=; boundary=\"" + trickB + "\"")},
		{name: "hdr-odd-folding", about: "the Content-Type folded before its value, at the equals sign and inside blanks", at: "2",
			build: std("Content-Type:\r\n multipart/mixed;\r\n\tboundary=\r\n \t\r\n \"" + trickB + "\"")},
		{name: "hdr-no-mime-version", about: "a multipart without MIME-Version", at: "2",
			build: func(pl trickPayload) string {
				return "Content-Type: multipart/mixed; boundary=\"" + trickB + "\"\r\n\r\n" + body2(trickB, attPart(pl, "base64"))
			}},
		// Transfer encodings
		{name: "cte-base-64", about: "Content-Transfer-Encoding spelled base-64", at: "2", build: withCTE("base-64")},
		{name: "cte-x-base64", about: "Content-Transfer-Encoding spelled X-Base64 with a comment", at: "2", build: withCTE("X-Base64 (binary)")},
		{name: "cte-unknown-spelling", about: "an unknown transfer encoding name on a body that is all base64", at: "guess-base64:2", build: withCTE("bas64")},
		{name: "cte-twice", about: "two Content-Transfer-Encoding fields, 7bit first and base64 last", at: "last-field:2",
			build: withCTE("7bit\r\nContent-Transfer-Encoding: base64")},
		{name: "b64-padding-inside", about: "base64 with = inside a group, which lenient decoders skip", at: "base64-continuous:2",
			build: func(pl trickPayload) string {
				enc := testmail.Base64(pl.data)
				enc = enc[:2] + "=" + enc[2:]
				part := strings.Replace(attPart(pl, "base64"), testmail.Base64(pl.data), enc, 1)
				return mimeV + "Content-Type: multipart/mixed; boundary=\"" + trickB + "\"\r\n\r\n" + body2(trickB, part)
			}},
		{name: "b64-junk-lines", about: "base64 with junk lines and characters outside the alphabet", at: "2",
			build: func(pl trickPayload) string {
				lines := strings.Split(testmail.Base64(pl.data), "\r\n")
				var b strings.Builder
				for i, l := range lines {
					if i == 1 {
						b.WriteString("!!! -- ** -- !!!\r\n")
					}
					b.WriteString(l[:len(l)/2] + "*" + l[len(l)/2:] + "\r\n")
				}
				part := strings.Replace(attPart(pl, "base64"), testmail.Base64(pl.data), b.String(), 1)
				return mimeV + "Content-Type: multipart/mixed; boundary=\"" + trickB + "\"\r\n\r\n" + body2(trickB, part)
			}},
		{name: "b64-no-padding-odd-lines", about: "base64 without padding in lines of mixed length", at: "2",
			build: func(pl trickPayload) string {
				s := strings.TrimRight(base64.StdEncoding.EncodeToString(pl.data), "=")
				var b strings.Builder
				for i, n := 0, 13; len(s) > 0; i, n = i+1, 13+(i*29)%70 {
					n = min(n, len(s))
					b.WriteString(s[:n] + "\r\n")
					s = s[n:]
				}
				part := strings.Replace(attPart(pl, "base64"), testmail.Base64(pl.data), b.String(), 1)
				return mimeV + "Content-Type: multipart/mixed; boundary=\"" + trickB + "\"\r\n\r\n" + body2(trickB, part)
			}},
		{name: "qp-damaged", about: "quoted-printable with malformed escapes", at: "2",
			build: func(pl trickPayload) string {
				var qb strings.Builder
				q := quotedprintable.NewWriter(&qb)
				_, _ = q.Write(pl.data)
				_ = q.Close()
				// Lower-case escapes, blanks after soft breaks, a soft
				// break at the very end.
				enc := qb.String()
				for _, h := range []string{"=3D", "=0D", "=0A", "=00", "=90"} {
					enc = strings.ReplaceAll(enc, h, strings.ToLower(h))
				}
				enc = strings.ReplaceAll(enc, "=\r\n", "=  \r\n") + "\r\n="
				part := fmt.Sprintf("Content-Type: %s; name=\"%s\"\r\nContent-Disposition: attachment; filename=\"%s\"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n%s",
					pl.ctype, pl.name, pl.name, enc)
				return mimeV + "Content-Type: multipart/mixed; boundary=\"" + trickB + "\"\r\n\r\n" + body2(trickB, part)
			}},
		// Attachment names
		{name: "names-type-vs-disposition", about: "Content-Type name is the real file, Content-Disposition filename a harmless one", at: "2",
			base: first, more: mismatch,
			build: named(func(pl trickPayload) string {
				return "Content-Type: " + pl.ctype + "; name=\"" + pl.name + "\"\r\nContent-Disposition: attachment; filename=\"" + otherName(pl) + "\"\r\n"
			})},
		{name: "names-two-dispositions", about: "two Content-Disposition fields with different file names", at: "2",
			base: first, more: mismatch,
			build: named(func(pl trickPayload) string {
				return "Content-Disposition: attachment; filename=\"" + otherName(pl) + "\"\r\nContent-Disposition: attachment; filename=\"" + pl.name + "\"\r\n"
			})},
		{name: "names-rfc2231-vs-plain", about: "a plain filename and an RFC 2231 filename* that disagree", at: "2", more: mismatch,
			build: named(func(pl trickPayload) string {
				return "Content-Disposition: attachment; filename=\"" + otherName(pl) + "\"; filename*=utf-8''" + pl.name + "\r\n"
			})},
		{name: "names-nul-cut", about: "a file name with a NUL, where Windows ends it", at: "2", base: cutName,
			more: mismatch,
			build: named(func(pl trickPayload) string {
				if pl.clean {
					return "Content-Disposition: attachment; filename=\"" + pl.name + "\x00\"\r\n"
				}
				return "Content-Disposition: attachment; filename=\"" + pl.name + "\x00.txt\"\r\n"
			})},
		// Multipart structure
		{name: "mp-delimiter-junk", about: "delimiter lines with characters after the boundary", at: "prefix-delimiter:2",
			build: func(pl trickPayload) string {
				return mimeV + "Content-Type: multipart/mixed; boundary=\"" + trickB + "\"\r\n\r\n--" + trickB + " x\r\n" + trickText +
					"--" + trickB + " x\r\n" + attPart(pl, "base64") + "\r\n--" + trickB + "-- x\r\n"
			}},
		{name: "mp-bare-cr", about: "the payload's delimiter after a bare CR", at: "bare-cr:2",
			build: func(pl trickPayload) string {
				return mimeV + "Content-Type: multipart/mixed; boundary=\"" + trickB + "\"\r\n\r\n--" + trickB + "\r\n" + trickText +
					"\r--" + trickB + "\r\n" + attPart(pl, "base64") + "\r\n--" + trickB + "--\r\n"
			}},
		{name: "mp-outer-prefix-of-inner", about: "the outer boundary is a prefix of the inner one", at: "2.1",
			build: func(pl trickPayload) string {
				inner := "Content-Type: multipart/mixed; boundary=\"" + trickB + "-inner\"\r\n\r\n" + body2(trickB+"-inner", attPart(pl, "base64"))
				inner = strings.Replace(inner, "--"+trickB+"-inner\r\n"+trickText, "", 1)
				return mimeV + "Content-Type: multipart/mixed; boundary=\"" + trickB + "\"\r\n\r\n" + body2(trickB, inner)
			}},
		{name: "mp-reused-boundary", about: "a nested multipart reusing the outer boundary", at: "3",
			build: func(pl trickPayload) string {
				return mimeV + "Content-Type: multipart/mixed; boundary=\"" + trickB + "\"\r\n\r\n--" + trickB + "\r\n" + trickText +
					"--" + trickB + "\r\nContent-Type: multipart/mixed; boundary=\"" + trickB + "\"\r\n\r\n--" + trickB + "\r\n" +
					attPart(pl, "base64") + "\r\n--" + trickB + "--\r\n--" + trickB + "--\r\n"
			}},
		{name: "mp-part-after-close", about: "the payload after the close delimiter", at: "outside-parts:3",
			build: func(pl trickPayload) string {
				return mimeV + "Content-Type: multipart/mixed; boundary=\"" + trickB + "\"\r\n\r\n--" + trickB + "\r\n" + trickText +
					"--" + trickB + "--\r\n--" + trickB + "\r\n" + attPart(pl, "base64") + "\r\n--" + trickB + "--\r\n"
			}},
		{name: "mp-part-in-preamble", about: "the payload in the preamble, before the first delimiter", at: "outside-parts:0",
			build: func(pl trickPayload) string {
				return mimeV + "Content-Type: multipart/mixed; boundary=\"" + trickB + "\"\r\n\r\n" + attPart(pl, "base64") +
					"\r\n--" + trickB + "\r\n" + trickText + "--" + trickB + "--\r\n"
			}},
		{name: "mp-no-close", about: "no close delimiter", at: "2",
			build: func(pl trickPayload) string {
				return mimeV + "Content-Type: multipart/mixed; boundary=\"" + trickB + "\"\r\n\r\n--" + trickB + "\r\n" + trickText +
					"--" + trickB + "\r\n" + attPart(pl, "base64") + "\r\n"
			}},
		{name: "mp-base64-multipart", about: "a multipart whose body is base64-encoded (a transfer encoding on a multipart)", at: "multipart-encoding:2",
			build: func(pl trickPayload) string {
				return mimeV + "Content-Type: multipart/mixed; boundary=\"" + trickB + "\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
					testmail.Base64([]byte(body2(trickB, attPart(pl, "base64"))))
			}},
		{name: "mp-deep-nesting", about: "the payload nine multipart levels deep", at: deepAt, build: deep},
		{name: "mp-lf-only", about: "LF line ends only", at: "2",
			build: func(pl trickPayload) string {
				return strings.ReplaceAll(std("Content-Type: multipart/mixed; boundary=\""+trickB+"\"")(pl), "\r\n", "\n")
			}},
		{name: "mp-mixed-line-ends", about: "CRLF and LF line ends mixed", at: "2",
			build: func(pl trickPayload) string {
				s := std("Content-Type: multipart/mixed; boundary=\"" + trickB + "\"")(pl)
				return strings.Replace(strings.ReplaceAll(s, "--"+trickB+"\r\n", "--"+trickB+"\n"), "\r\n\r\n", "\n\r\n", 2)
			}},
		// Encodings inside bodies
		{name: "enc-uuencode-in-text", about: "a uuencoded block in a text body", at: "1/1", in: true, build: textBody(Uuencode)},
		{name: "enc-uuencode-base64-in-text", about: "a begin-base64 block (uuencode -m) in a text body", at: "1/1", in: true, build: textBody(UuencodeBase64)},
		{name: "enc-yenc-in-text", about: "a yEnc block in a text body", at: "1/1", in: true, build: textBody(YEncode)},
		{name: "enc-binhex-in-text", about: "a BinHex 4.0 file in a text body", at: "1/1", in: true, build: textBody(BinHex)},
		{name: "enc-uuencode-part", about: "an attachment with Content-Transfer-Encoding x-uuencode", at: "2",
			build: func(pl trickPayload) string {
				part := fmt.Sprintf("Content-Type: %s; name=\"%s\"\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\n%s", pl.ctype, pl.name, Uuencode(pl.name, pl.data))
				return mimeV + "Content-Type: multipart/mixed; boundary=\"" + trickB + "\"\r\n\r\n" + body2(trickB, part)
			}},
		{name: "enc-tnef", about: "the payload inside a TNEF winmail.dat", at: "2/2", in: true,
			build: func(pl trickPayload) string {
				part := "Content-Type: application/ms-tnef; name=\"winmail.dat\"\r\nContent-Disposition: attachment; filename=\"winmail.dat\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
					testmail.Base64(TNEF("Please see the attached file.\r\n", TNEFFile{pl.name, pl.data}))
				return mimeV + "Content-Type: multipart/mixed; boundary=\"" + trickB + "\"\r\n\r\n" + body2(trickB, part)
			}},
	}
}

// trickSamples is every trick with every payload, and the clean twins.
func trickSamples() []Sample {
	var out []Sample
	for _, t := range tricks() {
		for _, pl := range trickPayloads() {
			if pl.clean && t.noTwin {
				continue
			}
			at := strings.ReplaceAll(t.at, "{name}", pl.name)
			base := pl.name
			if t.base != nil {
				base = t.base(pl)
			}
			s := Sample{Name: "trick-" + t.name + "-" + pl.key, Clean: pl.clean, RunOnly: pl.runOnly,
				About: t.about + ", carrying " + pl.name}
			if pl.clean {
				s.Name = "trick-" + t.name
			} else {
				s.Action = pl.action
				s.Want = append(pl.wants(at, base, t.in), t.more...)
			}
			out = append(out, rawSample(s, "Invoice 2026-0412", t.build(pl)))
		}
	}
	// A message/partial fragment: the rest is in other messages, so it is
	// unscannable whatever it carries.
	frag := "Content-Type: message/partial; id=\"kensa-frag-1@corpus.kensa.test\"; number=1; total=2\r\n\r\n" +
		"Subject: part 1\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"x\"\r\n\r\n--x\r\n" + attPart(trickPayloads()[1], "base64")
	out = append(out, rawSample(Sample{Name: "trick-message-partial", About: "a message/partial fragment, which cannot be reassembled from one message",
		Action: policy.Quarantine, Want: []Want{w("kensa", "message-partial", "2")}},
		"Invoice 2026-0412 (1/2)", mimeV+"Content-Type: multipart/mixed; boundary=\""+trickB+"\"\r\n\r\n"+body2(trickB, frag)))
	// Two boundaries, each splitting the body into a different attachment:
	// no reading shows both, so different clients see different files. A
	// zip called .pdf alone only scores a type mismatch; with the ambiguity
	// it is quarantined.
	decoy := trickPayload{ctype: "application/pdf", name: "statement.pdf", data: plainPDF("Statement")}
	weak := trickPayload{ctype: "application/pdf", name: "invoice.pdf", data: zipOf(file{"invoice.txt", []byte("kensa corpus\r\n")})}
	body := "--decoy-b\r\n" + attPart(decoy, "base64") + "\r\n--decoy-b--\r\n--" + trickB + "\r\n" + attPart(weak, "base64") + "\r\n--" + trickB + "--\r\n"
	out = append(out, rawSample(Sample{Name: "trick-two-boundaries-two-attachments",
		About: "two boundary parameters, each showing a different attachment (a zip called .pdf behind a PDF)", Action: policy.Quarantine,
		Want: []Want{w("heuristic", "mime-ambiguous", "last-param:1"), w("heuristic", "type-mismatch", "last-param:1")}},
		"Statement", mimeV+"Content-Type: multipart/mixed; boundary=\"decoy-b\"; boundary=\""+trickB+"\"\r\n\r\n"+body))
	return out
}

// rawSample finishes a sample whose MIME part is written by hand: the
// common header fields, then rest (more fields, the blank line, the body).
func rawSample(s Sample, subject, rest string) Sample {
	h := "From: Example Shop <orders@shop.example.com>\r\nTo: Kenji Tanaka <kenji@corp.example.jp>\r\nSubject: " + subject +
		"\r\nDate: " + corpusDate + "\r\nMessage-ID: <" + s.Name + "@corpus.kensa.test>\r\n" + expectHeader(s) + "\r\n"
	if strings.Contains(rest, "\r\n") {
		s.Raw = []byte(h + rest)
	} else {
		s.Raw = []byte(strings.ReplaceAll(h, "\r\n", "\n") + rest)
	}
	return s
}
