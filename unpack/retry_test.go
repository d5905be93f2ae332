package unpack

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// mixedZip is Info-ZIP's zip of a plain readme.txt and marker.txt under pw.
func mixedZip(t *testing.T, pw string) []byte {
	t.Helper()
	dir := t.TempDir()
	for name, data := range map[string]string{"readme.txt": "Open the other file.\n", "marker.txt": marker} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	zipBin := toolNeeded(t, "zip")
	for _, args := range [][]string{{"-q", "-P", pw, "out.zip", "marker.txt"}, {"-q", "out.zip", "readme.txt"}} {
		cmd := exec.Command(zipBin, args...)
		cmd.Dir = dir
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("zip: %v\n%s", err, b)
		}
	}
	b, err := os.ReadFile(filepath.Join(dir, "out.zip"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// paths lists the parts' paths below prefix.
func pathsBelow(m *message.Message, prefix string) []string {
	var out []string
	for _, p := range m.Parts {
		if strings.HasPrefix(p.Path, prefix) {
			out = append(out, p.Path)
		}
	}
	return out
}

// A locked archive set aside comes back as it was when nothing after it
// gives its password, and opens once with what a later archive gives: its
// plain members once each, under their own paths.
func TestLockedRetry(t *testing.T) {
	const pw = "Zq4471x"
	box := mixedZip(t, pw)
	hello := textPart("text/plain", "Please see the attached files.\n")
	logo := filePart("logo.gif", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"))
	pwRar := formats.RAR5(formats.File{Name: "password.txt", Data: []byte("Password: " + pw + "\r\n")})

	t.Run("no password after it", func(t *testing.T) {
		m := parsed(t, mixed("Files", hello, filePart("box.zip", box), logo, filePart("notes.rar", formats.RAR5(formats.File{Name: "notes.txt", Data: []byte("Agenda.\n")}))))
		expand(t, m, Options{})
		mustProblem(t, m, ReasonEncrypted, "2")
		got := strings.Join(pathsBelow(m, "2/"), " ")
		if got != "2/box.zip/marker.txt 2/box.zip/readme.txt" && got != "2/box.zip/readme.txt 2/box.zip/marker.txt" {
			t.Errorf("members %q, want readme.txt and the locked marker.txt once each", got)
		}
		if p := m.Parts[1]; !p.Encrypted || p.UnlockedBy != "" {
			t.Errorf("Encrypted %v UnlockedBy %q, want locked", p.Encrypted, p.UnlockedBy)
		}
		n := 0
		for _, pr := range m.Problems {
			if pr.Reason == ReasonEncrypted {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%d encrypted-archive problems, want 1: %+v", n, m.Problems)
		}
	})
	t.Run("password in a rar after it", func(t *testing.T) {
		m := parsed(t, mixed("Files", hello, filePart("box.zip", box), logo, filePart("password.rar", pwRar)))
		expand(t, m, Options{})
		if p := problem(m, ReasonEncrypted); p != nil {
			t.Fatalf("still locked: %+v\n%s", p, dump(m))
		}
		got := strings.Join(pathsBelow(m, "2/"), " ")
		if got != "2/box.zip/marker.txt 2/box.zip/readme.txt" && got != "2/box.zip/readme.txt 2/box.zip/marker.txt" {
			t.Errorf("members %q, want readme.txt and marker.txt once each", got)
		}
		if p := m.Parts[1]; p.Encrypted || p.UnlockedBy != "attachment" {
			t.Errorf("Encrypted %v UnlockedBy %q, want opened by the attachment", p.Encrypted, p.UnlockedBy)
		}
		for _, p := range m.Parts {
			if p.Path == "2/box.zip/marker.txt" && string(p.Content) != marker {
				t.Errorf("marker.txt is %q", p.Content)
			}
		}
	})
	t.Run("tries go on from the first run's", func(t *testing.T) {
		var body strings.Builder
		for i := range 5 {
			body.WriteString("password: decoy" + string(rune('a'+i)) + "\n")
		}
		m := parsed(t, mixed("Files", textPart("text/plain", body.String()), filePart("box.zip", box), logo, filePart("password.rar", pwRar)))
		expand(t, m, Options{Limits: Limits{MaxPasswordTries: 5}})
		if p := problem(m, ReasonEncrypted); p == nil || !strings.Contains(p.Detail, "5 password tries") {
			t.Errorf("problem %+v, want the archive locked after 5 tries in all", p)
		}
	})
}
