package corpus

import (
	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/policy"
)

// Encrypted attachments whose password the message gives somewhere other
// than a plain body line (Emotet, Qakbot and IcedID mail and what comes
// next): in the attachment's own name, in a second attachment, in an
// attached message, in HTML that splits and hides it, in the subject, in
// other languages, and an archive in an archive. Each payload must be found
// inside. The honest twins: an archive whose password the mail does not
// give keeps the encrypted verdict it always had, and a signature that
// speaks of passwords is nothing.
// PasswordNames are the names of these samples (the integration suite sends
// them through Postfix).
func PasswordNames() map[string]bool {
	out := map[string]bool{}
	for _, s := range passwordSamples(nil) {
		out[s.Name] = true
	}
	return out
}

func passwordSamples(encHeaders7z []byte) []Sample {
	bad := func(name, about string, a policy.Action, wants ...Want) Sample {
		return Sample{Name: name, About: about, Action: a, Want: wants}
	}
	hello := text("Hello,\n\nplease find the documents attached.\n\nKind regards\n")
	js := file{"rechnung.js", []byte(jsDropper)}
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }

	add(bad("zip-encrypted-password-filename", "ZipCrypto zip whose own name gives the password (Rechnung_PW_4471.zip), a JScript dropper inside", policy.Reject,
		w("heuristic", "password-from-body", "2"),
		w("yara", "Kensa_Script_Dropper", "2/Rechnung_PW_4471.zip/rechnung.js")),
		mail{subject: "Rechnung", root: multipart("mixed", hello,
			attach("application/zip", "Rechnung_PW_4471.zip", encryptedZip("4471", false, js)))})

	add(bad("zip-encrypted-password-txt-attachment", "AES-256 zip whose password is in a second attachment, password.txt, a JScript dropper inside", policy.Reject,
		w("heuristic", "password-from-body", "2"),
		w("yara", "Kensa_Script_Dropper", "2/invoice.zip/rechnung.js")),
		mail{subject: "Invoice", root: multipart("mixed", hello,
			attach("application/zip", "invoice.zip", encryptedZip("Kx-20931", true, js)),
			attach("application/octet-stream", "password.txt", []byte("Password: Kx-20931\r\n")))})

	// The password in a second, plain zip attached after the locked one,
	// and in the encoded Subject of a message attached after it: read
	// before they are opened, since the locked one is tried first.
	add(bad("zip-encrypted-password-zip-after", "AES-256 zip whose password is in password.txt inside a plain zip attached after it, a JScript dropper inside", policy.Reject,
		w("heuristic", "password-from-body", "2"),
		w("yara", "Kensa_Script_Dropper", "2/invoice.zip/rechnung.js")),
		mail{subject: "Invoice", root: multipart("mixed", hello,
			attach("application/zip", "invoice.zip", encryptedZip("Kx-20931", true, js)),
			attach("application/zip", "password.zip", zipOf(file{"password.txt", []byte("Password: Kx-20931\r\n")})))})
	add(bad("zip-encrypted-password-tar-after", "AES-256 zip whose password is in docs/password.txt inside a tar attached after it, a JScript dropper inside", policy.Reject,
		w("heuristic", "password-from-body", "2"),
		w("yara", "Kensa_Script_Dropper", "2/invoice.zip/rechnung.js")),
		mail{subject: "Invoice", root: multipart("mixed", hello,
			attach("application/zip", "invoice.zip", encryptedZip("Kx-20931", true, js)),
			attach("application/x-tar", "docs.tar", tarOf(file{"docs/readme.md", []byte("Open the invoice with the password in password.txt.\n")}, file{"docs/password.txt", []byte("Password: Kx-20931\r\n")})))})
	// The password in a 7z or a rar attached after the locked archive:
	// read only when the walk opens them, after the locked one was tried,
	// which is tried again then (unpack/retry.go).
	add(bad("zip-encrypted-password-7z-after", "AES-256 zip whose password is in password.txt inside a 7z attached after it, a JScript dropper inside", policy.Reject,
		w("heuristic", "password-from-body", "2"),
		w("yara", "Kensa_Script_Dropper", "2/invoice.zip/rechnung.js")),
		mail{subject: "Invoice", root: multipart("mixed", hello,
			attach("application/zip", "invoice.zip", encryptedZip("Kx-58812", true, js)),
			attach("application/x-7z-compressed", "password.7z", formats.SevenZip("password.txt", []byte("Password: Kx-58812\r\n"), 0x20)))})
	add(bad("7z-encrypted-password-rar-after", "7z with encrypted names whose password is in a rar attached after it (Spanish, the 7z of the corpus)", policy.Tag,
		w("heuristic", "password-from-body", "2")),
		mail{subject: "Factura", root: multipart("mixed", text("Buenos días,\n\nadjunto la factura y la clave.\n"),
			attach("application/x-7z-compressed", "factura.7z", encHeaders7z),
			attach("application/vnd.rar", "clave.rar", formats.RAR5(formats.File{Name: "clave.txt", Data: []byte("La contraseña del archivo es S3cret-7z\r\n")})))})
	add(bad("zip-encrypted-password-eml-subject-after", "ZipCrypto zip whose password is in the RFC 2047 encoded Subject of a message attached after it (Пароль: ...), a JScript dropper inside", policy.Reject,
		w("heuristic", "password-from-body", "2"),
		w("yara", "Kensa_Script_Dropper", "2/invoice.zip/rechnung.js")),
		mail{subject: "Invoice", root: multipart("mixed", hello,
			attach("application/zip", "invoice.zip", encryptedZip("Kx-20931", false, js)),
			attach("application/octet-stream", "password.eml", []byte("From: Accounts <accounts@billing.example.net>\r\nSubject: =?UTF-8?B?0J/QsNGA0L7Qu9GMOiBLeC0yMDkzMQ==?=\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee the archive.\r\n")))})

	// The password split over inline elements, a hidden decoy inside it, a
	// zero-width space and full-width digits: a reader sees "Zq4471".
	add(bad("zip-encrypted-password-html-tricks", "ZipCrypto zip whose password the HTML body splits over spans, with a hidden decoy, a zero-width space and full-width digits; a program inside", policy.Quarantine,
		w("heuristic", "password-from-body", "2"),
		w("heuristic", "executable-in-container", "2/scan.zip/scan.exe")),
		mail{subject: "Scan", root: multipart("mixed",
			html("<html><body><p>Your scan is attached.</p><p>Pass<span>wo</span>rd: <b>Zq</b><span style=\"display:none\">00</span>\uFF14\u200b\uFF14<span>71</span></p></body></html>"),
			attach("application/zip", "scan.zip", encryptedZip("Zq4471", false, file{"scan.exe", fakePE("password-html-tricks")})))})

	inner := mail{from: "Accounts <accounts@supplier.example.net>", to: "orders@shop.example.com", subject: "Invoice",
		id: "password-eml-inner@supplier.example.net", root: multipart("mixed", text("Hi,\n\nthe archive password is Fwd-77312\n"))}
	add(bad("zip-encrypted-password-attached-eml", "ZipCrypto zip whose password is in an attached .eml (a hijacked reply chain), a JScript dropper inside", policy.Reject,
		w("heuristic", "password-from-body", "3"),
		w("yara", "Kensa_Script_Dropper", "3/invoice.zip/rechnung.js")),
		mail{subject: "Re: Invoice", root: multipart("mixed", text("See below and the archive.\n"),
			attach("application/octet-stream", "original.eml", inner.bytes()),
			attach("application/zip", "invoice.zip", encryptedZip("Fwd-77312", false, js)))})

	add(bad("zip-encrypted-password-subject-german", "AES-256 zip whose password only the subject gives, in German, a JScript dropper inside", policy.Reject,
		w("heuristic", "password-from-body", "2"),
		w("yara", "Kensa_Script_Dropper", "2/bestellung.zip/rechnung.js")),
		mail{subject: "Bestellung 5521, Passwort: Bst-5521", root: multipart("mixed", text("Guten Tag,\n\nanbei die Bestellung.\n"),
			attach("application/zip", "bestellung.zip", encryptedZip("Bst-5521", true, js)))})

	add(bad("zip-encrypted-password-russian", "ZipCrypto zip whose password a Russian body gives without a colon (Пароль от архива ...), a JScript dropper inside", policy.Reject,
		w("heuristic", "password-from-body", "2"),
		w("yara", "Kensa_Script_Dropper", "2/schet.zip/rechnung.js")),
		mail{subject: "Счёт", root: multipart("mixed", text("Здравствуйте!\n\nСчёт во вложении.\nПароль от архива Schet-2027\n"),
			attach("application/zip", "schet.zip", encryptedZip("Schet-2027", false, js)))})

	// Cyrillic Р and С for Latin P and C: the reader types "PC-2207".
	add(bad("zip-encrypted-password-lookalike-letters", "ZipCrypto zip whose password the body writes with Cyrillic letters that look Latin (РС-2207 for PC-2207), a JScript dropper inside", policy.Reject,
		w("heuristic", "password-from-body", "2"),
		w("yara", "Kensa_Script_Dropper", "2/invoice.zip/rechnung.js")),
		mail{subject: "Invoice", root: multipart("mixed", text("Hello,\n\nthe invoice is attached.\nPassword: \u0420\u0421-2207\n"),
			attach("application/zip", "invoice.zip", encryptedZip("PC-2207", false, js)))})

	add(bad("zip-encrypted-nested", "a password zip inside a password zip, the same password in the body, a program in the inner one", policy.Quarantine,
		w("heuristic", "password-from-body", "2"),
		w("heuristic", "password-from-body", "2/akte.zip/inner.zip"),
		w("heuristic", "executable-in-container", "2/akte.zip/inner.zip/akte.exe")),
		mail{subject: "Akte", root: multipart("mixed", text("Die Akte im Anhang, Kennwort: Akte-3390\n"),
			attach("application/zip", "akte.zip", encryptedZip("Akte-3390", false,
				file{"inner.zip", encryptedZip("Akte-3390", true, file{"akte.exe", fakePE("password-nested")})})))})

	// 7-Zip with encrypted names (7z -mhe=on, unpack/testdata), the
	// password in Spanish with fillers before it.
	add(bad("7z-encrypted-headers-password-spanish", "7z with encrypted names whose password a Spanish body gives (la contraseña del archivo es ...)", policy.Tag,
		w("heuristic", "password-from-body", "2")),
		mail{subject: "Factura", root: multipart("mixed", text("Buenos días,\n\nadjunto la factura.\nLa contraseña del archivo es S3cret-7z\n"),
			attach("application/x-7z-compressed", "factura.7z", encHeaders7z))})

	// RAR 5 with its names encrypted too (rar -hp), as WinRAR writes it
	// (formats.EncryptedRAR5, which 7-Zip opens).
	add(bad("rar5-encrypted-headers-password-polish", "RAR 5 archive with encrypted names whose password a Polish body gives (Hasło do archiwum: ...), a JScript dropper inside", policy.Reject,
		w("heuristic", "password-from-body", "2"),
		w("yara", "Kensa_Script_Dropper", "2/faktura.rar/rechnung.js")),
		mail{subject: "Faktura", root: multipart("mixed", text("Dzień dobry,\n\nw załączniku faktura.\nHasło do archiwum: Fv-30417\n"),
			attach("application/vnd.rar", "faktura.rar", formats.EncryptedRAR5("Fv-30417", true, formats.File{Name: "rechnung.js", Data: []byte(jsDropper)})))})

	// Honest: a payroll system sends the password another way. Encrypted and
	// unscannable, as ever; nothing in the mail opens it, and its signature's
	// talk of passwords finds nothing.
	signature := "\n-- \nPayroll Services\nWe will never ask for your password by mail. Forgot your password? https://payroll.example.com/reset\n"
	add(bad("zip-encrypted-payroll-password-elsewhere", "honest: a payslip zip whose password was sent separately (the existing encrypted verdict, no password-from-body)", policy.Quarantine,
		w("kensa", "encrypted-archive", "2")),
		mail{subject: "Your payslip for December", root: multipart("mixed",
			text("Dear employee,\n\nyour payslip is attached as an encrypted archive.\nThe password was sent to you separately by text message.\n"+signature),
			attach("application/zip", "payslip_2026-12.zip", encryptedZip("Sx-99871-payroll", true, file{"payslip.txt", []byte("Payslip December 2026\r\n")})))})
	out = append(out, build(Sample{Name: "signature-password-mention", Clean: true,
		About: "a plain zip of a report from a help desk whose signature speaks of passwords and PINs"},
		mail{subject: "Quarterly report", root: multipart("mixed",
			text("Hi,\n\nthe quarterly report is attached.\n\n-- \nIT Service Desk\nWe will never ask for your password. Password resets: https://id.example.com/reset\nPIN: call ext. 4400\n"),
			attach("application/zip", "PW_report_Q4.zip", zipOf(file{"report.txt", []byte("Quarterly figures\r\n")})))}))
	return out
}
