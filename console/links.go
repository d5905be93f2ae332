package console

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Links signs and checks end-user links: a link names one recipient
// address and an expiry, with an HMAC-SHA256 over both.
type Links struct{ key []byte }

// NewLinks uses key (at least 32 bytes) to sign links.
func NewLinks(key []byte) (*Links, error) {
	if len(key) < 32 {
		return nil, errors.New("console: link key shorter than 32 bytes")
	}
	return &Links{key: append([]byte(nil), key...)}, nil
}

// Errors from Verify.
var (
	ErrLinkInvalid = errors.New("link is not valid")
	ErrLinkExpired = errors.New("link has expired")
)

var b64 = base64.RawURLEncoding

func (l *Links) mac(rcpt string, exp int64) []byte {
	m := hmac.New(sha256.New, l.key)
	fmt.Fprintf(m, "kensa-link-v1\x00%s\x00%d", rcpt, exp)
	return m.Sum(nil)
}

// Token returns the signed token for rcpt (lower-cased), valid until exp.
func (l *Links) Token(rcpt string, exp time.Time) string {
	rcpt = strings.ToLower(strings.TrimSpace(rcpt))
	e := exp.Unix()
	return b64.EncodeToString([]byte(rcpt)) + "." + strconv.FormatInt(e, 10) + "." + b64.EncodeToString(l.mac(rcpt, e))
}

// Verify returns the recipient a token was made for, if its signature is
// right and it has not expired at now.
func (l *Links) Verify(token string, now time.Time) (string, error) {
	if len(token) > 2048 {
		return "", ErrLinkInvalid
	}
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", ErrLinkInvalid
	}
	rcpt, err1 := b64.DecodeString(parts[0])
	exp, err2 := strconv.ParseInt(parts[1], 10, 64)
	sig, err3 := b64.DecodeString(parts[2])
	if err1 != nil || err2 != nil || err3 != nil {
		return "", ErrLinkInvalid
	}
	// Only the one spelling Token writes: no "+1800000000", leading
	// zeros or base64 with stray bits, so a link is never malleable.
	if b64.EncodeToString(rcpt) != parts[0] || strconv.FormatInt(exp, 10) != parts[1] || b64.EncodeToString(sig) != parts[2] {
		return "", ErrLinkInvalid
	}
	if !hmac.Equal(sig, l.mac(string(rcpt), exp)) {
		return "", ErrLinkInvalid
	}
	if !LinkAddress(string(rcpt)) {
		return "", ErrLinkInvalid // a domain ("@example.org") would list all its mail
	}
	if now.Unix() >= exp {
		return "", ErrLinkExpired
	}
	return string(rcpt), nil
}

// LinkAddress reports whether an end-user link may be made for addr: one
// mailbox, local@domain, never a domain ("@example.org" or "example.org"),
// which the quarantine's recipient filter would read as all of its mail.
func LinkAddress(addr string) bool {
	i := strings.LastIndexByte(addr, '@')
	return i > 0 && i < len(addr)-1 && !strings.ContainsAny(addr, " \t\r\n<>")
}

// LoadOrCreateKey reads the link key from path (hex), or makes a new random
// one there (mode 0600) when the file does not exist.
func LoadOrCreateKey(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err == nil {
		if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o007 != 0 {
			return nil, fmt.Errorf("console: link key %s is readable by others (mode %04o): anyone who reads it can make links to any mailbox's quarantine; chmod 600 it, or remove it to make a new one (old links stop working)", path, fi.Mode().Perm())
		}
		key, err := hex.DecodeString(strings.TrimSpace(string(data)))
		if err != nil || len(key) < 32 {
			return nil, fmt.Errorf("console: link key %s: want at least 64 hex digits", path)
		}
		return key, nil
	}
	if !os.IsNotExist(err) {
		return nil, fmt.Errorf("console: link key: %w", err)
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("console: link key: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if os.IsExist(err) { // another process made it first
		return LoadOrCreateKey(path)
	}
	if err != nil {
		return nil, fmt.Errorf("console: link key: %w", err)
	}
	if _, err := fmt.Fprintln(f, hex.EncodeToString(key)); err != nil {
		f.Close()
		return nil, fmt.Errorf("console: link key %s: %w", path, err)
	}
	return key, f.Close()
}

// UserURL is the end user's console address for a token, under base (the
// console's public URL, e.g. https://mx1.example.com:8899).
func UserURL(base, token string) string {
	return strings.TrimRight(base, "/") + Prefix + "u/" + token + "/"
}
