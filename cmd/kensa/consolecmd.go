package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/sirupsen/logrus"
	"golang.org/x/crypto/bcrypt"

	"github.com/kensa-milter/kensa/config"
	"github.com/kensa-milter/kensa/console"
	"github.com/kensa-milter/kensa/known"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/quarantine"
	"github.com/kensa-milter/kensa/web"
)

// bcryptCost for console passwords.
const bcryptCost = 12

// consoleCmd runs "kensa console hash-password": it reads a password from
// stdin (one line) and prints its bcrypt hash for console.admins.
func consoleCmd(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) != 1 || args[0] != "hash-password" {
		fmt.Fprint(stderr, "Usage: kensa console hash-password < password\n")
		return exitError
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 1024)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		fmt.Fprintf(stderr, "kensa console hash-password: %v\n", err)
		return exitError
	}
	pass := strings.TrimRight(line, "\r\n")
	if len(pass) < 8 || len(pass) > 72 {
		fmt.Fprintln(stderr, "kensa console hash-password: the password must be 8 to 72 bytes")
		return exitError
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pass), bcryptCost)
	if err != nil {
		fmt.Fprintf(stderr, "kensa console hash-password: %v\n", err)
		return exitError
	}
	fmt.Fprintln(stdout, string(h))
	return exitOK
}

// links loads (or makes) the key that signs end-user links.
func links(c *config.Config) (*console.Links, error) {
	key, err := console.LoadOrCreateKey(c.LinkSecretPath())
	if err != nil {
		return nil, err
	}
	return console.NewLinks(key)
}

// mountConsole puts the console on the HTTP server when it is enabled.
// The admins and settings are read at start: changing them takes a restart.
//
// ks is the known set's store (nil: no "Confirm malicious" button).
func mountConsole(log *logrus.Logger, c *config.Config, st quarantine.Store, ks *known.Store, ws *web.Server) (*console.Console, error) {
	if !c.Console.Enabled {
		return nil, nil
	}
	l, err := links(c)
	if err != nil {
		return nil, err
	}
	admins := consoleAdmins(c)
	path := c.AllowSendersPath()
	cons, err := console.New(console.Options{
		Store: st, Deliver: relayFor(c).Deliver, Admins: admins, Links: l, Log: log,
		AllowSender:   func(sender string, rcpts []string) (bool, error) { return appendAllowSender(path, sender, rcpts) },
		Confirm:       confirmer(c, ks),
		SecureCookies: c.Console.SecureCookies, SessionTTL: c.Console.SessionTTL.D(),
		UserReleaseUnscannable: c.Console.UserReleaseUnscannable,
		TrustedProxies:         c.HTTP.ParsedTrustedProxies(),
	})
	if err != nil {
		return nil, err
	}
	ws.Handle(console.Prefix, cons)
	log.WithFields(logrus.Fields{"path": console.Prefix, "admins": len(admins)}).Info("quarantine console on the HTTP listener")
	return cons, nil
}

// consoleAdmins are console.admins as name → bcrypt hash.
func consoleAdmins(c *config.Config) map[string]string {
	admins := map[string]string{}
	for _, a := range c.Console.Admins {
		admins[a.Name] = a.PasswordHash
	}
	return admins
}

// newDigest builds the digest sender from the config.
func newDigest(log *logrus.Logger, c *config.Config, st quarantine.Store) (*console.Digest, error) {
	if c.Console.PublicURL == "" {
		return nil, fmt.Errorf("the digest needs console.public_url for its links")
	}
	if len(c.Console.Digest.Domains) == 0 {
		return nil, fmt.Errorf("the digest needs console.digest.domains, the domains Kensa receives mail for")
	}
	l, err := links(c)
	if err != nil {
		return nil, err
	}
	relay := relayFor(c)
	return &console.Digest{
		Store: st, Links: l, PublicURL: c.Console.PublicURL, LinkTTL: c.Console.LinkTTL.D(),
		From: c.Console.Digest.From, Domains: c.Console.Digest.Domains,
		StatePath: filepath.Join(c.StateDir, "digest.watermark"),
		Send: func(ctx context.Context, from, to string, msg []byte) error {
			return relay.Deliver(ctx, &quarantine.Entry{Envelope: message.Envelope{Sender: from, Recipients: []string{to}}, Raw: msg})
		},
		Log: log,
	}, nil
}

// startDigest schedules the digest when it is enabled; stop ends it.
func startDigest(log *logrus.Logger, c *config.Config, st quarantine.Store) (stop func(), err error) {
	d := c.Console.Digest
	if !d.Enabled {
		return func() {}, nil
	}
	dg, err := newDigest(log, c, st)
	if err != nil {
		return nil, err
	}
	hour, minute, daily, _ := d.DigestAt()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); dg.Schedule(ctx, daily, hour, minute, d.Interval.D()) }()
	return func() { cancel(); <-done }, nil
}

// confirmer is the console's "Confirm malicious".
func confirmer(c *config.Config, ks *known.Store) func(context.Context, *quarantine.Entry, string) (int, error) {
	if ks == nil {
		return nil
	}
	opts := c.UnpackOptions()
	return func(ctx context.Context, e *quarantine.Entry, by string) (int, error) {
		return known.Confirm(ctx, ks, e.Raw, e.Verdict.Ref, "console:"+by, opts)
	}
}
