// Package showntext reads what a reader is shown of a document: the text
// of HTML as Chromium draws it, through the page's styles (html.go), and
// the text of an Office XML part as the office suite shows it (xml.go).
// The heuristics read it (what a loader page shows, the text of a body
// that the lure checks read) and so does unpack (the passwords a page
// gives): text hidden from the reader counts for neither, text only the
// page's styles draw counts for both. It imports nothing of ours.
package showntext
