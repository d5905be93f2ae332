package engine

import (
	"container/list"
	"crypto/sha256"
	"encoding/binary"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/scanners"
	"github.com/kensa-milter/kensa/unpack"
)

// Cache remembers what scanning an attachment found, by its content, name
// and type, so that a mass mailing of one attachment is unpacked and scanned
// once. It belongs to one Setup: a reload (new rules or config) starts an
// empty one. It is bounded by the bytes its entries hold (least recently
// used first out), never by the attachments' own size.
type Cache struct {
	max   int64
	epoch func() int64 // also part of every key: the known set's generation

	mu    sync.Mutex
	size  int64
	order *list.List // front: most recently used
	items map[[32]byte]*list.Element

	hits, misses atomic.Int64
}

// NewCache returns a cache of at most maxBytes (nil when maxBytes <= 0).
// epoch, when not nil, is folded into every key: when it moves (the known
// set changed), older entries are no longer found.
func NewCache(maxBytes int64, epoch func() int64) *Cache {
	if maxBytes <= 0 {
		return nil
	}
	return &Cache{max: maxBytes, epoch: epoch, order: list.New(), items: map[[32]byte]*list.Element{}}
}

// minCached is the smallest attachment worth a cache entry.
const minCached = 1024

type cacheEntry struct {
	key      [32]byte
	findings []scanners.Finding // Part relative to the attachment: "" itself, "/x" below it
	problems []message.Problem
	parts    []PartInfo
	size     int64
}

// Stats are the hits and misses since the cache was made.
func (c *Cache) Stats() (hits, misses int64) {
	if c == nil {
		return 0, 0
	}
	return c.hits.Load(), c.misses.Load()
}

func (c *Cache) key(p *message.Part) [32]byte {
	h := sha256.New()
	var n [8]byte
	if c.epoch != nil {
		binary.LittleEndian.PutUint64(n[:], uint64(c.epoch()))
	}
	h.Write(n[:])
	// The names and declared type take part in the checks (double
	// extensions, names that disagree), and so does a part only some
	// readings of its message show: the same bytes under another name
	// are another entry.
	for _, s := range append([]string{p.Filename, p.DeclaredType, p.ShownBy}, p.AltNames...) {
		binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	sum := sha256.Sum256(p.Content)
	h.Write(sum[:])
	var k [32]byte
	h.Sum(k[:0])
	return k
}

// cacheable says whether a part is an attachment the cache handles: a
// top-level part with a name or a type other than text, big enough to
// matter.
func cacheable(p *message.Part) bool {
	return p.Depth == 0 && len(p.Content) >= minCached && !p.Encrypted &&
		(p.Filename != "" || !strings.HasPrefix(p.DeclaredType, "text/"))
}

// hit is an attachment whose findings come from the cache.
type hit struct {
	path  string
	entry *cacheEntry
}

// take removes from m the attachments the cache knows, so that nothing
// unpacks or scans them, and returns them with the keys of the others.
func (c *Cache) take(m *message.Message) (hits []hit, misses map[string][32]byte) {
	misses = map[string][32]byte{}
	// A part with other parts of the parse below it (decoded TNEF,
	// forwarded mail) or above it is scanned as usual: its findings would
	// otherwise be both replayed and found again.
	paths := make(map[string]bool, len(m.Parts))
	for _, p := range m.Parts {
		paths[p.Path] = true
	}
	nested := map[string]bool{}
	for _, p := range m.Parts {
		for a := p.Path; ; {
			i := strings.LastIndexByte(a, '/')
			if i < 0 {
				break
			}
			if a = a[:i]; paths[a] {
				nested[a], nested[p.Path] = true, true
			}
		}
	}
	kept := m.Parts[:0:0]
	for _, p := range m.Parts {
		if !cacheable(p) || nested[p.Path] {
			kept = append(kept, p)
			continue
		}
		k := c.key(p)
		c.mu.Lock()
		el, ok := c.items[k]
		if ok {
			c.order.MoveToFront(el)
		}
		c.mu.Unlock()
		if ok {
			c.hits.Add(1)
			hits = append(hits, hit{path: p.Path, entry: el.Value.(*cacheEntry)})
			m.Answered = append(m.Answered, p) // a password.txt in it still opens a locked archive beside it
			continue
		}
		c.misses.Add(1)
		misses[p.Path] = k
		kept = append(kept, p)
	}
	m.Parts = kept
	return hits, misses
}

func under(path, root string) (rel string, ok bool) {
	if path == root {
		return "", true
	}
	if strings.HasPrefix(path, root+"/") {
		return path[len(root):], true
	}
	return "", false
}

// borrowed are the outcomes an attachment can owe to the rest of its
// message rather than to its own bytes: a container opened at another
// path, budgets of the whole message (members, bytes, time, images and time
// for reading codes). Replayed for the attachment alone, they would hide
// what a scan of it finds (an attacker would send it once beside a decoy).
var borrowed = map[string]bool{
	unpack.ReasonDuplicate: true, unpack.ReasonTime: true,
	unpack.ReasonMembers: true, unpack.ReasonTotalSize: true,
}

// borrowedFinding is the heuristic that notes an image whose codes were
// not read in full (the message's image count or time ran out).
const borrowedFinding = "image-not-searched"

// put remembers what the scan found in each missed attachment. Attachments
// holding anything encrypted are left out (a password from the message
// text may have opened them), as are those with a borrowed outcome, and
// everything when the scan had errors.
func (c *Cache) put(misses map[string][32]byte, m *message.Message, findings []scanners.Finding, parts []PartInfo) {
	for root, k := range misses {
		e := &cacheEntry{key: k}
		ok := true
		for _, p := range m.Parts {
			if _, in := under(p.Path, root); in && (p.Encrypted || p.UnlockedBy != "") {
				ok = false
			}
		}
		for _, p := range m.Problems {
			if _, in := under(p.Part, root); in && borrowed[p.Reason] {
				ok = false
			}
		}
		for _, f := range findings {
			if _, in := under(f.Part, root); in && f.ID == borrowedFinding {
				ok = false
			}
		}
		if !ok {
			continue
		}
		e.size = 200
		for _, f := range findings {
			if rel, in := under(f.Part, root); in {
				f.Part = rel
				e.findings = append(e.findings, f)
				e.size += int64(100 + len(f.Scanner) + len(f.ID) + len(f.Part) + len(f.Detail) + len(f.Action))
			}
		}
		for _, p := range m.Problems {
			if rel, in := under(p.Part, root); in {
				p.Part = rel
				e.problems = append(e.problems, p)
				e.size += int64(60 + len(p.Part) + len(p.Reason) + len(p.Detail))
			}
		}
		for _, p := range parts {
			if rel, in := under(p.Path, root); in {
				p.Path = rel
				e.parts = append(e.parts, p)
				e.size += int64(80 + len(p.Path) + len(p.Filename) + len(p.DeclaredType) + len(p.DetectedType) + len(p.SHA256) + len(p.TLSH))
			}
		}
		c.add(e)
	}
}

func (c *Cache) add(e *cacheEntry) {
	if e.size > c.max {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[e.key]; ok {
		c.order.MoveToFront(el)
		return
	}
	c.items[e.key] = c.order.PushFront(e)
	c.size += e.size
	for c.size > c.max {
		el := c.order.Back()
		old := el.Value.(*cacheEntry)
		c.order.Remove(el)
		delete(c.items, old.key)
		c.size -= old.size
	}
}

// replay gives the cached findings, problems and parts of hits, under the
// paths the attachments have in this message.
func replay(hits []hit) (findings []scanners.Finding, problems []message.Problem, parts []PartInfo) {
	for _, h := range hits {
		for _, f := range h.entry.findings {
			f.Part = h.path + f.Part
			findings = append(findings, f)
		}
		for _, p := range h.entry.problems {
			p.Part = h.path + p.Part
			problems = append(problems, p)
		}
		for _, p := range h.entry.parts {
			p.Path = h.path + p.Path
			p.Cached = true
			parts = append(parts, p)
		}
	}
	return findings, problems, parts
}
