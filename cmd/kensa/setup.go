package main

import (
	"fmt"
	"os"
	"runtime"

	"github.com/sirupsen/logrus"

	"github.com/kensa-milter/kensa/config"
	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/known"
	"github.com/kensa-milter/kensa/milter"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/scanners"
	"github.com/kensa-milter/kensa/scanners/clamd"
	"github.com/kensa-milter/kensa/scanners/heuristic"
	"github.com/kensa-milter/kensa/scanners/yarascan"
	"github.com/kensa-milter/kensa/urls"
)

// configEnv names the config file that commands read when they are given
// none (--config, or config check's FILE): the container image sets it, so
// that "docker exec … kensa quarantine release ID" uses the served config.
const configEnv = "KENSA_CONFIG"

// loadConfig reads path (or $KENSA_CONFIG, or the embedded default when
// both are "") and validates it. With an error it still returns the config
// as read (bad values at their defaults) when the file was YAML, for config
// check to go on to the rules; every other caller stops at the error.
func loadConfig(path string) (*config.Config, error) {
	var c *config.Config
	var err error
	if path == "" {
		path = os.Getenv(configEnv)
	}
	if path == "" {
		c, err = config.Parse(nil)
	} else {
		c, err = config.Load(path)
	}
	if c == nil {
		return nil, err // not YAML at all
	}
	// Values that could not be read are in c (at their defaults) and
	// Validate lists them with every other problem.
	applyStateDir(c)
	// The listen spelling belongs to the milter package; it is checked
	// with the rest so that `kensa config check` names it with its line.
	err = c.Validate(func(c *config.Config, bad func(path, format string, a ...any)) {
		if _, _, lerr := milter.ParseListen(c.Listen); lerr != nil && c.Listen != "" {
			bad("listen", "%v", lerr)
		}
	})
	if err != nil {
		if path != "" {
			return c, fmt.Errorf("config %s: %w", path, err)
		}
		return c, fmt.Errorf("config: %w", err)
	}
	return c, nil
}

// buildSetup compiles rules and builds every scanner the config asks for.
// Rule files that fail to compile are returned as ruleErrs; the good ones are
// used.
//
// kn is the known set (nil when known.enabled is off); it outlives setups.
func buildSetup(c *config.Config, generation int, kn *known.Live) (s *engine.Setup, ruleErrs []yarascan.CompileError, err error) {
	ys, ruleErrs, err := yarascan.New(yaraOptions(c))
	if err != nil {
		return nil, ruleErrs, err
	}
	list := []scanners.Scanner{ys}
	if c.Heuristics.Enabled {
		hs, err := buildHeuristics(c)
		if err != nil {
			return nil, ruleErrs, err
		}
		list = append(list, hs)
	}
	// clamd is optional. New does not connect: a clamd that is down is a
	// scan error for each message (policy.on_error), not a startup failure.
	if o := c.ClamdOptions(); o != nil {
		cs, err := clamd.New(*o)
		if err != nil {
			return nil, ruleErrs, err
		}
		list = append(list, cs)
	}
	pol := c.PolicyConfig()
	var epoch func() int64
	if kn != nil {
		epoch = kn.Generation // a changed known set must not be answered from the cache
		// A suspicious known or similar part scores what quarantines.
		score := pol.QuarantineScore
		if score <= 0 {
			score = policy.Default().QuarantineScore
		}
		list = append(list, known.NewScanner(kn, c.Similarity.Threshold, score))
	}
	extra, err := readAllowSenders(c.AllowSendersPath())
	if err != nil {
		return nil, ruleErrs, err
	}
	pol.Allow.Senders = append(pol.Allow.Senders, extra...)
	return &engine.Setup{
		Policy:      pol,
		Unpack:      c.UnpackOptions(),
		Scanners:    list,
		ScanTimeout: c.Limits.ScanTimeout.D(),
		Generation:  generation,
		RuleCount:   ys.RuleCount(),
		Cache:       engine.NewCache(int64(c.Limits.VerdictCache), epoch),
	}, ruleErrs, nil
}

func buildHeuristics(c *config.Config) (*heuristic.Scanner, error) {
	var opts heuristic.Options
	if c.Heuristics.Blocklist != "" {
		bl, err := urls.LoadBlocklist(c.Heuristics.Blocklist)
		if err != nil {
			return nil, fmt.Errorf("heuristics.url_blocklist: %w", err)
		}
		opts.Blocklist = bl
	}
	la, err := urls.NewLookalikes(c.Heuristics.Protected)
	if err != nil {
		return nil, fmt.Errorf("heuristics.protected_domains: %w", err)
	}
	opts.Lookalikes = la
	if dc := c.DNSBLConfig(); dc != nil {
		d, err := urls.NewDNSBL(*dc)
		if err != nil {
			return nil, fmt.Errorf("heuristics.dnsbl: %w", err)
		}
		opts.DNSBL = d
	}
	return heuristic.New(c.HeuristicOverrides(), opts)
}

func yaraOptions(c *config.Config) yarascan.Options {
	return yarascan.Options{Builtin: c.YARA.Builtin, Paths: c.YARA.Rules, Timeout: c.YARA.Timeout.D(),
		RawBase64Keep: yarascan.RawBase64Keep(c.YARA.WholeMessage), ImageData: yarascan.ImageData(c.YARA.Images), PackedData: yarascan.PackedData(c.YARA.Packed)}
}

func milterConfig(c *config.Config) milter.Config {
	host, _ := os.Hostname()
	return milter.Config{
		MaxSize:        int64(c.Limits.MaxMessageSize),
		MaxConnections: c.Milter.MaxConnections,
		MaxHeaderSize:  int64(c.Limits.MaxHeaderSize),
		TooLarge:       c.TooLarge(),
		SubjectPrefix:  c.Milter.SubjectPrefix,
		RejectCode:     uint16(c.Milter.RejectCode),
		RejectText:     c.Milter.RejectText,
		TempFailText:   c.Milter.TempFailText,
		Hostname:       host,
		Quarantine:     milter.Mode(c.Quarantine.Mode),
		ModeByReason:   quarantineModes(c),
	}
}

func configureLogger(log *logrus.Logger, c *config.Config, format, level string) error {
	if format == "" {
		format = c.Log.Format
	}
	if level == "" {
		level = c.Log.Level
	}
	switch format {
	case "json":
		log.SetFormatter(&logrus.JSONFormatter{})
	case "text":
		log.SetFormatter(&logrus.TextFormatter{FullTimestamp: true, DisableColors: true})
	default:
		return fmt.Errorf("--log-format: unknown format %q (want text or json)", format)
	}
	l, err := logrus.ParseLevel(level)
	if err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	log.SetLevel(l)
	return nil
}

func printVersion(w interface{ Write([]byte) (int, error) }) {
	fmt.Fprintf(w, "kensa %s\ngo %s %s/%s\nlibyara %s\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH, yarascan.LibraryVersion())
}

func quarantineModes(c *config.Config) map[string]milter.Mode {
	m := map[string]milter.Mode{}
	for r, mode := range c.Quarantine.Modes {
		m[r] = milter.Mode(mode)
	}
	return m
}
