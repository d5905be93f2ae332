package corpus

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/testmail"

	"github.com/kensa-milter/kensa/message"
)

// encodingSamples are the payloads the encoding writers are checked with:
// every byte value, line-length edges, and the characters each format
// escapes.
func encodingSamples() map[string][]byte {
	all := make([]byte, 256)
	for i := range all {
		all[i] = byte(i)
	}
	return map[string][]byte{
		"all-bytes.bin": bytes.Repeat(all, 3),
		"one.txt":       []byte("x"),
		"line45.txt":    bytes.Repeat([]byte("A"), 45),
		"escapes.bin":   []byte("\x00\r\n=.\t \x90\x90\x90\xd6\xe0\xe3\x13"),
		"invoice.exe":   fakePE("encodings test"),
	}
}

// Debian's uudecode (sharutils) reads what Uuencode and UuencodeBase64 write.
func TestUuencodeAgainstSharutils(t *testing.T) {
	uudecode := tool(t, "uudecode", "sharutils")
	for name, data := range encodingSamples() {
		for _, enc := range []func(string, []byte) string{Uuencode, UuencodeBase64} {
			dir := t.TempDir()
			in := filepath.Join(dir, "in.uu")
			if err := os.WriteFile(in, []byte(enc(name, data)), 0o600); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out")
			if b, err := exec.Command(uudecode, "-o", out, in).CombinedOutput(); err != nil {
				t.Fatalf("%s: uudecode: %v: %s", name, err, b)
			}
			got, err := os.ReadFile(out)
			if err != nil || !bytes.Equal(got, data) {
				t.Errorf("%s: uudecode gave %d bytes (%v), want %d", name, len(got), err, len(data))
			}
		}
	}
}

// Debian's tnef reads the attachments and their names from what TNEF writes.
func TestTNEFAgainstDebianTnef(t *testing.T) {
	tnef := tool(t, "tnef", "tnef")
	files := []TNEFFile{{"invoice.exe", fakePE("tnef test")}, {"notes.txt", []byte("meeting notes\r\n")}}
	dir := t.TempDir()
	in := filepath.Join(dir, "winmail.dat")
	if err := os.WriteFile(in, TNEF("Hello from Outlook.\r\n", files...), 0o600); err != nil {
		t.Fatal(err)
	}
	list, err := exec.Command(tnef, "-t", in).CombinedOutput()
	if err != nil {
		t.Fatalf("tnef -t: %v: %s", err, list)
	}
	out := filepath.Join(dir, "out")
	if err := os.Mkdir(out, 0o700); err != nil {
		t.Fatal(err)
	}
	if b, err := exec.Command(tnef, "-C", out, "--overwrite", in).CombinedOutput(); err != nil {
		t.Fatalf("tnef -C: %v: %s", err, b)
	}
	for _, f := range files {
		if !strings.Contains(string(list), f.Name) {
			t.Errorf("tnef -t does not list %s: %s", f.Name, list)
		}
		got, err := os.ReadFile(filepath.Join(out, f.Name))
		if err != nil || !bytes.Equal(got, f.Data) {
			t.Errorf("tnef saved %s as %d bytes (%v), want %d", f.Name, len(got), err, len(f.Data))
		}
	}
}

// The message package finds every file these writers encode, by name and
// bytes, in a text body (uuencode, yEnc, BinHex) or a winmail.dat part.
func TestWritersAgainstMessage(t *testing.T) {
	for name, data := range encodingSamples() {
		bodies := map[string]string{
			"uuencode":        Uuencode(name, data),
			"uuencode-base64": UuencodeBase64(name, data),
			"yenc":            YEncode(name, data),
			"binhex":          BinHex(name, data),
		}
		for enc, body := range bodies {
			raw := "From: a@example.com\r\nSubject: enc\r\nContent-Type: text/plain\r\n\r\nSee below.\r\n\r\n" + body + "\r\nBye.\r\n"
			checkFound(t, enc+"/"+name, raw, name, data)
		}
		tn := TNEF("body", TNEFFile{name, data})
		raw := "From: a@example.com\r\nSubject: tnef\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhi\r\n--b\r\n" +
			"Content-Type: application/ms-tnef; name=winmail.dat\r\nContent-Transfer-Encoding: base64\r\n\r\n" + testmail.Base64(tn) + "\r\n--b--\r\n"
		checkFound(t, "tnef/"+name, raw, name, data)
	}
}

func checkFound(t *testing.T, what, raw, name string, data []byte) {
	t.Helper()
	m, err := message.Parse([]byte(raw))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range m.Parts {
		if p.Filename == name && bytes.Equal(p.Content, data) {
			for _, pr := range m.Problems {
				if strings.HasPrefix(pr.Part, p.Path) {
					t.Errorf("%s: problem %+v", what, pr)
				}
			}
			return
		}
	}
	var got []string
	for _, p := range m.Parts {
		got = append(got, p.Path+" "+p.Filename)
	}
	t.Errorf("%s: no part %q with the data; parts %v, problems %+v", what, name, got, m.Problems)
}

// tool finds a Debian tool the test needs; scripts/deps.sh test installs it.
func tool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found (Debian package %s; run scripts/deps.sh test): %v", name, pkg, err)
	}
	return p
}

// Whatever the bytes and name, the message package reads back what each
// writer wrote: the same name and the same bytes.
func FuzzEncodingsRoundTrip(f *testing.F) {
	for name, data := range encodingSamples() {
		f.Add(name, data)
	}
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		if len(data) == 0 || len(data) > 1<<16 {
			return
		}
		// A name a writer can carry on one line, as mailers write them.
		name = strings.Map(func(r rune) rune {
			if r < 0x21 || r == 0x7f || r == 0xfffd {
				return -1
			}
			return r
		}, strings.ToValidUTF8(name, ""))
		if name == "" || len(name) > 60 {
			name = "file.bin"
		}
		checkFound(t, "uuencode", "Subject: x\r\nContent-Type: text/plain\r\n\r\nhi\r\n"+Uuencode(name, data), name, data)
		checkFound(t, "uuencode -m", "Subject: x\r\nContent-Type: text/plain\r\n\r\nhi\r\n"+UuencodeBase64(name, data), name, data)
		checkFound(t, "yEnc", "Subject: x\r\nContent-Type: text/plain\r\n\r\nhi\r\n"+YEncode(name, data), name, data)
		if len(name) < 64 {
			checkFound(t, "BinHex", "Subject: x\r\nContent-Type: text/plain\r\n\r\nhi\r\n"+BinHex(name, data), name, data)
		}
		raw := "Subject: x\r\nMIME-Version: 1.0\r\nContent-Type: application/ms-tnef\r\nContent-Transfer-Encoding: base64\r\n\r\n" + testmail.Base64(TNEF("", TNEFFile{name, data}))
		checkFound(t, "TNEF", raw, name, data)
	})
}
