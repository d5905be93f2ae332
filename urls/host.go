package urls

import (
	"net/netip"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/kensa-milter/kensa/pdfsyntax"
	"golang.org/x/net/idna"
)

// This file reads the authority of a URL with a special scheme (http, https,
// ftp, ws, wss) as the WHATWG URL standard does, which is what browsers do:
// any run of slashes and backslashes after the scheme, userinfo up to the
// last "@", a percent-decoded host mapped by UTS-46, IPv4 addresses in every
// form inet_aton accepts, trailing dots dropped. Go's net/url refuses some of
// these links ("http://%31%39%38.%35%31.%31%30%30.%37/" is one) although a
// browser opens them, so the host must not depend on it.

// specialPorts are the schemes the standard treats as special, with their
// default ports.
var specialPorts = map[string]string{"http": "80", "https": "443", "ftp": "21", "ws": "80", "wss": "443"}

// authority is what parseAuthority reads.
type authority struct {
	user string // userinfo as written (before the last "@"), "" for none
	host string // ASCII host: a domain, a dotted IPv4 address or an IPv6 address without brackets
	port string // "" for the default
	rest string // path, query and fragment as written, backslashes read as slashes
}

// whatwgIDNA maps a domain the way the URL standard's "domain to ASCII"
// does: UTS-46 non-transitional, no STD3 rules, no hyphen checks.
var whatwgIDNA = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.Transitional(false),
	idna.StrictDomainName(false), idna.CheckHyphens(false), idna.CheckJoiners(true), idna.VerifyDNSLength(false))

// parseAuthority reads s, which starts just after "scheme:". ok is false
// where a browser would refuse the URL too.
// hosts memoises ParseHost ("" for a refused host); nil for none.
func parseAuthority(s, scheme string, hosts map[string]string) (a authority, ok bool) {
	i := 0
	for i < len(s) && (s[i] == '/' || s[i] == '\\') {
		i++
	}
	s = s[i:]
	end := strings.IndexAny(s, `/\?#`)
	if end < 0 {
		end = len(s)
	}
	auth, rest := s[:end], s[end:]
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		a.user, auth = auth[:at], auth[at+1:]
	}
	hostPart, port := auth, ""
	if c := strings.LastIndexByte(auth, ':'); c >= 0 && !strings.Contains(auth[c:], "]") {
		hostPart, port = auth[:c], auth[c+1:]
	}
	if port != "" {
		n, err := strconv.ParseUint(port, 10, 16)
		if err != nil || strings.ContainsAny(port, "+-") {
			return a, false
		}
		port = strconv.FormatUint(n, 10)
		if port == specialPorts[scheme] {
			port = ""
		}
	}
	h, seen := hosts[hostPart]
	if !seen {
		h, _ = ParseHost(hostPart)
		if hosts != nil && len(hosts) < MaxPerPart {
			hosts[hostPart] = h
		}
	}
	if h == "" {
		return a, false
	}
	a.host, a.port = h, port
	a.rest = strings.ReplaceAll(rest, `\`, "/")
	return a, true
}

// ParseHost reads the host of a special URL as a browser does and returns it
// in ASCII: a lower-case domain without trailing dot, IPv4 dotted decimal or
// IPv6 without brackets. ok is false for a host a browser refuses.
func ParseHost(s string) (string, bool) {
	if s == "" {
		return "", false
	}
	if s[0] == '[' {
		if s[len(s)-1] != ']' {
			return "", false
		}
		ip, err := netip.ParseAddr(s[1 : len(s)-1])
		if err != nil || !ip.Is6() || ip.Zone() != "" {
			return "", false
		}
		return ip.String(), true
	}
	d, ok := percentDecode(s)
	if !ok || !utf8.ValidString(d) || strings.ContainsRune(d, utf8.RuneError) {
		return "", false // a browser sees U+FFFD here, which no host may hold
	}
	a, err := whatwgIDNA.ToASCII(d)
	if err != nil || a == "" {
		return "", false
	}
	if len(a) > 253 && strings.Contains(a, "xn--") {
		// A label of thousands of characters encodes to punycode that
		// does not decode back (found by FuzzParseHost): longer than any
		// name DNS resolves, so it names no host a reader can reach.
		if _, err := whatwgIDNA.ToASCII(a); err != nil {
			return "", false
		}
	}
	for i := 0; i < len(a); i++ {
		if forbiddenDomain[a[i]] {
			return "", false
		}
	}
	if endsInNumber(a) {
		return parseIPv4(a)
	}
	// A name with or without its root dot is the same site.
	if t := strings.TrimSuffix(a, "."); t != "" {
		a = t
	}
	return a, true
}

// forbiddenDomain marks the ASCII bytes a domain may not hold after mapping.
var forbiddenDomain = func() (t [256]bool) {
	for c := 0; c <= 0x20; c++ {
		t[c] = true
	}
	for _, c := range []byte("#/:<>?@[\\]^|%\x7f") {
		t[c] = true
	}
	return t
}()

// percentDecode decodes %XX escapes; a "%" without two hex digits stays as
// it is (and is then refused as a forbidden code point).
func percentDecode(s string) (string, bool) {
	if !strings.Contains(s, "%") {
		return s, true
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) {
			if hi, lo := pdfsyntax.Unhex(s[i+1]), pdfsyntax.Unhex(s[i+2]); hi >= 0 && lo >= 0 {
				b = append(b, byte(hi<<4|lo))
				i += 2
				continue
			}
		}
		b = append(b, s[i])
	}
	// Browsers decode the bytes as UTF-8 and refuse the host at the first
	// replacement character.
	return string(b), utf8.Valid(b)
}

// endsInNumber is the standard's test for a host meant as IPv4: its last
// label (ignoring one trailing dot) is digits or a 0x number.
func endsInNumber(s string) bool {
	s = strings.TrimSuffix(s, ".")
	last := s[strings.LastIndexByte(s, '.')+1:]
	if last == "" {
		return false
	}
	if allDigits(last) {
		return true
	}
	_, ok := ipv4Number(last)
	return ok
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// ipv4Number reads one part of an IPv4 address: 0x hex, 0 octal, or decimal.
func ipv4Number(s string) (uint64, bool) {
	if s == "" {
		return 0, false
	}
	base := 10
	switch {
	case len(s) >= 2 && (s[:2] == "0x" || s[:2] == "0X"):
		s, base = s[2:], 16
		if s == "" {
			return 0, true
		}
	case len(s) >= 2 && s[0] == '0':
		s, base = s[1:], 8
	}
	for i := 0; i < len(s); i++ {
		if pdfsyntax.Unhex(s[i]) < 0 || pdfsyntax.Unhex(s[i]) >= base {
			return 0, false
		}
	}
	s = strings.TrimLeft(s, "0")
	if len(s) > 16 { // far past 2^32 in any base: no overflow games
		return 1 << 40, true
	}
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseUint(s, base, 64)
	return n, err == nil
}

// parseIPv4 reads "3232235777", "0x7f.1", "0300.0250.0.1", "127.1." as
// inet_aton and browsers do, and returns dotted decimal.
func parseIPv4(s string) (string, bool) {
	s = strings.TrimSuffix(s, ".")
	parts := strings.Split(s, ".")
	if len(parts) > 4 {
		return "", false
	}
	nums := make([]uint64, len(parts))
	for i, p := range parts {
		n, ok := ipv4Number(p)
		if !ok {
			return "", false
		}
		if i < len(parts)-1 && n > 255 {
			return "", false
		}
		nums[i] = n
	}
	last := nums[len(nums)-1]
	if last >= 1<<(8*(5-len(nums))) {
		return "", false
	}
	v := last
	for i, n := range nums[:len(nums)-1] {
		v += n << (8 * (3 - i))
	}
	return strconv.Itoa(int(v>>24)) + "." + strconv.Itoa(int(v>>16&255)) + "." +
		strconv.Itoa(int(v>>8&255)) + "." + strconv.Itoa(int(v&255)), true
}
