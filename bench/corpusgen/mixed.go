package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"mime/quotedprintable"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/kensa-milter/kensa/internal/corpus"
	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/internal/testmail"
)

// The mixed set: messages shaped like a day of real business mail (see the
// comment at the top of main.go for the files and MIX.json). Each kind has a
// count and a range of message sizes; a size is drawn log-uniformly from the
// range, so that small messages are as common as in real traffic while the
// few large ones carry most of the bytes.

// mixKind is one kind of message in the mixed set.
type mixKind struct {
	name, what string
	count      int
	lo, hi     int                               // message size range in bytes
	make       func(g *gen, id, size int) []byte // a message of about size bytes
}

var mixKinds = []mixKind{
	{"note", "plain-text note", 8, 2 << 10, 8 << 10, (*gen).mixNote},
	{"reply", "reply with quoted history (text + HTML; half with an inline signature logo)", 8, 6 << 10, 80 << 10, (*gen).mixReply},
	{"invite", "calendar invitation (text, HTML, text/calendar and an .ics attachment)", 4, 4 << 10, 12 << 10, (*gen).mixInvite},
	{"newsletter", "HTML newsletter, quoted-printable, 50-200 tracked links and tracking images", 10, 50 << 10, 250 << 10, (*gen).mixNewsletter},
	{"invoice", "invoice: text + PDF (deflated text pages, a JPEG logo)", 7, 60 << 10, 500 << 10, (*gen).mixInvoice},
	{"office", "Office document: DOCX with photos, or XLSX (members deflated)", 6, 150 << 10, 1500 << 10, (*gen).mixOffice},
	{"zip", "zip of documents (PDF, DOCX, XLSX, CSV; deflated)", 3, 600 << 10, 2 << 20, (*gen).mixZip},
	{"photo", "photos: text + 1-3 JPEG photos", 4, 600 << 10, 2 << 20, (*gen).mixPhoto},
}

// Mix and MixKind are MIX.json.
type Mix struct {
	Messages int       `json:"messages"`
	Bytes    int       `json:"total_bytes"`
	Min      int       `json:"min_bytes"`
	Median   int       `json:"median_bytes"`
	Mean     int       `json:"mean_bytes"`
	Max      int       `json:"max_bytes"`
	Kinds    []MixKind `json:"kinds"`
}

type MixKind struct {
	Kind   string `json:"kind"`
	What   string `json:"what"`
	Count  int    `json:"count"`
	Bytes  int    `json:"total_bytes"`
	Min    int    `json:"min_bytes"`
	Median int    `json:"median_bytes"`
	Max    int    `json:"max_bytes"`
}

// writeMixed writes dir/mixed/NNN-kind.eml and dir/mixed/MIX.json.
func writeMixed(dir string) error {
	dir = filepath.Join(dir, "mixed")
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	g := &gen{r: rand.New(rand.NewPCG(20261206, 17))}
	var order []int // indexes into mixKinds, one per message, shuffled so kinds interleave
	for k, kind := range mixKinds {
		for range kind.count {
			order = append(order, k)
		}
	}
	g.r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	sizes := make([][]int, len(mixKinds))
	var all []int
	for i, k := range order {
		kind := mixKinds[k]
		target := int(float64(kind.lo) * math.Pow(float64(kind.hi)/float64(kind.lo), g.r.Float64()))
		msg := kind.make(g, i+1, target)
		name := fmt.Sprintf("%03d-%s.eml", i+1, kind.name)
		if err := os.WriteFile(filepath.Join(dir, name), msg, 0o644); err != nil {
			return err
		}
		sizes[k] = append(sizes[k], len(msg))
		all = append(all, len(msg))
	}
	mix := Mix{Messages: len(all)}
	mix.Bytes, mix.Min, mix.Median, mix.Max = spread(all)
	mix.Mean = mix.Bytes / len(all)
	for k, kind := range mixKinds {
		mk := MixKind{Kind: kind.name, What: kind.what, Count: len(sizes[k])}
		mk.Bytes, mk.Min, mk.Median, mk.Max = spread(sizes[k])
		mix.Kinds = append(mix.Kinds, mk)
	}
	j, err := json.MarshalIndent(mix, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "MIX.json"), append(j, '\n'), 0o644)
}

// spread is the sum, smallest, median (the upper one of an even count) and
// largest of sizes.
func spread(sizes []int) (sum, lo, median, hi int) {
	s := slices.Sorted(slices.Values(sizes))
	for _, n := range s {
		sum += n
	}
	return sum, s[0], s[len(s)/2], s[len(s)-1]
}

var people = []string{"Alice Martin <alice.martin@example.com>", "Bruno Keller <b.keller@example.net>", "Chiara Rossi <chiara@example.org>",
	"Dmitri Volkov <dvolkov@example.com>", "Emma Schulz <emma.schulz@example.net>", "Farid Haddad <farid@example.org>",
	"Grace Lee <grace.lee@example.com>", "Hugo Bernard <hugo.bernard@example.net>"}

// mixHeader is the header block of message id, with extra fields before the
// Content-Type.
func (g *gen) mixHeader(id int, from, subject, ctype, extra string) string {
	return fmt.Sprintf("Received: from mail.example.com (mail.example.com [192.0.2.%d])\r\n\tby mx1.example.org with ESMTPS id 4Xy%04d; Sun, 6 Dec 2026 08:%02d:00 +0000\r\n", 10+id, id, id%60) +
		"From: " + from + "\r\nTo: Bob Example <bob@example.org>\r\nSubject: " + subject + "\r\n" +
		fmt.Sprintf("Date: Sun, 6 Dec 2026 08:%02d:00 +0000\r\nMessage-ID: <mix-%03d-%s@example.com>\r\n", id%60, id, g.token(12)) +
		extra + "MIME-Version: 1.0\r\nContent-Type: " + ctype + "\r\n\r\n"
}

func (g *gen) person() string { return people[g.r.IntN(len(people))] }

func (g *gen) token(n int) string {
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	t := make([]byte, n)
	for i := range t {
		t[i] = letters[g.r.IntN(len(letters))]
	}
	return string(t)
}

func qp(s string) string {
	var b bytes.Buffer
	w := quotedprintable.NewWriter(&b)
	w.Write([]byte(crlf(s)))
	w.Close()
	return b.String()
}

// textPart is a MIME part of text (8bit, or quoted-printable when qp).
func textPart(boundary, ctype, body string, useQP bool) string {
	if useQP {
		return "--" + boundary + "\r\nContent-Type: " + ctype + "; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" + qp(body) + "\r\n"
	}
	return "--" + boundary + "\r\nContent-Type: " + ctype + "; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + crlf(body) + "\r\n"
}

func filePart(boundary, ctype, name string, data []byte) string {
	return "--" + boundary + "\r\nContent-Type: " + ctype + "; name=\"" + name + "\"\r\nContent-Disposition: attachment; filename=\"" + name +
		"\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + testmail.Base64(data) + "\r\n"
}

// withFiles is a message of a short text and attachments.
func (g *gen) withFiles(id int, subject, text string, files ...string) []byte {
	var b strings.Builder
	b.WriteString(g.mixHeader(id, g.person(), subject, "multipart/mixed; boundary=\"=_mix\"", ""))
	b.WriteString(textPart("=_mix", "text/plain", text, false))
	for _, f := range files {
		b.WriteString(f)
	}
	b.WriteString("--=_mix--\r\n")
	return []byte(b.String())
}

// raw is the attachment size that makes a message of about size bytes.
func raw(size, rest int) int { return max(size-rest, 1024) * 3 / 4 }

func (g *gen) mixNote(id, size int) []byte {
	return []byte(g.mixHeader(id, g.person(), "Note: "+g.sentence(), "text/plain; charset=utf-8", "") + crlf(g.text(size-700)))
}

func (g *gen) signature(name string) (text, html string) {
	text = "-- \n" + name + "\nExample Trading GmbH | https://www.example.com | +49 30 1234567\n"
	html = `<p style="font-size:9pt;color:#555">` + name + `<br>Example Trading GmbH | <a href="https://www.example.com/">www.example.com</a> | ` +
		`<a href="https://www.linkedin.com/company/example-trading">LinkedIn</a></p>`
	return
}

func (g *gen) mixReply(id, size int) []byte {
	// The thread, newest first: each earlier message is quoted one level deeper.
	var text, html strings.Builder
	depth := 0
	for text.Len()+html.Len() < size-1500 {
		who := g.person()
		st, sh := g.signature(strings.SplitN(who, " <", 2)[0])
		body := g.text(300 + g.r.IntN(1500))
		prefix := strings.Repeat("> ", depth)
		if depth > 0 {
			fmt.Fprintf(&text, "%sOn Sat, 5 Dec 2026 at 1%d:%02d, %s wrote:\n", strings.Repeat("> ", depth-1), depth%10, g.r.IntN(60), who)
			html.WriteString(`<div>On Sat, 5 Dec 2026, ` + strings.ReplaceAll(strings.ReplaceAll(who, "<", "&lt;"), ">", "&gt;") + ` wrote:</div><blockquote style="margin:0 0 0 .8ex;border-left:1px #ccc solid;padding-left:1ex">`)
		}
		for _, line := range strings.Split(body+st, "\n") {
			text.WriteString(prefix + line + "\n")
		}
		for _, para := range strings.Split(strings.TrimSpace(body), "\n\n") {
			html.WriteString("<p>" + para + "</p>\n")
		}
		html.WriteString(sh)
		depth++
	}
	html.WriteString(strings.Repeat("</blockquote>", depth-1))
	var b strings.Builder
	subject := "Re: " + strings.Repeat("Re: ", g.r.IntN(3)) + g.sentence()
	extra := fmt.Sprintf("In-Reply-To: <thread-%d@example.net>\r\nReferences: <thread-%d@example.net>\r\n", id, id)
	logo := g.r.IntN(2) == 0
	if logo { // Outlook keeps the signature's logo as an inline image of each reply
		b.WriteString(g.mixHeader(id, g.person(), subject, "multipart/related; boundary=\"=_rel\"; type=\"multipart/alternative\"", extra))
		b.WriteString("--=_rel\r\nContent-Type: multipart/alternative; boundary=\"=_alt\"\r\n\r\n")
	} else {
		b.WriteString(g.mixHeader(id, g.person(), subject, "multipart/alternative; boundary=\"=_alt\"", extra))
	}
	b.WriteString(textPart("=_alt", "text/plain", text.String(), true))
	h := "<html><body>" + html.String()
	if logo {
		h += `<img src="cid:image001.png@01DB4A2C.5F3E1B20" width="120" height="40" alt="Example Trading">`
	}
	b.WriteString(textPart("=_alt", "text/html", h+"</body></html>\n", true))
	b.WriteString("--=_alt--\r\n")
	if logo {
		b.WriteString("--=_rel\r\nContent-Type: image/png; name=\"image001.png\"\r\nContent-ID: <image001.png@01DB4A2C.5F3E1B20>\r\n" +
			"Content-Disposition: inline; filename=\"image001.png\"\r\nContent-Transfer-Encoding: base64\r\n\r\n" + testmail.Base64(g.logoPNG()) + "\r\n--=_rel--\r\n")
	}
	return []byte(b.String())
}

// logoPNG is a small two-colour logo, as signatures carry.
func (g *gen) logoPNG() []byte {
	img := image.NewPaletted(image.Rect(0, 0, 120, 40), color.Palette{color.White, color.RGBA{0x1f, 0x4e, 0x79, 0xff}})
	for y := 8; y < 32; y++ {
		for x := 4; x < 116; x++ {
			if (x/6+y/8)%3 != 0 {
				img.SetColorIndex(x, y, 1)
			}
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}

func (g *gen) mixInvite(id, size int) []byte {
	uid := g.token(24)
	var desc strings.Builder
	for desc.Len() < (size-3000)/4 { // the description is in the text, the HTML and both calendars
		desc.WriteString(g.sentence() + " ")
	}
	join := "https://meet.example.com/j/" + g.token(10) + "?pwd=" + g.token(20)
	ics := "BEGIN:VCALENDAR\nPRODID:-//Example Corp//Calendar 1.0//EN\nVERSION:2.0\nMETHOD:REQUEST\nBEGIN:VEVENT\n" +
		"DTSTART:20261210T090000Z\nDTEND:20261210T100000Z\nDTSTAMP:20261206T080000Z\n" +
		"ORGANIZER;CN=Alice Martin:mailto:alice.martin@example.com\n" +
		"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=Bob Example:mailto:bob@example.org\n" +
		"UID:" + uid + "@example.com\nSUMMARY:" + g.sentence() + "\nLOCATION:" + join + "\n" +
		"DESCRIPTION:" + strings.TrimSpace(desc.String()) + "\\nJoin: " + join + "\nSEQUENCE:0\nSTATUS:CONFIRMED\nEND:VEVENT\nEND:VCALENDAR\n"
	var b strings.Builder
	b.WriteString(g.mixHeader(id, "Alice Martin <alice.martin@example.com>", "Invitation: "+g.sentence(), "multipart/mixed; boundary=\"=_mix\"", ""))
	b.WriteString("--=_mix\r\nContent-Type: multipart/alternative; boundary=\"=_alt\"\r\n\r\n")
	b.WriteString(textPart("=_alt", "text/plain", "You have been invited.\n\n"+desc.String()+"\n\nJoin: "+join+"\n", false))
	b.WriteString(textPart("=_alt", "text/html", `<html><body><p>You have been invited.</p><p>`+desc.String()+`</p><p><a href="`+join+`">Join the meeting</a></p></body></html>`, true))
	b.WriteString(textPart("=_alt", "text/calendar; method=REQUEST", ics, false))
	b.WriteString("--=_alt--\r\n")
	b.WriteString(filePart("=_mix", "application/ics", "invite.ics", []byte(crlf(ics))))
	b.WriteString("--=_mix--\r\n")
	return []byte(b.String())
}

func (g *gen) mixNewsletter(id, size int) []byte {
	list := g.token(8)
	link := func() string {
		return "https://click.news.example.net/ls/click?upn=" + g.token(40) + "-2B" + g.token(60) + "&amp;list=" + list
	}
	links := min(50+g.r.IntN(151), max(size/1300, 50)) // each link costs about a kilobyte of HTML and text
	var h, t strings.Builder
	h.WriteString(`<!DOCTYPE html><html><head><meta charset="utf-8"><style>td{font-family:Arial,sans-serif;font-size:14px}.btn{background:#1f4e79;color:#fff}</style></head><body>` + "\n")
	h.WriteString(`<img src="https://open.news.example.net/o/` + g.token(32) + `.gif" width="1" height="1" alt="">` + "\n<table width=\"600\" align=\"center\">\n")
	per := max((size-4000)/links/2, 400) // a paragraph is in the text and in the HTML
	for i := range links {
		h.WriteString(`<tr><td><a href="` + link() + `"><img src="https://cdn.news.example.net/img/` + g.token(16) + `.jpg" width="560" alt="` + g.sentence() + "\"></a>\n")
		var para strings.Builder
		for para.Len() < per-500 {
			para.WriteString(g.sentence() + " ")
		}
		h.WriteString("<p>" + para.String() + `</p><p><a class="btn" href="` + link() + `">Read more</a></p></td></tr>` + "\n")
		t.WriteString(para.String() + "\nRead more: " + strings.ReplaceAll(link(), "&amp;", "&") + "\n\n")
		if i%10 == 9 { // a tracking pixel per section, as mailing services add them
			h.WriteString(`<tr><td><img src="https://open.news.example.net/s/` + g.token(24) + `.png" width="1" height="1" alt=""></td></tr>` + "\n")
		}
	}
	h.WriteString(`</table><p><a href="https://news.example.net/unsubscribe?u=` + g.token(24) + `">Unsubscribe</a> | <a href="https://news.example.net/prefs">Preferences</a></p></body></html>` + "\n")
	var b strings.Builder
	b.WriteString(g.mixHeader(id, "Example Weekly <news@news.example.net>", "This week at Example: "+g.sentence(), "multipart/alternative; boundary=\"=_alt\"",
		"List-Unsubscribe: <https://news.example.net/unsubscribe?u="+g.token(24)+">\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\nPrecedence: bulk\r\n"))
	b.WriteString(textPart("=_alt", "text/plain", t.String(), true))
	b.WriteString(textPart("=_alt", "text/html", h.String(), true))
	b.WriteString("--=_alt--\r\n")
	return []byte(b.String())
}

// photo is a JPEG of w x h pixels: a sky, hills and noise, so that it
// compresses like a photograph rather than a drawing.
func (g *gen) photo(w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	phase := g.r.Float64() * 6
	for y := range h {
		for x := range w {
			fx, fy := float64(x)/float64(w), float64(y)/float64(h)
			hill := 0.55 + 0.1*math.Sin(fx*7+phase) + 0.05*math.Sin(fx*23)
			n := g.r.Uint32()
			noise := func(s int) int { return int(n>>s&31) - 16 }
			var r, gg, bb int
			if fy < hill {
				r, gg, bb = 120+int(80*fy), 160+int(60*fy), 230
			} else {
				r, gg, bb = 60+int(40*math.Sin(fx*50)), 110+int(30*math.Sin(fy*40+fx*9)), 40
			}
			img.Pix[y*img.Stride+4*x] = clamp(r + noise(0))
			img.Pix[y*img.Stride+4*x+1] = clamp(gg + noise(5))
			img.Pix[y*img.Stride+4*x+2] = clamp(bb + noise(10))
			img.Pix[y*img.Stride+4*x+3] = 255
		}
	}
	var b bytes.Buffer
	jpeg.Encode(&b, img, &jpeg.Options{Quality: 85})
	return b.Bytes()
}

func clamp(v int) byte { return byte(min(max(v, 0), 255)) }

// photoOf is a photo of about n bytes (4:3; about 0.22 bytes a pixel).
func (g *gen) photoOf(n int) []byte {
	px := float64(n) / 0.22
	w := int(math.Sqrt(px*4/3)) &^ 7
	return g.photo(max(w, 64), max(w*3/4, 48))
}

func (g *gen) mixPhoto(id, size int) []byte {
	n := 1 + g.r.IntN(3)
	var files []string
	for i := range n {
		files = append(files, filePart("=_mix", "image/jpeg", fmt.Sprintf("IMG_%04d.jpg", 2000+id*10+i), g.photoOf(raw(size, 1500)/n)))
	}
	return g.withFiles(id, "Photos from the site visit", "Hi Bob,\n\nhere are the photos from Thursday.\n\n"+g.text(300), files...)
}

// pdfDoc is a PDF of text pages (deflated content streams) and, when logo is
// set, a JPEG on the first page, of about size bytes.
func (g *gen) pdfDoc(size int, logo bool) []byte {
	objs := []string{"<< /Type /Catalog /Pages 2 0 R >>", "", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"}
	var kids []string
	res := "/Font << /F1 3 0 R >>"
	if logo {
		img := g.photo(240, 80)
		objs = append(objs, formats.PDFStream("/Type /XObject /Subtype /Image /Width 240 /Height 80 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode", img))
		res += fmt.Sprintf(" /XObject << /Im1 %d 0 R >>", len(objs))
	}
	n := 0
	for first := true; first || n < size; first = false {
		var c bytes.Buffer
		if logo && first {
			c.WriteString("q 120 0 0 40 50 780 cm /Im1 Do Q\n")
		}
		c.WriteString("BT /F1 10 Tf 50 740 Td 12 TL\n")
		for range 55 {
			fmt.Fprintf(&c, "(%s) '\n", g.sentence())
		}
		c.WriteString("ET\n")
		z := deflate(c.Bytes())
		objs = append(objs, formats.PDFStream("/Filter /FlateDecode", z))
		objs = append(objs, fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << %s >> /Contents %d 0 R >>", res, len(objs)))
		kids = append(kids, fmt.Sprintf("%d 0 R", len(objs)))
		n += len(z) + 200
	}
	objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))
	return formats.PDF(objs...)
}

func (g *gen) mixInvoice(id, size int) []byte {
	no := fmt.Sprintf("INV-2026-%05d", 1000+id)
	return g.withFiles(id, "Invoice "+no, "Dear customer,\n\nplease find attached invoice "+no+".\n\nKind regards\nAccounts\n",
		filePart("=_mix", "application/pdf", no+".pdf", g.pdfDoc(raw(size, 1500), true)))
}

func (g *gen) paragraphs(size int) []string {
	var ps []string
	for n := 0; n < size; {
		p := g.sentence() + " " + g.sentence() + " " + g.sentence()
		ps = append(ps, p)
		n += len(p)
	}
	return ps
}

// docx is a Word document of about size bytes: text, and photos for the
// rest (text deflates to a quarter of its size).
func (g *gen) docxOf(size int) []byte {
	text := min(size*2, 200<<10)
	var pics [][]byte
	for left := size - text/4; left > 20<<10; {
		n := min(left, 300<<10)
		pics = append(pics, g.photoOf(n))
		left -= n
	}
	return corpus.DOCX(g.paragraphs(text), pics...)
}

// xlsxOf is a workbook of figures of about size bytes once deflated.
func (g *gen) xlsxOf(size int) []byte {
	var rows [][]string
	for n := 0; n < size*3; {
		row := []string{words[g.r.IntN(len(words))], fmt.Sprint(g.r.IntN(100000)), fmt.Sprintf("%.2f", g.r.Float64()*1e4), words[g.r.IntN(len(words))], g.sentence()}
		rows = append(rows, row)
		n += 200
	}
	return corpus.XLSX(rows)
}

func (g *gen) mixOffice(id, size int) []byte {
	if id%2 == 0 {
		return g.withFiles(id, "Draft contract for review", "Hello,\n\nthe draft for your comments.\n\n"+g.text(400),
			filePart("=_mix", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", fmt.Sprintf("contract-draft-%d.docx", id), g.docxOf(raw(size, 1500))))
	}
	return g.withFiles(id, "Figures for the month", "Hi,\n\nthe figures are attached.\n\n"+g.text(400),
		filePart("=_mix", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", fmt.Sprintf("figures-%d.xlsx", id), g.xlsxOf(raw(size, 1500))))
}

func (g *gen) mixZip(id, size int) []byte {
	var entries []formats.ZipEntry
	target := raw(size, 1500)
	for i, n := 0, 0; n < target; i++ {
		var e formats.ZipEntry
		switch i % 4 {
		case 0:
			e = formats.ZipEntry{Name: fmt.Sprintf("documents/report-%02d.pdf", i), Data: g.pdfDoc(min(target-n, 60<<10+g.r.IntN(200<<10)), i == 0)}
			n += len(e.Data)
		case 1:
			e = formats.ZipEntry{Name: fmt.Sprintf("documents/letter-%02d.docx", i), Data: g.docxOf(min(target-n, 40<<10+g.r.IntN(300<<10)))}
			n += len(e.Data)
		case 2:
			e = formats.ZipEntry{Name: fmt.Sprintf("documents/figures-%02d.xlsx", i), Data: g.xlsxOf(20<<10 + g.r.IntN(60<<10))}
			n += len(e.Data)
		case 3:
			e = formats.ZipEntry{Name: fmt.Sprintf("data/export-%02d.csv", i), Data: []byte(strings.ReplaceAll(g.text(40<<10+g.r.IntN(80<<10)), " ", ","))}
			n += len(e.Data) / 4
		}
		entries = append(entries, e)
	}
	return g.withFiles(id, "Documents for the audit", "Hello,\n\nall the documents in one archive.\n\n"+g.text(300),
		filePart("=_mix", "application/zip", fmt.Sprintf("audit-%d.zip", id), formats.ArchiveZip(true, entries...)))
}
