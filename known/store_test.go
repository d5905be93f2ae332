package known

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/pgtest"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/scanners"
)

// TestMain stops the PostgreSQL server the tests started (pgtest.Schema:
// Debian's postgresql, as the quarantine tests use; when it cannot start,
// the PostgreSQL tests fail with the reason).
func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.StopShared()
	os.Exit(code)
}

// backends are the databases every store test runs against.
var backends = pgtest.Backends

func openStore(t *testing.T, dsn string) *Store {
	t.Helper()
	s, err := OpenStore(context.Background(), dsn)
	if err != nil {
		t.Fatalf("open %s: %v", dsn, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func sampleOf(b []byte, name string, v scanners.Severity) Sample {
	d := Of(b)
	return Sample{SHA256: d.SHA256, TLSH: d.TLSH, HasTLSH: d.HasTLSH, Name: name, Verdict: v, Source: "add", AddedBy: "test"}
}

// TestStore: add, update, list, remove, the generation, and a reopened
// store (a restart) still knowing everything.
func TestStore(t *testing.T) {
	for _, b := range backends {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			dsn := b.DSN(t)
			st := openStore(t, dsn)
			r := rand.New(rand.NewPCG(15, 8))
			a := sampleOf(macroSource(r, 3000), "wave 1", scanners.Malicious)
			c := sampleOf([]byte("short but not empty"), "tiny\x00name\nwith controls", scanners.Suspicious)
			g0, err := st.Generation(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if n, err := st.Add(ctx, []Sample{a, c}); err != nil || n != 2 {
				t.Fatalf("Add: %d %v", n, err)
			}
			a.Name = "wave 1 (renamed)"
			if n, err := st.Add(ctx, []Sample{a}); err != nil || n != 0 {
				t.Fatalf("second Add: %d new, %v", n, err)
			}
			if _, err := st.Add(ctx, []Sample{{SHA256: a.SHA256, Verdict: scanners.Info}}); err == nil {
				t.Error("a sample with verdict info was stored")
			}
			g1, _ := st.Generation(ctx)
			if g1 <= g0 {
				t.Errorf("generation did not move: %d -> %d", g0, g1)
			}
			st.Close()

			st = openStore(t, dsn) // a restart
			set, _, err := st.Load(ctx)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := set.Exact(a.SHA256)
			if !ok || got.Name != "wave 1 (renamed)" || got.Verdict != scanners.Malicious || !got.HasTLSH || got.TLSH != a.TLSH {
				t.Fatalf("after restart: %+v %v", got, ok)
			}
			got, ok = set.Exact(c.SHA256)
			if !ok || got.HasTLSH || got.Verdict != scanners.Suspicious || strings.ContainsAny(got.Name, "\x00\n") {
				t.Fatalf("tiny sample after restart: %+v %v", got, ok)
			}
			if n, err := st.Remove(ctx, []SHA256{a.SHA256, {1}}); err != nil || n != 1 {
				t.Fatalf("Remove: %d %v", n, err)
			}
			list, err := st.List(ctx, 0)
			if err != nil || len(list) != 1 || list[0].SHA256 != c.SHA256 {
				t.Fatalf("List after remove: %v %v", list, err)
			}
		})
	}
}

// TestTwoHostsShareOnePostgres: two Kensa hosts on one PostgreSQL, each
// with its own connection pool and refresh loop. What one learns, the
// other flags within its refresh interval.
func TestTwoHostsShareOnePostgres(t *testing.T) {
	dsn := pgtest.Schema(t)
	learner, watcher := openStore(t, dsn), openStore(t, dsn)
	live := NewLive(watcher, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); live.Run(ctx, 200*time.Millisecond) }()
	defer func() { cancel(); <-done }()

	r := rand.New(rand.NewPCG(15, 9))
	original := macroSource(r, 4000)
	variant := renameIdentifiers(original, 2)
	sc := NewScanner(live, DefaultThreshold, 50)
	m := &message.Message{Parts: []*message.Part{{Path: "2", Content: original}, {Path: "3", Content: variant}}}
	if f, err := sc.Scan(ctx, m); err != nil || len(f) != 0 {
		t.Fatalf("before learning: %v %v", f, err)
	}
	if _, err := learner.Add(ctx, []Sample{sampleOf(original, "campaign A", scanners.Malicious)}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second) // the interval is 200ms; a busy machine may be slow
	var f []scanners.Finding
	for time.Now().Before(deadline) {
		f, _ = sc.Scan(ctx, m)
		if len(f) == 2 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if len(f) != 2 || f[0].ID != FindingKnown || f[0].Severity != scanners.Malicious || f[1].ID != FindingSimilar || f[1].Part != "3" {
		t.Fatalf("the other host flags %v", f)
	}
	if !strings.Contains(f[1].Detail, "campaign A") || !strings.Contains(f[1].Detail, "distance") {
		t.Errorf("similar finding does not name the sample and distance: %q", f[1].Detail)
	}
}

// renameIdentifiers renames the first n distinct vNNNN variables of macro
// source, everywhere they occur.
func renameIdentifiers(b []byte, n int) []byte {
	s := string(b)
	done := 0
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }) {
		if done == n {
			break
		}
		if len(w) > 3 && w[0] == 'v' && strings.Contains(s, "Dim "+w) {
			s = strings.ReplaceAll(s, w, fmt.Sprintf("renamed%d", done))
			done++
		}
	}
	return []byte(s)
}

func TestScannerFindsVariantsNotStrangers(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 10))
	original := macroSource(r, 6000)
	stranger := benignMacro(r, 6000) // the same kind of file, unrelated
	set := NewSet([]Sample{sampleOf(original, "wave 1", scanners.Malicious)})
	live := NewLive(nil, nil)
	live.set.Store(set)
	sc := NewScanner(live, DefaultThreshold, 50)
	parts := []*message.Part{
		{Path: "exact", Content: original},
		{Path: "renamed", Content: renameIdentifiers(original, 2)},
		{Path: "url", Content: []byte(strings.Replace(string(original), ".example/", ".example.net/", 3))},
		{Path: "stranger", Content: stranger},
		{Path: "empty"},
	}
	f, err := sc.Scan(context.Background(), &message.Message{Parts: parts})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, x := range f {
		got[x.Part] = x.ID
	}
	want := map[string]string{"exact": FindingKnown, "renamed": FindingSimilar, "url": FindingSimilar}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("findings %v, want %v", got, want)
	}
	for _, x := range f {
		if x.ID == FindingSimilar && (x.Severity != scanners.Suspicious || x.Score != 50) {
			t.Errorf("similar finding %+v", x)
		}
	}
}

func TestReadCSV(t *testing.T) {
	const tl = "0AE0E7954778E40F9D06490A149C4F178F8D69D1352D53B04962143095FC9B48E0F407"
	sha := strings.Repeat("ab", 32)
	sha2 := strings.Repeat("CD", 32)
	// The shape of MalwareBazaar's CSV export: banner comments, the header
	// as a comment, quoted fields with a space after each comma.
	bazaar := "################################################################\n" +
		"# MalwareBazaar full data dump (CSV)                           #\n" +
		"################################################################\n" +
		"#\n" +
		`# "first_seen_utc","sha256_hash","md5_hash","sha1_hash","reporter","file_name","file_type_guess","mime_type","signature","clamav","vtpercent","imphash","ssdeep","tlsh"` + "\n" +
		`"2026-11-30 10:00:00", "` + sha + `", "x", "y", "someone", "invoice.docm", "docm", "application/msword", "Emotet", "n/a", "n/a", "n/a", "n/a", "T1` + tl + `"` + "\n" +
		`"2026-11-30 10:00:01", "` + sha2 + `", "x", "y", "someone", "a.exe", "exe", "application/x-dosexec", "n/a", "n/a", "n/a", "n/a", "n/a", "n/a"` + "\n" +
		"############## END ##############\n"
	got, err := ReadCSV(strings.NewReader(bazaar), Sample{Verdict: scanners.Malicious, Source: "import"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].SHA256.String() != sha || !got[0].HasTLSH || got[0].TLSH.String() != "T1"+tl || got[0].Name != "Emotet" ||
		got[1].SHA256.String() != strings.ToLower(sha2) || got[1].HasTLSH || got[1].Name != "a.exe" || got[1].Verdict != scanners.Malicious {
		t.Fatalf("MalwareBazaar rows: %+v", got)
	}
	plain := "sha256,tlsh,name\n" + sha + "," + tl + ",wave 1\n" + sha2 + ",,\n"
	if got, err := ReadCSV(strings.NewReader(plain), Sample{}); err != nil || len(got) != 2 || got[0].Name != "wave 1" || got[0].TLSH.String() != "T1"+tl {
		t.Fatalf("plain: %+v %v", got, err)
	}
	for name, bad := range map[string]string{
		"no sha column": "md5,name\nx,y\n",
		"bad sha":       "sha256\nnot-hex\n",
		"bad tlsh":      "sha256,tlsh\n" + sha + ",T1ZZ\n",
		"no rows":       "sha256\n",
		"empty":         "",
	} {
		if _, err := ReadCSV(strings.NewReader(bad), Sample{}); err == nil {
			t.Errorf("%s: accepted", name)
		} else if name == "bad tlsh" && !strings.Contains(err.Error(), "line 2") {
			t.Errorf("%s: error does not name the line: %v", name, err)
		}
	}
}

// benignMacro is VBA an office writes: formatting a sheet, no shell.
func benignMacro(r *rand.Rand, n int) []byte {
	var b strings.Builder
	b.WriteString("Attribute VB_Name = \"Module1\"\r\nOption Explicit\r\n\r\nPublic Sub FormatReport()\r\n")
	for b.Len() < n {
		row := r.IntN(500) + 2
		fmt.Fprintf(&b, "    With Worksheets(\"Report\").Range(\"A%d:H%d\")\r\n        .Font.Bold = %v\r\n        .Interior.ColorIndex = %d\r\n    End With\r\n",
			row, row, r.IntN(2) == 0, r.IntN(56))
		if r.IntN(4) == 0 {
			fmt.Fprintf(&b, "    ' totals for region %d\r\n    Cells(%d, 9).Formula = \"=SUM(B%d:H%d)\"\r\n", r.IntN(9), row, row, row)
		}
	}
	b.WriteString("End Sub\r\n")
	return []byte(b.String())
}
