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
	"strings"
	"time"
)

type options struct {
	kensa, null, script string
	corpus, work, out   string
	runs                int
	dur, soak           time.Duration
	phases              map[string]bool
	profile, notes      string
	kensaProfiles       string
}

func main() {
	var o options
	var phases string
	flag.StringVar(&o.kensa, "kensa", "bin/kensa", "kensa binary")
	flag.StringVar(&o.null, "null", "bin/nullmilter", "null milter binary")
	flag.StringVar(&o.script, "postfix-script", "bench/postfix.sh", "private Postfix script")
	flag.StringVar(&o.corpus, "corpus", "", "corpus directory written by bench/corpusgen")
	flag.StringVar(&o.work, "work", "", "scratch directory")
	flag.StringVar(&o.out, "out", "BENCHMARKS.md", "report to write")
	flag.IntVar(&o.runs, "runs", 3, "runs per figure (the median is reported)")
	flag.DurationVar(&o.dur, "dur", 5*time.Second, "length of one throughput run")
	flag.DurationVar(&o.soak, "soak", 2*time.Minute, "length of the soak run (0 = none)")
	flag.StringVar(&phases, "phases", "milter,cpu,latency,memory,soak,inproc,postfix", "phases to run")
	flag.StringVar(&o.notes, "notes", "bench/kensa-bench/notes.md", "text copied at the end of the report")
	flag.StringVar(&o.profile, "cpuprofile", "", "write a CPU profile of the in-process pipeline on business.eml here")
	flag.StringVar(&o.kensaProfiles, "kensa-cpuprofiles", "", "`directory` for a CPU profile of every kensa serve process started (kensa serve --cpuprofile)")
	flag.Parse()
	if o.corpus == "" || o.work == "" {
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
	if err := os.WriteFile(o.out, []byte(rep.markdown(o)), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "kensa-bench:", err)
		os.Exit(1)
	}
	fmt.Fprintln(os.Stderr, "kensa-bench: wrote", o.out)
}

func warnf(format string, a ...any) { fmt.Fprintf(os.Stderr, "kensa-bench: "+format+"\n", a...) }
func logf(format string, a ...any)  { fmt.Fprintf(os.Stderr, "  "+format+"\n", a...) }

// corpora in report order, with the concurrency each is replayed at.
var corpora = []struct {
	file string
	desc string
	conc int
}{
	{"small.eml", "small text mail", 16},
	{"business.eml", "typical business mail: text + HTML + 200 KB PDF", 16},
	{"zip5m.eml", "5 MB zip of documents (PDF, DOCX, CSV)", 4},
	{"big20m.eml", "20 MB PDF attachment", 4},
}

type ruleset struct {
	name, desc string
	files      []string
}

type milterRow struct {
	target, ruleset, corpus string
	conc                    int
	runs                    []run
}

type report struct {
	started     time.Time
	took        time.Duration
	machine     []string
	corpusSizes map[string]int
	rulesets    []ruleset
	ruleCounts  map[string]string
	milter      []milterRow
	latency     []milterRow
	memory      *milterRow
	soak        []soakSample
	inproc      []inprocResult
	cpu         []cpuRow // null milter, then Kensa
	postfix     []postfixRow
}

type soakSample struct {
	at        time.Duration
	rss, msgs int64
}

type postfixRow struct {
	corpus      string
	with, plain []run // throughput runs
	null        []run // throughput with the null milter: Postfix's own cost of any milter
	latWith     run
	latPlain    run
	sessions    int
}

func bench(o options) (*report, error) {
	r := &report{started: time.Now(), corpusSizes: map[string]int{}, ruleCounts: map[string]string{}}
	r.machine = machine()
	if err := os.MkdirAll(o.work, 0o755); err != nil {
		return nil, err
	}
	msgs := map[string]mail{}
	raws := map[string][]byte{}
	for _, name := range []string{"small.eml", "business.eml", "zip5m.eml", "big20m.eml", "big10m.eml"} {
		b, err := os.ReadFile(filepath.Join(o.corpus, name))
		if err != nil {
			return nil, fmt.Errorf("corpus: %w (make it with go run ./bench/corpusgen)", err)
		}
		m, err := splitMail(name, b)
		if err != nil {
			return nil, err
		}
		msgs[name], raws[name] = m, b
		r.corpusSizes[name] = len(b)
	}
	gen := filepath.Join(o.corpus, "generated-rules.yar")
	r.rulesets = []ruleset{
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
	startKensa := func(rs ruleset, tag string, extra ...string) (*server, error) {
		cfg := filepath.Join(o.work, "kensa-"+rs.name+".yaml")
		var b strings.Builder
		fmt.Fprintf(&b, "log:\n  level: info\nhttp:\n  listen: \"\"\nstate_dir: %q\nyara:\n  builtin: true\n  rules: [", filepath.Join(o.work, "state"))
		for i, f := range rs.files {
			if i > 0 {
				b.WriteString(", ")
			}
			abs, _ := filepath.Abs(f)
			fmt.Fprintf(&b, "%q", abs)
		}
		b.WriteString("]\n")
		if err := os.WriteFile(cfg, []byte(b.String()), 0o644); err != nil {
			return nil, err
		}
		_ = os.MkdirAll(filepath.Join(o.work, "state"), 0o755)
		args := []string{o.kensa, "serve", "--config", cfg, "--listen", "inet:{addr}"}
		if o.kensaProfiles != "" && len(extra) == 0 {
			args = append(args, "--cpuprofile", filepath.Join(o.kensaProfiles, "kensa-"+rs.name+"-"+tag+".pprof"))
		}
		args = append(args, extra...)
		return track(startServer("kensa", filepath.Join(o.work, "kensa-"+rs.name+"-"+tag+".log"), args...))
	}
	startNull := func(tag string) (*server, error) {
		return track(startServer("nullmilter", filepath.Join(o.work, "null-"+tag+".log"), o.null, "-listen", "{addr}"))
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
		fmt.Fprintln(os.Stderr, "== milter protocol: Kensa against the null milter")
		null, err := startNull("milter")
		if err != nil {
			return nil, err
		}
		kensas := map[string]*server{}
		for _, rs := range r.rulesets {
			k, err := startKensa(rs, "milter")
			if err != nil {
				null.stop()
				return nil, err
			}
			kensas[rs.name] = k
			r.ruleCounts[rs.name] = ruleCount(filepath.Join(o.work, "kensa-"+rs.name+"-milter.log"))
		}
		for _, c := range corpora {
			m := msgs[c.file]
			warm(null, m)
			for _, k := range kensas {
				warm(k, m)
			}
			rows := map[string]*milterRow{"null": {target: "null milter", corpus: c.file, conc: c.conc}}
			for _, rs := range r.rulesets {
				rows[rs.name] = &milterRow{target: "kensa", ruleset: rs.name, corpus: c.file, conc: c.conc}
			}
			// Interleave the targets run by run, so that drift on the
			// machine hits them alike.
			for i := range o.runs {
				for _, name := range append([]string{"null"}, rulesetNames(r.rulesets)...) {
					s := null
					if name != "null" {
						s = kensas[name]
					}
					s.resetPeak()
					res := load(s.addr, []mail{m}, c.conc, 0, o.dur)
					if name != "null" {
						res.PeakRSS = s.peakRSS()
					}
					rows[name].runs = append(rows[name].runs, res)
					logf("%s %s c=%d run %d: %.1f msg/s p99 %v", name, c.file, c.conc, i+1, res.msgsPerSec(), res.pct(99).Round(time.Millisecond))
				}
			}
			r.milter = append(r.milter, *rows["null"])
			for _, rs := range r.rulesets {
				r.milter = append(r.milter, *rows[rs.name])
			}
		}
		for _, k := range kensas {
			k.stop()
		}
		null.stop()
	}

	if o.phases["cpu"] {
		fmt.Fprintln(os.Stderr, "== cpu: CPU time per typical message, and where Kensa's goes")
		prof := filepath.Join(o.work, "kensa-cpu.pprof")
		if o.kensaProfiles != "" {
			prof = filepath.Join(o.kensaProfiles, "kensa-pack-cpu.pprof")
		}
		null, err := startNull("cpu")
		if err != nil {
			return nil, err
		}
		k, err := startKensa(r.rulesets[0], "cpu", "--cpuprofile", prof)
		if err != nil {
			null.stop()
			return nil, err
		}
		m := msgs["business.eml"]
		warm(null, m)
		warm(k, m)
		rows := []*cpuRow{{target: "null milter"}, {target: "kensa"}}
		for i := range o.runs {
			for j, s := range []*server{null, k} {
				res, srvMS, cliMS, err := measureCPU(s, m, 16, o.dur)
				if err != nil {
					k.stop()
					null.stop()
					return nil, err
				}
				row := rows[j]
				row.server, row.client = append(row.server, srvMS), append(row.client, cliMS)
				row.msgsPerSec = append(row.msgsPerSec, res.msgsPerSec())
				logf("%s run %d: %.1f msg/s, server %.2f ms CPU per message, client %.2f ms", row.target, i+1, res.msgsPerSec(), srvMS, cliMS)
			}
		}
		k.stop() // writes the profile
		null.stop()
		shares, err := profileShares(prof)
		if err != nil {
			return nil, fmt.Errorf("cpu profile of kensa serve: %w", err)
		}
		rows[1].profileShare = shares
		r.cpu = []cpuRow{*rows[0], *rows[1]}
	}

	if o.phases["latency"] {
		fmt.Fprintln(os.Stderr, "== latency: one message at a time")
		null, err := startNull("latency")
		if err != nil {
			return nil, err
		}
		k, err := startKensa(r.rulesets[0], "latency")
		if err != nil {
			null.stop()
			return nil, err
		}
		for _, name := range []string{"small.eml", "business.eml"} {
			m := msgs[name]
			warm(null, m)
			warm(k, m)
			rn := milterRow{target: "null milter", corpus: name, conc: 1}
			rk := milterRow{target: "kensa", ruleset: "pack", corpus: name, conc: 1}
			for range o.runs {
				rn.runs = append(rn.runs, load(null.addr, []mail{m}, 1, 0, o.dur))
				rk.runs = append(rk.runs, load(k.addr, []mail{m}, 1, 0, o.dur))
			}
			r.latency = append(r.latency, rn, rk)
			logf("%s: null p99 %v, kensa p99 %v", name, rn.runs[0].pct(99), rk.runs[0].pct(99))
		}
		k.stop()
		null.stop()
	}

	if o.phases["memory"] {
		fmt.Fprintln(os.Stderr, "== memory: 64 concurrent 10 MB messages")
		k, err := startKensa(r.rulesets[0], "memory")
		if err != nil {
			return nil, err
		}
		row := milterRow{target: "kensa", ruleset: "pack", corpus: "big10m.eml", conc: 64}
		for i := range o.runs {
			k.resetPeak()
			res := load(k.addr, []mail{msgs["big10m.eml"]}, 64, 64, 0)
			res.PeakRSS = k.peakRSS()
			row.runs = append(row.runs, res)
			logf("run %d: %d msgs in %v, peak RSS %d MiB", i+1, res.Msgs, res.Elapsed.Round(time.Millisecond), res.PeakRSS>>10)
		}
		r.memory = &row
		k.stop()
	}

	if o.phases["soak"] && o.soak > 0 {
		fmt.Fprintf(os.Stderr, "== soak: %v of mixed mail at concurrency 16\n", o.soak)
		k, err := startKensa(r.rulesets[0], "soak")
		if err != nil {
			return nil, err
		}
		mix := []mail{msgs["business.eml"], msgs["small.eml"], msgs["business.eml"], msgs["small.eml"], msgs["zip5m.eml"]}
		done := make(chan run)
		start := time.Now()
		go func() { done <- load(k.addr, mix, 16, 0, o.soak) }()
		tick := time.NewTicker(max(o.soak/24, 5*time.Second))
		var total run
	soak:
		for {
			select {
			case total = <-done:
				break soak
			case <-tick.C:
				r.soak = append(r.soak, soakSample{at: time.Since(start), rss: k.rss()})
			}
		}
		tick.Stop()
		r.soak = append(r.soak, soakSample{at: time.Since(start), rss: k.rss(), msgs: int64(total.Msgs)})
		logf("%d messages, RSS %d → %d MiB", total.Msgs, r.soak[0].rss>>10, r.soak[len(r.soak)-1].rss>>10)
		k.stop()
	}

	if o.phases["inproc"] {
		fmt.Fprintln(os.Stderr, "== in process: the pipeline against libyara alone")
		for _, rs := range r.rulesets {
			for _, c := range corpora {
				prof := ""
				if c.file == "business.eml" && rs.name == "pack" {
					prof = o.profile
				}
				res, err := inproc(c.file, raws[c.file], rs.name, rs.files, o.runs, runtime.GOMAXPROCS(0), max(o.dur/2, time.Second), prof)
				if err != nil {
					return nil, err
				}
				r.inproc = append(r.inproc, res)
				logf("%s %s: pipeline %.1f msg/s, libyara %.1f msg/s", rs.name, c.file, over(res.pipeline, run.msgsPerSec).med, over(res.libyar, run.msgsPerSec).med)
			}
		}
	}

	if o.phases["postfix"] {
		fmt.Fprintln(os.Stderr, "== Postfix: smtp-source → Postfix → smtp-sink, without a milter, with the null milter, with Kensa")
		k, err := startKensa(r.rulesets[0], "postfix")
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
			sessions int
		}{{"small.eml", 2000, 16}, {"business.eml", 500, 16}} {
			row := postfixRow{corpus: c.file, sessions: c.sessions}
			path := filepath.Join(o.corpus, c.file)
			for i := range o.runs {
				for _, side := range []struct {
					m   *mta
					out *[]run
				}{{plain, &row.plain}, {withNull, &row.null}, {with, &row.with}} {
					res, err := side.m.throughput(path, c.count, c.sessions)
					if err != nil {
						return nil, err
					}
					*side.out = append(*side.out, res)
				}
				logf("%s run %d: plain %.1f msg/s, with the null milter %.1f msg/s, with kensa %.1f msg/s", c.file, i+1, row.plain[i].msgsPerSec(), row.null[i].msgsPerSec(), row.with[i].msgsPerSec())
			}
			if row.latPlain, err = plain.latency(raws[c.file], 200); err != nil {
				return nil, err
			}
			if row.latWith, err = with.latency(raws[c.file], 200); err != nil {
				return nil, err
			}
			logf("%s latency p99: plain %v, with kensa %v", c.file, row.latPlain.pct(99), row.latWith.pct(99))
			r.postfix = append(r.postfix, row)
		}
	}
	r.took = time.Since(r.started)
	r.machine = append(r.machine, "Load average (1, 5, 15 min) at the end: "+loadavg()+
		" — other work on the machine during the run shows here; ratios are measured side by side, absolute figures suffer more")
	return r, nil
}

func rulesetNames(rs []ruleset) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.name)
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

func loadavg() string {
	b, _ := os.ReadFile("/proc/loadavg")
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "?"
	}
	return strings.Join(f[:3], ", ")
}

func machine() []string {
	var out []string
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "model name"); ok {
				out = append(out, "CPU: "+strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))+fmt.Sprintf(", %d cores visible to Go", runtime.NumCPU()))
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		f := strings.Fields(string(b))
		if len(f) > 1 {
			out = append(out, "Memory: "+f[1]+" kB")
		}
	}
	if b, err := os.ReadFile("/etc/debian_version"); err == nil {
		out = append(out, "OS: Debian "+strings.TrimSpace(string(b)))
	}
	out = append(out, "Go: "+runtime.Version(), "Load average (1, 5, 15 min) at the start: "+loadavg())
	return out
}
