package heuristic

import (
	"strings"

	"github.com/kensa-milter/kensa/filetype"
	"github.com/kensa-milter/kensa/message"
)

// Content kinds recognised from magic bytes. Only what the checks need: is it
// executable, and which family of format is it really.
const (
	kindPE      = "PE executable"
	kindELF     = "ELF executable"
	kindMachO   = "Mach-O executable"
	kindJava    = "Java class"
	kindLNK     = "Windows shortcut (LNK)"
	kindCHM     = "compiled HTML help (CHM)"
	kindISO     = "ISO/UDF disk image"
	kindOneNote = "OneNote section"
	kindPDF     = "PDF"
	kindZip     = "zip"
	kindOLE     = "OLE compound file"
	kindRar     = "rar"
	kind7z      = "7z"
	kindGzip    = "gzip"
	kindRTF     = "RTF"
	kindImage   = "image"
)

// kindOf groups the types filetype.Detect names into the families the
// checks compare; "" for the types they do not care about.
var kindOf = map[string]string{
	filetype.EXE: kindPE, filetype.ELF: kindELF, filetype.MachO: kindMachO, filetype.Java: kindJava,
	filetype.LNK: kindLNK, filetype.CHM: kindCHM, filetype.ISO: kindISO, filetype.UDF: kindISO,
	filetype.OneNote: kindOneNote, filetype.PDF: kindPDF, filetype.OLE: kindOLE,
	filetype.ZIP: kindZip, filetype.DOCX: kindZip, filetype.XLSX: kindZip, filetype.PPTX: kindZip,
	filetype.RAR: kindRar, filetype.SevenZ: kind7z, filetype.GZIP: kindGzip, filetype.RTF: kindRTF,
	filetype.PNG: kindImage, filetype.JPEG: kindImage, filetype.GIF: kindImage,
	filetype.TIFF: kindImage, filetype.WEBP: kindImage,
}

// sniff names what p really is, "" when it is none of the kinds above. The
// part's DetectedType is filetype.Detect of its content; parts built without
// one (tests, callers outside the engine) are detected here.
func sniff(p *message.Part) string {
	t := p.DetectedType
	if t == "" {
		t = filetype.Detect(p.Content)
	}
	if filetype.ZipBased(t) {
		return kindZip
	}
	return kindOf[t]
}

func isExecutableKind(k string) bool {
	return k == kindPE || k == kindELF || k == kindMachO || k == kindJava
}

// Extension classes. A mail client or Windows runs these when opened.
var (
	execExts = set("exe", "scr", "com", "pif", "dll", "cpl", "sys", "drv", "ocx", "msi", "msp", "mst",
		"xll", "jar", "appx", "appxbundle", "msix", "msixbundle", "application", "gadget", "apk", "dmg",
		"pkg", "app", "jnlp", "xbap", "appinstaller",
		"wll", "msu", "vsto", "fxp", // a Word add-in (a DLL), an update package, an Office add-in's ClickOnce manifest, compiled FoxPro
		// Access projects and databases, which run their AutoExec macro and
		// VBA as they open; Outlook blocks them all
		"ade", "adp", "mda", "mdb", "mde", "mdt", "mdw", "mdz", "accde", "accdr", "accda")
	scriptExts = set("js", "jse", "vbs", "vbe", "wsf", "wsh", "wsc", "sct", "hta", "ps1", "psm1", "psd1",
		"ps1xml", "psc1", "bat", "cmd", "vb", "msc", "reg", "inf", "chm", "hlp", "ws",
		"diagcab",    // a troubleshooting pack: Windows runs its PowerShell (DogWalk)
		"wsb",        // a Windows Sandbox configuration runs its LogonCommand
		"shs", "shb", // shell scrap objects run the command they carry
		"its", "cnt", "htc", // help storage, help contents, HTML components
		"msh", "msh1", "msh2", "mshxml", "msh1xml", "msh2xml", "ps2", "ps2xml", "psc2",
		"pyw", "pyz", "pyzw", "pyc", "pyo", // Python run with a double click (not .py: developers mail source)
		"command", "tool", "terminal", // macOS: Terminal runs them with a double click
		"scpt", "scptd", "applescript", "workflow") // macOS: AppleScript, Automator
	shortcutExts = set("lnk", "url", "scf", "library-ms", "search-ms", "searchconnector-ms",
		"settingcontent-ms", "website", "appref-ms", "desktop", "webloc", "inetloc",
		"appcontent-ms", "xnk", "asx", "udl", // a settings link, an Exchange shortcut, a media redirector, a data link
		"mad", "maf", "mag", "mam", "maq", "mar", "mas", "mau", "mav", "maw", // Access shortcuts (not .mat: MATLAB's data)
		// A Remote Desktop file connects to the sender's computer and may share
		// the reader's drives with it; a theme loads its style and wallpaper
		// from the paths it names, a remote share included.
		"rdp", "theme", "themepack", "deskthemepack")
	riskyContainerExts = set("iso", "img", "vhd", "vhdx", "udf", "one", "onepkg")
	// decoyExts are what an attacker wants a file to look like.
	decoyExts = set("pdf", "doc", "docx", "docm", "xls", "xlsx", "xlsm", "ppt", "pptx", "rtf", "odt",
		"ods", "txt", "csv", "jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "webp", "mp3", "mp4",
		"wav", "avi", "mov", "zip", "rar", "7z", "htm", "html", "eml", "msg", "xml", "json", "ics")
)

// clsidExt: an extension that is a COM class ID ({3050F4D8-98B5-11CF-BB82-00AA00BDCE0B}):
// Explorer hides it, even with extensions shown, and opens the file with
// that class's handler (an HTML Application, a shell folder, ...).
func clsidExt(e string) bool {
	if len(e) != 38 || e[0] != '{' || e[37] != '}' {
		return false
	}
	for i := 1; i < 37; i++ {
		c := e[i]
		switch i {
		case 9, 14, 19, 24:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// dangerousExt: an extension Windows runs or follows.
func dangerousExt(e string) bool {
	return execExts[e] || scriptExts[e] || shortcutExts[e] || clsidExt(e)
}

// extFamily maps an extension to the content family it promises, for the
// type-mismatch check. Extensions whose content may legitimately vary are
// absent.
var extFamily = map[string]string{
	"pdf": kindPDF, "png": kindImage, "jpg": kindImage, "jpeg": kindImage, "gif": kindImage,
	"tif": kindImage, "tiff": kindImage, "webp": kindImage,
	"zip": kindZip, "docx": kindZip, "docm": kindZip, "xlsx": kindZip, "xlsm": kindZip,
	"pptx": kindZip, "pptm": kindZip, "odt": kindZip, "ods": kindZip, "odp": kindZip,
	"doc": kindOLE, "xls": kindOLE, "ppt": kindOLE, "msg": kindOLE,
	"rar": kindRar, "7z": kind7z, "gz": kindGzip, "tgz": kindGzip, "rtf": kindRTF,
}

// sameFamily allows the swaps that honest software makes: an encrypted
// OOXML file is an OLE container, a ".doc" is often really a docx, and
// Word saves "documents" as RTF.
func sameFamily(a, b string) bool {
	if a == b {
		return true
	}
	office := func(k string) bool { return k == kindZip || k == kindOLE || k == kindRTF }
	return office(a) && office(b)
}

// declaredFamily maps a declared MIME type to the family it promises.
func declaredFamily(t string) string {
	switch {
	case t == "application/pdf":
		return kindPDF
	case strings.HasPrefix(t, "image/") && t != "image/svg+xml":
		return kindImage
	case t == "application/msword", t == "application/vnd.ms-excel", t == "application/vnd.ms-powerpoint":
		return kindOLE
	case strings.HasPrefix(t, "application/vnd.openxmlformats-officedocument."):
		return kindZip
	case strings.HasPrefix(t, "text/"):
		return "text"
	}
	return ""
}

func set(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}
