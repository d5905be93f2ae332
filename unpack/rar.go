package unpack

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/nwaples/rardecode/v2"
)

// maxRarDict bounds the decoder window a rar member may ask for (WinRAR's
// default is 32 MiB for RAR5).
const maxRarDict = 128 << 20

func (c *container) rarReader(pw *string) (*rardecode.Reader, error) {
	opts := []rardecode.Option{rardecode.MaxDictionarySize(maxRarDict)}
	if pw != nil {
		opts = append(opts, rardecode.Password(*pw))
	}
	return rardecode.NewReader(bytes.NewReader(c.part.Content), opts...)
}

func isRarEncrypted(err error) bool {
	return errors.Is(err, rardecode.ErrArchiveEncrypted) || errors.Is(err, rardecode.ErrArchivedFileEncrypted) ||
		errors.Is(err, rardecode.ErrBadPassword)
}

func openRar(c *container) (err error) {
	// rardecode panics on some malformed headers (a RAR 1.5 block header
	// shorter than its CRC field, found by FuzzRar): a corrupt archive,
	// what was read before it kept, not a crash.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("rar: reader panicked: %v", p)
		}
	}()
	locked, headers, err := c.extractRar(nil, nil)
	if err != nil {
		return err
	}
	if !headers && len(locked) == 0 {
		return nil
	}
	for _, pw := range c.candidates() {
		if !c.try() {
			break
		}
		text := pw.text
		if !c.probeRar(&text, locked) {
			continue
		}
		c.part.UnlockedBy = pw.source
		want := map[string]bool{}
		for _, n := range locked {
			want[n] = true
		}
		if headers {
			want = nil
		}
		still, _, err := c.extractRar(&text, want)
		if err != nil {
			return err
		}
		locked, headers = still, false
		break
	}
	if headers || len(locked) > 0 {
		for _, n := range locked {
			c.addEncrypted(n)
		}
		c.part.Encrypted = true
		c.w.problem(c.part, ReasonEncrypted, fmt.Sprintf("encrypted rar not opened after %d password tries", c.tries))
	}
	return nil
}

// extractRar adds members (those in want, when not nil). It returns the
// names of members that need a password, and whether the headers do.
func (c *container) extractRar(pw *string, want map[string]bool) (locked []string, headers bool, err error) {
	r, err := c.rarReader(pw)
	if err != nil {
		if isRarEncrypted(err) {
			return nil, true, nil
		}
		return nil, false, fmt.Errorf("rar: %w", err)
	}
	fields := rar4Names(c.part.Content)
	for i := 0; ; i++ {
		h, err := r.Next()
		if errors.Is(err, io.EOF) {
			return locked, false, nil
		}
		if err != nil {
			if isRarEncrypted(err) && pw == nil {
				return locked, true, nil
			}
			return locked, false, fmt.Errorf("rar: %w", err)
		}
		if h.IsDir || want != nil && !want[h.Name] {
			continue
		}
		if h.Encrypted && pw == nil {
			locked = append(locked, h.Name)
			continue
		}
		var field *rar4Name
		if i < len(fields) && fields[i].packed == h.PackedSize {
			field = &fields[i]
		}
		others := rarOtherNames(h.Name, field)
		name := h.Name
		if name == "" && len(others) > 0 {
			name = others[0] // the Unicode name is broken: 7-Zip shows the OEM one
		}
		p, err := c.member(name, r, h.PackedSize)
		c.noteFound(p, h.PackedSize)
		if p != nil {
			for _, n := range others {
				addAltName(p, n)
			}
			if strings.IndexByte(h.Name, 0) >= 0 {
				c.ambiguous(fmt.Sprintf("a NUL ends the rar name %q", cleanName(h.Name)))
			}
		}
		switch {
		case err == nil:
		case errors.Is(err, errStop):
			return nil, false, err
		case isRarEncrypted(err):
			locked = append(locked, h.Name)
		default:
			c.w.problem(c.part, ReasonCorrupt, fmt.Sprintf("unpack: rar %q: member %q: %v", c.part.Path, cleanName(h.Name), err))
		}
	}
}

// probeRar checks a password: it must open the headers and read the first
// locked member to its checksum.
func (c *container) probeRar(pw *string, locked []string) bool {
	r, err := c.rarReader(pw)
	if err != nil {
		return false
	}
	for {
		h, err := r.Next()
		if err != nil {
			return false
		}
		if h.IsDir || !h.Encrypted {
			continue
		}
		if len(locked) > 0 && h.Name != locked[0] {
			continue
		}
		_, err = io.Copy(io.Discard, io.LimitReader(ctxReader{c.w.ctx, r}, c.w.lim.MaxMemberBytes))
		return err == nil
	}
}
