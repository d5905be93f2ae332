package urls

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/miekg/dns"
)

// DNSBLConfig configures DNS URI blocklist lookups.
type DNSBLConfig struct {
	Zones      []string      // e.g. "dbl.spamhaus.org", "multi.surbl.org"
	Server     string        // resolver "host:port"; "" reads the first nameserver of /etc/resolv.conf
	Timeout    time.Duration // per query; default 2s
	MaxQueries int           // distinct domains looked up per message; default 20
	CacheSize  int           // answers kept; default 10000
	CacheTTL   time.Duration // how long an answer is kept; default 10m
}

// Listing is one zone's positive answer.
type Listing struct {
	Zone   string
	Answer string // the 127.0.0.x address, whose last octet says which list
}

// DNSBL looks hosts up in DNS URI blocklists: "<domain>.<zone>" or, for an
// IPv4 host, "<reversed octets>.<zone>"; an A record in 127.0.0.0/8 means
// listed. It is safe for concurrent use.
type DNSBL struct {
	cfg    DNSBLConfig
	client *dns.Client
	mu     sync.Mutex
	cache  map[string]cacheEntry
	order  []string // insertion order, for eviction
}

type cacheEntry struct {
	listed  string // answer, "" when not listed
	expires time.Time
}

// NewDNSBL checks cfg and fills in defaults.
func NewDNSBL(cfg DNSBLConfig) (*DNSBL, error) {
	if len(cfg.Zones) == 0 {
		return nil, errors.New("urls: dnsbl: no zones")
	}
	for i, z := range cfg.Zones {
		z = strings.Trim(strings.ToLower(strings.TrimSpace(z)), ".")
		if _, ok := dns.IsDomainName(z); !ok || !strings.Contains(z, ".") {
			return nil, fmt.Errorf("urls: dnsbl: zone %q is not a domain name", cfg.Zones[i])
		}
		cfg.Zones[i] = z
	}
	if cfg.Server == "" {
		cc, err := dns.ClientConfigFromFile("/etc/resolv.conf")
		if err != nil {
			return nil, fmt.Errorf("urls: dnsbl: no server configured and /etc/resolv.conf unreadable: %w", err)
		}
		if len(cc.Servers) == 0 {
			return nil, errors.New("urls: dnsbl: no server configured and none in /etc/resolv.conf")
		}
		cfg.Server = net.JoinHostPort(cc.Servers[0], cc.Port)
	}
	if _, _, err := net.SplitHostPort(cfg.Server); err != nil {
		return nil, fmt.Errorf("urls: dnsbl: server %q: %w", cfg.Server, err)
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 2 * time.Second
	}
	if cfg.MaxQueries <= 0 {
		cfg.MaxQueries = 20
	}
	if cfg.CacheSize <= 0 {
		cfg.CacheSize = 10000
	}
	if cfg.CacheTTL <= 0 {
		cfg.CacheTTL = 10 * time.Minute
	}
	return &DNSBL{cfg: cfg, client: &dns.Client{Net: "udp", Timeout: cfg.Timeout},
		cache: map[string]cacheEntry{}}, nil
}

// MaxQueries is how many distinct hosts one message may cause to be looked up.
func (d *DNSBL) MaxQueries() int { return d.cfg.MaxQueries }

// QueryName is the name looked up for host in zone, "" when host cannot be
// listed (IPv6, empty, too long).
func QueryName(host, zone string) string {
	host = strings.Trim(strings.ToLower(host), ".")
	if ip, err := netip.ParseAddr(host); err == nil {
		if !ip.Is4() {
			return ""
		}
		b := ip.As4()
		return fmt.Sprintf("%d.%d.%d.%d.%s.", b[3], b[2], b[1], b[0], zone)
	}
	q := host + "." + zone + "."
	if _, ok := dns.IsDomainName(q); !ok || host == "" || len(q) > 253 {
		return ""
	}
	return q
}

// Lookup asks every zone about host (already reduced to the registered
// domain by the caller), all zones at once, so a slow list costs its own
// timeout, not the sum of them. It returns the zones that list it, in the
// configured order; the error joins the zones that could not be asked.
func (d *DNSBL) Lookup(ctx context.Context, host string) ([]Listing, error) {
	type answer struct {
		listed string
		err    error
	}
	answers := make([]answer, len(d.cfg.Zones))
	var wg sync.WaitGroup
	for i, z := range d.cfg.Zones {
		q := QueryName(host, z)
		if q == "" {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			a, err := d.query(ctx, q)
			if err != nil {
				err = fmt.Errorf("urls: dnsbl %s: %w", strings.TrimSuffix(q, "."), err)
			}
			answers[i] = answer{a, err}
		}()
	}
	wg.Wait()
	var out []Listing
	var errs []error
	for i, a := range answers {
		switch {
		case a.err != nil:
			errs = append(errs, a.err)
		case a.listed != "":
			out = append(out, Listing{Zone: d.cfg.Zones[i], Answer: a.listed})
		}
	}
	return out, errors.Join(errs...)
}

func (d *DNSBL) query(ctx context.Context, q string) (string, error) {
	now := time.Now()
	d.mu.Lock()
	if e, ok := d.cache[q]; ok && now.Before(e.expires) {
		d.mu.Unlock()
		return e.listed, nil
	}
	d.mu.Unlock()

	ctx, cancel := context.WithTimeout(ctx, d.cfg.Timeout)
	defer cancel()
	m := new(dns.Msg)
	m.SetQuestion(q, dns.TypeA)
	m.RecursionDesired = true
	r, _, err := d.client.ExchangeContext(ctx, m, d.cfg.Server)
	if err != nil {
		return "", err
	}
	listed := ""
	switch r.Rcode {
	case dns.RcodeNameError:
	case dns.RcodeSuccess:
		for _, rr := range r.Answer {
			a, ok := rr.(*dns.A)
			if !ok {
				continue
			}
			ip := a.A.To4()
			if ip == nil || ip[0] != 127 {
				continue
			}
			// 127.255.255.x is Spamhaus's "your query was refused" (public
			// resolver, over quota): an error, not a listing.
			if ip[1] == 255 && ip[2] == 255 {
				return "", fmt.Errorf("refused by the list: %s", ip)
			}
			listed = ip.String()
			break
		}
	default:
		return "", fmt.Errorf("rcode %s", dns.RcodeToString[r.Rcode])
	}
	d.store(q, listed, now)
	return listed, nil
}

// store adds an answer, evicting the oldest entries beyond CacheSize.
func (d *DNSBL) store(q, listed string, now time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.cache[q]; !ok {
		d.order = append(d.order, q)
	}
	d.cache[q] = cacheEntry{listed: listed, expires: now.Add(d.cfg.CacheTTL)}
	for len(d.cache) > d.cfg.CacheSize && len(d.order) > 0 {
		delete(d.cache, d.order[0])
		d.order = d.order[1:]
	}
}
