package unpack

import (
	"bytes"
	"cmp"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"mime/quotedprintable"
	"regexp"
	"slices"
	"strings"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/showntext"
	"github.com/kensa-milter/kensa/urls"
)

// iCalendar (RFC 5545): an invitation or an .ics file may carry files
// inline, as ATTACH properties with ENCODING=BASE64 and VALUE=BINARY, which
// Outlook shows as the attachments of the meeting (it writes them so when
// it saves a calendar with its attachments), or quoted-printable as
// vCalendar 1.0 writes them. Each such property becomes a member named by
// its X-FILENAME (Outlook), FILENAME or X-APPLE-FILENAME parameter, else
// "attachment-N". ATTACH properties holding a URI are links, read with
// the part's other text (urls).
//
// What the invitation says is the calendar's text, not the mail's: a
// client shows each event's summary, location and description (folded
// lines joined, escapes undone) as the meeting's body, where a lure can
// stand ("review the shared contract", a renewal invoice with a number to
// call). That text becomes one more member, "event.txt", declared
// urls.EventText, which the checks that read a mail's body read as one.
// The content lines are read by urls.CalendarProperties, the one reader.

// calendarKind opens a part that reads as an iCalendar object.
var calendarKind = kind{"ics", nil, openCalendar}

// maxCalendarAttach bounds the ATTACH properties read from one calendar.
const maxCalendarAttach = 256

// maxEventText bounds the text of a calendar's events, in bytes.
const maxEventText = 256 << 10

// eventTextProps are the properties of an event a client shows, in the
// order it shows them (a property given more than once: each).
// X-ALT-DESC is Outlook's description in HTML, which Outlook shows in place
// of DESCRIPTION (a lure can stand there alone, DESCRIPTION empty).
var eventTextProps = []string{"SUMMARY", "LOCATION", "DESCRIPTION", "X-ALT-DESC", "COMMENT", "CONTACT"}

// altDescLink is a link of an HTML description, its address in group 1
// (quoted either way or bare) and its text in group 2.
var altDescLink = regexp.MustCompile(`(?is)<a\s[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))[^>]*>(.*?)</a\s*>`)

// altDescText is the text an HTML description (X-ALT-DESC) shows, as
// Chromium draws it (showntext.Lines), each link written as its text followed by its
// address in angle brackets, the way Outlook writes a description's links
// as text ("Click here to join the meeting<https://...>"), so that the
// event text keeps where they go.
func altDescText(h string) string {
	if strings.Contains(h, "<") && strings.Contains(strings.ToLower(h), "href") {
		h = altDescLink.ReplaceAllStringFunc(h, func(m string) string {
			g := altDescLink.FindStringSubmatch(m)
			return g[4] + " &lt;" + html.EscapeString(html.UnescapeString(g[1]+g[2]+g[3])) + "&gt;"
		})
	}
	return showntext.Lines([]byte(h), maxEventText)
}

// isCalendar: the part starts (after a byte-order mark and blank lines)
// with BEGIN:VCALENDAR, in any case, as calendar readers accept it.
func isCalendar(p *message.Part) bool {
	b := bytes.TrimLeft(p.Content[:min(len(p.Content), 64)], "\xEF\xBB\xBF \t\r\n")
	return len(b) >= 15 && strings.EqualFold(string(b[:15]), "BEGIN:VCALENDAR")
}

func openCalendar(c *container) error {
	n := 0
	var text strings.Builder
	event := map[string][]string{} // the text properties of the component being read
	depth := 0                     // components open below an event (alarms)
	flush := func() {
		for _, name := range eventTextProps {
			for _, v := range event[name] {
				if text.Len() < maxEventText {
					text.WriteString(v[:min(len(v), maxEventText-text.Len())])
					text.WriteByte('\n')
				}
			}
		}
		clear(event)
	}
	for prop := range urls.CalendarProperties(c.part.Content) {
		switch prop.Name {
		case "BEGIN":
			if up := strings.ToUpper(prop.Value); up == "VALARM" || up == "VTIMEZONE" || depth > 0 {
				depth++ // a reminder's text is no part of the invitation
			}
			continue
		case "END":
			if depth > 0 {
				depth--
			} else {
				flush()
			}
			continue
		}
		if prop.Name != "ATTACH" {
			if depth == 0 && len(event[prop.Name]) < 16 && slices.Contains(eventTextProps, prop.Name) {
				v := prop.Text()
				if prop.Name == "X-ALT-DESC" {
					v = altDescText(v[:min(len(v), maxEventText)])
				}
				event[prop.Name] = append(event[prop.Name], strings.TrimSpace(v))
			}
			continue
		}
		if !prop.Binary() && !strings.EqualFold(prop.Params["ENCODING"], "QUOTED-PRINTABLE") {
			continue // a URI
		}
		if n++; n > maxCalendarAttach {
			return fmt.Errorf("calendar: more than %d inline attachments", maxCalendarAttach)
		}
		data, err := calendarAttachment(prop)
		if err != nil {
			return fmt.Errorf("calendar: attachment %d: %w", n, err)
		}
		file := cmp.Or(prop.Params["X-FILENAME"], prop.Params["FILENAME"], prop.Params["X-APPLE-FILENAME"], fmt.Sprintf("attachment-%d", n))
		if _, err := c.member(file, bytes.NewReader(data), int64(len(prop.Value))); err != nil {
			return err
		}
	}
	flush() // a calendar cut before its END lines
	if strings.TrimSpace(text.String()) == "" {
		return nil
	}
	p := c.add("event.txt", []byte(text.String()))
	if p == nil {
		return errStop
	}
	p.DeclaredType = urls.EventText
	c.w.noExpand[p] = true // the text of the calendar, not a calendar to open again
	return nil
}

// calendarAttachment decodes an inline ATTACH value: base64 with padding
// or none, as calendar writers differ, or quoted-printable.
func calendarAttachment(prop urls.CalendarProperty) ([]byte, error) {
	if strings.EqualFold(prop.Params["ENCODING"], "QUOTED-PRINTABLE") {
		return io.ReadAll(quotedprintable.NewReader(strings.NewReader(prop.Value)))
	}
	return base64.RawStdEncoding.DecodeString(strings.TrimRight(stripSpace(prop.Value), "="))
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, s)
}
