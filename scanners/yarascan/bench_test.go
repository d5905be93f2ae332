package yarascan

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/benchcorpus"
	"github.com/kensa-milter/kensa/internal/cputime"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/rules"
	"github.com/kensa-milter/kensa/unpack"
)

// Scan alone, with the built-in pack and the default whole-message trim,
// on the benchmark corpus (bench/corpusgen, $KENSA_BENCH_CORPUS), parsed
// and unpacked once as the engine does. Besides wall time it reports
// cpu-ms/msg and KiB/msg, the bytes handed to libyara per message (each
// part once, twins once, containers less the bytes read in their members,
// and the whole message as trimmed; MB/s is over those bytes), and that
// sum's shares: leaf-KiB/msg (the parts that are no container: the
// distinct decoded bytes), container-KiB/msg (what is read of containers),
// whole-KiB/msg (the whole message); and what is not read: repeat-KiB/msg
// (the containers' bytes read in their members instead,
// message.Part.Repeated), packed-KiB/msg (members' compressed data,
// message.Part.Packed, packed.go), pixel-KiB/msg (JPEG scan data, jpeg.go)
// and twin-KiB/msg (parts whose twin is read).
func BenchmarkScanMixed(b *testing.B) { benchScan(b, "mixed/*.eml", Options{Builtin: true}) }
func BenchmarkScanZip5m(b *testing.B) { benchScan(b, "zip5m.eml", Options{Builtin: true}) }

// Where the built-in pack's cost lies, on the mixed set: pack=bare is one
// rule without strings (libyara's walk over every byte and nothing else),
// pack=all the whole pack, and for each file of the pack pack=only-FILE and
// pack=without-FILE. Compare them with `benchstat -col /pack`. A rewrite of
// the pack's strings can be weighed the same way, old and new files side by
// side.
func BenchmarkScanPackCost(b *testing.B) {
	names, err := fs.Glob(rules.FS, "*.yar")
	if err != nil || len(names) == 0 {
		b.Fatal(names, err)
	}
	// pack writes the named files of the pack, or the bare rule, to a
	// directory of their own.
	pack := func(files []string) Options {
		dir := b.TempDir()
		for _, name := range files {
			text, err := fs.ReadFile(rules.FS, name)
			if err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, name), text, 0o600); err != nil {
				b.Fatal(err)
			}
		}
		if len(files) == 0 {
			bare := "rule bare { meta: severity = \"info\" score = 1 condition: false }\n"
			if err := os.WriteFile(filepath.Join(dir, "bare.yar"), []byte(bare), 0o600); err != nil {
				b.Fatal(err)
			}
		}
		return Options{Paths: []string{dir}}
	}
	b.Run("pack=bare", func(b *testing.B) { benchScan(b, "mixed/*.eml", pack(nil)) })
	b.Run("pack=all", func(b *testing.B) { benchScan(b, "mixed/*.eml", Options{Builtin: true}) })
	for i, name := range names {
		base := strings.TrimSuffix(name, ".yar")
		b.Run("pack=only-"+base, func(b *testing.B) { benchScan(b, "mixed/*.eml", pack(names[i:i+1])) })
		others := append(append([]string{}, names[:i]...), names[i+1:]...)
		b.Run("pack=without-"+base, func(b *testing.B) { benchScan(b, "mixed/*.eml", pack(others)) })
	}
}

// benchScan scans the messages of pattern with the rules of opts.
func benchScan(b *testing.B, pattern string, opts Options) {
	_, raws := benchcorpus.Read(b, pattern)
	opts.RawBase64Keep = TrimmedKeep
	s, errs, err := New(opts)
	if err != nil || len(errs) > 0 {
		b.Fatal(err, errs)
	}
	var msgs []*message.Message
	// Bytes per message: what libyara reads (scanned), of it the members
	// and other leaves (leaves) and the containers less their repeated
	// ranges (containers), the containers' bytes left to their members
	// (repeats), JPEG scan data (pixels), the parts read once for a twin
	// (twins) and the whole message as trimmed (whole).
	var scanned, leaves, containers, repeats, packed, pixels, twins, whole int
	for _, raw := range raws {
		m, err := message.Parse(raw)
		if err != nil {
			b.Fatal(err)
		}
		unpack.Expand(context.Background(), m, unpack.Options{})
		msgs = append(msgs, m)
		for i, j := range s.twins(m.Parts, partVarsOf(m)) {
			p := m.Parts[i]
			if j >= 0 {
				twins += len(p.Content)
				continue
			}
			n := scannedBytes(p.Content, s.holes(p))
			if p.Container {
				containers += n
			} else {
				leaves += n
			}
			r := 0
			if !s.whole {
				r = len(p.Content) - scannedBytes(p.Content, holes(p.Content, p.Repeated))
			}
			repeats += r
			k := 0
			if s.packedOut(p) {
				k = len(p.Content) - scannedBytes(p.Content, holes(p.Content, append(slices.Clone(p.Packed), p.Repeated...))) - r
			}
			packed += k
			pixels += len(p.Content) - n - r - k
		}
		whole += len(WholeMessage(m, TrimmedKeep))
	}
	scanned = leaves + containers + whole
	b.SetBytes(int64(scanned))
	cputime.Each(b, len(msgs), "msg", func() {
		for _, m := range msgs {
			if _, err := s.Scan(context.Background(), m); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, m := range []struct {
		n    int
		unit string
	}{{scanned, "KiB/msg"}, {leaves, "leaf-KiB/msg"}, {containers, "container-KiB/msg"}, {repeats, "repeat-KiB/msg"}, {packed, "packed-KiB/msg"}, {pixels, "pixel-KiB/msg"}, {twins, "twin-KiB/msg"}, {whole, "whole-KiB/msg"}} {
		b.ReportMetric(float64(m.n)/1024/float64(len(msgs)), m.unit)
	}
}
