package pdfsyntax

import (
	"reflect"
	"regexp"
	"testing"
)

// pdfObjRe is what Headers replaced; it stays here as the reference.
var pdfObjRe = regexp.MustCompile(`(\d{1,10})\s+\d{1,5}\s+obj\b`)

func checkPDFObjects(t *testing.T, b []byte) {
	t.Helper()
	got, want := Headers(b), pdfObjRe.FindAllSubmatchIndex(b, -1)
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Headers(%q)\n got %v\nwant %v", b, got, want)
	}
}

func TestPDFObjectsMatchesTheRegexp(t *testing.T) {
	for _, s := range []string{
		"1 0 obj<<>>endobj 2 0 obj\n<</Length 3>>stream\nabc\nendstream\nendobj",
		"12345678901 0 obj", "1 123456 obj", "1 12345 obj", "obj", " 0 obj", "1 0 objx 2 0 obj", "1 0 obj_",
		"1\t\r\n\f2\n obj", "1 2 3 obj", "1 0 obj 0 obj", "x1 0 obj", "1 0obj", "10 0 obj2 0 obj", "\x001 0 obj\x00",
		"1 0 ob", "9999999999 99999 obj",
	} {
		checkPDFObjects(t, []byte(s))
	}
	checkPDFObjects(t, []byte(twoObjects))
}

func FuzzPDFObjects(f *testing.F) {
	f.Add([]byte("1 0 obj<<>>endobj 2 0 obj\n<</Length 3>>stream\nabc\nendstream\nendobj"))
	f.Add([]byte("12345678901 0 obj 1 2 3 obj"))
	f.Fuzz(func(t *testing.T, b []byte) { checkPDFObjects(t, b) })
}

// twoObjects: a dictionary, a stream whose data ends in an end of line
// (kept in Full, not in Data), and an object cut off by the end of the file.
const twoObjects = "%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n2 3 obj\n<< /Length 4 >>\nstream\r\nab\r\n\r\nendstream\nendobj\n7 0 obj << /S /JavaScript /JS (x) >>"

func TestObjects(t *testing.T) {
	got := Objects([]byte(twoObjects), 10)
	want := []Object{
		{Num: 1, Gen: 0, Dict: []byte("\n<< /Type /Catalog >>\n")},
		{Num: 2, Gen: 3, Dict: []byte("\n<< /Length 4 >>\n"), Full: []byte("ab\r\n\r\n"), Data: []byte("ab\r\n"), HasStream: true},
		{Num: 7, Gen: 0, Dict: []byte(" << /S /JavaScript /JS (x) >>")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Objects:\n got %+v\nwant %+v", got, want)
	}
	if got := Objects([]byte(twoObjects), 2); len(got) != 2 {
		t.Errorf("Objects with max 2 gave %d", len(got))
	}
}
