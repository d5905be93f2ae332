package milter

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	gomilter "github.com/d--j/go-milter"

	"github.com/kensa-milter/kensa/message"
)

// What Kensa asks of the MTA when a connection starts. Kensa decides at
// the end of the message, so every earlier event needs no reply; it wants
// header values exactly as sent (leading space included), and only the
// macros it uses: {auth_authen} for the allow list, {i} for the log.
const (
	protocol = gomilter.OptHeaderLeadingSpace | gomilter.OptNoUnknown |
		gomilter.OptNoConnReply | gomilter.OptNoHeloReply | gomilter.OptNoMailReply | gomilter.OptNoRcptReply |
		gomilter.OptNoDataReply | gomilter.OptNoHeaderReply | gomilter.OptNoEOHReply | gomilter.OptNoBodyReply
	// progressEvery is how often a running scan tells the MTA it is alive
	// (Postfix restarts its milter_content_timeout on each).
	progressEvery = time.Second
)

var macroRequests = map[gomilter.MacroStage][]gomilter.MacroName{
	gomilter.StageConnect: {},
	gomilter.StageHelo:    {},
	gomilter.StageMail:    {gomilter.MacroAuthAuthen},
	gomilter.StageRcpt:    {},
	gomilter.StageData:    {gomilter.MacroQueueId},
	gomilter.StageEOH:     {},
	gomilter.StageEOM:     {gomilter.MacroQueueId}, // when the MTA had no queue id at DATA yet
}

// serverOptions are the go-milter options for s.
func (s *Server) serverOptions() []gomilter.Option {
	opts := []gomilter.Option{
		gomilter.WithDynamicMilter(func(_ uint32, _ gomilter.OptAction, proto gomilter.OptProtocol, _ gomilter.DataSize) gomilter.Milter {
			s.sessions.add(1)
			return &session{srv: s, leadingSpace: proto&gomilter.OptHeaderLeadingSpace != 0}
		}),
		gomilter.WithActions(gomilter.AllClientSupportedActionMasks),
		gomilter.WithProtocols(protocol),
		// The guard keeps the deadlines (see guard.go).
		gomilter.WithReadTimeout(0),
		gomilter.WithWriteTimeout(0),
	}
	for stage, names := range macroRequests {
		opts = append(opts, gomilter.WithMacroRequest(stage, names))
	}
	return opts
}

// headerField is one header field as the MTA sent it: the name, and the
// value after the colon with its leading space and folds.
type headerField struct{ name, value string }

// transaction is one message as the MTA sends it.
type transaction struct {
	env     message.Envelope
	fields  []headerField // the first maxHeaders fields
	nFields int           // every field the MTA sent
	data    spool         // the message: header fields, blank line, body
	bodyAt  int64         // where the body starts in data, once the header ended
	eoh     bool          // the header ended
	subject bool          // a Subject field is in fields
	// Past maxHeaders fields or MaxHeaderSize bytes of them the message is
	// not scanned and only the fields the header changes need are kept.
	headBytes   int64 // header bytes as sent
	headTooBig  bool  // headBytes went past MaxHeaderSize
	forgedBytes int64 // X-Kensa-* names kept past the limits
	forgedLost  bool  // an X-Kensa-* field could not be kept: never deliver
}

// endHeader writes the blank line after the header fields (once).
func (tx *transaction) endHeader() {
	if !tx.eoh {
		tx.eoh = true
		tx.data.writeString("\r\n")
		tx.bodyAt = tx.data.size
	}
}

// session is go-milter's backend for one MTA connection. go-milter calls
// it from one goroutine, in protocol order.
type session struct {
	gomilter.NoOpMilter
	srv          *Server
	leadingSpace bool
	client       message.Envelope // connect and HELO: kept for every message of the connection
	tx           *transaction
}

// newTx starts a message.
func (ss *session) newTx() *transaction {
	ss.dropTx()
	env := message.Envelope{ClientHost: ss.client.ClientHost, ClientAddr: ss.client.ClientAddr, Helo: ss.client.Helo}
	ss.tx = &transaction{env: env, data: spool{max: ss.srv.bodyCap}}
	return ss.tx
}

// current is the message being received; go-milter may skip MAIL when the
// MTA does (a broken client), so it is made on demand.
func (ss *session) current() *transaction {
	if ss.tx == nil {
		return ss.newTx()
	}
	return ss.tx
}

func (ss *session) dropTx() {
	if ss.tx != nil {
		ss.tx.data.close()
		ss.tx = nil
	}
}

func (ss *session) NewConnection(gomilter.Modifier) error {
	ss.dropTx()
	ss.client = message.Envelope{}
	return nil
}

func (ss *session) Connect(host, family string, _ uint16, addr string, _ gomilter.Modifier) (*gomilter.Response, error) {
	ss.dropTx()
	ss.client = message.Envelope{ClientHost: host}
	if family == "tcp4" || family == "tcp6" {
		ss.client.ClientAddr = addr // "" for local submission (pickup, unix socket)
	}
	return gomilter.RespContinue, nil
}

func (ss *session) Helo(name string, _ gomilter.Modifier) (*gomilter.Response, error) {
	ss.client.Helo = name
	return gomilter.RespContinue, nil
}

func (ss *session) MailFrom(from, _ string, m gomilter.Modifier) (*gomilter.Response, error) {
	tx := ss.newTx()
	tx.env.Sender = from
	tx.env.AuthUser = m.Get(gomilter.MacroAuthAuthen)
	return gomilter.RespContinue, nil
}

func (ss *session) RcptTo(rcpt, _ string, _ gomilter.Modifier) (*gomilter.Response, error) {
	tx := ss.current()
	tx.env.Recipients = append(tx.env.Recipients, rcpt)
	return gomilter.RespContinue, nil
}

func (ss *session) Data(m gomilter.Modifier) (*gomilter.Response, error) {
	ss.current().env.QueueID = m.Get(gomilter.MacroQueueId)
	return gomilter.RespContinue, nil
}

func (ss *session) Header(name, value string, _ gomilter.Modifier) (*gomilter.Response, error) {
	tx := ss.current()
	tx.nFields++
	name = strings.Trim(name, " \t\r\n")
	if name == "" {
		return gomilter.RespContinue, nil
	}
	// Without the leading-space option the MTA swallowed the space after
	// the colon; put one back so the message is scanned as it was sent.
	if !ss.leadingSpace && (value == "" || value[0] != '\t') {
		value = " " + value
	}
	n := int64(len(name) + len(value) + 3)
	tx.headBytes += n
	if tx.headBytes > ss.srv.maxHeaderSize() {
		tx.headTooBig = true
	}
	if tx.nFields > maxHeaders || tx.headTooBig {
		tx.data.stop() // not scanned (see readMessage): keep no more of it
	}
	if tx.data.cut {
		tx.data.size += n
	} else {
		tx.data.writeString(name)
		tx.data.writeString(":")
		tx.data.writeString(value)
		tx.data.writeString("\r\n")
	}
	if tx.data.cut {
		// Not scanned, so keep only what the header changes need: every
		// X-Kensa-* field, wherever it stands, to remove it, and the first
		// Subject to prefix. Field memory stays bounded too.
		switch {
		case isKensaField(name):
			value = ""
			if tx.forgedBytes += int64(len(name)) + 32; tx.forgedBytes > maxForgedNames {
				tx.forgedLost = true
				return gomilter.RespContinue, nil
			}
		case isSubject(name) && !tx.subject:
		default:
			return gomilter.RespContinue, nil
		}
	}
	if isSubject(name) {
		tx.subject = true
	}
	tx.fields = append(tx.fields, headerField{name, value})
	return gomilter.RespContinue, nil
}

func (ss *session) Headers(gomilter.Modifier) (*gomilter.Response, error) {
	ss.current().endHeader()
	return gomilter.RespContinue, nil
}

func (ss *session) BodyChunk(chunk []byte, m gomilter.Modifier) (*gomilter.Response, error) {
	tx := ss.current()
	// An MTA always ends the header first; one that does not still gets a
	// well-formed message.
	tx.endHeader()
	// A failed spool file is answered at the end: tempfail, ref in the log.
	tx.data.write(chunk)
	if (tx.data.cut || tx.data.err != nil) && m.Protocol()&gomilter.OptSkip != 0 {
		return gomilter.RespSkip, nil // the rest of the body is not needed
	}
	return gomilter.RespContinue, nil
}

func (ss *session) EndOfMessage(m gomilter.Modifier) (*gomilter.Response, error) {
	tx := ss.current()
	defer ss.dropTx()
	tx.endHeader()
	if tx.env.QueueID == "" {
		tx.env.QueueID = m.Get(gomilter.MacroQueueId)
	}
	d, err := ss.decideWithProgress(tx, m)
	if err != nil {
		return nil, err
	}
	for _, op := range d.ops {
		if op.insert {
			err = m.InsertHeader(op.index, op.name, op.value)
		} else {
			err = m.ChangeHeader(op.index, op.name, op.value)
		}
		if err != nil {
			return gomilter.RespTempFail, fmt.Errorf("milter: change header %s: %w", op.name, err)
		}
	}
	if d.quarantine != "" {
		if err := m.Quarantine(d.quarantine); err != nil {
			return gomilter.RespTempFail, fmt.Errorf("milter: quarantine: %w", err)
		}
	}
	return d.resp, nil
}

// decideWithProgress runs the decision and, while it runs, tells the MTA
// every second that Kensa is still working. When the MTA has gone the
// decision is cancelled.
func (ss *session) decideWithProgress(tx *transaction, m gomilter.Modifier) (answer, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan answer, 1)
	go func() { done <- ss.srv.decide(ctx, tx) }()
	tick := time.NewTicker(progressEvery)
	defer tick.Stop()
	for {
		select {
		case d := <-done:
			return d, nil
		case <-tick.C:
			if err := m.Progress(); err != nil && !errors.Is(err, gomilter.ErrVersionTooLow) {
				cancel()
				<-done
				return answer{}, fmt.Errorf("milter: MTA gone during the scan: %w", err)
			}
		}
	}
}

func (ss *session) Abort(gomilter.Modifier) error {
	ss.dropTx()
	return nil
}

// Cleanup is go-milter's last call for the connection.
func (ss *session) Cleanup(gomilter.Modifier) {
	ss.dropTx()
	ss.srv.sessions.add(-1)
}

// maxHeaderSize is the configured header limit.
func (s *Server) maxHeaderSize() int64 {
	if c := s.cfg.Load(); c != nil {
		return c.MaxHeaderSize
	}
	return DefaultMaxHeaderSize
}

// spool holds a message as it arrives: in memory up to bodyInMemory, then
// in a temporary file (removed when the message is done). Past max bytes
// nothing more is kept and cut is set; size counts every byte.
//
// In memory the header is copied into head and the body chunks are kept as
// go-milter hands them (each in its own buffer, read fresh per packet), so
// the body is copied once, into one buffer of the right size, when the
// message is read: appending to one growing buffer copied it about twice
// more (7% of kensa serve's CPU on typical mail).
type spool struct {
	max    int64 // 0: no limit
	head   []byte
	chunks [][]byte
	file   *os.File
	size   int64
	cut    bool
	err    error // a failed write to the file
}

func (s *spool) writeString(p string) { s.add([]byte(p), false) }

// stop keeps nothing more of the message (it will not be read); size goes
// on counting what the caller adds to it.
func (s *spool) stop() {
	s.cut = true
	s.head, s.chunks = nil, nil
}

// write adds p, which the spool may keep (p must not change afterwards).
func (s *spool) write(p []byte) { s.add(p, true) }

func (s *spool) add(p []byte, keep bool) {
	s.size += int64(len(p))
	if s.cut || s.err != nil || len(p) == 0 {
		return
	}
	if s.max > 0 && s.size > s.max {
		s.cut = true
		return
	}
	if s.file == nil && s.size <= bodyInMemory {
		switch {
		case keep:
			s.chunks = append(s.chunks, p)
		case len(s.chunks) == 0:
			s.head = append(s.head, p...)
		default:
			s.chunks = append(s.chunks, bytes.Clone(p))
		}
		return
	}
	if s.file == nil {
		f, err := os.CreateTemp("", "kensa-body-")
		if err != nil {
			s.err = fmt.Errorf("milter: spool message to disk: %w", err)
			return
		}
		s.file = f
		s.toFile(s.head)
		for _, c := range s.chunks {
			s.toFile(c)
		}
		s.head, s.chunks = nil, nil
	}
	s.toFile(p)
}

func (s *spool) toFile(p []byte) {
	if s.err != nil {
		return
	}
	if _, err := s.file.Write(p); err != nil {
		s.err = fmt.Errorf("milter: spool message to disk: %w", err)
	}
}

// bytes returns the whole message in one buffer. Call it only when
// nothing was cut.
func (s *spool) bytes() ([]byte, error) {
	if s.err != nil {
		return nil, s.err
	}
	if s.file == nil {
		if len(s.chunks) == 0 {
			return s.head, nil
		}
		buf := make([]byte, 0, s.size)
		buf = append(buf, s.head...)
		for _, c := range s.chunks {
			buf = append(buf, c...)
		}
		return buf, nil
	}
	buf := make([]byte, s.size)
	if _, err := s.file.ReadAt(buf, 0); err != nil {
		return nil, fmt.Errorf("milter: read spooled message: %w", err)
	}
	return buf, nil
}

func (s *spool) close() {
	if s.file != nil {
		name := s.file.Name()
		_ = s.file.Close()
		_ = os.Remove(name)
		s.file = nil
	}
	s.head, s.chunks = nil, nil
}
