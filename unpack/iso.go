package unpack

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/kdomanski/iso9660"
)

// ISO 9660 images (Rock Ridge names when present). Only the ISO 9660 tree is
// read: on a UDF bridge image Windows shows the UDF tree, which may differ.

const maxISODirDepth = 32

func openISO(c *container) error {
	img, err := iso9660.OpenImage(bytes.NewReader(c.part.Content))
	if err != nil {
		return fmt.Errorf("iso: %w", err)
	}
	root, err := img.RootDir()
	if err != nil {
		return fmt.Errorf("iso: %w", err)
	}
	dirs := 0
	return c.walkISO(root, "", 0, &dirs)
}

const maxISODirs = 10000

// isoChildren is dir.GetChildren. kdomanski/iso9660 v0.4.0 panics on a
// directory with fewer than its two dot entries (makeslice with a negative
// size; found by FuzzISO, input kept in testdata/fuzz): that is a corrupt
// image, not a crash, and the members read so far stay.
func isoChildren(dir *iso9660.File) (kids []*iso9660.File, err error) {
	defer func() {
		if p := recover(); p != nil {
			kids, err = nil, fmt.Errorf("directory reader panicked: %v", p)
		}
	}()
	return dir.GetChildren()
}

func (c *container) walkISO(dir *iso9660.File, prefix string, depth int, dirs *int) error {
	*dirs++
	if depth > maxISODirDepth || *dirs > maxISODirs {
		return fmt.Errorf("iso: more than %d directories or nested deeper than %d (a loop?)", maxISODirs, maxISODirDepth)
	}
	kids, err := isoChildren(dir)
	if err != nil {
		return fmt.Errorf("iso: %q: %w", cleanPath(prefix), err)
	}
	for _, f := range kids {
		if c.w.stopped || c.w.expired() {
			return errStop
		}
		name := prefix + f.Name()
		if f.IsDir() {
			if err := c.walkISO(f, name+"/", depth+1, dirs); err != nil {
				return err
			}
			continue
		}
		_, err := c.member(name, f.Reader(), f.Size())
		if errors.Is(err, errStop) {
			return err
		}
		if err != nil {
			c.w.problem(c.part, ReasonCorrupt, fmt.Sprintf("unpack: iso %q: %q: %v", c.part.Path, cleanName(name), err))
		}
	}
	return nil
}
