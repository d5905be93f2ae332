package milter

import (
	"context"
	"fmt"
	"slices"
	"time"

	gomilter "github.com/d--j/go-milter"
	"github.com/sirupsen/logrus"

	"github.com/kensa-milter/kensa/disposition"
	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/policy"
)

// response is the go-milter form of o. Header changes and the quarantine
// action only go with an accept.
func response(o disposition.Outcome) *gomilter.Response {
	switch o.Action {
	case policy.Quarantine:
		if o.Stored() {
			return gomilter.RespDiscard
		}
		return gomilter.RespAccept
	case policy.Reject, policy.TempFail:
		resp, err := gomilter.RejectWithCodeAndReason(o.Code, o.Text)
		if err != nil { // cannot happen: codes and texts are checked by Config
			if o.Code >= 500 {
				return gomilter.RespReject
			}
			return gomilter.RespTempFail
		}
		return resp
	case policy.Discard:
		return gomilter.RespDiscard
	default:
		return gomilter.RespAccept
	}
}

// answer is what the MTA is sent at the end of a message.
type answer struct {
	resp       *gomilter.Response
	ops        []headerOp // sent before resp
	quarantine string     // the hold reason, sent before resp ("" none)
}

// answerFor is the answer for o with the header changes ops.
func answerFor(o disposition.Outcome, ops []headerOp) answer {
	a := answer{resp: response(o)}
	if a.resp == gomilter.RespAccept {
		a.ops = ops
		if o.Action == policy.Quarantine {
			a.quarantine = o.Text
		}
	}
	return a
}

// readMessage returns the message as the MTA sent it, or why it is not
// scanned.
func (s *Server) readMessage(tx *transaction, cfg Config) (raw []byte, size int64, unscanned string, err error) {
	size = tx.data.size
	// A flood of small fields reaches the field count before the byte cap.
	if tx.nFields >= maxHeaders {
		return nil, size, reasonTooManyHeaders, nil
	}
	if tx.headTooBig {
		return nil, size, reasonHeaderTooLarge, nil
	}
	if tx.data.cut || size > cfg.MaxSize {
		return nil, size, reasonTooLarge, nil
	}
	if raw, err = tx.data.bytes(); err != nil {
		return nil, size, "", err
	}
	return raw, size, "", nil
}

// decide is called at the end of each message. It always answers: failures
// become a tempfail with a ref that is in the log.
func (s *Server) decide(ctx context.Context, tx *transaction) (a answer) {
	start := time.Now()
	cfg := s.config()
	env := tx.env
	var rep engine.Report
	var action policy.Action
	if s.obs != nil {
		s.obs.Started()
		defer func() { s.obs.Done(rep, action) }() // runs after the recover below
	}
	defer func() {
		if r := recover(); r != nil {
			a, rep, action = s.failed(cfg, env, policy.PanicError("milter", "milter", r))
		}
	}()

	// Wait for room to scan before a spooled message is read into memory.
	est := min(tx.data.size, cfg.MaxSize)
	if err := s.admit.acquire(ctx, est); err != nil {
		a, rep, action = s.failed(cfg, env, policy.NewScanError(policy.ErrInternal, "milter", fmt.Errorf("milter: waiting for a scan slot: %w", err)))
		return a
	}
	defer s.admit.release(est)

	raw, size, unscanned, err := s.readMessage(tx, cfg)
	if err != nil {
		a, rep, action = s.failed(cfg, env, policy.NewScanError(policy.ErrInternal, "milter", err))
		return a
	}
	switch unscanned {
	case "":
		rep = s.eng.Scan(ctx, raw, env)
	case reasonTooManyHeaders, reasonHeaderTooLarge:
		pol := s.eng.Setup().Policy
		rep = engine.Unscanned(unscanned, pol.Unscannable, int(size))
		rep.Verdict.Monitor = pol.Monitor
		if tx.forgedLost {
			// More X-Kensa-* fields than could be kept to remove them:
			// delivered, the message would carry a forged verdict.
			rep.Verdict.Action, rep.Verdict.Monitor = policy.Reject, false
		}
	default:
		rep = engine.Unscanned(unscanned, cfg.TooLarge, int(size))
		rep.Verdict.Monitor = s.eng.Setup().Policy.Monitor
	}

	// What happens to the verdict is decided by one pure step, the same
	// that kensa scan --json shows.
	// An address the relay could not be given as it is (">", blanks) is
	// never stored for a release by SMTP: such a message is held by the MTA.
	o := disposition.Decide(rep, cfg.Disposition(), raw != nil && s.q != nil && policy.Reinjectable(env))
	ours := make([][2]string, 0, len(o.Headers))
	for _, h := range o.Headers {
		ours = append(ours, [2]string{h.Name, h.Value})
	}
	ops, after, forged := editHeader(tx.fields, ours, o.SubjectPrefix)
	var qid string
	if o.Stored() {
		// Stored after our header changes: without forged X-Kensa-* fields
		// and with our verdict, as a release will deliver it.
		stored := writeHeader(make([]byte, 0, len(raw)+4<<10), after)
		stored = append(stored, raw[tx.bodyAt:]...)
		if qid, err = s.store(ctx, stored, env, rep); err != nil {
			// Not kept, so not discarded: tempfail, and the message's own
			// log line and metrics say it was the store.
			rep = storeFailed(rep, policy.NewScanError(policy.ErrStore, "quarantine", err))
			mode := o.Quarantine
			o = disposition.TempFail(rep.Verdict.Ref, cfg.Disposition())
			o.Quarantine = mode // for the log line: the mode that failed
		}
	}
	s.logReport(env, rep, o, qid, size, forged, time.Since(start))
	action = o.Action
	return answerFor(o, ops)
}

// store hands the message, as it is after our header changes, to the
// quarantine store.
func (s *Server) store(ctx context.Context, msg []byte, env message.Envelope, rep engine.Report) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	id, err := s.q.Quarantine(ctx, msg, env, rep)
	if err != nil {
		return "", fmt.Errorf("milter: quarantine ref %s: %w", rep.Verdict.Ref, err)
	}
	return id, nil
}

// storeFailed is rep after the quarantine store refused the message: the
// error is added and the verdict gains ReasonInternalError, which explains
// the tempfail in metrics.
func storeFailed(rep engine.Report, e policy.ScanError) engine.Report {
	rep.Errors = append(slices.Clone(rep.Errors), e)
	rep.Verdict.Reasons = append(slices.Clone(rep.Verdict.Reasons), policy.ReasonInternalError)
	return rep
}

// failed logs an internal error and answers tempfail. The report is for the
// observer.
func (s *Server) failed(cfg Config, env message.Envelope, e policy.ScanError) (answer, engine.Report, policy.Action) {
	ref := engine.NewRef()
	s.log.WithFields(logrus.Fields{"queue_id": env.QueueID, "ref": ref, "action": policy.TempFail.String(),
		"kind": string(e.Kind), "error": e.Message}).Error("milter: could not decide, tempfail")
	s.logStack(env, ref, e)
	v := policy.Verdict{Action: policy.TempFail, Reasons: []string{policy.ReasonInternalError}, Ref: ref}
	rep := engine.Report{Verdict: v, Errors: []policy.ScanError{e}}
	return answerFor(disposition.TempFail(ref, cfg.Disposition()), nil), rep, policy.TempFail
}

// logStack logs a recovered panic's stack on a line of its own.
func (s *Server) logStack(env message.Envelope, ref string, e policy.ScanError) {
	if e.Stack != "" {
		s.log.WithFields(logrus.Fields{"queue_id": env.QueueID, "ref": ref, "source": e.Source, "stack": e.Stack}).
			Error("panic stack")
	}
}

// logReport writes the one line per message. Everything the sender chose
// goes into fields, which the formatter escapes, never into the message.
func (s *Server) logReport(env message.Envelope, rep engine.Report, o disposition.Outcome, qid string, size int64, forged int, took time.Duration) {
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
		"action":      o.Action.String(),
		"score":       v.Score,
		"reasons":     v.Reasons,
		"findings":    disposition.Items(v.Findings),
		"ref":         v.Ref,
		"duration_ms": float64(took.Microseconds()) / 1000,
	}
	if v.Monitor || o.Action != v.Action {
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
	if o.Quarantine != "" {
		f["quarantine"] = string(o.Quarantine)
	}
	if qid != "" {
		f["quarantine_id"] = qid
	}
	if len(rep.Errors) > 0 {
		f["errors"] = errorKinds(rep.Errors)
	}
	s.log.WithFields(f).Info("message")
	for _, pr := range rep.Problems {
		if pr.Stack != "" {
			s.log.WithFields(logrus.Fields{"queue_id": env.QueueID, "ref": v.Ref, "part": pr.Part, "stack": pr.Stack}).
				Error("panic stack")
		}
	}
	for _, e := range rep.Errors {
		entry := s.log.WithFields(logrus.Fields{"queue_id": env.QueueID, "ref": v.Ref, "kind": string(e.Kind), "source": e.Source, "error": e.Message})
		switch e.Kind {
		case policy.ErrStore, policy.ErrInternal, policy.ErrPanic:
			entry.Error("scan error")
		default:
			entry.Warn("scan error")
		}
		s.logStack(env, v.Ref, e)
	}
}

// errorKinds lists the kinds of errs, for the message's log line.
func errorKinds(errs []policy.ScanError) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = string(e.Kind)
	}
	return out
}
