// VBA macros that run by themselves when a document is opened or closed.
// Package unpack hands us the decompressed VBA source of every module, so
// these rules read source text. The three public rules are exclusive: a
// module gets the strongest one that applies.

private rule Kensa_VBA_AutoRun_Entry
{
    strings:
        // An event procedure Word or Excel calls without asking the user.
        $sub = /Sub[ \t]+(Auto_?Open|AutoExec|Auto_?Close|AutoNew|Document_(Open|Close|New)|DocumentOpen|Workbook_(Open|Activate|BeforeClose))\b/ nocase
    condition:
        $sub
}

private rule Kensa_VBA_Exec_Or_Download
{
    strings:
        $shell = /\bShell(\s*\(|[ \t]+["A-Za-z_])/ nocase
        $wsh = "WScript.Shell" nocase
        $shellapp = "Shell.Application" nocase
        $shellexec = "ShellExecute" nocase
        $ps = "PowerShell" nocase
        $cmd = /\bcmd(\.exe)?["']?[ \t]+\/[ck]\b/ nocase
        $wmi = "Win32_Process" nocase
        $dl1 = "URLDownloadToFile" nocase
        $dl2 = "XMLHTTP" nocase
        $dl3 = "WinHttpRequest" nocase
    condition:
        any of them
}

private rule Kensa_VBA_CreateObject
{
    strings:
        $co = /\b(CreateObject|GetObject)\s*\(/ nocase
    condition:
        $co
}

rule Kensa_VBA_AutoRun_Exec
{
    meta:
        description = "VBA macro that runs on open and starts a program or downloads"
        severity = "malicious"
        score = 100
        author = "Kensa"
    condition:
        Kensa_VBA_AutoRun_Entry and Kensa_VBA_Exec_Or_Download
}

rule Kensa_VBA_AutoRun_CreateObject
{
    meta:
        description = "VBA macro that runs on open and creates COM objects"
        severity = "suspicious"
        score = 50
        author = "Kensa"
    condition:
        Kensa_VBA_AutoRun_Entry and Kensa_VBA_CreateObject and not Kensa_VBA_Exec_Or_Download
}

rule Kensa_VBA_AutoRun
{
    meta:
        description = "VBA macro that runs on open"
        severity = "suspicious"
        score = 30
        author = "Kensa"
    condition:
        Kensa_VBA_AutoRun_Entry and not Kensa_VBA_CreateObject and not Kensa_VBA_Exec_Or_Download
}
