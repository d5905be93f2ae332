// Windows Script Host droppers: JScript or VBScript (.js, .jse, .vbs, .wsf,
// .hta, also VBA) that creates shell, file or stream objects and uses them to
// run a program or write a file. The file system object on its own is common
// in ordinary macros, so it only counts together with running something.

private rule Kensa_Script_Risky_Object
{
    strings:
        $new = /(new[ \t]+ActiveXObject|CreateObject|GetObject)\s*\(\s*["'](WScript\.Shell|Shell\.Application|ADODB\.Stream|MSXML2\.(Server)?XMLHTTP|Microsoft\.XMLHTTP|WinHttp\.WinHttpRequest)[.0-9]*["']/ nocase
    condition:
        $new
}

private rule Kensa_Script_FSO_Object
{
    strings:
        $new = /(new[ \t]+ActiveXObject|CreateObject)\s*\(\s*["']Scripting\.FileSystemObject["']/ nocase
    condition:
        $new
}

rule Kensa_Script_Dropper
{
    meta:
        description = "Script that creates WScript/ActiveX objects and runs a program or writes a file"
        severity = "malicious"
        score = 100
        author = "Kensa"
    strings:
        $wsh = /["'](WScript\.Shell|Shell\.Application)["']/ nocase
        $stream = /["']ADODB\.Stream["']/ nocase
        $run = /\.(Run|Exec|ShellExecute)\s*[\( ]/ nocase
        $save = /\.SaveToFile\s*[\( ]/ nocase
        $write = /\.(CreateTextFile|OpenTextFile|CopyFile)\s*[\( ]/ nocase
    condition:
        (Kensa_Script_Risky_Object and (($wsh and $run) or ($stream and $save))) or
        (Kensa_Script_FSO_Object and $write and $run)
}

rule Kensa_Script_ActiveX
{
    meta:
        description = "Script that creates WScript/ActiveX shell, stream or HTTP objects"
        severity = "suspicious"
        score = 30
        author = "Kensa"
    condition:
        Kensa_Script_Risky_Object and not Kensa_Script_Dropper
}
