package heuristic

import (
	"regexp"
	"slices"
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

// ClickFix without a script: the mail, a PDF or a page's shown text alone
// tells the reader to open the Run dialog (Win+R), the Win+X menu, a
// terminal or PowerShell, paste and press Enter, "to verify you are
// human" or "to fix the error". The command is already on the clipboard
// (a page put it there) or stands in the text. Help desks and install
// guides give such steps too, but they show what to paste (a share's
// path, a program's name, a command of their own site) and come from the
// company's own domain or the vendor's; awareness mail names the attack.

// maxClickFixText bounds the text read for the instructions, in bytes.
const maxClickFixText = 64 << 10

// clickfixNear is how far apart (bytes of folded text) the opening of the
// Run dialog and the paste stand at most: steps of one set.
const clickfixNear = 400

// The instructions' words, in English, German, French, Spanish,
// Portuguese, Italian, Dutch and Polish, as foldLure leaves text: lower
// case, accents dropped.
var (
	// clickfixRun opens the Run dialog or the Win+X menu (Terminal,
	// PowerShell): the Windows key plus R or X ("Win+R", "⊞ + R", "the
	// Windows key and R", "touche Windows + R"), or the dialog by name.
	clickfixRun = regexp.MustCompile(`(?:\b(?:windows|win)|⊞)(?:[ -]?(?:logo[ -]?)?(?:key|taste|toets|button|knop))?(?: ?\(⊞\))?\s*\+\s*["'“”‘’]?[rx]\b` +
		`|(?:\b(?:touche|tecla|tasto|klawisz\w*|toets|taste)(?: de| del| do| da)? (?:windows|win)|\b(?:windows|win)[ -]?(?:logo[ -]?)?(?:key|taste|toets|button|knop))(?: ?\(⊞\))?` +
		`\s*(?:\+|plus|and|und|et|y|e|en|i|oraz|&)\s*(?:the |die |la |le |a |o |de |het )?(?:letter |key |taste |touche |tecla |tasto |toets |klawisz )?["'“”‘’]?[rx]\b` +
		`|\brun (?:dialog|box|window)\b|\bausfuhren-dialog\w*|\bdialog(?:feld)? ["']?ausfuhren\b|\bboite de dialogue ["'«]?\s?executer\b|\bfenetre ["'«]?\s?executer\b` +
		`|\bcuadro de dialogo ["']?ejecutar\b|\bventana ["']?ejecutar\b|\bcaixa de dialogo ["']?executar\b|\bjanela ["']?executar\b|\bfinestra ["']?esegui\b` +
		`|\bdialoogvenster ["']?uitvoeren\b|\bokno ["']?uruchom\w*`)
	// clickfixShell is a terminal or shell the text names: counted with a
	// pretext only, as developers' mail names them too (macOS: "press
	// Command+Space, type Terminal, paste").
	clickfixShell = regexp.MustCompile(`\b(?:powershell|windows terminal|terminal|command prompt|eingabeaufforderung|invite de commandes|simbolo del sistema|prompt de comando|prompt dei comandi|opdrachtprompt|wiersz polecen)\b`)
	// clickfixPaste: paste, by its keys or its word.
	clickfixPaste = regexp.MustCompile(`\b(?:ctrl|strg|control|cmd|command)\s*\+?\s*["']?v\b|⌘\s*\+?\s*v\b|\b(?:paste|pasting|einfug\w*|coll(?:er|ez|e)|peg(?:ar|ue|a|uelo)|col(?:ar|e|ue)|incoll\w*|plak\w*|wklej\w*)\b`)
	// clickfixVerify: the lure's pretext that the reader must prove to be
	// human (fake CAPTCHA).
	clickfixVerify = regexp.MustCompile(`\b(?:verify (?:that )?you(?: are|'re)? (?:a )?human|(?:i'?m|i am) not a robot|captcha|human verification|verification (?:steps?|id|code|process)|prove (?:that )?you(?: are|'re)? human|security check|browser check|ray id|` +
		`ich bin kein roboter|dass sie ein mensch sind|verifizierung\w*|sicherheitsuberprufung|` +
		`je ne suis pas un robot|que vous (?:etes|n'etes pas) (?:un )?(?:humain|robot)|verification|` +
		`no soy un robot|que (?:eres|es|usted es) (?:un )?humano|verificacion|` +
		`nao sou um robo|que (?:voce )?e (?:um )?humano|verificacao|` +
		`non sono un robot|di essere (?:un )?umano|verifica|` +
		`ik ben geen robot|dat (?:je|u) (?:een )?mens bent|verificatie|` +
		`nie jestem robotem|ze jestes człowiekiem|weryfikacj\w+)\b`)
	// clickfixFix: the pretext of "How to fix" lures, an error to fix.
	// Support mail says it too, so it counts only where nothing is shown
	// to paste.
	clickfixFix = regexp.MustCompile(`\b(?:fix (?:the |this )?(?:error|issue|problem)|how to fix|(?:fehler|problem) (?:zu )?beheben|corriger (?:l'erreur|le probleme)|resoudre le probleme|` +
		`(?:corregir|solucionar) (?:el )?(?:error|problema)|(?:corrigir|resolver) o (?:erro|problema)|(?:correggere|risolvere) (?:l'errore|il problema)|` +
		`(?:fout|probleem) (?:te )?(?:oplossen|herstellen)|napraw\w* b[łl]ad\w*|rozwiaz\w* problem\w*)\b`)
	// clickfixAware: the text warns of the attack (security awareness
	// mail quoting the lure): it names who does it, or says never to.
	clickfixAware = regexp.MustCompile(`\b(?:clickfix|fake captcha\w*|attackers?|scam\w*|criminals?|cybercriminals?|fraudsters?|threat actors?|` +
		`angreifer\w*|betrug\w*|betruger\w*|kriminelle\w*|` +
		`attaquants?|escroc\w*|arnaque\w*|cybercriminels?|` +
		`atacantes?|estafa\w*|ciberdelincuentes?|golpe\w*|golpistas?|criminosos?|` +
		`aggressori|truffa\w*|truffatori|criminali|` +
		`aanvallers?|oplicht\w*|criminelen|` +
		`atakujacy|oszus\w*|przestepc\w*|cyberprzestepc\w*)\b` +
		`|\b(?:never|do ?n[o']t|niemals|jamais|nunca|nooit|nigdy)\W+(?:\w+\W+){0,3}` + clickfixVerbs +
		`|` + clickfixVerbs + `\W+(?:\w+\W+){0,2}(?:jamais|niemals|nooit|mai)\b`)
	// clickfixVerbs are what awareness mail says never to do.
	clickfixVerbs = `\b(?:paste|press|run|type|copy|fugen|einfug\w*|ausfuhr\w*|coll\w*|execut\w*|tap\w*|peg\w*|ejecut\w*|cole\w*|incoll\w*|esegu\w*|plak\w*|uitvoer\w*|wklej\w*|uruchom\w*)\b`
	// clickfixShown: the text shows what to paste (a share's path, an
	// environment variable's folder, a program or tool of a guide), so
	// the clipboard holds what the reader copied from it.
	clickfixShown = regexp.MustCompile(`\\\\\w|\b[a-z]:\\|%[a-z_]+%|~/|\b(?:brew|winget|choco|pip3?|npm|npx|apt(?:-get)?|yum|dnf|sudo|msiexec|control|winver|ipconfig|gpupdate|sfc|dism|net use|mstsc|explorer|regedit|services\.msc)\b|\b[\w-]+\.(?:exe|cpl|msc|msi|ps1|bat|sh)\b`)
	// runStems and shellStems are literals that every match of
	// clickfixRun and of clickfixShell holds, in folded text: where the
	// expressions run (the windows around them), and a cheap test before
	// the text is folded.
	runStems   = []string{"win", "\u229e", "run ", "ausfuhren", "executer", "ejecutar", "executar", "esegui", "uitvoeren", "uruchom"}
	shellStems = []string{"powershell", "terminal", "command prompt", "eingabeaufforderung", "invite de commandes", "simbolo del sistema", "prompt de comando", "prompt dei comandi", "opdrachtprompt", "wiersz polecen"}
	// pasteStems are literals that every match of clickfixPaste holds.
	pasteStems = newLiterals("ctrl", "strg", "control", "cmd", "command", "\u2318", "past", "einfug", "coll", "cole", "colar", "colue", "peg", "plak", "wklej")
	// commandHost is the host a shown command fetches from.
	commandHost = regexp.MustCompile(`https?://([^/\s"'|)]+)`)
)

// checkClickFixInstructions: the text a reader sees (a mail body, a
// meeting's, a PDF's pages, an attached page's) tells them to open the
// Run dialog or the Win+X menu, or a terminal with a pretext, and paste
// near it; and a command runs code from the web (a shell or a script
// host, not from the sender's own site), or the fake CAPTCHA's pretext
// stands beside it, or nothing is shown to paste (the clipboard holds the
// lure's). Awareness mail that names the attack, and a help desk's steps
// inside the company without such a command, do not count.
func checkClickFixInstructions(e *env, p *message.Part) []string {
	text := e.shownTextIf(p, maxClickFixText, pieceGates.showSteps)
	if len(text) < 16 {
		return nil
	}
	folded := foldLure(text[:min(len(text), maxClickFixText)])
	if !pasteStems.in(folded) {
		return nil
	}
	// The steps first (literals, then the expressions in windows around
	// them): what most text lacks. The whole text is read for a command
	// and the pretexts only where steps stand.
	open := stepsNear(folded, runStems, clickfixRun)
	terminal := open == nil
	if terminal {
		if open = stepsNear(folded, shellStems, clickfixShell); open == nil {
			return nil
		}
	}
	w := readClickFixWhole(e, folded)
	// A terminal named: with a pretext, or a Windows command (developers'
	// mail has curl | sh pasted into a terminal).
	if terminal && !w.pretext() || clickfixAware.MatchString(folded) {
		return nil
	}
	if w.cmd == "" && (e.sender != "" && e.internal(e.sender) || w.verify == "" && clickfixShown.MatchString(folded)) {
		return nil
	}
	d := "the text says to open " + show(strings.TrimSpace(folded[open[0]:open[1]])) + " and paste"
	switch {
	case w.cmd != "":
		d += ": " + show(strings.TrimSpace(w.cmd))
	case w.verify != "":
		d += ", to " + show(w.verify)
	default:
		d += ", showing nothing to paste"
	}
	return []string{d}
}

// clickFixWhole is what the whole of a text with steps says besides them:
// the command shown (cut at its line or quote), whether it is a Unix one,
// and the lure's pretexts.
type clickFixWhole struct {
	cmd         string
	unix        bool
	verify, fix string
}

func readClickFixWhole(e *env, folded string) clickFixWhole {
	var w clickFixWhole
	if m := shellCommand.FindStringIndex(folded); m != nil {
		w.cmd = folded[m[0]:min(len(folded), m[0]+80)]
		if i := strings.IndexAny(w.cmd, "\n\"'`"); i > m[1]-m[0] {
			w.cmd = w.cmd[:i]
		}
		w.unix = slices.ContainsFunc([]string{"curl", "wget", "sh ", "bash", "zsh", "osascript"}, func(p string) bool { return strings.HasPrefix(w.cmd, p) })
		if h := commandHost.FindStringSubmatch(w.cmd); h != nil && e.sendersOwn(h[1]) {
			w.cmd = "" // a vendor's own installer, from its site
		}
	}
	w.verify, w.fix = clickfixVerify.FindString(folded), clickfixFix.FindString(folded)
	return w
}

// pretext: the text gives the reader a reason to paste into a terminal.
func (w clickFixWhole) pretext() bool {
	return w.verify != "" || w.fix != "" || w.cmd != "" && !w.unix
}

// stepsNear is an opening (a match of re) that a paste stands near
// (pasteNear), nil for none. re runs only around stems, each match of
// which holds one: over the text clickfixReach bytes (white space not
// counted) either side of each stem, to word boundaries so that re's \b
// reads as in the whole text.
func stepsNear(text string, stems []string, re *regexp.Regexp) []int {
	var at []int // bounded by the text: stems do not overlap themselves
	for _, s := range stems {
		for i := 0; ; {
			j := strings.Index(text[i:], s)
			if j < 0 {
				break
			}
			if (s != "win" && s != "\u229e") || keyAfter(text, i+j) {
				at = append(at, i+j)
			}
			i += j + len(s)
		}
	}
	slices.Sort(at)
	for k := 0; k < len(at); {
		from, to := reach(text, at[k], -1), reach(text, at[k], 1)
		for k++; k < len(at) && at[k] <= to; k++ {
			to = reach(text, at[k], 1)
		}
		for _, m := range re.FindAllStringIndex(text[from:to], -1) {
			if open := []int{from + m[0], from + m[1]}; pasteNear(text, open) {
				return open
			}
		}
	}
	return nil
}

// keyAfter: the Windows key named at i has an R or an X after it, as
// clickfixRun's Windows-key forms end: a letter alone, or right after
// one of the words that join the keys, itself alone or right after the
// key's name. Text naming Windows without the keys (most of it) is not
// read by the expression.
func keyAfter(text string, i int) bool {
	to := reach(text, i, 1)
	for j := i + 1; j < to; j++ {
		if c := text[j]; (c == 'r' || c == 'x') && (j+1 == len(text) || !isWordByte(text[j+1])) && (!isWordByte(text[j-1]) || joinedKey(text[:j])) {
			return true
		}
	}
	return false
}

// joinedKey: text ends with a word clickfixRun reads between the Windows
// key and R or X (keyJoins), alone or right after the key's name.
func joinedKey(text string) bool {
	for _, w := range keyJoins {
		if t, ok := strings.CutSuffix(text, w); ok && (t == "" || !isWordByte(t[len(t)-1]) || slices.ContainsFunc(keyNames, func(k string) bool { return strings.HasSuffix(t, k) })) {
			return true
		}
	}
	return false
}

// keyJoins are the words clickfixRun reads between the Windows key and
// R or X; keyNames the key's names it reads before them.
var (
	keyJoins = []string{"plus", "and", "und", "et", "y", "e", "en", "i", "oraz"}
	keyNames = []string{"win", "windows", "key", "taste", "toets", "button", "knop"}
)

// clickfixReach is how far from its stem a match of clickfixRun or
// clickfixShell reaches at most ("boite de dialogue « executer",
// "windows logo key (⊞) + r"), in bytes other than white space.
const clickfixReach = 64

// reach is the place clickfixReach bytes other than white space from i
// in direction step (-1 or 1), then on to the edge of an ASCII word (as
// regexp's \b reads words), at most clickfixReach bytes more.
func reach(text string, i, step int) int {
	inside := func(i int) bool { return step < 0 && i > 0 || step > 0 && i < len(text) }
	for n := 0; n < clickfixReach && inside(i); i += step {
		if c := text[i]; c != ' ' && c != '\n' && c != '\t' && c != '\r' {
			n++
		}
	}
	for n := 0; n < clickfixReach && 0 < i && i < len(text) && isWordByte(text[i-1]) && isWordByte(text[i]); n++ {
		i += step
	}
	return i
}

// The openers' and the paste's words as shown pieces of markup can
// spell them (pieceMatcher's letters): every match of clickfixRun or
// clickfixShell spells one of stepWords or holds ⊞, every match of
// clickfixPaste one of pasteWords or ⌘.
var (
	stepWords = pieceWords("win", "run dialog", "run box", "ausfuhren", "executer", "ejecutar", "executar", "esegui", "uitvoeren", "uruchom",
		"powershell", "terminal", "command prompt", "eingabeaufforderung", "invite de commandes", "simbolo del sistema", "prompt de comando", "prompt dei comandi", "opdrachtprompt", "wiersz polecen")
	pasteWords = pieceWords("ctrl v", "strg v", "control v", "cmd v", "command v", "paste", "pasti", "einfug", "coll", "cole", "colar", "colue", "pega", "pegu", "plak", "wklej")
)

// pieceWords are words as pieceMatcher reads them: their letters'
// skeletons, w as vv.
func pieceWords(words ...string) []string {
	out := make([]string, len(words))
	for i, w := range words {
		out[i] = vvForW(urls.Skeleton(strings.ReplaceAll(w, " ", "")))
	}
	return out
}

// mayShowSteps: the text a reader sees of markup b, after subject, can
// hold ClickFix steps, whatever its styles hide: its pieces can spell an
// opener's words and a paste's (or hold ⊞ and ⌘). Most bodies cannot,
// and are not read (readShown). Read with mayNameBrand's question in one
// pass (readGates).
func mayShowSteps(subject string, b []byte) bool { return readGates(subject, b).steps }

// pasteNear: text says to paste within clickfixNear bytes of the opening
// at open.
func pasteNear(text string, open []int) bool {
	from, to := max(0, open[0]-clickfixNear), min(len(text), open[1]+clickfixNear)
	return clickfixPaste.MatchString(text[from:to])
}
