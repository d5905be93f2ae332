package heuristic

import (
	"regexp"
	"strings"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/urls"
)

// ClickFix (fake CAPTCHA, "How to fix", FileFix): a page tells the reader
// to press Win+R (or open a terminal, or Explorer's address bar) and paste,
// after its script has put a command on the clipboard. Nothing is
// downloaded and no link is clicked: the reader runs the command. The page
// is read as html-credential-form reads it (htmlPage: its scripts and
// handlers normalised and decoded, the markup they write read too); the
// finding needs both a write to the clipboard and a command line among
// the script's text, so a page with a copy button for a snippet it shows
// (which copies what the page shows, not a command written in its script)
// stays clean.

// jsClipboard is a script writing to the clipboard: the asynchronous
// Clipboard API, the copy command of a field it filled, or the data of a
// copy event.
var jsClipboard = regexp.MustCompile(`(?i)clipboard\s*\.\s*write(?:Text)?\s*\(|clipboard\s*\[\s*["'` + "`" + `]write(?:Text)?["'` + "`" + `]\s*\]|execCommand\s*\(\s*["'` + "`" + `]copy["'` + "`" + `]|clipboardData\s*\.\s*setData\s*\(|\bnew\s+ClipboardItem\b`)

// shellCommand is a command line a ClickFix page has the reader paste: a
// Windows shell or script host with an option or a web address, a
// program Windows lets run code or fetch files (LOLBins), PowerShell's
// download-and-run idioms, and Unix's curl | sh and osascript for the
// macOS variants.
var shellCommand = regexp.MustCompile(`(?i)` +
	`\b(?:powershell|pwsh)(?:\.exe)?["']?\s+(?:[-/][a-z]|["']?(?:iex|iwr|irm|invoke-|&|\$|\(|\[))` +
	`|\bmshta(?:\.exe)?["']?\s+["']?(?:https?:|\\\\|vbscript:|javascript:|[a-z0-9.-]+\.[a-z]{2,}/)` +
	`|\bcmd(?:\.exe)?["']?\s+/[ckr]\s` +
	`|\b(?:rundll32|regsvr32|msiexec|certutil|bitsadmin|wscript|cscript|conhost|forfiles|msbuild|installutil|wmic)(?:\.exe)?["']?\s+\S` +
	`|\bfinger(?:\.exe)?\s+\S+@\S` +
	`|\b(?:curl|wget)\s[^\n|]{0,300}\|\s*(?:sudo\s+)?(?:ba|z)?sh\b` +
	`|\b(?:ba|z)?sh\s+-c\s+["']?\$\(\s*(?:curl|wget)\b` +
	`|\bosascript\s+-e\s` +
	`|\biex\s*\(\s*(?:iwr|irm|\(?\s*new-object|invoke-)|\|\s*iex\b`)

func checkClipboardCommand(e *env, p *message.Part) []string {
	if !urls.IsHTML(p) || !e.isAttachment(p) || !e.activePage(p) {
		return nil
	}
	pg := e.page(p)
	if b := []byte(pg.script); !containsLower(b, "clipboard") && !containsLower(b, "copy") {
		return nil
	}
	how := jsClipboard.FindString(pg.script)
	if how == "" {
		return nil
	}
	cmd := shellCommand.FindStringIndex(pg.script)
	if cmd == nil {
		return nil
	}
	line := pg.script[cmd[0]:min(len(pg.script), cmd[0]+80)]
	if i := strings.IndexAny(line, "\"'`\n\x00"); i > 0 && cmd[1]-cmd[0] <= i {
		line = line[:i]
	}
	how = strings.Join(strings.Fields(strings.TrimRight(how, "( \t")), " ")
	return []string{"page puts a command on the clipboard (" + show(how) + "): " + show(strings.TrimSpace(line))}
}
