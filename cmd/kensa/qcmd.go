package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/user"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kensa-milter/kensa/config"
	"github.com/kensa-milter/kensa/console"
	"github.com/kensa-milter/kensa/internal/mailview"
	"github.com/kensa-milter/kensa/known"
	"github.com/kensa-milter/kensa/quarantine"
)

const quarantineUsage = `Usage:
  kensa quarantine list    [--config FILE] [--recipient ADDR|@DOMAIN] [--sender ADDR|@DOMAIN] [--reason R]
                           [--since 24h|2006-01-02] [--status held|released|deleted] [--limit N] [--json]
  kensa quarantine show    [--config FILE] ID
  kensa quarantine release [--config FILE] [--allow-sender] ID...
  kensa quarantine delete  [--config FILE] ID...
  kensa quarantine purge   [--config FILE]
  kensa quarantine digest  [--config FILE] --now
  kensa quarantine link    [--config FILE] RECIPIENT
  kensa quarantine confirm [--config FILE] ID...   (remember its parts as known malicious: kensa known)
Every command also takes --state-dir DIR.
`

// quarantineCmd runs "kensa quarantine …". Exit codes: 0 done, 1 some ID
// could not be handled (not found, deleted, relay refused), 2 usage, config
// or store error.
func quarantineCmd(args []string, stdout, stderr io.Writer) int {
	c, args, code, ok := newSubcommand("quarantine", quarantineUsage, args, stdout, stderr)
	if !ok {
		return code
	}
	sub, fs, fail := c.name, c.fs, c.fail
	var (
		rcpt, sender, reason, since, status *string
		limit                               *int
		asJSON, allowSender, now            *bool
	)
	switch sub {
	case "list":
		rcpt = fs.String("recipient", "", "only mail to this address or @domain")
		sender = fs.String("sender", "", "only mail from this address or @domain (<> for the null sender)")
		reason = fs.String("reason", "", "only mail with this verdict reason (malicious, score, unscannable, …)")
		since = fs.String("since", "", "only mail quarantined since: a duration (24h) or a date (2006-01-02)")
		status = fs.String("status", "", "held, released or deleted (default: held and released)")
		limit = fs.Int("limit", quarantine.DefaultLimit, "at most this many entries")
		asJSON = fs.Bool("json", false, "print a JSON array")
	case "release":
		allowSender = fs.Bool("allow-sender", false, "also add each released message's sender to the allowed-senders file")
	case "digest":
		now = fs.Bool("now", false, "send the digest now")
	case "show", "delete", "purge", "link", "confirm":
	default:
		return c.unknown()
	}
	cfg, ok := c.parse(args)
	if !ok {
		return exitError
	}
	ids := fs.Args()
	switch sub {
	case "show":
		if len(ids) != 1 {
			return fail(errors.New("want exactly one ID"))
		}
	case "release", "delete", "confirm":
		if len(ids) == 0 {
			return fail(errors.New("want at least one ID"))
		}
	case "link":
		if len(ids) != 1 {
			return fail(errors.New("want exactly one recipient address"))
		}
	default:
		if len(ids) > 0 {
			return fail(fmt.Errorf("unexpected argument %q", ids[0]))
		}
	}
	if sub == "link" {
		return qLink(cfg, ids[0], stdout, stderr)
	}
	if sub == "digest" && !*now {
		return fail(errors.New("say --now to send the digest now (serve sends it on schedule)"))
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st, err := openStore(ctx, cfg)
	if err != nil {
		return fail(err)
	}
	defer st.Close()
	switch sub {
	case "list":
		f := quarantine.Filter{Recipient: *rcpt, Sender: *sender, Reason: *reason, Status: quarantine.Status(*status), Limit: *limit}
		if f.Since, err = parseSince(*since, time.Now()); err != nil {
			return fail(err)
		}
		switch f.Status {
		case "", quarantine.Held, quarantine.Released, quarantine.Deleted:
		default:
			return fail(fmt.Errorf("--status %q: want held, released or deleted", *status))
		}
		return qList(ctx, st, f, *asJSON, stdout, stderr)
	case "show":
		return qShow(ctx, st, ids[0], stdout, stderr)
	case "release":
		return qRelease(ctx, cfg, st, ids, *allowSender, stdout, stderr)
	case "delete":
		return qDelete(ctx, st, ids, stdout, stderr)
	case "purge":
		n, err := st.Purge(ctx, time.Now())
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(stdout, "purged %d expired entries\n", n)
		return exitOK
	case "digest":
		return qDigest(ctx, cfg, st, stdout, stderr)
	case "confirm":
		return qConfirm(ctx, cfg, st, ids, stdout, stderr)
	}
	return exitOK
}

// parseSince reads a duration back from now or a date (UTC midnight).
func parseSince(s string, now time.Time) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if d, err := time.ParseDuration(s); err == nil && d > 0 {
		return now.Add(-d), nil
	}
	for _, layout := range []string{"2006-01-02", time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("--since %q: want a duration like 24h or a date like 2006-01-02", s)
}

// cliUser is who the CLI acts as, for the release and delete records.
func cliUser() string {
	name := "unknown"
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	return "cli:" + name
}

func qList(ctx context.Context, st quarantine.Store, f quarantine.Filter, asJSON bool, stdout, stderr io.Writer) int {
	list, err := st.List(ctx, f)
	if err != nil {
		fmt.Fprintf(stderr, "kensa quarantine list: %v\n", err)
		return exitError
	}
	if asJSON {
		if list == nil {
			list = []quarantine.Entry{}
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(list); err != nil {
			return exitError
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tQUARANTINED (UTC)\tSTATUS\tSENDER\tRECIPIENTS\tREASONS\tSUBJECT")
	for _, e := range list {
		rcpts := strings.Join(e.Envelope.Recipients, ",")
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.QuarantinedAt.UTC().Format("2006-01-02 15:04"), e.Status(),
			cell(orNull(e.Envelope.Sender), 40), cell(rcpts, 50), cell(strings.Join(e.Verdict.Reasons, ","), 30), cell(e.Subject, 60))
	}
	tw.Flush()
	return exitOK
}

// cell makes a sender-chosen value fit one table cell.
func cell(s string, n int) string {
	return strings.ReplaceAll(mailview.Safe(s, n), "\t", `\x09`)
}

func orNull(s string) string {
	if s == "" {
		return "<>"
	}
	return s
}

func qShow(ctx context.Context, st quarantine.Store, id string, stdout, stderr io.Writer) int {
	e, err := st.Get(ctx, id)
	if err != nil {
		fmt.Fprintf(stderr, "kensa quarantine show: %v\n", err)
		if errors.Is(err, quarantine.ErrNotFound) {
			return exitFlagged
		}
		return exitError
	}
	safe := func(s string) string { return mailview.Safe(s, 2000) }
	w := stdout
	fmt.Fprintf(w, "ID:          %s\n", e.ID)
	fmt.Fprintf(w, "Status:      %s\n", e.Status())
	fmt.Fprintf(w, "Quarantined: %s (expires %s)\n", e.QuarantinedAt.UTC().Format(time.RFC3339), e.ExpiresAt.UTC().Format(time.RFC3339))
	fmt.Fprintf(w, "Sender:      %s\n", safe(orNull(e.Envelope.Sender)))
	for _, r := range e.Envelope.Recipients {
		fmt.Fprintf(w, "Recipient:   %s\n", safe(r))
	}
	fmt.Fprintf(w, "Client:      %s [%s] helo=%s\n", safe(e.Envelope.ClientHost), safe(e.Envelope.ClientAddr), safe(e.Envelope.Helo))
	fmt.Fprintf(w, "Queue ID:    %s\n", safe(e.Envelope.QueueID))
	fmt.Fprintf(w, "Size:        %d bytes\n", e.Size)
	v := e.Verdict
	fmt.Fprintf(w, "Verdict:     %s score=%d reasons=%s ref=%s\n", v.Action, v.Score, safe(strings.Join(v.Reasons, ",")), safe(v.Ref))
	if e.NeedsAdmin() {
		fmt.Fprintln(w, "Malicious:   yes (only an admin may release it)")
	}
	for _, f := range v.Findings {
		fmt.Fprintf(w, "Finding:     %s/%s (%s) %s score=%d %s\n", safe(f.Scanner), safe(f.ID), safe(f.Part), f.Severity, f.Score, safe(f.Detail))
	}
	for _, r := range e.ReleasedTo {
		fmt.Fprintf(w, "Released:    to %s at %s by %s\n", safe(r.Addr), r.ReleasedAt.UTC().Format(time.RFC3339), safe(r.ReleasedBy))
	}
	if e.ReleaseError != "" {
		fmt.Fprintf(w, "Last error:  %s (%s)\n", safe(e.ReleaseError), e.ReleaseErrorAt.UTC().Format(time.RFC3339))
	}
	if !e.DeletedAt.IsZero() {
		fmt.Fprintf(w, "Deleted:     at %s by %s\n", e.DeletedAt.UTC().Format(time.RFC3339), safe(e.DeletedBy))
		return exitOK
	}
	fmt.Fprintln(w, "\n--- Header")
	for _, h := range mailview.Headers(e.Raw) {
		fmt.Fprintf(w, "%s: %s\n", h.Name, h.Value)
	}
	parts, err := mailview.TextParts(e.Raw)
	if err != nil {
		fmt.Fprintf(w, "\n(the message could not be parsed: %s)\n", safe(err.Error()))
	}
	for _, p := range parts {
		fmt.Fprintf(w, "\n--- Part %s (%s)\n%s\n", safe(p.Path), safe(p.Type), p.Text)
		if p.Cut {
			fmt.Fprintln(w, "[… cut]")
		}
	}
	return exitOK
}

func qRelease(ctx context.Context, cfg *config.Config, st quarantine.Store, ids []string, allowSender bool, stdout, stderr io.Writer) int {
	relay := relayFor(cfg)
	by := cliUser()
	code := exitOK
	for _, id := range ids {
		e, err := st.Get(ctx, id)
		if err == nil {
			var res quarantine.ReleaseResult
			res, err = st.Release(ctx, id, by, relay.Deliver)
			if err == nil {
				note := ""
				if e.NeedsAdmin() {
					note = " (malicious; released by an admin)"
				}
				fmt.Fprintf(stdout, "%s: %s%s\n", e.ID, mailview.Safe(res.String(), 2000), note)
			}
		}
		if err != nil {
			fmt.Fprintf(stderr, "%s: %s\n", mailview.Safe(id, 100), mailview.Safe(err.Error(), 2000))
			code = exitFlagged
			continue
		}
		if allowSender {
			path := cfg.AllowSendersPath()
			added, err := appendAllowSender(path, e.Envelope.Sender, e.Envelope.Recipients)
			switch {
			case err != nil:
				fmt.Fprintf(stderr, "%s: %s\n", e.ID, mailview.Safe(err.Error(), 2000))
				code = exitFlagged
			case added:
				fmt.Fprintf(stdout, "%s: sender %s added to %s (reload kensa with SIGHUP to apply)\n", e.ID, mailview.Safe(e.Envelope.Sender, 500), path)
			default:
				fmt.Fprintf(stdout, "%s: sender %s is already allowed\n", e.ID, mailview.Safe(e.Envelope.Sender, 500))
			}
		}
	}
	return code
}

func qDelete(ctx context.Context, st quarantine.Store, ids []string, stdout, stderr io.Writer) int {
	by := cliUser()
	code := exitOK
	for _, id := range ids {
		if err := st.Delete(ctx, id, by); err != nil {
			fmt.Fprintf(stderr, "%s: %s\n", mailview.Safe(id, 100), mailview.Safe(err.Error(), 2000))
			code = exitFlagged
			continue
		}
		fmt.Fprintf(stdout, "%s: deleted\n", strings.ToLower(id))
	}
	return code
}

func qLink(cfg *config.Config, rcpt string, stdout, stderr io.Writer) int {
	if cfg.Console.PublicURL == "" {
		fmt.Fprintln(stderr, "kensa quarantine link: set console.public_url first")
		return exitError
	}
	if !console.LinkAddress(strings.TrimSpace(rcpt)) {
		fmt.Fprintf(stderr, "kensa quarantine link: %q is not one address: a link shows one mailbox's quarantine, never a domain's\n", mailview.Safe(rcpt, 200))
		return exitError
	}
	l, err := links(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "kensa quarantine link: %v\n", err)
		return exitError
	}
	fmt.Fprintln(stdout, console.UserURL(cfg.Console.PublicURL, l.Token(rcpt, time.Now().Add(cfg.Console.LinkTTL.D()))))
	return exitOK
}

func qDigest(ctx context.Context, cfg *config.Config, st quarantine.Store, stdout, stderr io.Writer) int {
	log := logrus.New()
	log.SetOutput(stderr)
	d, err := newDigest(log, cfg, st)
	if err != nil {
		fmt.Fprintf(stderr, "kensa quarantine digest: %v\n", err)
		return exitError
	}
	n, err := d.Run(ctx, time.Now())
	fmt.Fprintf(stdout, "sent %d digest mail(s)\n", n)
	if err != nil {
		fmt.Fprintf(stderr, "kensa quarantine digest: %s\n", mailview.Safe(err.Error(), 4000))
		return exitFlagged
	}
	return exitOK
}

// qConfirm adds the parts of quarantined messages to the known set as
// malicious (the console's "Confirm malicious").
func qConfirm(ctx context.Context, cfg *config.Config, st quarantine.Store, ids []string, stdout, stderr io.Writer) int {
	ks, err := known.OpenStore(ctx, cfg.StoreDSN())
	if err != nil {
		fmt.Fprintf(stderr, "kensa quarantine confirm: %v\n", err)
		return exitError
	}
	defer ks.Close()
	by := cliUser()
	code := exitOK
	for _, id := range ids {
		e, err := st.Get(ctx, id)
		n := 0
		if err == nil {
			n, err = known.Confirm(ctx, ks, e.Raw, e.Verdict.Ref, by, cfg.UnpackOptions())
		}
		if err != nil {
			fmt.Fprintf(stderr, "%s: %s\n", mailview.Safe(id, 100), mailview.Safe(err.Error(), 2000))
			code = exitFlagged
			continue
		}
		fmt.Fprintf(stdout, "%s: %d part(s) remembered as malicious (ref %s)\n", e.ID, n, mailview.Safe(e.Verdict.Ref, 100))
	}
	return code
}
