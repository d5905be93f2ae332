package config

import (
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/scanners"
	"github.com/kensa-milter/kensa/scanners/clamd"
	"github.com/kensa-milter/kensa/scanners/heuristic"
	"github.com/kensa-milter/kensa/unpack"
	"github.com/kensa-milter/kensa/urls"
)

// action converts an action name. Callers validate first; should an
// invalid name get here all the same, it becomes TempFail (the MTA keeps
// the message and retries), never Accept.
func action(s string) policy.Action {
	a, err := policy.ParseAction(s)
	if err != nil {
		return policy.TempFail
	}
	return a
}

// PolicyConfig is the policy section as the policy package wants it. Call it
// on a validated config: an invalid action name becomes TempFail.
func (c *Config) PolicyConfig() policy.Config {
	act := action
	return policy.Config{
		TagScore:        c.Policy.TagScore,
		QuarantineScore: c.Policy.QuarantineScore,
		RejectScore:     c.Policy.RejectScore,
		Malicious:       act(c.Policy.Malicious),
		Unscannable:     act(c.Policy.Unscannable),
		OnError:         act(c.Policy.OnError),
		Monitor:         c.Policy.Monitor,
		Allow: policy.Allow{
			Senders:       c.Policy.Allow.Senders,
			Recipients:    c.Policy.Allow.Recipients,
			Networks:      c.Policy.Allow.ParsedNetworks(),
			Authenticated: c.Policy.Allow.Authenticated,
		},
	}
}

// TooLarge is the action for messages over limits.max_message_size
// (TempFail for an invalid name, as in PolicyConfig).
func (c *Config) TooLarge() policy.Action { return action(c.Limits.TooLargeAction) }

// UnpackOptions are the unpack limits and configured archive passwords.
func (c *Config) UnpackOptions() unpack.Options {
	u := c.Unpack
	return unpack.Options{
		Limits: unpack.Limits{
			MaxDepth:         u.MaxDepth,
			MaxMembers:       u.MaxMembers,
			MaxTotalBytes:    int64(u.MaxTotalSize),
			MaxMemberBytes:   int64(u.MaxMemberSize),
			MaxRatio:         u.MaxRatio,
			MaxPasswordTries: u.MaxPasswordTries,
			Timeout:          u.Timeout.D(),
		},
		Passwords: u.Passwords,
	}
}

// HeuristicOverrides are the per-check overrides. Call it on a validated
// config: unreadable severities are left at their defaults.
func (c *Config) HeuristicOverrides() map[string]heuristic.Override {
	out := map[string]heuristic.Override{}
	for id, o := range c.Heuristics.Checks {
		ho := heuristic.Override{Disabled: o.Disabled, Score: o.Score}
		if o.Severity != nil {
			if sev, err := scanners.ParseSeverity(*o.Severity); err == nil {
				ho.Severity = &sev
			}
		}
		out[id] = ho
	}
	return out
}

// DNSBLConfig is the DNS URI blocklist setup; nil when no zone is configured.
func (c *Config) DNSBLConfig() *urls.DNSBLConfig {
	d := c.Heuristics.DNSBL
	if len(d.Zones) == 0 {
		return nil
	}
	return &urls.DNSBLConfig{Zones: d.Zones, Server: d.Server, Timeout: d.Timeout.D(), MaxQueries: d.MaxQueries}
}

// ClamdOptions are the clamd scanner's options; nil when clamd.address is
// empty (the scanner is off).
func (c *Config) ClamdOptions() *clamd.Options {
	d := c.Clamd
	if d.Address == "" {
		return nil
	}
	return &clamd.Options{
		Address:             d.Address,
		Timeout:             d.Timeout.D(),
		MaxSize:             int64(d.MaxSize),
		Concurrency:         d.Concurrency,
		TooLargeUnscannable: d.TooLarge != "info", // an invalid value is the stricter choice
	}
}
