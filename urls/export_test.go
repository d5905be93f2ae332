package urls

import (
	"maps"
	"slices"
	"testing"

	"github.com/kensa-milter/kensa/message"
)

// PDFStreamReadings is every object of the PDF part p as the code search
// reads pages (pdfObjectsByNum and the objects of its object streams): its
// text, and its stream as pdfStreamBytes gives it at each of limits, read
// with the streams unpack inflated (p.Inflated), and read without them, as
// the code search read before it took them. reused counts the streams
// whose bytes came from unpack.
func PDFStreamReadings(p *message.Part, limits []int) (with, without [][]byte, reused int) {
	read := func(inflated bool) (out [][]byte, reused int) {
		objs := pdfObjectsByNum(p.Content, p.Password)
		if inflated {
			objs = pdfObjectsInflated(p.Content, p.Password, p.Inflated)
		}
		addObjStmObjects(objs)
		for _, n := range slices.Sorted(maps.Keys(objs)) {
			o := objs[n]
			out = append(out, []byte{byte(n), byte(n >> 8)}, o.raw)
			if o.data == nil {
				continue
			}
			if o.inflated != nil {
				reused++
			}
			for _, l := range limits {
				out = append(out, pdfStreamBytes(o, l))
			}
		}
		return out, reused
	}
	with, reused = read(true)
	without, _ = read(false)
	return with, without, reused
}

// LongCodeTime is longCodeTime, for the external tests.
func LongCodeTime(t testing.TB) { longCodeTime(t) }
