package known

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/kensa-milter/kensa/filetype"
	"github.com/kensa-milter/kensa/message"
)

// SHA256 is a part's SHA-256.
type SHA256 [32]byte

func (s SHA256) String() string { return hex.EncodeToString(s[:]) }

// ParseSHA256 reads 64 hex digits, any case.
func ParseSHA256(s string) (SHA256, error) {
	var out SHA256
	s = strings.TrimSpace(s)
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(out) {
		return out, fmt.Errorf("sha256 %q: want 64 hex digits", clip(s))
	}
	copy(out[:], b)
	return out, nil
}

// Digests are what Kensa remembers of a part: never the part itself.
type Digests struct {
	SHA256  SHA256
	TLSH    TLSH
	HasTLSH bool // false when the part is too short or too uniform for one
}

// Of digests b.
func Of(b []byte) Digests {
	d := Digests{SHA256: sha256.Sum256(b)}
	d.TLSH, d.HasTLSH = ComputeTLSH(b)
	return d
}

// PartDigests digests a part, without a TLSH for an Office document
// (OOXML, OpenDocument or an OLE compound file such as .doc/.xls/.ppt) that
// unpacking opened: most of its bytes are its template's (theme, styles,
// fonts, a compound file's empty sectors and summary streams), so a lure and
// an honest letter written from one template come within the threshold.
// Such a document is known by its exact hash; its members carry their own
// TLSH.
func PartDigests(p *message.Part) Digests {
	if p.Container && (strings.HasPrefix(p.DetectedType, "application/vnd.openxmlformats-officedocument.") ||
		strings.HasPrefix(p.DetectedType, filetype.ODFPrefix) || p.DetectedType == filetype.OLE) {
		return Digests{SHA256: sha256.Sum256(p.Content)}
	}
	return Of(p.Content)
}
