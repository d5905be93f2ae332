package unpack

import (
	"reflect"
	"regexp"
	"testing"
)

// pdfObjRe is what pdfObjects replaced; it stays here as the reference.
var pdfObjRe = regexp.MustCompile(`(\d{1,10})\s+\d{1,5}\s+obj\b`)

func checkPDFObjects(t *testing.T, b []byte) {
	t.Helper()
	got, want := pdfObjects(b), pdfObjRe.FindAllSubmatchIndex(b, -1)
	if len(got) == 0 && len(want) == 0 {
		return
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("pdfObjects(%q)\n got %v\nwant %v", b, got, want)
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
	checkPDFObjects(t, pdfWith([]byte("app.alert(1)"), []byte("x"), "f.txt"))
}

func FuzzPDFObjects(f *testing.F) {
	f.Add([]byte("1 0 obj<<>>endobj 2 0 obj\n<</Length 3>>stream\nabc\nendstream\nendobj"))
	f.Add([]byte("12345678901 0 obj 1 2 3 obj"))
	f.Fuzz(func(t *testing.T, b []byte) { checkPDFObjects(t, b) })
}
