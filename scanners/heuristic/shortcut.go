package heuristic

import (
	"html"
	"regexp"
	"strings"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/shelllink"
	"github.com/kensa-milter/kensa/urls"
)

// Windows shortcuts (.lnk) that run a command: the LNK droppers mailed
// zipped, in ISO, VHD and 7z images or under an innocent name. Which file
// it is comes from its bytes (whatever its name); what it runs is read
// with shelllink from every field Windows may take the target from (the
// environment block, the shell items, LinkInfo's local and network paths,
// the relative path), so a kit that puts cmd.exe in one and a document in
// another gains nothing. dangerous-shortcut (or executable-in-container)
// already quarantines every shortcut; this check says which ones run
// something, which no shortcut mailed honestly does. A Start-menu shortcut
// to an installed program, a shortcut to a document on a file server or an
// intranet application does not count, nor an interpreter run with a
// script under Program Files (a developer's command prompt).

// lnkRunners are the programs a shortcut runs to run something else: the
// shells and script hosts, and what Windows lets run code or fetch files
// (LOLBins). Lower case, without .exe.
var lnkRunners = set("cmd", "powershell", "pwsh", "powershell_ise", "mshta", "wscript", "cscript", "rundll32", "regsvr32",
	"msiexec", "certutil", "bitsadmin", "conhost", "forfiles", "msbuild", "installutil", "wmic", "curl", "wget", "bash",
	"wsl", "hh", "schtasks", "cmstp", "pcalua", "odbcconf", "regasm", "regsvcs", "msxsl", "finger", "ftp", "scriptrunner",
	"mavinject", "syncappvpublishingserver", "presentationhost", "msdt", "explorer", "scrcons", "msconfig", "bginfo")

// lnkActive is an argument that makes the runner run or fetch something:
// an address, a script protocol, another runner, PowerShell's download and
// run idioms, certutil's and bitsadmin's downloads, a file in a folder
// anyone can write (%TEMP%, Public), a %COMSPEC% that names cmd.
var lnkActive = regexp.MustCompile(`(?i)\b(?:https?|ftps?)://|\bwww\.[a-z0-9-]+\.|(?:java|vb)script:|\babout:` +
	`|\b(?:cmd|powershell|pwsh|mshta|wscript|cscript|rundll32|regsvr32|msiexec|certutil|bitsadmin|curl|wget|conhost|forfiles|schtasks|wmic|bash|finger)(?:\.exe)?\b` +
	`|%comspec%|\b(?:iex|iwr|irm|invoke-expression|invoke-webrequest|invoke-restmethod|start-bitstransfer|downloadstring|downloadfile|downloaddata|frombase64string|net\.webclient|new-object)\b` +
	`|[-/](?:urlcache|decode|decodehex|transfer|addfile)\b|\bscrobj\b` +
	`|%(?:temp|tmp|public|programdata|appdata|localappdata)%|\\(?:temp|users\\public|programdata|appdata\\local\\temp)\\` +
	`|(?:^|\s)[-/](?:e|ec|en[a-z]*)\s+[a-z0-9+/]{20,}` + // powershell -enc BASE64
	`|(?:^|\s)[-/]w(?:in[a-z]*)?\s+(?:h[a-z]*|1)\b` + // -WindowStyle Hidden
	`|[a-z0-9+/]{120,}={0,2}`) // a long base64 blob

// activeArg is the first match of lnkActive in args that is no file's
// extension (env.cmd, setup.bash name a script, which the words below
// judge by where it lies); "" for none.
func activeArg(args string) string {
	for _, m := range lnkActive.FindAllStringIndex(args, 64) {
		if m[0] == 0 || args[m[0]-1] != '.' {
			return args[m[0]:m[1]]
		}
	}
	return ""
}

// lnkRunExt are the extensions of what a runner runs.
var lnkRunExt = set("bat", "cmd", "vbs", "vbe", "js", "jse", "wsf", "wsh", "hta", "ps1", "dll", "exe", "msi", "sct", "inf", "cpl", "ocx", "scr", "com", "pif")

// lnkSystemDLLs are the DLLs and control panel files Windows' own shortcuts
// hand rundll32 and control by bare name.
var lnkSystemDLLs = set("shell32.dll", "user32.dll", "printui.dll", "keymgr.dll", "powrprof.dll", "dsquery.dll",
	"themeui.dll", "desk.cpl", "sysdm.cpl", "appwiz.cpl", "inetcpl.cpl", "ncpa.cpl", "timedate.cpl", "main.cpl",
	"mmsys.cpl", "powercfg.cpl", "intl.cpl", "firewall.cpl", "joy.cpl", "hdwwiz.cpl", "wscui.cpl", "tsworkspace.dll")

// lnkDocumentIcons are icons a kit borrows so that a shortcut to cmd.exe
// looks like a document, a browser or a folder.
var lnkDocumentIcons = set("msedge.exe", "chrome.exe", "firefox.exe", "iexplore.exe", "acrord32.exe", "acrobat.exe",
	"foxitpdfreader.exe", "winword.exe", "excel.exe", "powerpnt.exe", "wordpad.exe", "notepad.exe", "explorer.exe",
	"shell32.dll", "imageres.dll", "moricons.dll", "pifmgr.dll", "zipfldr.dll", "ieframe.dll")

// lnkShells are the runners no shortcut shows under another program's
// icon honestly (a Lock Workstation shortcut runs rundll32 under
// shell32.dll's padlock; a command prompt keeps cmd.exe's own).
var lnkShells = set("cmd", "powershell", "pwsh", "powershell_ise", "mshta", "wscript", "cscript", "conhost", "curl", "wget",
	"bash", "wsl", "forfiles", "certutil", "bitsadmin", "regsvr32")

// lnkPadding is a run of blanks the Properties dialog's Target field (260
// characters, one line) shows as nothing: what the rest is pushed behind.
var lnkPadding = regexp.MustCompile(`[ \t]{32,}|[\n\r\v\f]`)

func checkShortcutCommand(e *env, p *message.Part) []string {
	if sniff(p) != kindLNK {
		return e.shortcutLocations(p)
	}
	l, _ := shelllink.Parse(head(p)) // a link cut short is judged on what it says
	if l == nil {
		return nil
	}
	var out []string
	args := l.Arguments
	if loc := lnkPadding.FindStringIndex(args); loc != nil && strings.TrimSpace(args[loc[1]:]) != "" {
		blanks := len(args) - len(strings.TrimLeft(args[loc[0]:], " \t\n\r\v\f")) - loc[0]
		out = append(out, "arguments pushed out of sight of the Properties dialog by "+itoa(blanks)+" blank characters: "+show(strings.Join(strings.Fields(args), " ")))
	}
	icon := l.IconLocation
	if icon == "" {
		icon = l.IconEnv
	}
	judged := false
	for _, t := range l.Targets() {
		if h, ok := internetShare(t); ok && !e.sendersOwn(h) {
			out = append(out, "runs "+show(t)+" from the share "+show(h))
		} else if where := lnkWritable(t); where != "" && lnkRunExt[message.Ext(t)] {
			out = append(out, "runs "+show(baseName(t))+" from "+where)
		}
		run := lnkRunner(t)
		if run == "" || judged {
			continue
		}
		judged = true // the first runner speaks for the others
		if why := lnkArgsRun(run, args); why != "" {
			shown := args
			if run == "cmd" {
				shown = cmdUnfold(args) // what cmd runs, not its disguise
			}
			out = append(out, "runs "+run+" "+why+": "+show(strings.Join(strings.Fields(shown), " ")))
		}
		if ib := strings.ToLower(baseName(icon)); lnkShells[run] && (lnkDocumentIcons[ib] || decoyExts[message.Ext(ib)]) {
			out = append(out, "runs "+run+" under the icon of "+show(baseName(icon)))
		}
	}
	for _, ic := range []string{l.IconLocation, l.IconEnv} {
		if h, ok := internetShare(ic); ok {
			out = append(out, "icon loads from the share "+show(h)+" as the folder is shown")
			break
		}
	}
	return dedupe(out)
}

// lnkRunner is the runner a target names ("cmd" for %COMSPEC% and
// C:\Windows\System32\cmd.exe), "" for anything else.
func lnkRunner(target string) string {
	b := strings.ToLower(strings.Trim(baseName(target), `" `))
	if b == "%comspec%" {
		return "cmd"
	}
	for _, x := range []string{".exe", ".com"} {
		b = strings.TrimSuffix(b, x)
	}
	if lnkRunners[b] {
		return b
	}
	return ""
}

// lnkArgsRun says why a runner's arguments run something, "" when they do
// not: an active argument, a file on a share on the Internet, or a script,
// program or DLL named by a relative path (a file beside the shortcut in
// the archive or image, which no installed program's shortcut names); for
// rundll32 and regsvr32 the first word is a DLL whatever its extension, and
// only Windows' own count as installed.
func lnkArgsRun(run, args string) string {
	if strings.TrimSpace(args) == "" {
		return ""
	}
	if run == "cmd" {
		args = cmdUnfold(args) // p^ow^ershell, set a=pow&&call %a%ershell, %ProgramData:~3,1%
	}
	if m := activeArg(args); m != "" {
		return "with " + show(strings.TrimSpace(m))
	}
	switch run {
	case "mshta", "curl", "wget", "certutil", "bitsadmin", "msxsl", "mavinject", "syncappvpublishingserver", "cmstp", "finger":
		return "with arguments" // no honest shortcut runs these with any
	}
	module := run == "rundll32" || run == "regsvr32" // the first word is a DLL, whatever its extension
	for _, tok := range lnkWords(args) {
		tok = strings.ToLower(tok)
		if h, ok := internetShare(tok); ok {
			return "with " + show(tok) + " from the share " + show(h)
		}
		if strings.HasPrefix(tok, "/") || strings.HasPrefix(tok, "-") {
			continue // an option (regsvr32 /s)
		}
		first := module
		module = false
		if !first && !lnkRunExt[message.Ext(tok)] || lnkSystemDLLs[baseName(tok)] || lnkAbsolute(tok) {
			continue
		}
		return "with " + show(tok) + " from beside the shortcut"
	}
	return ""
}

// lnkWords splits a command line as Windows programs read it: quoted
// strings whole (a path with spaces), other words at blanks, and both at
// commas (rundll32's "x.dll,Entry"). At most 64 words.
func lnkWords(args string) []string {
	var out []string
	for len(out) < 64 {
		args = strings.TrimLeft(args, " \t\n\r\v\f,")
		if args == "" {
			break
		}
		var w string
		if args[0] == '"' {
			w, args, _ = strings.Cut(args[1:], `"`)
		} else if i := strings.IndexAny(args, " \t\n\r\v\f,\""); i >= 0 {
			w, args = args[:i], args[i:]
		} else {
			w, args = args, ""
		}
		out = append(out, w)
	}
	return out
}

// lnkAbsolute: a path from a drive, a share or a variable that names an
// installed location (%ProgramFiles%, %SystemRoot%, ...).
func lnkAbsolute(p string) bool {
	p = strings.TrimLeft(p, "/:")
	switch {
	case len(p) >= 3 && p[1] == ':' && (p[2] == '\\' || p[2] == '/'):
		return true
	case strings.HasPrefix(p, `\\`):
		return true
	}
	for _, v := range []string{"%programfiles", "%systemroot%", "%windir%", "%systemdrive%", "%commonprogramfiles", "%localappdata%\\programs\\", "%userprofile%"} {
		if strings.HasPrefix(p, v) {
			return true
		}
	}
	return false
}

// lnkWritable names the folder anyone or any download can write that path
// lies in (%TEMP%, Public, Downloads), "" for others.
func lnkWritable(path string) string {
	p := strings.ToLower(path)
	for _, w := range []string{`%temp%`, `%tmp%`, `\appdata\local\temp\`, `\windows\temp\`, `%public%`, `\users\public\`, `\downloads\`} {
		if strings.Contains(p, w) {
			return strings.Trim(w, `\`)
		}
	}
	return ""
}

func dedupe(xs []string) []string {
	var out []string
	for _, x := range xs {
		if !contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// shortcutLocations reads the text shortcuts: an Internet shortcut's URL=
// (.url, .website) and a library's or search connector's <url> locations
// (.library-ms, .searchConnector-ms), which open an Explorer window on a
// share or a WebDAV folder on the Internet: the sender's scripts and
// shortcuts shown as local files, without Mark-of-the-Web (the WebDAV .url
// and search-ms campaigns). A web page's address, a colleague's server (a
// single-label name, a private address, an intranet suffix, the sender's
// own domain) and a local folder do not count.
func (e *env) shortcutLocations(p *message.Part) []string {
	b := head(p)
	ext := message.Ext(p.Filename)
	var locs []string
	library := false
	switch {
	case ext == "url" || ext == "website" || hasPrefixFold(string(b[:min(len(b), 64)]), "[InternetShortcut]"):
		for n, line := range strings.SplitN(string(b[:min(len(b), 64<<10)]), "\n", 1000) {
			if k, v, ok := strings.Cut(line, "="); ok && n < 1000 && strings.EqualFold(strings.TrimSpace(k), "url") {
				locs = append(locs, strings.TrimSpace(v))
			}
		}
	case ext == "library-ms" || ext == "searchconnector-ms" || len(b) > 0 && b[0] == '<' &&
		(containsLower(b[:min(len(b), 4096)], "<librarydescription") || containsLower(b[:min(len(b), 4096)], "<searchconnectordescription")):
		library = true
		rest := string(b[:min(len(b), 256<<10)])
		for range 64 {
			i := strings.Index(strings.ToLower(rest), "<url>")
			if i < 0 {
				break
			}
			rest = rest[i+5:]
			v, _, _ := strings.Cut(rest, "<")
			locs = append(locs, html.UnescapeString(strings.TrimSpace(v)))
		}
	default:
		return nil
	}
	var out []string
	for _, loc := range locs[:min(len(locs), 64)] {
		target, how := loc, "opens "
		if l := strings.ToLower(loc); strings.HasPrefix(l, "search:") || strings.HasPrefix(l, "search-ms:") {
			target, how = searchLocation(loc), "opens a search of "
		}
		if h, ok := internetShare(target); ok && !e.sendersOwn(h) {
			out = append(out, how+show(target)+" on the share "+show(h))
		} else if u := urls.Parse(target); library && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !e.sendersOwn(u.Host) {
			out = append(out, "opens the WebDAV folder "+show(target))
		}
	}
	return dedupe(out)
}
