package pdfsyntax

import (
	"bytes"
	"testing"
)

// A second reader takes the streams only of the very bytes the first read,
// opened the same way: plain, or with the same /Encrypt dictionary and ID.
func TestInflatedFor(t *testing.T) {
	file := []byte("1 0 obj\n<< /Filter /FlateDecode /Length 4 >>\nstream\nxxxx\nendstream\nendobj\n")
	o := Objects(file, 10)[0]
	dict := []byte("<< /Filter /Standard /V 2 /R 3 >>")
	plain := NewInflated(file, false, nil, nil)
	plain.Put(o.Full, o.Dict, nil, len(o.Data), []byte("page"))
	enc := NewInflated(file, true, dict, []byte("id"))
	enc.Put(o.Full, o.Dict, nil, len(o.Data), []byte("page"))
	cases := []struct {
		name     string
		f        *Inflated
		file     []byte
		found    bool
		dict, id []byte
		want     bool
	}{
		{"plain", plain, file, false, nil, nil, true},
		{"plain, read as encrypted", plain, file, true, dict, []byte("id"), false},
		{"a copy of the bytes", plain, bytes.Clone(file), false, nil, nil, false},
		{"a prefix of the bytes", plain, file[:len(file)-1], false, nil, nil, false},
		{"encrypted", enc, file, true, dict, []byte("id"), true},
		{"encrypted, read as plain", enc, file, false, nil, nil, false},
		{"another /Encrypt dictionary", enc, file, true, []byte("<< /Filter /Standard /V 4 /R 4 >>"), []byte("id"), false},
		{"another ID", enc, file, true, dict, []byte("di"), false},
		{"none kept", nil, file, false, nil, nil, false},
	}
	for _, c := range cases {
		f := c.f.For(c.file, c.found, c.dict, c.id)
		if (f != nil) != c.want {
			t.Errorf("%s: For gave %v, want it taken: %v", c.name, f, c.want)
			continue
		}
		got, ok := f.Stream(o.Full, o.Data)
		if ok != c.want || c.want && string(got) != "page" {
			t.Errorf("%s: Stream gave %q %v", c.name, got, ok)
		}
	}
	if _, ok := plain.Stream(o.Full, o.Full); ok {
		t.Errorf("a stream read to a length other than the first reader's was taken")
	}
	if got, _ := plain.Stream(o.Full, o.Data); cap(got) != len(got) {
		t.Errorf("a kept stream's capacity %d runs past its length %d: appending would overwrite its member", cap(got), len(got))
	}
	// Only one FlateDecode filter, read alike with and without references.
	resolve := func(n int) []byte { return []byte("<< /Predictor 12 /Columns 4 >>") }
	for _, d := range []string{"<< /Filter [/FlateDecode /FlateDecode] >>", "<< /Filter /ASCIIHexDecode >>", "<< >>",
		"<< /Filter 5 0 R >>", "<< /Filter /FlateDecode /DecodeParms 5 0 R >>", "<< /Filter /FlateDecode /DecodeParms [5 0 R] >>"} {
		f := NewInflated(file, false, nil, nil)
		f.Put(o.Full, []byte(d), resolve, len(o.Data), []byte("page"))
		if _, ok := f.Stream(o.Full, o.Data); ok {
			t.Errorf("%s: kept", d)
		}
	}
}
