package quarantine

import (
	"crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/scanners"
)

// Entry is one quarantined message. Everything but ID and the times came
// from the sender or the MTA: escape it wherever it is shown.
type Entry struct {
	ID string `json:"id"` // random, URL-safe, 26 characters of [a-z2-7]

	Envelope  message.Envelope `json:"envelope"` // as the MTA gave it; Recipients is the full original list
	Verdict   policy.Verdict   `json:"verdict"`  // action, score, reasons, ref, findings
	Subject   string           `json:"subject"`
	From      string           `json:"from"` // the From header
	MessageID string           `json:"message_id"`
	Size      int64            `json:"size"` // of Raw, in bytes

	QuarantinedAt time.Time `json:"quarantined_at"`
	ExpiresAt     time.Time `json:"expires_at"`

	// Release state. A release may go to some recipients only (an end user
	// releases their own copy); ReleasedAt is set once every recipient has
	// been released.
	ReleasedAt     time.Time   `json:"released_at,omitzero"`
	ReleasedBy     string      `json:"released_by,omitempty"`
	ReleasedTo     []Recipient `json:"released_to,omitempty"`     // recipients released so far
	ReleaseError   string      `json:"release_error,omitempty"`   // why the last release attempt failed
	ReleaseErrorAt time.Time   `json:"release_error_at,omitzero"` // when it failed
	Releasing      bool        `json:"releasing,omitempty"`       // a release is in progress (or crashed; see Options.ReleaseTimeout)
	ReleasingBy    string      `json:"releasing_by,omitempty"`    // who started it
	DeletedAt      time.Time   `json:"deleted_at,omitzero"`       // the body is gone; the record stays until it expires
	DeletedBy      string      `json:"deleted_by,omitempty"`

	Raw []byte `json:"-"` // the message as received; only Get fills it
}

// Recipient is one recipient's release record.
type Recipient struct {
	Addr       string    `json:"addr"`
	ReleasedAt time.Time `json:"released_at"`
	ReleasedBy string    `json:"released_by"`
}

// Status is where an entry stands.
type Status string

const (
	Held     Status = "held"     // waiting for a decision (possibly released to some recipients)
	Released Status = "released" // released to every recipient
	Deleted  Status = "deleted"  // deleted by someone; only the record remains
)

// Status says where the entry stands.
func (e *Entry) Status() Status {
	switch {
	case !e.DeletedAt.IsZero():
		return Deleted
	case !e.ReleasedAt.IsZero():
		return Released
	}
	return Held
}

// NeedsAdmin reports whether releasing this entry is for an admin only: it
// was quarantined because something in it looked malicious.
func (e *Entry) NeedsAdmin() bool {
	for _, r := range e.Verdict.Reasons {
		if r == policy.ReasonMalicious {
			return true
		}
	}
	for _, f := range e.Verdict.Findings {
		if f.Severity == scanners.Malicious {
			return true
		}
	}
	return false
}

// Unscannable reports whether part of the message could not be inspected
// (an encrypted archive, say): what it hides was never scanned.
func (e *Entry) Unscannable() bool {
	for _, r := range e.Verdict.Reasons {
		switch r {
		case policy.ReasonUnscannable, policy.ReasonTooLarge, policy.ReasonTooManyHeaders, policy.ReasonHeaderTooLarge:
			return true
		}
	}
	return false
}

// Filter selects entries for List. Empty fields match everything.
type Filter struct {
	Recipient string    // an address (case-insensitive) or "@domain" for a whole domain
	Sender    string    // same forms; "<>" for the null sender
	Reason    string    // one of the verdict's reasons, e.g. "malicious", "score"
	Search    string    // case-insensitive substring of subject, From header, sender or message-id
	Since     time.Time // quarantined at or after
	Until     time.Time // quarantined before
	Status    Status    // "" for held and released (everything not deleted)
	Limit     int       // default 100, at most 10000
	Offset    int
}

// DefaultLimit and MaxLimit bound one List call.
const (
	DefaultLimit = 100
	MaxLimit     = 10000
)

// ReleaseResult says what a Release did.
type ReleaseResult struct {
	Delivered       []string  `json:"delivered,omitempty"` // recipients this call delivered to
	AlreadyReleased bool      `json:"already_released"`    // nothing to do: released before
	ReleasedAt      time.Time `json:"released_at"`         // when (the earlier release, when AlreadyReleased)
	ReleasedBy      string    `json:"released_by"`
	Complete        bool      `json:"complete"` // every recipient of the entry has been released
}

func (r ReleaseResult) String() string {
	if r.AlreadyReleased {
		return fmt.Sprintf("already released at %s by %s", r.ReleasedAt.UTC().Format(time.RFC3339), r.ReleasedBy)
	}
	s := fmt.Sprintf("released to %s", strings.Join(r.Delivered, ", "))
	if !r.Complete {
		s += " (other recipients still held)"
	}
	return s
}

// Errors a caller can test with errors.Is.
var (
	ErrNotFound     = errors.New("no such quarantine entry")
	ErrDeleted      = errors.New("quarantine entry was deleted")
	ErrBusy         = errors.New("quarantine entry is being released")
	ErrNotRecipient = errors.New("not a recipient of this message")
)

// newID returns 128 random bits in lower-case base32: URL-safe, unguessable,
// and case-insensitive when someone types it.
func newID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand panics rather than return short)
	return strings.ToLower(idEncoding.EncodeToString(b[:]))
}

var idEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

const idLen = 26

// ValidID reports whether s has the form of an entry ID (in any case). Store
// methods treat anything else as not found without asking the database.
func ValidID(s string) bool {
	s = strings.ToLower(s)
	if len(s) != idLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '2' <= c && c <= '7') {
			return false
		}
	}
	return true
}

// clean makes attacker-controlled text safe to store: valid UTF-8 (PostgreSQL
// rejects anything else, and a Put that fails would tempfail the message
// forever), no NUL bytes, at most max bytes.
func clean(s string, max int) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\x00", "")
	if len(s) <= max {
		return s
	}
	s = s[:max]
	for len(s) > 0 && !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}

// Bounds on stored text fields.
const (
	maxAddr   = 1000 // RFC 5321 allows 256; MTAs pass longer
	maxHeader = 2000
	maxShort  = 200 // reasons, refs, actions, "by"
)

// addrKey is the form addresses are matched in.
func addrKey(a string) string { return strings.ToLower(strings.TrimSpace(a)) }

func domainOf(a string) string {
	if i := strings.LastIndexByte(a, '@'); i >= 0 {
		return a[i+1:]
	}
	return ""
}
