package unpack

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/klauspost/compress/zlib"

	"github.com/kensa-milter/kensa/message"
)

// PowerPoint 97-2003 (MS-PPT) keeps its VBA project, and every embedded OLE
// object, in ExOleObjStg atoms inside the "PowerPoint Document" stream, as a
// compound file that is zlib-compressed when the atom's instance is 1. Each
// comes out as a member, which unpack then opens as OLE: the VBA modules
// reach YARA and the heuristics as they do for Word and Excel.

const (
	pptExOleObjStg      = 0x1011
	pptUserEditAtom     = 0x0FF5
	pptPersistDirectory = 0x1772
	maxPPTRecords       = 1 << 20
	maxPPTDepth         = 32
)

// pptRecord is one record header and where its body lies in the stream.
type pptRecord struct {
	instance, typ uint16
	container     bool
	start, end    int
	parent        uint16 // the instance of the container it is in
}

// pptRecords walks the record tree of a PowerPoint Document stream, calling
// visit for every atom. It is bounded by maxPPTRecords and maxPPTDepth.
func pptRecords(b []byte, visit func(r pptRecord) error) error {
	type frame struct {
		end      int
		instance uint16
	}
	var stack []frame
	n := 0
	for p := 0; p+8 <= len(b); n++ {
		if n >= maxPPTRecords {
			return fmt.Errorf("ppt: more than %d records", maxPPTRecords)
		}
		for len(stack) > 0 && p >= stack[len(stack)-1].end {
			stack = stack[:len(stack)-1]
		}
		verInst := binary.LittleEndian.Uint16(b[p:])
		r := pptRecord{instance: verInst >> 4, typ: binary.LittleEndian.Uint16(b[p+2:]), container: verInst&0xF == 0xF}
		size := int(binary.LittleEndian.Uint32(b[p+4:]))
		r.start = p + 8
		if size < 0 || size > len(b)-r.start {
			size = len(b) - r.start // a truncated record: keep what is there
		}
		r.end = r.start + size
		if len(stack) > 0 {
			r.parent = stack[len(stack)-1].instance
		}
		if r.container && len(stack) < maxPPTDepth {
			stack = append(stack, frame{r.end, r.instance})
			p = r.start // children follow
			continue
		}
		if err := visit(r); err != nil {
			return err
		}
		p = r.end
	}
	return nil
}

// pptPersistOffsets returns where the persist objects of a PowerPoint
// Document stream start (see pptPersistObjects).
func pptPersistOffsets(stream, currentUser []byte) []int {
	objs, _ := pptPersistObjects(stream, currentUser)
	out := make([]int, len(objs))
	for i, o := range objs {
		out[i] = o.off
	}
	return out
}

// pptObject is a persist object: its persist id and offset.
type pptObject struct{ id, off int }

// pptPersistObjects returns the persist objects of a PowerPoint Document
// stream, as PowerPoint finds them: the Current User stream names the last
// UserEditAtom, each edit names its persist directory and the edit before
// it. Objects may lie anywhere, with gaps between them that a reader
// walking the records in order cannot cross. crypt is the persist id of the
// CryptSession10Container the last edit names (0: none, not encrypted).
func pptPersistObjects(stream, currentUser []byte) (objs []pptObject, crypt int) {
	le := binary.LittleEndian
	if len(currentUser) < 20 {
		return nil, 0
	}
	seen := map[int]bool{}
	// atIn returns the body of the record of type typ at offset at.
	atIn := func(at int, typ uint16) []byte {
		if at < 0 || at > len(stream)-8 || le.Uint16(stream[at+2:]) != typ {
			return nil
		}
		size := int(min(uint64(le.Uint32(stream[at+4:])), uint64(len(stream)-at-8)))
		return stream[at+8 : at+8+size]
	}
	edit := int(le.Uint32(currentUser[16:])) // offsetToCurrentEdit
	for n := 0; n < maxPPTDepth && !seen[-1-edit]; n++ {
		seen[-1-edit] = true
		e := atIn(edit, pptUserEditAtom)
		if len(e) < 16 {
			break
		}
		if n == 0 && len(e) >= 32 {
			crypt = int(le.Uint32(e[28:])) // encryptSessionPersistIdRef
		}
		dir := atIn(int(le.Uint32(e[12:])), pptPersistDirectory)
		for i := 0; i+4 <= len(dir) && len(objs) < maxPPTRecords; {
			first, count := int(le.Uint32(dir[i:])&0xFFFFF), int(le.Uint32(dir[i:])>>20)
			i += 4
			for k := 0; k < count && i+4 <= len(dir); k++ {
				if off := int(le.Uint32(dir[i:])); !seen[off] {
					seen[off] = true
					objs = append(objs, pptObject{first + k, off})
				}
				i += 4
			}
		}
		edit = int(le.Uint32(e[8:])) // offsetLastEdit: 0 for the first save
		if edit == 0 {
			break
		}
	}
	return objs, crypt
}

// addPPTStorages adds the compound files of a PowerPoint Document stream's
// ExOleObjStg atoms as members "embedding<n>.bin" below stream (the part of
// the stream itself): those a walk of the records finds, and those the
// persist directory (see pptPersistOffsets) points at.
func (c *container) addPPTStorages(stream, currentUser []byte) error {
	n := 0
	done := map[int]bool{}
	add := func(r pptRecord) error {
		if r.typ != pptExOleObjStg || done[r.start] {
			return nil
		}
		done[r.start] = true
		n++
		name := fmt.Sprintf("embedding%d.bin", n)
		body := stream[r.start:r.end]
		var data []byte
		var err error
		if r.instance == 1 && len(body) >= 4 { // compressed: decompressed size, then zlib
			zr, zerr := zlib.NewReader(bytes.NewReader(body[4:]))
			if zerr != nil {
				c.w.problem(c.part, ReasonCorrupt, fmt.Sprintf("unpack: ppt %q: %s: %v", c.part.Path, name, zerr))
				return nil
			}
			data, err = c.read(name, zr, int64(len(body)))
			zr.Close()
		} else {
			data = body
			if !c.budget(int64(len(data))) {
				return errStop
			}
		}
		var le *limitErr
		switch {
		case errors.Is(err, errStop):
			return err
		case errors.As(err, &le):
		case err != nil && len(data) == 0:
			c.w.problem(c.part, ReasonCorrupt, fmt.Sprintf("unpack: ppt %q: %s: %v", c.part.Path, name, err))
			return nil
		}
		p := c.addUnder(c.part, c.base, name, data)
		if p == nil {
			return errStop
		}
		if err != nil {
			c.truncated(p)
		}
		return nil
	}
	if err := pptRecords(stream, add); err != nil {
		return err
	}
	for _, off := range pptPersistOffsets(stream, currentUser) {
		if off < 0 || off > len(stream)-8 {
			continue
		}
		// The object there and whatever it contains.
		size := int(min(uint64(binary.LittleEndian.Uint32(stream[off+4:])), uint64(len(stream)-off-8)))
		if err := pptRecords(stream[off:off+8+size], func(r pptRecord) error {
			r.start += off
			r.end += off
			return add(r)
		}); err != nil {
			return err
		}
	}
	return nil
}

// Record types of a shape's action settings (MS-PPT 2.6.? InteractiveInfoInstance).
const (
	pptInteractiveInfoAtom = 0x0FF3
	pptCString             = 0x0FBA
)

// PPTAction is an action setting of a shape in a PowerPoint 97-2003
// presentation (MS-PPT InteractiveInfoInstance): its action
// (InteractiveInfoAtom.action: 1 runs a macro, 2 runs a program, ...),
// whether it fires on mouse-over (the container's instance 1) rather than
// on a click (0), and the macro's or program's name (the MacroNameAtom
// that follows the atom).
type PPTAction struct {
	Action byte
	Hover  bool
	Name   string
}

// PPTActions reads the action settings that run a macro or a program from
// a PowerPoint Document stream, at most 100.
func PPTActions(stream []byte) []PPTAction {
	var out []PPTAction
	pending := false // out's last entry waits for its MacroNameAtom
	pptRecords(stream, func(r pptRecord) error {
		switch {
		case r.typ == pptInteractiveInfoAtom && r.end-r.start >= 9:
			a := stream[r.start+8]
			pending = a == 1 || a == 2
			if pending {
				out = append(out, PPTAction{Action: a, Hover: r.parent == 1})
			}
		case r.typ == pptCString && pending:
			out[len(out)-1].Name = message.UTF16LE(stream[r.start:r.end])
			pending = false
		default:
			pending = false
		}
		if len(out) >= 100 {
			return errEnoughActions
		}
		return nil
	})
	return out
}

var errEnoughActions = errors.New("ppt: enough actions")
