package unpack

import (
	"archive/tar"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/kensa-milter/kensa/filetype"
	"github.com/kensa-milter/kensa/message"
)

// Tar as GNU tar, libarchive (bsdtar, Windows' tar.exe) and 7-Zip read it
// (checked against all three in tar_test.go). archive/tar reads the
// members; a walk of the raw headers (tarWalk) adds what those tools do
// otherwise:
//   - every type flag they extract as a file: '0' and the old '\x00', and
//     also '7' (contiguous), GNU sparse 'S', multi-volume 'M' and any flag
//     they do not know, which all three extract as a regular file;
//   - every name they show: a PAX path ('x', or Solaris' 'X', which
//     archive/tar passes over) and a GNU long name ('L') both, where
//     archive/tar keeps the long name and GNU tar and 7-Zip the PAX path;
//     a global PAX path ('g'), which GNU tar gives the members that have
//     no path of their own; a PAX path cut at a NUL (bsdtar, GNU tar);
//   - members behind a PAX header archive/tar refuses (a NUL in a path, a
//     record whose length is wrong): GNU tar, bsdtar and 7-Zip read on.

// tarEntry is a member as the walk of the raw headers sees it.
type tarEntry struct {
	data, size int
	names      []string // every name a tool shows for it
}

// maxTarNames bounds the names one member collects from its headers.
const maxTarNames = 8

// tarNotFile are the type flags no tool extracts as a file: links,
// devices, folders, FIFOs, GNU's folder listing and volume label, and the
// headers about the next member.
const tarNotFile = "123456DVxgXLKN"

func openTar(c *container) error {
	b := c.part.Content
	walk := tarWalk(b)
	byData := make(map[int]tarEntry, len(walk))
	for _, e := range walk {
		byData[e.data] = e
	}
	br := bytes.NewReader(b)
	tr := tar.NewReader(br)
	last := -1 // data offset of the last member archive/tar gave
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			// Read on as the tools do, from the walk, and say what broke.
			if err := c.tarRest(walk, last); err != nil {
				return err
			}
			return fmt.Errorf("tar: %w", err)
		}
		at := len(b) - br.Len() // archive/tar reads no further than the data
		last = at
		if h.Typeflag != oldTarReg && strings.IndexByte(tarNotFile, h.Typeflag) >= 0 {
			continue
		}
		p, err := c.member(h.Name, tr, h.Size)
		if errors.Is(err, errStop) {
			return err
		}
		c.noteAsIs(p, int64(at))
		if e, ok := byData[at]; ok {
			c.tarNames(p, h.Name, e.names)
		}
		if err != nil {
			return fmt.Errorf("tar: member %q: %w", cleanName(h.Name), err)
		}
	}
}

// tarRest reads the members the walk found after the data at offset last.
func (c *container) tarRest(walk []tarEntry, last int) error {
	b := c.part.Content
	for _, e := range walk {
		if e.data <= last {
			continue
		}
		p, err := c.member(e.names[0], bytes.NewReader(b[e.data:e.data+e.size]), int64(e.size))
		if errors.Is(err, errStop) {
			return err
		}
		c.noteAsIs(p, int64(e.data))
		c.tarNames(p, e.names[0], e.names)
	}
	return nil
}

// tarNames gives p the other names tools show for it; names tools
// disagree on make the archive ambiguous.
func (c *container) tarNames(p *message.Part, name string, names []string) {
	if p == nil {
		return
	}
	for _, n := range names {
		if n != name {
			addAltName(p, n)
			c.ambiguous(fmt.Sprintf("tar member %q is also named %q (PAX, GNU long name or global headers that tools read differently)", cleanName(name), cleanName(n)))
		}
	}
}

// tarWalk lists the members of a tar archive from its raw headers, each
// with every name a tool shows for it. It stops where GNU tar does: at a
// zero block or a header whose checksum is wrong. Each step moves on by a
// block at least.
func tarWalk(b []byte) []tarEntry {
	var (
		out      []tarEntry
		own      []string // PAX paths and GNU long names for the next member
		global   string   // the last global PAX path
		ownSeen  bool
		fallback bool // a PAX path 7-Zip refuses: it shows the header's name
		paxSize  = -1 // the next member's size from a PAX header
	)
	for pos := 0; pos+512 <= len(b); {
		h := b[pos : pos+512]
		if !tarChecksumOK(h) {
			break
		}
		size, ok := tarSize(h[124:136])
		if !ok {
			break
		}
		if paxSize >= 0 && strings.IndexByte("xXgLK", h[156]) < 0 {
			size = paxSize // a PAX size record overrides the header's
		}
		data := pos + 512
		size = min(size, len(b)-data) // a cut archive: what is there
		body := b[data : data+size]
		pos = data + (size+511)/512*512
		switch typ := h[156]; {
		case typ == 'x' || typ == 'X':
			ownSeen = true
			ps, nul, sz := paxRecords(body)
			own, fallback = appendNames(own, ps...), fallback || nul
			if sz >= 0 {
				paxSize = sz
			}
		case typ == 'g':
			if ps, _, _ := paxRecords(body); len(ps) > 0 {
				global = ps[len(ps)-1]
			}
		case typ == 'L':
			ownSeen = true
			own = appendNames(own, cString(body))
		case typ != oldTarReg && strings.IndexByte(tarNotFile, typ) >= 0:
			own, ownSeen, fallback, paxSize = nil, false, false, -1
		default:
			names := own
			if !ownSeen || len(own) == 0 {
				names = appendNames(nil, tarHeaderName(h), global)
			} else if fallback {
				names = appendNames(names, tarHeaderName(h))
			}
			if len(names) == 0 {
				names = []string{"_"}
			}
			out = append(out, tarEntry{data: data, size: size, names: names})
			own, ownSeen, fallback, paxSize = nil, false, false, -1
		}
	}
	return out
}

// appendNames adds the non-empty names not yet in list, up to maxTarNames.
func appendNames(list []string, names ...string) []string {
	for _, n := range names {
		if n != "" && len(list) < maxTarNames && !slices.Contains(list, n) {
			list = append(list, n)
		}
	}
	return list
}

// tarHeaderName is the name field, with the ustar prefix when there is one.
func tarHeaderName(h []byte) string {
	name := cString(h[0:100])
	if string(h[257:263]) == "ustar\x00" {
		if prefix := cString(h[345:500]); prefix != "" {
			name = prefix + "/" + name
		}
	}
	return name
}

// paxRecords reads a PAX header: the values of its path records, in
// order, each cut at a NUL as bsdtar and GNU tar cut them; nul says one
// had a NUL (7-Zip then shows the header's own name); size is the last
// size record, -1 for none. Parsing stops at the first malformed record,
// as GNU tar and 7-Zip stop.
func paxRecords(body []byte) (out []string, nul bool, size int) {
	size = -1
	for len(body) > 0 && len(out) < maxTarNames {
		sp := bytes.IndexByte(body, ' ')
		if sp <= 0 || sp > 20 {
			break
		}
		n, err := strconv.Atoi(string(body[:sp]))
		if err != nil || n <= sp+1 || n > len(body) || body[n-1] != '\n' {
			break
		}
		rec := body[sp+1 : n-1]
		body = body[n:]
		k, v, ok := bytes.Cut(rec, []byte("="))
		switch {
		case !ok:
		case string(k) == "path":
			out = append(out, cString(v))
			nul = nul || bytes.IndexByte(v, 0) >= 0
		case string(k) == "size":
			if n, err := strconv.ParseInt(string(v), 10, 64); err == nil && n >= 0 && n <= 1<<40 {
				size = int(n)
			}
		}
	}
	return out, nul, size
}

// cString is b up to its first NUL.
func cString(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

// tarSize reads a size field: octal digits, or base-256 (GNU) when the
// top bit of the first byte is set. ok is false for a size past 2^40.
func tarSize(f []byte) (int, bool) {
	if f[0]&0x80 != 0 {
		n := 0
		for i, c := range f {
			if i == 0 {
				c &= 0x7F
			}
			if n > 1<<40>>8 {
				return 0, false
			}
			n = n<<8 | int(c)
		}
		return n, true
	}
	s := strings.Trim(string(f), " \x00")
	if s == "" {
		return 0, true
	}
	n, err := strconv.ParseInt(s, 8, 64)
	if err != nil || n < 0 || n > 1<<40 {
		return 0, false
	}
	return int(n), true
}

// tarChecksumOK checks a header's checksum field (octal or base-256)
// against either sum tar accepts (filetype.TarHeaderSums).
func tarChecksumOK(h []byte) bool {
	want, ok := tarSize(h[148:156])
	if !ok {
		return false
	}
	u, s := filetype.TarHeaderSums(h)
	return want == u || want == s
}
