package hostile

import "hash/crc32"

type crcWriter struct{ sum uint32 }

func (w *crcWriter) Write(p []byte) (int, error) {
	w.sum = crc32.Update(w.sum, crc32.IEEETable, p)
	return len(p), nil
}
