package unpack

import (
	"slices"

	"github.com/kensa-milter/kensa/message"
)

// Locked containers are tried again once the walk has read on.
//
// The walk is breadth first, so a locked archive meets the message's
// passwords as far as the walk has read them: a password.txt in a 7z or a
// rar attached after it (or in an archive inside an archive attached
// before it) is read only later. A container that stays locked while
// parts remain to be read is set aside (its members and problems taken
// out of the message, kept as they are) and, once the walk has read every
// part, tried again with the passwords found since, only those: its tries
// go on from the first run's (Limits.MaxPasswordTries in all), and the
// message's time, member, byte and hash-round budgets hold throughout.
// With no new password its first result is put back as it was.

// lockedRun is one container run that ended locked, set aside.
type lockedRun struct {
	part   *message.Part
	kind   *kind
	before message.Part // the part as it was before the run
	after  message.Part // and after it
	// Where the run's members and problems began, the member and byte
	// counts before it (once set aside: what it counted), and what it
	// added, taken out.
	parts, problems int
	members         int
	total           int64
	added           []*message.Part
	found           []message.Problem
	tries           int
	offered         map[string]bool
}

// candidates are the message's passwords for this container: all of them
// on a first run, those found since its first run on a retry.
func (c *container) candidates() []candidate {
	c.asked = true
	all := c.w.candidates()
	if c.skip == nil {
		return all
	}
	var fresh []candidate
	for _, pw := range all {
		if !c.skip[pw.text] {
			fresh = append(fresh, pw)
		}
	}
	return fresh
}

// retryLater sets a run aside when it asked for passwords, ended locked,
// and parts the walk has not read yet may hold its password.
func (w *walker) retryLater(run *lockedRun, c *container) {
	if w.stopped || !c.asked || c.skip != nil || w.at+1 >= run.parts || !w.lockedSince(run) {
		return
	}
	run.after = *run.part
	*run.part = run.before
	run.added = slices.Clone(w.m.Parts[run.parts:])
	run.found = slices.Clone(w.m.Problems[run.problems:])
	clear(w.m.Parts[run.parts:])
	w.m.Parts = w.m.Parts[:run.parts]
	w.m.Problems = w.m.Problems[:run.problems]
	w.pwParts = min(w.pwParts, run.parts)
	run.members, run.total = w.members-run.members, w.total-run.total // what the run counted
	run.tries = c.tries
	run.offered = map[string]bool{}
	for _, pw := range w.candidates() {
		run.offered[pw.text] = true
	}
	w.later = append(w.later, run)
}

// lockedSince says the run left its container shut for want of a password.
func (w *walker) lockedSince(run *lockedRun) bool {
	for _, pr := range w.m.Problems[run.problems:] {
		if pr.Part == run.part.Path && (pr.Reason == ReasonEncrypted || pr.Reason == ReasonEncryptedDoc) {
			return true
		}
	}
	return false
}

// retryLocked tries each container set aside again, with the passwords
// found since it was, or puts its first result back.
func (w *walker) retryLocked() {
	later := w.later
	w.later = nil
	for i, run := range later {
		if w.stopped || w.expired() || run.tries >= w.lim.MaxPasswordTries || !w.newPassword(run) {
			w.putBackRun(run)
			continue
		}
		// Its first members and their counts give way to the retry's.
		for _, p := range run.added {
			delete(w.paths, p.Path)
		}
		w.members -= run.members
		w.total -= run.total
		*run.part = run.before
		c := &container{w: w, part: run.part, kind: run.kind.name, base: w.base(run.part, run.kind.name), tries: run.tries, skip: run.offered}
		w.runContainer(c, run.kind) // a retry (skip set) is never set aside again
		if w.stopped {
			for _, r := range later[i+1:] {
				w.putBackRun(r)
			}
			return
		}
	}
}

// newPassword says the message now offers a password the run was not.
func (w *walker) newPassword(run *lockedRun) bool {
	for _, pw := range w.candidates() {
		if !run.offered[pw.text] {
			return true
		}
	}
	return false
}

// putBack puts back every run still set aside (the walk ended early).
func (w *walker) putBack() {
	for _, run := range w.later {
		w.putBackRun(run)
	}
	w.later = nil
}

// putBackRun restores a run's first result: the part as it left it, its
// members and problems (their counts never left the budgets).
func (w *walker) putBackRun(run *lockedRun) {
	*run.part = run.after
	w.m.Parts = append(w.m.Parts, run.added...)
	w.m.Problems = append(w.m.Problems, run.found...)
}
