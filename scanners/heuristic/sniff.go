package heuristic

import (
	"bytes"
	"encoding/binary"
	"strings"
)

// Content kinds recognised from magic bytes. Only what the checks need: is it
// executable, and which family of format is it really.
const (
	kindPE      = "PE executable"
	kindELF     = "ELF executable"
	kindMachO   = "Mach-O executable"
	kindJava    = "Java class"
	kindLNK     = "Windows shortcut (LNK)"
	kindCHM     = "compiled HTML help (CHM)"
	kindISO     = "ISO/UDF disk image"
	kindOneNote = "OneNote section"
	kindPDF     = "PDF"
	kindZip     = "zip"
	kindOLE     = "OLE compound file"
	kindRar     = "rar"
	kind7z      = "7z"
	kindGzip    = "gzip"
	kindRTF     = "RTF"
	kindImage   = "image"
)

// sniff names what b really is, "" when it is none of the kinds above.
func sniff(b []byte) string {
	switch {
	case isPE(b):
		return kindPE
	case bytes.HasPrefix(b, []byte("\x7fELF")):
		return kindELF
	case len(b) >= 8 && isMachO(b):
		return kindMachO
	case bytes.HasPrefix(b, []byte{0xCA, 0xFE, 0xBA, 0xBE}):
		return kindJava
	case bytes.HasPrefix(b, []byte{0x4C, 0, 0, 0, 0x01, 0x14, 0x02, 0}):
		return kindLNK
	case bytes.HasPrefix(b, []byte("ITSF")):
		return kindCHM
	case len(b) > 0x8006 && (string(b[0x8001:0x8006]) == "CD001" || string(b[0x8001:0x8006]) == "BEA01"):
		return kindISO
	case bytes.HasPrefix(b, []byte{0xE4, 0x52, 0x5C, 0x7B, 0x8C, 0xD8, 0xA7, 0x4D, 0xAE, 0xB1, 0x53, 0x78, 0xD0, 0x29, 0x96, 0xD3}):
		return kindOneNote
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return kindPDF
	case bytes.HasPrefix(b, []byte("PK\x03\x04")), bytes.HasPrefix(b, []byte("PK\x05\x06")):
		return kindZip
	case bytes.HasPrefix(b, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return kindOLE
	case bytes.HasPrefix(b, []byte("Rar!\x1a\x07")):
		return kindRar
	case bytes.HasPrefix(b, []byte{'7', 'z', 0xBC, 0xAF, 0x27, 0x1C}):
		return kind7z
	case bytes.HasPrefix(b, []byte{0x1F, 0x8B}):
		return kindGzip
	case bytes.HasPrefix(b, []byte(`{\rt`)):
		return kindRTF
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")), bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}),
		bytes.HasPrefix(b, []byte("GIF87a")), bytes.HasPrefix(b, []byte("GIF89a")),
		bytes.HasPrefix(b, []byte("II*\x00")), bytes.HasPrefix(b, []byte("MM\x00*")),
		len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP":
		return kindImage
	}
	return ""
}

// isPE wants "MZ" and either a "PE\0\0" header where e_lfanew points or the
// DOS stub text, so that a text file starting with "MZ" is not an executable.
func isPE(b []byte) bool {
	if !bytes.HasPrefix(b, []byte("MZ")) {
		return false
	}
	if len(b) >= 0x40 {
		off := int(binary.LittleEndian.Uint32(b[0x3C:0x40]))
		if off > 0 && off < len(b)-4 && off < 1<<16 && string(b[off:off+4]) == "PE\x00\x00" {
			return true
		}
	}
	return bytes.Contains(b[:min(len(b), 512)], []byte("This program cannot be run in DOS mode"))
}

func isMachO(b []byte) bool {
	switch binary.BigEndian.Uint32(b) {
	case 0xFEEDFACE, 0xFEEDFACF, 0xCEFAEDFE, 0xCFFAEDFE:
		return true
	case 0xCAFEBABE:
		// Universal binaries share the Java class magic; a small architecture
		// count tells them apart from a class file's version number.
		return binary.BigEndian.Uint32(b[4:]) < 20
	}
	return false
}

func isExecutableKind(k string) bool {
	return k == kindPE || k == kindELF || k == kindMachO || k == kindJava
}

// Extension classes. A mail client or Windows runs these when opened.
var (
	execExts = set("exe", "scr", "com", "pif", "dll", "cpl", "sys", "drv", "ocx", "msi", "msp", "mst",
		"xll", "jar", "appx", "appxbundle", "msix", "msixbundle", "application", "gadget", "apk", "dmg",
		"pkg", "app", "jnlp", "xbap")
	scriptExts = set("js", "jse", "vbs", "vbe", "wsf", "wsh", "wsc", "sct", "hta", "ps1", "psm1", "psd1",
		"ps1xml", "psc1", "bat", "cmd", "vb", "msc", "reg", "inf", "chm", "hlp", "ws")
	shortcutExts = set("lnk", "url", "scf", "library-ms", "search-ms", "searchconnector-ms",
		"settingcontent-ms", "website", "appref-ms", "desktop", "webloc", "inetloc")
	riskyContainerExts = set("iso", "img", "vhd", "vhdx", "udf", "one", "onepkg")
	// decoyExts are what an attacker wants a file to look like.
	decoyExts = set("pdf", "doc", "docx", "docm", "xls", "xlsx", "xlsm", "ppt", "pptx", "rtf", "odt",
		"ods", "txt", "csv", "jpg", "jpeg", "png", "gif", "bmp", "tif", "tiff", "webp", "mp3", "mp4",
		"wav", "avi", "mov", "zip", "rar", "7z", "htm", "html", "eml", "msg", "xml", "json", "ics")
)

// extFamily maps an extension to the content family it promises, for the
// type-mismatch check. Extensions whose content may legitimately vary are
// absent.
var extFamily = map[string]string{
	"pdf": kindPDF, "png": kindImage, "jpg": kindImage, "jpeg": kindImage, "gif": kindImage,
	"tif": kindImage, "tiff": kindImage, "webp": kindImage,
	"zip": kindZip, "docx": kindZip, "docm": kindZip, "xlsx": kindZip, "xlsm": kindZip,
	"pptx": kindZip, "pptm": kindZip, "odt": kindZip, "ods": kindZip, "odp": kindZip,
	"doc": kindOLE, "xls": kindOLE, "ppt": kindOLE, "msg": kindOLE,
	"rar": kindRar, "7z": kind7z, "gz": kindGzip, "tgz": kindGzip, "rtf": kindRTF,
}

// sameFamily allows the swaps that honest software makes: an encrypted
// OOXML file is an OLE container, a ".doc" is often really a docx, and
// Word saves "documents" as RTF.
func sameFamily(a, b string) bool {
	if a == b {
		return true
	}
	office := func(k string) bool { return k == kindZip || k == kindOLE || k == kindRTF }
	return office(a) && office(b)
}

// declaredFamily maps a declared MIME type to the family it promises.
func declaredFamily(t string) string {
	switch {
	case t == "application/pdf":
		return kindPDF
	case strings.HasPrefix(t, "image/") && t != "image/svg+xml":
		return kindImage
	case t == "application/msword", t == "application/vnd.ms-excel", t == "application/vnd.ms-powerpoint":
		return kindOLE
	case strings.HasPrefix(t, "application/vnd.openxmlformats-officedocument."):
		return kindZip
	case strings.HasPrefix(t, "text/"):
		return "text"
	}
	return ""
}

func set(xs ...string) map[string]bool {
	m := make(map[string]bool, len(xs))
	for _, x := range xs {
		m[x] = true
	}
	return m
}
