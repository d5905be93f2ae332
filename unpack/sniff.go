package unpack

import (
	"bytes"
	"errors"
	"strings"

	"github.com/kensa-milter/kensa/message"
)

// errUnsupported marks a container we recognise but cannot open.
var errUnsupported = errors.New("unpack: unsupported container")

// kind is one container format: how to recognise it and how to open it.
type kind struct {
	name  string
	match func(p *message.Part) bool
	open  func(c *container) error
}

func magic(prefix string) func(p *message.Part) bool {
	return func(p *message.Part) bool { return bytes.HasPrefix(p.Content, []byte(prefix)) }
}

// kinds is read-only: the formats Expand opens, most specific first.
var kinds = []kind{
	{"zip", isZip, openZip},
	{"7z", magic("7z\xBC\xAF\x27\x1C"), open7z},
	{"rar", magic("Rar!\x1A\x07"), openRar},
	{"gzip", magic("\x1F\x8B"), openGzip},
	{"bzip2", isBzip2, openBzip2},
	{"xz", magic("\xFD7zXZ\x00"), openXz},
	{"zstd", magic("\x28\xB5\x2F\xFD"), openZstd},
	{"tar", isTar, openTar},
	{"ole", magic("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), openOLE},
	{"pdf", isPDF, openPDF},
	{"rtf", isRTF, openRTF},
	{"onenote", magic(oneNoteFileGUID), openOneNote},
	{"iso", isISO, openISO},
	{"udf", isUDFOnly, unsupported("UDF image without an ISO 9660 directory")},
	{"vhd", isVHD, unsupported("VHD/VHDX disk image")},
	{"eml", isMail, openMail},
}

// sniff returns the container kind of p, or nil.
func sniff(p *message.Part) *kind {
	if len(p.Content) < 4 {
		return nil
	}
	for i := range kinds {
		if kinds[i].match(p) {
			return &kinds[i]
		}
	}
	return nil
}

func unsupported(what string) func(c *container) error {
	return func(c *container) error { return errors.Join(errUnsupported, errors.New("unpack: "+what)) }
}

func isZip(p *message.Part) bool {
	b := p.Content
	return bytes.HasPrefix(b, []byte("PK\x03\x04")) || bytes.HasPrefix(b, []byte("PK\x05\x06")) ||
		bytes.HasPrefix(b, []byte("PK\x07\x08PK\x03\x04"))
}

func isBzip2(p *message.Part) bool {
	b := p.Content
	return len(b) >= 10 && bytes.HasPrefix(b, []byte("BZh")) && b[3] >= '1' && b[3] <= '9' &&
		bytes.HasPrefix(b[4:], []byte("\x31\x41\x59\x26\x53\x59"))
}

func isTar(p *message.Part) bool {
	b := p.Content
	return len(b) >= 512 && (bytes.Equal(b[257:262], []byte("ustar")))
}

func isPDF(p *message.Part) bool {
	b := p.Content
	if len(b) > 1024 {
		b = b[:1024]
	}
	return bytes.Contains(b, []byte("%PDF-"))
}

func isRTF(p *message.Part) bool {
	b := bytes.TrimLeft(p.Content, " \t\r\n\xEF\xBB\xBF")
	return bytes.HasPrefix(b, []byte(`{\rt`))
}

// ISO 9660 volume descriptors start at sector 16 (byte 32768).
func isISO(p *message.Part) bool {
	b := p.Content
	return len(b) >= 32774 && string(b[32769:32774]) == "CD001"
}

// isUDFOnly spots the UDF volume recognition sequence ("NSR02"/"NSR03")
// on an image that has no ISO 9660 descriptor.
func isUDFOnly(p *message.Part) bool {
	b := p.Content
	if isISO(p) {
		return false
	}
	for off := 32768; off+6 <= len(b) && off < 32768+16*2048; off += 2048 {
		id := string(b[off+1 : off+6])
		if id == "NSR02" || id == "NSR03" {
			return true
		}
	}
	return false
}

func isVHD(p *message.Part) bool {
	b := p.Content
	if bytes.HasPrefix(b, []byte("vhdxfile")) || bytes.HasPrefix(b, []byte("conectix")) {
		return true
	}
	return len(b) >= 512 && bytes.HasPrefix(b[len(b)-512:], []byte("conectix"))
}

// isMail is a part that looks like a whole message but was not parsed as one:
// an .eml member of an archive, or an attachment declared as octet-stream.
func isMail(p *message.Part) bool {
	name := strings.ToLower(p.Filename)
	if !strings.HasSuffix(name, ".eml") && p.DeclaredType != "application/octet-stream" && p.DeclaredType != "" {
		return false
	}
	return looksLikeMail(p.Content)
}

// looksLikeMail wants at least two well-known header fields before the
// first empty line.
func looksLikeMail(b []byte) bool {
	if len(b) > 8192 {
		b = b[:8192]
	}
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

// detectType names the content type from magic bytes ("" for no content).
func detectType(b []byte) string {
	if b == nil {
		return ""
	}
	return message.DetectType(b)
}
