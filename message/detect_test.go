package message

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"
)

func zipOf(t *testing.T, stored bool, names ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	for _, n := range names {
		h := &zip.FileHeader{Name: n, Method: zip.Deflate}
		if stored {
			h.Method = zip.Store
		}
		f, err := w.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		content := "content of " + n
		if n == "mimetype" {
			content = "application/vnd.oasis.opendocument.text"
		}
		if _, err := f.Write([]byte(content)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
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

func at(off int, magic string) []byte {
	b := make([]byte, off+len(magic)+100)
	copy(b[off:], magic)
	return b
}

func TestDetectType(t *testing.T) {
	tests := []struct {
		name string
		in   []byte
		want string
		ft   string
	}{
		{"PE", append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 120)...), TypeEXE, "EXE"},
		{"ELF", []byte("\x7fELF\x02\x01\x01\x00\x00\x00"), TypeELF, "ELF"},
		{"Mach-O 64", []byte("\xcf\xfa\xed\xfe\x07\x00\x00\x01"), TypeMachO, "MACHO"},
		{"Mach-O fat", []byte("\xca\xfe\xba\xbe\x00\x00\x00\x02rest"), TypeMachO, "MACHO"},
		{"Java class", []byte("\xca\xfe\xba\xbe\x00\x00\x00\x34rest"), TypeJava, "CLASS"},
		{"zip", zipOf(t, false, "a.txt", "b/c.txt"), TypeZIP, "ZIP"},
		{"docx", zipOf(t, false, "[Content_Types].xml", "_rels/.rels", "word/document.xml"), TypeDOCX, "DOCX"},
		{"xlsx", zipOf(t, false, "[Content_Types].xml", "_rels/.rels", "xl/workbook.xml"), TypeXLSX, "XLSX"},
		{"pptx", zipOf(t, false, "[Content_Types].xml", "_rels/.rels", "ppt/presentation.xml"), TypePPTX, "PPTX"},
		{"zip with word/ but no content types", zipOf(t, false, "word/document.xml"), TypeZIP, "ZIP"},
		{"odt", zipOf(t, true, "mimetype", "content.xml"), "application/vnd.oasis.opendocument.text", "ODF"},
		{"OLE", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00"), TypeOLE, "OLE"},
		{"PDF", pdfBytes(), TypePDF, "PDF"},
		{"PDF after junk", append(bytes.Repeat([]byte("junk "), 100), pdfBytes()...), TypePDF, "PDF"},
		{"RTF", []byte(`{\rtf1\ansi hello}`), TypeRTF, "RTF"},
		{"RTF short header", []byte(`{\rtx evasive}`), TypeRTF, "RTF"},
		{"7z", []byte("7z\xbc\xaf\x27\x1c\x00\x04"), Type7Z, "7Z"},
		{"RAR 4", []byte("Rar!\x1a\x07\x00\xcf\x90"), TypeRAR, "RAR"},
		{"RAR 5", []byte("Rar!\x1a\x07\x01\x00\x33\x92"), TypeRAR, "RAR"},
		{"gzip", gzipOf(t), TypeGZIP, "GZIP"},
		{"bzip2", []byte("BZh91AY&SY"), TypeBZIP2, "BZIP2"},
		{"text starting with BZh", []byte("BZh is not bzip2"), TypeText, "TEXT"},
		{"xz", []byte("\xfd7zXZ\x00\x00\x04"), TypeXZ, "XZ"},
		{"zstd", []byte("\x28\xb5\x2f\xfd\x00\x58"), TypeZSTD, "ZSTD"},
		{"tar", tarOf(t), TypeTAR, "TAR"},
		{"ISO 9660", at(0x8001, "CD001"), TypeISO, "ISO"},
		{"VHDX", []byte("vhdxfile\x00\x00"), TypeVHDX, "VHDX"},
		{"OneNote", []byte("\xe4\x52\x5c\x7b\x8c\xd8\xa7\x4d\xae\xb1\x53\x78\xd0\x29\x96\xd3\x00"), TypeOneNote, "ONENOTE"},
		{"LNK", []byte("\x4c\x00\x00\x00\x01\x14\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46\x9b\x00"), TypeLNK, "LNK"},
		{"CAB", []byte("MSCF\x00\x00\x00\x00\x10\x00"), TypeCAB, "CAB"},
		{"CHM", []byte("ITSF\x03\x00\x00\x00\x60\x00"), TypeCHM, "CHM"},
		{"PNG", imageOf(t, "png"), TypePNG, "PNG"},
		{"JPEG", imageOf(t, "jpeg"), TypeJPEG, "JPEG"},
		{"GIF", imageOf(t, "gif"), TypeGIF, "GIF"},
		{"HTML doctype after BOM and blanks", []byte("\xef\xbb\xbf \r\n\t<!DOCTYPE HTML><p>x"), TypeHTML, "HTML"},
		{"HTML tag", []byte("<HTML><body>hi"), TypeHTML, "HTML"},
		{"HTML script", []byte("  <ScRiPt>alert(1)</script>"), TypeHTML, "HTML"},
		{"HTML later in the first KB", []byte("Dear user,\n\n<html><a href=x>click</a>"), TypeHTML, "HTML"},
		{"SVG", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>x</script></svg>`), TypeSVG, "SVG"},
		{"XML", []byte(`<?xml version="1.0"?><root/>`), TypeXML, "XML"},
		{"plain text", []byte("Hello,\r\nthe invoice is attached.\r\n"), TypeText, "TEXT"},
		{"UTF-8 text", []byte("請求書をお送りします。"), TypeText, "TEXT"},
		{"Latin-1 text", []byte("caf\xe9 cr\xe8me br\xfbl\xe9e, and more words here"), TypeText, "TEXT"},
		{"UTF-16 text", []byte("\xff\xfeh\x00i\x00"), TypeText, "TEXT"},
		{"empty", nil, TypeText, "TEXT"},
		{"binary", []byte("\x00\x01\x02\x03\x04\x05\x06\x07\x08"), TypeBinary, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := DetectType(tc.in)
			if got != tc.want {
				t.Errorf("DetectType = %q, want %q", got, tc.want)
			}
			if ft := FileType(got); ft != tc.ft {
				t.Errorf("FileType(%q) = %q, want %q", got, ft, tc.ft)
			}
		})
	}
}

func TestFileTypeMail(t *testing.T) {
	if ft := FileType(TypeMail); ft != "EML" {
		t.Errorf("FileType(%q) = %q, want EML", TypeMail, ft)
	}
}

func TestFileTypeUnknown(t *testing.T) {
	for _, s := range []string{"", "application/x-unknown", "application/vnd.oasis.opendocument."} {
		if ft := FileType(s); ft != "" {
			t.Errorf("FileType(%q) = %q, want empty", s, ft)
		}
	}
}
