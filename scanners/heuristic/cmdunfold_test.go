package heuristic

import "testing"

func TestCmdUnfold(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`/c p^ow^er^shell -nop`, `/c powershell -nop`},
		{`/c "set x=ersh&&call %ProgramData:~3,1%ow%x%ell -nop"`, `/c set x=ersh & Powershell -nop`},
		{`/c %COMSPEC:~-7,3% /c echo`, `/c cmd /c echo`},
		{`/c %COMSPEC:~-7,-4%`, `/c cmd`},
		{`/c %windir:~0,1%%windir:~-7%`, `/c CWindows`},
		{`/v:on /c "set a=ms&&set b=hta&&call !a!!b! x"`, `/v:on /c set a=ms & set b=hta & mshta x`},
		{`/c set u=hxxps&&call echo %u:xx=tt%`, `/c set u=hxxps & echo https`},
		{`/c set u=abcpowershell&&call %u:*abc=%`, `/c set u=abcpowershell & powershell`},
		{"@echo off\r\nset a=pow\r\nset b=ershell\r\n%a%%b% -c x\r\n", `echo off & set a=pow & set b=ershell & powershell -c x`},
		{"setlocal EnableDelayedExpansion\nset a=cert\nset a=!a!util\n!a! -urlcache", `setlocal EnableDelayedExpansion & set a=cert & set a=certutil & certutil -urlcache`},
		{"set a=po\ncall set b=%%a%%wershell\n%b%", `set a=po & set b=powershell & powershell`},
		{`/c echo 100% & echo %undefined% and %~dp0`, `/c echo 100% & echo %undefined% and %~dp0`},
		{`/c "echo a^&b"`, `/c echo a&b`},
		{`/c echo "a^&b"`, `/c echo "a^&b"`},
		{`/c echo a^&b`, `/c echo a&b`},
		{`/c %x:~abc%`, `/c %x:~abc%`},
		{`/c %PUBLIC:~99,5%x`, `/c x`},
		{`no marks at all`, `no marks at all`},
	} {
		if got := cmdUnfold(c.in); got != c.want {
			t.Errorf("cmdUnfold(%q)\n = %q\nwant %q", c.in, got, c.want)
		}
	}
}

// TestCmdUnfoldBounds: a line that sets and doubles a variable over and
// over stays within the output bound.
func TestCmdUnfoldBounds(t *testing.T) {
	line := "set a=xxxxxxxxxxxxxxxx"
	for range 2000 {
		line += "&set a=%a%%a%&echo %a%%a%%a%%a%"
	}
	if got := cmdUnfold(line); len(got) > cmdMaxOut+cmdMaxValue*8 {
		t.Errorf("cmdUnfold wrote %d bytes", len(got))
	}
}
