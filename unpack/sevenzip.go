package unpack

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/bodgit/sevenzip"
)

func is7zEncrypted(err error) bool {
	var re *sevenzip.ReadError
	return errors.As(err, &re) && re.Encrypted
}

func open7z(c *container) error {
	ra := bytes.NewReader(c.part.Content)
	size := int64(len(c.part.Content))
	r, err := new7z(ra, size, "")
	if is7zEncrypted(err) {
		// The names are encrypted too: a password must open the header.
		for _, pw := range c.candidates() {
			if !c.try() {
				break
			}
			if r, err = new7z(ra, size, pw.text); err == nil {
				c.part.UnlockedBy = pw.source
				return c.extract7z(r, nil)
			}
		}
		c.part.Encrypted = true
		c.w.problem(c.part, ReasonEncrypted, fmt.Sprintf("7z with encrypted names not opened after %d password tries", c.tries))
		return nil
	}
	if err != nil {
		return fmt.Errorf("7z: %w", err)
	}
	var locked []*sevenzip.File
	if err := c.extract7z(r, &locked); err != nil || len(locked) == 0 {
		return err
	}
	for _, pw := range c.candidates() {
		if !c.try() {
			break
		}
		r2, err := new7z(ra, size, pw.text)
		if err != nil || !c.probe7z(r2, locked[0].Name) {
			continue
		}
		if r2, err = new7z(ra, size, pw.text); err != nil {
			continue
		}
		c.part.UnlockedBy = pw.source
		want := map[string]bool{}
		for _, f := range locked {
			want[f.Name] = true
		}
		var still []*sevenzip.File
		if err := c.extract7zOnly(r2, want, &still); err != nil {
			return err
		}
		locked = still
		break
	}
	if len(locked) > 0 {
		for _, f := range locked {
			c.addEncrypted(f.Name)
		}
		c.part.Encrypted = true
		c.w.problem(c.part, ReasonEncrypted, fmt.Sprintf("%d encrypted 7z members not opened after %d password tries", len(locked), c.tries))
	}
	return nil
}

// new7z opens a 7z reader. bodgit/sevenzip v1.6.5 dereferences nil on some
// malformed headers (found by Fuzz7z, input kept in testdata/fuzz): that is
// a corrupt archive, not a crash.
func new7z(ra io.ReaderAt, size int64, pw string) (r *sevenzip.Reader, err error) {
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, fmt.Errorf("7z header: reader panicked: %v", p)
		}
	}()
	return sevenzip.NewReaderWithPassword(ra, size, pw)
}

// try counts one password attempt against the container's budget.
func (c *container) try() bool {
	if c.tries >= c.w.lim.MaxPasswordTries || c.w.ctx.Err() != nil {
		return false
	}
	c.tries++
	return true
}

func (c *container) extract7z(r *sevenzip.Reader, locked *[]*sevenzip.File) error {
	return c.extract7zOnly(r, nil, locked)
}

// extract7zOnly adds the members (only those in want, when it is not nil);
// members that need a password go to locked.
func (c *container) extract7zOnly(r *sevenzip.Reader, want map[string]bool, locked *[]*sevenzip.File) error {
	for _, f := range r.File {
		// 7-Zip makes a file of every item with data, whatever its
		// attributes say (bodgit/sevenzip calls one with the folder
		// attribute a folder): only an item without data is a folder.
		if f.FileInfo().IsDir() && f.UncompressedSize == 0 || want != nil && !want[f.Name] {
			continue
		}
		rc, err := f.Open()
		if err == nil {
			_, err = c.member(f.Name, rc, 0)
			rc.Close()
		}
		switch {
		case err == nil:
		case errors.Is(err, errStop):
			return err
		case is7zEncrypted(err) && locked != nil:
			*locked = append(*locked, f)
		default:
			c.w.problem(c.part, ReasonCorrupt, fmt.Sprintf("unpack: 7z %q: member %q: %v", c.part.Path, cleanName(f.Name), err))
		}
	}
	return nil
}

// probe7z reads one locked member with a candidate password; a wrong
// password fails in the decoder or the checksum.
func (c *container) probe7z(r *sevenzip.Reader, name string) bool {
	for _, f := range r.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return false
		}
		defer rc.Close()
		_, err = io.Copy(io.Discard, io.LimitReader(ctxReader{c.w.ctx, rc}, c.w.lim.MaxMemberBytes))
		return err == nil
	}
	return false
}
