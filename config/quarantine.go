package config

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"
)

// Quarantine is where quarantined mail goes and how it is released.
type Quarantine struct {
	Mode          string            `yaml:"mode"`  // store, hold or header
	Modes         map[string]string `yaml:"modes"` // verdict reason → mode
	DSN           string            `yaml:"dsn"`   // "" = sqlite in state_dir
	Retention     Duration          `yaml:"retention"`
	PurgeInterval Duration          `yaml:"purge_interval"`
	Relay         Relay             `yaml:"relay"`
}

// Relay is the SMTP service released mail is re-injected through.
type Relay struct {
	Address string   `yaml:"address"`
	Helo    string   `yaml:"helo"`
	Timeout Duration `yaml:"timeout"`
}

// Console is the web console for quarantined mail and the digest mail.
type Console struct {
	Enabled        bool          `yaml:"enabled"`
	PublicURL      string        `yaml:"public_url"`
	SecureCookies  string        `yaml:"secure_cookies"` // auto, always, never
	SessionTTL     Duration      `yaml:"session_ttl"`
	LinkTTL        Duration      `yaml:"link_ttl"`
	LinkSecretFile string        `yaml:"link_secret_file"`
	Admins         []ConsoleUser `yaml:"admins"`
	// UserReleaseUnscannable lets end users release mail not scanned in full.
	UserReleaseUnscannable bool   `yaml:"user_release_unscannable"`
	Digest                 Digest `yaml:"digest"`
}

// ConsoleUser is an admin of the console.
type ConsoleUser struct {
	Name         string `yaml:"name"`
	PasswordHash string `yaml:"password_hash"` // bcrypt, from kensa console hash-password
}

// Digest is the periodic mail to each recipient about their new quarantined mail.
type Digest struct {
	Enabled  bool     `yaml:"enabled"`
	At       string   `yaml:"at"`       // "08:00" local time, daily; or
	Interval Duration `yaml:"interval"` // every interval (when at is "")
	From     string   `yaml:"from"`
	Domains  []string `yaml:"domains"` // only recipients in these domains; required when enabled
}

// QuarantineModes known to the milter.
var quarantineModes = map[string]bool{"store": true, "hold": true, "header": true}

// StorePath is the quarantine store DSN: the configured one, or SQLite in
// the state directory.
func (c *Config) StoreDSN() string {
	if c.Quarantine.DSN != "" {
		return c.Quarantine.DSN
	}
	return "sqlite://" + filepath.Join(c.StateDir, "quarantine.db")
}

// LinkSecretPath is the file holding the key that signs end-user links.
func (c *Config) LinkSecretPath() string {
	if c.Console.LinkSecretFile != "" {
		return c.Console.LinkSecretFile
	}
	return filepath.Join(c.StateDir, "console-link.key")
}

// AllowSendersPath is the file of allowed senders ("release and allow sender").
func (c *Config) AllowSendersPath() string {
	if c.Policy.Allow.SendersFile != "" {
		return c.Policy.Allow.SendersFile
	}
	return filepath.Join(c.StateDir, "allowed-senders")
}

// DigestAt parses console.digest.at ("08:00") into hour and minute; ok is
// false when it is empty.
func (d Digest) DigestAt() (hour, minute int, ok bool, err error) {
	if d.At == "" {
		return 0, 0, false, nil
	}
	t, err := time.Parse("15:04", d.At)
	if err != nil {
		return 0, 0, false, fmt.Errorf("%q is not a time of day like 08:00", d.At)
	}
	return t.Hour(), t.Minute(), true, nil
}

func (c *Config) validateQuarantine(bad func(path, format string, a ...any)) {
	if c.StateDir == "" || !filepath.IsAbs(c.StateDir) {
		bad("state_dir", "%q is not an absolute directory path", c.StateDir)
	}
	if !quarantineModes[c.Quarantine.Mode] {
		bad("quarantine.mode", "%q is not store, hold or header", c.Quarantine.Mode)
	}
	for r, m := range c.Quarantine.Modes {
		if !quarantineModes[m] {
			bad("quarantine.modes."+r, "%q is not store, hold or header", m)
		}
	}
	if d := c.Quarantine.DSN; d != "" && !strings.HasPrefix(d, "sqlite:") && !strings.HasPrefix(d, "postgres://") && !strings.HasPrefix(d, "postgresql://") {
		bad("quarantine.dsn", "want sqlite:///path/quarantine.db or postgres://…")
	}
	if c.Quarantine.Retention <= 0 {
		bad("quarantine.retention", "must be positive")
	}
	if c.Quarantine.PurgeInterval <= 0 {
		bad("quarantine.purge_interval", "must be positive")
	}
	if c.Quarantine.Relay.Timeout <= 0 {
		bad("quarantine.relay.timeout", "must be positive")
	}
	if a := c.Quarantine.Relay.Address; a != "" {
		if err := validateHostPort(a); err != nil {
			bad("quarantine.relay.address", "%v", err)
		}
	}
	if strings.ContainsAny(c.Quarantine.Relay.Helo, " \t\r\n") {
		bad("quarantine.relay.helo", "must be one word")
	}
	cs := c.Console
	switch cs.SecureCookies {
	case "auto", "always", "never":
	default:
		bad("console.secure_cookies", "%q is not auto, always or never", cs.SecureCookies)
	}
	if cs.SessionTTL <= 0 {
		bad("console.session_ttl", "must be positive")
	}
	if cs.LinkTTL <= 0 {
		bad("console.link_ttl", "must be positive")
	}
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
	if d.Interval < 0 {
		bad("console.digest.interval", "must not be negative")
	}
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
