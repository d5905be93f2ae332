package heuristic

import (
	"bytes"
	"encoding/binary"
	"math/bits"
	"regexp"
	"strings"
	"sync"

	"golang.org/x/net/html"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/unpack"
	"github.com/kensa-milter/kensa/urls"
)

// maxContent bounds how much of one part the content checks read.
const maxContent = 8 << 20

func head(p *message.Part) []byte {
	return p.Content[:min(len(p.Content), maxContent)]
}

// containsLower says whether bytes.ToLower(b) contains pat, a lower-case
// ASCII string, without lower-casing b (which cost several nanoseconds a
// byte of binary or non-English text). The only runes outside ASCII whose
// lower case is ASCII are İ (U+0130, "i") and the Kelvin sign (U+212A, "k"),
// so a match is pat's bytes with letters in either case, İ for an "i" and K
// for a "k". The search jumps between occurrences of pat's rarest byte.
func containsLower(b []byte, pat string) bool {
	a := anchorOf(pat)
	c := pat[a]
	if searchAnchored(b, pat, a, c) || ('a' <= c && c <= 'z' && searchAnchored(b, pat, a, c-'a'+'A')) {
		return true
	}
	switch c { // pat starts with "i" or "k" (a is 0): a match may start with İ or K
	case 'i':
		return searchAnchored(b, pat, 0, "\u0130"[0])
	case 'k':
		return searchAnchored(b, pat, 0, "\u212A"[0])
	}
	return false
}

// lowerWords is one or two lower-case ASCII words that containsLowerAny
// looks for in one pass, each by a pair of adjacent bytes of it.
type lowerWords struct {
	words []string
	at    []int       // where each word's pair is
	pair  [][2]uint64 // the pair's two bytes with 0x20 set, each in every byte of a word
}

// newLowerWords: each word has two adjacent bytes before any "i" or "k"
// (a match may hold a longer rune there).
func newLowerWords(words ...string) *lowerWords {
	const every = 0x0101010101010101
	if len(words) < 1 || len(words) > 2 {
		panic("heuristic: lowerWords holds one or two words")
	}
	l := &lowerWords{words: words}
	for _, w := range words {
		best, rank := -1, -1
		for a := 0; a+1 < len(w) && w[a] != 'i' && w[a] != 'k' && w[a+1] != 'i' && w[a+1] != 'k'; a++ {
			if r := pairRank(w[a]) + pairRank(w[a+1]); r > rank {
				best, rank = a, r
			}
		}
		if best < 0 {
			panic("heuristic: no pair to search for in " + w)
		}
		l.at = append(l.at, best)
		l.pair = append(l.pair, [2]uint64{uint64(w[best]|0x20) * every, uint64(w[best+1]|0x20) * every})
	}
	return l
}

// pairRank is how rare c is in mail text (anchorOf's order).
func pairRank(c byte) int {
	const common = " <etaonsrhldcumwfgypbvjxqz"
	if r := strings.IndexByte(common, c); r >= 0 {
		return r
	}
	return len(common)
}

// containsLowerAny returns which of l's words (bit n for l.words[n])
// containsLower finds in b, reading b once: eight places at a time, each
// byte with 0x20 set (a letter in lower case) is compared with each word's
// pair, and only places where a pair may be are read again. In binary
// bytes (a PDF's compressed streams) a pair is sixty-five thousand times
// rarer than a byte, where a search for a word's rarest byte stopped every
// few hundred bytes for each word.
func containsLowerAny(b []byte, l *lowerWords) uint64 {
	var found uint64
	all := uint64(1)<<len(l.words) - 1
	i := 0
	for i+9 <= len(b) && found != all {
		var at uint64
		if i, at = l.next(b, i, found); at != 0 {
			found |= l.atPlaces(b, i, at, found)
			i += 8
		}
	}
	for ; i < len(b) && found != all; i += 8 {
		found |= l.at8(b, i, found)
	}
	return found
}

// next is the first i, from i on in steps of eight, where b[i:i+8] may
// hold the pair of a word not in found, with the places where it may (the
// top bit of byte k for b[i+k]); or where fewer than nine bytes are left,
// with no place. Bytes with 0x20 set are compared with the pairs eight at
// a time.
func (l *lowerWords) next(b []byte, i int, found uint64) (int, uint64) {
	const (
		every = 0x0101010101010101
		hi    = 0x8080808080808080
		low   = 0x2020202020202020
	)
	// Two pairs are compared; a word found already is no longer looked
	// for, its place taken by the other's pair.
	p0, p1 := l.pair[0], l.pair[len(l.pair)-1]
	if found&1 != 0 {
		p0 = p1
	} else if found&2 != 0 {
		p1 = p0
	}
	a0, b0, a1, b1 := p0[0], p0[1], p1[0], p1[1]
	// w holds b[i:i+8] and w2 b[i+1:i+9]: byte k of (w^a)|(w2^b) is zero
	// where b[i+k] and b[i+k+1] are the pair (a, b). (x - every) &^ x & hi
	// marks every zero byte of x (and maybe a byte above one: such a place
	// is read again for nothing). Sixteen places a step while seventeen
	// bytes are left: the two halves' sums do not wait for each other.
	for ; i+17 <= len(b); i += 16 {
		c := b[i : i+17]
		w, w2 := binary.LittleEndian.Uint64(c)|low, binary.LittleEndian.Uint64(c[1:])|low
		v, v2 := binary.LittleEndian.Uint64(c[8:])|low, binary.LittleEndian.Uint64(c[9:])|low
		x0, x1 := (w^a0)|(w2^b0), (w^a1)|(w2^b1)
		y0, y1 := (v^a0)|(v2^b0), (v^a1)|(v2^b1)
		if at := ((x0-every)&^x0 | (x1-every)&^x1) & hi; at != 0 {
			return i, at
		}
		if at := ((y0-every)&^y0 | (y1-every)&^y1) & hi; at != 0 {
			return i + 8, at
		}
	}
	for ; i+9 <= len(b); i += 8 {
		c := b[i : i+9]
		w, w2 := binary.LittleEndian.Uint64(c)|low, binary.LittleEndian.Uint64(c[1:])|low
		x0, x1 := (w^a0)|(w2^b0), (w^a1)|(w2^b1)
		if at := ((x0-every)&^x0 | (x1-every)&^x1) & hi; at != 0 {
			return i, at
		}
	}
	return i, 0
}

// atPlaces returns which of l's words not in found have a match whose
// pair is at b[i+k] for a place k that at marks (next's places).
func (l *lowerWords) atPlaces(b []byte, i int, at, found uint64) uint64 {
	for ; at != 0; at &= at - 1 {
		found = l.match(b, i+bits.TrailingZeros64(at)/8, found)
	}
	return found
}

// at8 returns which of l's words not in found have a match whose pair is
// at one of b[i:i+8].
func (l *lowerWords) at8(b []byte, i int, found uint64) uint64 {
	for j := i; j < min(i+8, len(b)-1); j++ {
		found = l.match(b, j, found)
	}
	return found
}

// match adds to found the words of l with a match whose pair is at b[j]
// (b[j+1] must exist).
func (l *lowerWords) match(b []byte, j int, found uint64) uint64 {
	for k, w := range l.words {
		a := l.at[k]
		if found&(1<<k) == 0 && b[j]|0x20 == w[a]|0x20 && b[j+1]|0x20 == w[a+1]|0x20 && j >= a && urls.HasLowerPrefix(b[j-a:], w) {
			found |= 1 << k
		}
	}
	return found
}

// searchAnchored looks for pat where b holds c at pat's index a; pat[:a]
// holds no "i" or "k", so that index is a bytes into any match.
func searchAnchored(b []byte, pat string, a int, c byte) bool {
	for i := a; i < len(b); i++ {
		k := bytes.IndexByte(b[i:], c)
		if k < 0 {
			return false
		}
		i += k
		if urls.HasLowerPrefix(b[i-a:], pat) {
			return true
		}
	}
	return false
}

// foldLower appends to dst what bytes.ToLower(b) is to a search for
// lower-case ASCII: ASCII letters in lower case, İ and the Kelvin sign (the
// only other runes whose lower case is ASCII) as "i" and "k", and every
// other byte as it is (at or above 0x80, it is in no such match, as the
// runes ToLower writes for it are not). So bytes.Contains(foldLower(nil, b),
// pat) is containsLower(b, pat). Runs of eight ASCII bytes are lowered at
// once.
func foldLower(dst, b []byte) []byte {
	const hi = 0x8080808080808080
	dst = append(dst[:0], make([]byte, len(b))...)[:len(b)] // never longer than b
	j := 0
	for i := 0; i < len(b); {
		if i+8 <= len(b) {
			if w := binary.LittleEndian.Uint64(b[i:]); w&hi == 0 {
				// With every byte below 0x80 no sum carries into the next
				// byte: the top bit of byte+0x3f is set from "A" up, that
				// of byte+0x25 from "[" up.
				upper := (w + 0x3f3f3f3f3f3f3f3f) &^ (w + 0x2525252525252525) & hi
				binary.LittleEndian.PutUint64(dst[j:], w|upper>>2)
				i, j = i+8, j+8
				continue
			}
		}
		c := b[i]
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case c == 0xC4 && i+1 < len(b) && b[i+1] == 0xB0: // İ
			c = 'i'
			i++
		case c == 0xE2 && i+2 < len(b) && b[i+1] == 0x84 && b[i+2] == 0xAA: // Kelvin sign
			c = 'k'
			i += 2
		}
		dst[j] = c
		i, j = i+1, j+1
	}
	return dst[:j]
}

// lowered is a part's text as foldLower makes it, how often each byte
// occurs in a sample of it (for picking the byte to search for), and the
// answers given so far.
type lowered struct {
	b      []byte
	sample [256]int32
	asked  []loweredAnswer
}

type loweredAnswer struct {
	pat string
	has bool
}

func (l *lowered) set(b []byte) {
	l.b = foldLower(l.b, b)
	l.sample = [256]int32{}
	l.asked = l.asked[:0]
	const chunk, chunks = 1024, 4
	for k := range chunks {
		at := len(l.b) / chunks * k
		for _, c := range l.b[at:min(len(l.b), at+chunk)] {
			l.sample[c]++
		}
	}
}

// contains says whether l holds pat. Several checks ask the same question
// of a part: each is answered once.
func (l *lowered) contains(pat string) bool {
	for _, a := range l.asked {
		if a.pat == pat {
			return a.has
		}
	}
	has := l.search(pat)
	if len(l.asked) < 64 {
		l.asked = append(l.asked, loweredAnswer{pat, has})
	}
	return has
}

// search jumps between occurrences of the byte of pat that the sample has
// least often, where bytes.Contains would stop at every occurrence of
// pat's first (an "e" or an "m") until it gave up on that.
func (l *lowered) search(pat string) bool {
	a := 0
	for n := 1; n < len(pat); n++ {
		if l.sample[pat[n]] < l.sample[pat[a]] {
			a = n
		}
	}
	c := pat[a]
	hits := 0
	for i := a; i < len(l.b); i++ {
		k := bytes.IndexByte(l.b[i:], c)
		if k < 0 {
			return false
		}
		i += k
		if s := i - a; s+len(pat) <= len(l.b) && string(l.b[s:s+len(pat)]) == pat {
			return true
		}
		if hits++; hits >= denseHits && hits*denseGap > i && len(pat) > 1 {
			return indexPair(l.b, i+1-a, pat) >= 0
		}
	}
	return false
}

// denseHits is how many places holding its byte a search reads before it
// asks whether the byte is dense: more than one in denseGap bytes. Each
// stop costs a call and a comparison, more than reading the bytes between
// stops eight at a time (indexPair).
const denseHits, denseGap = 32, 64

// indexPair is the index of pat (two bytes or more) in b from from on,
// -1 for none. It reads eight places at a time for the pair of adjacent
// bytes of pat that the first places read hold least often, and compares
// pat only where the pair is.
func indexPair(b []byte, from int, pat string) int {
	const (
		every = 0x0101010101010101
		hi    = 0x8080808080808080
	)
	// The pair: the one least often in the next bytes.
	sample := b[from:min(len(b), from+4096)]
	a, least := 0, -1
	for n := 0; n+1 < len(pat); n++ {
		if k := bytes.Count(sample, []byte(pat[n:n+2])); least < 0 || k < least {
			a, least = n, k
		}
	}
	p0, p1 := uint64(pat[a])*every, uint64(pat[a+1])*every
	i := from + a // where the pair may start
	for ; i+17 <= len(b); i += 16 {
		c := b[i : i+17]
		x0, y0 := binary.LittleEndian.Uint64(c)^p0, binary.LittleEndian.Uint64(c[1:])^p1
		x1, y1 := binary.LittleEndian.Uint64(c[8:])^p0, binary.LittleEndian.Uint64(c[9:])^p1
		// (x - every) &^ x & hi marks the zero bytes of x (and maybe a
		// byte above one, compared for nothing).
		if ((x0-every)&^x0&(y0-every)&^y0|(x1-every)&^x1&(y1-every)&^y1)&hi == 0 {
			continue
		}
		for j := i; j < i+16; j++ {
			if s := j - a; b[j] == pat[a] && b[j+1] == pat[a+1] && s+len(pat) <= len(b) && string(b[s:s+len(pat)]) == pat {
				return s
			}
		}
	}
	for ; i+1 < len(b); i++ {
		if s := i - a; b[i] == pat[a] && b[i+1] == pat[a+1] && s+len(pat) <= len(b) && string(b[s:s+len(pat)]) == pat {
			return s
		}
	}
	return -1
}

// hasLower says whether bytes.ToLower(head(p)) contains pat, a lower-case
// ASCII string. The checks of one part run one after another and ask up to
// a dozen such questions, so head(p) is lowered once (foldLower) and kept
// until a question about another part: each question is then one search
// of it (lowered.contains).
func (e *env) hasLower(p *message.Part, pat string) bool {
	return e.lower(p).contains(pat)
}

// lower is head(p) as hasLower searches it.
func (e *env) lower(p *message.Part) *lowered {
	if e.lowerOf != p {
		if e.lowered == nil {
			e.lowered = loweredPool.Get().(*lowered)
		}
		e.lowered.set(head(p))
		e.lowerOf = p
	}
	return e.lowered
}

// loweredPool keeps hasLower's buffers between scans; maxPooledLowered
// bounds what one keeps.
var loweredPool = sync.Pool{New: func() any { return new(lowered) }}

const maxPooledLowered = 2 << 20

// release returns what the scan borrowed.
func (e *env) release() {
	if e.lowered != nil && cap(e.lowered.b) <= maxPooledLowered {
		loweredPool.Put(e.lowered)
	}
	e.lowered, e.lowerOf = nil, nil
}

// anchorOf picks the byte of pat to search for: the rarest in mail text
// among those before any "i" or "k" (where a match may hold a longer rune);
// 0 when pat starts with one.
func anchorOf(pat string) int {
	const common = " <etaonsrhldcumwfgypbvjxqz" // most common first; others are rarer still
	best, bestRank := 0, -1
	for n := 0; n < len(pat) && pat[n] != 'i' && pat[n] != 'k'; n++ {
		r := strings.IndexByte(common, pat[n])
		if r < 0 {
			r = len(common)
		}
		if r > bestRank {
			best, bestRank = n, r
		}
	}
	return best
}

func isText(b []byte) bool { return !bytes.Contains(b[:min(len(b), 4096)], []byte{0}) }

// --- VBA ---

var (
	vbaMarker = regexp.MustCompile(`(?im)^\s*attribute\s+vb_name\s*=|^\s*(?:(?:public|private)\s+)?(?:sub|function)\s+\w+\s*\(`)
	// Entry points Office runs without a click, including ActiveX events
	// that fire when the document renders.
	vbaAutorun = regexp.MustCompile(`(?im)^\s*(?:(?:public|private)\s+)?(?:sub|function)\s+(auto_?open|auto_?exec|auto_?close|auto_?new|auto_?activate|document_?open|document_?close|document_?new|workbook_?open|workbook_activate|workbook_beforeclose|\w+_painted|\w+_layout|\w+_gotfocus|\w+_change|\w+_initialize)\s*\(`)
	// A module named AutoOpen (AutoExec, ...) runs its Main procedure.
	vbaMain = regexp.MustCompile(`(?im)^\s*(?:public\s+)?sub\s+main\s*\(`)
	vbaExec = regexp.MustCompile(`(?im)(^\s*(?:call\s+)?shell\b|=\s*shell\b|\bshell\s*\(|\bshellexecute|\bwscript\b|\bpowershell|\burldownloadtofile|\bxmlhttp|\bwinhttp|\badodb\.stream|\bshell\.application|\bcmd(?:\.exe)?\s*/[ck]|\bmshta\b|\bcertutil\b|\bregsvr32\b|\brundll32\b|\bbitsadmin\b|\bcreateobject\s*\(\s*[^"\s)]|\bcallbyname\b|\blib\s+"(?:kernel32|urlmon|shell32)|\bgetobject\s*\(\s*"(?:winmgmts|new:))`)
)

// isVBA: a macro module from unpack (".../vba/..."), a LibreOffice Basic
// module of an OpenDocument file, or a text part that looks like VBA source.
func (e *env) isVBA(p *message.Part) bool {
	if v, ok := e.vba[p]; ok {
		return v
	}
	b := head(p)
	v := false
	if isText(b) {
		v = strings.Contains(strings.ToLower(p.Path), "/vba/") || isODFBasicModule(p.Path) ||
			containsLowerAny(b, vbaEnds) != 0 && vbaMarker.Match(b)
	}
	e.vba[p] = v
	return v
}

// vbaEnds are what VBA source holds and isVBA looks for first, in one pass
// over the part's bytes as they are: isVBA asks this of every text part,
// and lowering a part that no other check reads cost more than the search.
var vbaEnds = newLowerWords("end sub", "end function")

func checkVBA(wantAutorun, wantExec bool) func(*env, *message.Part) []string {
	return func(e *env, p *message.Part) []string {
		if !e.isVBA(p) {
			return nil
		}
		v := e.vbaFacts(p)
		if (v.auto != "") != wantAutorun || (v.exec != "") != wantExec {
			return nil
		}
		var d []string
		if v.auto != "" {
			d = append(d, "runs on open via "+show(v.auto))
		}
		if v.exec != "" {
			d = append(d, "calls "+show(v.exec))
		}
		return []string{strings.Join(d, ", ")}
	}
}

// autoModules are module names whose Main procedure Word runs by itself.
var autoModules = set("autoopen", "autoexec", "autoclose", "autonew", "autoexit")

// vbaFacts is what the three VBA checks share, worked out once per part.
type vbaFacts struct{ auto, exec string }

// maxVBASource bounds the macro source the VBA checks read. Go's regexp
// costs up to a microsecond per byte on these expressions, and a module
// padded to megabytes took seconds per check; real modules are far smaller,
// and YARA reads the whole module.
const maxVBASource = 1 << 20

// Every match of vbaAutorun contains one of the first words (lower-case),
// every match of vbaExec one of the second: without them the expressions
// need not run.
var (
	vbaAutorunWords = []string{"sub", "function"}
	vbaExecWords    = []string{"shell", "wscript", "urldownloadtofile", "xmlhttp", "winhttp", "adodb.stream", "cmd", "mshta",
		"certutil", "regsvr32", "rundll32", "bitsadmin", "createobject", "callbyname", "lib", "getobject"}
)

func (e *env) vbaFacts(p *message.Part) vbaFacts {
	if v, ok := e.vbaDone[p]; ok {
		return v
	}
	b := p.Content[:min(len(p.Content), maxVBASource)]
	lower := bytes.Map(func(r rune) rune { // ASCII only: same length as b
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, b)
	var v vbaFacts
	if anyWord(lower, vbaAutorunWords) {
		if m := vbaAutorun.FindSubmatch(b); m != nil {
			v.auto = string(m[1])
		}
	}
	if v.auto == "" && autoModules[strings.ToLower(baseName(p.Path))] && vbaMain.Match(b) {
		v.auto = baseName(p.Path) + ".Main"
	}
	if v.auto == "" && isODFBasicModule(p.Path) {
		v.auto = e.odfModuleAutoRun(p)
	}
	if anyWord(lower, vbaExecWords) {
		if m := vbaExec.Find(b); m != nil {
			v.exec = strings.TrimSpace(string(m))
		}
	}
	e.vbaDone[p] = v
	return v
}

func anyWord(b []byte, words []string) bool {
	for _, w := range words {
		if bytes.Contains(b, []byte(w)) {
			return true
		}
	}
	return false
}

// --- OOXML relationships ---

// remoteRelTypes load their target when the document opens; hyperlinks do
// not, and neither do Excel's links to other workbooks (externalLinkPath):
// Excel asks before it updates them, and workbooks linked to a SharePoint or
// file-share copy are ordinary business mail.
var remoteRelTypes = []string{"/attachedtemplate", "/oleobject", "/frame", "/subdocument", "/afchunk"}

// checkRemoteTemplate reads Relationship elements as Office does: any
// namespace prefix, attributes in either quotes, entities decoded.
func checkRemoteTemplate(e *env, p *message.Part) []string {
	if u := oleLinkTarget(p); u != "" {
		return []string{"linked OLE object loads " + show(u)}
	}
	if sniff(p) == kindRTF {
		// Word loads the template an RTF document names in {\*\template URL}
		// as it opens it, as it loads a .docx's attachedTemplate.
		var out []string
		for _, t := range rtfGroups(head(p), `\template`, 20) {
			if t = strings.TrimSpace(t); remoteTarget(t) {
				out = append(out, "RTF template loads "+show(t))
			}
		}
		// A linked OLE1 object (\objlink, \objautlink) whose source is a
		// web address: Word fetches it when it updates the link. A share
		// is remote-fetch's, which knows a colleague's from the Internet.
		if e.hasLower(p, "objdata") {
			for _, src := range unpack.RTFLinkedSources(head(p)) {
				if webTarget(src) && len(out) < 20 {
					out = append(out, "linked OLE object loads "+show(src))
				}
			}
		}
		return out
	}
	if !strings.HasSuffix(strings.ToLower(p.Path), ".rels") && !strings.HasSuffix(strings.ToLower(p.Filename), ".rels") {
		return nil
	}
	var out []string
	eachExternalRel(head(p), func(typ, target string) bool {
		remote := false
		for _, t := range remoteRelTypes {
			if strings.HasSuffix(typ, t) {
				remote = true
			}
		}
		if remote && remoteTarget(target) {
			out = append(out, typ[strings.LastIndexByte(typ, '/')+1:]+" loads "+show(target))
		}
		return true
	})
	return out
}

// oleLinkTarget is the web address a linked OLE object names (see
// oleLinkSources). Office fetches the target when it updates the link, and
// RTF's \objupdate makes Word do so as it opens the file (CVE-2017-0199). A
// share is remote-fetch's, which knows a colleague's from the Internet.
func oleLinkTarget(p *message.Part) string {
	for _, s := range oleLinkSources(p) {
		if webTarget(s) {
			return s
		}
	}
	return ""
}

// oleLinkSources are the strings a linked OLE object's monikers hold: an
// "\x01Ole" stream (MS-OLEDS 2.3.3) with the link flag, in an RTF object, a
// .doc/.xls/.ppt storage or an OOXML embedding. The monikers are read as
// the text they hold, UTF-16 and 8-bit alike: a URL moniker's address
// (UTF-16), a file moniker's path (8-bit, then UTF-16 when it has other
// characters: MS-OLEDS 2.3.7's FileMoniker), and the composite monikers
// that wrap them. At most 20.
func oleLinkSources(p *message.Part) []string {
	b := p.Content
	le := binary.LittleEndian
	if !strings.EqualFold(strings.TrimLeft(baseName(p.Filename), "\x01"), "ole") || len(b) < 20 ||
		le.Uint32(b) != 0x02000001 || le.Uint32(b[4:])&1 == 0 {
		return nil
	}
	b = b[20:min(len(b), 64<<10)]
	var out []string
	// UTF-16 at either offset, then 8-bit.
	for _, pass := range [][2]int{{0, 2}, {1, 2}, {0, 1}} {
		var run []rune
		for i := pass[0]; i < len(b)+pass[1] && len(out) < 20; i += pass[1] {
			if i+pass[1] <= len(b) {
				c := rune(b[i])
				if pass[1] == 2 {
					c = rune(le.Uint16(b[i:]))
				}
				if c >= ' ' && c < 0x7f {
					run = append(run, c)
					continue
				}
			}
			if len(run) >= 5 {
				out = append(out, string(run))
			}
			run = run[:0]
		}
	}
	return out
}

// webTarget: a web or FTP address, or an mhtml: wrapper of one.
func webTarget(target string) bool {
	t := strings.ToLower(strings.TrimSpace(target))
	for _, p := range []string{"http:", "https:", "ftp:", "mhtml:"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return false
}

// remoteTarget: a target Office fetches from elsewhere: a web or FTP
// address, an mhtml: wrapper, a UNC path however written (\\host, //host,
// file://host, file:////host), anything but a local drive.
func remoteTarget(target string) bool {
	if webTarget(target) {
		return true
	}
	t := strings.ToLower(strings.TrimSpace(target))
	for _, p := range []string{"ms-", "search-ms:", "\\\\", "//", "\\/", "/\\"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	if rest, ok := strings.CutPrefix(t, "file:"); ok {
		rest = strings.TrimLeft(rest, `/\`)
		drive := len(rest) >= 2 && rest[1] == ':' && rest[0] >= 'a' && rest[0] <= 'z'
		slashes := len(strings.TrimPrefix(t, "file:")) - len(rest)
		// file:///C:/x is local; file://host/x and file:////host/x are not.
		return !drive || slashes == 2
	}
	return false
}

// msProtocol is the specification of findMSProtocol, which does its work.
var msProtocol = regexp.MustCompile(`(?i)\b(ms-msdt|search-ms|ms-search|ms-officecmd|ms-cxh|ms-cxh-full|ms-appinstaller):`)

// msSchemes are msProtocol's alternatives, in its order.
var msSchemes = []string{"ms-msdt", "search-ms", "ms-search", "ms-officecmd", "ms-cxh", "ms-cxh-full", "ms-appinstaller"}

// findMSProtocol returns what msProtocol.Find(b) returns. A case-folded
// regexp has no literal to skip ahead with and ran over every byte of
// every HTML part (newsletters are full of "-ms-" CSS); every match holds
// a '-' two or six letters in, so only the places around each '-' are
// tried. A letter s may be written ſ (U+017F), which the regexp folds to s.
func findMSProtocol(b []byte) []byte {
	best, bestEnd := -1, 0
	for p := 0; p < len(b); p++ {
		i := bytes.IndexByte(b[p:], '-')
		if i < 0 {
			break
		}
		p += i
		if best >= 0 && p-7 >= best {
			break // later candidates start after the match found
		}
		for _, back := range []int{7, 6, 3, 2} { // "search" or "ms" before the '-', with or without an ſ
			s := p - back
			if s < 0 || (best >= 0 && s >= best) {
				continue
			}
			if e := msSchemeAt(b, s); e > 0 {
				best, bestEnd = s, e
			}
		}
	}
	if best < 0 {
		return nil
	}
	return b[best:bestEnd:bestEnd]
}

// msSchemeAt is the end of msProtocol's match starting at s (after the
// colon), or 0 when none starts there.
func msSchemeAt(b []byte, s int) int {
	firstWord := b[s] != 0xC5 // ſ is no word character for \b; the ASCII letters are
	prevWord := s > 0 && isWordByte(b[s-1])
	if firstWord == prevWord {
		return 0
	}
	for _, alt := range msSchemes {
		if e, ok := foldedAt(b, s, alt); ok && e < len(b) && b[e] == ':' {
			return e + 1
		}
	}
	return 0
}

// foldedAt matches lit (lower case) at b[i:] as (?i) does: ASCII case, and
// ſ for s. It returns the end of the match.
func foldedAt(b []byte, i int, lit string) (int, bool) {
	for j := 0; j < len(lit); j++ {
		c := lit[j]
		switch {
		case i < len(b) && (b[i] == c || ('a' <= c && c <= 'z' && b[i] == c-'a'+'A')):
			i++
		case c == 's' && i+1 < len(b) && b[i] == 0xC5 && b[i+1] == 0xBF:
			i += 2
		default:
			return 0, false
		}
	}
	return i, true
}

// isWordByte: an ASCII word character, as \b sees the byte before a match
// (a byte of a longer rune is none).
func isWordByte(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
}

func checkMSProtocol(e *env, p *message.Part) []string {
	b := head(p)
	if !urls.IsHTML(p) && !strings.HasSuffix(strings.ToLower(p.Path), ".rels") &&
		!strings.HasSuffix(strings.ToLower(p.Path), ".xml") && sniff(p) != kindRTF {
		return nil
	}
	if e.hasLower(p, "ms-") || e.hasLower(p, "-ms:") {
		if m := findMSProtocol(b); m != nil {
			return []string{"calls " + show(string(m))}
		}
	}
	// Entities, CSS and script escapes hide the scheme from a byte search;
	// the browser or Office decodes them first, and so do we. A scheme
	// whose letters "ms" are themselves escaped is not looked for.
	if e.hasLower(p, "ms") && (bytes.Contains(b, []byte("&#")) || bytes.IndexByte(b, '\\') >= 0 || e.hasLower(p, "&colon;") || e.hasLower(p, "&hyphen;") || e.hasLower(p, "&dash;")) {
		d := []byte(decodeRefs(string(b)))
		if containsLower(d, "ms-") || containsLower(d, "-ms:") {
			if m := findMSProtocol(d); m != nil {
				return []string{"calls " + show(string(m)) + " (escaped)"}
			}
		}
	}
	return nil
}

// --- HTML ---

var blobAPI = regexp.MustCompile(`(?i)\bnew\s+(?:(?:window|self|globalthis|this)\s*\.\s*)?blob\s*\(|createobjecturl|mssaveoropenblob|mssaveblob`)

// minSmuggled is the size of an encoded run worth smuggling: a few KiB.
const minSmuggled = 4096

func checkHTMLSmuggling(e *env, p *message.Part) []string {
	if !urls.IsHTML(p) {
		return nil
	}
	b := head(p)
	var out []string
	plain := e.hasLower(p, "blob") || e.hasLower(p, "createobjecturl")
	links := e.hasLower(p, "download") || e.hasLower(p, "<iframe") || e.hasLower(p, "<embed") || e.hasLower(p, "<object")
	script := e.hasLower(p, "<script")
	if !plain && !links && !script {
		return nil
	}
	api := blobAPI.Find(b)
	if api != nil {
		if n := longestEncodedRun(b); n >= minSmuggled {
			out = append(out, show(string(api))+" with "+itoa(n)+" bytes of encoded data")
		}
	}
	if len(out) == 0 && script {
		// Obfuscated: the API names and the payload are built from pieces
		// in the scripts (the page's own, normalised once for every check),
		// the payload maybe kept in the markup.
		n := []byte(e.ownScripts(p))
		if api := blobAPI.Find(n); api != nil {
			if run := max(longestEncodedRun(n), longestEncodedRun(b)); run >= minSmuggled {
				out = append(out, show(string(api))+" with "+itoa(run)+" bytes of encoded data, once the script's strings are joined")
			}
		}
	}
	if len(out) == 0 && script {
		if name := savedName(e.ownScripts(p)); name != "" {
			out = append(out, "script saves a file named "+show(name))
		}
	}
	if !links {
		return out
	}
	z := html.NewTokenizer(bytes.NewReader(b))
	z.SetMaxBuf(1 << 20)
	for i := 0; i < 1_000_000; i++ {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, _ := z.TagName()
		switch string(name) {
		case "a":
			a := attrs(z)
			_, dl := a["download"]
			href := strings.ToLower(strings.TrimSpace(a["href"]))
			if dl && (strings.HasPrefix(href, "data:") || strings.HasPrefix(href, "blob:")) {
				return append(out, "download link to "+show(truncate(href, 40)))
			}
		case "iframe", "embed", "object", "frame":
			a := attrs(z)
			for _, k := range []string{"src", "data"} {
				if v := strings.ToLower(strings.TrimSpace(a[k])); strings.HasPrefix(v, "data:") && !strings.HasPrefix(v, "data:image/") {
					return append(out, string(name)+" loads "+show(truncate(v, 40)))
				}
			}
		}
	}
	return out
}

// jsSaveAs names the file a script saves: a link's download name set by
// script, the name msSaveOrOpenBlob or msSaveBlob is given, or a File's.
var jsSaveAs = regexp.MustCompile(`(?i)\.\s*download\s*=\s*` + jsLit +
	`|setattribute\s*\(\s*["']download["']\s*,\s*` + jsLit +
	`|mssave(?:oropen)?blob\s*\([^,;]{1,200},\s*` + jsLit +
	`|\bnew\s+file\s*\(\s*\[[^\]]{0,200}\]\s*,\s*` + jsLit)

// savedArchiveExts are the archives a saved file is smuggled in (what it
// holds is opened with a double click); documents and data are what
// honest pages export (report.csv, invoice.pdf).
var savedArchiveExts = set("zip", "rar", "7z", "gz", "tgz", "tar", "cab", "arj", "ace", "lzh", "lha", "z", "xz", "bz2", "zst", "uue", "r00", "001")

// savedName is the name of a file the script saves (a download it starts,
// whatever the bytes came from: a payload of any size, an image's pixels,
// WebAssembly, the web) when that name is a program's, a script's, a
// shortcut's, a disk image's or an archive's; "" for none.
func savedName(js string) string {
	if !strings.Contains(strings.ToLower(js), "download") && !containsLower([]byte(js), "mssave") && !containsLower([]byte(js), "file") {
		return ""
	}
	for _, m := range jsSaveAs.FindAllStringSubmatchIndex(js, 20) {
		for g := 2; g+1 < len(m); g += 2 {
			if m[g] < 0 {
				continue
			}
			name := jsUnquote(js[m[g]:m[g+1]])
			if x := message.Ext(name); dangerousExt(x) || riskyContainerExts[x] || savedArchiveExts[x] {
				return name
			}
		}
	}
	return ""
}

// longestEncodedRun is the longest run of base64 or hex characters, or of a
// numeric array ("77,90,144,..."), the forms a smuggled file takes. A
// base64 block wrapped into lines (76 characters, or chunks of a hidden
// element) is one run: atob skips the blanks, and so do kits that strip
// them first. A line break joins only lines of minWrappedLine characters
// or more, so prose (short words between blanks) stays short runs.
func longestEncodedRun(b []byte) int {
	best, b64, line, num := 0, 0, 0, 0
	for _, c := range b {
		isB64 := c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/' || c == '=' || c == '-' || c == '_'
		blank := c == ' ' || c == '\t' || c == '\n' || c == '\r'
		switch {
		case isB64:
			b64++
			line++
		case blank && line >= minWrappedLine:
			line = 0 // a wrapped line ends; the block goes on
		case blank && line == 0 && b64 > 0:
			// more blanks between two lines of the block
		default:
			b64, line = 0, 0
		}
		if c >= '0' && c <= '9' || c == ',' || c == ' ' || c == 'x' {
			num++
		} else {
			num = 0
		}
		best = max(best, b64, num)
	}
	return best
}

// minWrappedLine is the shortest line of a wrapped base64 block (MIME
// wraps at 76, PEM at 64; kits cut chunks of hundreds).
const minWrappedLine = 32

func attrs(z *html.Tokenizer) map[string]string {
	a := map[string]string{}
	for n, more := 0, true; more && n < 64; n++ {
		var k, v []byte
		k, v, more = z.TagAttr()
		if _, dup := a[string(k)]; !dup {
			a[string(k)] = string(v)
		}
	}
	return a
}

// judgeAction says why a password form's target is suspect, "" when it is not.
func judgeAction(e *env, action string, attachment bool) string {
	u := urls.Parse(strings.TrimSpace(action))
	switch {
	case u.Scheme == "data":
		return "password form posts to a data: URL"
	case u.Host == "":
		return "" // relative: goes nowhere from a mail client
	case attachment:
		return "password form in an attachment posts to " + show(u.Host)
	case e.sender == "" || registrable(u.Host) != e.sender:
		return "password form posts to " + show(u.Host) + ", not the sender's domain"
	}
	return ""
}

// svgActive: script, foreignObject (HTML inside the image) and event
// handlers, with any namespace prefix (<x:script> runs when x names SVG).
var svgActive = regexp.MustCompile(`(?i)<(?:[a-z0-9_.-]+:)?script\b|javascript:|<(?:[a-z0-9_.-]+:)?foreignobject\b|\son[a-z]{3,30}\s*=`)

func checkSVGScript(e *env, p *message.Part) []string {
	b := head(p)
	isSVG := p.DeclaredType == "image/svg+xml" || p.DetectedType == "image/svg+xml" || message.Ext(p.Filename) == "svg" ||
		containsLower(b[:min(len(b), 1024)], "<svg")
	if !isSVG {
		return nil
	}
	if m := svgActive.Find(b); m != nil {
		return []string{"SVG with " + show(strings.TrimSpace(string(m)))}
	}
	if bytes.IndexByte(b, '&') >= 0 {
		if m := svgActive.FindString(decodeRefs(string(b))); m != "" {
			return []string{"SVG with " + show(strings.TrimSpace(m)) + " (escaped)"}
		}
	}
	return nil
}

// --- PDF ---

// isPDFPart: a PDF, or a stream unpack decompressed from one (object streams
// hide /JavaScript from a plain byte search).
func (e *env) isPDFPart(p *message.Part) bool {
	if sniff(p) == kindPDF || bytes.Contains(p.Content[:min(len(p.Content), 1024)], []byte("%PDF-")) {
		return true
	}
	// Only the streams of the PDF itself, which unpack joins into one member
	// "streams", not files embedded in it (they have their own names).
	c := e.container(p)
	return c != nil && (p.Filename == "" || p.Filename == "streams") && sniff(c) == kindPDF
}

// pdfCheckedNames are the PDF names the checks ask about (pdfNamed refuses
// any other); a PDF's other names are not worth keeping.
var pdfCheckedNames = []string{"JavaScript", "JS", "Launch", "OpenAction", "AA", "EmbeddedFile", "SubmitForm",
	"ImportData", "RichMedia", "XFA", "GoToE", "GoToR"}

// pdfNameSet holds PDF names as bits: bit i for pdfCheckedNames[i].
type pdfNameSet uint64

var pdfNameBit = func() map[string]pdfNameSet {
	m := map[string]pdfNameSet{}
	for i, n := range pdfCheckedNames {
		m[n] = 1 << i
	}
	return m
}()

// pdfNameStart marks the first bytes of pdfCheckedNames, pdfNameMax their
// greatest length: most names of a PDF (and the "names" in its binary
// streams) need no map look-up.
var pdfNameStart, pdfNameMax = func() (t [256]bool, n int) {
	for _, s := range pdfCheckedNames {
		t[s[0]] = true
		n = max(n, len(s))
	}
	return t, n
}()

// pdfNamesOf returns which of pdfCheckedNames p has, #xx escapes decoded,
// reading p once however many checks ask.
func (e *env) pdfNamesOf(p *message.Part) pdfNameSet {
	if n, ok := e.pdfNames[p]; ok {
		return n
	}
	var n pdfNameSet
	if e.isPDFPart(p) {
		urls.EachPDFName(head(p), func(name []byte, end int) int {
			if len(name) > 0 && len(name) <= pdfNameMax && pdfNameStart[name[0]] {
				n |= pdfNameBit[string(name)]
			}
			return end
		})
	}
	e.pdfNames[p] = n
	return n
}

func pdfNamed(names ...string) func(*env, *message.Part) []string {
	for _, n := range names {
		if pdfNameBit[n] == 0 {
			panic("heuristic: PDF name " + n + " is not in pdfCheckedNames")
		}
	}
	return func(e *env, p *message.Part) []string {
		have := e.pdfNamesOf(p)
		var seen []string
		for _, n := range names {
			if have&pdfNameBit[n] != 0 {
				seen = append(seen, "/"+n)
			}
		}
		if len(seen) == 0 {
			return nil
		}
		return []string{"PDF has " + strings.Join(seen, " ")}
	}
}
