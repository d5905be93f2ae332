package yarascan

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hillu/go-yara/v4"
	"github.com/kensa-milter/kensa/filetype"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/scanners"
)

// Options say which rules to load and how to run them.
type Options struct {
	Builtin  bool          // include the embedded pack from package rules
	Paths    []string      // files and directories (*.yar, *.yara, recursively, sorted)
	Timeout  time.Duration // per-scan timeout (per part), rounded up to whole seconds; 0 = none
	PoolSize int           // scanners kept for reuse; 0 = 2*GOMAXPROCS
	// RawBase64Keep trims the whole-message scan: each base64 body that
	// decoded cleanly (and so is scanned whole, decoded, as a part) is cut
	// to its first RawBase64Keep bytes there. 0 scans every byte.
	RawBase64Keep int
	// ImageData scans a JPEG's entropy-coded data too (yara.images: full);
	// false leaves it out of the part's scan (jpeg.go).
	ImageData bool
	// PackedData scans a container's compressed member data too
	// (yara.packed: full); false leaves it out of the container's scan
	// when it is opened as an archive or document (packed.go).
	PackedData bool
}

// TrimmedKeep is how much of each cleanly decoded base64 body the
// whole-message scan keeps with yara.whole_message: trimmed. 4 KiB holds
// the encoded magic ("TVqQ", "UEsDB") that rules written for raw mail
// look for at the start of an attachment.
const TrimmedKeep = 4096

// RawBase64Keep is Options.RawBase64Keep for a yara.whole_message setting.
func RawBase64Keep(wholeMessage string) int {
	if wholeMessage == "trimmed" {
		return TrimmedKeep
	}
	return 0
}

// ImageData is Options.ImageData for a yara.images setting: anything but
// "trimmed" scans every byte.
func ImageData(images string) bool { return images != "trimmed" }

// PackedData is Options.PackedData for a yara.packed setting: anything
// but "trimmed" scans every byte.
func PackedData(packed string) bool { return packed != "trimmed" }

// WholeMessage is what the whole-message scan reads: m.Raw, with base64
// bodies cut to keep bytes when keep > 0 (Options.RawBase64Keep).
func WholeMessage(m *message.Message, keep int) []byte {
	if keep > 0 {
		return m.ScanRaw(keep)
	}
	return m.Raw
}

// noTryCatch is libyara's SCAN_FLAGS_NO_TRYCATCH, which go-yara v4.2.4 does
// not name. Without it libyara swaps the process-wide SIGSEGV/SIGBUS
// handlers around every scan, and concurrent scans can leave Go's handler
// replaced.
const noTryCatch = yara.ScanFlags(4)

// Scanner scans messages with one compiled rule set. It is safe for
// concurrent use. The rules are never destroyed explicitly: scanners that
// still hold them keep them alive, and the garbage collector frees them
// after the last one (a reload simply builds a new Scanner).
type Scanner struct {
	rules *yara.Rules
	info  map[ruleKey]ruleInfo
	reads map[string]bool // externals the rules may read (readsExternals)
	// whole says containers are scanned whole, their members' bytes
	// included (readsPlaces; repeats.go).
	whole   bool
	timeout time.Duration
	rawKeep int // Options.RawBase64Keep; 0 = whole message
	// pixels says a JPEG's entropy-coded data is scanned (Options.ImageData).
	pixels bool
	// packedData says containers' compressed member data is scanned
	// (Options.PackedData).
	packedData bool
	// pool holds idle libyara scanners. Each scan takes one for itself,
	// because external variables are per scanner state.
	pool chan *yara.Scanner
}

var _ scanners.Scanner = (*Scanner)(nil)

// New compiles the rules. Broken files are listed in the returned
// CompileErrors (with warnings, marked as such) and left out; the error is
// for a path that cannot be read or when no usable rule compiled.
func New(opts Options) (*Scanner, []CompileError, error) {
	c, errs, err := compile(opts)
	if err != nil {
		return nil, errs, err
	}
	size := opts.PoolSize
	if size <= 0 {
		size = 2 * runtime.GOMAXPROCS(0)
	}
	reads := map[string]bool{}
	for _, name := range c.reads {
		reads[name] = true
	}
	return &Scanner{rules: c.rules, info: c.info, reads: reads, whole: c.places, timeout: opts.Timeout, rawKeep: opts.RawBase64Keep, pixels: opts.ImageData, packedData: opts.PackedData, pool: make(chan *yara.Scanner, size)}, errs, nil
}

// Name is the scanner name used in findings.
func (s *Scanner) Name() string { return "yara" }

// RuleCount is the number of public rules, the ones that can produce findings.
func (s *Scanner) RuleCount() int { return len(s.info) }

func (s *Scanner) get() (*yara.Scanner, error) {
	select {
	case ys := <-s.pool:
		return ys, nil
	default:
	}
	ys, err := yara.NewScanner(s.rules)
	if err != nil {
		return nil, fmt.Errorf("yara: new scanner: %w", err)
	}
	return ys, nil
}

func (s *Scanner) put(ys *yara.Scanner) {
	ys.SetCallback(nil) // let the last scan's matches go
	select {
	case s.pool <- ys:
	default: // pool full: the finalizer frees it
	}
}

// collector gathers one scan's matches; every scan gets a fresh one.
type collector struct{ hits []ruleKey }

func (c *collector) RuleMatching(_ *yara.ScanContext, r *yara.Rule) (bool, error) {
	c.hits = append(c.hits, ruleKey{ns: r.Namespace(), id: r.Identifier()})
	return false, nil
}

// Scan scans every non-empty part on its own, then the raw message. It stops
// with an error wrapping ctx.Err() when ctx is done between parts; a part
// that hits the timeout is an error wrapping context.DeadlineExceeded, and
// the other parts are still scanned. Findings made so far are returned with
// any error.
func (s *Scanner) Scan(ctx context.Context, m *message.Message) ([]scanners.Finding, error) {
	if m == nil {
		return nil, errors.New("yara: nil message")
	}
	ys, err := s.get()
	if err != nil {
		return nil, err
	}
	defer s.put(ys)

	var (
		findings []scanners.Finding
		errs     []error
		seen     = map[[2]string]bool{} // rule ID, part path
		onPart   = map[ruleKey]bool{}   // rules that matched some part
	)
	domain := m.Envelope.SenderDomain()
	vars := make([][]variable, len(m.Parts))
	for i, p := range m.Parts {
		if p != nil && len(p.Content) > 0 {
			vars[i] = partVars(p, domain)
		}
	}
	twin := s.twins(m.Parts, vars)
	done := make([][]ruleKey, len(m.Parts)) // hits of the parts scanned without error
	for i, p := range m.Parts {
		if p == nil || len(p.Content) == 0 {
			continue
		}
		if err := ctx.Err(); err != nil {
			return findings, joinErrors(append(errs, fmt.Errorf("yara: stopped before part %q: %w", p.Path, err))...)
		}
		var hits []ruleKey
		if j := twin[i]; j >= 0 && done[j] != nil {
			hits = done[j]
		} else {
			var err error
			hits, err = s.scanOne(ctx, ys, p.Content, s.holes(p), vars[i])
			if err != nil {
				errs = append(errs, fmt.Errorf("yara: part %q: %w", p.Path, err))
			} else {
				done[i] = append([]ruleKey{}, hits...)
			}
		}
		for _, k := range hits {
			onPart[k] = true
			f := s.finding(k, p.Path)
			if !seen[[2]string{f.ID, f.Part}] {
				seen[[2]string{f.ID, f.Part}] = true
				findings = append(findings, f)
			}
		}
	}
	findings = dropContainerCopies(findings, m)
	if len(m.Raw) > 0 {
		if err := ctx.Err(); err != nil {
			return findings, joinErrors(append(errs, fmt.Errorf("yara: stopped before the whole message: %w", err))...)
		}
		hits, err := s.scanOne(ctx, ys, WholeMessage(m, s.rawKeep), nil, messageVars(domain))
		if err != nil {
			errs = append(errs, fmt.Errorf("yara: whole message: %w", err))
		}
		for _, k := range hits {
			f := s.finding(k, "")
			if !onPart[k] && !seen[[2]string{f.ID, ""}] {
				seen[[2]string{f.ID, ""}] = true
				findings = append(findings, f)
			}
		}
	}
	return findings, joinErrors(errs...)
}

// twins finds the parts whose scan would repeat an earlier one: twin[i] is
// the first part j < i with the same bytes (message.SameContent) and the
// same value of every external the rules may read, or -1. libyara's answer
// depends on nothing else, so part i gets part j's matches (under its own
// path) without a second pass over the same bytes: an inline logo sent
// twice, the same document in a zip and beside it, the members two readings
// of an ambiguous container share. A twin that differs in any external a
// rule reads (another Content-Type, name or path, when a rule looks at it)
// is scanned on its own, and so is one that is a picture where the other
// is not (jpeg.go).
func (s *Scanner) twins(parts []*message.Part, vars [][]variable) []int {
	same := message.SameContent(parts)
	repeated := make([]bool, len(parts)) // parts whose bytes come again
	for _, j := range same {
		if j >= 0 {
			repeated[j] = true
		}
	}
	twin := make([]int, len(parts))
	firstWith := map[[2]string]int{} // first part of the bytes, externals read -> first part
	for i, p := range parts {
		twin[i] = -1
		class := same[i]
		if class < 0 {
			class = i
		}
		if p == nil || len(p.Content) == 0 || !repeated[class] {
			continue
		}
		// The same bytes as a picture and as something else (a JPEG named
		// .jpg and .html) are scanned apart: only the picture has holes;
		// so are a container opened as one and as something else.
		key := [2]string{strconv.Itoa(class) + "/" + strconv.FormatBool(s.picture(p)) + strconv.FormatBool(s.packedOut(p)), s.readValues(vars[i])}
		if j, ok := firstWith[key]; ok {
			twin[i] = j
		} else {
			firstWith[key] = i
		}
	}
	return twin
}

// readValues renders the values of the externals the rules may read.
func (s *Scanner) readValues(vars []variable) string {
	var b strings.Builder
	for _, v := range vars {
		if s.reads[v.name] {
			fmt.Fprintf(&b, "%s=%v\x00", v.name, v.value)
		}
	}
	return b.String()
}

// dropContainerCopies removes a rule's finding on a container (an archive,
// document, disk image or forwarded message) when the same rule matched one
// of its members: a stored zip, a tar or an ISO carries its members' bytes
// as they are, and one payload must not count twice. The member's path is
// the precise one.
func dropContainerCopies(fs []scanners.Finding, m *message.Message) []scanners.Finding {
	container := map[string]bool{}
	for _, p := range m.Parts {
		if p != nil && p.Container {
			container[p.Path] = true
		}
	}
	if len(container) == 0 {
		return fs
	}
	covered := map[[2]string]bool{} // rule ID, container path
	for _, f := range fs {
		for path := f.Part; ; {
			i := strings.LastIndexByte(path, '/')
			if i < 0 {
				break
			}
			path = path[:i]
			if container[path] {
				covered[[2]string{f.ID, path}] = true
			}
		}
	}
	out := fs[:0]
	for _, f := range fs {
		if !covered[[2]string{f.ID, f.Part}] {
			out = append(out, f)
		}
	}
	return out
}

func (s *Scanner) finding(k ruleKey, part string) scanners.Finding {
	ri, ok := s.info[k]
	if !ok { // cannot happen: every public rule has an entry
		ri = ruleInfo{id: k.id, severity: scanners.Malicious, score: 100}
	}
	return scanners.Finding{Scanner: "yara", ID: ri.id, Part: part, Severity: ri.severity,
		Score: ri.score, Detail: ri.detail, Action: ri.action}
}

// holes is what of p's bytes its scan leaves out: a container's bytes read
// in its members (repeats.go) and its members' compressed data
// (packed.go), and a picture's entropy-coded data (jpeg.go); nothing when
// the rules may tell.
func (s *Scanner) holes(p *message.Part) []message.Span {
	if s.whole {
		return nil
	}
	out := p.Repeated
	if s.picture(p) {
		out = append(jpegScanData(p.Content), out...)
	}
	if s.packedOut(p) {
		out = append(slices.Clone(p.Packed), out...)
	}
	return holes(p.Content, out)
}

// picture says p's scan leaves out its scan data, if it has any (jpeg.go).
func (s *Scanner) picture(p *message.Part) bool {
	return !s.whole && !s.pixels && shownAsPicture(p)
}

// scanOne scans one buffer, less its holes, with its own externals, a
// fresh collector and the timeout left.
func (s *Scanner) scanOne(ctx context.Context, ys *yara.Scanner, buf []byte, holes []message.Span, vars []variable) ([]ruleKey, error) {
	limit, err := scanTimeout(ctx, s.timeout, time.Now())
	if err != nil {
		return nil, err
	}
	for _, v := range vars {
		if err := ys.DefineVariable(v.name, v.value); err != nil {
			return nil, fmt.Errorf("set external %s: %w", v.name, err)
		}
	}
	c := &collector{}
	ys.SetCallback(c).SetFlags(noTryCatch).SetTimeout(limit)
	if len(holes) > 0 {
		err = ys.ScanMemBlocks(newBlocks(buf, holes))
	} else {
		err = ys.ScanMem(buf)
	}
	if err != nil {
		return c.hits, mapScanError(err, limit)
	}
	return c.hits, nil
}

// scanTimeout is the libyara timeout for the next scan: the smaller of the
// configured one and the time left before ctx's deadline, rounded up to a
// whole second because libyara counts seconds and reads 0 as "no limit".
func scanTimeout(ctx context.Context, configured time.Duration, now time.Time) (time.Duration, error) {
	limit := configured
	if limit < 0 {
		limit = 0
	}
	if dl, ok := ctx.Deadline(); ok {
		left := dl.Sub(now)
		if left <= 0 {
			return 0, fmt.Errorf("no time left to scan: %w", context.DeadlineExceeded)
		}
		if limit == 0 || left < limit {
			limit = left
		}
	}
	if limit == 0 {
		return 0, nil
	}
	return (limit + time.Second - 1).Truncate(time.Second), nil
}

func mapScanError(err error, limit time.Duration) error {
	var ye yara.Error
	if errors.As(err, &ye) && ye == errScanTimeout {
		return fmt.Errorf("scan timed out after %s (%w): %w", limit, err, context.DeadlineExceeded)
	}
	return fmt.Errorf("scan: %w", err)
}

type variable struct {
	name  string
	value any
}

func partVars(p *message.Part, senderDomain string) []variable {
	name := cString(p.Filename)
	return []variable{
		{"filename", name},
		{"filepath", cString(p.Path)},
		{"extension", extension(name)},
		{"filetype", filetype.YARAName(p.DetectedType)},
		{"owner", ""},
		{"mime_type", cString(p.DetectedType)},
		{"declared_type", cString(p.DeclaredType)},
		{"sender_domain", cString(senderDomain)},
		{"part_depth", p.Depth},
	}
}

const wholeMessageType = filetype.Mail

func messageVars(senderDomain string) []variable {
	return []variable{
		{"filename", ""},
		{"filepath", ""},
		{"extension", ""},
		{"filetype", filetype.YARAName(wholeMessageType)},
		{"owner", ""},
		{"mime_type", wholeMessageType},
		{"declared_type", ""},
		{"sender_domain", cString(senderDomain)},
		{"part_depth", 0},
	}
}

// cString cuts s at its first NUL, as libyara will see it, so that the
// extension is computed from the same name the rules see.
func cString(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}

// extension is the lower-case extension with its dot, of the last path
// element. Trailing dots and spaces are ignored, as Windows ignores them
// ("x.exe. " opens as x.exe).
func extension(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimRight(name, ". ")
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return ""
	}
	return strings.ToLower(name[i:])
}

// joinErrors is errors.Join on one line: the errors end up in log lines.
func joinErrors(errs ...error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	return multiError(errs)
}

type multiError []error

func (m multiError) Error() string {
	msgs := make([]string, len(m))
	for i, e := range m {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "; ")
}

func (m multiError) Unwrap() []error { return m }
