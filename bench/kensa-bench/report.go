package main

import (
	"fmt"
	"os"
	"runtime"
	"strings"
	"time"
)

func (r *report) markdown(o options) string {
	var b strings.Builder
	p := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	p("# Kensa benchmarks")
	p("")
	p("Written by `make bench` (bench/kensa-bench) on %s in %s. Do not edit by hand: run `make bench` again.",
		r.started.UTC().Format("2006-01-02 15:04 MST"), r.took.Round(time.Second))
	p("Each figure is the **median of %d runs, with the lowest and highest in brackets**; throughput runs last %s each.", o.runs, o.dur)
	p("Baselines are measured in the same run on the same machine, interleaved run by run with Kensa.")
	p("")
	p("## Machine")
	p("")
	for _, m := range r.machine {
		p("- %s", m)
	}
	p("")
	p("## Corpus and rule sets")
	p("")
	p("Made by `go run ./bench/corpusgen` (harmless, fixed seed).")
	p("")
	p("| file | size | what |")
	p("|---|---:|---|")
	for _, c := range corpora {
		p("| %s | %s | %s |", c.file, size(r.corpusSizes[c.file]), c.desc)
	}
	p("| big10m.eml | %s | 7.5 MiB PDF attachment, for the memory test |", size(r.corpusSizes["big10m.eml"]))
	p("")
	p("| rule set | rules | what |")
	p("|---|---:|---|")
	for _, rs := range r.rulesets {
		p("| %s | %s | %s |", rs.name, r.ruleCounts[rs.name], rs.desc)
	}
	p("")
	r.targets(p)
	if len(r.milter) > 0 {
		p("## Milter protocol: Kensa against the null milter")
		p("")
		p("go-milter's client drives each message as Postfix does (connect, helo, mail, rcpt, headers, body in 64 KiB chunks, end of message), one milter session per message, from *c* sessions at once. The null milter (bench/nullmilter) is go-milter's server asking the MTA for the same protocol as Kensa (no reply before the end of the message, the same macros), keeping each message whole in memory and accepting it. Latency is the whole milter session. Peak RSS is Kensa's VmHWM during the run.")
		p("")
		p("| corpus | c | target | rules | msg/s | MB/s | p50 ms | p95 ms | p99 ms | max ms | peak RSS MiB | vs null | not accepted |")
		p("|---|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
		nullRate := map[string]float64{}
		for _, row := range r.milter {
			rate := over(row.runs, run.msgsPerSec)
			if row.target != "kensa" {
				nullRate[row.corpus] = rate.med
			}
			rss, ratio := "", ""
			if row.target == "kensa" {
				rss = over(row.runs, func(x run) float64 { return float64(x.PeakRSS) / 1024 }).String()
				if n := nullRate[row.corpus]; n > 0 {
					ratio = fmt.Sprintf("%.2f×", rate.med/n)
				}
			}
			failed := 0
			for _, x := range row.runs {
				failed += x.Errors
			}
			p("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %d |", row.corpus, row.conc, row.target, row.ruleset,
				rate, over(row.runs, run.mbPerSec),
				over(row.runs, func(x run) float64 { return ms(x.pct(50)) }),
				over(row.runs, func(x run) float64 { return ms(x.pct(95)) }),
				over(row.runs, func(x run) float64 { return ms(x.pct(99)) }),
				over(row.runs, func(x run) float64 { return ms(x.pct(100)) }), rss, ratio, failed)
		}
		p("")
	}
	if len(r.cpu) == 2 {
		n, k := r.cpu[0], r.cpu[1]
		med := figureOf
		p("## CPU per message: where the ratio comes from")
		p("")
		p("business.eml at concurrency 16 through the null milter and through Kensa (its pack), in turns, as in the milter table. The milter process's CPU time (user + system, from /proc) and the bench client's (go-milter's client driving the sessions, getrusage) divided by the messages done. Both processes share the machine's %d cores, so throughput is about cores ÷ (milter + client CPU per message).", runtime.NumCPU())
		p("")
		p("| target | msg/s | milter CPU ms/msg | client CPU ms/msg | together |")
		p("|---|---:|---:|---:|---:|")
		for _, row := range []cpuRow{n, k} {
			p("| %s | %s | %s | %s | %.2f |", row.target, med(row.msgsPerSec), med(row.server), med(row.client), med(row.server).med+med(row.client).med)
		}
		p("")
		p("Where Kensa's CPU goes: a CPU profile of that `kensa serve` process over all its runs, each sample put under the innermost stage of its stack (`go tool pprof` on the profile shows the detail). *ms/msg* is the share times Kensa's CPU per message.")
		p("")
		p("| share | ms/msg | where |")
		p("|---:|---:|---|")
		for _, c := range k.profileShare {
			p("| %.0f%% | %.2f | %s |", c.share*100, c.share*med(k.server).med, c.what)
		}
		p("")
	}
	if len(r.latency) > 0 {
		p("## Latency, one message at a time")
		p("")
		p("The time an MTA waits on the milter when nothing else runs. *Added* is Kensa's percentile minus the null milter's.")
		p("")
		p("| corpus | target | p50 ms | p95 ms | p99 ms | max ms | added p50 ms | added p99 ms |")
		p("|---|---|---:|---:|---:|---:|---:|---:|")
		for i := 0; i+1 < len(r.latency); i += 2 {
			n, k := r.latency[i], r.latency[i+1]
			lat := func(rr []run, q float64) figure { return over(rr, func(x run) float64 { return ms(x.pct(q)) }) }
			p("| %s | null milter | %s | %s | %s | %s | | |", n.corpus, lat(n.runs, 50), lat(n.runs, 95), lat(n.runs, 99), lat(n.runs, 100))
			p("| %s | kensa (pack) | %s | %s | %s | %s | %.1f | %.1f |", k.corpus, lat(k.runs, 50), lat(k.runs, 95), lat(k.runs, 99), lat(k.runs, 100),
				lat(k.runs, 50).med-lat(n.runs, 50).med, lat(k.runs, 99).med-lat(n.runs, 99).med)
		}
		p("")
	}
	if r.memory != nil {
		m := r.memory
		p("## Memory: 64 concurrent 10 MB messages")
		p("")
		p("64 copies of big10m.eml (%s) sent from 64 sessions at once, per run; Kensa with its pack.", size(r.corpusSizes["big10m.eml"]))
		p("")
		p("| peak RSS MiB | msg/s | p99 ms | not accepted |")
		p("|---:|---:|---:|---:|")
		p("| %s | %s | %s | %s |", over(m.runs, func(x run) float64 { return float64(x.PeakRSS) / 1024 }), over(m.runs, run.msgsPerSec),
			over(m.runs, func(x run) float64 { return ms(x.pct(99)) }), over(m.runs, func(x run) float64 { return float64(x.Errors) }))
		p("")
	}
	if len(r.soak) > 0 {
		last := r.soak[len(r.soak)-1]
		p("## Soak: RSS over %s of mixed mail", last.at.Round(time.Second))
		p("")
		p("business, small and zip5m messages from 16 sessions without pause, %d messages in all; Kensa's resident memory sampled as it ran.", last.msgs)
		p("")
		p("| time | RSS MiB |")
		p("|---:|---:|")
		for _, s := range r.soak {
			p("| %s | %d |", s.at.Round(time.Second), s.rss>>10)
		}
		p("")
	}
	if len(r.inproc) > 0 {
		p("## In process: the pipeline against libyara alone")
		p("")
		p("*Pipeline* is engine.Scan as `kensa serve` builds it (parse, decode, unpack, YARA on every part and the raw message, heuristics, policy). *libyara* scans the very buffers yarascan scans (every decoded part and the raw message as `yara.whole_message: trimmed` cuts it, decoded beforehand and not timed) with go-yara directly, one scanner per goroutine, %d goroutines. *Overhead* is pipeline time per message over libyara's, minus one.", runtime.GOMAXPROCS(0))
		p("")
		p("| corpus | rules | bytes scanned per msg | pipeline msg/s | libyara msg/s | overhead |")
		p("|---|---|---:|---:|---:|---:|")
		for _, x := range r.inproc {
			pr, yr := over(x.pipeline, run.msgsPerSec), over(x.libyar, run.msgsPerSec)
			p("| %s | %s | %s | %s | %s | %+.0f%% |", x.corpus, x.ruleset, size(x.scannedBytes), pr, yr, (yr.med/pr.med-1)*100)
		}
		p("")
	}
	if len(r.postfix) > 0 {
		p("## End to end through Postfix")
		p("")
		p("Postfix's `smtp-source` sends to a private Postfix (bench/postfix.sh) that relays to `smtp-sink`; one Postfix has Kensa (its pack) in `smtpd_milters`, one the null milter, one none, all running at once and measured in turn. The null milter's column is what any milter costs Postfix (its milter protocol, the queue file written again); *vs null* is Kensa against it. Throughput is messages relayed to the sink per second (until the queue is empty). Latency is one SMTP transaction at a time (connect to the reply to the end of DATA), 200 messages.")
		p("")
		p("| corpus | sessions | Postfix msg/s | Postfix + null milter msg/s | Postfix + Kensa msg/s | ratio | vs null | p50 ms plain / Kensa | p99 ms plain / Kensa | added p99 ms |")
		p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
		for _, x := range r.postfix {
			a, n, k := over(x.plain, run.msgsPerSec), over(x.null, run.msgsPerSec), over(x.with, run.msgsPerSec)
			p("| %s | %d | %s | %s | %s | %.2f× | %.2f× | %.1f / %.1f | %.1f / %.1f | %.1f |", x.corpus, x.sessions, a, n, k, k.med/a.med, k.med/n.med,
				ms(x.latPlain.pct(50)), ms(x.latWith.pct(50)), ms(x.latPlain.pct(99)), ms(x.latWith.pct(99)), ms(x.latWith.pct(99))-ms(x.latPlain.pct(99)))
		}
		p("")
	}
	// The human part (what the figures mean, where the time goes) is kept
	// in notes.md and copied in, so it can be revised without a new run.
	if notes, err := os.ReadFile(o.notes); err == nil {
		p("%s", strings.TrimSpace(string(notes)))
	} else {
		warnf("notes: %v", err)
	}
	return b.String()
}

func (r *report) targets(p func(string, ...any)) {
	p("## Targets")
	p("")
	p("| target | goal | measured | met |")
	p("|---|---|---|---|")
	yes := func(ok bool) string {
		if ok {
			return "yes"
		}
		return "**no**"
	}
	var nullBiz, kensaBiz float64
	for _, row := range r.milter {
		if row.corpus == "business.eml" && row.target != "kensa" {
			nullBiz = over(row.runs, run.msgsPerSec).med
		}
		if row.corpus == "business.eml" && row.target == "kensa" && row.ruleset == "pack" {
			kensaBiz = over(row.runs, run.msgsPerSec).med
		}
	}
	if nullBiz > 0 {
		ratio := kensaBiz / nullBiz
		p("| typical mail, concurrency 16, Kensa vs null milter | ≥ 0.5× | %.2f× (%.1f vs %.1f msg/s) | %s |", ratio, kensaBiz, nullBiz, yes(ratio >= 0.5))
	}
	for _, x := range r.postfix {
		if x.corpus == "business.eml" {
			ratio := over(x.with, run.msgsPerSec).med / over(x.plain, run.msgsPerSec).med
			p("| through Postfix, typical mail, with vs without Kensa | ≥ 0.85× | %.2f× (with the null milter instead: %.2f×) | %s |", ratio,
				over(x.null, run.msgsPerSec).med/over(x.plain, run.msgsPerSec).med, yes(ratio >= 0.85))
		}
	}
	for i := 0; i+1 < len(r.latency); i += 2 {
		n, k := r.latency[i], r.latency[i+1]
		added := over(k.runs, func(x run) float64 { return ms(x.pct(99)) }).med - over(n.runs, func(x run) float64 { return ms(x.pct(99)) }).med
		p("| p99 added latency, %s (%s), one at a time | < 50 ms | %.1f ms | %s |", n.corpus, size(r.corpusSizes[n.corpus]), added, yes(added < 50))
	}
	for _, row := range r.milter {
		if row.target == "kensa" && row.ruleset == "pack" && r.corpusSizes[row.corpus] < 1<<20 {
			var nullP99 float64
			for _, n := range r.milter {
				if n.corpus == row.corpus && n.target != "kensa" {
					nullP99 = over(n.runs, func(x run) float64 { return ms(x.pct(99)) }).med
				}
			}
			added := over(row.runs, func(x run) float64 { return ms(x.pct(99)) }).med - nullP99
			p("| p99 added latency, %s, concurrency %d | < 50 ms | %.1f ms | %s |", row.corpus, row.conc, added, yes(added < 50))
		}
	}
	for _, x := range r.postfix {
		added := ms(x.latWith.pct(99)) - ms(x.latPlain.pct(99))
		p("| p99 added latency through Postfix, %s, one at a time | < 50 ms | %.1f ms (p50 %+.1f ms) | %s |", x.corpus, added,
			ms(x.latWith.pct(50))-ms(x.latPlain.pct(50)), yes(added < 50))
	}
	if r.memory != nil {
		peak := over(r.memory.runs, func(x run) float64 { return float64(x.PeakRSS) / 1024 }).med
		p("| peak RSS, 64 concurrent 10 MB messages | < 512 MiB | %.0f MiB | %s |", peak, yes(peak < 512))
	}
	if len(r.soak) > 2 {
		half := r.soak[len(r.soak)/2].rss
		last := r.soak[len(r.soak)-1]
		growth := float64(last.rss-half) / 1024
		p("| RSS flat over the soak (%s), second half | no growth | %+.0f MiB (%d → %d MiB) | %s |", last.at.Round(time.Second), growth, half>>10, last.rss>>10, yes(growth < 32))
	}
	for _, x := range r.inproc {
		if x.corpus == "business.eml" {
			pr, yr := over(x.pipeline, run.msgsPerSec).med, over(x.libyar, run.msgsPerSec).med
			over := (yr/pr - 1) * 100
			p("| overhead beyond libyara, typical mail, %s | < 25%% | %+.0f%% | %s |", x.ruleset, over, yes(over < 25))
		}
	}
	p("")
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
