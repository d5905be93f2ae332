package unpack

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

const marker = "KENSA-TEST-MARKER harmless fixture"

type entry struct {
	name string
	data []byte
}

// zipOf is a zip of deflated members (formats.ArchiveZip).
func zipOf(t testing.TB, entries ...entry) []byte {
	t.Helper()
	zs := make([]formats.ZipEntry, len(entries))
	for i, e := range entries {
		zs[i] = formats.ZipEntry{Name: e.name, Data: e.data}
	}
	return formats.ArchiveZip(true, zs...)
}

func gzipOf(t testing.TB, name string, data []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Name = name
	zw.Write(data)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatalf("fixture %s (made by testdata/gen/unpack-fixtures.sh): %v", name, err)
	}
	return b
}

// mail is a message with a text body and one attachment as part 2.
func mail(subject, body, filename string, content []byte) *message.Message {
	return &message.Message{
		Subject: subject,
		Parts: []*message.Part{
			{Path: "1", DeclaredType: "text/plain", Content: []byte(body)},
			{Path: "2", Filename: filename, DeclaredType: "application/octet-stream", Content: content},
		},
	}
}

// expand is Expand with five minutes to unpack where opts set no time:
// these tests prove what is opened, and on a CI machine busy with other
// packages, under -race, a message unpacked in one second here can outlast
// the default 10 s and be cut short (ReasonTime), failing the test for the
// machine's speed. Five minutes still stops a hang. The time limit itself
// is tested with a limit of its own (TestLimits' "time budget"), and fuzz
// targets call Expand with theirs.
func expand(t testing.TB, m *message.Message, opts Options) {
	t.Helper()
	if opts.Limits.Timeout == 0 {
		opts.Limits.Timeout = 5 * time.Minute
	}
	Expand(context.Background(), m, opts)
}

func part(m *message.Message, path string) *message.Part {
	for _, p := range m.Parts {
		if p.Path == path {
			return p
		}
	}
	return nil
}

func mustPart(t testing.TB, m *message.Message, path string) *message.Part {
	t.Helper()
	p := part(m, path)
	if p == nil {
		t.Fatalf("no part %q; have:\n%s", path, dump(m))
	}
	return p
}

func problem(m *message.Message, reason string) *message.Problem {
	for i := range m.Problems {
		if m.Problems[i].Reason == reason {
			return &m.Problems[i]
		}
	}
	return nil
}

func mustProblem(t testing.TB, m *message.Message, reason, part string) {
	t.Helper()
	p := problem(m, reason)
	if p == nil {
		t.Fatalf("no %s problem; have:\n%s", reason, dump(m))
	}
	if !p.Unscannable {
		t.Errorf("%s problem is not unscannable", reason)
	}
	if part != "" && p.Part != part {
		t.Errorf("%s problem on part %q, want %q", reason, p.Part, part)
	}
}

func noProblems(t testing.TB, m *message.Message) {
	t.Helper()
	if len(m.Problems) > 0 {
		t.Fatalf("unexpected problems:\n%s", dump(m))
	}
}

func dump(m *message.Message) string {
	var b strings.Builder
	for _, p := range m.Parts {
		c := p.Content
		if len(c) > 40 {
			c = c[:40]
		}
		b.WriteString("  part " + p.Path + " [" + p.Filename + "] " + p.DetectedType + " " + strings.ToValidUTF8(string(c), "?") + "\n")
	}
	for _, p := range m.Problems {
		b.WriteString("  problem " + p.Part + " " + p.Reason + ": " + p.Detail + "\n")
	}
	return b.String()
}

// encryptedZip is a zip of deflated entries encrypted with pw: ZipCrypto
// when aesStrength is 0, WinZip AES-2 otherwise (formats.EncryptedZip, a
// writer independent of the reader under test).
func encryptedZip(t testing.TB, pw string, aesStrength byte, entries ...entry) []byte {
	t.Helper()
	zs := make([]formats.ZipEntry, len(entries))
	for i, e := range entries {
		zs[i] = formats.ZipEntry{Name: e.name, Data: e.data}
	}
	return formats.EncryptedZip(pw, aesStrength, true, zs...)
}

func readDir(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	return names, err
}

// namesAsToolsShowThem checks that every name a tool lists in archive
// (tools: each program and the arguments that make it list), Kensa has
// among the names of the members it reads (Filename and AltNames) when
// the archive is attached as filename. trick names the archive in errors.
func namesAsToolsShowThem(t *testing.T, trick, filename string, archive []byte, tools map[string][]string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), filename)
	if err := os.WriteFile(file, archive, 0o600); err != nil {
		t.Fatal(err)
	}
	m := mail("", "", filename, archive)
	expand(t, m, Options{})
	have := map[string]bool{}
	for _, p := range m.Parts[2:] {
		have[p.Filename] = true
		for _, n := range p.AltNames {
			have[n] = true
		}
	}
	for tool, args := range tools {
		bin, err := exec.LookPath(tool)
		if err != nil {
			t.Fatalf("%s not found (scripts/deps.sh test installs it): %v", tool, err)
		}
		// Exit codes vary with the damage the trick is, and warnings go to
		// stderr: the listing on stdout counts.
		out, _ := exec.Command(bin, append(args, file)...).Output()
		for _, line := range strings.Split(string(out), "\n") {
			line = strings.TrimSpace(line)
			if tool == "7z" {
				var ok bool
				if line, ok = strings.CutPrefix(line, "Path = "); !ok {
					continue
				}
			}
			if line == "" || strings.Contains(line, " ") {
				continue // warnings, not names (no trick's name has a space)
			}
			if n := path.Base(strings.TrimSuffix(line, "/")); !have[n] {
				t.Errorf("%s: %s shows %q, Kensa's names are %v", trick, tool, n, have)
			}
		}
	}
}

// truncateBytes is b cut to n bytes, for messages.
func truncateBytes(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// toolNeeded is the path of a tool scripts/deps.sh test installs; the test
// fails without it.
func toolNeeded(t testing.TB, tool string) string {
	t.Helper()
	p, err := exec.LookPath(tool)
	if err != nil {
		t.Fatalf("%s not found (scripts/deps.sh test installs it): %v", tool, err)
	}
	return p
}

// writeFiles writes files (slash-separated names, folders made as needed)
// under dir and returns their names.
func writeFiles(t testing.TB, dir string, files map[string][]byte) []string {
	t.Helper()
	var names []string
	for name, data := range files {
		file := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(file), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, data, 0o600); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	return names
}

// sameMembers fails the test unless each file is a member of m under base
// holding the bytes tool packed.
func sameMembers(t testing.TB, m *message.Message, base string, files map[string][]byte, tool string) {
	t.Helper()
	for name, data := range files {
		if got := mustPart(t, m, base+"/"+name); !bytes.Equal(got.Content, data) {
			t.Errorf("%s: read %d bytes, not the %d %s packed", name, len(got.Content), len(data), tool)
		}
	}
}
