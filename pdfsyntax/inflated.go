package pdfsyntax

import "bytes"

// Inflated keeps what one reader of a PDF inflated, for a second reader of
// the same file that would inflate the same streams again: unpack inflates
// every stream for the scanners, and the code search then reads the pages'
// content streams, forms and object streams. A stream is kept only where
// the second reading (Inflate, or Apply for a predictor, cut at its limit)
// gives the same bytes: one FlateDecode filter, named alike whether
// references are followed or not, its zlib data read to the end, checksum
// and all, by the pooled inflater (not raw deflate), from bytes both
// readers take alike (Stream says which). Any other stream, a damaged one
// first, each reader decodes as it always did. The bytes kept are slices of what the
// first reader keeps anyway (unpack's member of joined streams), so
// keeping them keeps nothing else alive.
type Inflated struct {
	file      []byte
	encrypted bool
	dict, id  []byte // the /Encrypt dictionary and ID, when encrypted
	streams   map[*byte]inflatedStream
}

// inflatedStream is one stream kept: the length of the bytes inflated (its
// Data, or their plaintext) and what they inflated to.
type inflatedStream struct {
	in  int
	out []byte
}

// NewInflated starts the record of the streams of file. An encrypted file
// is recorded only when it was opened with the empty user password, the
// one every reader tries first: dict and id are then its /Encrypt
// dictionary and ID as FindEncrypt gave them, and a second reader takes
// the streams only when it opened the file with the same ones.
func NewInflated(file []byte, encrypted bool, dict, id []byte) *Inflated {
	return &Inflated{file: file, encrypted: encrypted, dict: dict, id: id, streams: map[*byte]inflatedStream{}}
}

// Put keeps out, what the stream whose Full is full inflated to from in
// (its Data, or their plaintext), when dict (names unescaped) names one
// FlateDecode filter alike with and without resolve.
// The caller promises the rest: one inflater from NewZlibReader (Apply's
// first, not its raw-deflate fallback) read in to its end without error.
func (f *Inflated) Put(full, dict []byte, resolve Resolver, in int, out []byte) {
	if f == nil || len(full) == 0 || len(out) == 0 {
		return
	}
	a, err := Filters(dict, nil)
	if err != nil || len(a) != 1 || a[0].Name != "FlateDecode" {
		return
	}
	if p := Key(dict, "/DecodeParms"); p >= 0 && bytes.IndexByte(Value(dict, p), 'R') >= 0 { // maybe a reference
		if b, err := Filters(dict, resolve); err != nil || len(b) != 1 || b[0].Name != "FlateDecode" || !bytes.Equal(a[0].Parms, b[0].Parms) {
			return // the readers would apply different predictors
		}
	}
	f.streams[&full[0]] = inflatedStream{in, out[:len(out):len(out)]}
}

// For is f when a second reader reads file as f's reader did: the same
// bytes, and the same encryption (found as FindEncrypt says, dict and id
// then the ones the reader opened the file with, with the empty password).
// nil otherwise, and for a nil f.
func (f *Inflated) For(file []byte, found bool, dict, id []byte) *Inflated {
	if f == nil || len(file) == 0 || len(file) != len(f.file) || &file[0] != &f.file[0] || found != f.encrypted {
		return nil
	}
	if found && (!bytes.Equal(dict, f.dict) || !bytes.Equal(id, f.id)) {
		return nil
	}
	return f
}

// Stream is what the stream whose Full is full inflated to, when in (the
// bytes the second reader would inflate: its Data cut at /Length, or their
// plaintext) are as long as what the first reader inflated; both begin
// where full does and are decrypted alike, so they are the same bytes, and
// Inflate(in, limit), or Apply read to limit for a predictor, would give
// its first limit bytes. Its capacity ends at its length: appending to it
// copies.
func (f *Inflated) Stream(full, in []byte) ([]byte, bool) {
	if f == nil || len(full) == 0 {
		return nil, false
	}
	s, ok := f.streams[&full[0]]
	if !ok || s.in != len(in) {
		return nil, false
	}
	return s.out, true
}
