package unpack

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/richardlehane/mscfb"
)

// deepCFB is a compound file of n storages each inside the one before, a
// stream holding marker in the last: mscfb's cost grows with n squared.
func deepCFB(n int) []byte {
	e := make([]formats.CFBEntry, 0, n+1)
	for i := range n {
		e = append(e, formats.CFBEntry{Name: fmt.Sprintf("S%d", i), Storage: true, Parent: i - 1})
	}
	return formats.CFB(append(e, formats.CFBEntry{Name: "x", Parent: n - 1, Data: []byte(marker)}))
}

// wideCFB is a compound file of n empty streams and one holding marker in
// the root, chained as right siblings.
func wideCFB(n int) []byte {
	e := make([]formats.CFBEntry, 0, n+1)
	for i := range n {
		e = append(e, formats.CFBEntry{Name: fmt.Sprintf("s%d", i), Parent: -1})
	}
	return formats.CFB(append(e, formats.CFBEntry{Name: "x", Parent: -1, Data: []byte(marker)}))
}

// loopCFB is wideCFB(n) whose first stream is its own child: mscfb follows
// the loop until its counter runs out, one path element longer each time.
func loopCFB(n int) []byte {
	b := wideCFB(n)
	dir := int(binary.LittleEndian.Uint32(b[48:])+1) * 512
	binary.LittleEndian.PutUint32(b[dir+128+76:], 1) // entry 1's child: entry 1
	return b
}

// bigDirCFB is a compound file (version 4, 4096-byte sectors) whose
// directory has slots slots: the root entry and empty ones.
func bigDirCFB(slots int) []byte {
	const ss = 4096
	le := binary.LittleEndian
	nDir := (slots + 31) / 32
	nFAT := (nDir + 1 + 1023) / 1024
	out := make([]byte, ss*(1+nFAT+nDir))
	copy(out, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
	le.PutUint16(out[24:], 0x3E)
	le.PutUint16(out[26:], 4)
	le.PutUint16(out[28:], 0xFFFE)
	le.PutUint16(out[30:], 12)
	le.PutUint16(out[32:], 6)
	le.PutUint32(out[44:], uint32(nFAT))
	le.PutUint32(out[48:], uint32(nFAT))
	le.PutUint32(out[56:], 4096)
	le.PutUint32(out[60:], cfbEndOfChain)
	le.PutUint32(out[68:], cfbEndOfChain)
	for k := range 109 {
		v := uint32(0xFFFFFFFF)
		if k < nFAT {
			v = uint32(k)
		}
		le.PutUint32(out[76+4*k:], v)
	}
	fat := out[ss : ss*(1+nFAT)]
	for k := range len(fat) / 4 {
		v := uint32(0xFFFFFFFF)
		switch {
		case k < nFAT:
			v = 0xFFFFFFFD
		case k < nFAT+nDir-1:
			v = uint32(k + 1)
		case k == nFAT+nDir-1:
			v = cfbEndOfChain
		}
		le.PutUint32(fat[4*k:], v)
	}
	dir := out[ss*(1+nFAT):]
	for d := range nDir * 32 {
		r := dir[d*128:]
		le.PutUint32(r[68:], cfbNoStream)
		le.PutUint32(r[72:], cfbNoStream)
		le.PutUint32(r[76:], cfbNoStream)
		le.PutUint32(r[116:], cfbEndOfChain)
	}
	u := []byte("R\x00o\x00o\x00t\x00 \x00E\x00n\x00t\x00r\x00y\x00")
	copy(dir, u)
	le.PutUint16(dir[64:], uint16(len(u)+2))
	dir[66], dir[67] = 5, 1
	return out
}

// allocated is the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A compound file nested too deep, looping through its tree or with too
// many directory slots is refused before mscfb builds its directory (16,000
// nested storages: 2 GB and seconds in mscfb.New), with a limit's reason,
// allocating a small part of the file's size.
func TestCFBHostileRefused(t *testing.T) {
	for _, tc := range []struct {
		name, reason string
		file         []byte
	}{
		{"16000 nested storages", ReasonDepth, deepCFB(16000)},
		{"one past the depth limit", ReasonDepth, deepCFB(maxCFBDepth + 1)},
		{"a child loop", ReasonDepth, loopCFB(2000)},
		{"directory slots past the bound", ReasonMembers, bigDirCFB(maxCFBEntries + 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if n := allocated(func() { _, err = openCFB(tc.file) }); n > 1<<20 {
				t.Errorf("openCFB allocated %d bytes for a file of %d", n, len(tc.file))
			}
			var limit *limitError
			if !errors.As(err, &limit) || limit.reason != tc.reason {
				t.Fatalf("openCFB: %v, want a %s limit", err, tc.reason)
			}
			m := mail("", "", "x.doc", tc.file)
			expand(t, m, Options{})
			mustProblem(t, m, tc.reason, "2")
			if len(m.Parts) != 2 {
				t.Errorf("members read from a refused file:\n%s", dump(m))
			}
		})
	}
}

// What lies within the bounds is read as before: storages maxCFBDepth
// deep, a long sibling chain, a directory of maxCFBEntries slots.
func TestCFBWithinBoundsRead(t *testing.T) {
	m := mail("", "", "x.doc", deepCFB(maxCFBDepth))
	expand(t, m, Options{})
	noProblems(t, m)
	var dir []string
	for i := range maxCFBDepth {
		dir = append(dir, fmt.Sprintf("S%d", i))
	}
	if p := mustPart(t, m, "2/x.doc/"+strings.Join(dir, "/")+"/x"); string(p.Content) != marker {
		t.Errorf("stream %q", p.Content)
	}

	wide := wideCFB(20000)
	if n := allocated(func() {
		if err := checkCFB(wide); err != nil {
			t.Error(err)
		}
	}); n > 1<<20 {
		t.Errorf("checkCFB allocated %d bytes for %d siblings", n, 20000)
	}
	m = mail("", "", "x.doc", wide)
	expand(t, m, Options{})
	noProblems(t, m)
	mustPart(t, m, "2/x.doc/x")

	if _, err := openCFB(bigDirCFB(maxCFBEntries)); err != nil {
		t.Errorf("%d slots: %v", maxCFBEntries, err)
	}
}

// A header or chain checkCFB cannot follow is left to mscfb, which cannot
// either: the outcome stays corrupt-archive.
func TestCFBBrokenLeftToMscfb(t *testing.T) {
	le := binary.LittleEndian
	pastEnd := deepCFB(3)
	le.PutUint32(pastEnd[48:], 1<<20) // directory past the end
	loop := deepCFB(3)
	dir := le.Uint32(loop[48:])
	le.PutUint32(loop[512+4*dir:], dir) // the directory's sector is its own next
	for name, b := range map[string][]byte{"directory past the end": pastEnd, "directory chain loops": loop} {
		if err := checkCFB(b); err != nil {
			t.Errorf("%s: checkCFB: %v", name, err)
		}
		m := mail("", "", "x.doc", b)
		expand(t, m, Options{})
		mustProblem(t, m, ReasonCorrupt, "2")
	}
}

// A chain of left siblings (mscfb recurses into each) is read in bounded
// memory: the walk's stack, no paths.
func TestCFBLeftSiblingChain(t *testing.T) {
	const n = 20000
	b := wideCFB(n)
	dir := int(binary.LittleEndian.Uint32(b[48:])+1) * 512
	for d := 1; d <= n+1; d++ { // every right pointer becomes a left one
		e := b[dir+128*d:]
		copy(e[68:72], e[72:76])
		binary.LittleEndian.PutUint32(e[72:], cfbNoStream)
	}
	if a := allocated(func() {
		if err := checkCFB(b); err != nil {
			t.Error(err)
		}
	}); a > 4<<20 {
		t.Errorf("checkCFB allocated %d bytes for %d left siblings", a, n)
	}
	m := mail("", "", "x.doc", b)
	expand(t, m, Options{})
	noProblems(t, m)
	mustPart(t, m, "2/x.doc/x")
}

// Before and after: mscfb.New alone against openCFB on nested storages.
func BenchmarkCFBDeep(b *testing.B) {
	file := deepCFB(16000)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := openCFB(file); err == nil {
			b.Fatal("not refused")
		}
	}
}

// Whatever checkCFB lets through, mscfb reads within the bounds: no entry
// path longer than maxCFBDepth, no more entries than maxCFBEntries. This
// holds only if checkCFB reads each file as mscfb does, so the fuzzer
// looks for a header, chain or tree the two read differently.
func FuzzCFBCheck(f *testing.F) {
	for _, b := range [][]byte{deepCFB(maxCFBDepth), deepCFB(maxCFBDepth + 1), loopCFB(40), wideCFB(10), bigDirCFB(64)} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if checkCFB(b) != nil {
			return
		}
		r, err := mscfb.New(bytes.NewReader(b))
		if err != nil {
			return
		}
		if len(r.File) > maxCFBEntries {
			t.Fatalf("mscfb read %d entries", len(r.File))
		}
		for _, e := range r.File {
			if len(e.Path) > maxCFBDepth {
				t.Fatalf("mscfb gave %q a path of %d", e.Name, len(e.Path))
			}
		}
	})
}
