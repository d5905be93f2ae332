package unpack

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

func TestRar(t *testing.T) {
	members := []formats.File{{Name: "docs/a.txt", Data: []byte(marker)}, {Name: "b.zip", Data: zipOf(t, entry{"c.txt", []byte(marker)})}}
	for name, archive := range map[string][]byte{
		"rar5": formats.RAR5(members...),
		"rar4": formats.RAR4(members...),
	} {
		t.Run(name, func(t *testing.T) {
			m := mail("", "", "x.rar", archive)
			expand(t, m, Options{})
			noProblems(t, m)
			if p := mustPart(t, m, "2/x.rar/docs/a.txt"); string(p.Content) != marker {
				t.Errorf("content %q", p.Content)
			}
			mustPart(t, m, "2/x.rar/b.zip/c.txt")
		})
	}
	t.Run("corrupt", func(t *testing.T) {
		b := formats.RAR5(formats.File{Name: "a.txt", Data: []byte(marker)})
		b[len("Rar!\x1A\x07\x01\x00")+20] ^= 0xFF
		m := mail("", "", "x.rar", b)
		expand(t, m, Options{})
		if p := problem(m, ReasonCorrupt); p == nil || !strings.HasPrefix(p.Part, "2") {
			t.Fatalf("want corrupt-archive:\n%s", dump(m))
		}
	})
	t.Run("header shorter than its CRC", func(t *testing.T) {
		// rardecode v2.4.6 indexes past this RAR 1.5 block header and
		// panics; the reader says corrupt-archive, with no stack.
		m := mail("", "", "x.rar", []byte("Rar!\x1a\a\x00\xcf\x90s\x00\x00\r\x00\x00\x00\x00\x00\x00\x0000w00\a\x00"))
		expand(t, m, Options{})
		p := problem(m, ReasonCorrupt)
		if p == nil || !strings.Contains(p.Detail, "reader panicked") || p.Stack != "" {
			t.Fatalf("want corrupt-archive from the rar reader itself:\n%s", dump(m))
		}
	})
}

// RAR names as 7-Zip shows them: a name ended by a NUL (RAR 4 and 5), and the
// OEM name where the Unicode one is broken (rardecode gives ""). Each
// case is checked against 7-Zip's listing too.
func TestRar4Names(t *testing.T) {
	js := []byte("WScript.Shell kensa test")
	tests := []struct {
		name  string
		rar   []byte
		path  string // below 2/x.rar/
		alt   []string
		shown string // what 7-Zip lists
	}{
		{"NUL in the name", formats.RAR4(formats.File{Name: "invoice.exe\x00.txt", Data: js}), "invoice.exe.txt", []string{"invoice.exe"}, "invoice.exe"},
		{"NUL in a RAR 5 name", formats.RAR5(formats.File{Name: "invoice.exe\x00.txt", Data: js}), "invoice.exe.txt", []string{"invoice.exe"}, "invoice.exe"},
		{"broken Unicode name", formats.RAR4Flags(0x200, formats.File{Name: "invoice.exe\x00\x01", Data: js}), "invoice.exe", nil, "invoice.exe"},
		{"OEM and Unicode names", formats.RAR4Flags(0x200, formats.File{Name: formats.RAR4Unicode("invoice.exe", "invoice.txt"), Data: js}), "invoice.txt", []string{"invoice.exe"}, "invoice.txt"},
		{"honest Unicode name", formats.RAR4Flags(0x200, formats.File{Name: formats.RAR4Unicode("r?sum?.txt", "résumé.txt"), Data: js}), "résumé.txt", []string{"r?sum?.txt"}, "résumé.txt"},
	}
	sevenZip, err := exec.LookPath("7z")
	if err != nil {
		t.Fatalf("7z not found (scripts/deps.sh test installs p7zip-full): %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mail("", "", "x.rar", tt.rar)
			expand(t, m, Options{})
			p := mustPart(t, m, "2/x.rar/"+tt.path)
			if !slices.Equal(p.AltNames, tt.alt) || string(p.Content) != string(js) {
				t.Errorf("AltNames %q, content %q; want %q\n%s", p.AltNames, p.Content, tt.alt, dump(m))
			}
			file := filepath.Join(t.TempDir(), "x.rar")
			if err := os.WriteFile(file, tt.rar, 0o600); err != nil {
				t.Fatal(err)
			}
			out, _ := exec.Command(sevenZip, "l", "-slt", "-ba", file).Output()
			if !strings.Contains(string(out), "Path = "+tt.shown+"\n") {
				t.Errorf("7-Zip lists otherwise than the test says:\n%s", out)
			}
			if tt.shown != baseName(p.Filename) && !slices.Contains(p.AltNames, tt.shown) {
				t.Errorf("7-Zip shows %q, Kensa's names are %q and %q", tt.shown, p.Filename, p.AltNames)
			}
		})
	}
}

// Encrypted RAR 5 archives (formats.EncryptedRAR5, which 7-Zip opens:
// TestEncryptedRAR5With7z), names in clear and encrypted (rar -hp), opened
// with the password the body gives, and locked without it.
func TestEncryptedRar5(t *testing.T) {
	for _, headers := range []bool{false, true} {
		rar := formats.EncryptedRAR5("Rx-5512", headers, formats.File{Name: "a.txt", Data: []byte(marker)})
		t.Run(fmt.Sprint("headers ", headers), func(t *testing.T) {
			m := mail("", "Das Kennwort lautet Rx-5512", "x.rar", rar)
			expand(t, m, Options{})
			noProblems(t, m)
			if m.Parts[1].UnlockedBy != "body" {
				t.Errorf("UnlockedBy %q", m.Parts[1].UnlockedBy)
			}
			if p := mustPart(t, m, "2/x.rar/a.txt"); string(p.Content) != marker {
				t.Errorf("content %q", p.Content)
			}
			m = mail("", "Kennwort: falsch", "x.rar", rar)
			expand(t, m, Options{})
			mustProblem(t, m, ReasonEncrypted, "2")
			if !m.Parts[1].Encrypted {
				t.Error("locked rar not marked Encrypted")
			}
		})
	}
}
