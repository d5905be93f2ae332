// PowerShell started with a base64-encoded command line, and PowerShell that
// downloads code and runs it. `ascii wide` also finds the UTF-16 command lines
// of shortcuts and scripts saved as Unicode.

rule Kensa_PowerShell_EncodedCommand
{
    meta:
        description = "PowerShell started with a base64-encoded command (-EncodedCommand)"
        severity = "suspicious"
        score = 60
        author = "Kensa"
    strings:
        $ps1 = "powershell" ascii wide nocase
        $ps2 = "pwsh" ascii wide nocase
        // Any prefix of -EncodedCommand works (-e, -ec, -enc, ...), and so
        // do "/" and the Unicode dashes PowerShell also accepts. The flag is
        // a string of its own rather than part of one "powershell ... -enc"
        // regex, which is slow on lines full of "powershell". Each form is a
        // string of its own so libyara gets an atom of three bytes or more.
        $flag_dash = / -e[a-z]{0,14}[ \t]+["']?[A-Za-z0-9+\/]{40}/ ascii wide nocase
        $flag_slash = / \/e[a-z]{0,14}[ \t]+["']?[A-Za-z0-9+\/]{40}/ ascii wide nocase
        $flag_udash = /\xE2\x80[\x93\x94\x95]e[a-z]{0,14}[ \t]+["']?[A-Za-z0-9+\/]{40}/ nocase
    condition:
        any of ($ps*) and any of ($flag*)
}

rule Kensa_PowerShell_Download_Cradle
{
    meta:
        description = "PowerShell that downloads code and runs it (IEX with a web request)"
        severity = "malicious"
        score = 100
        author = "Kensa"
    strings:
        $iex1 = /\bIEX\b/ ascii wide nocase
        $iex2 = "Invoke-Expression" ascii wide nocase
        $dl1 = "Net.WebClient" ascii wide nocase
        $dl2 = "DownloadString" ascii wide nocase
        $dl3 = "DownloadData" ascii wide nocase
        $dl4 = "DownloadFile" ascii wide nocase
        $dl5 = "Invoke-WebRequest" ascii wide nocase
        $dl6 = /\biwr[ \t]/ ascii wide nocase
        $dl7 = "Invoke-RestMethod" ascii wide nocase
        $dl8 = /\birm[ \t]/ ascii wide nocase
        $dl9 = "Start-BitsTransfer" ascii wide nocase
    condition:
        any of ($iex*) and any of ($dl*)
}
