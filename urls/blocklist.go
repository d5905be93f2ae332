package urls

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
)

// Blocklist is a local list of bad domains, IP addresses and URLs. It is
// read-only after loading and safe for concurrent use.
type Blocklist struct {
	domains map[string]bool // "evil.example" also matches "a.evil.example"
	urls    []string        // normalised; a URL matches its entries and anything below them
}

// maxBlocklistLine bounds one line of the file.
const maxBlocklistLine = 8192

// LoadBlocklist reads a blocklist file. One entry per line:
//
//	evil.example                   a domain and all its subdomains ("*.evil.example" and ".evil.example" mean the same)
//	198.51.100.7                   an IP address host
//	https://host.example/bad/path  a URL: matches itself and URLs below it (path, query)
//	# comment                      blank lines and text after " #" are ignored
//
// Every bad line is reported with its line number, all at once.
func LoadBlocklist(path string) (*Blocklist, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("urls: blocklist: %w", err)
	}
	defer f.Close()
	bl := &Blocklist{domains: map[string]bool{}}
	var errs []error
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 4096), maxBlocklistLine)
	line := 0
	for sc.Scan() {
		line++
		if err := bl.addLine(sc.Text()); err != nil {
			errs = append(errs, fmt.Errorf("%s:%d: %w", path, line, err))
		}
	}
	if err := sc.Err(); err != nil {
		errs = append(errs, fmt.Errorf("%s:%d: %w", path, line+1, err))
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("urls: blocklist: %w", errors.Join(errs...))
	}
	return bl, nil
}

func (bl *Blocklist) addLine(s string) error {
	if i := strings.Index(s, "#"); i == 0 || (i > 0 && (s[i-1] == ' ' || s[i-1] == '\t')) {
		s = s[:i]
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	if strings.ContainsAny(s, " \t") {
		return fmt.Errorf("%q: one entry per line", cut(s, 80))
	}
	if strings.Contains(s, "://") {
		u := Parse(s)
		if u.Host == "" || u.Normalized == "" {
			return fmt.Errorf("%q: not a URL with a host", cut(s, 80))
		}
		bl.urls = append(bl.urls, u.Normalized)
		return nil
	}
	d := strings.TrimPrefix(strings.TrimPrefix(strings.ToLower(s), "*"), ".")
	d = strings.TrimSuffix(d, ".")
	if ip := net.ParseIP(d); ip != nil {
		bl.domains[ip.String()] = true
		return nil
	}
	if strings.ContainsAny(d, "/?@:") {
		return fmt.Errorf("%q: a URL needs its scheme (http:// or https://)", cut(s, 80))
	}
	h := Parse("http://" + d + "/").Host
	if h == "" || !validHostname(h) {
		return fmt.Errorf("%q: not a domain, IP address or URL", cut(s, 80))
	}
	bl.domains[h] = true
	return nil
}

func validHostname(h string) bool {
	if len(h) > 253 || !strings.Contains(h, ".") {
		return false
	}
	for _, l := range strings.Split(h, ".") {
		if l == "" || len(l) > 63 {
			return false
		}
		for _, c := range l {
			if !(c == '-' || c == '_' || ('a' <= c && c <= 'z') || ('0' <= c && c <= '9')) {
				return false
			}
		}
	}
	return true
}

// Len is the number of entries.
func (bl *Blocklist) Len() int { return len(bl.domains) + len(bl.urls) }

// Match returns the entry that lists u, or "".
func (bl *Blocklist) Match(u URL) string {
	if bl == nil || u.Host == "" {
		return ""
	}
	h := u.Host
	if ip := net.ParseIP(h); ip != nil {
		if bl.domains[ip.String()] {
			return ip.String()
		}
	} else {
		for i := 0; i < 128; i++ {
			if bl.domains[h] {
				return h
			}
			dot := strings.IndexByte(h, '.')
			if dot < 0 {
				break
			}
			h = h[dot+1:]
		}
	}
	for _, e := range bl.urls {
		if u.Normalized == e || strings.TrimSuffix(u.Normalized, "/") == strings.TrimSuffix(e, "/") {
			return e
		}
		if strings.HasPrefix(u.Normalized, e) {
			rest := u.Normalized[len(e):]
			if strings.HasSuffix(e, "/") || strings.ContainsAny(rest[:1], "/?#") {
				return e
			}
		}
	}
	return ""
}
