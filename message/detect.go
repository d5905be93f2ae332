package message

import (
	"bytes"
	"unicode/utf8"
)

// MIME types DetectType returns. Other packages compare against these.
const (
	TypeEXE     = "application/x-dosexec"
	TypeELF     = "application/x-elf"
	TypeMachO   = "application/x-mach-binary"
	TypeJava    = "application/java-vm"
	TypeZIP     = "application/zip"
	TypeDOCX    = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	TypeXLSX    = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	TypePPTX    = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	TypeOLE     = "application/x-ole-storage"
	TypePDF     = "application/pdf"
	TypeRTF     = "application/rtf"
	Type7Z      = "application/x-7z-compressed"
	TypeRAR     = "application/vnd.rar"
	TypeGZIP    = "application/gzip"
	TypeBZIP2   = "application/x-bzip2"
	TypeXZ      = "application/x-xz"
	TypeZSTD    = "application/zstd"
	TypeTAR     = "application/x-tar"
	TypeISO     = "application/x-iso9660-image"
	TypeVHD     = "application/x-vhd"
	TypeVHDX    = "application/x-vhdx"
	TypeOneNote = "application/onenote"
	TypeLNK     = "application/x-ms-shortcut"
	TypeCAB     = "application/vnd.ms-cab-compressed"
	TypeCHM     = "application/vnd.ms-htmlhelp"
	TypePNG     = "image/png"
	TypeJPEG    = "image/jpeg"
	TypeGIF     = "image/gif"
	TypeSVG     = "image/svg+xml"
	TypeHTML    = "text/html"
	TypeXML     = "application/xml"
	TypeText    = "text/plain"
	TypeBinary  = "application/octet-stream"
	TypeMail    = "message/rfc822" // not from DetectType: the declared type of a forwarded message
)

// odfPrefix starts the MIME types an OpenDocument file names in its "mimetype" member.
const odfPrefix = "application/vnd.oasis.opendocument."

// signature is a byte string expected at a fixed offset.
type signature struct {
	off   int
	magic string
	mime  string
}

// signatures are tried in order; the first match wins. Formats that need
// more than a fixed prefix (zip flavours, fat Mach-O vs Java, text) are
// handled in DetectType itself.
var signatures = []signature{
	{0, "MZ", TypeEXE},
	{0, "\x7fELF", TypeELF},
	{0, "\xfe\xed\xfa\xce", TypeMachO},
	{0, "\xfe\xed\xfa\xcf", TypeMachO},
	{0, "\xce\xfa\xed\xfe", TypeMachO},
	{0, "\xcf\xfa\xed\xfe", TypeMachO},
	{0, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", TypeOLE},
	{0, "%PDF-", TypePDF},
	{0, `{\rt`, TypeRTF}, // Word opens "{\rt" as RTF, so "{\rtf1" is not required
	{0, "7z\xbc\xaf\x27\x1c", Type7Z},
	{0, "Rar!\x1a\x07\x00", TypeRAR},     // RAR 4
	{0, "Rar!\x1a\x07\x01\x00", TypeRAR}, // RAR 5
	{0, "\x1f\x8b", TypeGZIP},
	{0, "\xfd7zXZ\x00", TypeXZ},
	{0, "\x28\xb5\x2f\xfd", TypeZSTD},
	{0, "MSCF\x00\x00\x00\x00", TypeCAB},
	{0, "ITSF\x03\x00\x00\x00", TypeCHM},
	{0, "\xe4\x52\x5c\x7b\x8c\xd8\xa7\x4d\xae\xb1\x53\x78\xd0\x29\x96\xd3", TypeOneNote},
	{0, "\x4c\x00\x00\x00\x01\x14\x02\x00\x00\x00\x00\x00\xc0\x00\x00\x00\x00\x00\x00\x46", TypeLNK},
	{0, "\x89PNG\r\n\x1a\n", TypePNG},
	{0, "\xff\xd8\xff", TypeJPEG},
	{0, "GIF87a", TypeGIF},
	{0, "GIF89a", TypeGIF},
	{0, "vhdxfile", TypeVHDX},
	{0, "conectix", TypeVHD},
	{257, "ustar", TypeTAR},
	{0x8001, "CD001", TypeISO},
	{0x8801, "CD001", TypeISO},
	{0x9001, "CD001", TypeISO},
}

// sniffLen is how much of the start is examined for text and markup.
const sniffLen = 1024

// DetectType names the format of b from its magic bytes, falling back to
// "text/plain" for text and "application/octet-stream" for anything else.
// It only looks at small windows of b, so it is cheap on large parts.
func DetectType(b []byte) string {
	if len(b) >= 4 && (string(b[:4]) == "PK\x03\x04" || string(b[:4]) == "PK\x05\x06" || string(b[:4]) == "PK\x07\x08") {
		return zipFlavour(b)
	}
	if len(b) >= 8 && string(b[:4]) == "\xca\xfe\xba\xbe" {
		// Fat Mach-O and Java class files share a magic; Mach-O counts its
		// architectures there (a handful), Java puts its version (45 and up).
		if b[4] == 0 && b[5] == 0 && b[6] == 0 && b[7] > 0 && b[7] < 20 {
			return TypeMachO
		}
		return TypeJava
	}
	for _, s := range signatures {
		if len(b) >= s.off+len(s.magic) && string(b[s.off:s.off+len(s.magic)]) == s.magic {
			return s.mime
		}
	}
	if len(b) >= 4 && string(b[:3]) == "BZh" && '1' <= b[3] && b[3] <= '9' {
		return TypeBZIP2
	}
	if len(b) > 4 && bytes.Contains(head(b, sniffLen), []byte("%PDF-")) {
		return TypePDF // readers accept a PDF header anywhere in the first KB
	}
	return sniffText(b)
}

func head(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

func tail(b []byte, n int) []byte {
	if len(b) > n {
		return b[len(b)-n:]
	}
	return b
}

// zipFlavour tells OOXML and ODF documents from plain zip archives by the
// member names near the start (local headers) and end (central directory).
func zipFlavour(b []byte) string {
	// ODF stores a "mimetype" member first and uncompressed, so its
	// content follows the first local header's name and extra field.
	if len(b) > 38 && string(b[30:38]) == "mimetype" {
		start := 38 + int(b[28]) | int(b[29])<<8
		if start < len(b) && bytes.HasPrefix(b[start:], []byte(odfPrefix)) {
			end := start
			for end < len(b) && end < start+80 && isMIMEByte(b[end]) {
				end++
			}
			return string(b[start:end])
		}
	}
	const window = 64 << 10
	has := func(name string) bool {
		return bytes.Contains(head(b, window), []byte(name)) || bytes.Contains(tail(b, window), []byte(name))
	}
	if !has("[Content_Types].xml") {
		return TypeZIP
	}
	switch {
	case has("word/"):
		return TypeDOCX
	case has("xl/"):
		return TypeXLSX
	case has("ppt/"):
		return TypePPTX
	}
	return TypeZIP
}

func isMIMEByte(c byte) bool {
	return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == '/' || c == '+'
}

// sniffText recognises markup and text in the first KB.
func sniffText(b []byte) string {
	if len(b) == 0 {
		return TypeText
	}
	h := head(b, sniffLen)
	if bytes.HasPrefix(h, []byte("\xff\xfe")) || bytes.HasPrefix(h, []byte("\xfe\xff")) {
		return TypeText // UTF-16 with a byte order mark
	}
	h = bytes.TrimPrefix(h, []byte("\xef\xbb\xbf"))
	if !looksText(h) {
		return TypeBinary
	}
	lower := bytes.ToLower(bytes.TrimLeft(h, " \t\r\n\f\v"))
	for _, tag := range []string{"<!doctype html", "<html", "<script", "<head", "<body", "<iframe"} {
		if bytes.HasPrefix(lower, []byte(tag)) {
			return TypeHTML
		}
	}
	if bytes.HasPrefix(lower, []byte("<svg")) || bytes.HasPrefix(lower, []byte("<?xml")) && bytes.Contains(lower, []byte("<svg")) {
		return TypeSVG
	}
	for _, tag := range []string{"<!doctype html", "<html", "<script"} {
		if bytes.Contains(lower, []byte(tag)) {
			return TypeHTML
		}
	}
	if bytes.HasPrefix(lower, []byte("<?xml")) {
		return TypeXML
	}
	return TypeText
}

// looksText reports whether h is text: no NUL bytes and either valid UTF-8
// (allowing a rune cut at the end of the window) or mostly printable bytes
// of some 8-bit charset.
func looksText(h []byte) bool {
	if bytes.IndexByte(h, 0) >= 0 {
		return false
	}
	v := h
	for i := 0; i < utf8.UTFMax && len(v) > 0 && !utf8.FullRune(v[len(v)-1:]); i++ {
		v = v[:len(v)-1]
	}
	if utf8.Valid(v) {
		return textControls(h) == 0
	}
	return textControls(h)*20 < len(h)
}

// textControls counts control bytes that text does not contain.
func textControls(h []byte) int {
	n := 0
	for _, c := range h {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b {
			n++
		}
	}
	return n
}

// fileTypes maps detected MIME types to the short names YARA rule sets
// expect in the "filetype" external.
var fileTypes = map[string]string{
	TypeEXE:     "EXE",
	TypeELF:     "ELF",
	TypeMachO:   "MACHO",
	TypeJava:    "CLASS",
	TypeZIP:     "ZIP",
	TypeDOCX:    "DOCX",
	TypeXLSX:    "XLSX",
	TypePPTX:    "PPTX",
	TypeOLE:     "OLE",
	TypePDF:     "PDF",
	TypeRTF:     "RTF",
	Type7Z:      "7Z",
	TypeRAR:     "RAR",
	TypeGZIP:    "GZIP",
	TypeBZIP2:   "BZIP2",
	TypeXZ:      "XZ",
	TypeZSTD:    "ZSTD",
	TypeTAR:     "TAR",
	TypeISO:     "ISO",
	TypeVHD:     "VHD",
	TypeVHDX:    "VHDX",
	TypeOneNote: "ONENOTE",
	TypeLNK:     "LNK",
	TypeCAB:     "CAB",
	TypeCHM:     "CHM",
	TypePNG:     "PNG",
	TypeJPEG:    "JPEG",
	TypeGIF:     "GIF",
	TypeSVG:     "SVG",
	TypeHTML:    "HTML",
	TypeXML:     "XML",
	TypeText:    "TEXT",
	TypeMail:    "EML",
}

// FileType maps a type from DetectType to a YARA "filetype" name such as
// "EXE", "PDF" or "ZIP"; "" when there is none.
func FileType(detected string) string {
	if ft, ok := fileTypes[detected]; ok {
		return ft
	}
	if len(detected) > len(odfPrefix) && detected[:len(odfPrefix)] == odfPrefix {
		return "ODF"
	}
	return ""
}
