package milter

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"runtime/debug"
	"strings"
	"time"

	"github.com/d--j/go-milter/mailfilter"
	"github.com/sirupsen/logrus"

	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/policy"
)

// reply is what the MTA is told about one message.
type reply struct {
	action policy.Action // the effective action
	code   uint16        // SMTP code for Reject and TempFail
	text   string        // SMTP text for Reject and TempFail; quarantine reason for Quarantine
	stored bool          // Quarantine in mode store: the message is in our store, the MTA discards it
}

// letThrough reports whether the message is delivered (or held) and so
// gets our headers.
func (r reply) letThrough() bool {
	return r.action == policy.Accept || r.action == policy.Tag || r.action == policy.Quarantine
}

// replyFor maps a verdict to a reply. Texts carry only the ref, never a
// rule name or anything else from the findings.
func replyFor(v policy.Verdict, cfg Config) reply {
	ref := func(t string) string { return strings.ReplaceAll(t, "{ref}", v.Ref) }
	switch a := v.Effective(); a {
	case policy.Quarantine:
		return reply{action: a, text: "kensa: quarantined, ref " + v.Ref}
	case policy.Reject:
		return reply{action: a, code: cfg.RejectCode, text: ref(cfg.RejectText)}
	case policy.TempFail:
		return reply{action: a, code: tempFailCode, text: ref(cfg.TempFailText)}
	case policy.Discard, policy.Tag:
		return reply{action: a}
	default:
		return reply{action: policy.Accept}
	}
}

// decision is the go-milter form of r. Header changes and the quarantine
// action are only sent along with Accept or QuarantineResponse.
func (r reply) decision() mailfilter.Decision {
	switch r.action {
	case policy.Quarantine:
		if r.stored {
			return mailfilter.Discard
		}
		return mailfilter.QuarantineResponse(r.text)
	case policy.Reject, policy.TempFail:
		return mailfilter.CustomErrorResponse(r.code, r.text)
	case policy.Discard:
		return mailfilter.Discard
	default:
		return mailfilter.Accept
	}
}

// envelope is what the MTA told us about the transaction.
func envelope(trx mailfilter.Trx) message.Envelope {
	env := message.Envelope{QueueID: trx.QueueId()}
	if c := trx.Connect(); c != nil {
		env.ClientHost = c.Host
		if c.Family == "tcp4" || c.Family == "tcp6" {
			env.ClientAddr = c.Addr // "" for local submission (pickup, unix socket)
		}
	}
	if h := trx.Helo(); h != nil {
		env.Helo = h.Name
	}
	if mf := trx.MailFrom(); mf != nil {
		env.Sender = mf.Addr
		env.AuthUser = mf.AuthenticatedUser() // the {auth_authen} macro, requested by mailfilter
	}
	for _, r := range trx.RcptTos() {
		env.Recipients = append(env.Recipients, r.Addr)
	}
	return env
}

// readMessage returns the message as the MTA sent it, or why it is not
// scanned. It must run before any header is changed: Data is rebuilt from
// the current headers.
func (s *Server) readMessage(trx mailfilter.Trx, cfg Config) (raw []byte, size int64, unscanned string, err error) {
	if n := trx.Headers().Fields().Len(); n >= maxHeaders {
		return nil, 0, reasonTooManyHeaders, nil
	}
	var bodySize int64
	if b := trx.Body(); b != nil {
		if bodySize, err = b.Seek(0, io.SeekEnd); err != nil {
			return nil, 0, "", fmt.Errorf("milter: measure body: %w", err)
		}
	}
	if s.bodyCap > 0 && bodySize >= s.bodyCap {
		return nil, bodySize, reasonTooLarge, nil // go-milter cut it
	}
	var buf bytes.Buffer
	buf.Grow(int(min(bodySize+64<<10, cfg.MaxSize+1)))
	if _, err := io.Copy(&buf, io.LimitReader(trx.Data(), cfg.MaxSize+1)); err != nil {
		return nil, 0, "", fmt.Errorf("milter: read message: %w", err)
	}
	if int64(buf.Len()) > cfg.MaxSize {
		return nil, int64(buf.Len()), reasonTooLarge, nil
	}
	return buf.Bytes(), int64(buf.Len()), "", nil
}

// decide is the mailfilter decision function, called at end of message.
// It never returns an error: failures become a tempfail with a ref that is
// in the log.
func (s *Server) decide(ctx context.Context, trx mailfilter.Trx) (d mailfilter.Decision, err error) {
	start := time.Now()
	cfg := s.config()
	var env message.Envelope
	var rep engine.Report
	var action policy.Action
	if s.obs != nil {
		s.obs.Started()
		defer func() { s.obs.Done(rep, action) }() // runs after the recover below
	}
	defer func() {
		if r := recover(); r != nil {
			d, rep, action = s.failed(cfg, env, fmt.Errorf("milter: panic: %v\n%s", r, debug.Stack()))
		}
	}()
	env = envelope(trx)

	// Wait for room to scan before the message is read into memory.
	var est int64
	if b := trx.Body(); b != nil {
		if est, err = b.Seek(0, io.SeekEnd); err != nil {
			d, rep, action = s.failed(cfg, env, fmt.Errorf("milter: measure body: %w", err))
			return d, nil
		}
	}
	est = min(est, cfg.MaxSize)
	if err := s.admit.acquire(ctx, est); err != nil {
		d, rep, action = s.failed(cfg, env, fmt.Errorf("milter: waiting for a scan slot: %w", err))
		return d, nil
	}
	defer s.admit.release(est)

	raw, size, unscanned, err := s.readMessage(trx, cfg)
	if err != nil {
		d, rep, action = s.failed(cfg, env, err)
		return d, nil
	}
	switch unscanned {
	case "":
		rep = s.eng.Scan(ctx, raw, env)
	case reasonTooManyHeaders:
		pol := s.eng.Setup().Policy
		rep = engine.Unscanned(unscanned, pol.Unscannable, int(size))
		rep.Verdict.Monitor = pol.Monitor
	default:
		rep = engine.Unscanned(unscanned, cfg.TooLarge, int(size))
		rep.Verdict.Monitor = s.eng.Setup().Policy.Monitor
	}

	h := trx.Headers()
	forged := removeKensaHeaders(h)
	r := replyFor(rep.Verdict, cfg)
	mode := Mode("")
	if r.action == policy.Quarantine {
		mode = cfg.modeFor(rep.Verdict.Reasons)
		if mode == ModeStore && (raw == nil || s.q == nil) {
			mode = ModeHold // a message we did not read whole cannot be stored
		}
		if mode == ModeHeader {
			r.action = policy.Tag
		}
	}
	if r.letThrough() {
		fields := [][2]string{{headerVerdict, verdictValue(rep, cfg.Hostname)}}
		if items := findingItems(rep.Verdict.Findings); len(items) > 0 {
			fields = append(fields, [2]string{headerFindings, headerValue(headerFindings, items)})
		}
		addHeaders(h, fields)
		if r.action == policy.Tag && cfg.SubjectPrefix != "" {
			prefixSubject(h, cfg.SubjectPrefix)
		}
	}
	var qid string
	if mode == ModeStore {
		// Stored after our header changes: without forged X-Kensa-* fields
		// and with our verdict, as a release will deliver it.
		if qid, err = s.store(ctx, trx, cfg, env, rep); err != nil {
			d, _, action = s.failed(cfg, env, err)
			return d, nil
		}
		r.stored = true
	}
	s.logReport(env, rep, r, mode, qid, size, forged, time.Since(start))
	action = r.action
	return r.decision(), nil
}

// store hands the message, as it is after our header changes, to the
// quarantine store.
func (s *Server) store(ctx context.Context, trx mailfilter.Trx, cfg Config, env message.Envelope, rep engine.Report) (string, error) {
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, io.LimitReader(trx.Data(), cfg.MaxSize+64<<10)); err != nil {
		return "", fmt.Errorf("milter: read message to quarantine: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	id, err := s.q.Quarantine(ctx, buf.Bytes(), env, rep)
	if err != nil {
		return "", fmt.Errorf("milter: quarantine ref %s: %w", rep.Verdict.Ref, err)
	}
	return id, nil
}

// ReasonInternalError is the verdict reason when the milter itself failed
// to decide (the message is tempfailed).
const ReasonInternalError = "internal-error"

// failed logs an internal error and answers tempfail. The report is for the
// observer.
func (s *Server) failed(cfg Config, env message.Envelope, err error) (mailfilter.Decision, engine.Report, policy.Action) {
	ref := engine.NewRef()
	s.log.WithFields(logrus.Fields{"queue_id": env.QueueID, "ref": ref, "action": policy.TempFail.String(), "error": err.Error()}).
		Error("milter: could not decide, tempfail")
	v := policy.Verdict{Action: policy.TempFail, Reasons: []string{ReasonInternalError}, Ref: ref}
	rep := engine.Report{Verdict: v, Errors: []string{err.Error()}}
	return replyFor(v, cfg).decision(), rep, policy.TempFail
}

// logReport writes the one line per message. Everything the sender chose
// goes into fields, which the formatter escapes, never into the message.
func (s *Server) logReport(env message.Envelope, rep engine.Report, r reply, mode Mode, qid string, size int64, forged int, took time.Duration) {
	v := rep.Verdict
	f := logrus.Fields{
		"queue_id":    env.QueueID,
		"client":      env.ClientAddr,
		"helo":        env.Helo,
		"sender":      env.Sender,
		"recipients":  env.Recipients,
		"message_id":  rep.MessageID,
		"size":        size,
		"parts":       len(rep.Parts),
		"action":      r.action.String(),
		"score":       v.Score,
		"reasons":     v.Reasons,
		"findings":    cleanItems(findingItems(v.Findings)),
		"ref":         v.Ref,
		"duration_ms": float64(took.Microseconds()) / 1000,
	}
	if v.Monitor || r.action != v.Action {
		f["decided"] = v.Action.String()
	}
	if v.Skipped != "" {
		f["skipped"] = v.Skipped
	}
	if rep.Unscanned != "" {
		f["unscanned"] = rep.Unscanned
	}
	if forged > 0 {
		f["removed_headers"] = forged
	}
	if mode != "" {
		f["quarantine"] = string(mode)
	}
	if qid != "" {
		f["quarantine_id"] = qid
	}
	s.log.WithFields(f).Info("message")
	if len(rep.Errors) > 0 {
		s.log.WithFields(logrus.Fields{"queue_id": env.QueueID, "ref": v.Ref, "errors": rep.Errors}).Warn("scan errors")
	}
}
