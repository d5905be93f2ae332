package main

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// notesPath is the hand-written companion of BENCHMARKS.md: what the
// figures mean and what was done about them, without figures of its own.
const notesPath = "bench/NOTES.md"

// markdown computes BENCHMARKS.md from the raw results alone (rawPath
// names their file in the text).
func (r *report) markdown(rawPath string) string {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	p("# Kensa benchmarks")
	p("")
	p("Computed by `make bench` (bench/kensa-bench) from the raw results in [`%s`](%s): a run started %s that took %s.",
		rawPath, rawPath, r.Started.UTC().Format("2006-01-02 15:04 MST"), r.Took.Round(time.Second))
	p("Do not edit by hand: `make bench` measures again, and `go run ./bench/kensa-bench -render` computes this file again from the raw results (a test checks that it is identical).")
	p("What the figures mean, and what was done about them: [%s](%s).", notesPath, notesPath)
	if len(r.Phases) > 0 {
		var ph []string
		for _, x := range r.Phases {
			ph = append(ph, fmt.Sprintf("%s %s", x.Name, x.Took.Round(time.Second)))
		}
		p("Time per phase: %s.", strings.Join(ph, ", "))
	}
	p("")
	p("Each figure is the **median of %d runs, with the lowest and highest in brackets**; throughput runs last %s each.", r.Runs, r.Dur)
	p("Baselines are measured in the same run on the same machine, interleaved run by run with Kensa.")
	p("")
	p("## Machine")
	p("")
	rule := fmt.Sprintf("a 1-minute load above a quarter of its %d cores, or another process using a tenth of a core or more, at the start or at the end", r.NumCPU)
	idle := fmt.Sprintf("a 1-minute load at most a quarter of its %d cores, and no other process using a tenth of a core or more", r.NumCPU)
	if r.Start.Others != nil && r.End.Others != nil {
		rule = "the other processes together using a tenth of a core or more over a few seconds at the start or at the end; the load average is shown, not judged, as it lags by minutes and at the end holds the bench's own work"
		idle = "the other processes together using less than a tenth of a core over a few seconds at the start and at the end; the load average is shown, not judged, as it lags by minutes and at the end holds the bench's own work"
	}
	if r.Start.busy(r.NumCPU) || r.End.busy(r.NumCPU) {
		p("**The machine was busy with other work during this run** (%s). Absolute figures are lower and noisier than on an idle machine; ratios are measured side by side, run by run, and suffer less.", rule)
	} else {
		p("The machine was idle at the start and at the end of this run (%s).", idle)
	}
	p("")
	for _, m := range r.Machine {
		p("- %s", m)
	}
	p("- At the start (%s): %s", r.Start.At.Format("15:04:05 MST"), r.Start)
	p("- At the end (%s): %s", r.End.At.Format("15:04:05 MST"), r.End)
	p("")
	p("## Corpus and rule sets")
	p("")
	p("Made by `go run ./bench/corpusgen` (harmless, fixed seed).")
	p("")
	p("| file | size | what |")
	p("|---|---:|---|")
	for _, c := range corpora {
		p("| %s | %s | %s |", c.file, size(r.CorpusSizes[c.file]), c.Desc)
	}
	p("| big10m.eml | %s | 7.5 MiB PDF attachment, for the memory test |", size(r.CorpusSizes["big10m.eml"]))
	p("")
	r.mixSection(p)
	p("| rule set | rules | what |")
	p("|---|---:|---|")
	for _, rs := range r.Rulesets {
		p("| %s | %s | %s |", rs.Name, r.RuleCounts[rs.Name], rs.Desc)
	}
	p("")
	r.targets(p)
	if len(r.Milter) > 0 {
		mixedNote := ""
		for _, row := range r.Milter {
			if row.Corpus == mixedCorpus {
				mixedNote = " The mixed set's messages are sent one after the other, round and round."
			}
		}
		p("## Milter protocol: Kensa against the null milter")
		p("")
		p("go-milter's client drives each message as Postfix does (connect, helo, mail, rcpt, headers, body in 64 KiB chunks, end of message), one milter session per message, from *c* sessions at once. The null milter (bench/nullmilter) is go-milter's server asking the MTA for the same protocol as Kensa (no reply before the end of the message, the same macros), keeping each message whole in memory and accepting it. Latency is the whole milter session. Peak RSS is Kensa's VmHWM during the run.%s", mixedNote)
		p("")
		p("| corpus | c | target | rules | msg/s | MB/s | p50 ms | p95 ms | p99 ms | max ms | peak RSS MiB | vs null (per round) | not accepted |")
		p("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
		nullRuns := map[string][]run{}
		for _, row := range r.Milter {
			rate := over(row.Runs, run.msgsPerSec)
			if row.Target != "kensa" {
				nullRuns[row.Corpus] = row.Runs
			}
			rss, ratio := "", ""
			if row.Target == "kensa" {
				rss = over(row.Runs, func(x run) float64 { return float64(x.PeakRSS) / 1024 }).String()
				if n := nullRuns[row.Corpus]; len(n) > 0 {
					ratio = ratios(row.Runs, n)
				}
			}
			failed := 0
			for _, x := range row.Runs {
				failed += x.Errors
			}
			corpus := row.Corpus
			if corpus == mixedCorpus {
				corpus = "mixed set"
			}
			p("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |", corpus, row.Conc, row.Target, row.Ruleset,
				rate, over(row.Runs, run.mbPerSec),
				over(row.Runs, func(x run) float64 { return ms(x.pct(50)) }),
				over(row.Runs, func(x run) float64 { return ms(x.pct(95)) }),
				over(row.Runs, func(x run) float64 { return ms(x.pct(99)) }),
				over(row.Runs, func(x run) float64 { return ms(x.pct(100)) }), rss, ratio, failed)
		}
		p("")
	}
	if len(r.Cpu) == 2 {
		n, k := r.Cpu[0], r.Cpu[1]
		med := figureOf
		p("## CPU per message: where the ratio comes from")
		p("")
		p("business.eml at concurrency 16 through the null milter and through Kensa (its pack), in turns, as in the milter table. The milter process's CPU time (user + system, from /proc) and the bench client's (go-milter's client driving the sessions, getrusage) divided by the messages done. Both processes share the machine's %d cores, so throughput is about cores ÷ (milter + client CPU per message).", r.NumCPU)
		p("")
		p("| target | msg/s | milter CPU ms/msg | client CPU ms/msg | together |")
		p("|---|---:|---:|---:|---:|")
		for _, row := range []cpuRow{n, k} {
			p("| %s | %s | %s | %s | %.2f |", row.Target, med(row.Rate), med(row.Server), med(row.Client), med(row.Server).med+med(row.Client).med)
		}
		p("")
		p("Where Kensa's CPU goes: a CPU profile of that `kensa serve` process over all its runs, each sample put under the innermost stage of its stack (`go tool pprof` on the profile shows the detail). *ms/msg* is the share times Kensa's CPU per message.")
		p("")
		p("| share | ms/msg | where |")
		p("|---:|---:|---|")
		for _, c := range k.ProfileShare {
			p("| %.0f%% | %.2f | %s |", c.Share*100, c.Share*med(k.Server).med, c.What)
		}
		p("")
	}
	r.c8Section(p)
	if len(r.Latency) > 0 {
		p("## Latency, one message at a time")
		p("")
		p("The time an MTA waits on the milter when nothing else runs. *Added p50* is the median over the runs of Kensa's p50 minus the null milter's in the same round. *Added p99* is the p99 of all Kensa's messages minus the null milter's, with a 95%% bootstrap confidence interval; where that interval contains zero the difference is within the noise and is reported as not measurable.")
		p("")
		p("| corpus | target | messages | p50 ms | p95 ms | p99 ms | max ms | added p50 ms | added p99 ms |")
		p("|---|---|---:|---:|---:|---:|---:|---:|---:|")
		for i := 0; i+1 < len(r.Latency); i += 2 {
			n, k := r.Latency[i], r.Latency[i+1]
			lat := func(rr []run, q float64) figure { return over(rr, func(x run) float64 { return ms(x.pct(q)) }) }
			p("| %s | null milter | %d | %s | %s | %s | %s | | |", n.Corpus, msgs(n.Runs), lat(n.Runs, 50), lat(n.Runs, 95), lat(n.Runs, 99), lat(n.Runs, 100))
			p("| %s | kensa (pack) | %d | %s | %s | %s | %s | %s | %s |", k.Corpus, msgs(k.Runs), lat(k.Runs, 50), lat(k.Runs, 95), lat(k.Runs, 99), lat(k.Runs, 100),
				signed(pairs(n.Runs, k.Runs, func(a, b run) float64 { return ms(b.pct(50)) - ms(a.pct(50)) })), difference(r.p99Difference(n.Runs, k.Runs)))
		}
		p("")
	}
	if r.Memory != nil {
		m := r.Memory
		p("## Memory: 64 concurrent 10 MB messages")
		p("")
		p("64 copies of big10m.eml (%s) sent from 64 sessions at once, per run; Kensa with its pack.", size(r.CorpusSizes["big10m.eml"]))
		p("")
		p("| peak RSS MiB | msg/s | p99 ms | not accepted |")
		p("|---:|---:|---:|---:|")
		p("| %s | %s | %s | %s |", over(m.Runs, func(x run) float64 { return float64(x.PeakRSS) / 1024 }), over(m.Runs, run.msgsPerSec),
			over(m.Runs, func(x run) float64 { return ms(x.pct(99)) }), over(m.Runs, func(x run) float64 { return float64(x.Errors) }))
		p("")
	}
	if len(r.Soak) > 0 {
		last := r.Soak[len(r.Soak)-1]
		p("## Soak: RSS over %s of mixed mail", last.At.Round(time.Second))
		p("")
		if r.soakPeaks() {
			p("business, small and zip5m messages from 16 sessions without pause, %d messages in all. Kensa's resident memory is sampled as it runs, and with it the peak since the sample before (VmHWM, reset at each sample). The growth is the least-squares slope of those peaks over time after the first quarter of the soak (warm-up), with its 95%% confidence interval: a leak lifts every window's peak, while the garbage collector's sawtooth moves the momentary RSS by several MiB either way.", last.Msgs)
			p("")
			p("| time | RSS MiB | peak since the sample before, MiB |")
			p("|---:|---:|---:|")
			for _, s := range r.Soak {
				p("| %s | %d | %d |", s.At.Round(time.Second), s.RSS>>10, s.Peak>>10)
			}
		} else {
			p("business, small and zip5m messages from 16 sessions without pause, %d messages in all; Kensa's resident memory sampled as it ran. The growth is the least-squares slope of RSS over time after the first quarter of the soak (warm-up), with its 95%% confidence interval.", last.Msgs)
			p("")
			p("| time | RSS MiB |")
			p("|---:|---:|")
			for _, s := range r.Soak {
				p("| %s | %d |", s.At.Round(time.Second), s.RSS>>10)
			}
		}
		p("")
	}
	if len(r.Inproc) > 0 {
		mixedNote := ""
		for _, x := range r.Inproc {
			if x.Corpus == mixedCorpus {
				mixedNote = " The mixed set's messages are scanned one after the other, round and round; its bytes scanned are the average per message."
			}
		}
		p("## In process: the pipeline against libyara alone")
		p("")
		p("*Pipeline* is engine.Scan as `kensa serve` builds it (parse, decode, unpack, YARA on every part and the raw message, heuristics, policy). *libyara* scans every decoded part whole and the raw message as `yara.whole_message: trimmed` cuts it (decoded beforehand and not timed) with go-yara directly, one scanner per goroutine, %d goroutines. *Overhead* is pipeline time per message over libyara's, minus one. yarascan itself reads less than this baseline (a container's bytes that are a member's, with `yara.packed: trimmed` a container's compressed member data, and with `yara.images: trimmed` a JPEG's scan data, are left out of its scan: docs/yara.md), so the overhead is understated by what it leaves out.%s", r.GOMAXPROCS, mixedNote)
		p("")
		p("| corpus | rules | bytes scanned per msg | pipeline msg/s | libyara msg/s | overhead |")
		p("|---|---|---:|---:|---:|---:|")
		for _, x := range r.Inproc {
			pr, yr := over(x.Pipeline, run.msgsPerSec), over(x.Libyar, run.msgsPerSec)
			corpus := x.Corpus
			if corpus == mixedCorpus {
				corpus = "mixed set (average)"
			}
			p("| %s | %s | %s | %s | %s | %s |", corpus, x.Ruleset, size(x.ScannedBytes), pr, yr, overhead(x).format("%"))
		}
		p("")
	}
	if len(r.Postfix) > 0 {
		p("## End to end through Postfix")
		p("")
		p("Postfix's `smtp-source` sends to a private Postfix (bench/postfix.sh) that relays to a sink in kensa-bench which counts what it receives; one Postfix has Kensa (its pack) in `smtpd_milters`, one the null milter, one none, all running at once and measured in turn. The null milter's column is what any milter costs Postfix (its milter protocol, the queue file written again); *vs null* is Kensa against it. Throughput is messages **delivered at the sink** per second, until the last one arrives; a run where any message does not arrive fails (every message delivered through Kensa must also carry `X-Kensa-Verdict`). Ratios are per round (the three Postfixes back to back), median and range over the rounds. Latency is one SMTP transaction at a time (connect to the reply to the end of DATA), 200 messages per run, %d runs, each message again counted at the sink.", r.Runs)
		p("")
		p("| corpus | sessions | Postfix msg/s | Postfix + null milter msg/s | Postfix + Kensa msg/s | ratio | vs null | p50 ms plain | p50 ms Kensa | p99 ms plain | p99 ms Kensa |")
		p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
		for _, x := range r.Postfix {
			rate := func(rr []run) figure { return over(rr, delivered) }
			lat := func(rr []run, q float64) figure { return over(rr, func(x run) float64 { return ms(x.pct(q)) }) }
			p("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |", x.Corpus, x.Sessions, rate(x.Plain), rate(x.Null), rate(x.With),
				ratios(x.With, x.Plain), ratios(x.With, x.Null), lat(x.LatPlain, 50), lat(x.LatWith, 50), lat(x.LatPlain, 99), lat(x.LatWith, 99))
		}
		p("")
	}
	r.indexSection(p)
	r.cacheSection(p)
	return b.String()
}

// p99Difference is the package's p99Difference, computed once per pair of
// run lists (the tables and the targets both show it).
func (r *report) p99Difference(a, b []run) interval {
	if len(a) == 0 || len(b) == 0 {
		return p99Difference(a, b)
	}
	key := [2]*run{&a[0], &b[0]}
	if d, ok := r.ci[key]; ok {
		return d
	}
	if r.ci == nil {
		r.ci = map[[2]*run]interval{}
	}
	d := p99Difference(a, b)
	r.ci[key] = d
	return d
}

// delivered is a Postfix run's rate: messages received by the sink per second.
func delivered(x run) float64 { return float64(x.Delivered) / x.Elapsed.Seconds() }

// ratios is a/b per round as a figure, for throughput runs measured back to back.
func ratios(a, b []run) string {
	rate := run.msgsPerSec
	if len(a) > 0 && a[0].Delivered > 0 {
		rate = delivered
	}
	return pairs(a, b, func(x, y run) float64 { return rate(x) / rate(y) }).format("×")
}

// overhead is the pipeline's time per message over libyara's, minus one,
// in percent, per run.
func overhead(x inprocResult) figure {
	return pairs(x.Pipeline, x.Libyar, func(pr, yr run) float64 { return (yr.msgsPerSec()/pr.msgsPerSec() - 1) * 100 })
}

func msgs(rr []run) int {
	n := 0
	for _, x := range rr {
		n += x.Msgs
	}
	return n
}

// signed is a figure of differences: "+1.2 (−0.5 to +3.0)".
func signed(f figure) string {
	return fmt.Sprintf("%s (%s to %s)", sgn(f.med), sgn(f.lo), sgn(f.hi))
}

func sgn(x float64) string {
	if x >= 0 {
		return "+" + num(x)
	}
	return "−" + num(-x)
}

// difference shows an estimate with its interval, or says it is not
// measurable when the interval contains zero.
func difference(d interval) string {
	if math.IsNaN(d.est) {
		return "no data"
	}
	if d.lo <= 0 && d.hi >= 0 {
		return fmt.Sprintf("not measurable: %s, 95%% CI %s to %s", sgn(d.est), sgn(d.lo), sgn(d.hi))
	}
	return fmt.Sprintf("%s (95%% CI %s to %s)", sgn(d.est), sgn(d.lo), sgn(d.hi))
}

// Limits of the targets.
const (
	goalMilterRatio  = 0.5  // Kensa vs the null milter, typical mail, concurrency 16
	goalPostfixRatio = 0.85 // through Postfix, with vs without Kensa
	goalAddedP99     = 50.0 // ms
	goalPeakRSS      = 512  // MiB, 64 concurrent 10 MB messages
	goalSoakGrowth   = 512  // MiB per day, at the upper end of the slope's interval
	goalOverhead     = 25.0 // percent beyond libyara, typical mail
)

// targets states each goal, the criterion that decides it, what was
// measured over every run, and whether the whole range meets it.
func (r *report) targets(p func(string, ...any)) {
	p("## Targets")
	p("")
	p("*Met* means every run meets the criterion, not only the median: a range that crosses the limit is not met. A difference whose confidence interval contains zero is reported as not measurable.")
	p("")
	p("| target | criterion | measured | met |")
	p("|---|---|---|---|")
	yes := func(ok bool) string {
		if ok {
			return "yes"
		}
		return "**no**"
	}
	var nullBiz, kensaBiz *milterRow
	for i, row := range r.Milter {
		if row.Corpus == "business.eml" && row.Target != "kensa" {
			nullBiz = &r.Milter[i]
		}
		if row.Corpus == "business.eml" && row.Target == "kensa" && row.Ruleset == "pack" {
			kensaBiz = &r.Milter[i]
		}
	}
	if nullBiz != nil && kensaBiz != nil {
		f := pairs(kensaBiz.Runs, nullBiz.Runs, func(k, n run) float64 { return k.msgsPerSec() / n.msgsPerSec() })
		p("| typical mail, concurrency %d, Kensa vs the null milter | ≥ %s× in every round | %s | %s |", kensaBiz.Conc, num(goalMilterRatio), f.format("×"), yes(f.lo >= goalMilterRatio))
	}
	r.c8Targets(p, yes)
	for _, x := range r.Postfix {
		if x.Corpus == "business.eml" {
			f := pairs(x.With, x.Plain, func(a, b run) float64 { return delivered(a) / delivered(b) })
			p("| through Postfix, typical mail, with vs without Kensa (delivered at the sink) | ≥ %s× in every round | %s (with the null milter instead: %s) | %s |",
				num(goalPostfixRatio), f.format("×"), ratios(x.Null, x.Plain), yes(f.lo >= goalPostfixRatio))
		}
	}
	for i := 0; i+1 < len(r.Latency); i += 2 {
		n, k := r.Latency[i], r.Latency[i+1]
		d := r.p99Difference(n.Runs, k.Runs)
		f := pairs(n.Runs, k.Runs, func(a, b run) float64 { return ms(b.pct(99)) - ms(a.pct(99)) })
		p("| p99 added latency, %s (%s), one at a time | < %s ms: the 95%% CI and every run | %s ms; runs %s to %s ms | %s |", n.Corpus, size(r.CorpusSizes[n.Corpus]), num(goalAddedP99),
			difference(d), sgn(f.lo), sgn(f.hi), yes(!math.IsNaN(d.hi) && d.hi < goalAddedP99 && f.hi < goalAddedP99))
	}
	for _, row := range r.Milter {
		if row.Target == "kensa" && row.Ruleset == "pack" && row.Corpus != mixedCorpus && r.CorpusSizes[row.Corpus] < 1<<20 {
			var null []run
			for _, n := range r.Milter {
				if n.Corpus == row.Corpus && n.Target != "kensa" {
					null = n.Runs
				}
			}
			f := pairs(null, row.Runs, func(a, b run) float64 { return ms(b.pct(99)) - ms(a.pct(99)) })
			measured := signed(f) + " ms"
			if f.lo <= 0 && f.hi >= 0 {
				measured = "not measurable: runs " + sgn(f.lo) + " to " + sgn(f.hi) + " ms"
			}
			p("| p99 added latency, %s, concurrency %d | < %s ms in every round | %s | %s |", row.Corpus, row.Conc, num(goalAddedP99), measured, yes(len(null) > 0 && f.hi < goalAddedP99))
		}
	}
	for _, x := range r.Postfix {
		d := r.p99Difference(x.LatPlain, x.LatWith)
		f := pairs(x.LatPlain, x.LatWith, func(a, b run) float64 { return ms(b.pct(99)) - ms(a.pct(99)) })
		p("| p99 added latency through Postfix, %s, one at a time | < %s ms: the 95%% CI and every run | %s ms; runs %s to %s ms | %s |", x.Corpus, num(goalAddedP99),
			difference(d), sgn(f.lo), sgn(f.hi), yes(!math.IsNaN(d.hi) && d.hi < goalAddedP99 && f.hi < goalAddedP99))
	}
	if r.Memory != nil {
		f := over(r.Memory.Runs, func(x run) float64 { return float64(x.PeakRSS) / 1024 })
		p("| peak RSS, 64 concurrent 10 MB messages | < %d MiB in every run | %s MiB | %s |", goalPeakRSS, f, yes(f.hi < goalPeakRSS))
	}
	if g, n, ok := r.soakGrowth(); ok {
		perDay := func(x float64) string { return sgn(x * 60 * 24) }
		met := g.hi*60*24 < goalSoakGrowth
		verdict := yes(met)
		if !met && g.lo*60*24 < goalSoakGrowth {
			verdict = "**no** (not shown: the interval reaches the limit)"
		}
		what := "RSS slope"
		if r.soakPeaks() {
			what = "slope of the peak RSS of each window"
		}
		p("| no memory growth over the soak (%s) | %s after warm-up, upper end of its 95%% CI, < %d MiB per day | %s MiB/day (95%% CI %s to %s; %d samples) | %s |",
			r.SoakFor, what, goalSoakGrowth, perDay(g.est), perDay(g.lo), perDay(g.hi), n, verdict)
	}
	for _, x := range r.Inproc {
		if x.Corpus == "business.eml" {
			f := overhead(x)
			p("| overhead beyond libyara, typical mail, %s | < %s%% in every run | %s | %s |", x.Ruleset, num(goalOverhead), f.format("%"), yes(f.hi < goalOverhead))
		}
	}
	r.indexTarget(p, yes)
	p("")
}

// soakPeaks says the soak recorded each window's peak (results written
// before it was recorded hold RSS only).
func (r *report) soakPeaks() bool {
	for _, s := range r.Soak {
		if s.Peak == 0 {
			return false
		}
	}
	return len(r.Soak) > 0
}

// soakGrowth is the slope (MiB per minute) of the windows' peaks, or of
// RSS where no peaks were recorded, over the soak samples after the first
// quarter, with its interval, and the samples it used.
func (r *report) soakGrowth() (interval, int, bool) {
	if len(r.Soak) < 4 {
		return interval{}, 0, false
	}
	end, peaks := r.Soak[len(r.Soak)-1].At, r.soakPeaks()
	var x, y []float64
	for _, s := range r.Soak {
		if s.At >= end/4 {
			v := s.RSS
			if peaks {
				v = s.Peak
			}
			x = append(x, s.At.Minutes())
			y = append(y, float64(v)/1024)
		}
	}
	g := slope(x, y)
	return g, len(x), !math.IsNaN(g.est)
}

func size(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}
