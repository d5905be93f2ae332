package heuristic

import (
	"slices"
	"strings"
	"testing"
)

// What the control flow plays, command by command, as cmd's documented
// rules run it (for /?, if /?, call /?, goto /?).
func TestBatchPlay(t *testing.T) {
	for _, c := range []struct {
		name, script string
		want         []string
	}{
		{"call and return", "call :a x\r\necho back\r\nexit /b\r\n:a\r\necho in a\r\ngoto :eof\r\n", []string{"echo in a", "echo back"}},
		{"rest of the line after a call", "call :a & echo after\r\nexit /b\r\n:a\r\necho in a\r\n", []string{"echo in a", "echo after"}},
		{"goto skips", "goto end\r\necho skipped\r\n:end\r\necho end\r\n", []string{"echo end"}},
		{"missing label stops", "goto nowhere\r\necho never\r\n", nil},
		{"known if", "set a=1\r\nif %a%==1 (echo one) else (echo other)\r\nif /i \"A\"==\"a\" echo folded\r\nif not defined zz echo undefined\r\n", []string{"set a=1", "echo one", "echo folded", "echo undefined"}},
		{"numbers compare as numbers", "if 10 GTR 9 echo yes\r\n", []string{"echo yes"}},
		{"unknown if: both ways", "if exist x.txt (echo there) else (echo not there)\r\necho next\r\n", []string{"echo there", "echo next", "echo not there", "echo next"}},
		{"block over lines", "if \"%1\"==\"\" (\r\n  echo no arg\r\n  echo usage\r\n)\r\n", []string{"echo no arg", "echo usage"}},
		{"for items", "for %%f in (a.txt,b.txt) do echo %%f %%~f\r\n", []string{"echo a.txt a.txt", "echo b.txt b.txt"}},
		{"for /l", "for /l %%i in (1,2,5) do echo %%i\r\n", []string{"echo 1", "echo 3", "echo 5"}},
		{"for /f tokens", "for /f \"tokens=2,3* delims=,\" %%a in (\"x,y,z,w,v\") do echo %%a %%b %%c\r\n", []string{"echo y z w v"}},
		{"for /f command", "for /f %%a in ('hostname') do echo %%a\r\n", []string{"hostname", "echo %a"}},
		{"percent expansion of a block before it runs", "set v=old\r\n(set v=new & echo %v%)\r\necho %v%\r\n", []string{"set v=old", "set v=new", "echo old", "echo new"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var got []string
			batchPlay(c.script, func(x string) bool { got = append(got, strings.TrimSpace(x)); return true })
			if !slices.Equal(got, c.want) {
				t.Errorf("played %q, want %q", got, c.want)
			}
		})
	}
}

// Loops, recursion and forks end within the bounds.
func TestBatchPlayBounded(t *testing.T) {
	for _, script := range []string{
		":a\r\necho x\r\ngoto a\r\n",
		":a\r\ncall :a\r\necho x\r\n",
		strings.Repeat("if exist x (set a=1) else (set a=2)\r\n", 200),
		strings.Repeat("for /l %%i in (1,1,99999) do for /l %%j in (1,1,99999) do echo %%i%%j\r\n", 50),
	} {
		n := 0
		batchPlay(script, func(string) bool { n++; return true })
		if n > batchMaxSteps {
			t.Errorf("%d commands played for %.40q", n, script)
		}
	}
}

func FuzzBatchPlay(f *testing.F) {
	f.Add("call :a\r\nfor /f \"tokens=1,2*\" %%a in (\"x y z\") do if %%a==x (goto a) else echo %%b\r\n:a\r\nexit /b\r\n")
	f.Fuzz(func(t *testing.T, script string) {
		n := 0
		batchPlay(script, func(string) bool { n++; return true })
		if n > batchMaxSteps {
			t.Fatalf("%d commands played", n)
		}
	})
}
