package config

import (
	"errors"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/policy"
)

func TestEmbeddedDefaultIsValid(t *testing.T) {
	c, err := Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("embedded default does not validate: %v", err)
	}
	if c.Listen != "inet:127.0.0.1:8898" || c.Limits.MaxMessageSize != 64<<20 || c.Limits.ScanTimeout.D() != time.Minute {
		t.Errorf("unexpected defaults: %+v", c)
	}
	p := c.PolicyConfig()
	want := policy.Default()
	if p.TagScore != want.TagScore || p.QuarantineScore != want.QuarantineScore || p.Malicious != want.Malicious ||
		p.Unscannable != want.Unscannable || p.OnError != want.OnError || p.Monitor {
		t.Errorf("policy from default config %+v differs from policy.Default %+v", p, want)
	}
}

func TestGoodFileOverridesDefaults(t *testing.T) {
	c, err := Load("testdata/good.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	if c.Listen != "unix:/run/kensa/kensa.sock" || c.Limits.MaxMessageSize != 20<<20 || c.TooLarge() != policy.TempFail {
		t.Errorf("values not read: %+v", c)
	}
	if c.YARA.Images != "full" || c.YARA.Packed != "full" || c.YARA.WholeMessage != "trimmed" {
		t.Errorf("yara: %+v", c.YARA)
	}
	if !c.YARA.Builtin || c.Policy.QuarantineScore != 50 {
		t.Error("keys left out must keep their defaults")
	}
	p := c.PolicyConfig()
	if !p.Monitor || len(p.Allow.Networks) != 2 || p.Allow.Networks[1] != netip.MustParsePrefix("2001:db8::1/128") {
		t.Errorf("policy: %+v", p)
	}
	if m, _ := c.SocketModeBits(); m != 0o660 {
		t.Errorf("socket mode %o", m)
	}
}

func TestUnknownKeysNameTheirLines(t *testing.T) {
	_, err := Load("testdata/typo.yaml")
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("want *Error, got %v", err)
	}
	msg := err.Error()
	for _, want := range []string{"line 3", "max_mesage_size", "line 5", "tag_scroe"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q lacks %q", msg, want)
		}
	}
}

func TestValidateReportsEveryProblemWithItsLine(t *testing.T) {
	c, err := Load("testdata/bad-values.yaml")
	if err != nil {
		t.Fatal(err)
	}
	err = c.Validate()
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("want *Error, got %v", err)
	}
	want := []string{
		"line 3: log.level",
		"line 5: policy.malicious",
		"line 6: policy.on_error",
		"line 7: policy.tag_score",
		"line 11: policy.allow.networks[1]",
		"line 13: milter.reject_code",
		"line 15: yara.whole_message",
	}
	if len(ce.Problems) != len(want) {
		t.Errorf("got %d problems, want %d:\n%s", len(ce.Problems), len(want), err)
	}
	for _, w := range want {
		if !strings.Contains(err.Error(), w) {
			t.Errorf("missing %q in:\n%s", w, err)
		}
	}
}

func TestBadScalars(t *testing.T) {
	for _, in := range []string{
		"limits: {max_message_size: lots}",
		"limits: {scan_timeout: forever}",
		"listen: [a, b]",
		"socket_mode: 0999\n",
		"nonsense",
	} {
		c, err := Parse([]byte(in))
		if err == nil {
			err = c.Validate()
		}
		if err == nil {
			t.Errorf("%q: accepted", in)
		}
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]Size{"1024": 1024, "64MiB": 64 << 20, "10MB": 10e6, "512 KiB": 512 << 10, "1G": 1 << 30, "7B": 7} {
		got, err := ParseSize(in)
		if err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "-1", "1.5MiB", "MiB", "99999999999999999999"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) accepted", in)
		}
	}
}

// docs/configuration.md shows the embedded defaults verbatim; this keeps it true.
func TestDocsShowTheEmbeddedDefaults(t *testing.T) {
	doc, err := os.ReadFile("../docs/configuration.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "```yaml\n"+strings.TrimRight(string(Default), "\n")+"\n```") {
		t.Error("docs/configuration.md's configuration block differs from config/kensa.yaml: run scripts/sync-docs.py")
	}
}

func TestClamdSection(t *testing.T) {
	c, _ := Parse(nil)
	if c.ClamdOptions() != nil {
		t.Error("clamd must be off by default")
	}
	c, err := Parse([]byte("clamd:\n  address: tcp:127.0.0.1:3310\n  timeout: 5s\n  max_size: 10MiB\n  concurrency: 2\n  too_large: unscannable\n"))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	o := c.ClamdOptions()
	if o == nil || o.Address != "tcp:127.0.0.1:3310" || o.Timeout != 5*time.Second || o.MaxSize != 10<<20 || o.Concurrency != 2 || !o.TooLargeUnscannable {
		t.Errorf("options %+v", o)
	}
	for in, want := range map[string]string{
		"clamd: {address: /run/clamav/clamd.ctl}": "clamd.address",
		"clamd: {address: 'unix:relative.sock'}":  "clamd.address",
		"clamd: {timeout: 0s}":                    "clamd.timeout",
		"clamd: {max_size: 0}":                    "clamd.max_size",
		"clamd: {concurrency: 0}":                 "clamd.concurrency",
		"clamd: {too_large: reject}":              "clamd.too_large",
	} {
		c, err := Parse([]byte(in))
		if err == nil {
			err = c.Validate()
		}
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%q: error %v, want one naming %s", in, err, want)
		}
	}
}

// TestEveryMistakeNamedWithItsLine: a bad size, a bad duration, a wrong
// type, an unknown action and a misspelt key, all in one file. None of them
// stops the others from being found, and each is named with its line.
func TestEveryMistakeNamedWithItsLine(t *testing.T) {
	c, err := Load("testdata/five-mistakes.yaml")
	if c == nil {
		t.Fatalf("Load gave no config: %v", err)
	}
	if err == nil {
		t.Fatal("Load accepted values it could not read")
	}
	err = c.Validate()
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("want *Error, got %v", err)
	}
	want := []string{
		`line 3: limits.max_message_size: "lots" is not a size`,
		`line 4: limits.scan_timeout: "soon" is not a duration`,
		`line 6: policy.tag_score: "high" is not a whole number`,
		"line 7: policy.malicious: unknown action",
		"line 9: milter.subjct_prefix: unknown key; did you mean subject_prefix?",
	}
	if len(ce.Problems) != len(want) {
		t.Errorf("got %d problems, want %d:\n%s", len(ce.Problems), len(want), err)
	}
	for i, w := range want {
		if i >= len(ce.Problems) || !strings.HasPrefix(ce.Problems[i], w) {
			t.Errorf("problem %d: want it to start with %q in:\n%s", i, w, err)
		}
	}
	// The keys that could not be read keep their defaults, and the
	// converters never make an invalid value into accept.
	def, _ := Parse(nil)
	if c.Limits.MaxMessageSize != def.Limits.MaxMessageSize || c.Policy.TagScore != def.Policy.TagScore {
		t.Errorf("unreadable keys did not keep their defaults: %+v %+v", c.Limits, c.Policy)
	}
	if a := c.PolicyConfig().Malicious; a != policy.TempFail {
		t.Errorf("invalid malicious action converted to %s, want tempfail", a)
	}
}

func TestConvertersNeverAccept(t *testing.T) {
	c, _ := Parse(nil)
	c.Policy.Malicious, c.Policy.Unscannable, c.Policy.OnError, c.Limits.TooLargeAction = "", "rejectt", "nope", "maybe"
	p := c.PolicyConfig()
	for name, a := range map[string]policy.Action{"malicious": p.Malicious, "unscannable": p.Unscannable, "on_error": p.OnError, "too_large": c.TooLarge()} {
		if a != policy.TempFail {
			t.Errorf("%s: invalid value converted to %s, want tempfail", name, a)
		}
	}
	// An invalid clamd.too_large is the stricter choice: unscannable, not a
	// note that lets the part through.
	c.Clamd.Address, c.Clamd.TooLarge = "tcp:127.0.0.1:3310", "ignore"
	if o := c.ClamdOptions(); !o.TooLargeUnscannable {
		t.Error("clamd.too_large: invalid value converted to info")
	}
	// An unreadable severity keeps the check's default instead of becoming
	// info (which would score nothing).
	c.Heuristics.Checks = map[string]CheckOverride{"dangerous-script": {Severity: new(string)}}
	if o := c.HeuristicOverrides()["dangerous-script"]; o.Severity != nil {
		t.Errorf("heuristics severity: invalid value converted to %v", *o.Severity)
	}
}

// TestEverySectionIsChecked: a file with mistakes in every section. Each
// section's validator runs whatever the others found, and every problem is
// named with its line, in the order of the lines, word for word as
// testdata/every-section.want has it.
func TestEverySectionIsChecked(t *testing.T) {
	c, err := Load("testdata/every-section.yaml")
	if c == nil {
		t.Fatalf("Load gave no config: %v", err)
	}
	err = c.Validate()
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("want *Error, got %v", err)
	}
	want, err := os.ReadFile("testdata/every-section.want")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(ce.Problems, "\n") + "\n"; got != string(want) {
		t.Errorf("problems differ from testdata/every-section.want:\ngot:\n%swant:\n%s", got, want)
	}
	sections := map[string]bool{}
	for _, p := range ce.Problems {
		_, key, _ := strings.Cut(p, ": ")
		key, _, _ = strings.Cut(key, ":")
		key, _, _ = strings.Cut(key, ".")
		sections[key] = true
	}
	for _, s := range []string{"listen", "socket_mode", "log", "http", "limits", "yara", "unpack", "heuristics", "clamd",
		"known", "similarity", "policy", "milter", "state_dir", "quarantine", "console"} {
		if !sections[s] {
			t.Errorf("no problem named in section %s", s)
		}
	}
}
