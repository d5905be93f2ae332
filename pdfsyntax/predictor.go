package pdfsyntax

import (
	"errors"
	"fmt"
	"io"
)

// Unpredict undoes a Flate or LZW predictor (ISO 32000-1 7.4.4.4), row by
// row as r is read: TIFF predictor 2 (8-bit samples) and the PNG predictors
// 10-15, whose rows each start with their own filter type. predictor 1 (or
// less) is none: r comes back as it is. A short last row is decoded as far
// as it goes. The parameters are those of /DecodeParms (for an image, its
// components, bits per component and width).
func Unpredict(r io.Reader, predictor, colors, bpc, columns int) (io.Reader, error) {
	if predictor <= 1 {
		return r, nil
	}
	if colors < 1 || colors > 32 || columns < 1 || columns > 1<<20 || (bpc != 1 && bpc != 2 && bpc != 4 && bpc != 8 && bpc != 16) {
		return nil, fmt.Errorf("pdf: predictor parameters out of range (Colors %d, BitsPerComponent %d, Columns %d)", colors, bpc, columns)
	}
	bpp := max((colors*bpc+7)/8, 1)
	row := (colors*bpc*columns + 7) / 8
	if row > 1<<20 {
		return nil, fmt.Errorf("pdf: predictor rows of %d bytes", row)
	}
	switch {
	case predictor == 2:
		if bpc != 8 {
			return nil, fmt.Errorf("pdf: TIFF predictor with %d-bit samples", bpc)
		}
		return &predictorReader{r: r, row: make([]byte, row), bpp: bpp}, nil
	case predictor >= 10 && predictor <= 15:
		return &predictorReader{r: r, png: true, row: make([]byte, row+1), prev: make([]byte, row), bpp: bpp}, nil
	}
	return nil, fmt.Errorf("pdf: unknown predictor %d", predictor)
}

type predictorReader struct {
	r        io.Reader
	png      bool
	row      []byte // the row being read (PNG: with its filter-type byte)
	prev     []byte // the previous row, decoded (PNG)
	bpp      int
	out      []byte // decoded bytes not yet given
	finished bool
}

func (d *predictorReader) Read(p []byte) (int, error) {
	for len(d.out) == 0 {
		if d.finished {
			return 0, io.EOF
		}
		n, err := io.ReadFull(d.r, d.row)
		if n == 0 {
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return 0, io.EOF
			}
			return 0, err
		}
		if err != nil {
			d.finished = true // a short last row: decode what there is
		}
		d.out = d.decode(d.row[:n])
	}
	n := copy(p, d.out)
	d.out = d.out[n:]
	return n, nil
}

func (d *predictorReader) decode(row []byte) []byte {
	if !d.png {
		for i := d.bpp; i < len(row); i++ {
			row[i] += row[i-d.bpp]
		}
		return row
	}
	ft, cur := row[0], row[1:]
	for i := range cur {
		var left, up, upLeft byte
		if i >= d.bpp {
			left = cur[i-d.bpp]
			upLeft = d.prev[i-d.bpp]
		}
		up = d.prev[i]
		switch ft {
		case 1:
			cur[i] += left
		case 2:
			cur[i] += up
		case 3:
			cur[i] += byte((int(left) + int(up)) / 2)
		case 4:
			cur[i] += paeth(left, up, upLeft)
		}
	}
	copy(d.prev, cur)
	return cur
}

func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
