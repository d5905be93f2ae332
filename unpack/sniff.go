package unpack

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/kensa-milter/kensa/filetype"
	"github.com/kensa-milter/kensa/message"
)

// errUnsupported marks a container we recognise but cannot open.
var errUnsupported = errors.New("unpack: unsupported container")

// kind is one container format: the detected types it opens and how.
type kind struct {
	name  string
	match func(t string) bool
	open  func(c *container) error
}

func is(types ...string) func(t string) bool {
	return func(t string) bool { return slices.Contains(types, t) }
}

// kinds is read-only: the formats Expand opens, by the type filetype.Detect
// names (the one sniffer; a format it does not know cannot be opened here).
var kinds = []kind{
	{"zip", filetype.ZipBased, openZip},
	{"7z", is(filetype.SevenZ), open7z},
	{"rar", is(filetype.RAR), openRar},
	{"gzip", is(filetype.GZIP), openGzip},
	{"bzip2", is(filetype.BZIP2), openBzip2},
	{"xz", is(filetype.XZ), openXz},
	{"zstd", is(filetype.ZSTD), openZstd},
	{"tar", is(filetype.TAR), openTar},
	{"cab", is(filetype.CAB), openCab},
	{"xar", is(filetype.XAR), openXar},
	{"cpio", is(filetype.CPIO), openCpio},
	{"arj", is(filetype.ARJ), openArj},
	{"lzh", is(filetype.LZH), openLzh},
	{"compress", is(filetype.LZW), openCompress},
	{"lzip", is(filetype.LZIP), openLzip},
	{"lz4", is(filetype.LZ4), openLz4},
	{"refused", is(filetype.ACE, filetype.ZOO, filetype.ARC, filetype.StuffIt,
		filetype.ALZ, filetype.EGG, filetype.ZPAQ), openRefused},
	{"ole", is(filetype.OLE), openOLE},
	{"pdf", is(filetype.PDF), openPDF},
	{"rtf", is(filetype.RTF), openRTF},
	{"onenote", is(filetype.OneNote), openOneNote},
	{"iso", is(filetype.ISO), openISO},
	{"udf", is(filetype.UDF), openISO}, // UDF only: the same reader, its UDF tree
	{"vhd", is(filetype.VHD), openVHD},
	{"vhdx", is(filetype.VHDX), openVHDX},
	{"exfat", is(filetype.EXFAT), openRawDisk}, // a raw image (.img): macOS mounts it with a double click
}

// mailKind opens a part that is none of the above but reads as a message.
var mailKind = kind{"eml", nil, openMail}

// sniff returns the container kind of p, or nil.
func sniff(p *message.Part) *kind {
	if len(p.Content) < 4 {
		return nil
	}
	t := filetype.Detect(p.Content)
	for i := range kinds {
		if kinds[i].match(t) {
			return &kinds[i]
		}
	}
	if isMail(p) {
		return &mailKind
	}
	if isCalendar(p) {
		return &calendarKind
	}
	if isSavedPage(p) {
		return &savedPageKind
	}
	if isUTF16Page(p) {
		return &utf16PageKind
	}
	if isOfficeXML(p, t) {
		return &officeXMLKind
	}
	if isActiveMime(p) {
		return &activeMimeKind
	}
	if isDataMashup(p) {
		return &dataMashupKind
	}
	if t == filetype.Binary && archiveName(p.Filename) {
		return &namedArchiveKind
	}
	return nil
}

// openRefused refuses an archive format Kensa recognises and does not
// open: unsupported-container, never opaque clean bytes.
func openRefused(c *container) error {
	return fmt.Errorf("%w: %s archive %q (Kensa does not open this format)", errUnsupported, filetype.YARAName(filetype.Detect(c.part.Content)), c.part.Path)
}

// namedArchiveKind is a part named as an archive whose bytes are no format
// Kensa knows: a format it does not recognise, or one damaged so that the
// sniffer misses it while the archiver, which searches further, may not.
// It is unsupported-container, never opaque clean bytes.
var namedArchiveKind = kind{"named-archive", nil, func(c *container) error {
	return fmt.Errorf("%w: %q is named as an archive (%s) but its bytes are no format Kensa opens", errUnsupported, c.part.Path, cleanName(baseName(c.part.Filename)))
}}

// archiveExts are archive and compressor formats by extension, those Kensa
// opens (a damaged one) and those it does not: the ones malspam sends
// because gateways do not open them.
var archiveExts = map[string]bool{
	"zip": true, "rar": true, "7z": true, "arj": true, "lzh": true, "lha": true, "ace": true, "cab": true,
	"gz": true, "tgz": true, "bz2": true, "xz": true, "zst": true, "z": true, "lz": true, "lz4": true, "lzma": true,
	"arc": true, "zoo": true, "pak": true, "sit": true, "sitx": true, "alz": true, "egg": true, "zpaq": true,
	"ha": true, "uc2": true, "sqx": true, "cpt": true, "lzx": true, "pea": true, "kgb": true, "bh": true,
	"tar": true, "cpio": true, "xar": true, "iso": true, "img": true, "vhd": true, "vhdx": true, "udf": true,
}

// archiveName says name ends in an archive's extension, or a volume's
// (.r00, .a01, .z01, .001).
func archiveName(name string) bool {
	name = strings.ToLower(baseName(name))
	i := strings.LastIndexByte(name, '.')
	if i < 0 {
		return false
	}
	ext := name[i+1:]
	if archiveExts[ext] {
		return true
	}
	digits := func(s string) bool { return s != "" && strings.Trim(s, "0123456789") == "" }
	switch len(ext) {
	case 3:
		return digits(ext) || strings.ContainsRune("raz", rune(ext[0])) && digits(ext[1:])
	}
	return false
}

// zipWithinKind is the second reading of a file of another kind that
// holds a zip: 7-Zip and WinRAR open self-extracting programs and
// polyglots (a PDF or an image with a zip appended) as the zip they carry.
var zipWithinKind = kind{"zip", nil, openZipWithin}

// zipWithin returns zipWithinKind when p, of kind k (nil: none), may carry
// a zip after other data. Archives, documents and images of the other
// kinds hold their members in their own structure and are read that way.
func zipWithin(p *message.Part, k *kind) *kind {
	if k != nil && k.name != "pdf" && k != &namedArchiveKind {
		return nil
	}
	b := p.Content
	if len(b) < 31 {
		return nil
	}
	// No local header, no member to read: one search decides.
	if bytes.Contains(b[1:], []byte(sigLocal)) {
		return &zipWithinKind
	}
	return nil
}

// isMail is a part that looks like a whole message but was not parsed as one:
// an .eml member of an archive, or an attachment declared as octet-stream.
func isMail(p *message.Part) bool {
	name := strings.ToLower(p.Filename)
	if !strings.HasSuffix(name, ".eml") && p.DeclaredType != "application/octet-stream" && p.DeclaredType != "" {
		return false
	}
	return filetype.LooksLikeMail(p.Content)
}

// detectType names the content type ("" for no content).
func detectType(b []byte) string {
	if b == nil {
		return ""
	}
	return filetype.Detect(b)
}
