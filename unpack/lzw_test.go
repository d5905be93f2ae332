package unpack

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/filetype"
	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// streamSamples are inputs for the single-stream compressors: empty, one
// byte, a run (the KwKwK case at every step), text, noise (the table
// fills at every width and compress clears it), and a long mix that
// reaches 16-bit codes.
func streamSamples() map[string][]byte {
	r := rand.New(rand.NewPCG(1, 2))
	noise := make([]byte, 300<<10)
	for i := range noise {
		noise[i] = byte(r.Uint32())
	}
	var text strings.Builder
	for i := 0; text.Len() < 1<<20; i++ {
		fmt.Fprintf(&text, "Invoice %d for order %x: %s\r\n", i, r.Uint32()%5000, strings.Repeat("ab", int(r.Uint32()%40)))
	}
	mix := append(append([]byte(text.String()[:200<<10]), noise[:100<<10]...), bytes.Repeat([]byte("z"), 70000)...)
	return map[string][]byte{
		"empty": {},
		"one":   []byte("a"),
		"run":   bytes.Repeat([]byte("a"), 100000),
		"text":  []byte(text.String()),
		"noise": noise,
		"mix":   mix,
		"pe":    []byte("MZ\x90\x00\x03\x00\x00\x00 Kensa test: a fake program"),
	}
}

// viaTool pipes in through a real tool.
func viaTool(t testing.TB, in []byte, tool string, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(toolNeeded(t, tool), args...)
	cmd.Stdin = bytes.NewReader(in)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", tool, args, err, errb.Bytes())
	}
	return out
}

func readZ(b []byte, stay bool) ([]byte, error) {
	z, err := newZReader(b, stay)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(z)
}

// sevenZipStdout is what 7zz extracts from a single-stream file.
func sevenZipStdout(t testing.TB, filename string, b []byte) ([]byte, error) {
	t.Helper()
	file := filepath.Join(t.TempDir(), filename)
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return exec.Command(toolNeeded(t, "7zz"), "e", "-so", file).Output()
}

// sameReading: we read what the tool wrote, and fail where it fails
// (having written a prefix of what we read: tools lose what they
// buffered when they stop).
func sameReading(got []byte, err error, want []byte, toolErr error) bool {
	if toolErr != nil {
		return err != nil && bytes.HasPrefix(got, want)
	}
	return err == nil && bytes.Equal(got, want)
}

// What ncompress's compress writes, at every code width it allows, Kensa
// reads byte for byte as uncompress (compress -d) does; what our writer
// makes (with and without block mode, with the table cleared as it fills)
// uncompress reads byte for byte and so does Kensa. compress -b9 writes
// streams that its own uncompress cannot read past 512 codes (it widens
// codes to 10 bits, compress does not): those Kensa reads both ways, as
// uncompress does and as 7-Zip does.
func TestCompressZ(t *testing.T) {
	for name, data := range streamSamples() {
		for _, bits := range []int{9, 10, 12, 16} {
			t.Run(fmt.Sprintf("%s/compress-b%d", name, bits), func(t *testing.T) {
				z := viaTool(t, data, "compress", "-c", "-f", fmt.Sprintf("-b%d", bits))
				cmd := exec.Command(toolNeeded(t, "compress"), "-d", "-c")
				cmd.Stdin = bytes.NewReader(z)
				want, toolErr := cmd.Output()
				got, err := readZ(z, false)
				if !sameReading(got, err, want, toolErr) {
					t.Fatalf("read %d bytes (%v), compress -d %d (%v)", len(got), err, len(want), toolErr)
				}
				if bits > 9 && !bytes.Equal(got, data) {
					t.Fatalf("read %d bytes, compress packed %d", len(got), len(data))
				}
				if bits == 9 {
					want, toolErr = sevenZipStdout(t, "x.Z", z)
					got, err = readZ(z, true)
					if !sameReading(got, err, want, toolErr) {
						t.Fatalf("read %d bytes (%v) as 7-Zip, 7zz %d (%v)", len(got), err, len(want), toolErr)
					}
				}
			})
			for _, mode := range []struct {
				name         string
				block, clear bool
			}{{"block", true, false}, {"clear", true, true}, {"noblock", false, false}} {
				t.Run(fmt.Sprintf("%s/ours-b%d-%s", name, bits, mode.name), func(t *testing.T) {
					z := formats.Compress(data, bits, mode.block, mode.clear)
					if got := viaTool(t, z, "compress", "-d", "-c"); !bytes.Equal(got, data) {
						t.Fatalf("compress -d read %d bytes, we packed %d", len(got), len(data))
					}
					got, err := readZ(z, false)
					if err != nil || !bytes.Equal(got, data) {
						t.Fatalf("read %d bytes (%v), we packed %d", len(got), err, len(data))
					}
				})
			}
		}
	}
}

// What lzip writes (fast and best settings, small members: --member-size,
// files joined) Kensa reads byte for byte as lzip -d does.
func TestLzip(t *testing.T) {
	for name, data := range streamSamples() {
		for _, args := range [][]string{{"-0"}, {"-6"}, {"-9"}, {"-1", "--member-size=100KiB"}} {
			t.Run(name+"/"+strings.Join(args, " "), func(t *testing.T) {
				lz := viaTool(t, data, "lzip", append([]string{"-c"}, args...)...)
				want := viaTool(t, lz, "lzip", "-d", "-c")
				got, err := io.ReadAll(&lzipReader{b: lz, dictCap: 32 << 20})
				if err != nil || !bytes.Equal(got, want) || !bytes.Equal(got, data) {
					t.Fatalf("read %d bytes (%v), lzip -d %d, packed %d", len(got), err, len(want), len(data))
				}
				if len(data) > 0 {
					joined := append(slices.Clone(lz), lz...)
					got, err := io.ReadAll(&lzipReader{b: joined, dictCap: 32 << 20})
					if err != nil || !bytes.Equal(got, viaTool(t, joined, "lzip", "-d", "-c")) {
						t.Fatalf("joined: read %d bytes (%v)", len(got), err)
					}
				}
			})
		}
	}
}

// What the lz4 tool writes (independent and linked blocks, block
// checksums, no content checksum, the content size, small blocks, the
// legacy format, frames joined) Kensa reads byte for byte as lz4 -d does.
func TestLz4(t *testing.T) {
	for name, data := range streamSamples() {
		for _, args := range [][]string{{"-1"}, {"-9", "-BD"}, {"-BX", "-B4"}, {"--no-frame-crc", "--content-size"}, {"-l"}, {"-BD", "-B4", "-BX"}} {
			t.Run(name+"/"+strings.Join(args, " "), func(t *testing.T) {
				lz := viaTool(t, data, "lz4", append([]string{"-c"}, args...)...)
				for _, b := range [][]byte{lz, append(slices.Clone(lz), lz...)} {
					want := viaTool(t, b, "lz4", "-d", "-c")
					m := mail("", "", "x.bin.lz4", b)
					expand(t, m, Options{})
					noProblems(t, m)
					if got := mustPart(t, m, "2/x.bin.lz4/x.bin").Content; !bytes.Equal(got, want) {
						t.Fatalf("read %d bytes, lz4 -d %d", len(got), len(want))
					}
				}
			})
		}
	}
}

// limitProblem is the first problem of a limit (limit-*), or nil.
func limitProblem(m *message.Message) *message.Problem {
	for i := range m.Problems {
		if strings.HasPrefix(m.Problems[i].Reason, "limit-") {
			return &m.Problems[i]
		}
	}
	return nil
}

// A fake program in each single-stream format is a member named after the
// container; broken streams are corrupt-archive; bombs end in a limit.
func TestStreamFormatsInMail(t *testing.T) {
	pe := []byte("MZ\x90\x00\x03\x00\x00\x00 Kensa test: a fake program")
	lz := viaTool(t, pe, "lzip", "-c")
	l4 := viaTool(t, pe, "lz4", "-c", "-BX")
	for name, b := range map[string][]byte{
		"invoice.exe.Z":          viaTool(t, pe, "compress", "-c", "-f"),
		"invoice.exe.lz":         lz,
		"invoice.exe.lz4":        l4,
		"invoice.exe.lz4~legacy": viaTool(t, pe, "lz4", "-c", "-l"),
	} {
		t.Run(name, func(t *testing.T) {
			name, _, _ = strings.Cut(name, "~")
			m := mail("", "", name, b)
			expand(t, m, Options{})
			noProblems(t, m)
			if p := mustPart(t, m, "2/"+name+"/invoice.exe"); !bytes.Equal(p.Content, pe) || p.DetectedType != filetype.EXE {
				t.Fatalf("member %q (%s)", p.Content, p.DetectedType)
			}
		})
	}
	edit := func(b []byte, at int, v byte) []byte {
		b = slices.Clone(b)
		b[(at+len(b))%len(b)] ^= v
		return b
	}
	corrupt := map[string][]byte{
		"past-table.Z":   {0x1f, 0x9d, 0x90, 0x61, 0xfe, 0x03}, // 'a', then code 511 of 257 entries
		"first-code.Z":   {0x1f, 0x9d, 0x90, 0x00, 0x01},       // first code 256, not a byte
		"crc.lz":         edit(lz, -20, 1),
		"data-size.lz":   edit(lz, -16, 1),
		"member-size.lz": edit(lz, -8, 1),
		"cut.lz":         lz[:len(lz)-5],
		"stream.lz":      edit(lz, 10, 0x55),
		"dict.lz":        edit(lz, 5, lz[5]^0x0b), // 2^11: below lzip's smallest
		"member.lz":      append(slices.Clone(lz), "LZIP\x01"...),
		"content.lz4":    edit(l4, -1, 1),
		"block.lz4":      edit(l4, -6, 1),
		"cut.lz4":        l4[:len(l4)-3],
		"trailing.lz4":   append(slices.Clone(l4), "garbage"...),
	}
	for name, b := range corrupt {
		t.Run(name, func(t *testing.T) {
			m := mail("", "", name, b)
			expand(t, m, Options{})
			mustProblem(t, m, ReasonCorrupt, "2")
		})
	}
	// A member of a later version (which lzip -d does not read either) is
	// not an lzip Kensa knows: named .lz, it is unsupported-container.
	m := mail("", "", "version.lz", edit(lz, 4, 2))
	expand(t, m, Options{})
	mustProblem(t, m, ReasonUnsupported, "2")
	zeros := make([]byte, 48<<20)
	bombs := map[string][]byte{
		"run.Z":     formats.Compress(zeros[:8<<20], 16, true, false), // KwKwK at every code: the strings grow by one
		"zeros.lz":  viaTool(t, zeros, "lzip", "-c", "-0"),
		"zeros.lz4": viaTool(t, zeros, "lz4", "-c", "-BD"),
	}
	for name, b := range bombs {
		t.Run(name, func(t *testing.T) {
			m := mail("", "", name, b)
			expand(t, m, Options{Limits: Limits{MaxMemberBytes: 4 << 20}})
			if p := limitProblem(m); p == nil || !p.Unscannable {
				t.Fatalf("no limit problem:\n%s", dump(m))
			}
		})
	}
}

// compress -b9 past 512 codes: uncompress and 7-Zip read it differently;
// Kensa keeps both readings and calls the container ambiguous.
func TestCompressNineBitsBothWays(t *testing.T) {
	text := streamSamples()["text"][:20000]
	z := viaTool(t, text, "compress", "-c", "-f", "-b9")
	m := mail("", "", "notes.txt.Z", z)
	expand(t, m, Options{})
	if c := mustPart(t, m, "2"); !strings.Contains(c.Ambiguous, "9-bit") {
		t.Fatalf("not ambiguous:\n%s", dump(m))
	}
	seven, _ := sevenZipStdout(t, "notes.txt.Z", z)
	if p := mustPart(t, m, "2/notes.txt.Z/notes.txt~2"); !bytes.HasPrefix(p.Content, seven[:min(len(seven), len(p.Content))]) || len(p.Content) < len(seven) {
		t.Fatalf("7-Zip's reading: %d bytes, 7zz %d", len(p.Content), len(seven))
	}
	mustPart(t, m, "2/notes.txt.Z/notes.txt")
	// A short one (fewer than 512 codes) reads the same both ways.
	m = mail("", "", "notes.txt.Z", viaTool(t, text[:300], "compress", "-c", "-f", "-b9"))
	expand(t, m, Options{})
	noProblems(t, m)
	if c := mustPart(t, m, "2"); c.Ambiguous != "" || part(m, "2/notes.txt.Z/notes.txt~2") != nil {
		t.Errorf("short stream read two ways: %s\n%s", c.Ambiguous, dump(m))
	}
}
