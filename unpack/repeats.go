package unpack

import (
	"bytes"
	"encoding/binary"
	"math/bits"

	"github.com/kensa-milter/kensa/message"
)

// A zip member that is stored, and a deflated one whose data did not
// compress (a JPEG, a PDF's streams, an Office document: deflate then
// writes "stored blocks", the bytes as they are behind a four-byte
// header), lies in its container byte for byte; so does every member of an
// archive that does not compress (tar, cpio, an ISO image's files in one
// extent), and a stored rar member. A scanner that reads every
// part reads those bytes twice, once in the container and once in the
// member. repeats records where they are (message.Part.Repeated) so that
// yarascan can read them once, in the member, when its rules cannot tell.
//
// What is recorded is checked, not assumed: a range is recorded only when
// its bytes are equal to the member's content at some place, compared byte
// for byte. So whatever tricks the container plays (a header that lies
// about its method, deflate data shaped to look like stored blocks, members
// that overlap), a recorded range is bytes that are read anyway as part of
// a member. Finding the ranges is the cheap part; nothing else depends on
// finding all of them.

// minRepeat is the shortest range worth recording: every range cuts the
// container's scan in two, and a short one saves less than the cut costs.
const minRepeat = 1024

// noteAsIs records that the container's bytes from at are p's content as
// it is (a member of an archive that does not compress: tar, cpio, an ISO
// image), when they are, byte for byte.
func (c *container) noteAsIs(p *message.Part, at int64) {
	if p != nil {
		c.noteRepeats(p, at, at+int64(len(p.Content)), 0)
	}
}

// noteFound is noteAsIs for an archive whose reader does not say where a
// member's data lies (rar): when the member's packed size is its size (a
// stored member), its bytes are looked for in the container, at the first
// few places that start like them; the first place that holds all of
// them, byte for byte, is recorded.
func (c *container) noteFound(p *message.Part, packed int64) {
	if p == nil || len(p.Content) < minRepeat || int64(len(p.Content)) != packed {
		return
	}
	b, content := c.part.Content, p.Content
	for from, tries := 0, 0; tries < 16; tries++ {
		i := bytes.Index(b[from:], content[:32])
		if i < 0 {
			return
		}
		at := from + i
		if at+len(content) <= len(b) && bytes.Equal(b[at:at+len(content)], content) {
			c.part.Repeated = append(c.part.Repeated, message.Span{Off: at, Len: len(content)})
			return
		}
		from = at + 1
	}
}

// noteRepeats records the ranges of the container's bytes from at to end
// (a member's data as packed: stored, or deflate) that are equal to parts
// of p's content.
func (c *container) noteRepeats(p *message.Part, at, end int64, method uint16) {
	b := c.part.Content
	if p == nil || len(p.Content) < minRepeat || at < 0 || end > int64(len(b)) || end-at < minRepeat {
		return
	}
	data := b[at:end]
	var spans []message.Span
	switch method {
	case 0: // stored
		if bytes.Equal(data, p.Content) {
			spans = []message.Span{{Off: int(at), Len: len(data)}}
		}
	case 8: // deflate
		spans = storedBlocks(data, int(at), p.Content)
	}
	c.part.Repeated = append(c.part.Repeated, spans...)
}

// storedBlocks finds, in z (deflate data at offset base of the container),
// the stored blocks whose bytes are, in order, bytes of content: the
// ranges of the container that repeat them. A stored block is a block
// header ending a byte (its three bits and the padding after them, so the
// byte before is below 64), then LEN and its complement NLEN, then LEN
// bytes. The blocks come in the order of the content, so each is looked for
// after the last one found. Candidates that are not stored blocks (any four
// bytes of compressed data may look like a header) cost a search and a
// comparison, so the looking stops once those have read about twice the
// content: hostile deflate data costs a bounded amount, and at worst
// records less.
func storedBlocks(z []byte, base int, content []byte) []message.Span {
	spans, _ := storedBlocksRead(z, base, content)
	return spans
}

// storedBlocksRead is storedBlocks, also saying how many bytes of the
// content its searches and comparisons read at most.
func storedBlocksRead(z []byte, base int, content []byte) (out []message.Span, read int) {
	q := 0                       // content[:q] is behind the last block found
	budget := 2*len(content) + 4 // bytes of content searches and comparisons may read
	const probe = 32             // bytes a candidate's start is looked for by
	for p := 1; p+4+minRepeat <= len(z) && budget > 0; {
		if p = nextComplement(z, p); p+4+minRepeat > len(z) {
			break
		}
		n := int(binary.LittleEndian.Uint16(z[p:]))
		if z[p-1] >= 64 || n < minRepeat || uint16(n)^binary.LittleEndian.Uint16(z[p+2:]) != 0xffff || p+4+n > len(z) {
			p++
			continue
		}
		data := z[p+4 : p+4+n]
		rest := content[q:]
		i := bytes.Index(rest, data[:probe])
		if i < 0 {
			budget -= len(rest)
			p++
			continue
		}
		budget -= i + probe
		if i+n > len(rest) || !bytes.Equal(rest[i:i+n], data) {
			budget -= n
			p++
			continue
		}
		out = append(out, message.Span{Off: base + p + 4, Len: n})
		q += i + n
		p += 4 + n
	}
	return out, 2*len(content) + 4 - budget
}

// nextComplement is the first position i >= p at which the two bytes at i+2
// are the complement of the two at i, as a stored block's NLEN is its LEN's
// (or where fewer than 8 bytes are left, for the caller to look at). It
// looks at four positions per step, without a branch per byte: in
// compressed data such positions are about one in 65536, and the loop over
// every byte it replaces was most of what looking for stored blocks cost.
func nextComplement(z []byte, p int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; p+8 <= len(z); p += 4 {
		w := binary.LittleEndian.Uint64(z[p:])
		y := ^(w ^ w>>16) // byte j is 0 where byte j+2 is byte j's complement (j < 6)
		// The zero bytes of y have their high bit set here; a byte above a
		// zero byte may be set too (a borrow), never a zero byte missed:
		// the caller checks what is found.
		zero := (y - ones) & ^y & highs
		if m := zero & (zero >> 8) & 0x80808080; m != 0 { // bytes k and k+1, k < 4
			return p + bits.TrailingZeros64(m)/8
		}
	}
	return p
}
