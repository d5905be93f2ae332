package urls

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/miekg/dns"
)

// testDNS is a real DNS server on 127.0.0.1 answering A queries from a table,
// NXDOMAIN otherwise. Names in silent get no answer at all.
type testDNS struct {
	mu      sync.Mutex
	answers map[string]string
	silent  map[string]bool
	asked   map[string]int
}

func (s *testDNS) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	q := strings.ToLower(r.Question[0].Name)
	s.mu.Lock()
	s.asked[q]++
	a, ok := s.answers[q]
	silent := s.silent[q]
	s.mu.Unlock()
	if silent {
		return
	}
	m := new(dns.Msg)
	m.SetReply(r)
	if !ok {
		m.Rcode = dns.RcodeNameError
	} else {
		m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: r.Question[0].Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60}, A: net.ParseIP(a)})
	}
	_ = w.WriteMsg(m)
}

func (s *testDNS) count(q string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.asked[q]
}

func startDNS(t *testing.T, answers map[string]string, silent ...string) (*testDNS, string) {
	t.Helper()
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("test DNS server: %v", err)
	}
	h := &testDNS{answers: answers, silent: map[string]bool{}, asked: map[string]int{}}
	for _, s := range silent {
		h.silent[s] = true
	}
	started := make(chan struct{})
	srv := &dns.Server{PacketConn: pc, Handler: h, NotifyStartedFunc: func() { close(started) }}
	go func() { _ = srv.ActivateAndServe() }()
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("test DNS server did not start")
	}
	t.Cleanup(func() { _ = srv.Shutdown() })
	return h, pc.LocalAddr().String()
}

func TestDNSBL(t *testing.T) {
	srv, addr := startDNS(t, map[string]string{
		"listed.example.dbl.test.":     "127.0.1.2",
		"listed.example.surbl.test.":   "127.0.0.64",
		"7.100.51.198.dbl.test.":       "127.0.0.2",
		"public.example.dbl.test.":     "127.255.255.254",
		"notlocal.example.dbl.test.":   "192.0.2.1",
		"cached.example.dbl.test.":     "127.0.0.2",
		"cached.example.surbl.test.":   "127.0.0.2",
		"evicted1.example.dbl.test.":   "127.0.0.2",
		"evicted2.example.dbl.test.":   "127.0.0.2",
		"evicted1.example.surbl.test.": "127.0.0.2",
		"evicted2.example.surbl.test.": "127.0.0.2",
	}, "slow.example.dbl.test.", "slow.example.surbl.test.")
	// Answers are awaited a minute: on a CI machine busy with other packages,
	// under -race, an answer of the server beside us can take longer than a
	// short timeout, and a lookup cut short would fail the test for the
	// machine's speed. The timeout itself is tested with quick, below.
	zones := []string{"dbl.test", "SURBL.test."}
	d, err := NewDNSBL(DNSBLConfig{Zones: zones, Server: addr, Timeout: time.Minute, CacheSize: 3})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()

	ls, err := d.Lookup(ctx, "listed.example")
	if err != nil || len(ls) != 2 || ls[0] != (Listing{"dbl.test", "127.0.1.2"}) || ls[1] != (Listing{"surbl.test", "127.0.0.64"}) {
		t.Errorf("listed: %+v, %v", ls, err)
	}
	if ls, err := d.Lookup(ctx, "clean.example"); err != nil || len(ls) != 0 {
		t.Errorf("NXDOMAIN: %+v, %v", ls, err)
	}
	if ls, err := d.Lookup(ctx, "198.51.100.7"); err != nil || len(ls) != 1 {
		t.Errorf("IP reversed: %+v, %v", ls, err)
	}
	if ls, err := d.Lookup(ctx, "notlocal.example"); err != nil || len(ls) != 0 {
		t.Errorf("non-127 answer counted: %+v, %v", ls, err)
	}
	if ls, err := d.Lookup(ctx, "public.example"); err == nil || len(ls) != 0 {
		t.Errorf("127.255.255.254 (refused) must be an error: %+v, %v", ls, err)
	}

	// A server that never answers holds a lookup for the timeout, not for
	// d's minute: 10 s is over thirty times quick's, so that only a
	// timeout not honoured fails here, not a busy machine's late timer.
	quick, err := NewDNSBL(DNSBLConfig{Zones: zones, Server: addr, Timeout: 300 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	ls, err = quick.Lookup(ctx, "slow.example")
	if err == nil || len(ls) != 0 {
		t.Errorf("silent server: %+v, %v", ls, err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("timeout not honoured: %v", took)
	}

	for i := 0; i < 3; i++ {
		if _, err := d.Lookup(ctx, "cached.example"); err != nil {
			t.Fatal(err)
		}
	}
	if n := srv.count("cached.example.dbl.test."); n != 1 {
		t.Errorf("cached.example asked %d times, want 1 (cache)", n)
	}
	// CacheSize 3: two more domains (four names) push cached.example out.
	_, _ = d.Lookup(ctx, "evicted1.example")
	_, _ = d.Lookup(ctx, "evicted2.example")
	d.mu.Lock()
	size := len(d.cache)
	d.mu.Unlock()
	if size > 3 {
		t.Errorf("cache holds %d entries, bound 3", size)
	}
	_, _ = d.Lookup(ctx, "cached.example")
	if n := srv.count("cached.example.dbl.test."); n != 2 {
		t.Errorf("cached.example asked %d times after eviction, want 2", n)
	}
}

func TestDNSBLConfig(t *testing.T) {
	if _, err := NewDNSBL(DNSBLConfig{}); err == nil {
		t.Error("no zones accepted")
	}
	if _, err := NewDNSBL(DNSBLConfig{Zones: []string{"bad zone"}, Server: "127.0.0.1:53"}); err == nil {
		t.Error("bad zone accepted")
	}
	if _, err := NewDNSBL(DNSBLConfig{Zones: []string{"dbl.test"}, Server: "127.0.0.1"}); err == nil {
		t.Error("server without port accepted")
	}
	if q := QueryName("2001:db8::1", "dbl.test"); q != "" {
		t.Errorf("IPv6 query name %q", q)
	}
	if q := QueryName("Evil.Example.", "dbl.test"); q != "evil.example.dbl.test." {
		t.Errorf("query name %q", q)
	}
}

// barrierDNS answers nothing until every name in want has been asked (or
// 2 minutes passed), then lists each: only a client that asks all zones at
// once gets answers within its timeout (a minute: long enough that a busy
// machine's slow answers do not fail a client that does).
type barrierDNS struct {
	want map[string]bool
	mu   sync.Mutex
	seen map[string]bool
	all  chan struct{}
}

func (b *barrierDNS) ServeDNS(w dns.ResponseWriter, r *dns.Msg) {
	q := strings.ToLower(r.Question[0].Name)
	b.mu.Lock()
	b.seen[q] = true
	if len(b.seen) == len(b.want) {
		select {
		case <-b.all:
		default:
			close(b.all)
		}
	}
	b.mu.Unlock()
	select {
	case <-b.all:
	case <-time.After(2 * time.Minute):
	}
	m := new(dns.Msg)
	m.SetReply(r)
	m.Answer = append(m.Answer, &dns.A{Hdr: dns.RR_Header{Name: r.Question[0].Name, Rrtype: dns.TypeA, Class: dns.ClassINET, Ttl: 60}, A: net.ParseIP("127.0.0.2")})
	_ = w.WriteMsg(m)
}

func TestDNSBLAsksZonesAtOnce(t *testing.T) {
	pc, err := net.ListenPacket("udp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	zones := []string{"one.test", "two.test", "three.test"}
	h := &barrierDNS{want: map[string]bool{}, seen: map[string]bool{}, all: make(chan struct{})}
	for _, z := range zones {
		h.want["host.example."+z+"."] = true
	}
	srv := &dns.Server{PacketConn: pc, Handler: h}
	go func() { _ = srv.ActivateAndServe() }()
	t.Cleanup(func() { _ = srv.Shutdown() })
	d, err := NewDNSBL(DNSBLConfig{Zones: zones, Server: pc.LocalAddr().String(), Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	ls, err := d.Lookup(context.Background(), "host.example")
	if err != nil || len(ls) != 3 || ls[0].Zone != "one.test" || ls[2].Zone != "three.test" {
		t.Errorf("Lookup = %+v, %v; want all three zones, in order (asked one at a time, the first times out)", ls, err)
	}
}
