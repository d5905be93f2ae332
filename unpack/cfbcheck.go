package unpack

import (
	"bytes"
	"encoding/binary"
	"fmt"

	"github.com/richardlehane/mscfb"
)

// Compound file directories are read by mscfb, which gives every entry
// with a child its own copy of the path: a chain of N nested entries costs
// time and memory in N squared (16,000 storages in a 2 MB file: seconds
// and gigabytes, out of reach of the time limit), and it allocates an
// entry for every slot of the directory. So before mscfb is called,
// checkCFB walks the same header, DIFAT, directory chain and tree the way
// mscfb does, in bounded steps and without paths, and refuses a file whose
// nesting or directory is past these limits. Office nests objects one or
// two storages per document, so the object search's bound serves both: a
// file that passes has no storage the object search skips.
const (
	maxCFBDepth   = maxObjectNesting // path elements mscfb gives an entry
	maxCFBEntries = 1 << 16          // directory slots: an 8 MiB directory
)

// limitError is an error that makes its part unscannable with a limit's
// reason rather than corrupt-archive.
type limitError struct{ reason, detail string }

func (e *limitError) Error() string { return e.reason + ": " + e.detail }

// openCFB is how every compound file is opened: mscfb.New after checkCFB.
func openCFB(b []byte) (*mscfb.Reader, error) {
	if err := checkCFB(b); err != nil {
		return nil, err
	}
	return mscfb.New(bytes.NewReader(b))
}

const (
	cfbEndOfChain = 0xFFFFFFFE
	cfbNoStream   = 0xFFFFFFFF
)

// checkCFB returns a *limitError when mscfb would build a directory of
// more than maxCFBEntries slots or an entry path longer than maxCFBDepth.
// It mirrors mscfb v1.0.9 step by step (offsets computed in uint32 as
// there, the same cycle checks, the same traversal order and counter), so
// what it cannot read mscfb cannot read either: then it returns nil and
// mscfb fails as before. Its cost is linear in the directory it reads.
func checkCFB(b []byte) error {
	le := binary.LittleEndian
	if len(b) < 512 || le.Uint64(b) != 0xE11AB1A1E011CFD0 {
		return nil
	}
	var ss uint32
	switch le.Uint16(b[30:]) {
	case 9:
		ss = 512
	case 12:
		ss = 4096
	default:
		return nil
	}
	numFAT, dirStart := le.Uint32(b[44:]), le.Uint32(b[48:])
	difatStart, numDIFAT := le.Uint32(b[68:]), le.Uint32(b[72:])
	sector := func(sn uint32) ([]byte, bool) {
		off := int64(sn+1) * int64(ss) // sn+1 wraps in uint32, as in mscfb
		if off+int64(ss) > int64(len(b)) {
			return nil, false
		}
		return b[off : off+int64(ss)], true
	}
	// DIFAT: the header's 109 entries, then numDIFAT chained sectors.
	difats := make([]uint32, 109, 109+int(min(numDIFAT, uint32(len(b))/ss))*int(ss/4-1))
	for k := range difats {
		difats[k] = le.Uint32(b[76+4*k:])
	}
	if numDIFAT > 0 {
		sz := ss/4 - 1
		if numDIFAT*sz+109 > numFAT+sz {
			return nil // mscfb: "num DIFATs exceeds FAT sectors"
		}
		off := difatStart
		seen := map[uint32]bool{}
		for range numDIFAT { // each step reads a sector; a loop is stopped below
			s, ok := sector(off)
			if !ok {
				return nil
			}
			for j := range sz {
				difats = append(difats, le.Uint32(s[4*j:]))
			}
			next := le.Uint32(s[len(s)-4:])
			if next <= off {
				if next == off || seen[next] {
					return nil
				}
				seen[next] = true
			}
			off = next
		}
	}
	next := func(sn uint32) (uint32, bool) {
		per := ss / 4
		idx := int(sn / per)
		if idx >= len(difats) {
			return 0, false
		}
		off := int64(difats[idx]+1)*int64(ss) + int64(sn%per*4)
		if off+4 > int64(len(b)) {
			return 0, false
		}
		return le.Uint32(b[off:]), true
	}
	// The directory's sector chain, as mscfb follows it: a sector seen
	// twice is a loop mscfb refuses, so this ends within twice the file's
	// sectors, and sooner at the entry bound.
	perSector := int(ss / 128)
	var dir [][]byte
	seen := map[uint32]bool{}
	for sn := dirStart; sn != cfbEndOfChain; {
		s, ok := sector(sn)
		if !ok {
			return nil
		}
		dir = append(dir, s)
		if len(dir)*perSector > maxCFBEntries {
			return &limitError{ReasonMembers, fmt.Sprintf("compound file directory of more than %d entries not opened", maxCFBEntries)}
		}
		nsn, ok := next(sn)
		if !ok {
			return nil
		}
		if nsn <= sn {
			if nsn == sn || seen[nsn] {
				return nil
			}
			seen[nsn] = true
		}
		sn = nsn
	}
	n := len(dir) * perSector
	if n == 0 {
		return nil
	}
	// The tree, in mscfb's order (left sibling, the entry, its child with
	// the path one longer except below the root, right sibling), with its
	// counter: past n visits every call returns at once, and so here.
	type frame struct {
		i, child, right uint32
		depth           int32
		stage           uint8
	}
	stack := []frame{{}}
	visits := 0
	for len(stack) > 0 {
		f := &stack[len(stack)-1]
		switch f.stage {
		case 0:
			visits++
			if visits > n || int(f.i) >= n {
				stack = stack[:len(stack)-1]
				continue
			}
			e := dir[int(f.i)/perSector][int(f.i)%perSector*128:]
			left := le.Uint32(e[68:])
			f.right, f.child, f.stage = le.Uint32(e[72:]), le.Uint32(e[76:]), 1
			if left != cfbNoStream {
				stack = append(stack, frame{i: left, depth: f.depth})
			}
		case 1:
			f.stage = 2
			if f.child != cfbNoStream {
				d := f.depth
				if f.i > 0 {
					d++
				}
				if d > maxCFBDepth {
					return &limitError{ReasonDepth, fmt.Sprintf("compound file storages nested deeper than %d not opened", maxCFBDepth)}
				}
				stack = append(stack, frame{i: f.child, depth: d})
			}
		default: // the right sibling is the last call: it takes this frame
			if f.right == cfbNoStream {
				stack = stack[:len(stack)-1]
				continue
			}
			*f = frame{i: f.right, depth: f.depth}
		}
	}
	return nil
}
