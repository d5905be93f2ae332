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
	"github.com/kensa-milter/kensa/console"
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

	d := &daemon{path: *configPath, logFormat: *logFormat, logLevel: *logLevel, listen: *listen, log: logrus.New()}
	d.log.SetOutput(stderr)
	defer d.close()
	if err := d.start(stderr); err != nil {
		return exitError
	}
	return d.run(sigs)
}

// daemon is `kensa serve`: it owns every part it starts (engine, milter,
// metrics, known set, quarantine store, console, digest, HTTP listener),
// reloads what can be reloaded on SIGHUP and says which changed keys need a
// restart (reload.go), and stops them in reverse order.
type daemon struct {
	path, logFormat, logLevel, listen string // flags

	log        *logrus.Logger
	cfg        *config.Config // in use: the last config that loaded
	started    *config.Config // at start: what the parts that do not reload were built from
	generation int
	eng        *engine.Engine
	srv        *milter.Server
	m          *metrics.Metrics
	known      *known.Live
	ws         *web.Server
	console    *console.Console // nil when the console is off
	stopping   atomic.Bool      // /readyz says 503 while messages drain
	stops      []func()         // run in reverse order by close
}

// start builds and starts every part. A failure is logged (or printed, before
// the logger is set up) and returned; close stops what had started.
func (d *daemon) start(stderr io.Writer) error {
	log := d.log
	cfg, err := loadConfig(d.path)
	if err != nil {
		fmt.Fprintf(stderr, "kensa serve: %v\n", err)
		return err
	}
	if err := configureLogger(log, cfg, d.logFormat, d.logLevel); err != nil {
		fmt.Fprintf(stderr, "kensa serve: %v\n", err)
		return err
	}
	d.cfg, d.started, d.generation = cfg, cfg, 1
	tuneGC(log)
	knownSet, stopKnown, err := openKnown(context.Background(), cfg, log, true)
	if err != nil {
		log.WithError(err).Error("cannot open the known set")
		return err
	}
	d.known = knownSet
	d.stops = append(d.stops, stopKnown)
	if knownSet != nil {
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() { defer close(done); knownSet.Run(ctx, cfg.Known.Refresh.D()) }()
		d.stops = append(d.stops, func() { cancel(); <-done })
	}
	setup, ruleErrs, err := buildSetup(cfg, 1, knownSet)
	logRuleErrors(log, ruleErrs)
	if err != nil {
		log.WithError(err).Error("cannot load rules")
		return err
	}
	if len(ruleErrs) > 0 {
		log.WithField("broken", len(ruleErrs)).Warn("some rule files did not compile; running with the rest")
	}
	d.eng = engine.New(setup)
	d.m = metrics.New(metrics.Options{Version: version, Libyara: yarascan.LibraryVersion()})
	d.m.Loaded(true, setup, time.Now())
	milter.RouteLibraryWarnings(log)
	d.srv = milter.New(d.eng, milterConfig(cfg), log)
	d.srv.SetObserver(d.m)
	qstore, stopQuarantine, err := startQuarantine(log, cfg, d.srv)
	if err != nil {
		log.WithError(err).Error("cannot open the quarantine store")
		return err
	}
	d.stops = append(d.stops, stopQuarantine)
	if cfg.HTTP.MetricsListen == "" {
		d.ws = newWeb(log, d.m, d.eng, d.srv, &d.stopping)
	} else {
		d.ws = newWeb(log, nil, d.eng, d.srv, &d.stopping)
		wm := newWeb(log, d.m, d.eng, d.srv, &d.stopping)
		if err := wm.Listen(cfg.HTTP.MetricsListen); err != nil {
			log.WithError(err).WithField("http", cfg.HTTP.MetricsListen).Error("cannot listen for /metrics")
			return err
		}
		d.stops = append(d.stops, func() { shutdownWeb(log, wm) })
	}
	if qstore != nil {
		d.m.ReleasedFindings(qstore.ReleasedFindings, 0)
		d.ws.AddCheck("quarantine", storeCheck(qstore))
	}
	if d.console, err = mountConsole(log, cfg, qstore, knownSet.Store(), d.ws); err != nil {
		log.WithError(err).Error("cannot start the quarantine console")
		return err
	}
	stopDigest, err := startDigest(log, cfg, qstore)
	if err != nil {
		log.WithError(err).Error("cannot start the quarantine digest")
		return err
	}
	d.stops = append(d.stops, stopDigest)
	if cfg.HTTP.Listen != "" {
		if err := d.ws.Listen(cfg.HTTP.Listen); err != nil {
			log.WithError(err).WithField("http", cfg.HTTP.Listen).Error("cannot listen")
			return err
		}
		d.stops = append(d.stops, func() { shutdownWeb(log, d.ws) })
	}
	addr := cfg.Listen
	if d.listen != "" {
		addr = d.listen
	}
	mode, _ := cfg.SocketModeBits()
	if err := d.srv.Listen(addr, mode); err != nil {
		log.WithError(err).WithField("listen", addr).Error("cannot listen")
		return err
	}
	log.WithFields(logrus.Fields{"listen": addr, "http": cfg.HTTP.Listen, "rules": setup.RuleCount, "config": cfgName(d.path),
		"version": version, "libyara": yarascan.LibraryVersion()}).Info("kensa started")
	return nil
}

// run serves until SIGTERM or SIGINT, reloading on SIGHUP.
func (d *daemon) run(sigs <-chan os.Signal) int {
	for sig := range sigs {
		if sig == syscall.SIGHUP {
			d.reload()
			d.known.Kick() // re-read the known set at once
			continue
		}
		d.log.WithField("signal", sig.String()).Info("stopping: no new connections, finishing messages in flight")
		d.stopping.Store(true)
		ctx, cancel := context.WithTimeout(context.Background(), d.cfg.Limits.ShutdownTimeout.D())
		err := d.srv.Shutdown(ctx)
		cancel()
		if err != nil {
			d.log.WithError(err).Warn("shutdown deadline passed with messages in flight")
		}
		return exitOK
	}
	return exitOK
}

// close stops what start started, last first.
func (d *daemon) close() {
	for i := len(d.stops) - 1; i >= 0; i-- {
		d.stops[i]()
	}
	d.stops = nil
	if d.srv != nil && d.stopping.Load() {
		d.log.Info("kensa stopped")
	}
}

// reload re-reads the config and rules. Anything that fails keeps the old
// config and rules in place: a broken rule file must never leave Kensa
// without rules, nor stop mail. Of a good config, every section either
// takes effect or is named in a warning that it needs a restart.
func (d *daemon) reload() {
	log := d.log
	start := time.Now()
	d.generation++ // every SIGHUP counts; a successful reload takes the count
	generation := d.generation
	cfg, err := loadConfig(d.path)
	if err != nil {
		log.WithError(err).Error("reload failed: config invalid; keeping the old config and rules")
		d.m.Reloaded(false, d.eng.Setup(), start)
		return
	}
	setup, ruleErrs, err := buildSetup(cfg, generation, d.known)
	logRuleErrors(log, ruleErrs)
	if err != nil || len(ruleErrs) > 0 {
		if err == nil {
			err = fmt.Errorf("%d rule errors", len(ruleErrs))
		}
		log.WithError(err).Error("reload failed: rules did not compile; keeping the old config and rules")
		d.m.Reloaded(false, d.eng.Setup(), start)
		return
	}
	if d.console != nil {
		if err := d.console.SetAdmins(consoleAdmins(cfg)); err != nil {
			log.WithError(err).Error("reload failed: console admins; keeping the old config and rules")
			d.m.Reloaded(false, d.eng.Setup(), start)
			return
		}
	}
	if err := configureLogger(log, cfg, d.logFormat, d.logLevel); err != nil {
		log.WithError(err).Warn("reload: keeping the old log settings")
	}
	d.eng.Swap(setup)
	d.srv.SetConfig(milterConfig(cfg))
	d.m.Reloaded(true, setup, start)
	applied, restart := reloadChanges(d.cfg, cfg, d.started, d.console != nil)
	if len(restart) > 0 {
		log.WithField("keys", restart).Warn("reload: these settings need a restart; the old values stay in use until then")
	}
	if usesStore(cfg) && !usesStore(d.started) {
		log.WithField("keys", []string{"quarantine.mode", "quarantine.modes"}).
			Warn("reload: quarantine mode store needs a restart to open the store; quarantined mail is held by the MTA (mode hold) until then")
	}
	d.cfg = cfg
	log.WithFields(logrus.Fields{"generation": generation, "rules": setup.RuleCount, "applied": applied,
		"duration_ms": time.Since(start).Milliseconds()}).Info("reloaded config and rules")
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
