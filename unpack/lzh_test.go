package unpack

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

// lzhOf packs files with jLHA (Debian's lha command, jlha-utils) with
// options such as "c2o7" (create, header level 2, -lh7-).
func lzhOf(t testing.TB, opts string, files map[string][]byte) []byte {
	t.Helper()
	lha := toolNeeded(t, "lha")
	src := t.TempDir()
	names := writeFiles(t, src, files)
	out := filepath.Join(t.TempDir(), "x.lzh")
	cmd := exec.Command(lha, append([]string{opts, out}, names...)...)
	cmd.Dir = src
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("lha %s: %v\n%s", opts, err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// What jLHA packs, in every header level it writes and every method, Kensa
// reads byte for byte, as lhasa (another implementation) and 7-Zip
// extract it.
func TestLzhAsLhasaAnd7zz(t *testing.T) {
	lhasa := toolNeeded(t, "lhasa")
	files := methodFiles()
	files["docs/sub/invoice.js"] = files["invoice.js"]
	for _, opts := range []string{"c0o5", "c1o5", "c2o5", "c0o6", "c1o6", "c2o6", "c0o7", "c1o7", "c2o7", "c2z"} {
		t.Run(opts, func(t *testing.T) {
			b := lzhOf(t, opts, files)
			if opts[2] == 'o' && !bytes.Contains(b, []byte("-lh"+opts[3:]+"-")) {
				t.Fatalf("jLHA wrote no -lh%s- member", opts[3:])
			}
			msg := mail("", "", "x.lzh", b)
			expand(t, msg, Options{})
			noProblems(t, msg)
			for name, data := range files {
				got := mustPart(t, msg, "2/x.lzh/"+name)
				if !bytes.Equal(got.Content, data) {
					t.Errorf("%s: read %d bytes, not the %d jLHA packed", name, len(got.Content), len(data))
				}
			}
			// lhasa and 7-Zip extract the same files.
			dir := t.TempDir()
			file := filepath.Join(dir, "x.lzh")
			if err := os.WriteFile(file, b, 0o600); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out")
			if err := os.Mkdir(out, 0o700); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(lhasa, "xq", file)
			cmd.Dir = out
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("lhasa x: %v\n%s", err, b)
			}
			seven := sevenZipExtract(t, "x.lzh", b)
			for name, data := range files {
				if got, err := os.ReadFile(filepath.Join(out, name)); err != nil || !bytes.Equal(got, data) {
					t.Errorf("%s: lhasa extracted %d bytes (%v), Kensa %d", name, len(got), err, len(data))
				}
				if !bytes.Equal(seven[name], data) {
					t.Errorf("%s: 7-Zip extracted %d bytes, Kensa %d", name, len(seven[name]), len(data))
				}
			}
		})
	}
}

// formats.Lzh's archives (the corpus writer), in each header level, test
// good with lhasa, and Kensa reads the names 7-Zip shows (levels 0 to 2:
// 7-Zip refuses level 3); names an attacker picks read safely.
func TestLzhWriterAndNames(t *testing.T) {
	lhasa := toolNeeded(t, "lhasa")
	files := []formats.File{
		{Name: "docs/sub/invoice.js", Data: []byte("var a = 1;\r\n")},
		{Name: "readme.txt", Data: []byte(marker)},
		{Name: "../../evil.exe", Data: []byte("MZ\x90\x00")},
		{Name: "inv\x07oice.scr", Data: []byte("MZ\x90\x00")},
	}
	for level := range 4 {
		t.Run(fmt.Sprint("level ", level), func(t *testing.T) {
			b := formats.Lzh(level, files...)
			msg := mail("", "", "x.lzh", b)
			expand(t, msg, Options{})
			noProblems(t, msg)
			have := map[string]bool{}
			for _, p := range msg.Parts[2:] {
				if !strings.HasPrefix(p.Path, "2/x.lzh/") || strings.Contains(p.Path, "/../") || strings.ContainsAny(p.Path, "\x00\x07\\") {
					t.Errorf("unsafe path %q", p.Path)
				}
				have[p.Filename] = true
			}
			var seven []string
			if level < 3 { // 7-Zip reads levels 0 to 2
				seven = sevenZipPaths(t, "x.lzh", b)
			}
			for _, p := range seven {
				if base := p[strings.LastIndexAny(p, `/\`)+1:]; !have[base] {
					t.Errorf("7-Zip shows %q, Kensa's names are %v", p, have)
				}
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "x.lzh"), b, 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(lhasa, "t", filepath.Join(dir, "x.lzh")).CombinedOutput()
			if err != nil || bytes.Count(out, []byte("Tested")) != len(files) {
				t.Errorf("lhasa t: %v\n%s", err, out)
			}
			if got := mustPart(t, msg, "2/x.lzh/docs/sub/invoice.js"); !bytes.Equal(got.Content, files[0].Data) {
				t.Errorf("read %q", got.Content)
			}
		})
	}
}

// lzhEdit is a level 2 archive of one member (formats.Lzh) with its method,
// declared sizes and data replaced: the lies a header can tell.
func lzhEdit(method string, packed, size uint32, data []byte) []byte {
	b := formats.Lzh(2, formats.File{Name: "x.exe", Data: []byte("MZ")})
	total := int(binary.LittleEndian.Uint16(b))
	copy(b[2:7], method)
	binary.LittleEndian.PutUint32(b[7:], packed)
	binary.LittleEndian.PutUint32(b[11:], size)
	return append(append(b[:total:total], data...), 0)
}

// Lies and bombs end in a named problem, never a hang or a silent clean.
func TestLzhHostile(t *testing.T) {
	level1 := func(edit func(h []byte)) []byte {
		b := formats.Lzh(1, formats.File{Name: "docs/x.exe", Data: []byte("MZ")})
		total := int(b[0]) + 2
		edit(b[:total])
		var sum byte
		for _, c := range b[2:total] {
			sum += c
		}
		b[1] = sum
		return b
	}
	// A level 1 header followed by 100000 tiny extended headers, each
	// naming the next: a long walk, but forward only.
	chain := level1(func(h []byte) {})
	{
		total := int(chain[0]) + 2
		ext := chain[total:]
		var long []byte
		for range 100000 {
			long = append(long, 0x40, 0, 0, 5, 0) // attributes, then the next's size
		}
		h := append([]byte{}, chain[:total]...)
		copy(long[len(long)-2:], h[total-2:]) // the last names the folder header
		long = append(long, ext...)
		binary.LittleEndian.PutUint16(h[total-2:], 5)
		binary.LittleEndian.PutUint32(h[7:], binary.LittleEndian.Uint32(h[7:])+uint32(len(long)-len(ext)))
		var sum byte
		for _, c := range h[2:] {
			sum += c
		}
		h[1] = sum
		chain = append(h, long...)
	}
	tests := []struct {
		name   string
		b      []byte
		reason string
	}{
		{"stored member past the end", lzhEdit("-lh0-", 1<<30, 1<<30, []byte("MZ")), ReasonCorrupt},
		{"stored sizes that differ", lzhEdit("-lh0-", 2, 1<<20, []byte("MZ")), ReasonCorrupt},
		{"zero-bit literals claiming 4 GiB", lzhEdit("-lh7-", uint32(len(zeroBitLiterals(40))), 0xffffffff, zeroBitLiterals(40)), ReasonRatio},
		{"noise as -lh7-", lzhEdit("-lh7-", 4000, 1<<20, bytes.Repeat([]byte{0x9c, 0x21, 0xf0, 0x07}, 1000)), ReasonCorrupt},
		{"an old dynamic-Huffman method", lzhEdit("-lh1-", 2, 2, []byte("MZ")), ReasonUnsupported},
		{"CRC mismatch", lzhEdit("-lh0-", 2, 2, []byte("ZM")), ReasonCorrupt},
		{"extended header past the header", func() []byte {
			b := lzhEdit("-lh0-", 2, 2, []byte("MZ"))
			binary.LittleEndian.PutUint16(b[24:], 5000)
			return b
		}(), ReasonCorrupt},
		{"extended header of one byte", func() []byte {
			b := lzhEdit("-lh0-", 2, 2, []byte("MZ"))
			binary.LittleEndian.PutUint16(b[24:], 1)
			return b
		}(), ReasonCorrupt},
		{"level 1 packed size smaller than its extended headers", level1(func(h []byte) { binary.LittleEndian.PutUint32(h[7:], 3) }), ReasonCorrupt},
		{"level 1 bad checksum", func() []byte { b := level1(func([]byte) {}); b[1]++; return b }(), ReasonCorrupt},
		{"cut short", formats.Lzh(2, formats.File{Name: "a.exe", Data: []byte("MZ")})[:24], ReasonCorrupt},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			msg := mail("", "", "x.lzh", tc.b)
			expand(t, msg, Options{})
			mustProblem(t, msg, tc.reason, "2")
		})
	}
	t.Run("a long chain of extended headers", func(t *testing.T) {
		msg := mail("", "", "x.lzh", chain)
		expand(t, msg, Options{})
		noProblems(t, msg)
		if p := mustPart(t, msg, "2/x.lzh/docs/x.exe"); string(p.Content) != "MZ" {
			t.Errorf("read %q", p.Content)
		}
	})
}
