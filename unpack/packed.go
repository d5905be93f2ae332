package unpack

import (
	"bytes"
	"slices"

	"github.com/kensa-milter/kensa/message"
)

// A member's compressed data (a zip member's deflate stream, a PDF
// stream's FlateDecode data) is Huffman-coded: no program that opens the
// container as an archive or a document shows those bytes as bytes, and
// what they hold is read in the member they inflated to. packed records
// where such data lies (message.Part.Packed) so that yarascan can leave it
// out of the container's scan, as it leaves out a JPEG's entropy-coded
// data.
//
// A range is recorded only when it is exactly what the inflater read: the
// inflater reads a bytes.Reader over the declared range (the zip's
// compressed size, the PDF stream's data), which it reads byte by byte
// and never past the end of the deflate (or zlib) stream, and the range is
// recorded only when the reader is empty afterwards, the read ended at the
// stream's end without error (the zip's CRC and size, zlib's checksum) and
// no limit cut the member. Any doubt records nothing: data after the end
// of the stream inside the declared range, a damaged stream, a stored or
// otherwise compressed member, an encrypted one, a member only a local
// header lists, a reader that is not ours, a zip any of whose local
// headers says another method or size than its central directory entry (a
// streaming unzipper would read the bytes after it as something else:
// confirmPacked), a container whose opening ended in an error. Ranges that
// overlap (two central directories sharing data) are all dropped
// (dropOverlaps).

// minPacked is the shortest compressed range worth recording: every range
// cuts the container's scan in two.
const minPacked = minRepeat

// packedSource is the bytes.Reader an inflater read a member's compressed
// data from, and where that data starts in the container.
type packedSource struct {
	off int64
	r   *bytes.Reader
	n   int64 // the reader's length at the start
}

// packedRange is src's range when the inflater read all of it (see above)
// into p; read is the member's read error.
func (c *container) packedRange(p *message.Part, src *packedSource, read error) (message.Span, bool) {
	if p == nil || len(p.Content) == 0 || src == nil || read != nil || src.r.Len() != 0 || src.n < minPacked {
		return message.Span{}, false
	}
	if src.off < 0 || src.off+src.n > int64(len(c.part.Content)) {
		return message.Span{}, false
	}
	return message.Span{Off: int(src.off), Len: int(src.n)}, true
}

// dropOverlaps clears p.Packed when two of its ranges share a byte: only
// two readings of one container (two central directories) can make them
// overlap, and which reading a tool takes is then in doubt.
func dropOverlaps(p *message.Part) {
	s := slices.SortedFunc(slices.Values(p.Packed), func(a, b message.Span) int { return a.Off - b.Off })
	for i := 1; i < len(s); i++ {
		if s[i].Off < s[i-1].Off+s[i-1].Len {
			p.Packed = nil
			return
		}
	}
}
