package config

import "github.com/kensa-milter/kensa/policy"

// PolicyConfig is the policy section as the policy package wants it. Call it
// on a validated config: invalid action names become Accept.
func (c *Config) PolicyConfig() policy.Config {
	act := func(s string) policy.Action { a, _ := policy.ParseAction(s); return a }
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

// TooLarge is the action for messages over limits.max_message_size.
func (c *Config) TooLarge() policy.Action {
	a, _ := policy.ParseAction(c.Limits.TooLargeAction)
	return a
}
