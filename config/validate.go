package config

import (
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/scanners"
	"github.com/kensa-milter/kensa/scanners/clamd"
	"github.com/kensa-milter/kensa/scanners/heuristic"
	"github.com/kensa-milter/kensa/urls"
)

// badFunc reports one problem: the dotted key path it is about (the line is
// looked up from it) and what is wrong.
type badFunc func(path, format string, a ...any)

// sections are the validators, one per section of the file, in the order
// the file has them. Validate runs every one whatever the others found, so
// a mistake in one section never hides a mistake in another. A check that
// involves two sections lives with the key it names.
var sections = []struct {
	name  string
	check func(c *Config, bad badFunc)
}{
	{"listen, socket_mode", validateListen},
	{"log", validateLog},
	{"limits", validateLimits},
	{"known", validateKnown},
	{"similarity", validateSimilarity},
	{"yara", validateYARA},
	{"unpack", validateUnpack},
	{"heuristics", validateHeuristics},
	{"clamd", validateClamd},
	{"policy", validatePolicy},
	{"milter", validateMilter},
	{"http", validateHTTP},
	{"state_dir", validateStateDir},
	{"files", validateFiles},
	{"quarantine", validateQuarantine},
	{"console", validateConsole},
}

// Check is a check that lives outside this package (a listen address the
// milter package reads, say); bad reports a problem as the sections do.
type Check func(c *Config, bad func(path, format string, a ...any))

// Validate checks every value (and runs the extra checks) and returns an
// *Error listing all problems, those Parse found with them, in the order of
// their lines.
func (c *Config) Validate(extra ...Check) error {
	probs := slices.Clone(c.decodeProblems)
	bad := func(path, format string, a ...any) {
		msg := fmt.Sprintf(format, a...)
		if line := c.line(path); line > 0 {
			probs = append(probs, fmt.Sprintf("line %d: %s: %s", line, path, msg))
		} else {
			probs = append(probs, fmt.Sprintf("%s: %s", path, msg))
		}
	}
	for _, s := range sections {
		s.check(c, bad)
	}
	for _, check := range extra {
		check(c, bad)
	}
	if len(probs) == 0 {
		return nil
	}
	sortByLine(probs)
	return &Error{Problems: probs}
}

// intKey is one numeric key and its value, for the checks that are the same
// for several keys (must be positive, must not be negative).
type intKey struct {
	path string
	val  int64
}

func positive(bad badFunc, keys ...intKey) {
	for _, k := range keys {
		if k.val <= 0 {
			bad(k.path, "must be positive")
		}
	}
}

func notNegative(bad badFunc, keys ...intKey) {
	for _, k := range keys {
		if k.val < 0 {
			bad(k.path, "must not be negative")
		}
	}
}

// oneLine reports each value that has a line break: those go into SMTP
// replies and header fields.
func oneLine(bad badFunc, keys ...[2]string) {
	for _, k := range keys {
		if strings.ContainsAny(k[1], "\r\n") {
			bad(k[0], "must be one line")
		}
	}
}

func validateListen(c *Config, bad badFunc) {
	if c.Listen == "" {
		bad("listen", "must not be empty")
	}
	if _, err := c.SocketModeBits(); err != nil {
		bad("socket_mode", "%v", err)
	}
}

func validateLog(c *Config, bad badFunc) {
	switch c.Log.Level {
	case "debug", "info", "warn", "warning", "error":
	default:
		bad("log.level", "unknown level %q (want debug, info, warn or error)", c.Log.Level)
	}
	switch c.Log.Format {
	case "text", "json":
	default:
		bad("log.format", "unknown format %q (want text or json)", c.Log.Format)
	}
}

func validateLimits(c *Config, bad badFunc) {
	l := c.Limits
	positive(bad, intKey{"limits.max_message_size", int64(l.MaxMessageSize)}, intKey{"limits.max_header_size", int64(l.MaxHeaderSize)})
	notNegative(bad, intKey{"limits.scan_timeout", int64(l.ScanTimeout)}, intKey{"limits.shutdown_timeout", int64(l.ShutdownTimeout)})
	if a, err := parseAction(l.TooLargeAction); err != nil {
		bad("limits.too_large_action", "%v", err)
	} else if a == "tag" || a == "discard" {
		bad("limits.too_large_action", "%q is not allowed here (want accept, quarantine, reject or tempfail)", a)
	}
	notNegative(bad, intKey{"limits.verdict_cache", int64(l.VerdictCache)})
}

func validateKnown(c *Config, bad badFunc) {
	if c.Known.Refresh <= 0 || c.Known.Refresh > Duration(time.Minute) {
		bad("known.refresh", "must be between 1ns and 1m (every host sees a change within it)")
	}
}

func validateSimilarity(c *Config, bad badFunc) {
	if t := c.Similarity.Threshold; t < 0 || t > 300 {
		bad("similarity.threshold", "%d is not between 0 (off) and 300", t)
	}
}

func validateYARA(c *Config, bad badFunc) {
	notNegative(bad, intKey{"yara.timeout", int64(c.YARA.Timeout)})
	if c.YARA.WholeMessage != "trimmed" && c.YARA.WholeMessage != "full" {
		bad("yara.whole_message", "%q is not trimmed or full", c.YARA.WholeMessage)
	}
	if c.YARA.Images != "trimmed" && c.YARA.Images != "full" {
		bad("yara.images", "%q is not trimmed or full", c.YARA.Images)
	}
	if c.YARA.Packed != "trimmed" && c.YARA.Packed != "full" {
		bad("yara.packed", "%q is not trimmed or full", c.YARA.Packed)
	}
	if !c.YARA.Builtin && len(c.YARA.Rules) == 0 {
		bad("yara", "no rules: builtin is false and rules is empty")
	}
}

func validateUnpack(c *Config, bad badFunc) {
	u := c.Unpack
	positive(bad,
		intKey{"unpack.max_depth", int64(u.MaxDepth)}, intKey{"unpack.max_members", int64(u.MaxMembers)},
		intKey{"unpack.max_ratio", int64(u.MaxRatio)}, intKey{"unpack.max_password_tries", int64(u.MaxPasswordTries)},
		intKey{"unpack.max_total_size", int64(u.MaxTotalSize)}, intKey{"unpack.max_member_size", int64(u.MaxMemberSize)},
		intKey{"unpack.timeout", int64(u.Timeout)})
}

func validateHeuristics(c *Config, bad badFunc) {
	h := c.Heuristics
	positive(bad, intKey{"heuristics.dnsbl.max_queries", int64(h.DNSBL.MaxQueries)}, intKey{"heuristics.dnsbl.timeout", int64(h.DNSBL.Timeout)})
	known := map[string]bool{}
	for _, ci := range heuristic.Checks() {
		known[ci.ID] = true
	}
	for _, id := range slices.Sorted(maps.Keys(h.Checks)) { // one order, for keys on one line
		o := h.Checks[id]
		path := "heuristics.checks." + id
		if !known[id] {
			if near := nearest(id, slices.Collect(maps.Keys(known))); near != "" {
				bad(path, "unknown check %q; did you mean %s?", id, near)
			} else {
				bad(path, "unknown check %q (see docs/heuristics.md)", id)
			}
			continue
		}
		if o.Severity != nil {
			if _, err := scanners.ParseSeverity(*o.Severity); err != nil {
				bad(path+".severity", "%v", err)
			}
		}
		if o.Score != nil && *o.Score < 0 {
			bad(path+".score", "must not be negative")
		}
	}
	for i, d := range h.Protected {
		if _, err := urls.NewLookalikes([]string{d}); err != nil {
			bad(fmt.Sprintf("heuristics.protected_domains[%d]", i), "%q is not a domain name", d)
		}
	}
	// The zones and server are read by urls.NewDNSBL, as serve reads them
	// (it takes a "/" in a zone, which no DNS zone has).
	for i, z := range h.DNSBL.Zones {
		_, err := urls.NewDNSBL(urls.DNSBLConfig{Zones: []string{z}, Server: "127.0.0.1:53"})
		if err != nil || strings.ContainsAny(z, " /:@") {
			bad(fmt.Sprintf("heuristics.dnsbl.zones[%d]", i), "%q is not a DNS zone", z)
		}
	}
	if srv := h.DNSBL.Server; srv != "" || len(h.DNSBL.Zones) > 0 {
		if _, err := urls.NewDNSBL(urls.DNSBLConfig{Zones: []string{"example.net"}, Server: srv}); err != nil && srv != "" {
			bad("heuristics.dnsbl.server", "%q is not HOST:PORT, e.g. 127.0.0.1:53 (\"\" = the first nameserver in /etc/resolv.conf)", srv)
		} else if err != nil {
			bad("heuristics.dnsbl.server", "is empty and /etc/resolv.conf names no nameserver to use: set one")
		}
	}
}

func validateClamd(c *Config, bad badFunc) {
	d := c.Clamd
	if d.Address != "" {
		if _, _, err := clamd.ParseAddress(d.Address); err != nil {
			bad("clamd.address", "%v", err)
		}
	}
	positive(bad, intKey{"clamd.timeout", int64(d.Timeout)}, intKey{"clamd.max_size", int64(d.MaxSize)})
	if d.Concurrency < 1 || d.Concurrency > 256 {
		bad("clamd.concurrency", "%d is not from 1 to 256", d.Concurrency)
	}
	if d.TooLarge != "info" && d.TooLarge != "unscannable" {
		bad("clamd.too_large", "%q is not info or unscannable", d.TooLarge)
	}
}

func validatePolicy(c *Config, bad badFunc) {
	p := c.Policy
	for _, s := range [][2]string{{"policy.malicious", p.Malicious}, {"policy.unscannable", p.Unscannable}, {"policy.on_error", p.OnError}} {
		if _, err := parseAction(s[1]); err != nil {
			bad(s[0], "%v", err)
		}
	}
	if p.OnError != "tempfail" && p.OnError != "accept" {
		bad("policy.on_error", "must be tempfail (fail-closed) or accept (fail-open), not %q", p.OnError)
	}
	for _, s := range []intKey{{"policy.tag_score", int64(p.TagScore)}, {"policy.quarantine_score", int64(p.QuarantineScore)}, {"policy.reject_score", int64(p.RejectScore)}} {
		if s.val < 0 {
			bad(s.path, "must not be negative (0 disables)")
		}
	}
	if t, q := p.TagScore, p.QuarantineScore; t > 0 && q > 0 && t > q {
		bad("policy.tag_score", "%d is above quarantine_score %d", t, q)
	}
	for i, n := range p.Allow.Networks {
		if _, err := parseNetwork(n); err != nil {
			bad(fmt.Sprintf("policy.allow.networks[%d]", i), "%v", err)
		}
	}
	for _, list := range []struct {
		path  string
		addrs []string
	}{{"policy.allow.senders", p.Allow.Senders}, {"policy.allow.recipients", p.Allow.Recipients}} {
		for i, a := range list.addrs {
			if strings.TrimSpace(a) == "" || strings.ContainsAny(a, " \t\r\n") {
				bad(fmt.Sprintf("%s[%d]", list.path, i), "%q is not an address or domain", a)
			}
		}
	}
}

func validateMilter(c *Config, bad badFunc) {
	m := c.Milter
	if m.MaxConnections < 1 {
		bad("milter.max_connections", "must be at least 1")
	}
	if m.RejectCode < 500 || m.RejectCode > 599 {
		bad("milter.reject_code", "%d is not a 5xx SMTP code", m.RejectCode)
	}
	oneLine(bad, [2]string{"milter.reject_text", m.RejectText}, [2]string{"milter.tempfail_text", m.TempFailText}, [2]string{"milter.subject_prefix", m.SubjectPrefix})
}

func validateHTTP(c *Config, bad badFunc) {
	h := c.HTTP
	if h.Listen != "" {
		if err := validateHostPort(h.Listen); err != nil {
			bad("http.listen", "%v", err)
		}
	}
	if m := h.MetricsListen; m != "" {
		if err := validateHostPort(m); err != nil {
			bad("http.metrics_listen", "%v", err)
		} else if m == h.Listen {
			bad("http.metrics_listen", "is http.listen; leave it empty to serve /metrics there")
		}
	}
	for i, n := range h.TrustedProxies {
		if _, err := parseNetwork(n); err != nil {
			bad(fmt.Sprintf("http.trusted_proxies[%d]", i), "%v", err)
		}
	}
}

func validateStateDir(c *Config, bad badFunc) {
	if c.StateDir == "" || !filepath.IsAbs(c.StateDir) {
		bad("state_dir", "%q is not an absolute directory path", c.StateDir)
	}
}

func validateQuarantine(c *Config, bad badFunc) {
	q := c.Quarantine
	if !quarantineModes[q.Mode] {
		bad("quarantine.mode", "%q is not store, hold or header", q.Mode)
	}
	for _, r := range slices.Sorted(maps.Keys(q.Modes)) {
		switch {
		case !slices.Contains(policy.Reasons, r):
			if near := nearest(r, policy.Reasons); near != "" {
				bad("quarantine.modes."+r, "unknown verdict reason %q; did you mean %s?", r, near)
			} else {
				bad("quarantine.modes."+r, "unknown verdict reason %q (want %s)", r, strings.Join(policy.Reasons, ", "))
			}
		case !quarantineModes[q.Modes[r]]:
			bad("quarantine.modes."+r, "%q is not store, hold or header", q.Modes[r])
		}
	}
	if d := q.DSN; d != "" && !strings.HasPrefix(d, "sqlite:") && !strings.HasPrefix(d, "postgres://") && !strings.HasPrefix(d, "postgresql://") {
		bad("quarantine.dsn", "want sqlite:///path/quarantine.db or postgres://…")
	}
	positive(bad, intKey{"quarantine.retention", int64(q.Retention)}, intKey{"quarantine.purge_interval", int64(q.PurgeInterval)},
		intKey{"quarantine.relay.timeout", int64(q.Relay.Timeout)})
	if a := q.Relay.Address; a != "" {
		if err := validateHostPort(a); err != nil {
			bad("quarantine.relay.address", "%v", err)
		}
	}
	if strings.ContainsAny(q.Relay.Helo, " \t\r\n") {
		bad("quarantine.relay.helo", "must be one word")
	}
}

func validateConsole(c *Config, bad badFunc) {
	cs := c.Console
	switch cs.SecureCookies {
	case "auto", "always", "never":
	default:
		bad("console.secure_cookies", "%q is not auto, always or never", cs.SecureCookies)
	}
	positive(bad, intKey{"console.session_ttl", int64(cs.SessionTTL)}, intKey{"console.link_ttl", int64(cs.LinkTTL)})
	if cs.PublicURL != "" {
		u, err := url.Parse(cs.PublicURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
			bad("console.public_url", "%q is not an http(s) URL like https://mail.example.com", cs.PublicURL)
		}
	}
	seen := map[string]bool{}
	for i, u := range cs.Admins {
		p := fmt.Sprintf("console.admins[%d]", i)
		if u.Name == "" || strings.ContainsAny(u.Name, " \t\r\n") || seen[u.Name] {
			bad(p+".name", "%q is empty, has blanks or is listed twice", u.Name)
		}
		seen[u.Name] = true
		if !strings.HasPrefix(u.PasswordHash, "$2") {
			bad(p+".password_hash", "is not a bcrypt hash (make one with: kensa console hash-password)")
		}
	}
	if cs.Enabled && c.HTTP.Listen == "" {
		bad("console.enabled", "the console needs http.listen")
	}
	d := cs.Digest
	if _, _, _, err := d.DigestAt(); err != nil {
		bad("console.digest.at", "%v", err)
	}
	notNegative(bad, intKey{"console.digest.interval", int64(d.Interval)})
	if d.Enabled {
		if d.At == "" && d.Interval == 0 {
			bad("console.digest", "set at (a time of day) or interval")
		}
		if cs.PublicURL == "" {
			bad("console.public_url", "the digest needs the console's public URL for its links")
		}
		if c.Quarantine.Relay.Address == "" {
			bad("quarantine.relay.address", "the digest is sent through the relay")
		}
		if len(d.Domains) == 0 {
			bad("console.digest.domains", "the digest needs the domains Kensa receives mail for (Postfix's mydestination and relay_domains cannot be read from here); "+
				"without them external recipients of quarantined outbound mail would get console links")
		}
	}
	for i, dom := range d.Domains {
		if x := strings.TrimPrefix(dom, "@"); x == "" || strings.ContainsAny(x, " \t\r\n@<>/") || !strings.Contains(x, ".") {
			bad(fmt.Sprintf("console.digest.domains[%d]", i), "%q is not a domain like example.org", dom)
		}
	}
	if d.From == "" || strings.ContainsAny(d.From, " \t\r\n<>") || !strings.Contains(d.From, "@") {
		bad("console.digest.from", "%q is not an address", d.From)
	}
}

// validateFiles checks the files and directories serve reads at start and
// on every reload (and would fail on), as the user running the check: rule
// files, the URL blocklist, and the files Kensa makes when they are
// missing (allowed senders, the console's link key) when they exist. The
// state directory is made at start; a file in its place is a mistake.
func validateFiles(c *Config, bad badFunc) {
	for i, r := range c.YARA.Rules {
		if msg, _ := unreadable(r, false); msg != "" {
			bad(fmt.Sprintf("yara.rules[%d]", i), "%s", msg)
		}
	}
	if b := c.Heuristics.Blocklist; b != "" {
		if msg, _ := unreadable(b, true); msg != "" {
			bad("heuristics.url_blocklist", "%s", msg)
		} else if _, err := urls.LoadBlocklist(b); err != nil {
			// One problem per bad line of the list (FILE:LINE: what).
			for _, e := range joined(err, 10) {
				bad("heuristics.url_blocklist", "%s", e)
			}
		}
	}
	for _, f := range []struct{ path, file string }{
		{"policy.allow.senders_file", c.Policy.Allow.SendersFile}, {"console.link_secret_file", c.Console.LinkSecretFile},
	} {
		if msg, missing := unreadable(f.file, true); f.file != "" && msg != "" && !missing {
			bad(f.path, "%s", msg)
		}
	}
	if fi, err := os.Stat(c.StateDir); err == nil && !fi.IsDir() && filepath.IsAbs(c.StateDir) {
		bad("state_dir", "%q is a file, not a directory", c.StateDir)
	}
}

// unreadable says in an admin's words why path cannot be read, or "" (file:
// it must be a file, not a directory); missing is true when it does not
// exist.
func unreadable(path string, file bool) (msg string, missing bool) {
	// Stat first: opening a FIFO or a device would block or read forever.
	if fi, err := os.Stat(path); err == nil && !fi.Mode().IsRegular() && !fi.IsDir() {
		return fmt.Sprintf("%q is not a regular file", path), false
	}
	f, err := os.Open(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Sprintf("%q does not exist", path), true
	case errors.Is(err, fs.ErrPermission):
		return fmt.Sprintf("%q cannot be read by this user (uid %d): permission denied", path, os.Getuid()), false
	case err != nil:
		return fmt.Sprintf("%q cannot be opened: %v", path, err), false
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && file && fi.IsDir() {
		return fmt.Sprintf("%q is a directory, not a file", path), false
	}
	return "", false
}

// joined lists the errors an errors.Join (under any wrapping) holds, at
// most max of them and a count of the rest; or err's own text.
func joined(err error, max int) []string {
	for e := err; e != nil; e = errors.Unwrap(e) {
		j, ok := e.(interface{ Unwrap() []error })
		if !ok {
			continue
		}
		var out []string
		for i, one := range j.Unwrap() {
			if i == max {
				out = append(out, fmt.Sprintf("and %d more", len(j.Unwrap())-max))
				break
			}
			out = append(out, one.Error())
		}
		return out
	}
	return []string{err.Error()}
}
