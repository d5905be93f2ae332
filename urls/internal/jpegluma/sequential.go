package jpegluma

import "time"

// A sequential file (SOF0, SOF1) whose first scan lacks a component is a
// file of several scans to libjpeg (jdinput.c): it reads every scan into
// the picture's coefficients, then shows them. A component may come back in
// a later scan, and libjpeg merges it into what it has (jdhuff.c,
// decode_mcu, writing into the kept blocks): the DC term is replaced, an AC
// term only where the later scan codes one not zero, and the blocks of a
// restart interval whose data ran out keep what they had. image/jpeg shows
// the last scan alone, so a file whose two luma scans draw different
// pictures would show one to the reader and another to a gateway. This
// reads such a file as libjpeg does: its luma scans are recorded like a
// progressive file's (sequentialScan) and decoded a row of blocks at a time
// (decodeProgressive, seqUnit), with the same bounds (one row of blocks,
// at most maxScans luma scans; a chroma scan costs only the walk over its
// bytes and is not counted). Chroma scans are passed over, before the luma as after it. A file
// that never scans luma is ErrUnsupported, as before (image/jpeg reads its
// chroma; libjpeg shows the colours on mid-grey).

// sequentialScan records a scan of a sequential file of several scans when
// it holds luma; its data is skipped either way.
func (d *decoder) sequentialScan(sc []scanComp, hasLuma bool) error {
	// Each luma scan costs a pass over the rows; a chroma scan only the
	// walk over its bytes, so only the luma scans count.
	if hasLuma && len(d.prog) >= maxScans {
		return ErrTooManyScans
	}
	if !d.deadline.IsZero() && time.Now().After(d.deadline) {
		return ErrDeadline
	}
	for _, c := range sc {
		// libjpeg builds the scan's tables before it reads it: a missing
		// one is a fatal error to it.
		if c.dc == nil || c.ac == nil {
			return FormatError("uninitialized Huffman table")
		}
	}
	s := &progScan{ns: len(sc), se: 63, ri: d.ri, seq: true}
	copy(s.sc[:], sc)
	d.goMiscounts = d.goMiscounts || s.ns == 1 && s.ri > 0 && (d.comp[0].h > 1 || d.comp[0].v > 1)
	s.total = d.scanUnits(sc)
	end := d.skipScanData(s.ri, s.total)
	if !hasLuma {
		return end
	}
	d.lumaRead = true
	if !d.lumaLatched {
		// libjpeg latches the table at the component's first scan.
		for _, c := range sc {
			if c.ci == 0 {
				d.lumaQ, d.lumaLatched = *c.q, true
			}
		}
	}
	s.br = bitReader{data: d.data, pos: d.scanStart}
	d.prog = append(d.prog, s)
	// image/jpeg shows the last luma scan alone.
	d.goDiffers = d.goDiffers || len(d.prog) > 1
	return end
}

// seqUnit decodes unit u of the sequential scan s: a luma block when it has
// one component, else an MCU, its chroma blocks read only to pass over them.
func (d *decoder) seqUnit(s *progScan, row []coefBlock, cols, by0, blocksX, mcusX, h0, u int) error {
	if s.ns == 1 {
		return d.seqBlock(s, 0, &row[(u/blocksX-by0)*cols+u%blocksX])
	}
	for i := 0; i < s.ns; i++ {
		ci := s.sc[i].ci
		c := &d.comp[ci]
		for j := 0; j < c.h*c.v; j++ {
			var err error
			if ci == 0 {
				err = d.seqBlock(s, i, &row[(j/h0)*cols+(u%mcusX)*h0+j%h0])
			} else {
				err = d.skipBlock(s.sc[i])
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// seqBlock reads a luma block of a sequential scan into b as libjpeg merges
// it: the DC term replaced (kept in 16 bits), each AC term coded replaced,
// the others left as earlier scans gave them. The symbols mean what they
// mean in readBlock.
func (d *decoder) seqBlock(s *progScan, i int, b *coefBlock) error {
	sc := &s.sc[i]
	if err := d.addDCDiff(s, i); err != nil {
		return err
	}
	if int32(int16(s.dc[i])) != s.dc[i] {
		d.goDiffers = true
	}
	b.set(0, int16(s.dc[i]))
	for k := 1; k <= 63; k++ {
		rs, err := d.br.symbol(sc.ac)
		if err != nil {
			return err
		}
		r, size := int(rs>>4), rs&15
		if size == 0 {
			if r != 15 {
				d.goDiffers = d.goDiffers || r != 0
				break
			}
			k += 15
			continue
		}
		if k += r; k > 63 {
			d.goDiffers = true
		}
		v, err := d.br.receiveExtend(size)
		if err != nil {
			return err
		}
		b.set(min(k, 63), int16(v))
	}
	return nil
}
