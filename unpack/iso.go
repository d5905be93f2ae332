package unpack

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/kensa-milter/kensa/message"
)

// ISO 9660 images (ECMA-119) read as the systems that mount them read them:
// Windows and 7-Zip show the Joliet tree (UCS-2 names in a supplementary
// volume descriptor), Linux shows Rock Ridge names (NM entries in the
// system use area of the primary tree), and the plain ISO 9660 names are
// what is left. Each file (an extent) is read once, under the name Windows
// shows; a name another reading shows that could mislead (another
// extension, a Rock Ridge name other than the Joliet one) joins the part's
// AltNames, and a file only one tree lists is read as well. Where the trees disagree the image is marked Ambiguous. Our own
// reader: the library we used read only one tree.

const (
	maxISODirDepth    = 32
	maxISODirs        = 10000
	maxISODescriptors = 64 // volume descriptors read from sector 16 on
	maxISOContinue    = 8  // Rock Ridge continuation areas per record
	isoSector         = 2048
)

// isoTree is one directory hierarchy of the image.
type isoTree int

const (
	treeISO isoTree = iota
	treeJoliet
)

// isoEntry is a name a tree gives a file: its directory and its name.
// iso is the plain ISO 9660 name behind a Rock Ridge one ("" for Joliet).
type isoEntry struct{ dir, name, iso string }

// isoFile is one file extent and the names the trees give it.
type isoFile struct {
	start, size int64
	udf         []isoEntry  // what Windows shows of a UDF or bridge disc
	joliet      []isoEntry  // what Windows and 7-Zip show of an ISO 9660 disc
	linux       []isoEntry  // the primary tree: Rock Ridge names where present
	udfExts     []udfExtent // a UDF file in several extents (start is then -1)
}

type isoReader struct {
	b     []byte
	files map[[2]int64]*isoFile
	order []*isoFile
	dirs  int
	seen  map[int64]bool // directory extents walked, per tree
}

func openISO(c *container) error {
	r := &isoReader{b: c.part.Content, files: map[[2]int64]*isoFile{}}
	var pvd, joliet []byte
	for i := 0; i < maxISODescriptors; i++ {
		off := (16 + i) * isoSector
		if off+isoSector > len(r.b) || string(r.b[off+1:off+6]) != "CD001" {
			break
		}
		vd := r.b[off : off+isoSector]
		if vd[0] == 255 {
			break
		}
		switch {
		case vd[0] == 1 && pvd == nil:
			pvd = vd
		case vd[0] == 2 && joliet == nil && isJolietEscape(vd[88:120]):
			joliet = vd
		}
	}
	for _, t := range []struct {
		vd   []byte
		tree isoTree
	}{{pvd, treeISO}, {joliet, treeJoliet}} {
		if t.vd == nil {
			continue
		}
		r.seen = map[int64]bool{}
		root := t.vd[156 : 156+34]
		if err := r.walk(c, root, t.tree, "", 0); err != nil {
			return err
		}
	}
	hasUDF, err := r.walkUDF(c)
	if err != nil {
		return err
	}
	if pvd == nil && joliet == nil && !hasUDF {
		return errors.New("iso: no primary, Joliet or UDF volume")
	}
	return r.read(c, trees{iso: pvd != nil, joliet: joliet != nil, udf: hasUDF})
}

// trees says which directory trees the image has.
type trees struct{ iso, joliet, udf bool }

// file returns the file of an extent, made on first sight; start -1 is a
// file of several UDF extents, always its own. nil: too many files.
func (r *isoReader) file(c *container, start, size int64) *isoFile {
	key := [2]int64{start, size}
	if f := r.files[key]; f != nil && start >= 0 {
		return f
	}
	if len(r.order) >= c.w.lim.MaxMembers {
		return nil // more files than members allowed: adding them stops unpacking
	}
	f := &isoFile{start: start, size: size}
	r.files[key] = f
	r.order = append(r.order, f)
	return f
}

// isJolietEscape: the escape sequences of a Joliet descriptor (UCS-2 level 1-3).
func isJolietEscape(esc []byte) bool {
	return bytes.Contains(esc, []byte("%/@")) || bytes.Contains(esc, []byte("%/C")) || bytes.Contains(esc, []byte("%/E"))
}

// walk lists the directory whose record is rec, and its subdirectories.
func (r *isoReader) walk(c *container, rec []byte, tree isoTree, dir string, depth int) error {
	r.dirs++
	if depth > maxISODirDepth || r.dirs > maxISODirs {
		return fmt.Errorf("iso: more than %d directories or nested deeper than %d (a loop?)", maxISODirs, maxISODirDepth)
	}
	start := int64(binary.LittleEndian.Uint32(rec[2:])) * isoSector
	size := int64(binary.LittleEndian.Uint32(rec[10:]))
	if r.seen[start] {
		return nil // a directory that contains itself or an ancestor
	}
	r.seen[start] = true
	if start < 0 || start >= int64(len(r.b)) {
		return fmt.Errorf("iso: directory %q outside the image", cleanPath(dir))
	}
	data := r.b[start:min(start+size, int64(len(r.b)))]
	for i := 0; i < len(data); {
		if c.w.stopped || c.w.expired() {
			return errStop
		}
		n := int(data[i])
		if n == 0 { // records do not cross sectors: go on at the next one
			i = (i/isoSector + 1) * isoSector
			continue
		}
		if n < 34 || i+n > len(data) {
			return fmt.Errorf("iso: bad directory record in %q", cleanPath(dir))
		}
		d := data[i : i+n]
		i += n
		idLen := int(d[32])
		if 33+idLen > n {
			return fmt.Errorf("iso: bad directory record in %q", cleanPath(dir))
		}
		id := d[33 : 33+idLen]
		if idLen == 1 && (id[0] == 0 || id[0] == 1) {
			continue // "." and ".."
		}
		var name, rr string
		if tree == treeJoliet {
			name = jolietName(id)
		} else {
			name = isoName(id)
			if pad := 33 + idLen + (1 - idLen%2); pad < n {
				rr = r.rockRidgeName(d[pad:])
			}
		}
		shown := name
		if rr != "" {
			shown = rr
		}
		if d[25]&2 != 0 {
			if err := r.walk(c, d, tree, path.Join(dir, shown), depth+1); err != nil {
				return err
			}
			continue
		}
		fstart := int64(binary.LittleEndian.Uint32(d[2:])) * isoSector
		fsize := int64(binary.LittleEndian.Uint32(d[10:]))
		f := r.file(c, fstart, fsize)
		if f == nil {
			return nil
		}
		if len(f.joliet)+len(f.linux) >= 16 {
			continue // many names for one extent: the first ones are enough
		}
		if tree == treeJoliet {
			f.joliet = append(f.joliet, isoEntry{dir, name, ""})
		} else {
			f.linux = append(f.linux, isoEntry{dir, shown, name})
		}
	}
	return nil
}

// isoName is an ISO 9660 file identifier without its ";1" version and the
// dot of an empty extension, as systems show it.
func isoName(id []byte) string {
	s := string(id)
	if i := strings.LastIndexByte(s, ';'); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSuffix(s, ".")
}

// jolietName decodes a UCS-2 big-endian identifier.
func jolietName(id []byte) string {
	return isoName([]byte(message.UTF16BE(id)))
}

// rockRidgeName reads the NM entries of a system use area (SUSP, IEEE
// P1282), following continuation areas a few times.
func (r *isoReader) rockRidgeName(su []byte) string {
	var name []byte
	found := false
	for hops := 0; hops <= maxISOContinue; hops++ {
		var next []byte
		for len(su) >= 4 {
			n := int(su[2])
			if n < 4 || n > len(su) {
				break
			}
			e := su[:n]
			su = su[n:]
			switch string(e[:2]) {
			case "NM":
				if n >= 5 && e[4]&6 == 0 { // not "." or ".."
					name = append(name, e[5:]...)
					found = true
				}
			case "CE":
				if n >= 28 {
					blk := int64(binary.LittleEndian.Uint32(e[4:])) * isoSector
					off := int64(binary.LittleEndian.Uint32(e[12:]))
					ln := int64(binary.LittleEndian.Uint32(e[20:]))
					if s := blk + off; s >= 0 && s < int64(len(r.b)) {
						next = r.b[s:min(s+ln, int64(len(r.b)))]
					}
				}
			case "ST":
				su = nil
			}
			if len(name) > 1024 {
				return cleanName(string(name))
			}
		}
		if next == nil {
			break
		}
		su = next
	}
	if !found {
		return ""
	}
	return string(name)
}

// read adds every file under the names Windows shows (UDF, else Joliet),
// then under each other name a tool shows that could mislead: a Joliet name
// other than the UDF one, a Linux (Rock Ridge) name other than the Windows
// one, an ISO 9660 name with another extension.
func (r *isoReader) read(c *container, t trees) error {
	for _, f := range r.order {
		windows := f.udf
		if len(windows) == 0 {
			windows = f.joliet
		}
		shown := windows
		if len(shown) == 0 {
			shown = f.linux
		}
		if f.start >= 0 && (f.start > int64(len(r.b)) || f.size > int64(len(r.b))-f.start) {
			c.w.problem(c.part, ReasonCorrupt, fmt.Sprintf("unpack: iso %q: file %q lies outside the image", c.part.Path, cleanName(shown[0].name)))
			continue
		}
		var names []string
		add := func(e isoEntry) {
			for _, n := range names {
				if !isoNamesDiffer(path.Base(n), e.name) && strings.EqualFold(path.Dir(n), path.Clean(e.dir)) {
					return
				}
			}
			names = append(names, path.Join(e.dir, e.name))
		}
		for _, e := range f.udf {
			add(e)
		}
		for _, e := range f.joliet {
			if len(f.udf) > 0 && !nameAmong(e.name, f.udf) {
				c.ambiguous(fmt.Sprintf("the UDF name %q differs from the Joliet name %q", cleanName(f.udf[0].name), cleanName(e.name)))
			}
			add(e)
		}
		for _, e := range f.linux {
			switch {
			case len(windows) == 0:
			case e.iso == e.name: // no Rock Ridge: plain names are cut and upper-cased honestly
				if !extAmong(e.name, windows) {
					c.ambiguous(fmt.Sprintf("the ISO 9660 name %q has another extension than %q", cleanName(e.name), cleanName(windows[0].name)))
				} else {
					continue
				}
			case !nameAmong(e.name, windows):
				c.ambiguous(fmt.Sprintf("Windows shows %q, Linux %q", cleanName(windows[0].name), cleanName(e.name)))
			}
			add(e)
			if e.iso != e.name && !extAmong(e.iso, append(windows, e)) {
				c.ambiguous(fmt.Sprintf("the ISO 9660 name %q has another extension than %q", cleanName(e.iso), cleanName(shown[0].name)))
				add(isoEntry{e.dir, e.iso, ""})
			}
		}
		for _, missing := range []struct {
			has  bool
			in   []isoEntry
			name string
		}{{t.udf, f.udf, "UDF"}, {t.joliet, f.joliet, "Joliet"}, {t.iso, f.linux, "ISO 9660"}} {
			if missing.has && len(missing.in) == 0 {
				c.ambiguous(fmt.Sprintf("%q is not in the %s tree", cleanName(shown[0].name), missing.name))
			}
		}
		// One part under the name Windows shows; the others are its
		// AltNames, which every name check reads.
		p, err := c.member(names[0], f.reader(r.b), f.size)
		if errors.Is(err, errStop) {
			return err
		}
		if f.start >= 0 {
			c.noteAsIs(p, f.start)
		}
		for _, n := range names[1:] {
			if p != nil {
				addAltName(p, n)
			}
		}
	}
	return nil
}

// reader gives the file's bytes: one extent, or a UDF file's extents in
// turn (unrecorded ones read as zeros, bounded by the member limits).
func (f *isoFile) reader(b []byte) io.Reader {
	if f.start >= 0 {
		return bytes.NewReader(b[f.start : f.start+f.size])
	}
	var rs []io.Reader
	for _, e := range f.udfExts {
		switch {
		case e.start < 0:
			rs = append(rs, io.LimitReader(zeros{}, e.size))
		case e.start <= int64(len(b)):
			rs = append(rs, bytes.NewReader(b[e.start:min(e.start+e.size, int64(len(b)))]))
		}
	}
	return io.MultiReader(rs...)
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// nameAmong: name is one of the entries' names, as isoNamesDiffer compares.
func nameAmong(name string, es []isoEntry) bool {
	for _, e := range es {
		if !isoNamesDiffer(name, e.name) {
			return true
		}
	}
	return false
}

// extAmong: name's extension is that of one of the entries, or a cut one.
func extAmong(name string, es []isoEntry) bool {
	x := extOf(name)
	for _, e := range es {
		if y := extOf(e.name); x == y || x != "" && strings.HasPrefix(y, x) {
			return true
		}
	}
	return false
}

// isoNamesDiffer compares two long names as a reader would: case aside,
// and a Joliet name cut at its 64-character limit still agreeing.
func isoNamesDiffer(a, b string) bool {
	a, b = strings.ToLower(a), strings.ToLower(b)
	if a == b {
		return false
	}
	short, long := []rune(a), []rune(b)
	if len(short) > len(long) {
		short, long = long, short
	}
	return !(len(short) >= 64 && strings.HasPrefix(string(long), string(short)))
}

func extOf(name string) string {
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return strings.ToLower(name[i+1:])
	}
	return ""
}
