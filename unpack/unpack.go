package unpack

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/kensa-milter/kensa/message"
)

// Limits bound the work Expand does on one message.
type Limits struct {
	MaxDepth         int           // containers inside containers
	MaxMembers       int           // members per message, all containers together
	MaxTotalBytes    int64         // expanded bytes per message
	MaxMemberBytes   int64         // one member
	MaxRatio         int           // expanded/packed size of one member, checked past ratioFloor
	MaxPasswordTries int           // passwords tried per encrypted container
	Timeout          time.Duration // unpacking time per message
}

// DefaultLimits returns the documented defaults (see the package comment).
func DefaultLimits() Limits {
	return Limits{
		MaxDepth:         8,
		MaxMembers:       2000,
		MaxTotalBytes:    64 << 20,
		MaxMemberBytes:   32 << 20,
		MaxRatio:         200,
		MaxPasswordTries: 20,
		Timeout:          10 * time.Second,
	}
}

// withDefaults fills zero fields so a partly filled Limits is still bounded.
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxMembers <= 0 {
		l.MaxMembers = d.MaxMembers
	}
	if l.MaxTotalBytes <= 0 {
		l.MaxTotalBytes = d.MaxTotalBytes
	}
	if l.MaxMemberBytes <= 0 {
		l.MaxMemberBytes = d.MaxMemberBytes
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = d.MaxRatio
	}
	if l.MaxPasswordTries <= 0 {
		l.MaxPasswordTries = d.MaxPasswordTries
	}
	if l.Timeout <= 0 {
		l.Timeout = d.Timeout
	}
	return l
}

// Options configure Expand.
type Options struct {
	Limits    Limits
	Passwords []string // configured list, tried after the ones found in the message
}

// Reasons for Problems added by Expand. They are stable: logs, headers and
// metrics use them.
const (
	ReasonDepth       = "limit-depth"
	ReasonMembers     = "limit-members"
	ReasonTotalSize   = "limit-total-size"
	ReasonMemberSize  = "limit-member-size"
	ReasonRatio       = "limit-ratio"
	ReasonTime        = "limit-time"
	ReasonCorrupt     = "corrupt-archive"
	ReasonEncrypted   = "encrypted-archive"
	ReasonUnsupported = "unsupported-container"
	ReasonDuplicate   = "duplicate-container" // not unscannable: the same bytes were opened at another path
)

// errStop ends all unpacking of the message: a message-wide limit was hit.
var errStop = errors.New("unpack: message limit reached")

// Expand opens every container among m.Parts, recursively, and appends the
// members to m.Parts and what could not be read to m.Problems. It never
// panics and is bounded by opts.Limits.
func Expand(ctx context.Context, m *message.Message, opts Options) {
	if m == nil {
		return
	}
	lim := opts.Limits.withDefaults()
	ctx, cancel := context.WithTimeout(ctx, lim.Timeout)
	defer cancel()
	w := newWalker(ctx, m, lim, opts.Passwords)
	defer w.putBack() // a locked container set aside keeps its result
	// Parts appended while we go are visited by the same loop: breadth first.
	// Locked containers set aside (see retryLater) are tried again once the
	// parts after them have been read, then the loop goes on with what
	// that added.
	for i := 0; ; i++ {
		if i == len(m.Parts) {
			if len(w.later) == 0 || w.stopped {
				return
			}
			w.retryLocked()
			if i == len(m.Parts) {
				return
			}
		}
		if w.stopped {
			return
		}
		if w.expired() {
			w.stop(m.Parts[i], ReasonTime, "unpacking took longer than "+lim.Timeout.String())
			return
		}
		w.at = i
		w.open(m.Parts[i])
	}
}

func newWalker(ctx context.Context, m *message.Message, lim Limits, passwords []string) *walker {
	w := &walker{
		ctx:      ctx,
		m:        m,
		lim:      lim,
		config:   passwords,
		ours:     map[*message.Part]bool{},
		noExpand: map[*message.Part]bool{},
		paths:    map[string]bool{},
		seenLen:  map[int]*message.Part{},
		seenSum:  map[[32]byte]string{},
	}
	for _, p := range m.Parts {
		w.paths[p.Path] = true
	}
	return w
}

// walker is the state of one Expand call.
type walker struct {
	ctx    context.Context
	m      *message.Message
	lim    Limits
	config []string
	pw     []candidate // gathered from the message as parts come (candidates)
	// pwFound holds each source's passwords, pwSeen every password found,
	// pwParts how many parts were read for them, pwText the bytes of
	// attachment text read, pwPDFs the PDFs whose text was read.
	pwFound map[string][]string
	pwSeen  map[string]bool
	pwParts int
	pwText  int
	pwPDFs  int
	// hashRounds is the password hashing spent on encrypted Office
	// documents, bounded by maxOfficeHashRounds.
	hashRounds int64
	members    int
	total      int64
	stopped    bool
	ours       map[*message.Part]bool // parts this walker made (their path ends in their name)
	noExpand   map[*message.Part]bool // truncated members: never opened as containers
	paths      map[string]bool
	// Containers opened so far, to open identical bytes once: by length,
	// and by SHA-256 once a second container of that length turns up (most
	// messages never pay for a hash). seenLen holds the first container of
	// a length until it is hashed, then nil.
	seenLen map[int]*message.Part
	seenSum map[[32]byte]string // content hash → path of the copy opened
	at      int                 // index of the part being opened
	later   []*lockedRun        // locked containers set aside until the walk has read on
}

// expired says the time budget is spent. It reads the clock as well as the
// context: on a busy machine the context's timer can fire late, and the
// budget is a promise about time, not about the timer.
func (w *walker) expired() bool {
	if w.ctx.Err() != nil {
		return true
	}
	d, ok := w.ctx.Deadline()
	return ok && !time.Now().Before(d)
}

// openedBefore is the path of a container with the same bytes as p opened
// earlier, if any, and otherwise records p as opened.
func (w *walker) openedBefore(p *message.Part) (string, bool) {
	n := len(p.Content)
	first, ok := w.seenLen[n]
	if !ok {
		w.seenLen[n] = p
		return "", false
	}
	if first != nil {
		w.seenSum[sha256.Sum256(first.Content)] = first.Path
		w.seenLen[n] = nil
	}
	sum := sha256.Sum256(p.Content)
	if path, ok := w.seenSum[sum]; ok {
		return path, true
	}
	w.seenSum[sum] = p.Path
	return "", false
}

// open expands one part if it is a container, turning panics into problems.
func (w *walker) open(p *message.Part) {
	// An opaque-signed part's content is parsed already (message.Part.Signed);
	// its CMS bytes hold that content undecoded, which no reader opens.
	if w.noExpand[p] || p.Encrypted || p.Signed {
		return
	}
	k := sniff(p)
	var seconds [2]*kind // second readings of the same bytes, not allocated
	within := seconds[:0]
	for _, wk := range [...]*kind{zipWithin(p, k), webArchiveWithin(p)} {
		if wk != nil {
			within = append(within, wk)
		}
	}
	if k == &namedArchiveKind && len(within) > 0 {
		k = nil // an archive after other data: read as that, not refused
	}
	if k == nil && len(within) == 0 {
		return
	}
	name := ""
	if k != nil {
		name = k.name
	} else {
		name = within[0].name
	}
	// Identical bytes give identical members: open each distinct container
	// once. This also takes the air out of 42.zip-style nested bombs.
	if first, ok := w.openedBefore(p); ok {
		w.m.Problems = append(w.m.Problems, message.Problem{Part: p.Path, Reason: ReasonDuplicate, Detail: "same bytes as " + first + ", opened there"})
		return
	}
	if p.Depth >= w.lim.MaxDepth {
		w.problem(p, ReasonDepth, fmt.Sprintf("%s container at depth %d (limit %d) not opened", name, p.Depth, w.lim.MaxDepth))
		return
	}
	if k != nil {
		w.run(p, k)
	}
	for _, wk := range within {
		if !w.stopped {
			w.run(p, wk)
		}
	}
}

// run opens p as kind k.
func (w *walker) run(p *message.Part, k *kind) {
	w.runContainer(&container{w: w, part: p, kind: k.name, base: w.base(p, k.name)}, k)
}

// runContainer opens c as kind k, turning panics into problems, and
// records its error; a container left locked before the walk has read
// every part is set aside (retryLater).
func (w *walker) runContainer(c *container, k *kind) {
	p := c.part
	defer func() {
		if r := recover(); r != nil {
			w.problem(p, ReasonCorrupt, firstLine(fmt.Sprintf("%s: panic while reading: %v", k.name, r)))
			w.m.Problems[len(w.m.Problems)-1].Stack = string(debug.Stack())
		}
	}()
	run := &lockedRun{part: p, kind: k, before: *p, parts: len(w.m.Parts), problems: len(w.m.Problems), members: w.members, total: w.total}
	err := k.open(c)
	if err != nil {
		p.Packed = nil // a container that did not open cleanly is scanned whole
	}
	dropOverlaps(p)
	defer w.retryLater(run, c)
	var limit *limitError
	switch {
	case err == nil:
	case errors.Is(err, errStop):
	case errors.As(err, &limit):
		w.problem(p, limit.reason, fmt.Sprintf("unpack: %s %q: %s", k.name, p.Path, limit.detail))
	case w.expired():
		w.stop(p, ReasonTime, "unpacking took longer than "+w.lim.Timeout.String())
	case errors.Is(err, errUnsupported):
		w.problem(p, ReasonUnsupported, err.Error())
	default:
		w.problem(p, ReasonCorrupt, fmt.Sprintf("unpack: %s %q: %v", k.name, p.Path, err))
	}
}

// firstLine keeps a problem's detail to one line (a panic value may hold more).
func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}

func (w *walker) problem(p *message.Part, reason, detail string) {
	path := ""
	if p != nil {
		path = p.Path
	}
	w.m.Problems = append(w.m.Problems, message.Problem{Part: path, Reason: reason, Detail: detail, Unscannable: true})
}

// stop records a message-wide limit once and ends unpacking.
func (w *walker) stop(p *message.Part, reason, detail string) {
	if w.stopped {
		return
	}
	w.stopped = true
	w.problem(p, reason, detail)
}

// base is the path prefix for members of p.
func (w *walker) base(p *message.Part, kind string) string {
	if w.ours[p] {
		return p.Path
	}
	name := cleanName(baseName(p.Filename))
	if name == "" {
		name = kind
	}
	return p.Path + "/" + name
}

// container is one container being opened.
type container struct {
	w        *walker
	part     *message.Part
	kind     string
	base     string
	tries    int                     // passwords tried on this container
	asked    bool                    // the container asked for passwords (candidates)
	skip     map[string]bool         // on a retry, the passwords its first run was offered
	zipParts map[int64]*message.Part // zip: the member read from each data offset
	// zipSource is the deflated data of the zip member being opened, read
	// in place (registerZipMethods), nil when not.
	zipSource *packedSource
	// zipPacked is the compressed data of the members read through a
	// central directory that their inflater read whole, by data offset,
	// until their local header confirms it (confirmPacked).
	zipPacked map[int64]message.Span
	// zipLocalLies says a local header disagrees with its central
	// directory entry (confirmPacked).
	zipLocalLies bool
}

// limitErr is a per-member limit: the member is kept truncated and we go on.
type limitErr struct{ reason, detail string }

func (e *limitErr) Error() string { return e.reason + ": " + e.detail }

// ratioFloor is the size below which the ratio limit does not apply: small
// members of repetitive text compress very well and are harmless.
const ratioFloor = 1 << 20

// read reads one member through the limits. packed is the member's packed
// size when known (<= 0 when not). It returns what was read; err is a
// *limitErr for a per-member limit (already recorded), errStop for a
// message-wide one, or the reader's own error.
func (c *container) read(name string, r io.Reader, packed int64) ([]byte, error) {
	return c.readSized(name, r, packed, 0)
}

// readSized is read for a member whose container declares its expanded size
// (a zip's central directory): a buffer of that size to start with saves
// regrowing it (and copying what was read) several times. The size is the
// sender's word, so it only sets the first buffer, and no larger than
// sizeHintRatio times the packed bytes: a member that lies gets what an
// honest one that expands that much would, then grows or is cut as any.
func (c *container) readSized(name string, r io.Reader, packed, size int64) ([]byte, error) {
	return c.readInto(nil, name, r, packed, size)
}

// readChunk is the most one Read of a member asks for (see readInto).
const readChunk = 32 << 10

// sizeHintRatio bounds a declared size that readSized believes: text and
// XML deflate up to about this much.
const sizeHintRatio = 32

// readAppend is read appending to dst (the limits count only what it
// adds), so that members joined into one (PDF streams) are not copied
// twice. It reads straight into dst's spare room.
func (c *container) readAppend(dst []byte, name string, r io.Reader, packed int64) ([]byte, error) {
	return c.readInto(dst, name, r, packed, 0)
}

func (c *container) readInto(dst []byte, name string, r io.Reader, packed, size int64) ([]byte, error) {
	w := c.w
	if w.stopped {
		return dst, errStop
	}
	if packed <= 0 || packed > int64(len(c.part.Content)) {
		packed = int64(len(c.part.Content))
	}
	remaining := w.lim.MaxTotalBytes - w.total
	limit := min(w.lim.MaxMemberBytes, remaining)
	start := len(dst)
	// Room for twice the packed size to start with: most members expand
	// about that much, and one guess saves copies as the buffer grows. A
	// declared size (readSized) is a better guess; one byte more lets the
	// read that finds the end need no room.
	guess := min(packed*2, 1<<20)
	if size > 0 {
		guess = min(size+1, packed*sizeHintRatio)
	}
	buf := slices.Grow(dst, int(max(min(guess, limit+1), 1)))
	var rerr error
	for {
		if w.expired() {
			w.stop(c.part, ReasonTime, "unpacking took longer than "+w.lim.Timeout.String())
			return dst[:start], errStop
		}
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, 32<<10)
		}
		// At most readChunk a call: archive/zip drops the bytes of the read
		// that finds a member shorter than declared, and a whole member in
		// one read would be lost with them.
		n, err := r.Read(buf[len(buf):min(cap(buf), len(buf)+readChunk)])
		if n > 0 {
			if got := int64(len(buf) - start + n); got > limit {
				buf = buf[:start+int(limit)]
				w.total += limit
				if limit == remaining && remaining < w.lim.MaxMemberBytes {
					w.stop(c.part, ReasonTotalSize, fmt.Sprintf("more than %d bytes expanded in the message (at %q)", w.lim.MaxTotalBytes, cleanName(name)))
					return dst[:start], errStop
				}
				return buf, c.limit(ReasonMemberSize, fmt.Sprintf("member %q larger than %d bytes", cleanName(name), w.lim.MaxMemberBytes))
			}
			buf = buf[:len(buf)+n]
			if got := len(buf) - start; got > ratioFloor && int64(got) > packed*int64(w.lim.MaxRatio) {
				w.total += int64(got)
				return buf, c.limit(ReasonRatio, fmt.Sprintf("member %q expands more than %d times its %d packed bytes", cleanName(name), w.lim.MaxRatio, packed))
			}
		}
		if err != nil {
			if !errors.Is(err, io.EOF) {
				rerr = err
			}
			break
		}
	}
	w.total += int64(len(buf) - start)
	return buf, rerr
}

func (c *container) limit(reason, detail string) error {
	c.w.problem(c.part, reason, detail)
	return &limitErr{reason, detail}
}

// add appends a member as a part. name is the member's name inside the
// container (attacker-chosen). It returns nil when the member limit stopped
// unpacking.
func (c *container) add(name string, data []byte) *message.Part {
	return c.addUnder(c.part, c.base, name, data)
}

// addUnder adds a member below another member of the same container (an OLE
// stream's embedded file, say).
func (c *container) addUnder(parent *message.Part, base, name string, data []byte) *message.Part {
	w := c.w
	if w.stopped {
		return nil
	}
	if w.members >= w.lim.MaxMembers {
		w.stop(c.part, ReasonMembers, fmt.Sprintf("more than %d members in the message", w.lim.MaxMembers))
		return nil
	}
	w.members++
	c.part.Container = true
	p := &message.Part{
		Path:         w.unique(base + "/" + cleanPath(name)),
		Filename:     baseName(name),
		DetectedType: detectType(data),
		Content:      data,
		Depth:        parent.Depth + 1,
	}
	if data == nil {
		p.Content = nil
	}
	w.ours[p] = true
	w.m.Parts = append(w.m.Parts, p)
	return p
}

// addEncrypted lists a member we could not decrypt.
func (c *container) addEncrypted(name string) *message.Part {
	p := c.add(name, nil)
	if p != nil {
		p.Encrypted = true
		p.DetectedType = ""
	}
	return p
}

// truncated marks a member cut short by a limit so it is not opened itself.
func (c *container) truncated(p *message.Part) {
	if p != nil {
		c.w.noExpand[p] = true
	}
}

// member reads a member and adds it; a per-member limit keeps what was read.
// It returns errStop when unpacking must end, and the reader's error otherwise.
func (c *container) member(name string, r io.Reader, packed int64) (*message.Part, error) {
	return c.memberSized(name, r, packed, 0)
}

// memberSized is member with the expanded size the container declares (see
// readSized), 0 when it declares none.
func (c *container) memberSized(name string, r io.Reader, packed, size int64) (*message.Part, error) {
	data, err := c.readSized(name, r, packed, size)
	return c.addRead(name, data, err)
}

// addRead adds what a read of a member gave (data and the read's error):
// after a per-member limit, what was read, marked cut; after another error,
// what was read if anything. errStop ends unpacking.
func (c *container) addRead(name string, data []byte, err error) (*message.Part, error) {
	var le *limitErr
	switch {
	case errors.Is(err, errStop):
		return nil, err
	case errors.As(err, &le):
		p := c.add(name, data)
		c.truncated(p)
		if p == nil {
			return nil, errStop
		}
		return p, nil
	}
	if err != nil && len(data) == 0 {
		return nil, err // nothing read: the caller says why (corrupt, encrypted)
	}
	p := c.add(name, data)
	if p == nil {
		return nil, errStop
	}
	if err != nil {
		c.truncated(p)
	}
	return p, err
}

func (w *walker) unique(path string) string {
	if !w.paths[path] {
		w.paths[path] = true
		return path
	}
	for i := 2; ; i++ {
		q := fmt.Sprintf("%s~%d", path, i)
		if !w.paths[q] {
			w.paths[q] = true
			return q
		}
	}
}

// ctxReader ends a read when the message's time budget is spent.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (r ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}
