package main

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/config"
	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/internal/testmail"
	"github.com/kensa-milter/kensa/message"
)

// cacheSetups builds the corpus setup twice: without the verdict cache and
// with it. long gives scans minutes where the default config gives seconds
// (whole scan, YARA, unpacking): see TestVerdictCacheChangesNothing.
func cacheSetups(t testing.TB, long bool) (plain, cached *engine.Engine) {
	t.Helper()
	cfg, err := config.Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	if long {
		cfg.Limits.ScanTimeout = config.Duration(10 * time.Minute)
		cfg.YARA.Timeout = config.Duration(5 * time.Minute)
		cfg.Unpack.Timeout = config.Duration(5 * time.Minute)
	}
	s1, _, err := buildSetup(cfg, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	s1.Cache = nil
	s2, _, err := buildSetup(cfg, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if s2.Cache == nil {
		t.Fatal("the default config has no verdict cache")
	}
	return engine.New(s1), engine.New(s2)
}

func findingSet(rep engine.Report) string {
	var out []string
	for _, f := range rep.Verdict.Findings {
		out = append(out, fmt.Sprintf("%s/%s %s %s %d", f.Scanner, f.ID, f.Part, f.Severity, f.Score))
	}
	sort.Strings(out)
	return rep.Verdict.Action.String() + " " + strings.Join(out, "; ")
}

// TestVerdictCacheChangesNothing: every corpus message scanned a second
// time, as another message carrying the same attachments (another
// Message-ID and recipient), gets from the cache exactly the verdict and
// findings a scan without the cache gives.
//
// The scans get minutes, not the default seconds, to unpack and read codes:
// on a CI machine busy with other packages, under -race, one of the two
// scans of a message could be cut short (limit-time, a code not read) and
// the other not, failing the comparison for the machine's speed.
func TestVerdictCacheChangesNothing(t *testing.T) {
	longCodeTime(t)
	plain, cached := cacheSetups(t, true)
	files, _ := filepath.Glob(filepath.Join(repoRoot, "testdata", "corpus", "*", "*.eml"))
	if len(files) < 20 {
		t.Fatalf("only %d corpus messages", len(files))
	}
	hits := 0
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		again := append([]byte("X-Copy: 2\r\n"), raw...)
		want := findingSet(plain.Scan(context.Background(), again, message.Envelope{Recipients: []string{"b@example.org"}}))
		cached.Scan(context.Background(), raw, message.Envelope{Recipients: []string{"a@example.org"}})
		rep := cached.Scan(context.Background(), again, message.Envelope{Recipients: []string{"b@example.org"}})
		hits += rep.CacheHits
		if got := findingSet(rep); got != want {
			t.Errorf("%s: from the cache %q\nwithout it     %q", filepath.Base(f), got, want)
		}
	}
	if h, _ := cached.Setup().Cache.Stats(); hits < 10 || h < int64(hits) {
		t.Errorf("only %d cache hits (stats %d): the test does not exercise the cache", hits, h)
	}
}

// burst is a mass mailing: n messages, each its own (recipient,
// Message-ID), all carrying one 200 KB attachment (a document zip).
func burst(n int) [][]byte {
	var doc bytes.Buffer
	for i := 0; doc.Len() < 200_000; i++ {
		fmt.Fprintf(&doc, "Line %d of the quarterly figures, region %d, total %d.\n", i, i%7, i*37%1000)
	}
	out := make([][]byte, n)
	for i := range out {
		out[i] = testmail.Multipart(fmt.Sprintf("Newsletter %d", i), "mixed",
			testmail.Part{Type: "text/plain; charset=utf-8", Body: fmt.Sprintf("Dear customer %d, the report is attached.\n", i)},
			testmail.Part{Type: "application/octet-stream", Filename: "report-q3.txt", Body: doc.String(), Base64: true})
	}
	return out
}

// BenchmarkBurstNoCache and BenchmarkBurstCache scan a burst of 1,000
// copies of one attachment, without and with the verdict cache.
func BenchmarkBurstNoCache(b *testing.B) { benchmarkBurst(b, false) }
func BenchmarkBurstCache(b *testing.B)   { benchmarkBurst(b, true) }

func benchmarkBurst(b *testing.B, withCache bool) {
	plain, cached := cacheSetups(b, false)
	eng := plain
	if withCache {
		eng = cached
	}
	msgs := burst(1000)
	b.ResetTimer()
	for b.Loop() {
		for _, m := range msgs {
			eng.Scan(context.Background(), m, message.Envelope{})
		}
	}
	if withCache {
		h, m := eng.Setup().Cache.Stats()
		b.ReportMetric(float64(h)/float64(h+m), "hit-ratio")
	}
}

// TestVerdictCacheKeepsNoBorrowedOutcome: what one attachment showed only
// because of the rest of its message is not replayed for it in another
// message. Here a zip inside attachment B has the same bytes as attachment
// A, so the first message opens it once, at A; B scanned alone must still
// show what the inner zip holds.
func TestVerdictCacheKeepsNoBorrowedOutcome(t *testing.T) {
	plain, cached := cacheSetups(t, true)
	var inner bytes.Buffer
	zw := zip.NewWriter(&inner)
	w, err := zw.Create("readme.com")
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte(testmail.EICAR()))
	// Bytes that do not compress, so both zips are large enough to cache.
	noise := make([]byte, 4096)
	for i, x := 0, uint32(1); i < len(noise); i++ {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		noise[i] = byte(x)
	}
	if w, err = zw.Create("noise.bin"); err != nil {
		t.Fatal(err)
	}
	w.Write(noise)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(inner.Bytes(), []byte("EICAR")) {
		t.Fatal("the inner zip shows its member's bytes: deflate them")
	}
	outer := formats.Zip(formats.ZipEntry{Name: "docs/archive.zip", Data: inner.Bytes()})
	a := testmail.Part{Type: "application/zip", Filename: "a.zip", Body: inner.String(), Base64: true}
	b := testmail.Part{Type: "application/zip", Filename: "b.zip", Body: string(outer), Base64: true}
	text := testmail.Part{Type: "text/plain; charset=utf-8", Body: "Files attached.\n"}
	first := testmail.Multipart("Both", "mixed", text, a, b)
	alone := testmail.Multipart("Only b", "mixed", text, b)

	rep := cached.Scan(context.Background(), first, message.Envelope{Recipients: []string{"a@example.org"}})
	dup := false
	for _, p := range rep.Problems {
		dup = dup || p.Reason == "duplicate-container"
	}
	if !dup {
		t.Fatalf("the first message did not open the inner zip once only (problems %+v): the test shows nothing", rep.Problems)
	}
	want := findingSet(plain.Scan(context.Background(), alone, message.Envelope{Recipients: []string{"b@example.org"}}))
	if !strings.Contains(want, "EICAR") {
		t.Fatalf("b.zip alone shows no EICAR finding without the cache: %s", want)
	}
	rep2 := cached.Scan(context.Background(), alone, message.Envelope{Recipients: []string{"b@example.org"}})
	if got := findingSet(rep2); got != want {
		t.Errorf("b.zip alone, from the cache %q\nwithout it               %q", got, want)
	}
}
