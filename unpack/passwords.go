package unpack

import (
	"archive/zip"
	"bytes"
	"io"
	"path"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kensa-milter/kensa/filetype"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/showntext"
	"github.com/kensa-milter/kensa/urls"
)

// candidate is a password to try and where it came from.
type candidate struct {
	text   string
	source string // "body", "subject", "filename", "attachment", "config"
}

// The bounds on password guessing. A message offers at most maxCandidates
// passwords, at most maxPerText from one text; each encrypted container is
// tried with at most Limits.MaxPasswordTries of them (20 by default), and
// Office and OpenDocument key derivation spends a per-message budget of hash
// rounds (maxOfficeHashRounds). A container no candidate opens within these
// stays encrypted (unscannable), never clean: a sender who floods the mail
// with decoy passwords gains nothing.
const (
	maxCandidates  = 64 // per message, all sources together
	maxPasswordLen = 64 // runes
	maxTextScanned = 1 << 20
	maxPerText     = 16
	maxWordHits    = 512       // password words read after, in one reading of a text
	maxVisibleText = 256 << 10 // bytes of a text also read as its reader sees it (visibleText)
	// Text read from attachments and archive members (password.txt, an
	// HTML page, a document's text, a PDF's pages): per part and in all.
	maxAttachText      = 256 << 10
	maxAttachTextTotal = 2 << 20
	maxAttachPDFs      = 8 // PDFs whose pages are read (each within urls.PDFText's own bounds)
)

// pwSources are the sources in the order their candidates are tried: what
// the mail's own text says first, the configured list last.
var pwSources = []string{"body", "subject", "filename", "attachment", "config"}

// candidates gathers the message's passwords: the text parts of the body
// (forwarded and quoted mail included), the subject, every part's file
// name ("Invoice_PW_4471.zip"), the text of attachments and archive members
// (a password.txt beside the archive, an HTML page, a document, a PDF),
// then the configured list. Parts added since the last call (members of
// archives opened since) are read on the next, so a password in a member
// of one archive serves an archive opened after it.
func (w *walker) candidates() []candidate {
	if w.pwFound == nil {
		w.pwFound = map[string][]string{}
		w.pwSeen = map[string]bool{}
		w.addCandidates("subject", PasswordCandidates(w.m.Subject))
		w.addCandidates("config", w.config)
		for _, p := range w.m.Answered { // the verdict cache's: not scanned, still read
			w.partCandidates(p)
		}
	}
	if w.pwParts == len(w.m.Parts) {
		return w.pw
	}
	for _, p := range w.m.Parts[w.pwParts:] {
		w.partCandidates(p)
	}
	w.pwParts = len(w.m.Parts)
	w.pw = nil // a new slice: a caller may still be going through the old one
	for _, src := range pwSources {
		for _, t := range w.pwFound[src] {
			if len(w.pw) < maxCandidates {
				w.pw = append(w.pw, candidate{t, src})
			}
		}
	}
	return w.pw
}

// addCandidates records passwords from one source, once each.
func (w *walker) addCandidates(source string, found []string) {
	for _, t := range found {
		if t != "" && !w.pwSeen[t] && len(w.pwSeen) < 4*maxCandidates {
			w.pwSeen[t] = true
			w.pwFound[source] = append(w.pwFound[source], t)
		}
	}
}

// partCandidates reads one part's names and text for passwords.
func (w *walker) partCandidates(p *message.Part) {
	for _, name := range append([]string{p.Filename}, p.AltNames...) {
		w.addCandidates("filename", nameCandidates(baseName(name)))
	}
	if p.Encrypted || len(p.Content) == 0 {
		return
	}
	typ := p.DeclaredType
	body := !w.ours[p] && p.Filename == "" && strings.HasPrefix(typ, "text/")
	if !body {
		typ = p.DetectedType
	}
	var text string
	switch {
	case body:
		text = string(p.Content[:min(len(p.Content), maxTextScanned)])
	case w.pwText >= maxAttachTextTotal || w.expired():
		return
	case typ == "application/pdf":
		if w.pwPDFs++; w.pwPDFs > maxAttachPDFs {
			return
		}
		text = urls.PDFText(p)
	case strings.HasPrefix(typ, "application/vnd.openxmlformats-officedocument.") || strings.HasPrefix(typ, filetype.ODFPrefix):
		text = packageText(p.Content, isOfficeText)
	case typ == filetype.ZIP:
		// A zip attached after the encrypted one, with a password.txt in
		// it: read before unpack opens it, as Office packages are, since
		// the encrypted one is tried (and not again) before this one opens.
		text = packageText(p.Content, w.zipTextMember)
	case typ == filetype.TAR:
		// The same for a tar: its headers are read as they are (tarWalk),
		// its text members copied out, nothing decompressed.
		text = tarText(p.Content, w.zipTextMember)
	case strings.HasPrefix(typ, "text/") || strings.HasSuffix(typ, "/xml"):
		// An attached message's header (its Subject) comes as text/rfc822-headers.
		text = string(p.Content[:min(len(p.Content), maxAttachText)])
	default:
		return
	}
	if !body {
		text = text[:min(len(text), maxAttachText)]
		w.pwText += len(text)
	}
	source := "attachment"
	if body {
		source = "body"
	} else {
		// An attached message read as text (an .eml file, one in a zip):
		// its Subject as the mail client shows it, encoded words decoded.
		for _, m := range subjectLine.FindAllStringSubmatch(text[:min(len(text), maxAttachText)], 32) {
			w.addCandidates(source, PasswordCandidates(message.DecodeWords(strings.ReplaceAll(m[1], "\n", ""))))
		}
	}
	shown, asWritten := markupText(typ, text)
	w.addCandidates(source, PasswordCandidates(shown))
	if asWritten {
		w.addCandidates(source, PasswordCandidates(text))
	}
}

// subjectLine is a Subject header field with its folded lines.
var subjectLine = regexp.MustCompile(`(?im)^subject:[ \t]*([^\r\n]*(?:\r?\n[ \t][^\r\n]*)*)`)

// packageText is the text of a zip's members that want picks (at most
// maxODFEntries looked at, no encrypted one), read from the package before
// unpack opens it: the password for an archive opened earlier may be in a
// document or a zip attached after it. At most maxAttachText bytes come out.
func packageText(b []byte, want func(name string) bool) string {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return ""
	}
	var out strings.Builder
	for i, f := range zr.File {
		if i == maxODFEntries || out.Len() >= maxAttachText {
			break
		}
		if f.Flags&1 != 0 || !want(f.Name) {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			continue
		}
		io.Copy(&out, io.LimitReader(rc, int64(maxAttachText-out.Len())))
		rc.Close()
		out.WriteByte('\n')
	}
	return out.String()
}

// tarText is packageText for a tar archive: the members want picks (every
// name each has; at most maxODFEntries looked at).
func tarText(b []byte, want func(name string) bool) string {
	var out strings.Builder
	for i, e := range tarWalk(b) {
		if i == maxODFEntries || out.Len() >= maxAttachText {
			break
		}
		picked := false
		for _, n := range e.names {
			picked = want(n) || picked // each name is read as a file name too
		}
		if !picked || e.data < 0 || e.size < 0 || e.data > len(b) {
			continue
		}
		end := min(e.data+e.size, len(b), e.data+maxAttachText-out.Len())
		out.Write(b[e.data:end])
		out.WriteByte('\n')
	}
	return out.String()
}

// isOfficeText: an Office or OpenDocument package's text parts (a Word
// body, headers and footers, slides, a workbook's strings, content.xml).
func isOfficeText(n string) bool {
	return n == "content.xml" || n == "word/document.xml" || n == "xl/sharedStrings.xml" ||
		strings.HasPrefix(n, "word/header") || strings.HasPrefix(n, "word/footer") || strings.HasPrefix(n, "ppt/slides/slide")
}

// zipTextMember picks the members of a plain zip that may say a password:
// text, pages and mail (password.txt, readme.html, the forwarded .eml).
// Every member's name is read as a file name is.
func (w *walker) zipTextMember(name string) bool {
	w.addCandidates("filename", nameCandidates(baseName(name)))
	switch strings.ToLower(path.Ext(name)) {
	case ".txt", ".text", ".htm", ".html", ".eml", ".md", ".csv":
		return true
	}
	return false
}

// nameCandidates reads a file name as a sentence: "Invoice_PW_4471.zip" and
// "doc (pass 1234).zip" say the password.
func nameCandidates(name string) []string {
	if name == "" {
		return nil
	}
	stem := strings.TrimSuffix(name, path.Ext(name))
	spaced := strings.Map(func(r rune) rune {
		if r == '_' || r == '-' || r == '.' || r == '+' {
			return ' '
		}
		return r
	}, stem)
	return append(PasswordCandidates(spaced), PasswordCandidates(stem)...)
}

// markupText is the text of a part of type typ as its reader sees it: a
// page's as Chromium draws it (showntext.Lines: a password hidden from the
// reader is no password, decoy text hidden inside the password does not
// break it, "Pass<span>word</span>" reads "Password", one drawn only by
// the page's styles counts), an Office XML part's as the office suite
// shows it (showntext.XML), anything else as written. asWritten: the text
// as written is what a reader sees too (plain text that starts like
// markup, a zip's text members read together).
func markupText(typ, text string) (shown string, asWritten bool) {
	start := strings.ToLower(text[:min(len(text), 1024)])
	switch {
	case strings.Contains(typ, "html") || strings.Contains(start, "<html") || strings.Contains(start, "<!doctype html"):
		return showntext.Lines([]byte(text), maxTextScanned), false
	case strings.Contains(typ, "xml") || strings.HasPrefix(strings.TrimSpace(start), "<?xml"):
		return showntext.XML([]byte(text), maxTextScanned), false
	case strings.HasPrefix(strings.TrimSpace(text), "<"):
		return showntext.Lines([]byte(text), maxTextScanned), true
	}
	return text, false
}

// passwordWords mark a password nearby. Short ASCII ones must stand alone.
var passwordWords = []string{
	"password", "passwort", "kennwort", "mot de passe", "contraseña", "contrasena", "clave", "senha",
	"wachtwoord", "parola", "hasło", "haslo", "heslo", "jelszó", "lösenord", "adgangskode", "passord",
	"salasana", "şifre", "sifre", "parolă", "mật khẩu", "kata sandi", "пароль", "κωδικός",
	"pwd", "pw", "pass", "pin",
	"パスワード", "暗証番号", "密码", "密碼", "口令", "비밀번호", "암호", "รหัสผ่าน", "كلمة المرور", "סיסמה",
}

// fillers may stand between the word and the password ("the password for
// the archive is", "das Passwort für die Datei lautet", "la contraseña del
// archivo es", "hasło do pliku to", "пароль от архива").
var fillers = map[string]bool{
	"is": true, "ist": true, "lautet": true, "est": true, "es": true, "é": true, "è": true, "to": true,
	"jest": true, "är": true, "er": true, "on": true, "olarak": true,
	"open": true, "the": true, "file": true, "for": true, "archive": true, "attachment": true, "document": true,
	"zip": true, "rar": true, "7z": true, "pdf": true, "of": true, "this": true, "your": true, "our": true, "below": true,
	"de": true, "la": true, "el": true, "le": true, "du": true, "des": true, "fichier": true, "pour": true, "ouvrir": true,
	"für": true, "die": true, "das": true, "der": true, "datei": true, "zum": true, "öffnen": true, "anhang": true, "archiv": true,
	"del": true, "archivo": true, "para": true, "abrir": true, "adjunto": true,
	"do": true, "da": true, "arquivo": true, "anexo": true,
	"het": true, "voor": true, "van": true, "bestand": true, "bijlage": true,
	"per": true, "aprire": true, "il": true, "d'ordine": true, "d’ordine": true, "dell'archivio": true,
	"pliku": true, "archiwum": true, "załącznika": true,
	"от": true, "для": true, "к": true, "архива": true, "файла": true, "файлу": true, "вложения": true, "—": true,
	"は": true, "是": true, "为": true, "為": true, "：": true, ":": true, "=": true, "-": true, "–": true,
	"는": true, "은": true, "->": true, "=>": true, "→": true, "⇒": true, "➜": true, "»": true, ">": true, "::": true,
}

var quotePairs = map[rune]rune{'"': '"', '\'': '\'', '“': '”', '‘': '’', '«': '»', '„': '“',
	'「': '」', '『': '』', '【': '】', '《': '》', '`': '`', '〈': '〉', '（': '）', '(': ')', '[': ']'}

// visibleText is text as a reader sees it, for the passwords it shows:
// zero-width and other format characters dropped, full-width and other
// compatibility forms folded (urls.Visible), and digits of other scripts
// (Arabic-Indic, Devanagari...) read as the ASCII digits a reader types.
func visibleText(text string) string {
	v := urls.Visible(text)
	return strings.Map(func(r rune) rune {
		if r > unicode.MaxASCII && unicode.IsDigit(r) {
			if d := digitValue(r); d >= 0 {
				return '0' + rune(d)
			}
		}
		return r
	}, v)
}

// digitValue is the value of a decimal digit rune (Nd), -1 for another:
// Unicode lays out each script's digits ten in a row from zero, and the
// ranges of Go's Nd table start at a zero.
func digitValue(r rune) int {
	for _, g := range unicode.Nd.R16 {
		if rune(g.Lo) <= r && r <= rune(g.Hi) {
			return int(r-rune(g.Lo)) % 10
		}
	}
	for _, g := range unicode.Nd.R32 {
		if rune(g.Lo) <= r && r <= rune(g.Hi) {
			return int(r-rune(g.Lo)) % 10
		}
	}
	return -1
}

// PasswordCandidates returns words and phrases that text offers as a
// password: quoted after a password word, after a colon, after "is" and
// similar fillers, or on the next line when the word ends its line.
// Best guesses come first; the list is short and free of duplicates.
func PasswordCandidates(text string) []string {
	var out []string
	seen := map[string]bool{}
	var addOne func(s string)
	add := func(s string) {
		// A password may end in "!" or "."; a sentence usually does: try both.
		t := trimCandidate(s)
		addOne(t)
		addOne(strings.Trim(strings.TrimSpace(s), "\"'`"))
		addOne(latinLookalike(t))
	}
	addOne = func(s string) {
		if s == "" || seen[s] || utf8.RuneCountInString(s) > maxPasswordLen || len(out) >= maxPerText {
			return
		}
		for _, r := range s {
			if unicode.IsControl(r) {
				return
			}
		}
		seen[s] = true
		out = append(out, s)
	}
	if len(text) > maxTextScanned {
		text = strings.ToValidUTF8(text[:maxTextScanned], "")
	}
	// What the reader sees first, then the text as written when it differs.
	full := func() bool { return len(out) >= maxPerText }
	v := visibleText(strings.ToValidUTF8(text[:min(len(text), maxVisibleText)], ""))
	if len(v) > maxTextScanned {
		v = strings.ToValidUTF8(v[:maxTextScanned], "") // NFKC may lengthen it 18 times
	}
	textCandidates(v, add, full)
	if v != text {
		textCandidates(text, add, full)
	}
	return out
}

// latinLookalike is s with each letter or digit that only looks Latin
// (Cyrillic "А", Greek "Ο", ...) replaced by the ASCII one it looks like, in
// its case: the reader types what he sees. "" when s has none, or when a
// letter of another script looks like no ASCII character (a Russian
// password stays Russian).
func latinLookalike(s string) string {
	if isASCII(s) {
		return ""
	}
	var b strings.Builder
	for _, r := range s {
		if r < utf8.RuneSelf {
			b.WriteRune(r)
			continue
		}
		sk := urls.Skeleton(string(r))
		if len(sk) != 1 || !('a' <= sk[0] && sk[0] <= 'z' || '0' <= sk[0] && sk[0] <= '9') {
			return ""
		}
		c := rune(sk[0])
		if unicode.IsUpper(r) {
			c = unicode.ToUpper(c)
		}
		b.WriteRune(c)
	}
	return b.String()
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// lowerInPlace is s in lower case, letter for letter: a letter whose lower
// case is longer or shorter in UTF-8 (İ) stays as it is, so that offsets
// into the result are offsets into s.
func lowerInPlace(s string) string {
	return strings.Map(func(r rune) rune {
		if l := unicode.ToLower(r); utf8.RuneLen(l) == utf8.RuneLen(r) {
			return l
		}
		return r
	}, s)
}

// textCandidates offers what one reading of a text says after each
// password word.
func textCandidates(text string, add func(string), full func() bool) {
	hits := 0 // password words read after: a text repeating one costs no more than this
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i, line := range lines {
		lower := lowerInPlace(line)
		for _, word := range passwordWords {
			for off := 0; !full() && off < len(lower); {
				j := strings.Index(lower[off:], word)
				if j < 0 {
					break
				}
				start, end := off+j, off+j+len(word)
				off = end
				if !standsAlone(lower, start, end, word) {
					continue
				}
				if hits++; hits > maxWordHits {
					return
				}
				rest := line[min(end, len(line)):]
				if len(rest) > 200 {
					rest = strings.ToValidUTF8(rest[:200], "")
				}
				if strings.Trim(rest, " \t:：=-】」』)]）") == "" {
					// "Password:" alone: the password is on the next non-empty line.
					for _, next := range lines[i+1 : min(i+3, len(lines))] {
						if t := strings.TrimSpace(next); t != "" {
							addAfter(t, add)
							break
						}
					}
					continue
				}
				addAfter(rest, add)
			}
		}
	}
}

// standsAlone wants ASCII words bounded by non-letters, so "pw" does not match
// inside "upward" and "pass" not inside "passage"; "password" still matches
// inside "Password123:" only as a word.
func standsAlone(s string, start, end int, word string) bool {
	if word[0] >= 0x80 {
		return true
	}
	if start > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:start])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	if end < len(s) {
		r, _ := utf8.DecodeRuneInString(s[end:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// addAfter offers what follows a password word: quoted strings first, then
// the token after a colon, then the first token after fillers.
func addAfter(rest string, add func(string)) {
	for _, q := range quoted(rest) {
		add(q)
	}
	if i := strings.IndexAny(rest, ":：="); i >= 0 {
		after := strings.TrimSpace(rest[i+len(string([]rune(rest[i:])[0])):])
		if f := strings.Fields(after); len(f) > 0 {
			addToken(f[0], add)
			addSpaced(f, add)
			if len(f) > 1 && len(f) <= 4 {
				add(after)
			}
		}
	}
	fields := strings.Fields(splitCJKParticles(rest))
	for i, f := range fields {
		if fillers[strings.ToLower(strings.Trim(f, ":：,"))] {
			continue
		}
		addToken(f, add)
		addSpaced(fields[i:], add)
		break
	}
}

// addSpaced adds a password written spaced out, "1 2 3 4" or "7h 3x": the
// leading fields of one or two characters joined, when there are several.
func addSpaced(fields []string, add func(string)) {
	n := 0
	for n < len(fields) && n < maxPasswordLen && utf8.RuneCountInString(fields[n]) <= 2 {
		n++
	}
	if n >= 2 {
		add(strings.Join(fields[:n], ""))
	}
}

// splitCJKParticles separates "は" or "是" glued to the password, as in
// "パスワードはabc123です" or "密码是1234".
func splitCJKParticles(s string) string {
	for _, p := range []string{"は", "是", "为", "為", "는", "은", "：", ":"} {
		if strings.HasPrefix(s, p) {
			return p + " " + s[len(p):]
		}
	}
	return s
}

// addToken adds a token and, when an ASCII password runs into Japanese or
// Chinese text ("abc123です"), its ASCII head.
func addToken(tok string, add func(string)) {
	// "pw→7h3x", "password:=x": an arrow or sign glued to the password.
	if t := strings.TrimLeft(tok, "→⇒➜>=:："); t != "" {
		tok = t
	}
	add(tok)
	for i, r := range tok {
		if r >= 0x2E80 && i > 0 {
			add(tok[:i])
			break
		}
	}
}

func quoted(s string) []string {
	var out []string
	rs := []rune(s)
	for i := 0; i < len(rs); i++ {
		closeR, ok := quotePairs[rs[i]]
		if !ok {
			continue
		}
		for j := i + 1; j < len(rs) && j-i <= maxPasswordLen+1; j++ {
			if rs[j] == closeR {
				if j > i+1 {
					out = append(out, string(rs[i+1:j]))
				}
				i = j
				break
			}
		}
	}
	return out
}

// trimCandidate drops surrounding quotes and sentence punctuation.
func trimCandidate(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimRight(s, ".,;!?。、，；！？)]}>»”’」』】）")
	s = strings.TrimLeft(s, "([{<«“‘「『【（")
	s = strings.Trim(s, "\"'`")
	return strings.TrimSpace(s)
}
