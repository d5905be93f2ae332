package urls

import (
	"bytes"
	"io"
	"mime/quotedprintable"
	"strings"

	"github.com/kensa-milter/kensa/message"
)

// iCalendar (RFC 5545, and vCalendar 1.0 as older clients write it): the
// one reader of a calendar's content lines, shared with unpack (which
// takes the inline attachments and the event's text from them).

// CalendarProperty is one content line of an iCalendar object: its name
// upper-cased, its parameters (names upper-cased, quoted values unquoted,
// the first of a name given twice) and its value as written, unfolded.
type CalendarProperty struct {
	Name   string
	Params map[string]string
	Value  string
}

// EventText is the declared type unpack gives the text a calendar shows
// for its events (their summary, location and description, unescaped):
// what the reader reads as the invitation's body.
const EventText = "text/x-calendar-event"

// CalendarProperties yields the content lines of the iCalendar object b:
// folded lines joined (a line break followed by a space or a tab
// continues the line, RFC 5545 3.1), and a quoted-printable value's soft
// line breaks (a line ending in "=", vCalendar 1.0) joined with the lines
// they continue. Lines that are no property are skipped.
func CalendarProperties(b []byte) func(yield func(CalendarProperty) bool) {
	return func(yield func(CalendarProperty) bool) {
		var cur []byte
		qp := false // cur is a quoted-printable value cut by a soft line break
		flush := func() bool {
			if len(cur) == 0 {
				return true
			}
			p, ok := calendarProperty(string(cur))
			cur = cur[:0]
			return !ok || yield(p)
		}
		for line := range bytes.Lines(b) {
			line = bytes.TrimRight(line, "\r\n")
			switch {
			case len(line) > 0 && (line[0] == ' ' || line[0] == '\t'):
				cur = append(cur, line[1:]...)
				continue
			case qp: // the soft line break ("=" at the end) joins the lines
				cur = append(cur[:len(cur)-1], line...)
			default:
				if !flush() {
					return
				}
				cur = append(cur, line...)
			}
			qp = bytes.HasSuffix(cur, []byte("=")) && quotedPrintableLine(cur)
		}
		flush()
	}
}

// quotedPrintableLine: the content line declares ENCODING=QUOTED-PRINTABLE
// before its value.
func quotedPrintableLine(line []byte) bool {
	i := bytes.IndexByte(line, ':')
	return i > 0 && bytes.Contains(bytes.ToUpper(line[:i]), []byte("ENCODING=QUOTED-PRINTABLE"))
}

// calendarProperty splits a content line, name *(";" param) ":" value.
func calendarProperty(line string) (p CalendarProperty, ok bool) {
	p.Params = map[string]string{}
	i := strings.IndexAny(line, ";:")
	if i < 0 {
		return p, false
	}
	p.Name = strings.ToUpper(line[:i])
	for line[i] == ';' {
		line = line[i+1:]
		eq := strings.IndexByte(line, '=')
		if eq < 0 {
			return p, false
		}
		key, rest := strings.ToUpper(line[:eq]), line[eq+1:]
		var val string
		if strings.HasPrefix(rest, `"`) {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				return p, false
			}
			val, rest = rest[1:1+end], rest[2+end:]
		} else {
			end := strings.IndexAny(rest, ";:")
			if end < 0 {
				return p, false
			}
			val, rest = rest[:end], rest[end:]
		}
		if _, seen := p.Params[key]; !seen {
			p.Params[key] = val
		}
		line = rest
		if line == "" {
			return p, false
		}
		i = 0
	}
	if line[i] != ':' {
		return p, false
	}
	p.Value = line[i+1:]
	return p, true
}

// Binary: the property's value is a file inline (base64, or
// quoted-printable as vCalendar 1.0 writes it), not text or a URI.
func (p CalendarProperty) Binary() bool {
	return strings.EqualFold(p.Params["ENCODING"], "BASE64") || strings.EqualFold(p.Params["ENCODING"], "B") ||
		strings.EqualFold(p.Params["VALUE"], "BINARY")
}

// Text is the property's value as a calendar client shows it: a
// quoted-printable value decoded, the escapes of a TEXT value (\n, \N,
// \,, \; and \\) undone.
func (p CalendarProperty) Text() string {
	v := p.Value
	if strings.EqualFold(p.Params["ENCODING"], "QUOTED-PRINTABLE") {
		if b, err := io.ReadAll(quotedprintable.NewReader(strings.NewReader(v))); err == nil || len(b) > 0 {
			v = string(b)
		}
	}
	if !strings.Contains(v, `\`) {
		return v
	}
	return calendarEscapes.Replace(v)
}

var calendarEscapes = strings.NewReplacer(`\n`, "\n", `\N`, "\n", `\,`, ",", `\;`, ";", `\\`, `\`)

// calendarURIs are the properties whose value is a URI a calendar client
// opens: the event's link, an attachment by reference, a conference's
// join link, an image.
var calendarURIs = map[string]bool{"URL": true, "ATTACH": true, "CONFERENCE": true, "IMAGE": true, "X-MICROSOFT-SKYPETEAMSMEETINGURL": true,
	"X-GOOGLE-CONFERENCE": true}

// calendar reads an iCalendar part as a calendar client shows it: each
// property's value unescaped; a URI property's value (URL, ATTACH by
// reference, CONFERENCE, ...) is a link whatever its scheme (file://, a
// share's \\host\path, search-ms:), and URLs written in every other
// property's text (DESCRIPTION, LOCATION, ...) are links. Inline files
// (binary ATTACH) are unpack's members, read on their own.
func (c *collector) calendar(b []byte) {
	for p := range CalendarProperties(b) {
		if c.full() {
			return
		}
		if p.Binary() {
			continue
		}
		if alt := p.Params["ALTREP"]; alt != "" {
			c.add(alt, "", SourceICS) // the description's HTML, which a client may open
		}
		v := p.Text()
		if calendarURIs[p.Name] && strings.TrimSpace(v) != "" {
			c.add(v, "", SourceICS)
			if v != p.Value && strings.TrimSpace(p.Value) != "" {
				c.add(p.Value, "", SourceICS) // a client that does not unescape a URI
			}
			continue
		}
		c.text([]byte(v), SourceICS)
	}
}

// IsCalendar: p is an iCalendar part (an .ics invitation), by its
// declared type, its name or its first line.
func IsCalendar(p *message.Part) bool {
	b := p.Content
	return isCalendar(p, b[:min(len(b), MaxScanSize)])
}
