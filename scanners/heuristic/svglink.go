package heuristic

import (
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/urls"
)

// An SVG attachment opens in the browser, where the whole picture can be
// a link: "View document" drawn over a brand's logo, with no script for
// svg-script to see. Pictures people mail (logos, charts, diagrams) link
// to their maker's own site if anywhere; the sender's own site does not
// count.
func checkSVGLink(e *env, p *message.Part) []string {
	if p.DeclaredType != "image/svg+xml" && p.DetectedType != "image/svg+xml" && message.Ext(p.Filename) != "svg" {
		return nil
	}
	if !e.isAttachment(p) || !e.hasLower(p, "href") {
		return nil
	}
	for _, u := range e.partURLs(p) {
		if u.Source != urls.SourceHref || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || e.sendersOwn(u.Host) {
			continue
		}
		return []string{"SVG image links to " + show(u.Host) + ": " + show(truncate(u.Raw, 100))}
	}
	return nil
}
