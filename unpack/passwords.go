package unpack

import (
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// candidate is a password to try and where it came from.
type candidate struct {
	text   string
	source string // "body", "subject", "config"
}

const (
	maxCandidates  = 64 // per message, all sources together
	maxPasswordLen = 64 // runes
	maxTextScanned = 1 << 20
	maxPerText     = 16
)

// candidates gathers the message's passwords once: body first, then the
// subject, then the configured list.
func (w *walker) candidates() []candidate {
	if w.pwDone {
		return w.pw
	}
	w.pwDone = true
	seen := map[string]bool{}
	add := func(text, source string) {
		if text == "" || seen[text] || len(w.pw) >= maxCandidates {
			return
		}
		seen[text] = true
		w.pw = append(w.pw, candidate{text, source})
	}
	for _, p := range w.m.Parts {
		if w.ours[p] || !strings.HasPrefix(p.DeclaredType, "text/") {
			continue
		}
		text := string(p.Content)
		if len(text) > maxTextScanned {
			text = text[:maxTextScanned]
		}
		if p.DeclaredType == "text/html" {
			text = htmlText(text)
		}
		for _, s := range PasswordCandidates(text) {
			add(s, "body")
		}
	}
	for _, s := range PasswordCandidates(w.m.Subject) {
		add(s, "subject")
	}
	for _, s := range w.config {
		add(s, "config")
	}
	return w.pw
}

var (
	htmlBreak = regexp.MustCompile(`(?i)<\s*(br|/p|/div|/tr|/li|/h[1-6])\b[^>]*>`)
	htmlTag   = regexp.MustCompile(`(?s)<[^>]*>`)
)

// htmlText is a rough rendering of HTML to text lines, enough to find
// "Password: x" in a formatted mail.
func htmlText(s string) string {
	s = htmlBreak.ReplaceAllString(s, "\n")
	s = htmlTag.ReplaceAllString(s, "")
	return html.UnescapeString(s)
}

// passwordWords mark a password nearby. Short ASCII ones must stand alone.
var passwordWords = []string{
	"password", "passwort", "kennwort", "mot de passe", "contraseña", "contrasena", "senha",
	"wachtwoord", "parola", "hasło", "heslo", "jelszó", "пароль", "pwd", "pw", "pass", "pin",
	"パスワード", "暗証番号", "密码", "密碼", "口令", "비밀번호", "암호",
}

// fillers may stand between the word and the password.
var fillers = map[string]bool{
	"is": true, "ist": true, "lautet": true, "est": true, "es": true, "é": true, "to": true,
	"open": true, "the": true, "file": true, "for": true, "archive": true, "attachment": true,
	"zip": true, "de": true, "la": true, "el": true, "du": true, "fichier": true,
	"は": true, "是": true, "为": true, "為": true, "：": true, ":": true, "=": true, "-": true, "->": true,
}

var quotePairs = map[rune]rune{'"': '"', '\'': '\'', '“': '”', '‘': '’', '«': '»', '„': '“',
	'「': '」', '『': '』', '【': '】', '《': '》', '`': '`', '〈': '〉', '（': '）', '(': ')', '[': ']'}

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
		addOne(trimCandidate(s))
		addOne(strings.Trim(strings.TrimSpace(s), "\"'`"))
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
	lines := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n")
	for i, line := range lines {
		lower := strings.ToLower(line)
		for _, word := range passwordWords {
			for off := 0; len(out) < maxPerText && off < len(lower); {
				j := strings.Index(lower[off:], word)
				if j < 0 {
					break
				}
				start, end := off+j, off+j+len(word)
				off = end
				if !standsAlone(lower, start, end, word) {
					continue
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
	return out
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
			if len(f) > 1 && len(f) <= 4 {
				add(after)
			}
		}
	}
	fields := strings.Fields(splitCJKParticles(rest))
	for _, f := range fields {
		if fillers[strings.ToLower(strings.Trim(f, ":：,"))] {
			continue
		}
		addToken(f, add)
		break
	}
}

// splitCJKParticles separates "は" or "是" glued to the password, as in
// "パスワードはabc123です" or "密码是1234".
func splitCJKParticles(s string) string {
	for _, p := range []string{"は", "是", "为", "為", "：", ":"} {
		if strings.HasPrefix(s, p) {
			return p + " " + s[len(p):]
		}
	}
	return s
}

// addToken adds a token and, when an ASCII password runs into Japanese or
// Chinese text ("abc123です"), its ASCII head.
func addToken(tok string, add func(string)) {
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
