package unpack

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

// arjOf packs files with Debian's arj in method m (0 to 4).
func arjOf(t testing.TB, m int, files map[string][]byte, extra ...string) []byte {
	t.Helper()
	arj := toolNeeded(t, "arj")
	src := t.TempDir()
	names := writeFiles(t, src, files)
	out := filepath.Join(t.TempDir(), "x.arj")
	args := append([]string{"a", "-y", "-i", "-m" + string(rune('0'+m))}, extra...)
	cmd := exec.Command(arj, append(append(args, out), names...)...)
	cmd.Dir = src
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("arj a: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// What arj packs in each method Kensa reads byte for byte under the names
// arj lists.
func TestArjAsArj(t *testing.T) {
	files := methodFiles()
	files["docs/sub/invoice.js"] = files["invoice.js"]
	for m := 0; m <= 4; m++ {
		t.Run(string(rune('0'+m)), func(t *testing.T) {
			b := arjOf(t, m, files)
			msg := mail("", "", "x.arj", b)
			expand(t, msg, Options{})
			noProblems(t, msg)
			for name, data := range files {
				got := mustPart(t, msg, "2/x.arj/"+name)
				if !bytes.Equal(got.Content, data) {
					t.Errorf("%s: read %d bytes, not the %d arj packed", name, len(got.Content), len(data))
				}
			}
		})
	}
}

// sevenZipPaths lists archive as 7-Zip (7zz) does: each item's Path.
func sevenZipPaths(t testing.TB, filename string, archive []byte) []string {
	t.Helper()
	bin := toolNeeded(t, "7zz")
	file := filepath.Join(t.TempDir(), filename)
	if err := os.WriteFile(file, archive, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "l", "-slt", "-ba", file).CombinedOutput()
	if err != nil {
		t.Fatalf("7zz l: %v\n%s", err, out)
	}
	var paths []string
	for _, line := range strings.Split(string(out), "\n") {
		if p, ok := strings.CutPrefix(strings.TrimRight(line, "\r"), "Path = "); ok {
			paths = append(paths, p)
		}
	}
	return paths
}

// sevenZipExtract is what 7zz extracts from archive: each file's path
// (slash-separated) and bytes.
func sevenZipExtract(t testing.TB, filename string, archive []byte) map[string][]byte {
	t.Helper()
	bin := toolNeeded(t, "7zz")
	dir := t.TempDir()
	file := filepath.Join(dir, filename)
	if err := os.WriteFile(file, archive, 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out")
	if b, err := exec.Command(bin, "x", "-y", "-o"+out, file).CombinedOutput(); err != nil {
		t.Fatalf("7zz x: %v\n%s", err, b)
	}
	got := map[string][]byte{}
	err := filepath.WalkDir(out, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(out, p)
		got[filepath.ToSlash(rel)] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// 7-Zip extracts what Kensa reads, from archives arj made and from
// formats.Arj's; and arj extracts formats.Arj's archives (the corpus
// writer) as written.
func TestArjAs7zz(t *testing.T) {
	files := methodFiles()
	files["docs/sub/invoice.js"] = files["invoice.js"]
	cases := map[string][]byte{
		"arj -m1": arjOf(t, 1, files),
		"arj -m4": arjOf(t, 4, files),
	}
	var fs []formats.File
	for name, data := range files {
		fs = append(fs, formats.File{Name: name, Data: data})
	}
	cases["formats.Arj"] = formats.Arj(fs...)
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			want := sevenZipExtract(t, "x.arj", b)
			msg := mail("", "", "x.arj", b)
			expand(t, msg, Options{})
			noProblems(t, msg)
			if len(msg.Parts)-2 != len(want) {
				t.Errorf("Kensa read %d members, 7-Zip extracts %d:\n%s", len(msg.Parts)-2, len(want), dump(msg))
			}
			for name, data := range want {
				if got := mustPart(t, msg, "2/x.arj/"+name); !bytes.Equal(got.Content, data) {
					t.Errorf("%s: read %d bytes, 7-Zip %d", name, len(got.Content), len(data))
				}
			}
		})
	}
	t.Run("arj extracts formats.Arj", func(t *testing.T) {
		arj := toolNeeded(t, "arj")
		dir := t.TempDir()
		file := filepath.Join(dir, "x.arj")
		if err := os.WriteFile(file, cases["formats.Arj"], 0o600); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "out")
		if b, err := exec.Command(arj, "x", "-y", file, out+"/").CombinedOutput(); err != nil {
			t.Fatalf("arj x: %v\n%s", err, b)
		}
		for name, data := range files {
			got, err := os.ReadFile(filepath.Join(out, name))
			if err != nil || !bytes.Equal(got, data) {
				t.Errorf("%s: arj extracted %d bytes (%v), want %d", name, len(got), err, len(data))
			}
		}
	})
}

// Names an attacker picks read safely, and every name 7-Zip shows is a
// name Kensa reads.
func TestArjNames(t *testing.T) {
	pe := []byte("MZ\x90\x00fake")
	names := []string{"../../evil.exe", `..\..\win.exe`, "inv\x07oice.exe", "dir\\sub\\x.scr", "\x1b[31mred.js", "space name.exe", "ok.txt"}
	var fs []formats.File
	for _, n := range names {
		fs = append(fs, formats.File{Name: n, Data: pe})
	}
	b := formats.Arj(fs...)
	msg := mail("", "", "x.arj", b)
	expand(t, msg, Options{})
	noProblems(t, msg)
	have := map[string]bool{}
	for _, p := range msg.Parts[2:] {
		if !strings.HasPrefix(p.Path, "2/x.arj/") || strings.Contains(p.Path, "/../") || strings.ContainsAny(p.Path, "\x00\x07\x1b\\") {
			t.Errorf("unsafe path %q", p.Path)
		}
		have[p.Filename] = true
	}
	for _, p := range sevenZipPaths(t, "x.arj", b) {
		base := p[strings.LastIndexAny(p, `/\`)+1:]
		if !have[base] {
			t.Errorf("7-Zip shows %q, Kensa's names are %v", p, have)
		}
	}
	if len(msg.Parts)-2 != len(names) {
		t.Errorf("read %d members of %d:\n%s", len(msg.Parts)-2, len(names), dump(msg))
	}
}

// A member garbled with a password the mail gives is opened with it (a
// password arj itself garbled with, and formats.ArjGarbled's); without
// one, the archive is encrypted-archive with its members listed.
func TestArjGarbled(t *testing.T) {
	files := map[string][]byte{"invoice.js": methodFiles()["invoice.js"], "report.txt": methodFiles()["report.txt"]}
	for name, b := range map[string][]byte{
		"arj -m1 -g": arjOf(t, 1, files, "-gS3cret9"),
		"arj -m0 -g": arjOf(t, 0, files, "-gS3cret9"),
		"formats.ArjGarbled": formats.ArjGarbled("S3cret9",
			formats.File{Name: "invoice.js", Data: files["invoice.js"]}, formats.File{Name: "report.txt", Data: files["report.txt"]}),
	} {
		t.Run(name, func(t *testing.T) {
			msg := mail("", "Your invoice. Password: S3cret9", "x.arj", b)
			expand(t, msg, Options{})
			noProblems(t, msg)
			if got := msg.Parts[1].UnlockedBy; got != "body" {
				t.Errorf("UnlockedBy %q, want body", got)
			}
			for n, data := range files {
				if got := mustPart(t, msg, "2/x.arj/"+n); !bytes.Equal(got.Content, data) {
					t.Errorf("%s: read %d bytes, want %d", n, len(got.Content), len(data))
				}
			}
			msg = mail("", "Your invoice. Password: wrong1", "x.arj", b)
			expand(t, msg, Options{})
			mustProblem(t, msg, ReasonEncrypted, "2")
			if p := mustPart(t, msg, "2/x.arj/invoice.js"); !p.Encrypted || len(p.Content) != 0 {
				t.Errorf("garbled member not listed as encrypted: %+v", p)
			}
		})
	}
}

// A member that continues in the next volume is read as far as the
// volume goes and the archive is unsupported-container: one volume alone
// never passes as a whole archive.
func TestArjVolume(t *testing.T) {
	arj := toolNeeded(t, "arj")
	src := t.TempDir()
	big := bytes.Repeat([]byte("MZ\x90\x00 fake program text that compresses "), 20000)
	writeFiles(t, src, map[string][]byte{"big.exe": big})
	cmd := exec.Command(arj, "a", "-y", "-i", "-v100k", "-m0", "vol.arj", "big.exe")
	cmd.Dir = src
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("arj a -v: %v\n%s", err, out)
	}
	for _, vol := range []string{"vol.arj", "vol.a01"} {
		b, err := os.ReadFile(filepath.Join(src, vol))
		if err != nil {
			t.Fatal(err)
		}
		msg := mail("", "", vol, b)
		expand(t, msg, Options{})
		mustProblem(t, msg, ReasonUnsupported, "2")
		p := mustPart(t, msg, "2/"+vol+"/big.exe")
		if len(p.Content) < 90000 || !bytes.Contains(big, p.Content[:1000]) {
			t.Errorf("%s: read %d bytes of the volume's part", vol, len(p.Content))
		}
	}
}

// arjEdit changes the first member header of an archive formats.Arj
// wrote (method, declared sizes) and puts data in place of its data,
// keeping the header CRC right: the lies a header can tell.
func arjEdit(method byte, packed, size uint32, data []byte) []byte {
	b := formats.Arj(formats.File{Name: "x.exe", Data: []byte("MZ")})
	off := 4 + int(binary.LittleEndian.Uint16(b[2:])) + 6 // the member header
	n := int(binary.LittleEndian.Uint16(b[off+2:]))
	h := b[off+4 : off+4+n]
	h[5] = method
	binary.LittleEndian.PutUint32(h[12:], packed)
	binary.LittleEndian.PutUint32(h[16:], size)
	binary.LittleEndian.PutUint32(b[off+4+n:], crc32.ChecksumIEEE(h))
	out := append([]byte{}, b[:off+4+n+6]...)
	out = append(out, data...)
	return append(out, 0x60, 0xea, 0, 0)
}

// Lies and bombs end in a named problem, never a hang or a silent clean.
func TestArjHostile(t *testing.T) {
	packed := zeroBitLiterals(40)
	random := make([]byte, 4000)
	for i := range random {
		random[i] = byte(i*7919 + i>>3)
	}
	tests := []struct {
		name   string
		b      []byte
		reason string
	}{
		{"stored member past the end", arjEdit(0, 1<<30, 1<<30, []byte("MZ")), ReasonCorrupt},
		{"stored sizes that differ", arjEdit(0, 2, 1<<20, []byte("MZ")), ReasonCorrupt},
		{"zero-bit literals claiming 4 GiB", arjEdit(1, uint32(len(packed)), 0xffffffff, packed), ReasonRatio},
		{"noise as method 1", arjEdit(1, 4000, 1<<20, random), ReasonCorrupt},
		{"noise as method 4", arjEdit(4, 4000, 1<<20, random), ReasonCorrupt},
		{"unknown method", arjEdit(7, 2, 2, []byte("MZ")), ReasonUnsupported},
		{"CRC mismatch", arjEdit(0, 2, 2, []byte("ZM")), ReasonCorrupt},
		{"cut short", formats.Arj(formats.File{Name: "a.exe", Data: []byte("MZ")})[:60], ReasonCorrupt},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msg := mail("", "", "x.arj", tc.b)
			expand(t, msg, Options{})
			mustProblem(t, msg, tc.reason, "2")
		})
	}
}

// zeroBitLiterals is blocks of 65535 symbols of LHA's (and ARJ's) static
// Huffman coding in which every code table is one symbol sent in no bits:
// a literal 'A' each, output without input, 54 bits a block.
func zeroBitLiterals(blocks int) []byte {
	var bits []byte
	w := func(v, n int) { // MSB first, one bit a byte, packed below
		for i := n - 1; i >= 0; i-- {
			bits = append(bits, byte(v>>i&1))
		}
	}
	for range blocks {
		w(0xffff, 16) // symbols in the block
		w(0, 5)       // code-length code: a single symbol
		w(0, 5)       // ... 0
		w(0, 9)       // literal code: a single symbol
		w('A', 9)     // ... 'A'
		w(0, 5)       // position code: a single symbol
		w(0, 5)       // ... 0
	}
	packed := make([]byte, (len(bits)+7)/8+2)
	for i, bit := range bits {
		packed[i/8] |= bit << (7 - i%8)
	}
	return packed
}
