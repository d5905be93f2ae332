package unpack

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/klauspost/compress/zlib"
)

// PowerPoint 97-2003 (MS-PPT) keeps its VBA project, and every embedded OLE
// object, in ExOleObjStg atoms inside the "PowerPoint Document" stream, as a
// compound file that is zlib-compressed when the atom's instance is 1. Each
// comes out as a member, which unpack then opens as OLE: the VBA modules
// reach YARA and the heuristics as they do for Word and Excel.

const (
	pptExOleObjStg = 0x1011
	maxPPTRecords  = 1 << 20
	maxPPTDepth    = 32
)

// pptRecord is one record header and where its body lies in the stream.
type pptRecord struct {
	instance, typ uint16
	container     bool
	start, end    int
}

// pptRecords walks the record tree of a PowerPoint Document stream, calling
// visit for every atom. It is bounded by maxPPTRecords and maxPPTDepth.
func pptRecords(b []byte, visit func(r pptRecord) error) error {
	type frame struct{ end int }
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
		if r.container && len(stack) < maxPPTDepth {
			stack = append(stack, frame{r.end})
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

// addPPTStorages adds the compound files of a PowerPoint Document stream's
// ExOleObjStg atoms as members "embedding<n>.bin" below stream (the part of
// the stream itself).
func (c *container) addPPTStorages(stream []byte) error {
	n := 0
	return pptRecords(stream, func(r pptRecord) error {
		if r.typ != pptExOleObjStg {
			return nil
		}
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
	})
}
