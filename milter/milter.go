// Package milter speaks the milter protocol to Postfix and Sendmail. It is
// the only importer of go-milter: at the end of each message it hands the raw
// message to engine.Scan and turns the verdict into a milter decision plus
// X-Kensa-* headers.
package milter

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	gomilter "github.com/d--j/go-milter"
	"github.com/sirupsen/logrus"

	"github.com/kensa-milter/kensa/disposition"
	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/policy"
)

// Defaults for the zero values of Config.
const (
	DefaultMaxSize = 64 << 20
	// DefaultMaxHeaderSize is far above what MTAs pass by default
	// (Postfix's header_size_limit is 102400, Sendmail's
	// MaxHeadersLength 32768) and far below a message's size limit.
	DefaultMaxHeaderSize = 256 << 10
	// maxForgedNames bounds the bytes of X-Kensa-* field names kept past
	// MaxHeaderSize (to remove them). A message with more cannot be
	// delivered without a forged field: it is rejected.
	maxForgedNames      = 64 << 10
	DefaultRejectCode   = 550
	DefaultRejectText   = "5.7.1 Message rejected by content filter (ref {ref})"
	DefaultTempFailText = "4.7.1 Message could not be scanned, try again later (ref {ref})"
	DefaultSocketMode   = 0o660

	// maxHeaders is how many header fields a message may have. A message
	// with more is not scanned (its MIME structure may be in the fields we
	// did not keep) and gets the policy's unscannable action.
	maxHeaders = 1000
	// bodyInMemory is how much of a message is kept in memory while it
	// arrives; the rest spills to a temporary file (removed when the
	// message is done).
	bodyInMemory = 1 << 20
)

// Reasons for messages that are not scanned.
const (
	reasonTooLarge       = policy.ReasonTooLarge
	reasonTooManyHeaders = policy.ReasonTooManyHeaders
	reasonHeaderTooLarge = policy.ReasonHeaderTooLarge
)

// Config is what the milter does with verdicts. It can be replaced at run
// time with SetConfig, except that raising MaxSize above the value Listen
// was called with takes a restart (bigger messages are treated as too large
// until then).
type Config struct {
	MaxSize       int64         // scan limit in bytes (headers+body as the MTA sends them); default 64 MiB
	TooLarge      policy.Action // for messages over MaxSize: Accept (default), Quarantine, Reject, TempFail; any other becomes TempFail
	SubjectPrefix string        // put in front of the Subject of tagged mail ("" = none); never twice
	RejectCode    uint16        // default 550
	RejectText    string        // default DefaultRejectText; "{ref}" becomes the verdict's ref
	TempFailText  string        // default DefaultTempFailText, sent with code 451
	Hostname      string        // added to X-Kensa-Verdict as "host=…" when set
	// ReadTimeout is how long an MTA may stay silent within a session
	// before the connection is closed (default DefaultReadTimeout). Like
	// MaxSize it is read by Listen.
	ReadTimeout time.Duration
	// MaxHeaderSize bounds the header fields of a message, in bytes as the
	// MTA sends them (default DefaultMaxHeaderSize). A message with more is
	// not scanned: it gets the policy's unscannable action. Header fields
	// are kept in memory for the header changes; bodies spill to disk.
	MaxHeaderSize int64
	// MaxConnections bounds the MTA connections open at once (default
	// DefaultMaxConnections); past it a new connection is closed at once,
	// logged and counted. Read by Listen.
	MaxConnections int
	firstCommand   time.Duration // tests: firstCommandTimeout
	// Quarantine is what a quarantine verdict does (default ModeHold);
	// ModeByReason overrides it for verdicts with one of its reasons (the
	// first of the verdict's reasons, in their sorted order, that is listed).
	Quarantine   Mode
	ModeByReason map[string]Mode
}

// Mode is how a message is quarantined (see package disposition).
type Mode = disposition.Mode

const (
	ModeStore  = disposition.ModeStore
	ModeHold   = disposition.ModeHold
	ModeHeader = disposition.ModeHeader
)

// ParseMode reads a mode name.
func ParseMode(s string) (Mode, error) { return disposition.ParseMode(s) }

// Disposition is the part of c that decides what happens to a verdict,
// with c's defaults filled in.
func (c Config) Disposition() disposition.Config {
	c = c.withDefaults()
	return disposition.Config{RejectCode: c.RejectCode, RejectText: c.RejectText, TempFailText: c.TempFailText,
		SubjectPrefix: c.SubjectPrefix, Hostname: c.Hostname, Quarantine: c.Quarantine, ModeByReason: c.ModeByReason}
}

// Quarantiner keeps a message in Kensa's quarantine store (mode store).
// It returns once the message is durable, with the entry's id.
type Quarantiner interface {
	Quarantine(ctx context.Context, raw []byte, env message.Envelope, rep engine.Report) (id string, err error)
}

// storeTimeout bounds one Quarantine call; past it the message is tempfailed.
const storeTimeout = time.Minute

// withDefaults fills zero values and makes the texts safe to send whatever
// they contain: SMTP replies are single lines of printable text.
func (c Config) withDefaults() Config {
	if c.MaxSize <= 0 {
		c.MaxSize = DefaultMaxSize
	}
	if c.ReadTimeout <= 0 {
		c.ReadTimeout = DefaultReadTimeout
	}
	if c.MaxConnections <= 0 {
		c.MaxConnections = DefaultMaxConnections
	}
	if c.MaxHeaderSize <= 0 {
		c.MaxHeaderSize = DefaultMaxHeaderSize
	}
	if c.firstCommand <= 0 {
		c.firstCommand = firstCommandTimeout
	}
	if c.RejectCode < 500 || c.RejectCode > 599 {
		c.RejectCode = DefaultRejectCode
	}
	if c.RejectText = replyText(c.RejectText); c.RejectText == "" {
		c.RejectText = DefaultRejectText
	}
	if c.TempFailText = replyText(c.TempFailText); c.TempFailText == "" {
		c.TempFailText = DefaultTempFailText
	}
	switch c.TooLarge {
	case policy.Accept, policy.Quarantine, policy.Reject, policy.TempFail:
	default:
		c.TooLarge = policy.TempFail // an action not allowed here never becomes accept
	}
	if _, err := ParseMode(string(c.Quarantine)); err != nil {
		c.Quarantine = ModeHold
	}
	c.SubjectPrefix = strings.Map(dropControl, c.SubjectPrefix)
	return c
}

// Validate reports every problem with c, for config checks. Values it
// rejects would otherwise be replaced by defaults.
func (c Config) Validate() error {
	var errs []error
	if c.MaxSize < 0 {
		errs = append(errs, fmt.Errorf("max size %d is negative", c.MaxSize))
	}
	if c.MaxHeaderSize < 0 {
		errs = append(errs, fmt.Errorf("max header size %d is negative", c.MaxHeaderSize))
	}
	if c.MaxConnections < 0 {
		errs = append(errs, fmt.Errorf("max connections %d is negative", c.MaxConnections))
	}
	if c.RejectCode != 0 && (c.RejectCode < 500 || c.RejectCode > 599) {
		errs = append(errs, fmt.Errorf("reject code %d is not a 5xx code", c.RejectCode))
	}
	switch c.TooLarge {
	case policy.Accept, policy.Quarantine, policy.Reject, policy.TempFail:
	default:
		errs = append(errs, fmt.Errorf("too-large action %s is not accept, quarantine, reject or tempfail", c.TooLarge))
	}
	if c.Quarantine != "" {
		if _, err := ParseMode(string(c.Quarantine)); err != nil {
			errs = append(errs, err)
		}
	}
	for r, m := range c.ModeByReason {
		if _, err := ParseMode(string(m)); err != nil {
			errs = append(errs, fmt.Errorf("reason %q: %w", r, err))
		}
	}
	for _, t := range []struct{ name, text string }{
		{"reject text", c.RejectText}, {"tempfail text", c.TempFailText}, {"subject prefix", c.SubjectPrefix}, {"hostname", c.Hostname},
	} {
		if strings.IndexFunc(t.text, func(r rune) bool { return dropControl(r) < 0 }) >= 0 {
			errs = append(errs, fmt.Errorf("%s %q contains control characters", t.name, t.text))
		}
		if len(t.text) > 400 {
			errs = append(errs, fmt.Errorf("%s is %d bytes long (at most 400)", t.name, len(t.text)))
		}
	}
	return errors.Join(errs...)
}

func dropControl(r rune) rune {
	if r == '\t' {
		return ' '
	}
	if unicode.IsControl(r) || (r >= 0x80 && !unicode.IsPrint(r)) {
		return -1
	}
	return r
}

func replyText(s string) string {
	s = strings.TrimSpace(strings.Map(dropControl, s))
	if len(s) > 400 {
		s = s[:400]
	}
	return s
}

// Server is the milter: go-milter's server, with a session (session.go)
// for each MTA connection, around an engine.
type Server struct {
	eng *engine.Engine
	log *logrus.Logger
	cfg atomic.Pointer[Config]

	obs Observer    // nil: nobody watches; set before Listen
	q   Quarantiner // nil: mode store falls back to hold; set before Listen

	mu       sync.Mutex
	srv      *gomilter.Server
	ln       *guardedListener // the MTA's side of the connection; see guard.go
	served   chan struct{}    // closed when srv.Serve returned
	sessions counter          // go-milter sessions not yet cleaned up
	admit    *admission       // bounds the scans running at once; see admission.go
	bodyCap  int64            // a message is kept up to this many bytes; one this long was cut
}

// New returns a server that scans with eng. Call Listen to start it.
func New(eng *engine.Engine, cfg Config, log *logrus.Logger) *Server {
	if log == nil {
		log = logrus.StandardLogger()
	}
	s := &Server{eng: eng, log: log, admit: newAdmission()}
	s.SetConfig(cfg)
	return s
}

// Observer is told about every message the milter decides, for metrics.
// Calls come from many connections at once.
type Observer interface {
	// Started is called when a message's decision begins.
	Started()
	// Done is called once for every Started, after the log line, with the
	// report and the action the MTA was told (a failure to decide is a
	// report with action tempfail and reason "internal-error").
	Done(rep engine.Report, action policy.Action)
}

// SetObserver makes o watch every message. Call it before Listen.
func (s *Server) SetObserver(o Observer) { s.obs = o }

// SetQuarantiner gives the server a store for quarantine mode store. Call
// it before Listen. Without one, mode store acts as mode hold.
func (s *Server) SetQuarantiner(q Quarantiner) { s.q = q }

// SetConfig replaces the configuration; messages already being decided
// finish with the old one.
func (s *Server) SetConfig(cfg Config) {
	c := cfg.withDefaults()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.bodyCap > 0 && c.MaxSize >= s.bodyCap {
		s.log.WithFields(logrus.Fields{"max_size": c.MaxSize, "listening_max_size": s.bodyCap - 1}).
			Warn("milter: a larger max message size takes effect after a restart; bigger messages are treated as too large until then")
	}
	s.cfg.Store(&c)
}

func (s *Server) config() Config { return *s.cfg.Load() }

// Listen starts serving on listen (see ParseListen). For a unix socket a
// stale socket file is removed first (never a file that is not a socket,
// nor a socket someone still listens on) and the new socket gets socketMode
// (0 means 0660). Listen returns once the socket accepts connections.
func (s *Server) Listen(listen string, socketMode os.FileMode) error {
	network, address, err := ParseListen(listen)
	if err != nil {
		return fmt.Errorf("milter: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.srv != nil {
		return fmt.Errorf("milter: already listening on %s", s.ln.Addr())
	}
	if network == "unix" {
		if err := clearStaleSocket(address); err != nil {
			return err
		}
	}
	ln, err := net.Listen(network, address)
	if err != nil {
		return fmt.Errorf("milter: listen on %s: %w", listen, err)
	}
	if network == "unix" {
		if socketMode == 0 {
			socketMode = DefaultSocketMode
		}
		if err := os.Chmod(address, socketMode); err != nil {
			ln.Close()
			return fmt.Errorf("milter: set mode of socket %s: %w", address, err)
		}
	}
	cfg := s.cfg.Load()
	// Set before serving starts: sessions read it without the lock.
	s.bodyCap = cfg.MaxSize + 1
	s.ln = &guardedListener{Listener: ln, idle: cfg.ReadTimeout, first: cfg.firstCommand, max: cfg.MaxConnections, log: s.log}
	s.ln.obs, _ = s.obs.(ConnObserver)
	s.ln.spare, _ = os.Open(os.DevNull)
	s.srv = gomilter.NewServer(s.serverOptions()...)
	s.served = make(chan struct{})
	go func(srv *gomilter.Server, ln net.Listener, served chan struct{}) {
		defer close(served)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, gomilter.ErrServerClosed) {
			s.log.WithError(err).Error("milter: stopped accepting connections")
		}
	}(s.srv, s.ln, s.served)
	s.log.WithFields(logrus.Fields{"listen": listen, "addr": ln.Addr().String()}).Info("milter: listening")
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

// Shutdown stops accepting connections and waits until every MTA connection
// has ended, so messages in flight get their decision. When ctx ends first,
// the remaining connections are closed (the MTA then applies its own
// default action) and ctx's error is returned. A unix socket file is removed.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	srv, ln, served := s.srv, s.ln, s.served
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	// go-milter closes the listener, waits for the sessions and, when ctx
	// ends first, closes their connections.
	err := srv.Shutdown(ctx)
	<-served
	ln.conns.Wait()
	s.sessions.waitZero() // a session whose connection was closed may still be finishing its decision
	if err != nil {
		return fmt.Errorf("milter: shutdown: connections still open were closed: %w", err)
	}
	return nil
}

// counter counts things that may start while someone waits for none to be
// left (a WaitGroup forbids that).
type counter struct {
	mu   sync.Mutex
	n    int
	zero chan struct{} // closed while n is 0
}

func (c *counter) add(d int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.zero == nil {
		c.zero = make(chan struct{})
		close(c.zero)
	}
	if c.n == 0 && d > 0 {
		c.zero = make(chan struct{})
	}
	c.n += d
	if d < 0 && c.n == 0 {
		close(c.zero)
	}
}

// waitZero returns once the count is 0.
func (c *counter) waitZero() {
	c.add(0)
	c.mu.Lock()
	ch := c.zero
	c.mu.Unlock()
	<-ch
}

// RouteLibraryWarnings sends go-milter's own warnings (a process-wide hook
// of that library) to log, as a field rather than in the message text.
// Call it once at start-up.
func RouteLibraryWarnings(log *logrus.Logger) {
	gomilter.LogWarning = func(format string, v ...any) {
		log.WithField("detail", fmt.Sprintf(format, v...)).Warn("milter: go-milter warning")
	}
}
