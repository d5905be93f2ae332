package console

import (
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kensa-milter/kensa/internal/mailview"
	"github.com/kensa-milter/kensa/quarantine"
)

const pageSize = 50

// maxPage bounds the page number (a million messages at 50 a page).
const maxPage = 20000

// maxBulk bounds one bulk action.
const maxBulk = 500

var funcs = template.FuncMap{
	"safe": func(s string) string { return mailview.Safe(s, 500) },
	"time": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format("2006-01-02 15:04 UTC")
	},
	"join": func(ss []string) string { return mailview.Safe(strings.Join(ss, ", "), 1000) },
	"sender": func(s string) string {
		if s == "" {
			return "<>"
		}
		return mailview.Safe(s, 300)
	},
}

// list shows entries: all of them for admins (with filters), the
// recipient's own for end users.
func (c *Console) list(w http.ResponseWriter, r *http.Request, u who) {
	q := r.URL.Query()
	f := quarantine.Filter{Limit: pageSize + 1}
	page, _ := strconv.Atoi(q.Get("page"))
	page = min(max(page, 0), maxPage) // page*pageSize must not overflow
	f.Offset = page * pageSize
	form := map[string]string{}
	for _, k := range []string{"recipient", "sender", "reason", "status", "since", "until", "q"} {
		form[k] = strings.TrimSpace(q.Get(k))
		if len(form[k]) > 500 {
			form[k] = form[k][:500]
		}
	}
	var problems []string
	f.Sender, f.Reason, f.Search = form["sender"], form["reason"], form["q"]
	switch st := quarantine.Status(form["status"]); st {
	case "", quarantine.Held, quarantine.Released, quarantine.Deleted:
		f.Status = st
	default:
		problems = append(problems, "unknown status")
	}
	for _, d := range []struct {
		key string
		t   *time.Time
	}{{"since", &f.Since}, {"until", &f.Until}} {
		if v := form[d.key]; v != "" {
			t, err := time.Parse("2006-01-02", v)
			if err != nil {
				problems = append(problems, d.key+" is not a date like 2006-01-02")
				continue
			}
			if d.key == "until" {
				t = t.Add(24 * time.Hour)
			}
			*d.t = t
		}
	}
	if u.admin() {
		f.Recipient = form["recipient"]
	} else {
		f.Recipient = u.sess.recipient // end users see their own mail only
		if f.Status == quarantine.Deleted {
			f.Status = ""
		}
	}
	ctx, cancel := reqCtx(r)
	defer cancel()
	entries, err := c.o.Store.List(ctx, f)
	if err != nil {
		c.o.Log.WithError(err).Error("console: list")
		c.fail(w, r, http.StatusInternalServerError, "The quarantine could not be read.")
		return
	}
	more := len(entries) > pageSize
	if more {
		entries = entries[:pageSize]
	}
	pageURL := func(p int) string {
		v := r.URL.Query()
		v.Set("page", strconv.Itoa(p))
		return u.base() + "?" + v.Encode()
	}
	data := c.common(u, "Quarantine")
	data["Entries"] = entries
	data["Form"] = form
	data["Problems"] = problems
	if page > 0 {
		data["Prev"] = pageURL(page - 1)
	}
	if more {
		data["Next"] = pageURL(page + 1)
	}
	data["Page"] = page + 1
	c.render(w, http.StatusOK, "list", data)
}

func (c *Console) common(u who, title string) map[string]any {
	return map[string]any{"Title": title, "Admin": u.admin(), "Who": u.name(), "Recipient": u.sess.recipient,
		"Base": u.base(), "CSRF": u.sess.csrf, "AllowSender": u.admin() && c.o.AllowSender != nil}
}

// entryFor loads an entry the person may see: an end user only entries
// they are a recipient of (anything else is "not found").
func (c *Console) entryFor(r *http.Request, u who, id string) (*quarantine.Entry, error) {
	ctx, cancel := reqCtx(r)
	defer cancel()
	e, err := c.o.Store.Get(ctx, id)
	if err != nil {
		return nil, err
	}
	if !u.admin() && !isRecipient(e, u.sess.recipient) {
		return nil, quarantine.ErrNotFound
	}
	return e, nil
}

func isRecipient(e *quarantine.Entry, addr string) bool {
	for _, r := range e.Envelope.Recipients {
		if strings.EqualFold(strings.TrimSpace(r), addr) {
			return true
		}
	}
	return false
}

// soleRecipient: an end user may delete an entry only when nobody else
// shares it (Delete drops the message for every recipient).
func soleRecipient(e *quarantine.Entry, addr string) bool {
	for _, r := range e.Envelope.Recipients {
		if !strings.EqualFold(strings.TrimSpace(r), addr) {
			return false
		}
	}
	return len(e.Envelope.Recipients) > 0
}

func (c *Console) view(w http.ResponseWriter, r *http.Request, u who) {
	e, err := c.entryFor(r, u, r.PathValue("id"))
	if err != nil {
		c.notFound(w, r, err)
		return
	}
	data := c.common(u, "Message")
	data["E"] = e
	data["Status"] = string(e.Status())
	data["NeedsAdmin"] = e.NeedsAdmin()
	data["AdminOnlyUnscannable"] = !e.NeedsAdmin() && c.adminOnly(e)
	data["CanRelease"] = e.Status() == quarantine.Held && (u.admin() || !c.adminOnly(e)) && (u.admin() || !releasedTo(e, u.sess.recipient))
	data["CanDelete"] = e.Status() != quarantine.Deleted && (u.admin() || soleRecipient(e, u.sess.recipient))
	// Admins see every recipient's state and who acted; an end user only
	// their own copy's, and never other recipients or admins' names.
	type released struct {
		Addr, By string
		At       time.Time
	}
	var rel []released
	for _, r := range e.ReleasedTo {
		switch {
		case u.admin():
			rel = append(rel, released{r.Addr, r.ReleasedBy, r.ReleasedAt})
		case strings.EqualFold(r.Addr, u.sess.recipient):
			by := "an administrator"
			if r.ReleasedBy == u.name() {
				by = "you"
			}
			rel = append(rel, released{r.Addr, by, r.ReleasedAt})
		}
	}
	data["ReleasedRows"] = rel
	if u.admin() {
		data["ReleaseError"] = e.ReleaseError
		data["DeletedBy"] = e.DeletedBy
	} else if e.DeletedBy == u.name() {
		data["DeletedBy"] = "you"
	} else {
		data["DeletedBy"] = "an administrator"
	}
	data["CanConfirm"] = u.admin() && c.o.Confirm != nil && e.Raw != nil
	if u.admin() {
		// How often each finding was among those of released mail: the
		// checks that cost users mail.
		ctx, cancel := reqCtx(r)
		released, err := c.o.Store.ReleasedFindings(ctx)
		cancel()
		if err != nil {
			c.o.Log.WithError(err).Warn("console: released findings")
		}
		data["ReleasedFindings"] = released
	}
	if e.Raw != nil {
		data["Headers"] = mailview.Headers(e.Raw)
		parts, err := mailview.TextParts(e.Raw)
		data["Parts"] = parts
		if err != nil {
			data["ParseError"] = mailview.Safe(err.Error(), 500)
		}
	}
	c.render(w, http.StatusOK, "view", data)
}

// adminOnly: only an admin may release e (malicious, or, unless the
// config lets end users, not scanned in full).
func (c *Console) adminOnly(e *quarantine.Entry) bool {
	return e.NeedsAdmin() || (!c.o.UserReleaseUnscannable && e.Unscannable())
}

func releasedTo(e *quarantine.Entry, addr string) bool {
	for _, r := range e.ReleasedTo {
		if strings.EqualFold(r.Addr, addr) {
			return true
		}
	}
	return false
}

func (c *Console) notFound(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, quarantine.ErrNotFound) {
		c.fail(w, r, http.StatusNotFound, "No such message.")
		return
	}
	c.o.Log.WithError(err).Error("console: get")
	c.fail(w, r, http.StatusInternalServerError, "The quarantine could not be read.")
}

// raw downloads the message as stored, under a name we choose.
func (c *Console) raw(w http.ResponseWriter, r *http.Request, u who) {
	e, err := c.entryFor(r, u, r.PathValue("id"))
	if err != nil {
		c.notFound(w, r, err)
		return
	}
	if e.Raw == nil {
		c.fail(w, r, http.StatusGone, "The message was deleted.")
		return
	}
	c.o.Log.WithFields(u.fields()).WithFields(logrus.Fields{"action": "download", "id": e.ID, "ref": e.Verdict.Ref, "remote": c.clientIP(r)}).Info("console action")
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", `attachment; filename="`+e.ID+`.eml"`)
	w.Header().Set("Content-Length", strconv.Itoa(len(e.Raw)))
	_, _ = w.Write(e.Raw)
}

// outcome is one line of an action's result page.
type outcome struct {
	ID, Text string
	OK       bool
}

// act releases or deletes the ids in the form (one or many).
func (c *Console) act(w http.ResponseWriter, r *http.Request, u who) {
	action := r.PostFormValue("action")
	if action == "confirm" && (!u.admin() || c.o.Confirm == nil) {
		c.fail(w, r, http.StatusForbidden, "Only an administrator can confirm a message as malicious.")
		return
	}
	if action != "release" && action != "delete" && action != "confirm" {
		c.fail(w, r, http.StatusBadRequest, "Unknown action.")
		return
	}
	ids := r.PostForm["id"]
	if len(ids) == 0 || len(ids) > maxBulk {
		c.fail(w, r, http.StatusBadRequest, fmt.Sprintf("Select from 1 to %d messages.", maxBulk))
		return
	}
	allow := action == "release" && u.admin() && c.o.AllowSender != nil && r.PostFormValue("allow_sender") == "1"
	var results []outcome
	for _, id := range ids {
		results = append(results, c.act1(r, u, action, id, allow))
	}
	data := c.common(u, "Done")
	data["Results"] = results
	code := http.StatusOK
	for _, o := range results {
		if !o.OK && strings.HasPrefix(o.Text, "not allowed") {
			code = http.StatusForbidden
		}
	}
	c.render(w, code, "result", data)
}

func (c *Console) act1(r *http.Request, u who, action, id string, allow bool) outcome {
	id = strings.ToLower(strings.TrimSpace(id))
	out := outcome{ID: mailview.Safe(id, 40)}
	e, err := c.entryFor(r, u, id)
	if err != nil {
		out.Text = "no such message"
		return out
	}
	log := c.o.Log.WithFields(u.fields()).WithFields(logrus.Fields{"action": action, "id": e.ID, "ref": e.Verdict.Ref, "remote": c.clientIP(r)})
	ctx, cancel := reqCtx(r)
	defer cancel()
	switch action {
	case "release":
		if !u.admin() && !e.NeedsAdmin() && c.adminOnly(e) {
			log.Warn("console: release refused: not scanned in full, admins only")
			out.Text = "not allowed: part of this message could not be scanned; only an administrator can release it"
			return out
		}
		if !u.admin() && e.NeedsAdmin() {
			log.Warn("console: release refused: malicious, admins only")
			out.Text = "not allowed: this message looked malicious; only an administrator can release it"
			return out
		}
		var only []string
		if !u.admin() {
			only = []string{u.sess.recipient} // their own copy
		}
		res, err := c.o.Store.Release(ctx, e.ID, u.name(), c.o.Deliver, only...)
		if err != nil {
			log.WithError(err).Warn("console: release failed")
			out.Text = "release failed: " + mailview.Safe(err.Error(), 500)
			return out
		}
		log.WithField("delivered", res.Delivered).Info("console action")
		out.OK, out.Text = true, mailview.Safe(res.String(), 500)
		if !u.admin() && res.AlreadyReleased {
			out.Text = "already released" // not by whom
		}
		if allow {
			added, err := c.o.AllowSender(e.Envelope.Sender, e.Envelope.Recipients)
			switch {
			case err != nil:
				out.Text += "; sender not allow-listed: " + mailview.Safe(err.Error(), 200)
			case added:
				log.WithFields(logrus.Fields{"action": "allow-sender", "sender": e.Envelope.Sender}).Info("console action")
				out.Text += "; sender allow-listed (takes effect on the next reload)"
			default:
				out.Text += "; sender already allow-listed"
			}
		}
	case "delete":
		if !u.admin() && !soleRecipient(e, u.sess.recipient) {
			log.Warn("console: delete refused: other recipients share the message")
			out.Text = "not allowed: other people received this message too; ask an administrator"
			return out
		}
		if err := c.o.Store.Delete(ctx, e.ID, u.name()); err != nil {
			log.WithError(err).Warn("console: delete failed")
			out.Text = "delete failed: " + mailview.Safe(err.Error(), 500)
			return out
		}
		log.Info("console action")
		out.OK, out.Text = true, "deleted"
	case "confirm":
		n, err := c.o.Confirm(ctx, e, u.name())
		if err != nil {
			log.WithError(err).Warn("console: confirm failed")
			out.Text = "confirm failed: " + mailview.Safe(err.Error(), 500)
			return out
		}
		log.WithField("parts", n).Info("console action")
		out.OK, out.Text = true, fmt.Sprintf("confirmed malicious: %d part(s) remembered; every host flags copies and variants within a minute", n)
	}
	return out
}
