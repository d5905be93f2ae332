package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kensa-milter/kensa/config"
	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/known"
	"github.com/kensa-milter/kensa/metrics"
	"github.com/kensa-milter/kensa/milter"
	"github.com/kensa-milter/kensa/scanners/yarascan"
	"github.com/kensa-milter/kensa/web"
)

// Garbage collector settings for serve, unless GOGC or GOMEMLIMIT say
// otherwise. Kensa's live heap is small (a few messages) but each message
// allocates its decoded parts, so at Go's default GOGC=100 the collector
// ran every few messages: 6% of kensa serve's CPU on typical mail, 2% at
// 400. The soft limit keeps a burst of big messages bounded: 64 concurrent
// 10 MB messages peak at about 300 MiB RSS with both, 430 MiB with GOGC=400
// alone (measured with make bench's cpu and memory phases).
const (
	defaultGCPercent   = 400
	defaultMemoryLimit = 256 << 20
)

// tuneGC applies the defaults above where the environment sets nothing.
func tuneGC(log *logrus.Logger) {
	f := logrus.Fields{"gogc": os.Getenv("GOGC"), "gomemlimit": os.Getenv("GOMEMLIMIT")}
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGCPercent)
		f["gogc"] = strconv.Itoa(defaultGCPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(defaultMemoryLimit)
		f["gomemlimit"] = strconv.Itoa(defaultMemoryLimit>>20) + "MiB"
	}
	log.WithFields(f).Debug("garbage collector")
}

func serve(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "", "YAML config `file` (default: embedded defaults)")
	listen := fs.String("listen", "", "milter socket: inet:PORT@HOST, inet:HOST:PORT, inet6:…, unix:/path (overrides the config)")
	logFormat := fs.String("log-format", "", "text or json (overrides the config)")
	logLevel := fs.String("log-level", "", "debug, info, warn or error (overrides the config)")
	stateDir := fs.String("state-dir", "", "state `directory` (overrides state_dir; also $KENSA_STATE_DIR)")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile to `file` until Kensa stops (for `go tool pprof`)")
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "kensa serve: %v\n", err)
			return exitError
		}
		defer stop()
	}
	if *stateDir != "" {
		os.Setenv(stateDirEnv, *stateDir) // read by every config load, reloads too
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "kensa serve: unexpected argument %q\n", fs.Arg(0))
		return exitError
	}

	// Catch signals before anything starts: a SIGHUP (systemctl reload)
	// during start-up must wait for the loop below, not kill the process.
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)
	defer signal.Stop(sigs)

	log := logrus.New()
	log.SetOutput(stderr)
	cfg, err := loadConfig(*configPath)
	if err != nil {
		fmt.Fprintf(stderr, "kensa serve: %v\n", err)
		return exitError
	}
	if err := configureLogger(log, cfg, *logFormat, *logLevel); err != nil {
		fmt.Fprintf(stderr, "kensa serve: %v\n", err)
		return exitError
	}
	tuneGC(log)
	knownSet, stopKnown, err := openKnown(context.Background(), cfg, log, true)
	if err != nil {
		log.WithError(err).Error("cannot open the known set")
		return exitError
	}
	defer stopKnown()
	if knownSet != nil {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); knownSet.Run(ctx, cfg.Known.Refresh.D()) }()
		defer func() { cancel(); <-done }()
	}
	setup, ruleErrs, err := buildSetup(cfg, 1, knownSet)
	logRuleErrors(log, ruleErrs)
	if err != nil {
		log.WithError(err).Error("cannot load rules")
		return exitError
	}
	if len(ruleErrs) > 0 {
		log.WithField("broken", len(ruleErrs)).Warn("some rule files did not compile; running with the rest")
	}
	eng := engine.New(setup)
	m := metrics.New(metrics.Options{Version: version, Libyara: yarascan.LibraryVersion()})
	m.Loaded(true, setup, time.Now())
	milter.RouteLibraryWarnings(log)
	srv := milter.New(eng, milterConfig(cfg), log)
	srv.SetObserver(m)
	qstore, stopQuarantine, err := startQuarantine(log, cfg, srv)
	if err != nil {
		log.WithError(err).Error("cannot open the quarantine store")
		return exitError
	}
	defer stopQuarantine()
	var stopping atomic.Bool // /readyz says 503 while messages drain
	ws := newWeb(log, m, eng, srv, &stopping)
	if qstore != nil {
		m.ReleasedFindings(qstore.ReleasedFindings, 0)
		ws.AddCheck("quarantine", storeCheck(qstore))
	}
	if err := mountConsole(log, cfg, qstore, knownSet.Store(), ws); err != nil {
		log.WithError(err).Error("cannot start the quarantine console")
		return exitError
	}
	stopDigest, err := startDigest(log, cfg, qstore)
	if err != nil {
		log.WithError(err).Error("cannot start the quarantine digest")
		return exitError
	}
	defer stopDigest()
	if cfg.HTTP.Listen != "" {
		if err := ws.Listen(cfg.HTTP.Listen); err != nil {
			log.WithError(err).WithField("http", cfg.HTTP.Listen).Error("cannot listen")
			return exitError
		}
	}
	addr := cfg.Listen
	if *listen != "" {
		addr = *listen
	}
	mode, _ := cfg.SocketModeBits()
	if err := srv.Listen(addr, mode); err != nil {
		log.WithError(err).WithField("listen", addr).Error("cannot listen")
		shutdownWeb(log, ws)
		return exitError
	}
	log.WithFields(logrus.Fields{"listen": addr, "http": cfg.HTTP.Listen, "rules": setup.RuleCount, "config": cfgName(*configPath),
		"version": version, "libyara": yarascan.LibraryVersion()}).Info("kensa started")

	generation := 1
	for sig := range sigs {
		if sig == syscall.SIGHUP {
			generation++
			cfg = reload(log, eng, srv, m, cfg, *configPath, *logFormat, *logLevel, generation, knownSet)
			knownSet.Kick() // re-read the known set at once
			continue
		}
		log.WithField("signal", sig.String()).Info("stopping: no new connections, finishing messages in flight")
		stopping.Store(true)
		ctx, cancel := context.WithTimeout(context.Background(), cfg.Limits.ShutdownTimeout.D())
		err := srv.Shutdown(ctx)
		cancel()
		if err != nil {
			log.WithError(err).Warn("shutdown deadline passed with messages in flight")
		}
		shutdownWeb(log, ws)
		log.Info("kensa stopped")
		return exitOK
	}
	return exitOK
}

// reload re-reads the config and rules. Anything that fails keeps the old
// config and rules in place: a broken rule file must never leave Kensa
// without rules, nor stop mail.
func reload(log *logrus.Logger, eng *engine.Engine, srv *milter.Server, m *metrics.Metrics, oldCfg *config.Config, path, logFormat, logLevel string, generation int, kn *known.Live) (cfg *config.Config) {
	start := time.Now()
	cfg, err := loadConfig(path)
	if err != nil {
		log.WithError(err).Error("reload failed: config invalid; keeping the old config and rules")
		m.Reloaded(false, eng.Setup(), start)
		return oldCfg
	}
	setup, ruleErrs, err := buildSetup(cfg, generation, kn)
	logRuleErrors(log, ruleErrs)
	if err != nil || len(ruleErrs) > 0 {
		if err == nil {
			err = fmt.Errorf("%d rule errors", len(ruleErrs))
		}
		log.WithError(err).Error("reload failed: rules did not compile; keeping the old config and rules")
		m.Reloaded(false, eng.Setup(), start)
		return oldCfg
	}
	if err := configureLogger(log, cfg, logFormat, logLevel); err != nil {
		log.WithError(err).Warn("reload: keeping the old log settings")
	}
	if cfg.Listen != oldCfg.Listen {
		log.WithFields(logrus.Fields{"old": oldCfg.Listen, "new": cfg.Listen}).Warn("reload: a new listen address needs a restart; still listening on the old one")
	}
	if cfg.HTTP.Listen != oldCfg.HTTP.Listen {
		log.WithFields(logrus.Fields{"old": oldCfg.HTTP.Listen, "new": cfg.HTTP.Listen}).Warn("reload: a new http listen address needs a restart; still on the old one")
	}
	eng.Swap(setup)
	srv.SetConfig(milterConfig(cfg))
	m.Reloaded(true, setup, start)
	log.WithFields(logrus.Fields{"generation": generation, "rules": setup.RuleCount,
		"duration_ms": time.Since(start).Milliseconds()}).Info("reloaded config and rules")
	return cfg
}

// shutdownWeb stops the HTTP listener, giving scrapes in progress a moment.
func shutdownWeb(log *logrus.Logger, ws *web.Server) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := ws.Shutdown(ctx); err != nil {
		log.WithError(err).Warn("http shutdown")
	}
}

func logRuleErrors(log *logrus.Logger, errs []yarascan.CompileError) {
	for _, e := range errs {
		entry := log.WithFields(logrus.Fields{"file": e.File, "line": e.Line})
		if e.Warning {
			entry.Warn(e.Msg)
		} else {
			entry.Error(e.Msg)
		}
	}
}

func cfgName(path string) string {
	if path == "" {
		path = os.Getenv(configEnv)
	}
	if path == "" {
		return "(embedded defaults)"
	}
	return path
}

// startCPUProfile profiles the whole process into path until stop.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
