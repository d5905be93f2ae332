package message

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"sort"
	"strings"

	"github.com/kensa-milter/kensa/filetype"
)

// Readings. Mail clients disagree on how to read a damaged or doubled
// structural field: the first or the last of two Content-Type fields, a
// delimiter line with something after the boundary, base64 with "=" in
// the middle. An attacker hides an attachment in that gap. So Parse reads
// the message once in its primary way and notes every choice that
// mattered; if any did, it reads the message again with each such choice
// flipped, and with all of them flipped, and keeps the union of the
// parts. Well-formed mail makes no choice and is read once.
//
// A reading that shows content the primary reading does not, while no
// reading shows everything, is an ambiguity: Part.ShownBy says which readings showed
// the part, and the heuristic "mime-ambiguous" reports it. A part that
// one reading cannot decode is unscannable only when no reading decodes
// it. The readings per message are bounded (maxReadings); past the bound
// the message is unscannable.

// reading is a set of choices, each a bit; 0 is the primary reading.
type reading uint32

const (
	rdLastField     reading = 1 << iota // of a Content-* field given twice, the last (else the first)
	rdLastParam                         // of a parameter given twice, the last (else an RFC 2231 one, else the first)
	rdCutNUL                            // a NUL ends a structured field value (else it is dropped)
	rdWords                             // RFC 2047 encoded words decoded in a Content-Type value
	rdPrefixDelim                       // any line starting with "--" and the boundary is a delimiter
	rdBareCR                            // a lone CR ends a line
	rdOutside                           // a preamble or epilogue that looks like parts is read as parts
	rdMultipartCTE                      // a multipart's transfer encoding is decoded before splitting
	rdB64Continuous                     // "=" inside base64 is skipped like other junk (else it ends a group)
	rdB64Strict                         // base64 ends at the first byte outside its alphabet
	rdQPDrop                            // a malformed quoted-printable "=" is dropped (else kept)
	rdGuessB64                          // an unknown transfer encoding of a body that is all base64 is base64
	rdGuessBoundary                     // a multipart without a boundary takes the first "--" line of its body as one
	numChoices      = iota
)

var choiceNames = [numChoices]string{"last-field", "last-param", "nul-cut", "encoded-words", "prefix-delimiter",
	"bare-cr", "outside-parts", "multipart-encoding", "base64-continuous", "base64-strict", "qp-drop", "guess-base64", "guess-boundary"}

// maxReadings bounds the readings of one message, the primary one included.
const maxReadings = 16

// Problem reasons for readings.
const (
	ReasonLimitReadings = "limit-readings" // more readings than maxReadings were needed
)

func (r reading) String() string {
	if r == 0 {
		return "primary"
	}
	var names []string
	for i := 0; i < numChoices; i++ {
		if r&(1<<i) != 0 {
			names = append(names, choiceNames[i])
		}
	}
	return strings.Join(names, "+")
}

// choose records that the choice c mattered here, when it did, and says
// whether this reading makes it.
func (ps *parser) choose(c reading, matters bool) bool {
	if !matters {
		return false
	}
	ps.hit |= c
	return ps.rd&c != 0
}

// read runs one reading of raw; memo is shared by the readings of one message.
func read(raw []byte, rd reading, memo b64memo) *parser {
	ps := &parser{m: &Message{Raw: raw}, rd: rd, memo: memo}
	ps.root = ps.message(raw, 0, "", 0, 0)
	return ps
}

// readAll runs the readings raw needs, starting from the primary one, at
// most limit of them, and merges them into m.
func readAll(m *Message, raw []byte, limit int) *parser {
	memo := b64memo{}
	first := read(raw, 0, memo)
	m.Parts, m.Problems = first.m.Parts, first.m.Problems
	if first.hit == 0 {
		return first
	}
	runs := []*parser{first}
	mg := newMerger()
	mg.add(0, first)
	tried := map[reading]bool{0: true}
	var queue []reading
	seen := reading(0)
	grow := func(hit reading) {
		if hit&^seen == 0 {
			return
		}
		seen |= hit
		for i := 0; i < numChoices; i++ {
			if c := reading(1) << i; hit&c != 0 {
				queue = append(queue, c)
			}
		}
		queue = append(queue, seen)
	}
	grow(first.hit)
	for len(queue) > 0 {
		rd := queue[0]
		if tried[rd] {
			queue = queue[1:]
			continue
		}
		if len(runs) >= limit {
			break
		}
		queue = queue[1:]
		tried[rd] = true
		ps := read(raw, rd, memo)
		mg.add(len(runs), ps)
		runs = append(runs, ps)
		grow(ps.hit)
	}
	mg.finish(m, runs)
	for _, rd := range queue {
		if !tried[rd] {
			m.Problems = append(m.Problems, Problem{Reason: ReasonLimitReadings, Unscannable: true,
				Detail: fmt.Sprintf("the message can be read more than %d ways (%s)", limit, seen)})
			break
		}
	}
	return first
}

// partKey identifies what a part shows a client: its bytes and its names.
type partKey struct {
	sum   [32]byte
	names string
}

func keyOf(p *Part) partKey {
	names := append([]string{p.Filename}, p.AltNames...)
	sort.Strings(names)
	return partKey{sha256.Sum256(p.Content), strings.Join(names, "\x00")}
}

// shownAs is what a client shows of a part when readings are compared:
// an attachment by its names, content of a recognised non-text type by
// its type; "" for a part that does not count. Plain body text does not
// count (the raw text of a multipart one reading failed to split is no
// new content), nor do bytes of no recognised type (what a misaligned
// decode of damaged base64 gives). Two decodings of one named file are
// one attachment: both are scanned, neither is an ambiguity.
func shownAs(p *Part) string {
	if p.Filename != "" || len(p.AltNames) > 0 {
		return "name:" + keyOf(p).names
	}
	if p.DetectedType == filetype.Binary || p.DetectedType == "" || strings.HasPrefix(p.DetectedType, "text/") {
		return ""
	}
	return "type:" + p.DetectedType
}

// merger builds the union of the readings' parts as each reading ends,
// so that what a reading adds nothing with is freed before the next one:
// the memory of many readings is that of their distinct parts. The
// primary reading's parts keep their paths; a part another reading adds
// gets that reading's name in front of its path ("last-field:2"). Parts
// with the same bytes and names are one part; a reading that stops early
// (strict base64) gives a cut copy of another's part, which is dropped.
type merger struct {
	have    map[partKey]*Part
	byNames map[string][]*Part
	parts   []*Part
	shows   []int             // how many things each reading shows (see shownAs)
	union   map[string]uint32 // what is shown, by the readings that show it (bits of their index)
	first   int               // parts of the primary reading
}

func newMerger() *merger {
	return &merger{have: map[partKey]*Part{}, byNames: map[string][]*Part{}, union: map[string]uint32{}}
}

// add takes the parts of reading i (0 is the primary one) and drops
// them from ps.
func (mg *merger) add(i int, ps *parser) {
	shown := map[string]bool{}
	for _, p := range ps.m.Parts {
		if s := shownAs(p); s != "" && !shown[s] {
			shown[s] = true
			mg.union[s] |= 1 << i
		}
		k := keyOf(p)
		if i == 0 {
			mg.first++
		} else {
			if _, dup := mg.have[k]; dup || cutCopy(mg.byNames[k.names], p) {
				continue
			}
			q := *p
			q.Path = ps.rd.String() + ":" + p.Path
			p = &q
		}
		mg.have[k] = p
		mg.byNames[k.names] = append(mg.byNames[k.names], p)
		mg.parts = append(mg.parts, p)
	}
	mg.shows = append(mg.shows, len(shown))
	ps.m.Parts = nil
}

// finish sets m's parts and problems: the union, the parts only some
// readings show marked when no reading shows everything, and the problems
// of every reading (mergeProblems).
func (mg *merger) finish(m *Message, runs []*parser) {
	parts := mg.parts
	if len(parts) > MaxParts {
		parts = parts[:MaxParts]
		runs[0].m.Problems = append(runs[0].m.Problems, Problem{Part: parts[MaxParts-1].Path, Reason: ReasonLimitParts, Unscannable: true,
			Detail: fmt.Sprintf("more than %d parts in all readings; the rest was not decoded", MaxParts)})
	}
	complete := false
	for _, n := range mg.shows {
		if n == len(mg.union) {
			complete = true
			break
		}
	}
	if !complete {
		for _, p := range parts {
			// What the primary reading shows is what a strict reader
			// shows too; the finding is for what it hides.
			by := mg.union[shownAs(p)]
			if by == 0 || by&1 != 0 {
				continue
			}
			var names []string
			for i, ps := range runs {
				if by&(1<<i) != 0 {
					names = append(names, ps.rd.String())
				}
			}
			p.ShownBy = "shown only when read as: " + strings.Join(names, ", ")
		}
	}
	m.Parts = parts
	m.Problems = mergeProblems(runs, len(parts) > mg.first)
}

// cutCopy says whether p is a shorter copy of one of same (parts with
// the same names): what a reading that stops early gives.
func cutCopy(same []*Part, p *Part) bool {
	for _, q := range same {
		if len(p.Content) < len(q.Content) && bytes.HasPrefix(q.Content, p.Content) {
			return true
		}
	}
	return false
}

// mergeProblems keeps the primary reading's problems, except a soft
// unscannable one (a structure that did not split) that another reading
// did not meet at the same place: that reading read it. Then it adds the
// other readings' unscannable problems that are not soft, and a defect
// naming the readings.
func mergeProblems(runs []*parser, gained bool) []Problem {
	type key struct{ part, reason string }
	count := map[key]int{}
	for _, ps := range runs {
		seen := map[key]bool{}
		for _, pr := range ps.m.Problems {
			k := key{pr.Part, pr.Reason}
			if pr.Unscannable && !seen[k] {
				seen[k] = true
				count[k]++
			}
		}
	}
	var out []Problem
	inFirst := map[key]bool{}
	for _, pr := range runs[0].m.Problems {
		inFirst[key{pr.Part, pr.Reason}] = true
		if isLimit(pr.Reason) {
			inFirst[key{"", pr.Reason}] = true
		}
		if pr.soft && count[key{pr.Part, pr.Reason}] < len(runs) {
			continue
		}
		out = append(out, pr)
	}
	for _, ps := range runs[1:] {
		for _, pr := range ps.m.Problems {
			k := key{pr.Part, pr.Reason}
			if isLimit(pr.Reason) {
				k = key{"", pr.Reason} // one of each limit is enough
			}
			if pr.Unscannable && !pr.soft && !inFirst[k] {
				inFirst[k] = true
				pr.Part = ps.rd.String() + ":" + pr.Part
				out = append(out, pr)
			}
		}
	}
	if !gained || runs[0].defects > maxDefects {
		return out
	}
	var names []string
	for _, ps := range runs[1:] {
		names = append(names, ps.rd.String())
	}
	out = append(out, Problem{Reason: ReasonDefect, Detail: clip("read more than one way: " + strings.Join(names, ", "))})
	return out
}

func isLimit(reason string) bool {
	return reason == ReasonLimitDepth || reason == ReasonLimitParts || reason == ReasonLimitReadings
}
