package message

import (
	"fmt"
	"testing"
)

func TestReadHeader(t *testing.T) {
	tests := []struct {
		name, in string
		bareCR   bool
		fields   string // fmt of the kept fields
		body     string
	}{
		{"plain", "Content-Type: text/plain\r\nX-Other: y\r\n\r\nbody", false, "[{Content-Type text/plain}]", "body"},
		{"blank before the colon", "Content-Type\t : multipart/mixed\r\n\r\nb", false, "[{Content-Type multipart/mixed}]", "b"},
		{"folded, blank continuation", "Content-Type: a/b;\r\n\tboundary=\r\n \r\n \"x\"\r\n\r\nb", false, "[{Content-Type a/b;\tboundary=  \"x\"}]", "b"},
		{"LF only", "Subject: s\nContent-Type: a/b\n\nb", false, "[{Subject s} {Content-Type a/b}]", "b"},
		{"no blank line: a line that is not a field starts the body", "Content-Type: a/b\r\nhello world\r\n", false, "[{Content-Type a/b}]", "hello world\r\n"},
		{"no header at all", "hello world: not a field name\r\n", false, "[]", "hello world: not a field name\r\n"},
		{"mbox From line", "From a@b Mon Jan 1\r\nSubject: s\r\n\r\nb", false, "[{Subject s}]", "b"},
		{"lone CR kept in a line", "Content-Type: a/b\rContent-Disposition: x\r\n\r\nb", false, "[{Content-Type a/b\rContent-Disposition: x}]", "b"},
		{"lone CR ends a line when read so", "Content-Type: a/b\rContent-Disposition: x\r\n\r\nb", true, "[{Content-Type a/b} {Content-Disposition x}]", "b"},
		{"NUL kept in a value", "Content-Type: a/b;\x00 c=d\r\n\r\n", false, "[{Content-Type a/b;\x00 c=d}]", ""},
		{"duplicates kept in order", "Content-Type: a/b\r\nContent-Type: c/d\r\n\r\n", false, "[{Content-Type a/b} {Content-Type c/d}]", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h, n, _, _ := readHeader([]byte(tc.in), tc.bareCR)
			if got := fmt.Sprint(h.fields); got != tc.fields || tc.in[n:] != tc.body {
				t.Errorf("fields %q body %q; want %q body %q", got, tc.in[n:], tc.fields, tc.body)
			}
		})
	}
}

func TestParseMedia(t *testing.T) {
	tests := []struct {
		name, in string
		ctl      int
		typ      string
		params   string // fmt of params
	}{
		{"plain", `multipart/mixed; boundary="b"`, dropCtl, "multipart/mixed", "[{boundary b false}]"},
		{"comments everywhere", `multipart/mixed (x (nested)) ; (y) boundary = (z) "b" (w)`, dropCtl, "multipart/mixed", "[{boundary b false}]"},
		{"blanks around the slash", `Multipart / Mixed;boundary=b`, dropCtl, "multipart/mixed", "[{boundary b false}]"},
		{"no semicolon", `multipart/mixed boundary=b`, dropCtl, "multipart/mixed", "[{boundary b false}]"},
		{"duplicates kept", `a/b; boundary=x; boundary="y"`, dropCtl, "a/b", "[{boundary x false} {boundary y false}]"},
		{"RFC 2231 charset and language", `a/b; boundary*=iso-8859-1'de'b%41r`, dropCtl, "a/b", "[{boundary bAr true}]"},
		{"RFC 2231 continuations", `a/b; name*0="inv"; name*1*=%6Fice; name*2=.exe`, dropCtl, "a/b", "[{name invoice.exe true}]"},
		{"RFC 2231 UTF-16", `a/b; name*=utf-16''%00a%00.%00j%00s`, dropCtl, "a/b", "[{name a.js true}]"},
		{"RFC 2231 unknown charset keeps bytes", `a/b; name*=x-martian''a%2Ejs`, dropCtl, "a/b", "[{name a.js true}]"},
		{"two RFC 2231 values kept", `a/b; filename*=utf-8''a.pdf; filename*=utf-8''b.exe`, dropCtl, "a/b", "[{filename a.pdf true} {filename b.exe true}]"},
		{"NUL dropped", "a/b;\x00 boundary=\"x\x00y\"", dropCtl, "a/b", "[{boundary xy false}]"},
		{"NUL cuts", "a/b; boundary=\"x\x00y\"", cutCtl, "a/b", "[{boundary x false}]"},
		{"NUL kept", "a/b; name=\"x.js\x00.txt\"", keepCtl, "a/b", "[{name x.js\x00.txt false}]"},
		{"unterminated quote runs to the end", `a/b; boundary="x; y`, dropCtl, "a/b", "[{boundary x; y false}]"},
		{"escaped quote", `a/b; name="a\"b.js"`, dropCtl, "a/b", `[{name a"b.js false}]`},
		{"disposition", `attachment; filename=a.pdf`, dropCtl, "attachment", "[{filename a.pdf false}]"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := parseMedia(tc.in, tc.ctl)
			if got := fmt.Sprint(v.params); v.typ != tc.typ || got != tc.params {
				t.Errorf("%q %q; want %q %q", v.typ, got, tc.typ, tc.params)
			}
		})
	}
}
