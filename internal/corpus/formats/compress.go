package formats

// Compress writes data as Unix compress (.Z) does: LZW codes of 9 up to
// maxbits (9 to 16) bits, least significant bit first, in groups of eight
// codes; when the width grows, or a clear code sets it back to 9 bits, the
// rest of the group is padding. block is compress's block mode (code 256
// clears the table: compress's default); clear makes the writer clear the
// table each time it fills, which needs block mode. Checked against
// ncompress's uncompress.
func Compress(data []byte, maxbits int, block, clear bool) []byte {
	out := []byte{0x1f, 0x9d, byte(maxbits)}
	if block {
		out[2] |= 0x80
	}
	limit := 1 << maxbits
	first := 256
	if block {
		first = 257
	}
	// The bit writer and what the decoder knows: its width and next entry.
	var acc uint64
	var nacc, pos, origin int
	bits, dfree, started := 9, first, false
	// As ncompress: the width stops growing only when growing makes it
	// maxbits, so 9-bit streams go on to 10-bit codes once the table is full.
	maxcode := 1<<9 - 1
	put := func(code, n int) {
		acc |= uint64(code) << nacc
		nacc += n
		pos += n
		for nacc >= 8 {
			out = append(out, byte(acc))
			acc >>= 8
			nacc -= 8
		}
	}
	pad := func() {
		g := bits * 8
		if r := (pos - origin) % g; r != 0 {
			for range g - r {
				put(0, 1)
			}
		}
		origin = pos
	}
	emit := func(code int) {
		if dfree > maxcode {
			pad()
			bits++
			maxcode = 1<<bits - 1
			if bits == maxbits {
				maxcode = limit
			}
		}
		put(code, bits)
		switch {
		case !started:
			started = true
		case code == 256 && block:
			dfree = 256
			pad()
			bits, maxcode = 9, 1<<9-1
		case dfree < limit:
			dfree++
		}
	}
	type key struct {
		prefix int
		c      byte
	}
	dict := map[key]int{}
	free := first
	w := -1
	for _, c := range data {
		if w < 0 {
			w = int(c)
			continue
		}
		if code, ok := dict[key{w, c}]; ok {
			w = code
			continue
		}
		emit(w)
		if free < limit {
			dict[key{w, c}] = free
			free++
		} else if clear && block {
			emit(256)
			dict = map[key]int{}
			free = first
		}
		w = int(c)
	}
	if w >= 0 {
		emit(w)
	}
	if nacc > 0 {
		out = append(out, byte(acc))
	}
	return out
}
