package policy

import (
	"errors"
	"fmt"
	"strings"

	"github.com/kensa-milter/kensa/message"
)

// Why a sender may not be added to the allow list by "release and allow
// the sender" (AllowableSender).
var (
	ErrAllowNullSender = errors.New("the null sender (bounces) cannot be allow-listed")
	ErrAllowNotAddress = errors.New("not a full, valid address; a whole domain can only be allow-listed in the config (policy.allow.senders)")
	ErrAllowOwnDomain  = errors.New("the sender's domain is a recipient's own; anyone can forge it")
)

// AllowableSender says whether "release and allow the sender" may add
// sender to the allow list for a message to recipients: only a full,
// syntactically valid address, never the null sender, never one in a
// recipient's own domain. (Postfix accepts MAIL FROM:<@gmail.com>, and an
// entry "@gmail.com" would allow-list the whole domain.)
func AllowableSender(sender string, recipients []string) error {
	s := strings.TrimSpace(sender)
	if s == "" {
		return ErrAllowNullSender
	}
	if !ValidAddress(s) {
		return fmt.Errorf("sender %q: %w", sender, ErrAllowNotAddress)
	}
	if sameDomain(s, recipients) {
		return fmt.Errorf("sender %q: %w", sender, ErrAllowOwnDomain)
	}
	return nil
}

// ValidAddress reports whether s is one plain mailbox address, local@domain:
// a local part without quotes, blanks, controls or address punctuation, and
// a domain name of letters, digits and hyphens (or UTF-8) in dotted labels.
// Source routes, domain literals, "<", ">" and ESMTP parameters all fail.
func ValidAddress(s string) bool {
	if len(s) > 254 {
		return false
	}
	i := strings.LastIndexByte(s, '@')
	if i <= 0 || i > 64 {
		return false
	}
	local, domain := s[:i], s[i+1:]
	for j := 0; j < len(local); j++ {
		c := local[j]
		if c <= ' ' || c == 0x7f || strings.IndexByte(`"(),:;<>@[\]`, c) >= 0 {
			return false
		}
	}
	if local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return false
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 || len(domain) > 253 {
		return false
	}
	for _, l := range labels {
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for j := 0; j < len(l); j++ {
			c := l[j]
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c >= 0x80) {
				return false
			}
		}
	}
	return true
}

// sameDomain reports whether addr's domain is the domain of one of the
// recipients.
func sameDomain(addr string, recipients []string) bool {
	d := domainOf(addr)
	if d == "" {
		return false
	}
	for _, r := range recipients {
		if domainOf(r) == d {
			return true
		}
	}
	return false
}

func domainOf(addr string) string {
	addr = strings.ToLower(strings.TrimSpace(addr))
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return strings.TrimSuffix(addr[i+1:], ".")
	}
	return ""
}

// SMTPSafeAddress reports whether addr can be written between the angle
// brackets of MAIL FROM or RCPT TO as it is: no "<" or ">", blanks or
// control characters, which would end the address and pass whatever
// follows (ESMTP parameters) to the relay.
func SMTPSafeAddress(addr string) bool {
	return !strings.ContainsFunc(addr, func(r rune) bool { return r <= ' ' || r == 0x7f || r == '<' || r == '>' })
}

// Reinjectable reports whether every address of env is SMTPSafeAddress, so
// the message can be stored and later released by SMTP. One that is not is
// held by the MTA instead (quarantine mode hold).
func Reinjectable(env message.Envelope) bool {
	if !SMTPSafeAddress(env.Sender) {
		return false
	}
	for _, r := range env.Recipients {
		if r == "" || !SMTPSafeAddress(r) {
			return false
		}
	}
	return true
}
