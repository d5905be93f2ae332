package unpack

import (
	"archive/tar"
	"bytes"
	"context"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"github.com/ulikunitz/xz"

	"github.com/kensa-milter/kensa/message"
)

func tarOf(t testing.TB, entries ...entry) []byte {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	for _, e := range entries {
		if err := tw.WriteHeader(&tar.Header{Name: e.name, Mode: 0o644, Size: int64(len(e.data)), Typeflag: tar.TypeReg}); err != nil {
			t.Fatal(err)
		}
		tw.Write(e.data)
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func xzOf(t testing.TB, data []byte) []byte {
	var b bytes.Buffer
	w, err := xz.NewWriter(&b)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(data)
	w.Close()
	return b.Bytes()
}

func zstdOf(t testing.TB, data []byte) []byte {
	e, err := zstd.NewWriter(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	return e.EncodeAll(data, nil)
}

func TestContainers(t *testing.T) {
	tgz := gzipOf(t, "", tarOf(t, entry{"docs/a.txt", []byte(marker)}))
	tests := []struct {
		name     string
		filename string
		content  []byte
		path     string // of the member holding the marker
		filenm   string
		depth    int
	}{
		{"zip", "invoice.zip", zipOf(t, entry{"docs/a.txt", []byte(marker)}), "2/invoice.zip/docs/a.txt", "a.txt", 1},
		{"zip without a filename", "", zipOf(t, entry{"a.txt", []byte(marker)}), "2/zip/a.txt", "a.txt", 1},
		{"tar", "x.tar", tarOf(t, entry{"docs/a.txt", []byte(marker)}), "2/x.tar/docs/a.txt", "a.txt", 1},
		{"tgz", "x.tgz", tgz, "2/x.tgz/x.tar/docs/a.txt", "a.txt", 2},
		{"gzip named in its header", "y.gz", gzipOf(t, "a.txt", []byte(marker)), "2/y.gz/a.txt", "a.txt", 1},
		{"bzip2", "marker.txt.bz2", fixture(t, "marker.txt.bz2"), "2/marker.txt.bz2/marker.txt", "marker.txt", 1},
		{"xz", "a.txt.xz", xzOf(t, []byte(marker)), "2/a.txt.xz/a.txt", "a.txt", 1},
		{"zstd", "a.txt.zst", zstdOf(t, []byte(marker)), "2/a.txt.zst/a.txt", "a.txt", 1},
		{"zip in zip", "outer.zip", zipOf(t, entry{"in/inner.zip", zipOf(t, entry{"a.txt", []byte(marker)})}), "2/outer.zip/in/inner.zip/a.txt", "a.txt", 2},
		{"nested zip in 7z in gzip", "n.7z.gz", gzipOf(t, "", fixture(t, "nested.7z")), "2/n.7z.gz/n.7z/inner.zip/marker.txt", "marker.txt", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mail("", "hello", tt.filename, tt.content)
			expand(t, m, Options{})
			noProblems(t, m)
			p := mustPart(t, m, tt.path)
			if !strings.Contains(string(p.Content), marker) {
				t.Errorf("member content %q lacks the marker", p.Content)
			}
			if p.Filename != tt.filenm {
				t.Errorf("Filename = %q, want %q", p.Filename, tt.filenm)
			}
			if p.DeclaredType != "" || p.DetectedType == "" {
				t.Errorf("DeclaredType %q DetectedType %q: want empty and set", p.DeclaredType, p.DetectedType)
			}
			if !m.Parts[1].Container {
				t.Errorf("container part not marked Container")
			}
			if p.Depth != tt.depth {
				t.Errorf("Depth = %d, want %d", p.Depth, tt.depth)
			}
		})
	}
}

func TestPathsSanitised(t *testing.T) {
	names := []string{"../../etc/passwd", "a\r\nX-Kensa-Verdict: accept.txt", "..\\..\\win.ini", "/abs/x", "evil\u202Eexe.pdf", "a/./b/../c", ""}
	var entries []entry
	for _, n := range names {
		entries = append(entries, entry{n, []byte(marker)})
	}
	m := mail("", "", "t.tar", tarOf(t, entries...))
	dir := t.TempDir()
	t.Chdir(dir)
	expand(t, m, Options{})
	want := []string{
		"2/t.tar/etc/passwd",
		"2/t.tar/aX-Kensa-Verdict: accept.txt",
		"2/t.tar/win.ini",
		"2/t.tar/abs/x",
		"2/t.tar/evilexe.pdf",
		"2/t.tar/a/b/c",
	}
	for _, w := range want {
		mustPart(t, m, w)
	}
	for _, p := range m.Parts {
		if strings.ContainsAny(p.Path, "\r\n\u202E") || strings.Contains(p.Path, "..") {
			t.Errorf("unsafe path %q", p.Path)
		}
	}
	if p := mustPart(t, m, "2/t.tar/evilexe.pdf"); p.Filename != "evil\u202Eexe.pdf" {
		t.Errorf("Filename %q should keep the declared name for heuristics", p.Filename)
	}
	if ents, _ := readDir(dir); len(ents) != 0 {
		t.Errorf("files written to the working directory: %v", ents)
	}
}

func TestLimits(t *testing.T) {
	big := bytes.Repeat([]byte("A"), 3<<20)
	noise := make([]byte, 3<<20)
	rand.NewChaCha8([32]byte{1}).Read(noise)
	deep := []byte(marker)
	for i := 0; i < 5; i++ {
		deep = zipOf(t, entry{"d.zip", deep})
	}
	many := make([]entry, 30)
	for i := range many {
		many[i] = entry{strings.Repeat("m", i+1), []byte("x")}
	}
	tests := []struct {
		name    string
		content []byte
		limits  Limits
		reason  string
	}{
		{"depth", deep, Limits{MaxDepth: 3}, ReasonDepth},
		{"members", zipOf(t, many...), Limits{MaxMembers: 10}, ReasonMembers},
		{"total size", zipOf(t, entry{"a", noise}, entry{"b", noise}), Limits{MaxTotalBytes: 4 << 20}, ReasonTotalSize},
		{"member size", zipOf(t, entry{"a", big}), Limits{MaxMemberBytes: 1 << 20}, ReasonMemberSize},
		{"ratio", zipOf(t, entry{"a", big}), Limits{MaxRatio: 50}, ReasonRatio},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mail("", "", "x.zip", tt.content)
			expand(t, m, Options{Limits: tt.limits})
			p := problem(m, tt.reason)
			if p == nil || !p.Unscannable || !strings.HasPrefix(p.Part, "2") {
				t.Fatalf("want an unscannable %s problem on part 2…, have:\n%s", tt.reason, dump(m))
			}
		})
	}
	t.Run("time", func(t *testing.T) {
		m := mail("", "", "x.zip", zipOf(t, entry{"a", big}))
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		Expand(ctx, m, Options{})
		mustProblem(t, m, ReasonTime, "")
	})
	t.Run("time budget", func(t *testing.T) {
		// Many members, a budget far too small for them all.
		var entries []entry
		for i := 0; i < 60; i++ {
			entries = append(entries, entry{strings.Repeat("n", i%50+1) + string(rune('a'+i%26)), bytes.Repeat([]byte{byte(i)}, 64<<10)})
		}
		m := mail("", "", "x.zip", zipOf(t, entries...))
		expand(t, m, Options{Limits: Limits{Timeout: time.Millisecond}})
		mustProblem(t, m, ReasonTime, "")
	})
}

// bombs: each must end fast with a named problem and bounded memory.
func TestBombs(t *testing.T) {
	// flat: several members of 16 MiB of zeros each
	zeros := bytes.Repeat([]byte{0}, 16<<20)
	var flat []entry
	for i := 0; i < 4; i++ {
		flat = append(flat, entry{string(rune('a' + i)), zeros})
	}
	flatZip := zipOf(t, flat...)
	// nested: 42.zip style, 8 copies per level
	nested := zipOf(t, entry{"z", zeros[:8<<20]})
	for level := 0; level < 3; level++ {
		var es []entry
		for i := 0; i < 8; i++ {
			es = append(es, entry{string(rune('a'+i)) + ".zip", nested})
		}
		nested = zipOf(t, es...)
	}
	tests := []struct {
		name    string
		content []byte
		reasons []string
	}{
		{"flat", flatZip, []string{ReasonRatio}},
		{"nested", nested, []string{ReasonRatio, ReasonTotalSize}},
		{"overlapping", overlapBomb(t, 500), []string{ReasonCorrupt}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := mail("", "", "bomb.zip", tt.content)
			runtime.GC()
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			expand(t, m, Options{})
			took := time.Since(start)
			runtime.ReadMemStats(&after)
			if took > timeScale*time.Second {
				t.Errorf("took %v, want < %ds", took, timeScale)
			}
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("%s: %v, %d MiB allocated, %d parts, %d problems", tt.name, took, alloc>>20, len(m.Parts), len(m.Problems))
			if alloc > 600<<20 {
				t.Errorf("allocated %d MiB, want bounded (< 600 MiB)", alloc>>20)
			}
			found := false
			for _, r := range tt.reasons {
				found = found || problem(m, r) != nil
			}
			if !found {
				t.Errorf("want one of %v, have:\n%s", tt.reasons, dump(m))
			}
			var total int
			for _, p := range m.Parts {
				total += len(p.Content)
			}
			if total > int(DefaultLimits().MaxTotalBytes)+len(tt.content)+100 {
				t.Errorf("kept %d bytes of members, above the total limit", total)
			}
		})
	}
}

// overlapBomb is a zip whose n entries all point at the same deflated data
// (the overlapping-entry construction): one local header, n central entries.
func overlapBomb(t testing.TB, n int) []byte {
	t.Helper()
	one := zipOf(t, entry{"k", bytes.Repeat([]byte{0}, 10<<20)})
	// Split into the local part and the central directory of the one entry.
	cd := bytes.Index(one, []byte("PK\x01\x02"))
	eocd := bytes.Index(one, []byte("PK\x05\x06"))
	local, central := one[:cd], one[cd:eocd]
	var b bytes.Buffer
	b.Write(local)
	start := b.Len()
	for i := 0; i < n; i++ {
		b.Write(central) // every entry names the same local header
	}
	end := b.Len()
	tail := append([]byte{}, one[eocd:]...)
	putU16(tail[8:], uint16(n))
	putU16(tail[10:], uint16(n))
	putU32(tail[12:], uint32(end-start))
	putU32(tail[16:], uint32(start))
	b.Write(tail)
	return b.Bytes()
}

func putU16(b []byte, v uint16) { b[0], b[1] = byte(v), byte(v>>8) }
func putU32(b []byte, v uint32) {
	putU16(b, uint16(v))
	putU16(b[2:], uint16(v>>16))
}

func TestCorruptArchive(t *testing.T) {
	z := zipOf(t, entry{"a.txt", []byte(marker)})
	m := mail("", "", "bad.zip", z[:len(z)-30])
	expand(t, m, Options{})
	mustProblem(t, m, ReasonCorrupt, "2")
}

func TestNeverPanics(t *testing.T) {
	m := &message.Message{Parts: []*message.Part{{Path: "1", Content: []byte("PK\x03\x04 truncated")}}}
	expand(t, m, Options{})
	Expand(context.Background(), nil, Options{})
}
