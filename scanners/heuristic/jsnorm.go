package heuristic

import (
	"html"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// A light JavaScript normaliser for the HTML smuggling and protocol checks.
// It never runs the script: it rewrites the text the way obfuscators build
// it, so that "at"+"ob", window['Bl'+'ob'], String.fromCharCode(66,108,...),
// ['QUJD','REVG'].join('') and base64 split over variables read as what
// they spell. Each pass is linear and the number of passes is fixed.

// maxJS bounds the script text normalised per part.
const maxJS = 1 << 20

var (
	// jsLitConcat is two string literals joined by +.
	jsLitConcat = regexp.MustCompile(`("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')\s*\+\s*("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')`)
	jsFromChar  = regexp.MustCompile(`(?i)String\s*\.\s*fromCharCode\s*\(\s*((?:0x[0-9a-f]+|\d+)(?:\s*,\s*(?:0x[0-9a-f]+|\d+))*)\s*\)`)
	jsArrayJoin = regexp.MustCompile(`\[\s*((?:(?:"[^"\\\n]*"|'[^'\\\n]*')\s*,\s*)*(?:"[^"\\\n]*"|'[^'\\\n]*'))\s*\]\s*\.\s*join\s*\(\s*(?:""|'')\s*\)`)
	jsBracket   = regexp.MustCompile(`\[\s*("[A-Za-z_$][\w$]{0,64}"|'[A-Za-z_$][\w$]{0,64}')\s*\]`)
	// jsAssign is `var|let|const name = literal` or `name = literal`.
	jsAssign = regexp.MustCompile(`(?:\b(?:var|let|const)\s+|[;{}\n]\s*)([A-Za-z_$][\w$]{0,64})\s*=\s*("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')\s*[;,\n]`)
	// jsAliasIdent is `var name = window.atob;` / `= Blob;` style aliases of a global.
	jsAliasIdent = regexp.MustCompile(`\b(?:var|let|const)\s+([A-Za-z_$][\w$]{0,64})\s*=\s*(?:(?:window|self|globalThis|this)\s*\.\s*)?(atob|Blob|URL|Uint8Array|fromCharCode|createObjectURL|msSaveOrOpenBlob)\s*;`)
	jsIdent      = regexp.MustCompile(`[A-Za-z_$][\w$]{0,64}`)
)

// NormalizeJS rewrites obfuscated string building in s.
func NormalizeJS(s string) string {
	if len(s) > maxJS {
		s = strings.ToValidUTF8(s[:maxJS], "")
	}
	for pass := 0; pass < 3; pass++ {
		if len(s) > 2*maxJS {
			s = strings.ToValidUTF8(s[:2*maxJS], "")
		}
		// Each expression needs a word or character the text may lack;
		// looking for it first spares a full scan of a long script.
		if containsLower([]byte(s), "fromcharcode") {
			s = jsFromChar.ReplaceAllStringFunc(s, func(m string) string {
				args := jsFromChar.FindStringSubmatch(m)[1]
				var sb strings.Builder
				for _, a := range strings.Split(args, ",") {
					v, err := strconv.ParseInt(strings.TrimSpace(strings.ToLower(a)), 0, 32)
					if err != nil || v < 0 || v > utf8.MaxRune {
						return m
					}
					sb.WriteRune(rune(v))
				}
				return strconv.Quote(sb.String())
			})
		}
		if strings.Contains(s, "join") {
			s = jsArrayJoin.ReplaceAllStringFunc(s, func(m string) string {
				inner := jsArrayJoin.FindStringSubmatch(m)[1]
				var sb strings.Builder
				for _, lit := range jsStringLits(inner) {
					sb.WriteString(lit)
				}
				return strconv.Quote(sb.String())
			})
		}
		s = joinLiterals(s)
		if strings.IndexByte(s, '[') >= 0 {
			s = jsBracket.ReplaceAllStringFunc(s, func(m string) string {
				n := jsBracket.FindStringSubmatch(m)[1]
				return "." + n[1:len(n)-1]
			})
		}
		s = resolveAliases(s)
	}
	return s
}

// joinLiterals merges "a" + 'b' into "ab", repeatedly, decoding escapes.
func joinLiterals(s string) string {
	if !quoteAround(s, '+', true) {
		return s
	}
	for i := 0; i < 16 && jsLitConcat.MatchString(s); i++ {
		s = jsLitConcat.ReplaceAllStringFunc(s, func(m string) string {
			g := jsLitConcat.FindStringSubmatch(m)
			return strconv.Quote(jsUnquote(g[1]) + jsUnquote(g[2]))
		})
	}
	return s
}

// resolveAliases puts literal values in place of the variables that hold
// them, and global names in place of their aliases, outside assignments.
func resolveAliases(s string) string {
	lits := map[string]string{}
	var assigns [][]string
	if quoteAround(s, '=', false) {
		assigns = jsAssign.FindAllStringSubmatch(s, 2000)
	}
	for _, m := range assigns {
		if _, dup := lits[m[1]]; dup {
			lits[m[1]] = "" // assigned twice: not a constant
			continue
		}
		lits[m[1]] = m[2]
	}
	globals := map[string]string{}
	for _, m := range jsAliasIdent.FindAllStringSubmatch(s, 200) {
		globals[m[1]] = m[2]
	}
	if len(lits) == 0 && len(globals) == 0 {
		return s
	}
	var sb strings.Builder
	last := 0
	for _, loc := range jsIdent.FindAllStringIndex(s, -1) {
		name := s[loc[0]:loc[1]]
		if loc[0] > 0 && (isIdentByte(s[loc[0]-1]) || s[loc[0]-1] == '.' || s[loc[0]-1] == '"' || s[loc[0]-1] == '\'') {
			continue // part of a longer name, a property, or inside a literal's edge
		}
		if isAssignTarget(s, loc[1]) {
			continue
		}
		v, ok := globals[name]
		if !ok {
			if l := lits[name]; l != "" {
				v, ok = l, true
			}
		}
		if !ok || sb.Len()+len(v) > 2*maxJS { // substitution must not blow the text up
			continue
		}
		sb.WriteString(s[last:loc[0]])
		sb.WriteString(v)
		last = loc[1]
	}
	sb.WriteString(s[last:])
	return sb.String()
}

// quoteAround says whether s has op with a quote after it (spaces
// between), and with before also one before it: what jsLitConcat ("a" +
// "b") and jsAssign (x = "a") need to match at all. A byte scan is far
// cheaper than those expressions over a long script.
func quoteAround(s string, op byte, before bool) bool {
	for i := 0; i < len(s); i++ {
		k := strings.IndexByte(s[i:], op)
		if k < 0 {
			return false
		}
		i += k
		j := i + 1
		for j < len(s) && isJSSpace(s[j]) {
			j++
		}
		if j >= len(s) || s[j] != '"' && s[j] != '\'' {
			continue
		}
		if !before {
			return true
		}
		j = i - 1
		for j >= 0 && isJSSpace(s[j]) {
			j--
		}
		if j >= 0 && (s[j] == '"' || s[j] == '\'') {
			return true
		}
	}
	return false
}

func isJSSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// isAssignTarget: the identifier ending at end is followed by "=" (not "==").
func isAssignTarget(s string, end int) bool {
	for end < len(s) && (s[end] == ' ' || s[end] == '\t') {
		end++
	}
	return end < len(s) && s[end] == '=' && (end+1 >= len(s) || s[end+1] != '=')
}

// jsStringLits returns the unquoted values of the literals in s.
func jsStringLits(s string) []string {
	var out []string
	for i := 0; i < len(s); i++ {
		q := s[i]
		if q != '"' && q != '\'' {
			continue
		}
		j := i + 1
		for j < len(s) && s[j] != q {
			if s[j] == '\\' {
				j++
			}
			j++
		}
		if j >= len(s) {
			break
		}
		out = append(out, jsUnquote(s[i:j+1]))
		i = j
	}
	return out
}

// jsUnquote decodes a JavaScript string literal (quotes included).
func jsUnquote(lit string) string {
	body := lit[1 : len(lit)-1]
	if !strings.Contains(body, `\`) {
		return body
	}
	var sb strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' || i+1 >= len(body) {
			sb.WriteByte(c)
			continue
		}
		i++
		switch e := body[i]; e {
		case 'x':
			if v, err := strconv.ParseUint(body[i+1:min(i+3, len(body))], 16, 8); err == nil && i+3 <= len(body) {
				sb.WriteRune(rune(v))
				i += 2
				continue
			}
			sb.WriteByte(e)
		case 'u':
			if v, err := strconv.ParseUint(body[i+1:min(i+5, len(body))], 16, 16); err == nil && i+5 <= len(body) {
				sb.WriteRune(rune(v))
				i += 4
				continue
			}
			sb.WriteByte(e)
		case 'n':
			sb.WriteByte('\n')
		case 't':
			sb.WriteByte('\t')
		default:
			sb.WriteByte(e)
		}
	}
	return sb.String()
}

// decodeRefs reads text as a browser or Office would before acting on a
// link: HTML character references, CSS escapes (\2d, \000073 ) and
// JavaScript escapes (\x2d, \u002d) decoded.
func decodeRefs(s string) string {
	if strings.Contains(s, "&") {
		s = html.UnescapeString(s)
	}
	if !strings.Contains(s, `\`) {
		return s
	}
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 >= len(s) {
			sb.WriteByte(c)
			continue
		}
		j := i + 1
		switch {
		case s[j] == 'x' && j+3 <= len(s):
			if v, err := strconv.ParseUint(s[j+1:j+3], 16, 8); err == nil {
				sb.WriteRune(rune(v))
				i = j + 2
				continue
			}
		case s[j] == 'u' && j+5 <= len(s):
			if v, err := strconv.ParseUint(s[j+1:j+5], 16, 16); err == nil {
				sb.WriteRune(rune(v))
				i = j + 4
				continue
			}
		}
		k := j // CSS: one to six hex digits and an optional space
		for k < len(s) && k-j < 6 && isHex(s[k]) {
			k++
		}
		if k > j {
			v, _ := strconv.ParseUint(s[j:k], 16, 32)
			if v > 0 && v <= utf8.MaxRune {
				sb.WriteRune(rune(v))
				if k < len(s) && s[k] == ' ' {
					k++
				}
				i = k - 1
				continue
			}
		}
		sb.WriteByte(c)
	}
	return sb.String()
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
