package console

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kensa-milter/kensa/internal/mailview"
	"github.com/kensa-milter/kensa/quarantine"
)

// Digest mails each recipient a list of their newly quarantined messages
// with links to the console. What counts as new is kept as a watermark (the
// time of the last digest) in the store's database, and a run holds the
// store's "digest" lock: hosts sharing a PostgreSQL store may all schedule
// the digest, one sends it.
type Digest struct {
	Store     quarantine.Store
	Links     *Links
	PublicURL string        // the console's public address
	LinkTTL   time.Duration // how long the links stay valid
	From      string        // sender address of the digest
	Domains   []string      // only recipients in these domains; empty = nobody
	StatePath string        // the watermark file of older versions, read once when the database has none
	// Send delivers one digest message (through the release relay).
	Send func(ctx context.Context, from, to string, msg []byte) error
	Log  logrus.FieldLogger
}

// Bounds on one digest run.
const (
	maxDigestEntries = 100000 // entries read per run
	maxDigestLines   = 200    // messages listed in one mail
	firstDigestSpan  = 24 * time.Hour
)

// Run sends the digests for everything quarantined since the last run (the
// first run covers the last 24 hours) up to now, and says how many mails
// it sent. The watermark moves to now only when every mail was sent, so a
// failed run is repeated.
func (d *Digest) Run(ctx context.Context, now time.Time) (sent int, err error) {
	ran, err := d.Store.Exclusive(ctx, "digest", func(ctx context.Context) error {
		sent, err = d.run(ctx, now)
		return err
	})
	if err == nil && !ran {
		d.Log.WithField("action", "digest").Info("quarantine digest: another host is sending it now")
	}
	return sent, err
}

// watermarkName is the digest's watermark in the store.
const watermarkName = "digest_watermark"

func (d *Digest) run(ctx context.Context, now time.Time) (int, error) {
	since, err := d.watermark(ctx)
	if err != nil {
		return 0, err
	}
	if since.IsZero() {
		since = now.Add(-firstDigestSpan)
	}
	byRcpt := map[string][]quarantine.Entry{}
	for off := 0; off < maxDigestEntries; off += quarantine.MaxLimit {
		list, err := d.Store.List(ctx, quarantine.Filter{Since: since, Until: now, Status: quarantine.Held, Limit: quarantine.MaxLimit, Offset: off})
		if err != nil {
			return 0, fmt.Errorf("digest: list: %w", err)
		}
		for _, e := range list {
			done := map[string]bool{}
			for _, r := range e.ReleasedTo {
				done[strings.ToLower(r.Addr)] = true
			}
			for _, r := range e.Envelope.Recipients {
				k := strings.ToLower(strings.TrimSpace(r))
				if done[k] || !d.wanted(k) {
					continue
				}
				done[k] = true
				byRcpt[k] = append(byRcpt[k], e)
			}
		}
		if len(list) < quarantine.MaxLimit {
			break
		}
	}
	rcpts := make([]string, 0, len(byRcpt))
	for r := range byRcpt {
		rcpts = append(rcpts, r)
	}
	sort.Strings(rcpts)
	sent := 0
	var errs []error
	for _, r := range rcpts {
		msg := d.message(r, byRcpt[r], since, now)
		if err := d.Send(ctx, d.From, r, msg); err != nil {
			errs = append(errs, fmt.Errorf("digest to %s: %w", mailview.Safe(r, 200), err))
			continue
		}
		sent++
		d.Log.WithFields(logrus.Fields{"action": "digest", "recipient": r, "messages": len(byRcpt[r])}).Info("quarantine digest sent")
	}
	if len(errs) > 0 {
		return sent, errors.Join(errs...)
	}
	if err := d.Store.SetTime(ctx, watermarkName, now); err != nil {
		return sent, fmt.Errorf("digest: %w", err)
	}
	return sent, nil
}

// wanted: a deliverable address in one of the configured domains.
func (d *Digest) wanted(addr string) bool {
	at := strings.LastIndexByte(addr, '@')
	if at <= 0 || at == len(addr)-1 || strings.ContainsFunc(addr, func(r rune) bool { return r <= ' ' || r == '<' || r == '>' || r == 0x7f }) {
		return false
	}
	// No domains, no digest: sending to every recipient would give
	// external recipients of quarantined outbound mail console links.
	dom := addr[at+1:]
	for _, x := range d.Domains {
		if strings.EqualFold(strings.TrimPrefix(x, "@"), dom) {
			return true
		}
	}
	return false
}

// message builds one recipient's digest: plain text, quoted-printable.
func (d *Digest) message(rcpt string, entries []quarantine.Entry, since, now time.Time) []byte {
	base := UserURL(d.PublicURL, d.Links.Token(rcpt, now.Add(d.LinkTTL)))
	var body bytes.Buffer
	fmt.Fprintf(&body, "%d new message(s) addressed to %s were put in quarantine since %s.\n", len(entries), rcpt, since.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&body, "Open a message's link to look at it and release or delete it. The links work until %s.\n\n", now.Add(d.LinkTTL).Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&body, "All your quarantined mail:\n%s\n\n", base)
	for i, e := range entries {
		if i == maxDigestLines {
			fmt.Fprintf(&body, "… and %d more: see the link above.\n", len(entries)-i)
			break
		}
		subj := mailview.Safe(e.Subject, 120)
		if subj == "" {
			subj = "(no subject)"
		}
		sender := e.Envelope.Sender
		if sender == "" {
			sender = "<>"
		}
		note := ""
		if e.NeedsAdmin() {
			note = " [malicious: only an administrator can release it]"
		}
		fmt.Fprintf(&body, "* %s  from %s\n  %s%s\n  %sm/%s\n\n", e.QuarantinedAt.Local().Format("2006-01-02 15:04"),
			mailview.Safe(sender, 200), subj, note, base, e.ID)
	}
	var id [12]byte
	_, _ = rand.Read(id[:])
	var m bytes.Buffer
	fmt.Fprintf(&m, "From: %s\r\nTo: %s\r\n", d.From, rcpt)
	fmt.Fprintf(&m, "Subject: %s\r\n", mime.QEncoding.Encode("utf-8", fmt.Sprintf("Quarantine digest: %d new message(s)", len(entries))))
	fmt.Fprintf(&m, "Date: %s\r\nMessage-ID: <%s.digest@kensa>\r\nAuto-Submitted: auto-generated\r\n", now.Format(time.RFC1123Z), hex.EncodeToString(id[:]))
	m.WriteString("MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n")
	qp := quotedprintable.NewWriter(&m)
	_, _ = qp.Write(bytes.ReplaceAll(body.Bytes(), []byte("\n"), []byte("\r\n")))
	_ = qp.Close()
	m.WriteString("\r\n")
	return m.Bytes()
}

// watermark is the time of the last digest: from the store, or (once,
// after an upgrade) from the file older versions kept.
func (d *Digest) watermark(ctx context.Context) (time.Time, error) {
	t, err := d.Store.Time(ctx, watermarkName)
	if err != nil || !t.IsZero() || d.StatePath == "" {
		return t, err
	}
	b, err := os.ReadFile(d.StatePath)
	if os.IsNotExist(err) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("digest: %w", err)
	}
	t, err = time.Parse(time.RFC3339Nano, strings.TrimSpace(string(b)))
	if err != nil {
		return time.Time{}, fmt.Errorf("digest: watermark %s: %w", d.StatePath, err)
	}
	return t, nil
}

// Schedule runs the digest daily at hour:minute local time (when daily) or
// every interval, until ctx ends.
func (d *Digest) Schedule(ctx context.Context, daily bool, hour, minute int, interval time.Duration) {
	for {
		now := time.Now()
		var next time.Time
		if daily {
			next = time.Date(now.Year(), now.Month(), now.Day(), hour, minute, 0, 0, now.Location())
			if !next.After(now) {
				next = next.AddDate(0, 0, 1)
			}
		} else {
			next = now.Add(max(interval, time.Minute))
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Until(next)):
		}
		n, err := d.Run(ctx, time.Now())
		if err != nil && ctx.Err() == nil {
			d.Log.WithError(err).WithField("sent", n).Error("quarantine digest failed")
		}
	}
}
