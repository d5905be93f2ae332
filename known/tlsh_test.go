package known

import (
	"bufio"
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// tlshTool is Debian's reference tool (tlsh-tools, TLSH 3.4.4), installed
// by scripts/deps.sh test. Its absence fails the test: without it nothing
// proves our digests.
func tlshTool(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("tlsh")
	if err != nil {
		t.Fatalf("the reference tool tlsh is missing (apt-get install tlsh-tools; scripts/deps.sh test installs it): %v", err)
	}
	return p
}

// oracleCorpus is a generated set of inputs of the kinds mail carries:
// random bytes, text, macro source, HTML, low-entropy and repetitive data,
// at lengths around the minimums and the length steps.
func oracleCorpus() map[string][]byte {
	r := rand.New(rand.NewPCG(15, 1))
	out := map[string][]byte{}
	random := func(n int) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return b
	}
	for _, n := range []int{256, 257, 300, 656, 657, 1000, 3199, 3200, 4096, 65536, 1 << 20} {
		out[fmt.Sprintf("random-%d", n)] = random(n)
	}
	words := strings.Fields("Sub AutoOpen Dim Shell CreateObject WScript http://example.test/payload.exe invoice " +
		"Please find attached the document you asked for regards the quick brown fox <html> <a href=")
	text := func(n int) []byte {
		var b bytes.Buffer
		for b.Len() < n {
			b.WriteString(words[r.IntN(len(words))])
			if r.IntN(8) == 0 {
				b.WriteString("\r\n")
			} else {
				b.WriteByte(' ')
			}
		}
		return b.Bytes()[:n]
	}
	for _, n := range []int{256, 400, 1500, 5000, 20000, 200000} {
		out[fmt.Sprintf("text-%d", n)] = text(n)
	}
	for i := range 20 {
		out[fmt.Sprintf("macro-%d", i)] = macroSource(r, 300+r.IntN(4000))
	}
	// Few distinct bytes: near the "too uniform" edge.
	for _, k := range []int{2, 3, 4, 6, 8, 16} {
		b := make([]byte, 2000)
		for i := range b {
			b[i] = 'a' + byte(r.IntN(k))
		}
		out[fmt.Sprintf("alphabet-%d", k)] = b
	}
	out["zeros"] = make([]byte, 5000)
	out["repeat"] = bytes.Repeat([]byte("abcdefgh"), 1000)
	// A fake PE header followed by random sections.
	pe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 50)...)
	pe = append(pe, []byte("This program cannot be run in DOS mode.\r\r\n$")...)
	out["pe"] = append(pe, random(30000)...)
	return out
}

// macroSource is VBA-like text with the variable names and URL drawn from r.
func macroSource(r *rand.Rand, n int) []byte {
	v := func() string { return fmt.Sprintf("v%x", r.Uint32()) }
	var b bytes.Buffer
	b.WriteString("Attribute VB_Name = \"ThisDocument\"\r\nSub AutoOpen()\r\n")
	for b.Len() < n {
		name := v()
		fmt.Fprintf(&b, "  Dim %s As String\r\n  %s = \"http://%s.example/%d\"\r\n  Shell(%s & \" -enc \" & %q)\r\n",
			name, name, v(), r.IntN(100000), name, v())
	}
	b.WriteString("End Sub\r\n")
	return b.Bytes()
}

// runTool hashes every file in dir with the reference tool: name -> digest
// (70 hex), and the names it refused.
func runTool(t *testing.T, dir string) (map[string]string, map[string]bool) {
	t.Helper()
	cmd := exec.Command(tlshTool(t), "-r", dir)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("tlsh -r: %v\n%s", err, stderr.String())
	}
	digests := map[string]string{}
	sc := bufio.NewScanner(&stdout)
	for sc.Scan() {
		d, path, ok := strings.Cut(sc.Text(), "\t")
		if !ok {
			t.Fatalf("tlsh output line %q", sc.Text())
		}
		digests[filepath.Base(path)] = d
	}
	refused := map[string]bool{}
	for _, line := range strings.Split(stderr.String()+stdout.String(), "\n") {
		if rest, ok := strings.CutPrefix(line, "file "); ok {
			if path, _, ok := strings.Cut(rest, ":"); ok {
				refused[filepath.Base(path)] = true
			}
		}
	}
	return digests, refused
}

func TestTLSHMatchesTool(t *testing.T) {
	dir := t.TempDir()
	corpus := oracleCorpus()
	for _, name := range corpusFiles(t) {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		corpus["corpus-"+filepath.Base(name)] = b
	}
	for name, b := range corpus {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	want, refused := runTool(t, dir)
	hashed := 0
	for name, b := range corpus {
		got, ok := ComputeTLSH(b)
		switch {
		case refused[name] && len(b) >= 256 && ok:
			t.Errorf("%s: the tool refuses it, we give %s", name, got)
		case refused[name]:
		case !ok:
			t.Errorf("%s: the tool gives %s, we give none", name, want[name])
		case got.hex() != want[name]:
			t.Errorf("%s (%d bytes): got %s, tool %s", name, len(b), got.hex(), want[name])
		default:
			hashed++
		}
		if ok && len(b) >= 256 {
			back, err := ParseTLSH(got.String())
			if err != nil || back != got {
				t.Errorf("%s: %s does not read back: %v", name, got, err)
			}
		}
	}
	if hashed < len(corpus)*3/4 {
		t.Errorf("only %d of %d inputs hashed by both: the corpus does not exercise the comparison", hashed, len(corpus))
	}
	if !refused["zeros"] || !refused["repeat"] {
		t.Errorf("the tool hashed uniform data: refused=%v", refused)
	}
}

// corpusFiles are the committed generated messages (testdata/corpus).
func corpusFiles(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("../testdata/corpus/*/*.eml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus messages under ../testdata/corpus: %v", err)
	}
	return files
}

// TestTLSHDistanceMatchesTool compares our distance with the tool's on
// pairs of related and unrelated inputs.
func TestTLSHDistanceMatchesTool(t *testing.T) {
	tool := tlshTool(t)
	r := rand.New(rand.NewPCG(15, 2))
	var lines []string
	var digests []TLSH
	var srcs [][]byte
	for i := range 40 {
		b := macroSource(r, 500+r.IntN(20000))
		if i%2 == 1 { // a variant of the previous one
			b = patch(r, srcs[len(srcs)-1], 1+r.IntN(40))
		}
		srcs = append(srcs, b)
		d, ok := ComputeTLSH(b)
		if !ok {
			t.Fatalf("input %d not hashed", i)
		}
		digests = append(digests, d)
		lines = append(lines, d.hex()+"\t"+strconv.Itoa(i))
	}
	list := filepath.Join(t.TempDir(), "list")
	if err := os.WriteFile(list, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for i, d := range digests[:6] {
		out, err := exec.Command(tool, "-c", d.hex(), "-l", list, "-T", "100000").CombinedOutput()
		if err != nil {
			t.Fatalf("tlsh -c: %v\n%s", err, out)
		}
		n := 0
		for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
			f := strings.Split(line, "\t")
			if len(f) != 3 {
				t.Fatalf("tlsh -c output %q", line)
			}
			want, _ := strconv.Atoi(f[2])
			j, err := strconv.Atoi(f[1])
			if err != nil || j < 0 || j >= len(digests) {
				t.Fatalf("tlsh -c output %q", line)
			}
			if got := Distance(d, digests[j]); got != want {
				t.Errorf("digest %d vs %d: distance %d, tool %d", i, j, got, want)
			}
			n++
		}
		if n != len(digests) {
			t.Errorf("tool compared %d digests, want %d", n, len(digests))
		}
	}
}

// patch returns a copy of b with n bytes overwritten at random places.
func patch(r *rand.Rand, b []byte, n int) []byte {
	c := bytes.Clone(b)
	for range n {
		c[r.IntN(len(c))] = byte(r.Uint32())
	}
	return c
}

// TestLValueMatchesTool checks the length code at every step boundary up to
// 4 MiB: the reference computes it with floating point.
func TestLValueMatchesTool(t *testing.T) {
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(15, 3))
	src := make([]byte, 4<<20)
	for i := range src {
		src[i] = byte(r.Uint32())
	}
	var lengths []int
	for n := 257; n <= len(src); n++ {
		if lValue(n) != lValue(n-1) {
			lengths = append(lengths, n-1, n)
		}
	}
	if len(lengths) < 100 {
		t.Fatalf("only %d boundaries", len(lengths))
	}
	for _, n := range lengths {
		if err := os.WriteFile(filepath.Join(dir, strconv.Itoa(n)), src[:n], 0o600); err != nil {
			t.Fatal(err)
		}
	}
	want, _ := runTool(t, dir)
	for _, n := range lengths {
		d, ok := want[strconv.Itoa(n)]
		if !ok {
			t.Fatalf("tool gave no digest for %d random bytes", n)
		}
		back, err := ParseTLSH(d)
		if err != nil {
			t.Fatal(err)
		}
		if back.L != lValue(n) {
			t.Errorf("length %d: L %d, tool %d", n, lValue(n), back.L)
		}
	}
}

func TestParseTLSH(t *testing.T) {
	const d = "0AE0E7954778E40F9D06490A149C4F178F8D69D1352D53B04962143095FC9B48E0F407"
	a, err := ParseTLSH(d)
	if err != nil {
		t.Fatal(err)
	}
	b, err := ParseTLSH("T1" + d)
	if err != nil || a != b {
		t.Fatalf("T1 form: %v %v", b, err)
	}
	if a.String() != "T1"+d {
		t.Errorf("String() = %s", a)
	}
	for _, bad := range []string{"", "T1", d[:69], d + "0", "T2" + d, "T1" + d[:68] + "ZZ", strings.Repeat("€", 35)} {
		if _, err := ParseTLSH(bad); err == nil {
			t.Errorf("ParseTLSH(%q) accepted", bad)
		}
	}
}
