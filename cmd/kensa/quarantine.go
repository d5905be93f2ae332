package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/sirupsen/logrus"

	"github.com/kensa-milter/kensa/config"
	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/milter"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/quarantine"
)

// stateDirEnv overrides state_dir; --state-dir sets it for this process, so
// that a reload keeps it.
const stateDirEnv = "KENSA_STATE_DIR"

// applyStateDir puts KENSA_STATE_DIR over the config's state_dir.
func applyStateDir(c *config.Config) {
	if d := os.Getenv(stateDirEnv); d != "" {
		c.StateDir = d
	}
}

// storeQuarantiner is the milter's quarantine in mode store.
type storeQuarantiner struct{ st quarantine.Store }

func (q storeQuarantiner) Quarantine(ctx context.Context, raw []byte, env message.Envelope, rep engine.Report) (string, error) {
	e := quarantine.NewEntry(raw, env, rep.Verdict)
	if err := q.st.Put(ctx, e); err != nil {
		return "", err
	}
	return e.ID, nil
}

// usesStore says whether serve needs the quarantine store.
func usesStore(c *config.Config) bool {
	if c.Quarantine.Mode == string(milter.ModeStore) || c.Console.Enabled || c.Console.Digest.Enabled {
		return true
	}
	for _, m := range c.Quarantine.Modes {
		if m == string(milter.ModeStore) {
			return true
		}
	}
	return false
}

func openStore(ctx context.Context, c *config.Config) (quarantine.Store, error) {
	st, err := quarantine.Open(ctx, c.StoreDSN(), quarantine.Options{Retention: c.Quarantine.Retention.D()})
	if err != nil {
		return nil, fmt.Errorf("%w (state_dir is %s; set state_dir, --state-dir or quarantine.dsn)", err, c.StateDir)
	}
	return st, nil
}

func relayFor(c *config.Config) quarantine.Relay {
	r := c.Quarantine.Relay
	return quarantine.Relay{Addr: r.Address, HeloName: r.Helo, Timeout: r.Timeout.D()}
}

// startQuarantine opens the store when the config needs it, gives it to the
// milter and starts the purger. stop ends the purger and closes the store.
func startQuarantine(log *logrus.Logger, c *config.Config, srv *milter.Server) (st quarantine.Store, stop func(), err error) {
	if !usesStore(c) {
		return nil, func() {}, nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	st, err = openStore(ctx, c)
	if err != nil {
		cancel()
		return nil, nil, err
	}
	srv.SetQuarantiner(storeQuarantiner{st})
	done := make(chan struct{})
	go func() {
		defer close(done)
		quarantine.RunPurger(ctx, st, c.Quarantine.PurgeInterval.D(), log)
	}()
	log.WithFields(logrus.Fields{"mode": c.Quarantine.Mode, "retention": c.Quarantine.Retention.D().String()}).Info("quarantine store open")
	return st, func() {
		cancel()
		<-done
		st.Close()
	}, nil
}

// maxAllowSenders bounds the allowed-senders file.
const maxAllowSenders = 100000

// readAllowSenders reads the allowed-senders file: one address or domain a
// line, # comments. A missing file is an empty list.
func readAllowSenders(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("allowed senders: %w", err)
	}
	var out []string
	for i, line := range strings.Split(string(data), "\n") {
		if j := strings.IndexByte(line, '#'); j >= 0 {
			line = line[:j]
		}
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.ContainsAny(line, " \t") {
			return nil, fmt.Errorf("allowed senders %s line %d: %q is not one address or domain", path, i+1, line)
		}
		if len(out) == maxAllowSenders {
			return nil, fmt.Errorf("allowed senders %s: more than %d entries", path, maxAllowSenders)
		}
		out = append(out, line)
	}
	return out, nil
}

// appendAllowSender adds the sender of a message to recipients to the
// allowed-senders file (made 0600 when missing), unless it is listed
// already. Only a full address may be added this way, never the null
// sender nor one in a recipient's domain (policy.AllowableSender); a whole
// domain is allow-listed only by an admin writing it into the config.
func appendAllowSender(path, sender string, recipients []string) (added bool, err error) {
	if err := policy.AllowableSender(sender, recipients); err != nil {
		return false, fmt.Errorf("not allow-listed: %w", err)
	}
	addr := strings.ToLower(strings.TrimSpace(sender))
	have, err := readAllowSenders(path)
	if err != nil {
		return false, err
	}
	for _, h := range have {
		if strings.EqualFold(h, addr) {
			return false, nil
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return false, fmt.Errorf("allowed senders: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return false, fmt.Errorf("allowed senders: %w", err)
	}
	if _, err := fmt.Fprintln(f, addr); err != nil {
		f.Close()
		return false, fmt.Errorf("allowed senders %s: %w", path, err)
	}
	return true, f.Close()
}
