package unpack

import (
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	ntfs "www.velocidex.com/golang/go-ntfs/parser"
)

// NTFS volumes, the file system Windows formats a new virtual disk with,
// read with go-ntfs (Velocidex's parser, used by Velociraptor on damaged
// and hostile disks): every file's unnamed data stream, from the root
// directory down, under its Win32 name, its DOS (8.3) name an AltName.
// Named streams (alternate data streams) are not read: Explorer neither
// shows nor runs them. The volume's own metadata files ($MFT, $LogFile…)
// are skipped. Directories are read once each and at most ntfsMaxDepth
// deep; a panic inside the parser is corrupt-archive (walker.open).

const (
	ntfsMaxDepth   = 32
	ntfsMaxEntries = 100_000 // directory entries read on one volume
	ntfsFirstUser  = 24      // MFT records below this are the file system's own
)

// readNTFS adds the files of the NTFS volume r, under prefix.
func (c *container) readNTFS(r io.ReaderAt, prefix string) error {
	vol, err := ntfs.GetNTFSContext(r, 0)
	if err != nil {
		return fmt.Errorf("ntfs: %w", err)
	}
	defer vol.Close()
	root, err := vol.GetMFT(5)
	if err != nil {
		return fmt.Errorf("ntfs: root directory: %w", err)
	}
	n := &ntfsWalk{vol: vol, seen: map[int64]bool{5: true}}
	return n.walk(c, root, strings.TrimSuffix(prefix, "/"), 0)
}

type ntfsWalk struct {
	vol     *ntfs.NTFSContext
	seen    map[int64]bool // MFT records read
	entries int
}

func (n *ntfsWalk) walk(c *container, dir *ntfs.MFT_ENTRY, at string, depth int) error {
	if depth > ntfsMaxDepth {
		return fmt.Errorf("ntfs: directories nested deeper than %d", ntfsMaxDepth)
	}
	var errs []error
	for _, info := range ntfs.ListDir(n.vol, dir) {
		if n.entries++; n.entries > ntfsMaxEntries {
			return fmt.Errorf("ntfs: more than %d directory entries", ntfsMaxEntries)
		}
		if c.w.expired() {
			return errStop
		}
		id, _, _, stream, err := ntfs.ParseMFTId(info.MFTId)
		if err != nil || strings.Contains(info.Name, ":") || stream != "" && stream != ntfs.WILDCARD_STREAM_NAME {
			continue // a named stream
		}
		if id < ntfsFirstUser || n.seen[id] && !info.IsDir {
			continue
		}
		full := path.Join(at, info.Name)
		entry, err := n.vol.GetMFT(id)
		if err != nil {
			errs = append(errs, fmt.Errorf("ntfs: %q: %w", cleanName(full), err))
			continue
		}
		if info.IsDir {
			if n.seen[id] {
				continue
			}
			n.seen[id] = true
			err := n.walk(c, entry, full, depth+1)
			if errors.Is(err, errStop) {
				return err
			}
			if err != nil {
				errs = append(errs, err)
			}
			continue
		}
		n.seen[id] = true
		var data io.Reader = strings.NewReader("")
		if info.Size > 0 {
			rng, err := ntfs.OpenStream(n.vol, entry, ntfs.ATTR_TYPE_DATA, ntfs.WILDCARD_STREAM_ID, ntfs.WILDCARD_STREAM_NAME)
			if err != nil {
				errs = append(errs, fmt.Errorf("ntfs: %q: %w", cleanName(full), err))
				continue
			}
			data = io.NewSectionReader(rng, 0, info.Size)
		}
		p, err := c.member(full, data, info.Size)
		if errors.Is(err, errStop) {
			return err
		}
		for _, other := range info.ExtraNames {
			if p != nil && !strings.Contains(other, ":") {
				addAltName(p, other)
			}
		}
	}
	return errors.Join(errs...)
}
