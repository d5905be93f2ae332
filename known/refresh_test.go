package known

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/cputime"
	"github.com/kensa-milter/kensa/quarantine"
	"github.com/kensa-milter/kensa/scanners"
)

// syntheticSample is a sample with a random SHA-256 and the given TLSH.
func syntheticSample(r *rand.Rand, t TLSH, name string) Sample {
	var h SHA256
	for i := range h {
		h[i] = byte(r.Uint32())
	}
	return Sample{SHA256: h, TLSH: t, HasTLSH: true, Name: name, Verdict: scanners.Malicious, Source: "import"}
}

// TestSetWithEqualsRebuild: a set changed step by step (adds, renames,
// removals, re-adds, through compaction) answers every lookup as a set
// built from scratch with the same samples does.
func TestSetWithEqualsRebuild(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 20))
	var pool []Sample
	for i := range 6000 {
		pool = append(pool, syntheticSample(r, randomDigest(r), fmt.Sprint("s", i)))
	}
	want := map[SHA256]Sample{}
	for _, sm := range pool[:3000] {
		want[sm.SHA256] = sm
	}
	set := NewSet(pool[:3000])
	check := func(step int) {
		t.Helper()
		var all []Sample
		for _, sm := range want {
			all = append(all, sm)
		}
		fresh := NewSet(all)
		if set.Len() != fresh.Len() {
			t.Fatalf("step %d: %d samples, rebuilt %d", step, set.Len(), fresh.Len())
		}
		for _, sm := range pool {
			got, ok := set.Exact(sm.SHA256)
			w, wok := want[sm.SHA256]
			if ok != wok || ok && got.Name != w.Name {
				t.Fatalf("step %d: Exact(%s) = %q %v, want %q %v", step, sm.SHA256, got.Name, ok, w.Name, wok)
			}
		}
		for i := range 300 {
			q := randomDigest(r)
			if i%2 == 0 {
				q = variant(r, pool[r.IntN(len(pool))].TLSH, r.IntN(30))
			}
			_, d, ok := set.Similar(q, DefaultThreshold)
			_, wd, wok := fresh.Similar(q, DefaultThreshold)
			if ok != wok || d != wd {
				t.Fatalf("step %d: Similar = %d %v, rebuilt %d %v", step, d, ok, wd, wok)
			}
		}
	}
	check(0)
	compacted := false
	for step := 1; step <= 40; step++ {
		var changed []Sample
		var removed []SHA256
		for range r.IntN(300) {
			sm := pool[r.IntN(len(pool))]
			switch r.IntN(3) {
			case 0:
				removed = append(removed, sm.SHA256)
			case 1:
				sm.Name = fmt.Sprint("renamed at ", step)
				fallthrough
			default:
				changed = append(changed, sm)
			}
		}
		for _, sm := range changed {
			want[sm.SHA256] = sm
		}
		for _, h := range removed { // a SHA-256 in both is removed
			delete(want, h)
		}
		before := set.base
		set = set.With(changed, removed)
		compacted = compacted || set.base != before
		check(step)
	}
	if !compacted {
		t.Error("the changes never folded into a new base")
	}
}

// TestRefreshIsIncremental: after the first load a refresh reads only what
// changed, removals included: add, refresh, remove, refresh → gone; and a
// host too far behind for the kept removals reloads the whole set.
func TestRefreshIsIncremental(t *testing.T) {
	for _, b := range backends {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			st := openStore(t, b.DSN(t))
			r := rand.New(rand.NewPCG(15, 21))
			a := sampleOf(macroSource(r, 3000), "wave 1", scanners.Malicious)
			c := sampleOf(macroSource(r, 5000), "wave 2", scanners.Suspicious)
			live := NewLive(st, nil)
			refresh := func() {
				t.Helper()
				if err := live.Refresh(ctx); err != nil {
					t.Fatal(err)
				}
			}
			refresh()
			if _, err := st.Add(ctx, []Sample{a, c}); err != nil {
				t.Fatal(err)
			}
			refresh()
			if _, ok := live.Set().Exact(a.SHA256); !ok || live.Set().Len() != 2 {
				t.Fatalf("after add: %d samples", live.Set().Len())
			}
			if _, err := st.Remove(ctx, []SHA256{a.SHA256}); err != nil {
				t.Fatal(err)
			}
			refresh()
			if _, ok := live.Set().Exact(a.SHA256); ok {
				t.Fatal("removed sample still known after a refresh")
			}
			if _, _, ok := live.Set().Similar(a.TLSH, 0); ok {
				t.Fatal("removed sample still found by similarity")
			}
			c.Name = "wave 2 renamed"
			if _, err := st.Add(ctx, []Sample{a, c}); err != nil { // a is back, c renamed
				t.Fatal(err)
			}
			refresh()
			if got, ok := live.Set().Exact(c.SHA256); !ok || got.Name != "wave 2 renamed" || live.Set().Len() != 2 {
				t.Fatalf("after re-add and rename: %+v %v, %d samples", got, ok, live.Set().Len())
			}
			if _, ok := live.Set().Exact(a.SHA256); !ok {
				t.Fatal("a re-added sample is not known")
			}
			if n := live.FullLoads.Load(); n != 1 {
				t.Errorf("%d full loads, want only the first", n)
			}
			g, _ := st.Generation(ctx)
			if live.Generation() != g {
				t.Errorf("live at generation %d, store at %d", live.Generation(), g)
			}

			// A host that read a and c in full (its base) applies a removal
			// as well as one that added them after its first load.
			other := NewLive(st, nil)
			if err := other.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Remove(ctx, []SHA256{a.SHA256}); err != nil {
				t.Fatal(err)
			}
			refresh()
			if err := other.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			for name, l := range map[string]*Live{"incremental": live, "full": other} {
				if _, ok := l.Set().Exact(a.SHA256); ok || l.Set().Len() != 1 {
					t.Errorf("%s: removed sample still known (%d samples)", name, l.Set().Len())
				}
				if _, _, ok := l.Set().Similar(a.TLSH, 0); ok {
					t.Errorf("%s: removed sample still found by similarity", name)
				}
			}
			if other.FullLoads.Load() != 1 {
				t.Errorf("the removal was a full load")
			}

			// A day later removals are pruned: a host that last refreshed
			// before them cannot get a delta, and reloads in full.
			behind := NewLive(st, nil)
			if err := behind.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Add(ctx, []Sample{a}); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Remove(ctx, []SHA256{a.SHA256}); err != nil {
				t.Fatal(err)
			}
			refresh()
			st.now = func() time.Time { return time.Now().Add(2 * tombstoneAge) }
			if _, err := st.Remove(ctx, []SHA256{c.SHA256}); err != nil {
				t.Fatal(err)
			}
			if _, err := st.Changes(ctx, behind.Generation()); !errors.Is(err, ErrTooOld) {
				t.Fatalf("a delta across pruned removals: %v", err)
			}
			if err := behind.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			if behind.Set().Len() != 0 || behind.FullLoads.Load() != 2 {
				t.Errorf("the host behind has %d samples after %d full loads", behind.Set().Len(), behind.FullLoads.Load())
			}
			refresh() // the one that kept up still gets a delta: c's removal is kept
			if live.Set().Len() != 0 || live.FullLoads.Load() != 1 {
				t.Errorf("the host that kept up has %d samples after %d full loads", live.Set().Len(), live.FullLoads.Load())
			}
		})
	}
}

// TestOldTableGetsChangedColumn: a known_samples table from before
// incremental refreshes is migrated, its rows kept.
func TestOldTableGetsChangedColumn(t *testing.T) {
	for _, b := range backends {
		t.Run(b.Name, func(t *testing.T) {
			ctx := context.Background()
			dsn := b.DSN(t)
			db, err := quarantine.OpenDB(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			for _, q := range []string{
				`CREATE TABLE known_samples (sha256 TEXT PRIMARY KEY, tlsh TEXT NOT NULL, name TEXT NOT NULL, verdict TEXT NOT NULL,
					source TEXT NOT NULL, added_at BIGINT NOT NULL, added_by TEXT NOT NULL)`,
				`INSERT INTO known_samples VALUES ('` + fmt.Sprintf("%064x", 7) + `', '', 'old', 'malicious', 'add', 1, 'root')`,
			} {
				if _, err := db.ExecContext(ctx, q); err != nil {
					t.Fatal(err)
				}
			}
			db.Close()
			st := openStore(t, dsn)
			var n int
			if err := st.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM known_samples WHERE changed = 0`).Scan(&n); err != nil || n != 1 {
				t.Fatalf("migrated rows: %d %v", n, err)
			}
			set, _, err := st.Load(ctx)
			if err != nil || set.Len() != 1 {
				t.Fatalf("load after migration: %v", err)
			}
		})
	}
}

// benchmarkRefresh measures one refresh of a live set of n samples after
// one sample was added: the whole set read and rebuilt (as before), or
// only the change (Changes and With). CPU time per refresh, as the index
// benchmarks report it.
func benchmarkRefresh(b *testing.B, n int, full bool) {
	if testing.Short() && n > 10_000 {
		b.Skip("large known set: run without -short")
	}
	ctx := context.Background()
	st, err := OpenStore(ctx, "sqlite://"+filepath.Join(b.TempDir(), "q.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	r := rand.New(rand.NewPCG(15, 22))
	if err := fillStore(ctx, st, r, n); err != nil {
		b.Fatal(err)
	}
	live := NewLive(st, nil)
	if err := live.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
	var cpu time.Duration
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		if _, err := st.Add(ctx, []Sample{syntheticSample(r, randomDigest(r), fmt.Sprint("new ", i))}); err != nil {
			b.Fatal(err)
		}
		if full { // what every refresh did before: read it all
			live.set.Store(nil)
		}
		b.StartTimer()
		c := cputime.Process()
		if err := live.Refresh(ctx); err != nil {
			b.Fatal(err)
		}
		cpu += cputime.Process() - c
	}
	b.ReportMetric(float64(cpu)/float64(b.N), "cpu-ns/op")
}

// fillStore writes n synthetic samples straight into the table, far faster
// than Add's checks (a benchmark's setup, not what it measures).
func fillStore(ctx context.Context, st *Store, r *rand.Rand, n int) error {
	return st.inTx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, st.db.Q(`INSERT INTO known_samples (sha256, tlsh, name, verdict, source, added_at, added_by, changed)
			VALUES (?, ?, ?, 'malicious', 'import', 1, 'bench', 0)`))
		if err != nil {
			return err
		}
		defer stmt.Close()
		for i := range n {
			sm := syntheticSample(r, randomDigest(r), "")
			if _, err := stmt.ExecContext(ctx, sm.SHA256.String(), sm.TLSH.hex(), fmt.Sprint("feed ", i)); err != nil {
				return err
			}
		}
		return nil
	})
}

func BenchmarkRefreshFull10k(b *testing.B)        { benchmarkRefresh(b, 10_000, true) }
func BenchmarkRefreshIncremental10k(b *testing.B) { benchmarkRefresh(b, 10_000, false) }
func BenchmarkRefreshFull1M(b *testing.B)         { benchmarkRefresh(b, 1_000_000, true) }
func BenchmarkRefreshIncremental1M(b *testing.B)  { benchmarkRefresh(b, 1_000_000, false) }
