// Package config reads Kensa's YAML configuration strictly: an unknown or
// misspelt key is an error naming its line, and Validate reports every
// problem at once.
package config

import (
	_ "embed"
	"fmt"
	"math"
	"net"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/kensa-milter/kensa/policy"
)

// Default is the embedded configuration Kensa runs on without --config. It
// is also the documented example (docs/configuration.md, /etc/kensa/kensa.yaml).
//
//go:embed kensa.yaml
var Default []byte

// Config is the whole configuration file.
type Config struct {
	Listen     string     `yaml:"listen"`
	SocketMode string     `yaml:"socket_mode"`
	Log        Log        `yaml:"log"`
	Limits     Limits     `yaml:"limits"`
	YARA       YARA       `yaml:"yara"`
	Unpack     Unpack     `yaml:"unpack"`
	Heuristics Heur       `yaml:"heuristics"`
	Clamd      Clamd      `yaml:"clamd"`
	Known      Known      `yaml:"known"`
	Similarity Similarity `yaml:"similarity"`
	Policy     Policy     `yaml:"policy"`
	Milter     MilterCfg  `yaml:"milter"`
	HTTP       HTTP       `yaml:"http"`
	StateDir   string     `yaml:"state_dir"`
	Quarantine Quarantine `yaml:"quarantine"`
	Console    Console    `yaml:"console"`

	path string     // file it was read from, "" for the embedded default
	root *yaml.Node // for line numbers in Validate
	// decodeProblems are the values the file has that could not be read
	// (a wrong type, a bad size or duration, an unknown key), each with its
	// line. Those keys keep their defaults; Validate reports them first.
	decodeProblems []string
}

type Log struct {
	Level  string `yaml:"level"`
	Format string `yaml:"format"`
}

type Limits struct {
	MaxMessageSize  Size     `yaml:"max_message_size"`
	MaxHeaderSize   Size     `yaml:"max_header_size"`
	TooLargeAction  string   `yaml:"too_large_action"`
	ScanTimeout     Duration `yaml:"scan_timeout"`
	ShutdownTimeout Duration `yaml:"shutdown_timeout"`
	VerdictCache    Size     `yaml:"verdict_cache"`
}

type YARA struct {
	Builtin      bool     `yaml:"builtin"`
	Rules        []string `yaml:"rules"`
	Timeout      Duration `yaml:"timeout"`
	WholeMessage string   `yaml:"whole_message"` // "trimmed" or "full"
	Images       string   `yaml:"images"`        // "trimmed" or "full"
	Packed       string   `yaml:"packed"`        // "trimmed" or "full"
}

type Unpack struct {
	MaxDepth         int      `yaml:"max_depth"`
	MaxMembers       int      `yaml:"max_members"`
	MaxTotalSize     Size     `yaml:"max_total_size"`
	MaxMemberSize    Size     `yaml:"max_member_size"`
	MaxRatio         int      `yaml:"max_ratio"`
	MaxPasswordTries int      `yaml:"max_password_tries"`
	Timeout          Duration `yaml:"timeout"`
	Passwords        []string `yaml:"passwords"`
}

type Heur struct {
	Enabled   bool                     `yaml:"enabled"`
	Checks    map[string]CheckOverride `yaml:"checks"`
	Blocklist string                   `yaml:"url_blocklist"`
	Protected []string                 `yaml:"protected_domains"`
	DNSBL     DNSBL                    `yaml:"dnsbl"`
}

// CheckOverride changes one heuristic check; keys left out keep its default.
type CheckOverride struct {
	Disabled bool    `yaml:"disabled"`
	Severity *string `yaml:"severity"`
	Score    *int    `yaml:"score"`
}

type DNSBL struct {
	Zones      []string `yaml:"zones"`
	Server     string   `yaml:"server"`
	Timeout    Duration `yaml:"timeout"`
	MaxQueries int      `yaml:"max_queries"`
}

// Clamd is the optional ClamAV daemon scanner; an empty address disables it.
type Clamd struct {
	Address     string   `yaml:"address"`
	Timeout     Duration `yaml:"timeout"`
	MaxSize     Size     `yaml:"max_size"`
	Concurrency int      `yaml:"concurrency"`
	TooLarge    string   `yaml:"too_large"`
}

// Known is the known-samples lookup (package known).
type Known struct {
	Enabled bool     `yaml:"enabled"`
	Refresh Duration `yaml:"refresh"`
}

// Similarity is how close a part's TLSH must be to a known sample's.
type Similarity struct {
	Threshold int `yaml:"threshold"`
}

type Policy struct {
	TagScore        int    `yaml:"tag_score"`
	QuarantineScore int    `yaml:"quarantine_score"`
	RejectScore     int    `yaml:"reject_score"`
	Malicious       string `yaml:"malicious"`
	Unscannable     string `yaml:"unscannable"`
	OnError         string `yaml:"on_error"`
	Monitor         bool   `yaml:"monitor"`
	Allow           Allow  `yaml:"allow"`
}

type Allow struct {
	Senders       []string `yaml:"senders"`
	Recipients    []string `yaml:"recipients"`
	Networks      []string `yaml:"networks"`
	Authenticated bool     `yaml:"authenticated"`
	SendersFile   string   `yaml:"senders_file"`
}

// HTTP is the listener for /metrics, /healthz and /readyz.
type HTTP struct {
	Listen         string   `yaml:"listen"`          // host:port; "" turns the listener off
	TrustedProxies []string `yaml:"trusted_proxies"` // may set X-Forwarded-For: addresses or CIDR networks
	MetricsListen  string   `yaml:"metrics_listen"`  // host:port of a listener of its own for /metrics; "" = on listen
}

// ParsedTrustedProxies are http.trusted_proxies as networks.
func (h HTTP) ParsedTrustedProxies() []netip.Prefix {
	var out []netip.Prefix
	for _, n := range h.TrustedProxies {
		if p, err := parseNetwork(n); err == nil {
			out = append(out, p)
		}
	}
	return out
}

type MilterCfg struct {
	MaxConnections int    `yaml:"max_connections"`
	SubjectPrefix  string `yaml:"subject_prefix"`
	RejectCode     int    `yaml:"reject_code"`
	RejectText     string `yaml:"reject_text"`
	TempFailText   string `yaml:"tempfail_text"`
}

// Load reads a file over the embedded defaults: keys it leaves out keep
// their default values. As Parse, it returns the config along with an
// *Error when some values could not be read.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	c, err := Parse(data)
	if c != nil {
		c.path = path
	}
	if err != nil {
		return c, fmt.Errorf("config %s: %w", path, err)
	}
	return c, nil
}

// Parse reads YAML over the embedded defaults. A value that cannot be
// read (a wrong kind, a bad size or duration, an unknown key, a key given
// twice) does not stop the reading: Parse returns the config with that key
// at its default and an *Error listing every such value, so that Validate
// can add the rest. A file that is not YAML at all returns a nil config and
// an *Error with the one syntax error.
func Parse(data []byte) (*Config, error) {
	c := &Config{}
	if _, probs := read(Default, c); len(probs) > 0 {
		return nil, fmt.Errorf("embedded default: %v", probs)
	}
	root, probs := read(data, c)
	if root == nil && len(probs) > 0 {
		return nil, &Error{Problems: probs}
	}
	c.root = root
	sortByLine(probs)
	c.decodeProblems = probs
	if len(probs) > 0 {
		return c, &Error{Problems: probs}
	}
	return c, nil
}

// Path is the file the config came from ("" for the embedded default).
func (c *Config) Path() string { return c.path }

// Error lists every problem found in a config.
type Error struct{ Problems []string }

func (e *Error) Error() string {
	if len(e.Problems) == 1 {
		return e.Problems[0]
	}
	return fmt.Sprintf("%d problems:\n  %s", len(e.Problems), strings.Join(e.Problems, "\n  "))
}

// sortByLine puts problems in the order of their lines (stable: two on
// one line keep theirs).
func sortByLine(probs []string) {
	slices.SortStableFunc(probs, func(a, b string) int { return lineOf(a) - lineOf(b) })
}

// lineOf is the line a problem names ("line 12: …"); problems without one
// sort last.
func lineOf(problem string) int {
	rest, ok := strings.CutPrefix(problem, "line ")
	if !ok {
		return math.MaxInt32
	}
	n, _, _ := strings.Cut(rest, ":")
	if v, err := strconv.Atoi(n); err == nil {
		return v
	}
	return math.MaxInt32
}

// line finds the line of a dotted key path ("policy.allow.networks[1]") in
// the file, or 0.
func (c *Config) line(path string) int {
	if c.root == nil || len(c.root.Content) == 0 {
		return 0
	}
	n := c.root.Content[0]
	for _, key := range strings.Split(path, ".") {
		idx := -1
		if i := strings.IndexByte(key, '['); i >= 0 && strings.HasSuffix(key, "]") {
			idx, _ = strconv.Atoi(key[i+1 : len(key)-1])
			key = key[:i]
		}
		next := (*yaml.Node)(nil)
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == key {
					next = n.Content[i+1]
					if idx < 0 && next.Kind != yaml.MappingNode {
						return n.Content[i].Line
					}
				}
			}
		}
		if next == nil {
			return n.Line
		}
		n = next
		if idx >= 0 && n.Kind == yaml.SequenceNode && idx < len(n.Content) {
			n = n.Content[idx]
		}
	}
	return n.Line
}

// SocketModeBits parses socket_mode ("0660").
func (c *Config) SocketModeBits() (os.FileMode, error) {
	v, err := strconv.ParseUint(c.SocketMode, 8, 32)
	if err != nil || v > 0o777 {
		return 0, fmt.Errorf("%q is not an octal file mode like 0660", c.SocketMode)
	}
	return os.FileMode(v), nil
}

// Networks parses the allow-listed client networks.
func (a Allow) ParsedNetworks() []netip.Prefix {
	var out []netip.Prefix
	for _, n := range a.Networks {
		if p, err := parseNetwork(n); err == nil {
			out = append(out, p)
		}
	}
	return out
}

func parseNetwork(s string) (netip.Prefix, error) {
	s = strings.TrimSpace(s)
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return p, fmt.Errorf("%q is not a network in CIDR form", s)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not an IP address or CIDR network", s)
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

func parseAction(s string) (string, error) {
	if _, err := policy.ParseAction(s); err != nil || strings.TrimSpace(strings.ToLower(s)) != s {
		return "", fmt.Errorf("unknown action %q (want accept, tag, quarantine, reject, discard or tempfail)", s)
	}
	return s, nil
}

// validateHostPort checks a TCP listen address: HOST:PORT, PORT a number.
func validateHostPort(s string) error {
	host, port, err := net.SplitHostPort(s)
	if err != nil || strings.ContainsAny(host, " /@") {
		return fmt.Errorf("%q is not HOST:PORT, e.g. 127.0.0.1:8899 (\"\" turns the listener off)", s)
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil || port[0] == '+' {
		return fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	return nil
}

// Size is a byte count written as 1048576, "64MiB", "10MB", "512KiB".
type Size int64

// UnmarshalYAML reads a size. A bad one is a *yaml.TypeError, so that the
// decoder goes on to the other keys (any other error would stop it).
func (s *Size) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseSize(n.Value)
	if err != nil {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: %v", n.Line, err)}}
	}
	*s = v
	return nil
}

// ParseSize reads a size with an optional unit (B, KB, KiB, MB, MiB, GB, GiB).
func ParseSize(s string) (Size, error) {
	t := strings.TrimSpace(s)
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	v, err := strconv.ParseInt(t, 10, 64)
	if err != nil || v < 0 || v > (1<<62)/mult {
		return 0, fmt.Errorf("%q is not a size like 64MiB", s)
	}
	return Size(v * mult), nil
}

// Duration is a time.Duration written as "30s", "2m".
type Duration time.Duration

// UnmarshalYAML reads a duration; a bad one is a *yaml.TypeError, as for Size.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := parseDuration(n.Value)
	if err != nil {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: %v", n.Line, err)}}
	}
	*d = v
	return nil
}

func parseDuration(s string) (Duration, error) {
	v, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration like 30s", s)
	}
	return Duration(v), nil
}

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }
