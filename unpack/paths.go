package unpack

import (
	"strings"
	"unicode"
)

const (
	maxSegment = 100 // runes per path segment
	maxName    = 240 // bytes of one member's path
)

// baseName is the last element of an archive member name, with either slash
// as separator. It is the declared name: not cleaned.
func baseName(name string) string {
	name = strings.TrimRight(name, `/\`)
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return name
}

// cleanName makes one name safe to show in a path: valid UTF-8, no control,
// format (bidi) or separator characters, capped length.
func cleanName(s string) string {
	var b strings.Builder
	n := 0
	for _, r := range strings.ToValidUTF8(s, "\uFFFD") {
		if n >= maxSegment {
			b.WriteString("…")
			break
		}
		switch {
		case r == '/' || r == '\\':
			r = '_'
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r):
			continue
		case unicode.IsSpace(r):
			r = ' '
		}
		b.WriteRune(r)
		n++
	}
	out := strings.TrimSpace(b.String())
	if out == "." || out == ".." {
		return "_"
	}
	return out
}

// cleanPath turns an archive member name into a relative path: "\" and "/"
// separate, "." and ".." and empty segments go, each segment is cleaned, and
// the whole is capped. An empty result becomes "_".
func cleanPath(name string) string {
	segs := strings.FieldsFunc(name, func(r rune) bool { return r == '/' || r == '\\' })
	out := make([]string, 0, len(segs))
	size := 0
	for _, s := range segs {
		s = cleanName(s)
		if strings.Trim(s, ". _") == "" { // "", ".", "..": never a step up
			continue
		}
		if size+len(s) > maxName {
			out = append(out, "…")
			break
		}
		out = append(out, s)
		size += len(s) + 1
	}
	if len(out) == 0 {
		return "_"
	}
	return strings.Join(out, "/")
}
