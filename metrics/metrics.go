// Package metrics keeps Kensa's Prometheus metrics in a registry of its own
// (no global state): cmd/kensa builds one Metrics, hands it to the milter as
// its Observer and serves Handler on /metrics.
//
// Label values are bounded: actions, reasons, stages and error kinds are
// small fixed sets; scanner and rule names come from the configured rules
// and are capped (see Options). Nothing a sender chooses — addresses, file
// names, message ids — is ever a label.
package metrics

import (
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/policy"
)

// Label values used when a value is not in its bounded set.
const (
	Other = "other" // a rule, scanner or stage beyond the cap, or an unknown reason or error kind
)

// Defaults for Options.
const (
	DefaultMaxRules  = 500 // distinct rule label values
	DefaultMaxLabels = 32  // distinct scanner and stage label values
	maxLabelLen      = 64
)

// Options describe the process for kensa_build_info and the label caps.
type Options struct {
	Version   string // Kensa's version
	Libyara   string // libyara's version
	MaxRules  int    // distinct values of the rule label before "other"; 0 = DefaultMaxRules
	MaxLabels int    // distinct scanner and stage values before "other"; 0 = DefaultMaxLabels
}

// Metrics is every series Kensa exports. Its methods are safe for
// concurrent use.
type Metrics struct {
	reg *prometheus.Registry

	messages     *prometheus.CounterVec
	findings     *prometheus.CounterVec
	stages       *prometheus.HistogramVec
	bytes        prometheus.Counter
	parts        prometheus.Histogram
	inFlight     prometheus.Gauge
	errors       *prometheus.CounterVec
	unscanned    *prometheus.CounterVec
	cache        *prometheus.CounterVec
	generation   prometheus.Gauge
	rules        prometheus.Gauge
	reloads      *prometheus.CounterVec
	reloadOK     prometheus.Gauge
	reloadTime   prometheus.Gauge
	reloadOKTime prometheus.Gauge
	conns        prometheus.Gauge
	connsRefused prometheus.Counter

	ruleNames, scannerNames, stageNames *capped
}

// durationBuckets span a trivial part (1 ms) to a scan_timeout (60 s).
var durationBuckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}

// partBuckets cover a plain note (1) to unpack.max_members (2000).
var partBuckets = []float64{1, 2, 3, 5, 10, 20, 50, 100, 200, 500, 1000, 2000}

// New builds the metrics and registers them, with Go runtime and process
// metrics, in a new registry.
func New(o Options) *Metrics {
	if o.MaxRules <= 0 {
		o.MaxRules = DefaultMaxRules
	}
	if o.MaxLabels <= 0 {
		o.MaxLabels = DefaultMaxLabels
	}
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kensa_messages_total",
			Help: "Messages decided, by the action the MTA was told and the main reason for it.",
		}, []string{"action", "reason"}),
		findings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kensa_findings_total",
			Help: "Findings in decided messages, by scanner and rule or check ID.",
		}, []string{"scanner", "rule"}),
		stages: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "kensa_scan_duration_seconds",
			Help:    "Time spent per scan stage: parse, unpack, scanner_<name> and total.",
			Buckets: durationBuckets,
		}, []string{"stage"}),
		bytes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "kensa_scanned_bytes_total",
			Help: "Bytes of messages scanned (as the MTA sent them).",
		}),
		parts: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "kensa_message_parts",
			Help:    "Parts per scanned message, after unpacking containers.",
			Buckets: partBuckets,
		}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "kensa_messages_in_flight",
			Help: "Messages being decided now.",
		}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kensa_scan_errors_total",
			Help: "Scan errors and timeouts, by kind.",
		}, []string{"kind"}),
		unscanned: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kensa_unscanned_messages_total",
			Help: "Messages not scanned at all, by reason.",
		}, []string{"reason"}),
		cache: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kensa_verdict_cache_total",
			Help: "Attachments looked up in the verdict cache, by result (hit: findings reused, not scanned again; miss: scanned).",
		}, []string{"result"}),
		generation: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "kensa_rules_generation",
			Help: "Generation of the rule set in use: 1 at start; every SIGHUP counts one up and a successful reload takes the count.",
		}),
		rules: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "kensa_rules_loaded",
			Help: "YARA rules in the rule set in use.",
		}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "kensa_config_reloads_total",
			Help: "Config and rule reloads, by result (success or failure).",
		}, []string{"result"}),
		reloadOK: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "kensa_config_last_reload_successful",
			Help: "Whether the last config and rule load succeeded (1) or kept the old ones (0).",
		}),
		reloadTime: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "kensa_config_last_reload_timestamp_seconds",
			Help: "Unix time of the last config and rule load, successful or not.",
		}),
		reloadOKTime: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "kensa_config_last_reload_success_timestamp_seconds",
			Help: "Unix time of the last successful config and rule load.",
		}),
		conns: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "kensa_milter_connections",
			Help: "MTA connections open now.",
		}),
		connsRefused: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "kensa_milter_connections_refused_total",
			Help: "MTA connections closed at once: over milter.max_connections, or out of file descriptors (failed accepts count too).",
		}),
		ruleNames:    newCapped(o.MaxRules),
		scannerNames: newCapped(o.MaxLabels),
		stageNames:   newCapped(o.MaxLabels),
	}
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name:        "kensa_build_info",
		Help:        "Always 1; the labels say which Kensa, Go and libyara run.",
		ConstLabels: prometheus.Labels{"version": o.Version, "goversion": runtime.Version(), "libyara": o.Libyara},
	})
	build.Set(1)
	m.reg.MustRegister(m.messages, m.findings, m.stages, m.bytes, m.parts, m.inFlight, m.errors, m.unscanned, m.cache,
		m.generation, m.rules, m.reloads, m.reloadOK, m.reloadTime, m.reloadOKTime, m.conns, m.connsRefused, build,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	// Series that should read 0 rather than be absent before the first event.
	for _, r := range []string{"success", "failure"} {
		m.reloads.WithLabelValues(r)
	}
	for _, r := range unscannedReasons {
		m.unscanned.WithLabelValues(r)
	}
	for _, k := range policy.ErrorKinds {
		m.errors.WithLabelValues(string(k))
	}
	m.errors.WithLabelValues(Other)
	return m
}

// Registry is the registry the metrics are in, for tests and for adding
// collectors of other packages (the quarantine store, say).
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Handler serves the metrics in the Prometheus exposition formats.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// ConnectionOpened counts an open MTA connection (milter.ConnObserver).
func (m *Metrics) ConnectionOpened() { m.conns.Inc() }

// ConnectionClosed counts a closed MTA connection (milter.ConnObserver).
func (m *Metrics) ConnectionClosed() { m.conns.Dec() }

// ConnectionRefused counts a refused MTA connection (milter.ConnObserver).
func (m *Metrics) ConnectionRefused() { m.connsRefused.Inc() }

// Started counts a message in flight (milter.Observer).
func (m *Metrics) Started() { m.inFlight.Inc() }

// Done records a decided message (milter.Observer): action is what the MTA
// was told, which in monitor mode is accept while the reason still says why
// Kensa would have acted.
func (m *Metrics) Done(rep engine.Report, action policy.Action) {
	m.inFlight.Dec()
	m.messages.WithLabelValues(action.String(), MainReason(action, rep.Verdict.Reasons)).Inc()
	for _, f := range rep.Verdict.Findings {
		m.findings.WithLabelValues(m.scannerNames.value(f.Scanner), m.ruleNames.value(f.ID)).Inc()
	}
	for _, e := range rep.Errors {
		m.errors.WithLabelValues(errorKind(e.Kind)).Inc()
	}
	if rep.Unscanned != "" {
		m.unscanned.WithLabelValues(bounded(rep.Unscanned, unscannedReasons)).Inc()
		return
	}
	if rep.Verdict.Skipped != "" || len(rep.Timings) == 0 {
		return // allow-listed, or the milter failed before scanning
	}
	m.bytes.Add(float64(rep.Size))
	m.parts.Observe(float64(len(rep.Parts)))
	if rep.CacheHits > 0 {
		m.cache.WithLabelValues("hit").Add(float64(rep.CacheHits))
	}
	if rep.CacheMisses > 0 {
		m.cache.WithLabelValues("miss").Add(float64(rep.CacheMisses))
	}
	for stage, ms := range rep.Timings {
		m.stages.WithLabelValues(m.stageNames.value(stage)).Observe(ms / 1000)
	}
}

// Loaded records a config and rule load: at start and on every reload.
// s is the setup in use afterwards (the old one when the load failed).
func (m *Metrics) Loaded(ok bool, s *engine.Setup, at time.Time) {
	t := float64(at.UnixNano()) / 1e9
	m.reloadTime.Set(t)
	if ok {
		m.reloadOK.Set(1)
		m.reloadOKTime.Set(t)
	} else {
		m.reloadOK.Set(0)
	}
	if s != nil {
		m.generation.Set(float64(s.Generation))
		m.rules.Set(float64(s.RuleCount))
	}
}

// Reloaded is Loaded for a SIGHUP: it also counts the reload by result.
func (m *Metrics) Reloaded(ok bool, s *engine.Setup, at time.Time) {
	result := "success"
	if !ok {
		result = "failure"
	}
	m.reloads.WithLabelValues(result).Inc()
	m.Loaded(ok, s, at)
}

var unscannedReasons = []string{policy.ReasonTooLarge, policy.ReasonTooManyHeaders, policy.ReasonHeaderTooLarge}

// MainReason is the reason label of a message: policy.MainReason, or
// "other" for a reason Kensa does not know (so the label set stays bounded).
func MainReason(action policy.Action, reasons []string) string {
	if r := policy.MainReason(action, reasons); r != "" {
		return r
	}
	return Other
}

// errorKind is the kind label of an error: its kind, or "other" for one
// outside policy.ErrorKinds.
func errorKind(k policy.ErrorKind) string {
	if slices.Contains(policy.ErrorKinds, k) {
		return string(k)
	}
	return Other
}

func bounded(v string, set []string) string {
	for _, s := range set {
		if v == s {
			return v
		}
	}
	return Other
}

// capped hands out label values: the first max distinct names that are
// short printable text are used as they are, everything else is "other".
type capped struct {
	max  int
	mu   sync.Mutex
	seen map[string]bool
}

func newCapped(max int) *capped { return &capped{max: max, seen: map[string]bool{}} }

func (c *capped) value(name string) string {
	if name == "" || len(name) > maxLabelLen || strings.IndexFunc(name, notLabelRune) >= 0 {
		return Other
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.seen[name] {
		return name
	}
	if len(c.seen) >= c.max {
		return Other
	}
	c.seen[name] = true
	return name
}

// notLabelRune keeps label values to printable ASCII: rule and check IDs
// are identifiers, anything else is not one of ours.
func notLabelRune(r rune) bool { return r > unicode.MaxASCII || !unicode.IsPrint(r) }
