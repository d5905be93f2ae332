package config

import (
	"fmt"
	"path/filepath"
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
