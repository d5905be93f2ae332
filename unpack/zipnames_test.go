package unpack

import (
	"hash/crc32"
	"slices"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

// zipNameTricks are zips whose member name a tool shows otherwise than the
// name field says; the names each must carry, besides the path's.
func zipNameTricks() map[string]struct {
	zip       []byte
	path      string   // the member, below 2/x.zip/
	alt       []string // its AltNames
	ambiguous string   // substring of the container's Ambiguous; "" for none
} {
	js := []byte("WScript.Shell kensa test")
	up := formats.UnicodePath
	type trick = struct {
		zip       []byte
		path      string
		alt       []string
		ambiguous string
	}
	one := func(e formats.ZipEntry) []byte { e.Data = js; return formats.Zip(e) }
	return map[string]trick{
		// All of 7-Zip, unzip and libarchive show scan.js.
		"unicode path": {one(formats.ZipEntry{Name: "scan.txt", Extra: up("scan.txt", "scan.js")}), "scan.txt", []string{"scan.js"}, ""},
		"version 0":    {one(formats.ZipEntry{Name: "scan.txt", Extra: formats.UnicodePathField(0, crcOf("scan.txt"), "scan.js")}), "scan.txt", []string{"scan.js"}, ""},
		// 7-Zip and unzip read the central header's field, libarchive the local one's.
		"central only": {one(formats.ZipEntry{Name: "scan.txt", CentralExtra: up("scan.txt", "scan.js")}), "scan.txt", []string{"scan.js"}, ""},
		"local only":   {one(formats.ZipEntry{Name: "scan.txt", Extra: up("scan.txt", "scan.js"), CentralExtra: []byte{}}), "scan.txt", []string{"scan.js"}, ""},
		// libarchive alone reads these.
		"version 2": {one(formats.ZipEntry{Name: "scan.txt", Extra: formats.UnicodePathField(2, crcOf("scan.txt"), "scan.js")}), "scan.txt", []string{"scan.js"}, "field version 2"},
		"bit 11":    {one(formats.ZipEntry{Name: "scan.txt", Flags: 0x800, Extra: up("scan.txt", "scan.js")}), "scan.txt", []string{"scan.js"}, "bit 11"},
		// libarchive before 3.4 reads it.
		"stale CRC": {one(formats.ZipEntry{Name: "scan.txt", Extra: up("old.txt", "scan.js")}), "scan.txt", []string{"scan.js"}, "CRC does not match"},
		// unzip and libarchive cut the field's name at a NUL.
		"NUL in the field": {one(formats.ZipEntry{Name: "scan.txt", Extra: up("scan.txt", "scan.js\x00.txt")}), "scan.txt", []string{"scan.js"}, "not clean UTF-8"},
		// Every tool cuts the name field at a NUL.
		"NUL in the name": {one(formats.ZipEntry{Name: "scan.js\x00.txt"}), "scan.js.txt", []string{"scan.js"}, "a NUL ends the name"},
		// A folder by its name field, a file by its Unicode Path: unzip and
		// libarchive extract the data as scan.js.
		"folder with data": {one(formats.ZipEntry{Name: "docs/", Extra: up("docs/", "scan.js")}), "docs", []string{"scan.js"}, ""},
		// The last of several fields wins in libarchive, the first in 7-Zip.
		"two fields": {one(formats.ZipEntry{Name: "scan.txt", Extra: append(up("scan.txt", "scan.pdf"), up("scan.txt", "scan.js")...)}), "scan.txt", []string{"scan.pdf", "scan.js"}, ""},
	}
}

func crcOf(s string) uint32 { return crc32.ChecksumIEEE([]byte(s)) }

func TestZipNameReadings(t *testing.T) {
	for name, tt := range zipNameTricks() {
		t.Run(name, func(t *testing.T) {
			m := mail("", "", "x.zip", tt.zip)
			expand(t, m, Options{})
			p := mustPart(t, m, "2/x.zip/"+tt.path)
			if !slices.Equal(p.AltNames, tt.alt) {
				t.Errorf("AltNames = %q, want %q\n%s", p.AltNames, tt.alt, dump(m))
			}
			got := m.Parts[1].Ambiguous
			if tt.ambiguous == "" && got != "" || !strings.Contains(got, tt.ambiguous) {
				t.Errorf("Ambiguous = %q, want %q", got, tt.ambiguous)
			}
		})
	}
}

// Honest Unicode Path fields, as Info-ZIP zip writes them for a name its
// code page cannot hold, give the same name in UTF-8: nothing differs.
func TestZipUnicodePathHonest(t *testing.T) {
	cp437 := "r\x82sum\x82.txt" // résumé.txt in CP437
	z := formats.Zip(
		formats.ZipEntry{Name: cp437, Extra: formats.UnicodePath(cp437, "résumé.txt"), Data: []byte(marker)},
		formats.ZipEntry{Name: "plain.txt", Extra: formats.UnicodePath("plain.txt", "plain.txt"), Data: []byte(marker)},
		formats.ZipEntry{Name: "utf8.txt", Flags: 0x800, Extra: formats.UnicodePathField(1, 0, ""), Data: []byte(marker)},
	)
	m := mail("", "", "x.zip", z)
	expand(t, m, Options{})
	noProblems(t, m)
	if a := m.Parts[1].Ambiguous; a != "" {
		t.Errorf("honest zip is ambiguous: %s", a)
	}
	for _, p := range m.Parts[2:] {
		want := []string(nil)
		if p.Filename == cp437 {
			want = []string{"résumé.txt"}
		}
		if !slices.Equal(p.AltNames, want) {
			t.Errorf("%s: AltNames %q, want %q", p.Path, p.AltNames, want)
		}
	}
}

// Hostile extra fields: thousands of Unicode Path fields, a field longer
// than the extra field, one too short. Reading stays bounded.
func TestZipUnicodePathBounds(t *testing.T) {
	var many []byte
	for i := 0; len(many) < 60000; i++ {
		many = append(many, formats.UnicodePath("a.txt", "n"+strings.Repeat("x", i%7)+".js")...)
	}
	if r := zipNameReadings("a.txt", 0, many); len(r) > maxUnicodePaths {
		t.Errorf("%d names read from one header, want at most %d", len(r), maxUnicodePaths)
	}
	long := formats.UnicodePath("a.txt", "a.js")
	long[2] = 0xFF // declares more than there is
	short := []byte{0x75, 0x70, 4, 0, 1, 2, 3, 4}
	for _, extra := range [][]byte{long, short, long[:3], nil} {
		if r := zipNameReadings("a.txt", 0, extra); len(r) != 0 {
			t.Errorf("extra %x: read %q", extra, r)
		}
	}
}

// What 7-Zip, Info-ZIP unzip and libarchive's bsdtar list for each trick,
// Kensa has among the member's names (scripts/deps.sh test installs them).
func TestZipNamesAsToolsShowThem(t *testing.T) {
	list := map[string][]string{
		"7z":     {"l", "-slt", "-ba"},
		"unzip":  {"-Z1"},
		"bsdtar": {"-tf"},
	}
	for name, tt := range zipNameTricks() {
		namesAsToolsShowThem(t, name, "x.zip", tt.zip, list)
	}
}
