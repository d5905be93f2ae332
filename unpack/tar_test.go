package unpack

import (
	"slices"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

// tarNameTricks are tars whose members GNU tar, bsdtar or 7-Zip show
// otherwise than archive/tar reads them: the member's path below 2/x.tar/,
// the names it must carry, and whether the archive is ambiguous.
func tarNameTricks() map[string]struct {
	tar       []byte
	path      string
	alt       []string
	ambiguous bool
} {
	js := []byte("WScript.Shell kensa test")
	type trick = struct {
		tar       []byte
		path      string
		alt       []string
		ambiguous bool
	}
	t := formats.Tar
	type e = formats.TarEntry
	gnu := "ustar  \x00"
	pax := func(typ byte, kv ...string) e { return e{Name: "PaxHeader/x", Type: typ, Data: formats.PAX(kv...)} }
	long := func(n string) e { return e{Name: "././@LongLink", Type: 'L', Data: []byte(n + "\x00"), Magic: gnu} }
	return map[string]trick{
		// archive/tar keeps the GNU long name, GNU tar and 7-Zip the PAX path.
		"long name then PAX": {t(long("b.js"), pax('x', "path", "a.js"), e{Name: "a.txt", Type: '0', Data: js}), "b.js", []string{"a.js"}, true},
		"PAX then long name": {t(pax('x', "path", "a.js"), long("b.js"), e{Name: "a.txt", Type: '0', Data: js}), "b.js", []string{"a.js"}, true},
		// GNU tar gives a global path to members without their own.
		"global path": {t(pax('g', "path", "a.js"), e{Name: "a.txt", Type: '0', Data: js}), "a.txt", []string{"a.js"}, true},
		// Solaris' extended header: every tool but archive/tar reads it.
		"X header": {t(pax('X', "path", "a.js"), e{Name: "a.txt", Type: '0', Data: js}), "a.txt", []string{"a.js"}, true},
		// archive/tar refuses a NUL in a PAX path; bsdtar and GNU tar cut
		// it there, 7-Zip shows the header's name.
		"NUL in a PAX path": {t(pax('x', "path", "a.js\x00.txt"), e{Name: "a.txt", Type: '0', Data: js}), "a.js", []string{"a.txt"}, true},
		// archive/tar refuses a record of the wrong length; the others read the member.
		"bad PAX record": {t(e{Name: "PaxHeader/x", Type: 'x', Data: []byte("99 path=a.js\n")}, e{Name: "a.txt", Type: '0', Data: js}), "a.txt", nil, false},
		// Types every tool extracts as a file.
		"contiguous file": {t(e{Name: "a.js", Type: '7', Data: js}), "a.js", nil, false},
		"unknown type":    {t(e{Name: "a.js", Type: 'Z', Data: js}), "a.js", nil, false},
		// Honest: a PAX path, as Go and bsdtar write long or non-ASCII names.
		"honest PAX": {t(pax('x', "path", "請求書.pdf"), e{Name: "???.pdf", Type: '0', Data: js}), "請求書.pdf", nil, false},
		"honest GNU": {t(long("a-very-long-name.pdf"), e{Name: "a-very-long-na", Type: '0', Data: js, Magic: gnu}), "a-very-long-name.pdf", nil, false},
	}
}

func TestTarNameReadings(t *testing.T) {
	for name, tt := range tarNameTricks() {
		t.Run(name, func(t *testing.T) {
			m := mail("", "", "x.tar", tt.tar)
			expand(t, m, Options{})
			p := mustPart(t, m, "2/x.tar/"+tt.path)
			if string(p.Content) != "WScript.Shell kensa test" {
				t.Errorf("content %q", p.Content)
			}
			if !slices.Equal(p.AltNames, tt.alt) {
				t.Errorf("AltNames = %q, want %q\n%s", p.AltNames, tt.alt, dump(m))
			}
			if got := m.Parts[1].Ambiguous != ""; got != tt.ambiguous {
				t.Errorf("Ambiguous = %q, want ambiguous %v", m.Parts[1].Ambiguous, tt.ambiguous)
			}
			if len(m.Parts) != 3 {
				t.Errorf("want one member:\n%s", dump(m))
			}
		})
	}
}

// What GNU tar, bsdtar and 7-Zip list for each trick, Kensa has among the
// member's names (scripts/deps.sh test installs them).
func TestTarNamesAsToolsShowThem(t *testing.T) {
	list := map[string][]string{"tar": {"-tf"}, "bsdtar": {"-tf"}, "7z": {"l", "-slt", "-ba"}}
	for name, tt := range tarNameTricks() {
		namesAsToolsShowThem(t, name, "x.tar", tt.tar, list)
	}
}

// A PAX size record overrides the header's size: the walk must find the
// member behind it where archive/tar does, so that it names the right data.
func TestTarWalkPAXSize(t *testing.T) {
	data := []byte(strings.Repeat("x", 700))
	b := formats.Tar(formats.TarEntry{Name: "p", Type: 'x', Data: formats.PAX("path", "a.js", "size", "700")},
		formats.TarEntry{Name: "a.txt", Type: '0'}, // the header says 0 bytes
	)
	// Put the 700 bytes after the member's header, as a PAX writer would.
	hdrEnd := len(b) - 1024
	b = append(b[:hdrEnd:hdrEnd], append(data, make([]byte, 1024-700%512+1024)...)...)
	walk := tarWalk(b)
	if len(walk) != 1 || walk[0].size != 700 || walk[0].names[0] != "a.js" {
		t.Fatalf("walk = %+v", walk)
	}
	m := mail("", "", "x.tar", b)
	expand(t, m, Options{})
	if p := mustPart(t, m, "2/x.tar/a.js"); len(p.Content) != 700 || p.AltNames != nil {
		t.Errorf("a.js: %d bytes, AltNames %q\n%s", len(p.Content), p.AltNames, dump(m))
	}
}
