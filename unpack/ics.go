package unpack

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/kensa-milter/kensa/message"
)

// iCalendar (RFC 5545): an invitation or an .ics file may carry files
// inline, as ATTACH properties with ENCODING=BASE64 and VALUE=BINARY, which
// Outlook shows as the attachments of the meeting (it writes them so when
// it saves a calendar with its attachments). Each such property becomes a
// member named by its X-FILENAME (Outlook), FILENAME or X-APPLE-FILENAME
// parameter, else "attachment-N". ATTACH properties holding a URI are
// links, read with the part's other text.

// calendarKind opens a part that reads as an iCalendar object.
var calendarKind = kind{"ics", nil, openCalendar}

// maxCalendarAttach bounds the ATTACH properties read from one calendar.
const maxCalendarAttach = 256

// isCalendar: the part starts (after a byte-order mark and blank lines)
// with BEGIN:VCALENDAR, in any case, as calendar readers accept it.
func isCalendar(p *message.Part) bool {
	b := bytes.TrimLeft(p.Content[:min(len(p.Content), 64)], "\xEF\xBB\xBF \t\r\n")
	return len(b) >= 15 && strings.EqualFold(string(b[:15]), "BEGIN:VCALENDAR")
}

func openCalendar(c *container) error {
	n := 0
	for line := range calendarLines(c.part.Content) {
		name, params, value, ok := calendarProperty(line)
		if !ok || !strings.EqualFold(name, "ATTACH") {
			continue
		}
		if !strings.EqualFold(params["ENCODING"], "BASE64") && !strings.EqualFold(params["VALUE"], "BINARY") {
			continue // a URI
		}
		if n++; n > maxCalendarAttach {
			return fmt.Errorf("calendar: more than %d inline attachments", maxCalendarAttach)
		}
		// Padding or none, as calendar writers differ.
		data, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(stripSpace(value), "="))
		if err != nil {
			return fmt.Errorf("calendar: attachment %d: %w", n, err)
		}
		file := cmp.Or(params["X-FILENAME"], params["FILENAME"], params["X-APPLE-FILENAME"], fmt.Sprintf("attachment-%d", n))
		if _, err := c.member(file, bytes.NewReader(data), int64(len(value))); err != nil {
			return err
		}
	}
	return nil
}

// calendarLines yields the content lines of an iCalendar object, unfolded:
// a line break followed by a space or a tab continues the line (RFC 5545
// 3.1).
func calendarLines(b []byte) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		var cur []byte
		for line := range bytes.Lines(b) {
			line = bytes.TrimRight(line, "\r\n")
			if len(line) > 0 && (line[0] == ' ' || line[0] == '\t') {
				cur = append(cur, line[1:]...)
				continue
			}
			if len(cur) > 0 && !yield(string(cur)) {
				return
			}
			cur = append(cur[:0], line...)
		}
		if len(cur) > 0 {
			yield(string(cur))
		}
	}
}

// calendarProperty splits a content line, name *(";" param) ":" value,
// with parameter names upper-cased and quoted values unquoted.
func calendarProperty(line string) (name string, params map[string]string, value string, ok bool) {
	params = map[string]string{}
	i := strings.IndexAny(line, ";:")
	if i < 0 {
		return "", nil, "", false
	}
	name = line[:i]
	for line[i] == ';' {
		line = line[i+1:]
		eq := strings.IndexByte(line, '=')
		if eq < 0 {
			return "", nil, "", false
		}
		key, rest := strings.ToUpper(line[:eq]), line[eq+1:]
		var val string
		if strings.HasPrefix(rest, `"`) {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				return "", nil, "", false
			}
			val, rest = rest[1:1+end], rest[2+end:]
		} else {
			end := strings.IndexAny(rest, ";:")
			if end < 0 {
				return "", nil, "", false
			}
			val, rest = rest[:end], rest[end:]
		}
		if _, seen := params[key]; !seen {
			params[key] = val
		}
		line = rest
		if line == "" {
			return "", nil, "", false
		}
		i = 0
	}
	if line[i] != ':' {
		return "", nil, "", false
	}
	return name, params, line[i+1:], true
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, s)
}
