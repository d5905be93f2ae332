// Package web is Kensa's HTTP listener: /healthz, /readyz, and whatever
// other packages register on it with Handle (/metrics, the quarantine
// console). It knows nothing about mail: readiness is a list of named checks
// that cmd/kensa adds.
package web

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
)

// DefaultListen is where the listener goes unless configured otherwise:
// loopback only, since /metrics is not authenticated.
const DefaultListen = "127.0.0.1:8899"

// DefaultCheckTimeout bounds one readiness check, so that a hung dependency
// makes /readyz answer 503 instead of hanging the prober.
const DefaultCheckTimeout = 3 * time.Second

// Check reports why a dependency is not ready, or nil.
type Check func(ctx context.Context) error

// Options configure a Server.
type Options struct {
	Log          *logrus.Logger // nil: logrus' standard logger
	CheckTimeout time.Duration  // per readiness check; 0 = DefaultCheckTimeout
}

// Server is the HTTP listener. Handle and AddCheck may be called before and
// after Listen.
type Server struct {
	log          *logrus.Logger
	mux          *http.ServeMux
	checkTimeout time.Duration

	mu     sync.Mutex
	checks []namedCheck
	srv    *http.Server
	ln     net.Listener
	done   chan struct{} // closed when Serve returns
}

type namedCheck struct {
	name  string
	check Check
}

// New returns a server with /healthz and /readyz. Call Listen to start it.
func New(o Options) *Server {
	if o.Log == nil {
		o.Log = logrus.StandardLogger()
	}
	if o.CheckTimeout <= 0 {
		o.CheckTimeout = DefaultCheckTimeout
	}
	s := &Server{log: o.Log, mux: http.NewServeMux(), checkTimeout: o.CheckTimeout}
	s.mux.HandleFunc("GET /healthz", s.healthz)
	s.mux.HandleFunc("GET /readyz", s.readyz)
	return s
}

// Handle registers h for pattern, in net/http.ServeMux syntax
// ("GET /metrics", "/quarantine/"). It panics on a pattern that conflicts
// with one already registered, as ServeMux does.
func (s *Server) Handle(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// AddCheck adds a readiness check: /readyz answers 200 only when every
// check returns nil.
func (s *Server) AddCheck(name string, c Check) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.checks = append(s.checks, namedCheck{name, c})
}

// ServeHTTP serves the registered routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Listen binds addr (host:port; port 0 picks a free one) and serves in the
// background. It returns once the socket accepts connections.
func (s *Server) Listen(addr string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return fmt.Errorf("web: already listening on %s", s.ln.Addr())
	}
	if err := ValidateListen(addr); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("web: listen on %s: %w", addr, err)
	}
	errLog := s.log.WriterLevel(logrus.WarnLevel)
	s.srv = &http.Server{
		Handler:           s.mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          log.New(errLog, "web: ", 0),
	}
	s.ln, s.done = ln, make(chan struct{})
	srv, done := s.srv, s.done
	go func() {
		defer close(done)
		defer errLog.Close()
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.WithError(err).Error("web: server stopped")
		}
	}()
	s.log.WithField("addr", ln.Addr().String()).Info("web: listening")
	return nil
}

// Addr is the address the server listens on, nil before Listen.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Shutdown stops accepting connections and waits for requests in progress
// until ctx ends; then it closes what is left and returns ctx's error.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	srv, done := s.srv, s.done
	s.srv, s.ln = nil, nil
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	err := srv.Shutdown(ctx)
	if err != nil {
		_ = srv.Close()
		err = fmt.Errorf("web: shutdown: %w", err)
	}
	<-done
	return err
}

// ValidateListen checks a listen address: host:port with a numeric port.
func ValidateListen(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("web: listen address %q: want HOST:PORT, e.g. %s", addr, DefaultListen)
	}
	if strings.ContainsAny(host, " /@") {
		return fmt.Errorf("web: listen address %q: invalid host %q", addr, host)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil || port[0] == '+' {
		return fmt.Errorf("web: listen address %q: port %q is not a number from 0 to 65535", addr, port)
	}
	return nil
}

// healthz answers 200 while the process serves HTTP at all.
func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprintln(w, "ok")
}

// readyz runs every check (concurrently, each bounded) and answers 200 with
// "ok" lines, or 503 naming each check that failed and why.
func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	checks := append([]namedCheck(nil), s.checks...)
	s.mu.Unlock()
	errs := make([]error, len(checks))
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(r.Context(), s.checkTimeout)
			defer cancel()
			errs[i] = run(ctx, c.check, s.checkTimeout)
		}()
	}
	wg.Wait()
	var b strings.Builder
	ready := len(checks) > 0
	if !ready {
		b.WriteString("no readiness checks\n")
	}
	for i, c := range checks {
		if errs[i] != nil {
			ready = false
			fmt.Fprintf(&b, "%s: %s\n", c.name, oneLine(errs[i].Error()))
		} else {
			fmt.Fprintf(&b, "%s: ok\n", c.name)
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if ready {
		b.WriteString("ready\n")
	} else {
		b.WriteString("not ready\n")
		w.WriteHeader(http.StatusServiceUnavailable)
	}
	_, _ = w.Write([]byte(b.String()))
}

// run calls c, turning a panic into an error and giving up when ctx ends
// even if c does not.
func run(ctx context.Context, c Check, limit time.Duration) error {
	res := make(chan error, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				res <- fmt.Errorf("check panicked: %v", r)
			}
		}()
		res <- c(ctx)
	}()
	select {
	case err := <-res:
		return err
	case <-ctx.Done():
		return fmt.Errorf("check did not answer within %s", limit)
	}
}

func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' {
			return ' '
		}
		return r
	}, s)
}
