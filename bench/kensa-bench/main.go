// Command kensa-bench measures Kensa side by side with baselines and writes
// BENCHMARKS.md:
//
//   - milter: the corpus replayed through the milter protocol (go-milter's
//     client) against `kensa serve` and against bench/nullmilter, the same
//     library accepting everything; messages/s, MB/s, latency percentiles and
//     Kensa's peak RSS (VmHWM of the process started here);
//   - memory: 64 concurrent 10 MB messages; soak: RSS over time;
//   - inproc: the whole pipeline in-process against libyara alone (go-yara)
//     on the same decoded parts;
//   - postfix: smtp-source → private Postfix → smtp-sink with and without
//     Kensa in smtpd_milters, and SMTP transaction latency.
//
// `make bench` runs it; see BENCHMARKS.md for the figures and how to read them.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

type options struct {
	kensa, Null, script string
	knownTest           string
	Corpus, work, out   string
	results             string
	Runs                int
	dur, Soak           time.Duration
	phases              map[string]bool
	profile             string
	kensaProfiles       string
	renderOnly          bool
}

func main() {
	var o options
	var phases string
	flag.StringVar(&o.kensa, "kensa", "bin/kensa", "kensa binary")
	flag.StringVar(&o.Null, "null", "bin/nullmilter", "null milter binary")
	flag.StringVar(&o.knownTest, "known-test", "bin/known.test", "the known package's test binary (go test -c ./known), for the index phase")
	flag.StringVar(&o.script, "postfix-script", "bench/postfix.sh", "private Postfix script")
	flag.StringVar(&o.Corpus, "corpus", "", "corpus directory written by bench/corpusgen")
	flag.StringVar(&o.work, "work", "", "scratch directory")
	flag.StringVar(&o.out, "out", "BENCHMARKS.md", "report to write")
	flag.IntVar(&o.Runs, "runs", 3, "runs per figure (the median is reported)")
	flag.DurationVar(&o.dur, "dur", 5*time.Second, "length of one throughput run")
	flag.DurationVar(&o.Soak, "soak", 2*time.Minute, "length of the soak run (0 = none)")
	flag.StringVar(&phases, "phases", "milter,c8,latency,memory,soak,inproc,postfix,index,cache", "phases to run (also: cpu, business.eml at concurrency 16 with its CPU profile, which c8 covers at concurrency 8; milterprof)")
	flag.StringVar(&o.results, "results", "bench/results", "`directory` for the raw results of the run (JSON); the report is computed from them, and older runs are removed")
	flag.BoolVar(&o.renderOnly, "render", false, "only write the report again from the raw results in -results")
	flag.StringVar(&o.profile, "cpuprofile", "", "write a CPU profile of the in-process pipeline on business.eml here")
	flag.StringVar(&o.kensaProfiles, "kensa-cpuprofiles", "", "`directory` for a CPU profile of every kensa serve process started (kensa serve --cpuprofile)")
	flag.Parse()
	if o.renderOnly {
		if err := render(o.results, o.out); err != nil {
			fmt.Fprintln(os.Stderr, "kensa-bench:", err)
			os.Exit(1)
		}
		return
	}
	if o.Corpus == "" || o.work == "" {
		fmt.Fprintln(os.Stderr, "kensa-bench: -corpus and -work are required")
		os.Exit(2)
	}
	o.phases = map[string]bool{}
	for _, p := range strings.Split(phases, ",") {
		o.phases[strings.TrimSpace(p)] = true
	}
	rep, err := bench(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kensa-bench:", err)
		os.Exit(1)
	}
	path, err := saveResults(o.results, rep)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kensa-bench:", err)
		os.Exit(1)
	}
	fmt.Fprintln(os.Stderr, "kensa-bench: raw results in", path)
	if err := render(o.results, o.out); err != nil {
		fmt.Fprintln(os.Stderr, "kensa-bench:", err)
		os.Exit(1)
	}
}

func warnf(format string, a ...any) { fmt.Fprintf(os.Stderr, "kensa-bench: "+format+"\n", a...) }
func logf(format string, a ...any)  { fmt.Fprintf(os.Stderr, "  "+format+"\n", a...) }

// corpora in report order, with the concurrency each is replayed at.
var corpora = []struct {
	file string
	Desc string
	Conc int
}{
	{"small.eml", "small text mail", 16},
	{"business.eml", "typical business mail: text + HTML + 200 KB PDF", 16},
	{"zip5m.eml", "5 MB zip of documents (PDF, DOCX with a photo, JPEG scans, CSV); about 16 MB read below it", 4},
	{"big20m.eml", "20 MB PDF attachment", 4},
}

type ruleset struct {
	Name, Desc string
	Files      []string
}

type milterRow struct {
	Target, Ruleset, Corpus string
	Conc                    int
	Runs                    []run
}

// report is the raw results of one run: every run of every figure, and the
// state of the machine before and after. It is saved as JSON under
// bench/results, and BENCHMARKS.md is computed from that file alone.
type report struct {
	Started    time.Time
	Took       time.Duration
	Machine    []string
	NumCPU     int
	GOMAXPROCS int
	Runs       int           // runs per figure
	Dur        time.Duration // one throughput run
	SoakFor    time.Duration
	Start, End machineState // load and busy processes before and after

	ci          map[[2]*run]interval // p99 differences already computed, for the report
	CorpusSizes map[string]int
	Rulesets    []ruleset
	RuleCounts  map[string]string
	Milter      []milterRow
	Latency     []milterRow
	Memory      *milterRow
	Soak        []soakSample
	Inproc      []inprocResult
	Cpu         []cpuRow      // null milter, then Kensa
	Mix         []mixMessage  `json:",omitempty"` // the mixed set
	MixText     []mixKindText `json:",omitempty"` // its kinds as bench/corpusgen describes them
	C8          []c8Row       `json:",omitempty"`
	Index       []indexRow    `json:",omitempty"` // the similarity index
	Cache       []cacheRow    `json:",omitempty"` // the verdict cache: off, then on
	Phases      []phaseTime   `json:",omitempty"` // how long each phase took, in order
	Postfix     []postfixRow
}

// phaseTime is how long one phase of the run took.
type phaseTime struct {
	Name string
	Took time.Duration
}

// soakSample is Kensa's resident memory at At, and Peak, the most it held
// since the sample before (VmHWM, reset at each sample). Results written
// before Peak was recorded have none.
const soakWindow = 10 * time.Second

type soakSample struct {
	At              time.Duration
	RSS, Peak, Msgs int64
}

type postfixRow struct {
	Corpus      string
	With, Plain []run // throughput runs
	Null        []run // throughput with the null milter: Postfix's own cost of any milter
	LatWith     []run // one SMTP transaction at a time, every latency kept
	LatPlain    []run
	Sessions    int
}

func bench(o options) (*report, error) {
	r := &report{Started: time.Now().UTC(), CorpusSizes: map[string]int{}, RuleCounts: map[string]string{},
		NumCPU: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0), Runs: o.Runs, Dur: o.dur, SoakFor: o.Soak}
	r.Machine = machine()
	r.Start = sampleMachine(5*time.Second, minBusy)
	logf("machine at the start: %s", r.Start)
	if err := os.MkdirAll(o.work, 0o755); err != nil {
		return nil, err
	}
	msgs := map[string]mail{}
	raws := map[string][]byte{}
	for _, name := range []string{"small.eml", "business.eml", "zip5m.eml", "big20m.eml", "big10m.eml"} {
		b, err := os.ReadFile(filepath.Join(o.Corpus, name))
		if err != nil {
			return nil, fmt.Errorf("corpus: %w (make it with go run ./bench/corpusgen)", err)
		}
		m, err := splitMail(name, b)
		if err != nil {
			return nil, err
		}
		msgs[name], raws[name] = m, b
		r.CorpusSizes[name] = len(b)
	}
	var mixed []mail
	var mixedRaws [][]byte
	if o.phases["milter"] || o.phases["c8"] || o.phases["inproc"] { // read first: a missing mixed set fails the run before it starts
		var err error
		if mixed, mixedRaws, r.Mix, err = readMix(filepath.Join(o.Corpus, "mixed")); err != nil {
			return nil, err
		}
		if r.MixText, err = readMixText(filepath.Join(o.Corpus, "mixed")); err != nil {
			return nil, err
		}
	}
	gen := filepath.Join(o.Corpus, "generated-rules.yar")
	r.Rulesets = []ruleset{
		{"pack", "Kensa's embedded pack", nil},
		{"pack+4000", "Kensa's pack + 4000 generated public-style rules", []string{gen}},
	}

	// Every server started here is stopped on the way out, also when a
	// phase fails half way.
	var started []*server
	defer func() {
		for _, s := range started {
			s.stop()
		}
	}()
	track := func(s *server, err error) (*server, error) {
		if s != nil {
			started = append(started, s)
		}
		return s, err
	}
	// startKensa starts kensa serve with rule set rs; conf is YAML
	// appended to the config ("" for none), extra more arguments.
	//
	// The verdict cache is off unless conf sets limits: the corpus replays
	// the same few messages, and a cache would scan their attachments
	// once, where real traffic brings new ones. The cache phase measures it.
	startKensa := func(rs ruleset, tag, conf string, extra ...string) (*server, error) {
		cfg := filepath.Join(o.work, "kensa-"+rs.Name+"-"+tag+".yaml")
		var b strings.Builder
		if !strings.Contains(conf, "http:") {
			b.WriteString("http:\n  listen: \"\"\n")
		}
		if !strings.Contains(conf, "limits:") {
			b.WriteString("limits:\n  verdict_cache: 0\n")
		}
		fmt.Fprintf(&b, "log:\n  level: info\nstate_dir: %q\nyara:\n  builtin: true\n  rules: [", filepath.Join(o.work, "state"))
		for i, f := range rs.Files {
			if i > 0 {
				b.WriteString(", ")
			}
			abs, _ := filepath.Abs(f)
			fmt.Fprintf(&b, "%q", abs)
		}
		b.WriteString("]\n" + conf)
		if err := os.WriteFile(cfg, []byte(b.String()), 0o644); err != nil {
			return nil, err
		}
		_ = os.MkdirAll(filepath.Join(o.work, "state"), 0o755)
		args := []string{o.kensa, "serve", "--config", cfg, "--listen", "inet:{addr}"}
		if o.kensaProfiles != "" && len(extra) == 0 {
			args = append(args, "--cpuprofile", filepath.Join(o.kensaProfiles, "kensa-"+rs.Name+"-"+tag+".pprof"))
		}
		args = append(args, extra...)
		return track(startServer("kensa", filepath.Join(o.work, "kensa-"+rs.Name+"-"+tag+".log"), args...))
	}
	startNull := func(tag string) (*server, error) {
		return track(startServer("nullmilter", filepath.Join(o.work, "null-"+tag+".log"), o.Null, "-listen", "{addr}"))
	}
	warm := func(s *server, m mail) { load(s.addr, []mail{m}, 2, 4, 0) }

	if o.phases["milterprof"] { // not in the default phases: for profiling only
		res, err := milterProfile(msgs["business.eml"], 16, o.dur, o.profile)
		if err != nil {
			return nil, err
		}
		logf("in-process milter, business.eml c=16: %.1f msg/s (profile in %s)", res.msgsPerSec(), o.profile)
	}

	if o.phases["milter"] {
		t0 := time.Now()
		fmt.Fprintln(os.Stderr, "== milter protocol: Kensa against the null milter")
		null, err := startNull("milter")
		if err != nil {
			return nil, err
		}
		kensas := map[string]*server{}
		for _, rs := range r.Rulesets {
			k, err := startKensa(rs, "milter", "")
			if err != nil {
				null.stop()
				return nil, err
			}
			kensas[rs.Name] = k
			r.RuleCounts[rs.Name] = ruleCount(filepath.Join(o.work, "kensa-"+rs.Name+"-milter.log"))
		}
		// The corpus files, with the mixed set next to business.eml.
		type set struct {
			file string
			msgs []mail
			Conc int
		}
		var sets []set
		for _, c := range corpora {
			sets = append(sets, set{c.file, []mail{msgs[c.file]}, c.Conc})
			if c.file == "business.eml" && len(mixed) > 0 {
				sets = append(sets, set{mixedCorpus, mixed, c.Conc})
			}
		}
		for _, c := range sets {
			warmAll := func(s *server) { load(s.addr, c.msgs, 2, max(len(c.msgs), 4), 0) }
			warmAll(null)
			for _, k := range kensas {
				warmAll(k)
			}
			rows := map[string]*milterRow{"null": {Target: "null milter", Corpus: c.file, Conc: c.Conc}}
			for _, rs := range r.Rulesets {
				rows[rs.Name] = &milterRow{Target: "kensa", Ruleset: rs.Name, Corpus: c.file, Conc: c.Conc}
			}
			// Interleave the targets run by run, so that drift on the
			// machine hits them alike.
			for i := range o.Runs {
				for _, name := range append([]string{"null"}, rulesetNames(r.Rulesets)...) {
					s := null
					if name != "null" {
						s = kensas[name]
					}
					s.resetPeak()
					res := load(s.addr, c.msgs, c.Conc, 0, o.dur).summarized(false)
					if name != "null" {
						res.PeakRSS = s.peakRSS()
					}
					rows[name].Runs = append(rows[name].Runs, res)
					logf("%s %s c=%d run %d: %.1f msg/s p99 %v", name, c.file, c.Conc, i+1, res.msgsPerSec(), res.pct(99).Round(time.Millisecond))
				}
			}
			r.Milter = append(r.Milter, *rows["null"])
			for _, rs := range r.Rulesets {
				r.Milter = append(r.Milter, *rows[rs.Name])
			}
		}
		for _, k := range kensas {
			k.stop()
		}
		null.stop()
		r.Phases = append(r.Phases, phaseTime{"milter", time.Since(t0)})
	}

	if o.phases["cpu"] {
		t0 := time.Now()
		fmt.Fprintln(os.Stderr, "== cpu: CPU time per typical message, and where Kensa's goes")
		prof := filepath.Join(o.work, "kensa-cpu.pprof")
		if o.kensaProfiles != "" {
			prof = filepath.Join(o.kensaProfiles, "kensa-pack-cpu.pprof")
		}
		null, err := startNull("cpu")
		if err != nil {
			return nil, err
		}
		k, err := startKensa(r.Rulesets[0], "cpu", "", "--cpuprofile", prof)
		if err != nil {
			null.stop()
			return nil, err
		}
		m := msgs["business.eml"]
		warm(null, m)
		warm(k, m)
		rows := []*cpuRow{{Target: "null milter"}, {Target: "kensa"}}
		for i := range o.Runs {
			for j, s := range []*server{null, k} {
				res, srvMS, cliMS, err := measureCPU(s, m, 16, o.dur)
				if err != nil {
					k.stop()
					null.stop()
					return nil, err
				}
				row := rows[j]
				row.Server, row.Client = append(row.Server, srvMS), append(row.Client, cliMS)
				row.Rate = append(row.Rate, res.msgsPerSec())
				logf("%s run %d: %.1f msg/s, server %.2f ms CPU per message, client %.2f ms", row.Target, i+1, res.msgsPerSec(), srvMS, cliMS)
			}
		}
		k.stop() // writes the profile
		null.stop()
		shares, err := profileShares(prof)
		if err != nil {
			return nil, fmt.Errorf("cpu profile of kensa serve: %w", err)
		}
		rows[1].ProfileShare = shares
		r.Cpu = []cpuRow{*rows[0], *rows[1]}
		r.Phases = append(r.Phases, phaseTime{"cpu", time.Since(t0)})
	}

	if o.phases["c8"] {
		t0 := time.Now()
		fmt.Fprintln(os.Stderr, "== concurrency 8: the mixed set, business.eml and the zip set, Kensa against the null milter, with CPU per message")
		null, err := startNull("c8")
		if err != nil {
			return nil, err
		}
		for _, c := range []struct {
			corpus string
			msgs   []mail
			dur    time.Duration
		}{
			{mixedCorpus, mixed, o.dur},
			{"business.eml", []mail{msgs["business.eml"]}, o.dur},
			// Large messages: a longer run, for enough of them to show a tail.
			{"zip5m.eml", []mail{msgs["zip5m.eml"]}, 2 * o.dur},
		} {
			prof := filepath.Join(o.work, "kensa-pack-c8-"+c.corpus+".pprof")
			if o.kensaProfiles != "" {
				prof = filepath.Join(o.kensaProfiles, "kensa-pack-c8-"+c.corpus+".pprof")
			}
			k, err := startKensa(r.Rulesets[0], "c8-"+c.corpus, "", "--cpuprofile", prof)
			if err != nil {
				return nil, err
			}
			// Warm up with every message once (at most a few seconds' worth).
			for _, s := range []*server{null, k} {
				load(s.addr, c.msgs, 2, max(len(c.msgs), 4), 0)
			}
			row := c8Row{Corpus: c.corpus, Conc: c8Conc}
			for i := range o.Runs {
				for _, side := range []struct {
					s   *server
					out *[]run
				}{{null, &row.Null}, {k, &row.Kensa}} {
					res, err := measuredLoad(side.s, c.msgs, c8Conc, 0, c.dur)
					if err != nil {
						return nil, err
					}
					*side.out = append(*side.out, res.summarized(false))
					logf("%s %s c=%d run %d: %.1f msg/s, %.2f ms CPU per message, p50 %v p99 %v", side.s.Name, row.label(), c8Conc, i+1,
						res.msgsPerSec(), res.serverMS(), res.pct(50).Round(time.Millisecond), res.pct(99).Round(time.Millisecond))
				}
			}
			k.stop() // writes the profile
			row.Profile = prof
			if row.shares, err = profileShares(prof); err != nil {
				return nil, fmt.Errorf("cpu profile of kensa serve: %w", err)
			}
			r.C8 = append(r.C8, row)
		}
		null.stop()
		r.Phases = append(r.Phases, phaseTime{"c8", time.Since(t0)})
	}

	if o.phases["latency"] {
		t0 := time.Now()
		fmt.Fprintln(os.Stderr, "== latency: one message at a time")
		null, err := startNull("latency")
		if err != nil {
			return nil, err
		}
		k, err := startKensa(r.Rulesets[0], "latency", "")
		if err != nil {
			null.stop()
			return nil, err
		}
		for _, name := range []string{"small.eml", "business.eml"} {
			m := msgs[name]
			warm(null, m)
			warm(k, m)
			rn := milterRow{Target: "null milter", Corpus: name, Conc: 1}
			rk := milterRow{Target: "kensa", Ruleset: "pack", Corpus: name, Conc: 1}
			for range o.Runs {
				rn.Runs = append(rn.Runs, load(null.addr, []mail{m}, 1, 0, o.dur).summarized(true))
				rk.Runs = append(rk.Runs, load(k.addr, []mail{m}, 1, 0, o.dur).summarized(true))
			}
			r.Latency = append(r.Latency, rn, rk)
			logf("%s: null p99 %v, kensa p99 %v", name, rn.Runs[0].pct(99), rk.Runs[0].pct(99))
		}
		k.stop()
		null.stop()
		r.Phases = append(r.Phases, phaseTime{"latency", time.Since(t0)})
	}

	if o.phases["memory"] {
		t0 := time.Now()
		fmt.Fprintln(os.Stderr, "== memory: 64 concurrent 10 MB messages")
		k, err := startKensa(r.Rulesets[0], "memory", "")
		if err != nil {
			return nil, err
		}
		row := milterRow{Target: "kensa", Ruleset: "pack", Corpus: "big10m.eml", Conc: 64}
		for i := range o.Runs {
			k.resetPeak()
			res := load(k.addr, []mail{msgs["big10m.eml"]}, 64, 64, 0).summarized(false)
			res.PeakRSS = k.peakRSS()
			row.Runs = append(row.Runs, res)
			logf("run %d: %d msgs in %v, peak RSS %d MiB", i+1, res.Msgs, res.Elapsed.Round(time.Millisecond), res.PeakRSS>>10)
		}
		r.Memory = &row
		k.stop()
		r.Phases = append(r.Phases, phaseTime{"memory", time.Since(t0)})
	}

	if o.phases["soak"] && o.Soak > 0 {
		t0 := time.Now()
		fmt.Fprintf(os.Stderr, "== soak: %v of mixed mail at concurrency 16\n", o.Soak)
		k, err := startKensa(r.Rulesets[0], "soak", "")
		if err != nil {
			return nil, err
		}
		mix := []mail{msgs["business.eml"], msgs["small.eml"], msgs["business.eml"], msgs["small.eml"], msgs["zip5m.eml"]}
		done := make(chan run)
		start := time.Now()
		go func() { done <- load(k.addr, mix, 16, 0, o.Soak) }()
		// Each sample closes a window of soakWindow: its RSS now and the
		// peak over the window (VmHWM, then reset), which a leak lifts
		// window by window while the garbage collector's sawtooth, which
		// moves RSS by several MiB from one instant to the next, does not.
		k.resetPeak()
		tick := time.NewTicker(soakWindow)
		sample := func() soakSample {
			s := soakSample{At: time.Since(start), RSS: k.rss(), Peak: k.peakRSS()}
			k.resetPeak()
			return s
		}
		var total run
	soak:
		for {
			select {
			case total = <-done:
				break soak
			case <-tick.C:
				r.Soak = append(r.Soak, sample())
			}
		}
		tick.Stop()
		last := sample()
		last.Msgs = int64(total.Msgs)
		r.Soak = append(r.Soak, last)
		logf("%d messages, RSS %d → %d MiB", total.Msgs, r.Soak[0].RSS>>10, r.Soak[len(r.Soak)-1].RSS>>10)
		k.stop()
		r.Phases = append(r.Phases, phaseTime{"soak", time.Since(t0)})
	}

	if o.phases["inproc"] {
		t0 := time.Now()
		fmt.Fprintln(os.Stderr, "== in process: the pipeline against libyara alone")
		// The corpus files, with the mixed set next to business.eml.
		var files []string
		for _, c := range corpora {
			files = append(files, c.file)
			if c.file == "business.eml" {
				files = append(files, mixedCorpus)
			}
		}
		for _, rs := range r.Rulesets {
			for _, file := range files {
				prof := ""
				if file == "business.eml" && rs.Name == "pack" {
					prof = o.profile
				}
				set := [][]byte{raws[file]}
				if file == mixedCorpus {
					set = mixedRaws
				}
				res, err := inproc(file, set, rs.Name, rs.Files, o.Runs, runtime.GOMAXPROCS(0), max(o.dur/2, time.Second), prof)
				if err != nil {
					return nil, err
				}
				r.Inproc = append(r.Inproc, res)
				logf("%s %s: pipeline %.1f msg/s, libyara %.1f msg/s", rs.Name, file, over(res.Pipeline, run.msgsPerSec).med, over(res.Libyar, run.msgsPerSec).med)
			}
		}
		r.Phases = append(r.Phases, phaseTime{"inproc", time.Since(t0)})
	}

	if o.phases["postfix"] {
		t0 := time.Now()
		fmt.Fprintln(os.Stderr, "== Postfix: smtp-source → Postfix → smtp-sink, without a milter, with the null milter, with Kensa")
		k, err := startKensa(r.Rulesets[0], "postfix", "")
		if err != nil {
			return nil, err
		}
		defer k.stop()
		with, err := startMTA(o.script, filepath.Join(o.work, "postfix-kensa"), "inet:"+k.addr)
		if err != nil {
			return nil, err
		}
		defer with.stop()
		plain, err := startMTA(o.script, filepath.Join(o.work, "postfix-plain"), "")
		if err != nil {
			return nil, err
		}
		defer plain.stop()
		nm, err := startNull("postfix")
		if err != nil {
			return nil, err
		}
		defer nm.stop()
		withNull, err := startMTA(o.script, filepath.Join(o.work, "postfix-null"), "inet:"+nm.addr)
		if err != nil {
			return nil, err
		}
		defer withNull.stop()
		for _, c := range []struct {
			file     string
			count    int
			Sessions int
		}{{"small.eml", 2000, 16}, {"business.eml", 500, 16}} {
			row := postfixRow{Corpus: c.file, Sessions: c.Sessions}
			path := filepath.Join(o.Corpus, c.file)
			for i := range o.Runs {
				for _, side := range []struct {
					m   *mta
					out *[]run
				}{{plain, &row.Plain}, {withNull, &row.Null}, {with, &row.With}} {
					res, err := side.m.throughput(path, c.count, c.Sessions)
					if err != nil {
						return nil, err
					}
					*side.out = append(*side.out, res)
				}
				logf("%s run %d: plain %.1f msg/s, with the null milter %.1f msg/s, with kensa %.1f msg/s", c.file, i+1, row.Plain[i].msgsPerSec(), row.Null[i].msgsPerSec(), row.With[i].msgsPerSec())
			}
			for i := range o.Runs {
				lp, err := plain.latency(raws[c.file], 200)
				if err != nil {
					return nil, err
				}
				lw, err := with.latency(raws[c.file], 200)
				if err != nil {
					return nil, err
				}
				row.LatPlain, row.LatWith = append(row.LatPlain, lp), append(row.LatWith, lw)
				logf("%s latency run %d, p99: plain %v, with kensa %v", c.file, i+1, lp.pct(99), lw.pct(99))
			}
			// Kensa saw every message it delivered: each carries its verdict.
			for _, x := range append(slices.Clone(row.With), row.LatWith...) {
				if x.Verdicts != x.Delivered {
					return nil, fmt.Errorf("postfix with kensa, %s: %d of %d delivered messages carry X-Kensa-Verdict", c.file, x.Verdicts, x.Delivered)
				}
			}
			r.Postfix = append(r.Postfix, row)
		}
		r.Phases = append(r.Phases, phaseTime{"postfix", time.Since(t0)})
	}
	if o.phases["index"] {
		t0 := time.Now()
		fmt.Fprintln(os.Stderr, "== similarity index: lookups among 10k, 100k and 1M synthetic TLSH digests, one core, against a linear scan")
		rows, err := runIndexBench(o.knownTest, o.Runs)
		if err != nil {
			return nil, err
		}
		for _, row := range rows {
			x := row.Runs[0]
			logf("%d digests: %.1f µs CPU per lookup, linear scan %.0f µs, recall %.1f%% of %d", row.Digests, x.LookupNS/1e3, x.LinearNS/1e3, x.Recall, x.Matches)
		}
		r.Index = rows
		r.Phases = append(r.Phases, phaseTime{"index", time.Since(t0)})
	}

	if o.phases["cache"] {
		t0 := time.Now()
		fmt.Fprintf(os.Stderr, "== verdict cache: a burst of %d copies of one attachment, the cache on and off\n", burstSize)
		burst := burstOf(msgs["business.eml"], burstSize)
		rows := []*cacheRow{{Cache: "off"}, {Cache: "on"}}
		for i := range o.Runs {
			for _, row := range rows {
				port, err := freePort()
				if err != nil {
					return nil, err
				}
				metrics := fmt.Sprintf("127.0.0.1:%d", port)
				conf := fmt.Sprintf("http:\n  listen: %q\nlimits:\n  verdict_cache: %d\n", metrics, cacheSize(row.Cache))
				// A Kensa started afresh: an empty cache for every burst.
				k, err := startKensa(r.Rulesets[0], "cache-"+row.Cache, conf)
				if err != nil {
					return nil, err
				}
				warm(k, msgs["small.eml"])
				h0, m0, err := cacheCounts(metrics)
				if err != nil {
					return nil, err
				}
				res, err := measuredLoad(k, burst, c8Conc, burstSize, 0)
				if err != nil {
					return nil, err
				}
				h1, m1, err := cacheCounts(metrics)
				if err != nil {
					return nil, err
				}
				k.stop()
				row.Runs = append(row.Runs, res.summarized(false))
				row.Hits, row.Misses = append(row.Hits, h1-h0), append(row.Misses, m1-m0)
				logf("cache %s run %d: %.1f msg/s, %.2f ms CPU per message, %d hits, %d misses", row.Cache, i+1, res.msgsPerSec(), res.serverMS(), h1-h0, m1-m0)
			}
		}
		r.Cache = []cacheRow{*rows[0], *rows[1]}
		r.Phases = append(r.Phases, phaseTime{"cache", time.Since(t0)})
	}

	r.Took = time.Since(r.Started)
	r.End = sampleMachine(5*time.Second, minBusy)
	logf("machine at the end: %s", r.End)
	return r, nil
}

func rulesetNames(rs []ruleset) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Name)
	}
	return out
}

// ruleCount reads "rules=N" from Kensa's start-up log line.
func ruleCount(logPath string) string {
	b, _ := os.ReadFile(logPath)
	for _, f := range strings.Fields(string(b)) {
		if v, ok := strings.CutPrefix(f, "rules="); ok {
			return v
		}
	}
	return "?"
}
