package main

import (
	"bufio"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/kensa-milter/kensa/config"
)

// The cache phase: a mass mailing, burstSize messages that differ in
// Message-ID and Subject and carry one attachment (business.eml's PDF),
// through kensa serve with the verdict cache on (the default size) and off
// (limits.verdict_cache: 0), round by round, each burst against a Kensa
// started afresh (an empty cache). Kensa's CPU per message, and the cache's
// hits and misses from its /metrics.

const burstSize = 1000

// cacheRow is one setting of the verdict cache over the rounds.
type cacheRow struct {
	Cache  string // "on" or "off"
	Runs   []run  // one burst each, with ServerCPU and ClientCPU
	Hits   []int  // kensa_verdict_cache_total{result="hit"} per burst
	Misses []int
}

// cacheSize is limits.verdict_cache for a setting: the default when on.
func cacheSize(setting string) int64 {
	if setting == "off" {
		return 0
	}
	c, err := config.Parse(nil)
	if err != nil {
		panic(err) // the embedded defaults parse: config's tests say so
	}
	return int64(c.Limits.VerdictCache)
}

// burstOf is n copies of m, each its own message: another Message-ID and
// Subject, the same body.
func burstOf(m mail, n int) []mail {
	out := make([]mail, n)
	for i := range out {
		c := m
		c.fields = nil
		for _, f := range m.fields {
			switch strings.ToLower(f[0]) {
			case "message-id":
				f[1] = fmt.Sprintf(" <burst-%d@example.com>", i)
			case "subject":
				f[1] = fmt.Sprintf("%s (%d)", f[1], i)
			}
			c.fields = append(c.fields, f)
		}
		out[i] = c
	}
	return out
}

// cacheCounts reads kensa_verdict_cache_total by result from a /metrics
// page (0 for a result not counted yet).
func cacheCounts(addr string) (hits, misses int, err error) {
	cl := http.Client{Timeout: 10 * time.Second}
	resp, err := cl.Get("http://" + addr + "/metrics")
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, 0, fmt.Errorf("%s/metrics: %s", addr, resp.Status)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		for _, c := range []struct {
			label string
			n     *int
		}{{`kensa_verdict_cache_total{result="hit"} `, &hits}, {`kensa_verdict_cache_total{result="miss"} `, &misses}} {
			if v, ok := strings.CutPrefix(line, c.label); ok {
				f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if err != nil {
					return 0, 0, fmt.Errorf("%s/metrics: %q: %v", addr, line, err)
				}
				*c.n = int(f)
			}
		}
	}
	return hits, misses, sc.Err()
}

// cacheSection is the verdict cache's table.
func (r *report) cacheSection(p func(string, ...any)) {
	if len(r.Cache) != 2 {
		return
	}
	off, on := r.Cache[0], r.Cache[1]
	p("## Verdict cache: a burst of %s copies of one attachment", thousands(burstSize))
	p("")
	p("A mass mailing: %s messages that differ in Message-ID and Subject and carry business.eml's text, HTML and 200 KB PDF, from %d milter sessions at once, through a `kensa serve` (its pack) started afresh for each burst, with the verdict cache on (`limits.verdict_cache` at its default) and off (`limits.verdict_cache: 0`), in turns burst by burst. Hits and misses are `kensa_verdict_cache_total` on Kensa's /metrics over the burst; the message itself, its text and its header are scanned every time, only attachments are looked up. *vs off* is per round.", thousands(burstSize), c8Conc)
	p("")
	p("| verdict cache | msg/s | Kensa CPU ms/msg | client CPU ms/msg | p50 ms | p99 ms | hits | misses | msg/s vs off | CPU per message vs off |")
	p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	ints := func(v []int) string {
		var f []float64
		for _, x := range v {
			f = append(f, float64(x))
		}
		g := figureOf(f)
		return fmt.Sprintf("%.0f (%.0f–%.0f)", g.med, g.lo, g.hi)
	}
	for _, row := range []cacheRow{off, on} {
		vsRate, vsCPU := "", ""
		if row.Cache == "on" {
			vsRate = ratios(on.Runs, off.Runs)
			vsCPU = pairs(on.Runs, off.Runs, func(a, b run) float64 { return a.serverMS() / b.serverMS() }).format("×")
		}
		p("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |", row.Cache, over(row.Runs, run.msgsPerSec), over(row.Runs, run.serverMS), over(row.Runs, run.clientMS),
			over(row.Runs, func(y run) float64 { return ms(y.pct(50)) }), over(row.Runs, func(y run) float64 { return ms(y.pct(99)) }),
			ints(row.Hits), ints(row.Misses), vsRate, vsCPU)
	}
	p("")
}
