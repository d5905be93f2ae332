package heuristic

import (
	"bytes"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/pdfsyntax"
	"github.com/kensa-milter/kensa/urls"
)

// PDF actions and forms: where a PDF sends its reader, its files and its
// form fields. Read from the file and from the objects of its object
// streams (the "streams" member unpack joins), names and strings however
// escaped (#xx names, octal and hex strings, UTF-16).

// pdfActs is what pdfActsOf found in one PDF.
type pdfActs struct {
	shares   []string // file specifications and file: links naming a share on the Internet
	password bool     // a text field with the Password flag, or an XFA passwordEdit
	submits  []string // web addresses SubmitForm actions, submitForm calls and XFA submit elements send the form to
	// webSpecs are web addresses in file specifications, where SubmitForm
	// sends the form when the PDF has a SubmitForm action.
	webSpecs []string
	submit   bool     // a SubmitForm action
	bodies   [][]byte // the PDF's bytes and its joined streams'
}

// maxPDFValues bounds the file specifications and links read: /F and /UF
// of a file specification or action, the platform forms /DOS /Unix /Mac,
// and /URI (a file: URI is a share path too).
const maxPDFValues = 200

func (e *env) pdfActsOf(p *message.Part) pdfActs {
	if a, ok := e.pdfActs[p]; ok {
		return a
	}
	var a pdfActs
	if e.isPDFPart(p) && (p.Filename != "streams" || e.container(p) == nil) {
		a.bodies = [][]byte{head(p)}
		if q := e.joinedStreams()[p]; q != nil {
			a.bodies = append(a.bodies, head(q))
		}
		for _, b := range a.bodies {
			a.read(b)
		}
		if a.submit {
			a.submits = append(a.submits, a.webSpecs...)
		}
	}
	if e.pdfActs == nil {
		e.pdfActs = map[*message.Part]pdfActs{}
	}
	e.pdfActs[p] = a
	return a
}

// joinedStreams maps each container to its first member named "streams"
// (a PDF's streams, which unpack joins), found in one walk over the
// message's parts: a walk for each PDF cost the square of the parts.
func (e *env) joinedStreams() map[*message.Part]*message.Part {
	if e.joined == nil {
		e.joined = map[*message.Part]*message.Part{}
		for _, q := range e.m.Parts {
			if q.Filename != "streams" {
				continue
			}
			if c := e.container(q); c != nil && e.joined[c] == nil {
				e.joined[c] = q
			}
		}
	}
	return e.joined
}

func (a *pdfActs) read(b []byte) {
	// One walk over the names: file specifications and links, SubmitForm
	// actions and field flags (bit 14 of a text field's /Ff is Password;
	// buttons and choices leave it unused, so the field type need not be
	// found).
	values := 0
	urls.EachPDFName(b, func(n []byte, end int) int {
		switch string(n) {
		case "F", "UF", "DOS", "Unix", "Mac", "URI":
			v, next, ok := urls.PDFStringAfter(b, end)
			if !ok {
				break
			}
			if values++; values >= maxPDFValues {
				return -1
			}
			end = next
			v = urls.PDFTextString([]byte(v))
			if h, ok := internetShare(v); ok && !contains(a.shares, h) && len(a.shares) < 10 {
				a.shares = append(a.shares, h)
			}
			if n[0] == 'F' || n[0] == 'U' && n[1] == 'F' {
				if u := urls.Parse(strings.TrimSpace(v)); (u.Scheme == "http" || u.Scheme == "https") && len(a.webSpecs) < 10 {
					a.webSpecs = append(a.webSpecs, u.Raw)
				}
			}
		case "SubmitForm":
			a.submit = true
		case "Ff":
			if v, ok := pdfInt(b, end); ok && v&(1<<13) != 0 {
				a.password = true
			}
		}
		return end
	})
	words := containsLowerAny(b, pdfFormWords)
	// Script: this.submitForm("https://...") or submitForm({cURL: "..."}).
	if words&1 != 0 && bytes.Contains(b, []byte("submitForm")) {
		for _, m := range pdfSubmitCall.FindAllSubmatch(b, 10) {
			if u := urls.Parse(string(m[1])); u.Scheme == "http" || u.Scheme == "https" {
				a.submits = append(a.submits, u.Raw)
			}
		}
	}
	// XFA: <submit target="https://..."/> and <passwordEdit/>.
	if words&2 != 0 {
		a.password = true
	}
	if words&1 == 0 || !containsLower(b, "<submit") {
		return
	}
	for i, n := 0, 0; n < 10; n++ {
		k := indexLower(b[i:], "<submit")
		if k < 0 {
			break
		}
		i += k + len("<submit")
		end := bytes.IndexByte(b[i:], '>')
		if end < 0 {
			break
		}
		if t := xmlAttr(b[i:i+end], "target"); t != "" {
			if u := urls.Parse(t); u.Scheme == "http" || u.Scheme == "https" {
				a.submits = append(a.submits, u.Raw)
			}
		}
	}
}

// pdfFormWords are what read looks for in a PDF's bytes: "submit" is in
// every submitForm call and <submit> element.
var pdfFormWords = newLowerWords("submit", "passwordedit")

// pdfSubmitCall is a script's submitForm call with its address.
var pdfSubmitCall = regexp.MustCompile(`submitForm\s*\\?\(\s*(?:\{[^}]{0,200}?cURL\s*:\s*)?["']([^"'\\]{1,1000})["']`)

// indexLower is the index of pat (lower-case ASCII) in b in any case, -1
// for none.
func indexLower(b []byte, pat string) int {
	for i := 0; i+len(pat) <= len(b); i++ {
		k := bytes.IndexAny(b[i:], string([]byte{pat[0], pat[0] - 'a' + 'A'}))
		if k < 0 {
			return -1
		}
		i += k
		if i+len(pat) <= len(b) && bytes.EqualFold(b[i:i+len(pat)], []byte(pat)) {
			return i
		}
	}
	return -1
}

// pdfFetches: the PDF's actions name a share on the Internet (GoToR,
// GoToE, Launch, ImportData, SubmitForm file specifications, a file: link),
// which the reader's PDF viewer opens over SMB, sending the NTLM hash.
func pdfFetches(e *env, p *message.Part) []string {
	var out []string
	for _, h := range e.pdfActsOf(p).shares {
		out = append(out, "PDF file specification or link names the share host "+show(h))
	}
	return out
}

// checkPDFCredentialForm: a PDF form with a password field that submits
// to the web, to a host not the sender's own.
func checkPDFCredentialForm(e *env, p *message.Part) []string {
	a := e.pdfActsOf(p)
	if !a.password {
		return nil
	}
	for _, s := range a.submits {
		u := urls.Parse(s)
		if u.Host == "" || e.sender != "" && e.registrable(u.Host) == e.sender {
			continue
		}
		return []string{"PDF form with a password field submits to " + show(u.Host)}
	}
	return nil
}

// documentLures are what a lure PDF's button says: a document, file or
// message waits behind the link; matched folded as the text is
// (foldedLures).
var documentLures = []string{
	"view document", "view the document", "view documents", "view file", "view the file", "view files", "view pdf",
	"view the pdf", "view full document", "view shared", "view secure", "view secured", "view encrypted",
	"view fax", "view message", "view attachment",
	"view remittance", "view payment", "view proposal", "view contract", "view agreement", "view voicemail",
	"open document", "open the document", "open file", "open the file", "open pdf", "open shared", "open secure",
	"access document", "access the document", "access file", "access the file", "access shared", "access secure",
	"download document", "download the document", "download file", "download the file", "download pdf",
	"download attachment", "review document", "review the document", "review and sign", "review & sign",
	"sign document", "sign the document", "read document", "read the document", "read message", "retrieve document",
	"retrieve file", "preview document", "preview file", "click here to view", "click below to view",
	"click the button below", "click to view", "click to open", "click here to open", "click here to access",
	"click here to download", "tap to view", "shared a file with you", "shared a document with you",
	"shared a folder with you", "shared with you", "sent you a document", "sent you a file", "sent you a secure",
	"secure document", "secured document", "encrypted document", "protected document", "document is protected",
	"document is secured", "document is encrypted", "file is protected", "file is encrypted",
	// German, French, Spanish, Italian, Portuguese, Dutch.
	"dokument anzeigen", "dokument öffnen", "dokument ansehen", "dokument herunterladen", "datei anzeigen",
	"datei öffnen", "datei herunterladen", "geschütztes dokument",
	"voir le document", "afficher le document", "ouvrir le document", "consulter le document",
	"télécharger le document", "document sécurisé", "document protégé",
	"ver documento", "ver el documento", "abrir documento", "abrir el documento", "descargar documento",
	"ver archivo", "documento seguro", "documento protegido",
	"visualizza documento", "visualizza il documento", "apri documento", "apri il documento", "scarica documento",
	"documento protetto",
	"visualizar documento", "baixar documento", "abrir o documento", "ver o documento",
	"document bekijken", "bekijk document", "bekijk het document", "document openen", "document downloaden",
	"beveiligd document",
}

// foldedLures and squeezedLures are documentLures folded as the text is
// (foldLure: "öffnen" as the text reads it), and those without spaces.
var foldedLures, squeezedLures = func() (folded, squeezed map[string]string) {
	folded, squeezed = make(map[string]string, len(documentLures)), make(map[string]string, len(documentLures))
	for _, w := range documentLures {
		folded[w] = foldLure(w)
		squeezed[w] = strings.ReplaceAll(folded[w], " ", "")
	}
	return folded, squeezed
}()

// documentAsk is a button's ask in English words documentLures does not
// list: a verb, up to three words, a thing waiting ("Review the signed
// contract", "Access your secure file").
var documentAsk = regexp.MustCompile(`\b(?:view|open|access|review|download|preview|retrieve|read|sign|play|listen to)(?: [\w'&-]+){0,3}? (?:documents?|files?|pdfs?|fax(?:es)?|messages?|attachments?|voicemails?|voice ?messages?|statements?|remittance|contracts?|agreements?|proposals?|invoices?|quotes?|folders?)\b`)

// Lure PDFs are a page with a button: a few words, or none over a picture.
const (
	maxLureWords = 120 // words a lure PDF's pages show at most
	maxLurePages = 2   // pages of a picture-only lure
)

// checkPDFLinkLure: a short PDF that sends its reader to a document
// elsewhere (documentLures) by a link, a URL in its text or a code, to a
// host not the sender's and not a brand's the text names; or a PDF that
// shows no text at all, only a picture, and links out.
func checkPDFLinkLure(e *env, p *message.Part) []string {
	if !e.isAttachment(p) || sniff(p) != kindPDF { // a PDF's joined streams are text
		return nil
	}
	shown := e.pdfText(p)
	if wordsOver(shown, maxLureWords) {
		return nil // a document, not a button: not folded, most PDFs stop here
	}
	text := foldLure(shown)
	words := strings.Fields(text)
	if len(words) > maxLureWords {
		return nil
	}
	pages := pdfPages(e, p)
	if pages == 0 {
		return nil // no page shows a button
	}
	text = strings.Join(words, " ")
	lure := ""
	squeezed := strings.ReplaceAll(text, " ", "") // "V i e w  D o c u m e n t", letters drawn one by one
	for _, w := range documentLures {
		if strings.Contains(text, foldedLures[w]) || strings.Contains(squeezed, squeezedLures[w]) {
			lure = w
			break
		}
	}
	if lure == "" {
		lure = documentAsk.FindString(text)
	}
	// Blank pages added do not make a picture a document: a scan of many
	// pages links nowhere, a lure's picture is one page.
	pictureOnly := len(words) <= 3 && pages <= maxLurePages && pdfHasImage(e, p)
	if lure == "" && !pictureOnly {
		return nil
	}
	var brands []string // brands the text names: a link to one of theirs is theirs
	for _, w := range words {
		if b, ok := urls.BrandWord(strings.Trim(w, ".,:;!?()\"'")); ok && len(brands) < 8 && !contains(brands, b) {
			brands = append(brands, b)
		}
	}
	var out []string // hosts linked outside the sender's and the brands'
	for _, u := range e.partURLs(p) {
		if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
			continue
		}
		if u.Source != urls.SourcePDF && u.Source != urls.SourcePDFText && u.Source != urls.SourceQR {
			continue
		}
		if e.sendersOwn(u.Host) || slices.ContainsFunc(brands, func(b string) bool { return brandOwns(b, u.Host) }) {
			continue
		}
		if _, own := urls.BrandDomain(u.Host); own {
			if _, hosted := urls.HostedAt(u); !hosted {
				continue // a brand's own service (DocuSign's signing page), not a share or site anybody makes there
			}
		}
		if !contains(out, u.Host) {
			out = append(out, u.Host)
		}
	}
	switch {
	case len(out) == 0:
		return nil
	case lure != "":
		return []string{"short PDF says " + show(lure) + " and links to " + show(out[0])}
	case len(out) == 1:
		// A picture with one place to go: the whole page is the button.
		return []string{"PDF showing only a picture links to " + show(out[0])}
	}
	return nil
}

// wordsOver says whether s has more than n words with an ASCII letter or
// digit in them (a "word" of zero-width characters, which folding drops,
// does not count), reading no further than the word after the nth.
func wordsOver(s string, n int) bool {
	words, counted := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\n' || c == '\t' || c == '\r':
			counted = false
		case !counted && ('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'):
			counted = true
			if words++; words > n {
				return true
			}
		}
	}
	return false
}

// pdfPages counts the page objects of a PDF (in the file and its object
// streams), up to maxLurePages+1.
func pdfPages(e *env, p *message.Part) int {
	n := 0
	for _, b := range e.pdfActsOf(p).bodies {
		n += pdfNameCount(b, "Type", "Page", maxLurePages+1-n)
	}
	return n
}

// pdfHasImage: the PDF has an image XObject or an inline image.
func pdfHasImage(e *env, p *message.Part) bool {
	for _, b := range e.pdfActsOf(p).bodies {
		if pdfNameCount(b, "Subtype", "Image", 1) > 0 {
			return true
		}
	}
	return false
}

// pdfAfterName is what follows the name at b[:end]: b from its next
// token on.
func pdfAfterName(b []byte, end int) []byte {
	for end < len(b) && pdfsyntax.Space(b[end]) {
		end++
	}
	return b[end:]
}

// pdfInt is the unsigned integer after the name ending at b[end].
func pdfInt(b []byte, end int) (int, bool) {
	v := pdfAfterName(b, end)
	k := 0
	for k < len(v) && k < 12 && '0' <= v[k] && v[k] <= '9' {
		k++
	}
	x, err := strconv.Atoi(string(v[:k]))
	return x, err == nil
}

// pdfNameCount counts the pairs /key /value in b (/Type /Page), up to max.
func pdfNameCount(b []byte, key, value string, max int) int {
	n := 0
	var scratch [64]byte
	urls.EachPDFName(b, func(name []byte, end int) int {
		if string(name) == key {
			if v := pdfAfterName(b, end); len(v) > 0 && v[0] == '/' {
				if w, _ := urls.PDFNameBytes(v, 0, scratch[:0]); string(w) == value {
					if n++; n >= max {
						return -1
					}
				}
			}
		}
		return end
	})
	return n
}
