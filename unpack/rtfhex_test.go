package unpack

import (
	"bytes"
	"encoding/hex"
	"reflect"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

func TestRTFHexAsWordReadsIt(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain with breaks", "0102\r\n03 04", "01020304"},
		{"ignorable group with digits", `01{\*\junk 0a0b0c}02`, "0102"},
		{"nested ignorable group", `01{\*\a {\b 99}{\*\c 88}77}02`, "0102"},
		{"control words and params", `01\par12 02\kensa-5 03`, "010203"},
		{"control symbol hex", `01\'ff02`, "0102"},
		{"escaped brace inside ignorable", `01{\*\a \} 55}02`, "0102"},
		{"bin data", "01\\bin2 \xAB\xCD02", "01abcd02"},
		{"bin longer than the rest", "01\\bin99 \xAB", "01ab"},
	}
	for _, c := range cases {
		if got := hex.EncodeToString(rtfHex([]byte(c.in))); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
}

func FuzzRTFHex(f *testing.F) {
	f.Add([]byte(`01{\*\junk 0a}\bin3 abc\'41 02`))
	f.Fuzz(func(t *testing.T, b []byte) {
		if out := rtfHex(b); len(out) > len(b) {
			t.Fatalf("%d bytes out of %d", len(out), len(b))
		}
	})
}

func TestRTFGroups(t *testing.T) {
	b := []byte(`{\rtf1{\object{\*\objdatax 11}{\*\objdata 01{\x 02}03}}{\*\objdata 04`)
	var got []string
	for _, g := range RTFGroups(b, `\objdata`, 10, len(b)) {
		got = append(got, string(b[g[0]:g[1]]))
	}
	if want := []string{" 01{\\x 02}03", " 04"}; !reflect.DeepEqual(got, want) {
		t.Errorf("groups %q, want %q (not \\objdatax; nested braces kept; the last cut by the end)", got, want)
	}
	if g := RTFGroups(b, `\objdata`, 1, 3); len(g) != 1 || string(b[g[0][0]:g[0][1]]) != " 01" {
		t.Errorf("max 1, maxLen 3: %v", g)
	}
}

func TestRTFWord(t *testing.T) {
	for _, c := range []struct {
		in, word, param string
		end             int
	}{{`\u-3912 x`, "u", "-3912", 7}, {`\bin4 abcd`, "bin", "4", 5}, {`\'e9`, "", "", 1}, {`\par`, "par", "", 4}, {`\`, "", "", 1}} {
		word, param, end := RTFWord([]byte(c.in), 0)
		if word != c.word || string(param) != c.param || end != c.end {
			t.Errorf("RTFWord(%q) = %q %q %d, want %q %q %d", c.in, word, param, end, c.word, c.param, c.end)
		}
	}
}

func TestRTFLinkedSources(t *testing.T) {
	linked := hex.EncodeToString(formats.OLE1Linked("Excel.Sheet.12", `Z:\finance\book.xlsx`, "Sheet1!R1C1", `\\203.0.113.7\finance\book.xlsx`))
	split := linked[:40] + `{\*\kensajunk 0a0b}` + "\r\n" + linked[40:]
	embedded := hex.EncodeToString(formats.OLE1("Package", []byte("https://files.example.net/x")))
	for _, c := range []struct{ name, rtf, want string }{
		{"linked, topic and network name", `{\rtf1{\object\objautlink{\*\objdata ` + linked + `}}}`, `Z:\finance\book.xlsx|\\203.0.113.7\finance\book.xlsx`},
		{"hex broken up", `{\rtf1{\object\objlink{\*\objdata ` + split + `}}}`, `Z:\finance\book.xlsx|\\203.0.113.7\finance\book.xlsx`},
		{"objdata ends in a \bin holding a brace", `{\rtf1{\object\objlink{\*\objdata \bin4 }}}}` + linked + `}}}`, ``},
		{"embedded", `{\rtf1{\object\objemb{\*\objdata ` + embedded + `}}}`, ``},
		{"not OLE1", `{\rtf1{\object{\*\objdata 0102}}}`, ``},
	} {
		if got := strings.Join(RTFLinkedSources([]byte(c.rtf)), "|"); got != c.want {
			t.Errorf("%s: RTFLinkedSources = %q, want %q", c.name, got, c.want)
		}
	}
}

func TestRTFGroupsAsWordReadsThem(t *testing.T) {
	b := []byte(`{\fldinst A\}B{\*\x \bin2 }}C}D}E`)
	g := RTFGroups(b, `\fldinst`, 1, len(b))
	if len(g) != 1 || string(b[g[0][0]:g[0][1]]) != ` A\}B{\*\x \bin2 }}C}D` {
		t.Errorf("RTFGroups = %v (%q)", g, b[g[0][0]:g[0][1]])
	}
	if e := RTFGroupEnd(b, 0); e != bytes.LastIndexByte(b, '}') {
		t.Errorf("RTFGroupEnd = %d", e)
	}
}
