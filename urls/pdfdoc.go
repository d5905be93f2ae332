package urls

import (
	"maps"

	"github.com/kensa-milter/kensa/message"
)

// pdfDoc is one reading of a PDF's objects (pdfObjectsInflated), for the
// readers of its part in one message: the page text (PDFText) and the
// code search (CodeURLs) each read every object's dictionary, and reading
// them once is what sharing saves. Neither reader changes objs: the
// objects of the object streams go into a copy of it (all), made once
// when a reader first needs them, so each reader sees what it saw when it
// read the PDF alone, whichever comes first.
type pdfDoc struct {
	objs  map[int]pdfObj // the objects written outside object streams
	all   map[int]pdfObj // objs with its object streams' objects (addObjStmObjects); nil until asked
	owned bool           // no other reader will take it: all may be objs itself
	taken pdfReaders     // the readers that took it from the message's budget
}

// pdfReaders are the readers of a PDF that share one pdfDoc.
type pdfReaders uint8

const (
	textReading pdfReaders = 1 << iota
	codeReading
	allReadings = textReading | codeReading
)

// readPDF is the PDF b's objects for one reader alone.
func readPDF(b []byte, password string) *pdfDoc {
	return &pdfDoc{objs: pdfObjectsByNum(b, password), owned: true}
}

// withObjStms is objs with the objects of its object streams, where pages,
// resources and forms' dictionaries live in files written since PDF 1.5.
func (d *pdfDoc) withObjStms() map[int]pdfObj {
	if d.all == nil {
		d.all = d.objs
		if !d.owned {
			d.all = maps.Clone(d.objs)
		}
		addObjStmObjects(d.all)
	}
	return d.all
}

// pdfDoc is the PDF part p's objects for reader, read once in the message
// (b nil: for reader alone). The budget keeps a reading until every reader
// took it, so at most the message's PDFs that one reader read and another
// has yet to read are kept, each no larger than its part allows.
func (b *CodeBudget) pdfDoc(p *message.Part, reader pdfReaders) *pdfDoc {
	if b == nil {
		return &pdfDoc{objs: pdfObjectsInflated(p.Content, p.Password, p.Inflated), owned: true}
	}
	d, ok := b.pdfs[p]
	if !ok || d.taken&reader != 0 { // read again by the same reader: a reading of its own
		d = &pdfDoc{objs: pdfObjectsInflated(p.Content, p.Password, p.Inflated)}
		if b.pdfs == nil {
			b.pdfs = map[*message.Part]*pdfDoc{}
		}
		b.pdfs[p] = d
	}
	d.taken |= reader
	if d.taken == allReadings {
		delete(b.pdfs, p)
		d.owned = d.all == nil // the reader before it is done: nothing else sees objs
	}
	return d
}
