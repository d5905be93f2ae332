package disposition

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/scanners"
)

const (
	// HeaderVerdict and HeaderFindings are the fields Kensa adds to every
	// message it lets through (every X-Kensa-* field a message brings is
	// removed first).
	HeaderVerdict  = "X-Kensa-Verdict"
	HeaderFindings = "X-Kensa-Findings"

	maxLine        = 78   // RFC 5322's recommended line length, counted without CRLF
	maxHeaderValue = 2000 // X-Kensa-Findings before folding; the rest becomes "...+N more"
	maxItemLen     = 300  // one finding in a header: "scanner/ID (part path)"
	maxIDLen       = 100  // one name in the verdict header
)

// clean makes text that may come from the sender safe for a header value and
// at most limit bytes long (limit <= 0: no limit). Printable ASCII stays; other
// printable characters become %XX escapes of their UTF-8 bytes (and '%'
// itself becomes %25, so the escape is unambiguous); CR, LF, every other
// control and format character and invalid UTF-8 are dropped; runs of spaces
// become one space. Cut text ends in "...".
func clean(s string, limit int) string {
	var b strings.Builder
	space := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		raw := s[i : i+n]
		i += n
		var out string
		switch {
		case r == utf8.RuneError && n == 1:
			continue
		case r == ' ':
			space = b.Len() > 0
			continue
		case r == '%':
			out = "%25"
		case r > ' ' && r < 0x7f:
			out = raw
		case r >= 0x80 && unicode.IsPrint(r):
			for j := 0; j < len(raw); j++ {
				out += fmt.Sprintf("%%%02X", raw[j])
			}
		default:
			continue
		}
		if space {
			out = " " + out
			space = false
		}
		if limit > 0 && b.Len()+len(out) > limit {
			// Leave room for the marker; escapes are never split.
			cut := b.String()
			for len(cut)+3 > limit && len(cut) > 0 {
				cut = cut[:len(cut)-1]
			}
			for strings.Contains(cut[max(0, len(cut)-2):], "%") {
				cut = cut[:len(cut)-1]
			}
			return strings.TrimRight(cut, " ") + "..."
		}
		b.WriteString(out)
	}
	return b.String()
}

// fold breaks a clean value (printable ASCII, single spaces) into lines of at
// most maxLine characters, counting "Name: " on the first line. It folds at
// spaces (CRLF before the space, so unfolding restores the value exactly);
// a word too long for any line is split, which inserts a space into it.
func fold(name, value string) string {
	var b strings.Builder
	lineLen := len(name) + 2
	sep := false // a word is on the current line, so the next needs a space
	for _, w := range strings.Split(value, " ") {
		for w != "" {
			need := len(w)
			if sep {
				need++
			}
			if lineLen+need <= maxLine {
				if sep {
					b.WriteByte(' ')
				}
				b.WriteString(w)
				lineLen += need
				sep = true
				break
			}
			if sep {
				b.WriteString("\r\n ")
				lineLen, sep = 1, false
				continue
			}
			n := max(maxLine-lineLen, 1)
			b.WriteString(w[:n])
			b.WriteString("\r\n ")
			w = w[n:]
			lineLen = 1
		}
	}
	return b.String()
}

// cleanItems cleans list items for a header or a log line and drops empty
// ones and duplicates, keeping the first-seen order.
func cleanItems(items []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, it := range items {
		it = clean(it, maxItemLen)
		if it == "" || seen[it] {
			continue
		}
		seen[it] = true
		out = append(out, it)
	}
	return out
}

// headerValue is the value of a list header: items cleaned, duplicates
// dropped, the list capped at maxHeaderValue bytes with ", ...+N more", and
// folded for a field called name.
func headerValue(name string, items []string) string {
	uniq := cleanItems(items)
	var b strings.Builder
	for i, it := range uniq {
		add := it
		if i > 0 {
			add = ", " + it
		}
		more := ", ...+" + strconv.Itoa(len(uniq)-i) + " more"
		if i == 0 {
			more = "...+" + strconv.Itoa(len(uniq)) + " more"
		}
		// Keep room for the "more" marker unless this is the last item.
		limit := maxHeaderValue - len(more)
		if i == len(uniq)-1 {
			limit = maxHeaderValue
		}
		if b.Len()+len(add) > limit {
			b.WriteString(more)
			break
		}
		b.WriteString(add)
	}
	return fold(name, b.String())
}

// findingItems are findings in the compact form headers and logs use,
// "scanner/ID (part)" or "scanner/ID" for the whole message, not yet cleaned.
func findingItems(fs []scanners.Finding) []string {
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		it := f.Scanner + "/" + f.ID
		if f.Part != "" {
			it += " (" + f.Part + ")"
		}
		out = append(out, it)
	}
	return out
}

// verdictValue is the X-Kensa-Verdict value for a report, e.g.
// "tag; score=35; ref=abc" or "unscanned; reason=too-large; ref=abc".
func verdictValue(rep engine.Report, host string) string {
	v := rep.Verdict
	var parts []string
	if rep.Unscanned != "" {
		parts = append(parts, "unscanned", "reason="+clean(rep.Unscanned, maxIDLen))
		if v.Action != policy.Accept {
			parts = append(parts, "action="+v.Action.String())
		}
	} else {
		parts = append(parts, v.Action.String(), "score="+strconv.Itoa(v.Score))
	}
	parts = append(parts, "ref="+clean(v.Ref, maxIDLen))
	if v.Monitor {
		parts = append(parts, "monitor")
	}
	if v.Skipped != "" {
		parts = append(parts, "skipped="+clean(v.Skipped, maxIDLen))
	}
	if h := clean(host, maxIDLen); h != "" {
		parts = append(parts, "host="+h)
	}
	return fold(HeaderVerdict, strings.Join(parts, "; "))
}

// Items are findings as the log line lists them: "scanner/ID (part)",
// cleaned, without duplicates.
func Items(fs []scanners.Finding) []string { return cleanItems(findingItems(fs)) }
