package urls

import (
	"bytes"
	"fmt"
	"image"
	"image/gif"
	"time"
)

// An animated GIF shows its frames one after another, and a mail client
// animates it: a code in its second frame (the first a blank "loading"
// picture, or a harmless logo) is on the reader's screen a moment later.
// image.Decode reads the first frame only, so when it held no code the
// next frames are composed as a client shows them (each drawn over what
// the earlier ones left, with their disposal) and searched, the first
// maxGIFFrames of them, each picture once. A banner's frames cost the
// cheap part of a search each (mayHoldCode), not a whole one.

const maxGIFFrames = 8 // frames of an animated GIF read, the first included

// gifFrameCodes searches the frames after the first of the GIF in b for
// codes, until one has some. Only the first maxGIFFrames frames are
// decoded (gif.DecodeAll would decode all: thousands of small LZW streams
// of a whole screen each).
func (out *Codes) gifFrameCodes(b []byte, budget *CodeBudget, what string) {
	head := gifHead(b, maxGIFFrames)
	if head == nil {
		return
	}
	a, err := safeDecodeGIF(head)
	if err != nil || len(a.Image) < 2 {
		return
	}
	// The canvas is grey: a GIF's colours are opaque but for the
	// transparent index, so each pixel is a frame's luma or, where no
	// frame has drawn (or a disposal cleared it), white: transparency over
	// white, as lumaOver has it.
	screen := image.Rect(0, 0, a.Config.Width, a.Config.Height)
	canvas := image.NewGray(screen)
	for i := range canvas.Pix {
		canvas.Pix[i] = 255
	}
	var last, saved []byte
	for i, f := range a.Image {
		if time.Now().After(budget.stopBy(codeDeadline)) {
			out.Skipped = append(out.Skipped, what+" not fully searched for codes: "+codeTimeSpent)
			return
		}
		disposal := byte(0)
		if i < len(a.Disposal) {
			disposal = a.Disposal[i]
		}
		if disposal == gif.DisposalPrevious {
			saved = append(saved[:0], canvas.Pix...)
		}
		r := f.Rect.Intersect(screen)
		var level [256]uint8
		var opaque [256]bool
		for j, c := range f.Palette {
			_, _, _, alpha := c.RGBA()
			level[j], opaque[j] = uint8(lumaOver(c)), alpha != 0
		}
		for y := r.Min.Y; y < r.Max.Y; y++ {
			src := f.Pix[f.PixOffset(r.Min.X, y):][:r.Dx()]
			dst := canvas.Pix[canvas.PixOffset(r.Min.X, y):]
			for x, p := range src {
				if opaque[p] {
					dst[x] = level[p]
				}
			}
		}
		if i > 0 && !bytes.Equal(canvas.Pix, last) { // the first was searched; a still frame once
			g := toGray(canvas)
			if mayHoldCode(g, budget.stopBy(codeDeadline)) {
				n := len(out.Texts)
				out.search(g, budget, fmt.Sprintf("%s frame %d", what, i+1))
				if len(out.Texts) > n {
					return
				}
			}
		}
		last = append(last[:0], canvas.Pix...)
		switch disposal {
		case gif.DisposalBackground:
			for y := r.Min.Y; y < r.Max.Y; y++ {
				clear255(canvas.Pix[canvas.PixOffset(r.Min.X, y):][:r.Dx()])
			}
		case gif.DisposalPrevious:
			copy(canvas.Pix, saved)
		}
	}
}

// clear255 makes every pixel of row white.
func clear255(row []byte) {
	for i := range row {
		row[i] = 255
	}
}

// safeDecodeGIF is gif.DecodeAll, with a panic made an error.
func safeDecodeGIF(b []byte) (a *gif.GIF, err error) {
	defer func() {
		if r := recover(); r != nil {
			a, err = nil, fmt.Errorf("urls: gif decoder panic: %v", r)
		}
	}()
	return gif.DecodeAll(bytes.NewReader(b))
}

// gifHead is the GIF in b cut after its first n frames and ended there
// (a trailer byte), or b when it has no more; nil when it has one frame
// (image.Decode read it) or its blocks do not parse that far (then
// gif.DecodeAll would not read it either).
func gifHead(b []byte, n int) []byte {
	if len(b) < 13 || !bytes.HasPrefix(b, []byte("GIF8")) {
		return nil
	}
	i := 13
	if b[10]&0x80 != 0 { // a global colour table
		i += 3 << (b[10]&7 + 1)
	}
	// subBlocks is where the sub-blocks from j end, -1 past b's end.
	subBlocks := func(j int) int {
		for j < len(b) {
			if b[j] == 0 {
				return j + 1
			}
			j += int(b[j]) + 1
		}
		return -1
	}
	for frames := 0; i < len(b); {
		switch b[i] {
		case 0x21: // an extension: its label, then sub-blocks
			i = subBlocks(i + 2)
		case 0x2c: // an image: its descriptor, a local colour table, the LZW code size, sub-blocks
			if i+10 > len(b) {
				return nil
			}
			j := i + 10
			if b[i+9]&0x80 != 0 {
				j += 3 << (b[i+9]&7 + 1)
			}
			i = subBlocks(j + 1)
			if frames++; frames == n && i > 0 {
				return append(b[:i:i], 0x3b)
			}
		case 0x3b:
			if frames < 2 {
				return nil // a still picture: image.Decode read it all
			}
			return b[:i+1]
		default:
			return nil
		}
		if i < 0 {
			return nil
		}
	}
	return nil
}

// mayHoldCode is the cheap signal that a frame is worth a search: in
// either polarity of its matrix, a QR finder pattern seen on two rows or
// more, or a Data Matrix or Aztec candidate (cropCandidates): the readers,
// the crops, the contrast stretch and the other tries are spared. The
// binarizer's thresholds are local, so a code of low contrast (#555 on
// #bbb) shows its patterns unstretched. A small frame (the search enlarges
// those) is searched.
func mayHoldCode(g *image.Gray, deadline time.Time) bool {
	if max(g.Rect.Dx(), g.Rect.Dy()) < codeMinScale {
		return true
	}
	p, err := newCodePlane(g)
	if err != nil {
		return false
	}
	for _, inverted := range [2]bool{false, true} {
		m, err := p.blackMatrix(inverted)
		if err != nil {
			continue
		}
		f := newQRFinder(m, deadline)
		if f.scan() != nil {
			return true // out of time: the search notes it
		}
		for _, c := range f.centers {
			if c.GetCount() >= 2 {
				return true
			}
		}
		if len(cropCandidates(m)) > 0 {
			return true
		}
	}
	return false
}
