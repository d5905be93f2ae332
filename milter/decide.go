package milter

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	gomilter "github.com/d--j/go-milter"
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

// response is the go-milter form of r. Header changes and the quarantine
// action only go with an accept.
func (r reply) response() *gomilter.Response {
	switch r.action {
	case policy.Quarantine:
		if r.stored {
			return gomilter.RespDiscard
		}
		return gomilter.RespAccept
	case policy.Reject, policy.TempFail:
		resp, err := gomilter.RejectWithCodeAndReason(r.code, r.text)
		if err != nil { // cannot happen: codes and texts are checked by Config
			if r.code >= 500 {
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

// answerFor is the answer for r with the header changes ops.
func answerFor(r reply, ops []headerOp) answer {
	a := answer{resp: r.response()}
	if a.resp == gomilter.RespAccept {
		a.ops = ops
		if r.action == policy.Quarantine {
			a.quarantine = r.text
		}
	}
	return a
}

// readMessage returns the message as the MTA sent it, or why it is not
// scanned.
func (s *Server) readMessage(tx *transaction, cfg Config) (raw []byte, size int64, unscanned string, err error) {
	size = tx.data.size
	if tx.nFields >= maxHeaders {
		return nil, size, reasonTooManyHeaders, nil
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
	case reasonTooManyHeaders:
		pol := s.eng.Setup().Policy
		rep = engine.Unscanned(unscanned, pol.Unscannable, int(size))
		rep.Verdict.Monitor = pol.Monitor
	default:
		rep = engine.Unscanned(unscanned, cfg.TooLarge, int(size))
		rep.Verdict.Monitor = s.eng.Setup().Policy.Monitor
	}

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
	var ours [][2]string
	if r.letThrough() {
		ours = append(ours, [2]string{headerVerdict, verdictValue(rep, cfg.Hostname)})
		if items := findingItems(rep.Verdict.Findings); len(items) > 0 {
			ours = append(ours, [2]string{headerFindings, headerValue(headerFindings, items)})
		}
	}
	prefix := ""
	if r.action == policy.Tag {
		prefix = cfg.SubjectPrefix
	}
	ops, after, forged := editHeader(tx.fields, ours, prefix)
	var qid string
	if mode == ModeStore {
		// Stored after our header changes: without forged X-Kensa-* fields
		// and with our verdict, as a release will deliver it.
		stored := writeHeader(make([]byte, 0, len(raw)+4<<10), after)
		stored = append(stored, raw[tx.bodyAt:]...)
		if qid, err = s.store(ctx, stored, env, rep); err != nil {
			// Not kept, so not discarded: tempfail, and the message's own
			// log line and metrics say it was the store.
			rep = storeFailed(rep, policy.NewScanError(policy.ErrStore, "quarantine", err))
			r = replyFor(policy.Verdict{Action: policy.TempFail, Ref: rep.Verdict.Ref}, cfg)
			ops = nil
		} else {
			r.stored = true
		}
	}
	s.logReport(env, rep, r, mode, qid, size, forged, time.Since(start))
	action = r.action
	return answerFor(r, ops)
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
	return answerFor(replyFor(v, cfg), nil), rep, policy.TempFail
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
