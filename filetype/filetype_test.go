package filetype

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math/rand/v2"
	"net/http"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

// zipOf is a zip of the named members, each holding a line of text (the
// OpenDocument "mimetype" member its MIME type).
func zipOf(t *testing.T, stored bool, names ...string) []byte {
	t.Helper()
	var es []formats.ZipEntry
	for _, n := range names {
		content := "content of " + n
		if n == "mimetype" {
			content = "application/vnd.oasis.opendocument.text"
		}
		es = append(es, formats.ZipEntry{Name: n, Data: []byte(content)})
	}
	return formats.ArchiveZip(!stored, es...)
}

func tarOf(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	w := tar.NewWriter(&b)
	if err := w.WriteHeader(&tar.Header{Name: "a.txt", Mode: 0o644, Size: 2}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write([]byte("hi")); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gzipOf(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	_, _ = w.Write([]byte("hello"))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func imageOf(t *testing.T, format string) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 2, 2))
	var b bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&b, img)
	case "jpeg":
		err = jpeg.Encode(&b, img, nil)
	case "gif":
		err = gif.Encode(&b, img, nil)
	}
	if err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

const pdfDoc = "%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer <<>>\n%%EOF\n"

// peAt is a minimal PE: "MZ", e_lfanew pointing at off, "PE\0\0" there.
func peAt(off int) []byte {
	b := make([]byte, off+64)
	copy(b, "MZ")
	binary.LittleEndian.PutUint32(b[0x3C:], uint32(off))
	copy(b[off:], "PE\x00\x00")
	return b
}

// vhdFooter is a fixed-size VHD: data, then the 512-byte footer.
func vhdFooter() []byte {
	b := make([]byte, 4096+512)
	copy(b[4096:], "conectix")
	return b
}

func at(off int, magic string) []byte {
	b := make([]byte, off+len(magic)+100)
	copy(b[off:], magic)
	return b
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
		ft   string
	}{
		{"PE", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 120)...), EXE, "EXE"},
		{"PE header where e_lfanew points", peAt(0x80), EXE, "EXE"},
		{"DOS stub text", []byte("MZ header, then text: This program cannot be run in DOS mode, as it says."), EXE, "EXE"},
		{"short binary MZ", []byte("MZ\x90\x00"), EXE, "EXE"},
		{"short text MZ", []byte("MZ Bank statement"), Text, "TEXT"},
		{"text starting with MZ", []byte("MZ Holdings: the quarterly report is attached, with the figures you asked for."), Text, "TEXT"},
		{"ELF", []byte("\x7fELF\x02\x01\x01\x00\x00\x00"), ELF, "ELF"},
		{"Mach-O 64", []byte("\xcf\xfa\xed\xfe\x07\x00\x00\x01"), MachO, "MACHO"},
		{"Mach-O fat", []byte("\xca\xfe\xba\xbe\x00\x00\x00\x02rest"), MachO, "MACHO"},
		{"Java class", []byte("\xca\xfe\xba\xbe\x00\x00\x00\x34rest"), Java, "CLASS"},
		{"zip", zipOf(t, false, "a.txt", "b/c.txt"), ZIP, "ZIP"},
		{"spanned zip marker", append([]byte("PK\x07\x08"), zipOf(t, false, "a.txt")...), ZIP, "ZIP"},
		{"empty zip", []byte("PK\x05\x06" + strings.Repeat("\x00", 18)), ZIP, "ZIP"},
		{"docx", zipOf(t, false, "[Content_Types].xml", "_rels/.rels", "word/document.xml"), DOCX, "DOCX"},
		{"xlsx", zipOf(t, false, "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"), XLSX, "XLSX"},
		{"pptx", zipOf(t, false, "[Content_Types].xml", "_rels/.rels", "ppt/presentation.xml"), PPTX, "PPTX"},
		{"zip with word/ but no content types", zipOf(t, false, "word/document.xml"), ZIP, "ZIP"},
		{"odt", zipOf(t, true, "mimetype", "content.xml"), "application/vnd.oasis.opendocument.text", "ODF"},
		{"OLE", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"), OLE, "OLE"},
		{"PDF", []byte(pdfDoc), PDF, "PDF"},
		{"PDF after junk", append(bytes.Repeat([]byte("junk "), 100), []byte(pdfDoc)...), PDF, "PDF"},
		{"RTF", []byte(`{\rtf1\ansi hello}`), RTF, "RTF"},
		{"RTF short header", []byte(`{\rtx evasive}`), RTF, "RTF"},
		{"RTF after blanks and a BOM", []byte("\r\n \xef\xbb\xbf{\\rtf1 hidden}"), RTF, "RTF"},
		{"7z", []byte("7z\xbc\xaf\x27\x1c\x00\x04"), SevenZ, "7Z"},
		{"RAR 4", []byte("Rar!\x1a\x07\x00\xcf\x90"), RAR, "RAR"},
		{"RAR 5", []byte("Rar!\x1a\x07\x01\x00\x33\x92"), RAR, "RAR"},
		{"gzip", gzipOf(t), GZIP, "GZIP"},
		{"bzip2", []byte("BZh91AY&SY"), BZIP2, "BZIP2"},
		{"empty bzip2 stream", []byte("BZh9\x17\x72\x45\x38\x50\x90\x00\x00\x00\x00"), BZIP2, "BZIP2"},
		{"text starting with BZh", []byte("BZh is not bzip2"), Text, "TEXT"},
		{"xz", []byte("\xfd7zXZ\x00\x00\x04"), XZ, "XZ"},
		{"zstd", []byte("\x28\xb5\x2f\xfd\x00\x58"), ZSTD, "ZSTD"},
		{"tar", tarOf(t), TAR, "TAR"},
		{"pre-POSIX tar", formats.TarV7(formats.File{Name: "run.js", Data: []byte("x")}), TAR, "TAR"},
		{"pre-POSIX tar, bad checksum", append([]byte("run.js"), make([]byte, 600)...), Binary, ""},
		{"ISO 9660", at(0x8001, "CD001"), ISO, "ISO"},
		{"ISO 9660, descriptor in a later sector", at(0x9001, "CD001"), ISO, "ISO"},
		{"UDF", at(0x8001, "BEA01"), UDF, "UDF"},
		{"UDF NSR only", at(0x8801, "NSR03"), UDF, "UDF"},
		{"VHD", []byte("conectix\x00\x00\x00\x02"), VHD, "VHD"},
		{"fixed VHD: footer only", vhdFooter(), VHD, "VHD"},
		{"VHDX", []byte("vhdxfile\x00\x00"), VHDX, "VHDX"},
		{"exFAT volume", append([]byte("\xEB\x76\x90EXFAT   "), make([]byte, 501)...), EXFAT, "EXFAT"},
		{"OneNote", []byte("\xe4\x52\x5c\x7b\x8c\xd8\xa7\x4d\xae\xb1\x53\x78\xd0\x29\x96\xd3\x00"), OneNote, "ONENOTE"},
		{"LNK", []byte("\x4c\x00\x00\x00\x01\x14\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46\x9b\x00"), LNK, "LNK"},
		{"LNK with a tampered CLSID tail", []byte("\x4c\x00\x00\x00\x01\x14\x02\x00\xff\xff\xff\xff"), LNK, "LNK"},
		{"CAB", []byte("MSCF\x00\x00\x00\x00\x10\x00"), CAB, "CAB"},
		{"XAR", []byte("xar!\x00\x1c\x00\x01\x00\x00"), XAR, "XAR"},
		{"cpio odc", []byte("070707" + strings.Repeat("0", 70)), CPIO, "CPIO"},
		{"cpio newc", []byte("070701" + strings.Repeat("0aF", 34) + "12"), CPIO, "CPIO"},
		{"cpio odc with an 8", []byte("070707" + strings.Repeat("0", 69) + "8"), Text, "TEXT"},
		{"text starting with 070707", []byte("070707 is the number to call, then press 2 for the switchboard, 3 for sales, 4 for us."), Text, "TEXT"},
		{"CHM", []byte("ITSF\x03\x00\x00\x00\x60\x00"), CHM, "CHM"},
		{"ARJ (as arj writes it)", arjMain(), ARJ, "ARJ"},
		{"ARJ with a bad header CRC", func() []byte { b := arjMain(); b[38] ^= 1; return b }(), Binary, ""},
		{"LZH (as lha writes it)", []byte("\x27\x00-lh0-\x05\x00\x00\x00\x05\x00\x00\x00\xb5\x4b\x16\x6b\x20\x02\xd2\x34"), LZH, "LZH"},
		{"text with -lh5- at offset 2", []byte("a -lh5- is a method of LHA, says the mail"), Text, "TEXT"},
		{"ACE", []byte("\x00\x00\x31\x00\x00\x00\x00**ACE**\x14\x14"), ACE, "ACE"},
		{"compress (.Z)", []byte("\x1f\x9d\x90\x68\xca\xb0\x61\xf3\x06"), LZW, "COMPRESS"},
		{"lzip", []byte("LZIP\x01\x0c\x00\x34\x19\x49"), LZIP, "LZIP"},
		{"lz4", []byte("\x04\x22\x4d\x18\x64\x40\xa7\x05"), LZ4, "LZ4"},
		{"lz4 legacy", []byte("\x02\x21\x4c\x18\x06\x00\x00\x00Phello"), LZ4, "LZ4"},
		{"zoo", []byte("ZOO 2.10 Archive.\x1a\x00\x00\xdc\xa7\xc4\xfd\x22\x00"), ZOO, "ZOO"},
		{"ARC", []byte("\x1a\x08INVOICE.EXE\x00\x10\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"), ARC, "ARC"},
		{"StuffIt 5", []byte("StuffIt (c)1997-2002 Aladdin Systems"), StuffIt, "STUFFIT"},
		{"StuffIt 1.5", []byte("SIT!\x00\x01\x00\x00\x10\x00rLau\x00"), StuffIt, "STUFFIT"},
		{"ALZ", []byte("ALZ\x01\x0a\x00\x00\x00BLZ\x01"), ALZ, "ALZ"},
		{"EGG", []byte("EGGA\x00\x01\x12\x34\x56\x78\x00\x00\x00\x00\x22\x82\xe2\x08"), EGG, "EGG"},
		{"text starting with EGGA", []byte("EGGAR owners: the meeting is on Friday."), Text, "TEXT"},
		{"zpaq", []byte("7kSt\xa0\x31\x83\xd3\x8c\xb2\x28\xb0\xd3zPQ\x01\x01"), ZPAQ, "ZPAQ"},
		{"text starting with ITSF", []byte("ITSFine, says the note"), Text, "TEXT"},
		{"PNG", imageOf(t, "png"), PNG, "PNG"},
		{"JPEG", imageOf(t, "jpeg"), JPEG, "JPEG"},
		{"GIF", imageOf(t, "gif"), GIF, "GIF"},
		{"TIFF little-endian", []byte("II*\x00\x08\x00\x00\x00"), TIFF, "TIFF"},
		{"TIFF big-endian", []byte("MM\x00*\x00\x00\x00\x08"), TIFF, "TIFF"},
		{"WEBP", []byte("RIFF\x24\x00\x00\x00WEBPVP8 "), WEBP, "WEBP"},
		{"BMP", append([]byte("BM\x46\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00"), make([]byte, 40)...), BMP, "BMP"},
		{"BM then text", []byte("BMW owners' club: the November meeting is on Friday."), Text, "TEXT"},
		{"HTML doctype after BOM and blanks", []byte("\xef\xbb\xbf \r\n\t<!DOCTYPE HTML><p>x"), HTML, "HTML"},
		{"HTML tag", []byte("<HTML><body>hi"), HTML, "HTML"},
		{"HTML script", []byte("  <ScRiPt>alert(1)</script>"), HTML, "HTML"},
		{"HTML later in the first KB", []byte("Dear user,\n\n<html><a href=x>click</a>"), HTML, "HTML"},
		{"SVG", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>`), SVG, "SVG"},
		{"XML", []byte(`<?xml version="1.0"?><root/>`), XML, "XML"},
		{"plain text", []byte("Hello,\r\nthe invoice is attached.\r\n"), Text, "TEXT"},
		{"UTF-8 text", []byte("請求書をお送りします。"), Text, "TEXT"},
		{"Latin-1 text", []byte("caf\xe9 cr\xe8me br\xfbl\xe9e, and more words here"), Text, "TEXT"},
		{"UTF-16 text", []byte("\xff\xfeh\x00i\x00"), Text, "TEXT"},
		{"empty", nil, Text, "TEXT"},
		{"binary", []byte("\x00\x01\x02\x03\x04\x05\x06\x07\x08"), Binary, ""},
	}
	covered := map[string]bool{}
	for _, tc := range tests {
		covered[tc.want] = true
		t.Run(tc.name, func(t *testing.T) {
			got := Detect(tc.in)
			if got != tc.want {
				t.Errorf("Detect = %q, want %q", got, tc.want)
			}
			if ft := YARAName(got); ft != tc.ft {
				t.Errorf("YARAName(%q) = %q, want %q", got, ft, tc.ft)
			}
			if !Known(got) {
				t.Errorf("Known(%q) = false", got)
			}
		})
	}
	// Every type Detect can return has a case above: a new format comes
	// with its test.
	for _, ty := range All {
		if !covered[ty.MIME] {
			t.Errorf("no case detects %s", ty.MIME)
		}
	}
}

func TestZipBased(t *testing.T) {
	for _, ty := range []string{ZIP, DOCX, XLSX, PPTX, ODFPrefix + "text"} {
		if !ZipBased(ty) {
			t.Errorf("ZipBased(%q) = false", ty)
		}
	}
	for _, ty := range []string{OLE, PDF, ODFPrefix, Binary} {
		if ZipBased(ty) {
			t.Errorf("ZipBased(%q) = true", ty)
		}
	}
}

func TestLooksLikeMail(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"From: a@example.com\r\nSubject: hi\r\n\r\nbody", true},
		{"Received: by x\nMessage-ID: <1@x>\n\nbody", true},
		{"From: a@example.com\n\nonly one field", false},
		{"From: a@example.com\nSubject: no blank line", false},
		{"Dear customer,\nSubject: see below\n\n", false},
	}
	for _, tc := range tests {
		if got := LooksLikeMail([]byte(tc.in)); got != tc.want {
			t.Errorf("LooksLikeMail(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
	// The fast path says what lowering each whole line says, on lines
	// of fields in any case (İ, the Kelvin sign and ſ among the
	// letters), cut and joined with noise.
	r := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"From:", "FROM:", "to:", "Subject:", "SUBJECT:", "date:", "Received:", "RECE\u0130VED:", "Message-ID:", "MESSAGE-\u0130D:",
		"MIME-Version:", "mime-vers\u0130on:", "Return-Path:", "\u212a", "\u017fubject:", "\u0130", "\xc4", "\xe2\x84", " x", "\n", "\r\n", "\n\n",
		strings.Repeat("\u00e9", 20), strings.Repeat("a", 70), "\x00\xff"}
	yes := 0
	for range 60000 {
		var b []byte
		for range r.IntN(12) {
			b = append(b, pieces[r.IntN(len(pieces))]...)
		}
		got, want := LooksLikeMail(b), refLooksLikeMail(b)
		if got != want {
			t.Fatalf("LooksLikeMail(%q) = %v, lowering each line says %v", b, got, want)
		}
		if got {
			yes++
		}
	}
	if yes < 300 {
		t.Fatalf("only %d inputs look like mail: the test proves little", yes)
	}
}

// refLooksLikeMail is LooksLikeMail lowering each whole line.
func refLooksLikeMail(b []byte) bool {
	b = head(b, 8192)
	end := bytes.Index(b, []byte("\n\n"))
	if e := bytes.Index(b, []byte("\r\n\r\n")); e >= 0 && (end < 0 || e < end) {
		end = e
	}
	if end < 0 {
		return false
	}
	seen := 0
	for _, line := range bytes.Split(b[:end], []byte("\n")) {
		l := strings.ToLower(string(line))
		for _, h := range []string{"from:", "to:", "subject:", "date:", "received:", "message-id:", "mime-version:", "return-path:"} {
			if strings.HasPrefix(l, h) {
				seen++
			}
		}
	}
	return seen >= 2
}

func TestYARANameMail(t *testing.T) {
	if ft := YARAName(Mail); ft != "EML" {
		t.Errorf("YARAName(%q) = %q, want EML", Mail, ft)
	}
}

func TestYARANameUnknown(t *testing.T) {
	for _, s := range []string{"", "application/x-unknown", "application/vnd.oasis.opendocument."} {
		if ft := YARAName(s); ft != "" {
			t.Errorf("YARAName(%q) = %q, want empty", s, ft)
		}
	}
}

// FuzzDetect checks what every caller relies on: Detect names a known type,
// is deterministic, and reads only its two windows. Bytes between the first
// HeadWindow and the last TailWindow can be anything without changing the
// answer, so an attacker cannot steer it with the middle of a large part.
// And it agrees with a reference: where Go's net/http sniffer, an
// independent reading of the same magic numbers, names PDF, PNG, GIF, JPEG,
// gzip, RAR or zip, Detect names the same (any zip-based type for zip).
// httpReference maps net/http's names to ours, for the formats both know by
// a fixed magic number.
var httpReference = map[string]string{
	"application/pdf":              PDF,
	"image/png":                    PNG,
	"image/gif":                    GIF,
	"image/jpeg":                   JPEG,
	"image/webp":                   WEBP,
	"application/x-gzip":           GZIP,
	"application/x-rar-compressed": RAR,
}

func FuzzDetect(f *testing.F) {
	f.Add([]byte("MZ"), []byte{})
	f.Add([]byte("PK\x03\x04\x14\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00\xff\xffmimetype"), []byte("[Content_Types].xml word/"))
	f.Add([]byte("\xef\xbb\xbf<html>"), []byte{})
	f.Add([]byte("Hello"), []byte("conectix"))
	f.Add([]byte("%PDF-1.7\n"), []byte{})
	f.Add([]byte("\x89PNG\r\n\x1a\n"), []byte{})
	f.Add([]byte("Rar!\x1a\x07\x01\x00"), []byte{})
	f.Add([]byte("RIFF\x00\x00\x00\x00WEBPVP"), []byte{})
	f.Fuzz(func(t *testing.T, front, back []byte) {
		if got, want := LooksLikeMail(front), refLooksLikeMail(front); got != want {
			t.Fatalf("LooksLikeMail(%q) = %v, lowering each line says %v", front, got, want)
		}
		got := Detect(front)
		if !Known(got) {
			t.Fatalf("Detect(%q) = %q, not a known type", front, got)
		}
		if again := Detect(front); again != got {
			t.Fatalf("Detect is not deterministic: %q then %q", got, again)
		}
		switch ref := http.DetectContentType(front); ref {
		case "application/zip":
			if !ZipBased(got) {
				t.Errorf("net/http says %s, Detect %q", ref, got)
			}
		default:
			if want, ok := httpReference[ref]; ok && got != want {
				t.Errorf("net/http says %s, Detect %q", ref, got)
			}
		}
		// front fills the head window, back the tail; the middle differs.
		h := make([]byte, HeadWindow)
		copy(h, front)
		tl := make([]byte, TailWindow)
		copy(tl[max(0, TailWindow-len(back)):], back)
		for _, fill := range []byte{0x00, ' ', 0xff} {
			mid := bytes.Repeat([]byte{fill}, 4096)
			a := append(append(append([]byte(nil), h...), mid...), tl...)
			if fill == 0 {
				got = Detect(a)
				if !Known(got) {
					t.Fatalf("Detect = %q, not a known type", got)
				}
				continue
			}
			if other := Detect(a); other != got {
				t.Fatalf("the middle changed the answer: %q with zeros, %q with %q", got, other, fill)
			}
		}
	})
}

// arjMain is the main header arj 3.10 writes for t1.arj.
func arjMain() []byte {
	return []byte("\x60\xea\x2a\x00\x22\x0b\x01\x02\x10\x00\x02\x2c\xb5\x4b\x16\x6b\xb5\x4b\x16\x6b" +
		"\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00t1.arj\x00\x00\x77\x3a\x54\x94\x00\x00")
}
