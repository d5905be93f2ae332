package metrics

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// ReleasedFindings exports kensa_findings_released_total{id}: per finding
// ID, how many quarantined messages it helped hold were released anyway
// (the checks that cost users mail). read is the store's count, asked at
// each scrape; hosts sharing one database all report the same totals.
func (m *Metrics) ReleasedFindings(read func(context.Context) (map[string]int64, error), maxIDs int) {
	if maxIDs <= 0 {
		maxIDs = DefaultMaxRules
	}
	m.reg.MustRegister(&releasedCollector{read: read, max: maxIDs, desc: prometheus.NewDesc("kensa_findings_released_total",
		"Quarantined messages released although this finding helped hold them (from the quarantine store).", []string{"id"}, nil)})
}

type releasedCollector struct {
	read func(context.Context) (map[string]int64, error)
	max  int
	desc *prometheus.Desc
}

func (c *releasedCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

func (c *releasedCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	counts, err := c.read(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	ids := make([]string, 0, len(counts))
	for id := range counts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var other int64
	shown := 0
	for _, id := range ids {
		if shown >= c.max || id == "" || len(id) > maxLabelLen || strings.IndexFunc(id, notLabelRune) >= 0 {
			other += counts[id]
			continue
		}
		shown++
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.CounterValue, float64(counts[id]), id)
	}
	if other > 0 {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.CounterValue, float64(other), Other)
	}
}
