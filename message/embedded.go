package message

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/kensa-milter/kensa/filetype"
)

// Encodings inside bodies that mail clients still decode: a text part
// holding a uuencoded block ("begin 644 name"), a yEnc block ("=ybegin")
// or a BinHex 4.0 file is shown by Outlook, Thunderbird or Apple Mail as
// an attachment, so each file found is a part of its own below the text
// part, which becomes a container. A TNEF part (winmail.dat) is opened
// the same way (tnef.go).

// Bounds on embedded files.
const (
	maxEmbedded = 50 // files decoded from one part
)

// embeddedFile is one file decoded from inside a part.
type embeddedFile struct {
	name string
	data []byte
	bad  int // lines or checks that had to be repaired
}

// ReasonEmbedded is the defect of an embedded file that decoded with repairs.
const ReasonEmbedded = "embedded-defect"

// embedded adds the files encoded inside part as its children.
func (ps *parser) embedded(part *Part) {
	var files []embeddedFile
	kind := ""
	switch {
	case isTNEF(part):
		kind = "tnef"
		var err error
		files, err = decodeTNEF(part.Content)
		if err != nil {
			ps.problem(Problem{Part: part.Path, Reason: ReasonUndecodable, Unscannable: true, Detail: clip("winmail.dat: " + err.Error())})
		}
	case strings.HasPrefix(part.DeclaredType, "text/") || part.DetectedType == filetype.Text:
		c := part.Content
		if hasLinePrefix(c, "begin") {
			kind = "uuencode"
			files = uudecodeAll(c, maxEmbedded)
		}
		if bytes.Contains(c, []byte("=ybegin ")) {
			kind = "yenc"
			files = append(files, ydecodeAll(c, maxEmbedded)...)
		}
		if bytes.Contains(c, []byte("BinHex")) {
			if f, ok := binhexDecode(c); ok {
				kind = "binhex"
				files = append(files, f)
			}
		}
	}
	if len(files) == 0 {
		return
	}
	part.Container = true
	for i, f := range files {
		if i >= maxEmbedded {
			ps.problem(Problem{Part: part.Path, Reason: ReasonLimitParts, Unscannable: true,
				Detail: fmt.Sprintf("more than %d files encoded in one part", maxEmbedded)})
			return
		}
		// Numbered like the parts of a forwarded message: the name is
		// the sender's and goes into Filename only.
		child := &Part{
			Path:         part.Path + "/" + strconv.Itoa(i+1),
			Filename:     f.name,
			DeclaredType: typeByName(f.name),
			Content:      f.data,
			DetectedType: filetype.Detect(f.data),
			Depth:        part.Depth + 1,
		}
		if cut := cutAtControl(f.name); cut != f.name {
			child.AltNames = []string{cut}
		}
		if f.bad > 0 {
			ps.problem(Problem{Part: child.Path, Reason: ReasonDefect, Detail: fmt.Sprintf("%s: %d damaged lines or checks", kind, f.bad)})
		}
		if !ps.add(child) {
			return
		}
	}
}

// typeByName is the declared type of an embedded file: TNEF's bodies by
// the names decodeTNEF gives them, anything else application/octet-stream.
func typeByName(name string) string {
	switch name {
	case "body.txt":
		return filetype.Text
	case "body.html":
		return filetype.HTML
	case "body.rtf":
		return filetype.RTF
	}
	return filetype.Binary
}

// hasLinePrefix says whether a line of b starts with p.
func hasLinePrefix(b []byte, p string) bool {
	for i := 0; i < len(b); {
		j := bytes.Index(b[i:], []byte(p))
		if j < 0 {
			return false
		}
		if at := i + j; at == 0 || b[at-1] == '\n' || b[at-1] == '\r' {
			return true
		}
		i += j + 1
	}
	return false
}

// lines calls f with each line of b, without its line break, until f
// returns false.
func lines(b []byte, f func(line []byte) bool) {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		line := b
		if i >= 0 {
			line, b = b[:i], b[i+1:]
		} else {
			b = nil
		}
		if !f(bytes.TrimRight(line, "\r")) {
			return
		}
	}
}

// uudecodeAll decodes up to max uuencoded blocks in b: "begin MODE NAME"
// (MODE in octal), lines, then "end"; also "begin-base64 MODE NAME" with
// base64 lines up to "====" (sharutils' uuencode -m). A block without its
// end runs to the end of b.
func uudecodeAll(b []byte, max int) []embeddedFile {
	var out []embeddedFile
	var cur *embeddedFile
	b64mode := false
	var b64buf []byte
	finish := func() {
		if cur == nil {
			return
		}
		if b64mode {
			data, st := decodeBase64(b64buf)
			cur.data = data
			cur.bad += st.junk
		}
		out = append(out, *cur)
		cur, b64buf = nil, nil
	}
	lines(b, func(line []byte) bool {
		if cur == nil {
			name, isB64, ok := uuBegin(line)
			if ok {
				if len(out) >= max {
					return false
				}
				cur = &embeddedFile{name: name}
				b64mode = isB64
			}
			return true
		}
		t := bytes.TrimSpace(line)
		switch {
		case b64mode && string(t) == "====":
			finish()
		case b64mode:
			b64buf = append(append(b64buf, t...), '\n')
		case string(t) == "end":
			finish()
		default:
			data, ok := uuLine(line)
			if !ok {
				cur.bad++
			}
			cur.data = append(cur.data, data...)
		}
		return true
	})
	finish()
	return out
}

// uuBegin reads a "begin 644 name" or "begin-base64 644 name" line.
func uuBegin(line []byte) (name string, b64 bool, ok bool) {
	s := string(line)
	switch {
	case strings.HasPrefix(s, "begin-base64 "):
		s, b64 = s[len("begin-base64 "):], true
	case strings.HasPrefix(s, "begin "):
		s = s[len("begin "):]
	default:
		return "", false, false
	}
	s = strings.TrimLeft(s, " ")
	mode, name, found := strings.Cut(s, " ")
	if !found || len(mode) < 1 || len(mode) > 4 {
		return "", false, false
	}
	for _, c := range mode {
		if c < '0' || c > '7' {
			return "", false, false
		}
	}
	return trimASCIISpace(name), b64, true
}

// trimASCIISpace drops the spaces, tabs and line ends a writer puts around a
// name, and only those: a name ending in U+0085 or U+00A0 keeps it, as the
// client that decodes the file would.
func trimASCIISpace(s string) string {
	return strings.Trim(s, " \t\r\n\f\v")
}

// uuLine decodes one uuencoded line: a length character, then groups of
// four characters for three bytes. Backquote stands for zero, as space
// does. A short line is padded; ok is false when it was.
func uuLine(line []byte) ([]byte, bool) {
	if len(line) == 0 {
		return nil, true
	}
	n := int((line[0] - ' ') & 63)
	if n == 0 {
		return nil, true
	}
	if want := 1 + (n+2)/3*4; len(line) < want-2 || len(line) > want+2 {
		return nil, false // not a uuencoded line of that length
	}
	out := make([]byte, 0, n+2)
	ok := true
	body := line[1:]
	for i := 0; len(out) < n; i += 4 {
		var q [4]byte
		for j := 0; j < 4; j++ {
			if i+j < len(body) {
				q[j] = (body[i+j] - ' ') & 63
			} else {
				ok = false
			}
		}
		out = append(out, q[0]<<2|q[1]>>4, q[1]<<4|q[2]>>2, q[2]<<6|q[3])
		if i > len(body) {
			break
		}
	}
	if len(out) > n {
		out = out[:n]
	}
	return out, ok
}

// uudecodeLines decodes a body that is uuencoded lines without a begin
// line (Content-Transfer-Encoding: x-uuencode without a header).
func uudecodeLines(b []byte) (out []byte, bad int) {
	lines(b, func(line []byte) bool {
		if string(bytes.TrimSpace(line)) == "end" {
			return false
		}
		d, ok := uuLine(line)
		if !ok {
			bad++
		}
		out = append(out, d...)
		return true
	})
	return out, bad
}

// ydecodeAll decodes up to max yEnc blocks in b: "=ybegin ... name=NAME",
// an optional "=ypart" line, data lines, "=yend". Each byte is the
// character minus 42; "=" escapes the next, which is minus 64 more.
func ydecodeAll(b []byte, max int) []embeddedFile {
	var out []embeddedFile
	var cur *embeddedFile
	lines(b, func(line []byte) bool {
		if cur == nil {
			if bytes.HasPrefix(line, []byte("=ybegin ")) {
				if len(out) >= max {
					return false
				}
				name := ""
				if i := bytes.Index(line, []byte(" name=")); i >= 0 {
					name = trimASCIISpace(string(line[i+len(" name="):]))
				}
				cur = &embeddedFile{name: name}
			}
			return true
		}
		switch {
		case bytes.HasPrefix(line, []byte("=ypart ")):
		case bytes.HasPrefix(line, []byte("=yend")):
			out = append(out, *cur)
			cur = nil
		default:
			for i := 0; i < len(line); i++ {
				c := line[i]
				if c == '=' && i+1 < len(line) {
					i++
					c = line[i] - 64
				}
				cur.data = append(cur.data, c-42)
			}
		}
		return true
	})
	if cur != nil {
		cur.bad++ // no =yend
		out = append(out, *cur)
	}
	return out
}
