package yarascan

import (
	"path"
	"strings"

	"github.com/kensa-milter/kensa/filetype"
	"github.com/kensa-milter/kensa/message"
)

// A member's compressed data in its container (message.Part.Packed,
// recorded by unpack: a zip member's deflate stream, a PDF stream's
// FlateDecode data, each read to its end by its inflater, every byte and
// no more, without error, into a member that is scanned) is Huffman-coded:
// an archiver, an office suite or a PDF reader that opens the container
// inflates those bytes and shows what they inflate to, never the bytes
// themselves. What they inflate to is scanned as the member. So, with
// yara.packed: trimmed, the container is scanned with that data left out
// (libyara's memory blocks, as for repeats and a JPEG's scan data, with
// the container's size as filesize). Everything else stays in: local and
// central headers, names, comments, data descriptors, bytes before,
// between and after members, stored members, streams with other filters,
// images and fonts a PDF's reading does not inflate, and every byte of a
// stream unpack had any doubt about (see unpack/packed.go).
//
// Who could read the compressed bytes as bytes is a program that opens the
// container as something else: a browser given a zip named .html (a
// polyglot), mshta given one named .hta, a script host. So the data is
// left out only of a container opened as what it is: its bytes a zip, an
// Office or OpenDocument package or a PDF, every name of it ending in an
// archive or document extension (or no name), its declared type none,
// application/octet-stream, its own or an archive's or document's; and
// only when the readings of the container agree (message.Part.Ambiguous
// empty): two central directories, a local header that names another
// member, a zip behind other data, and the container is scanned whole.

// packedExts are the extensions a zip or PDF opens with in an archiver, an
// office suite, a package installer or a PDF reader.
var packedExts = map[string]bool{"": true, ".zip": true, ".zipx": true, ".jar": true, ".war": true, ".ear": true, ".apk": true, ".aab": true,
	".xpi": true, ".epub": true, ".cbz": true, ".nupkg": true, ".vsix": true, ".whl": true, ".appx": true, ".appxbundle": true, ".msix": true, ".msixbundle": true,
	".docx": true, ".docm": true, ".dotx": true, ".dotm": true, ".xlsx": true, ".xlsm": true, ".xlsb": true, ".xltx": true, ".xltm": true, ".xlam": true,
	".pptx": true, ".pptm": true, ".potx": true, ".potm": true, ".ppsx": true, ".ppsm": true, ".ppam": true, ".sldx": true, ".sldm": true, ".thmx": true,
	".vsdx": true, ".vsdm": true, ".vstx": true, ".vssx": true, ".xps": true, ".oxps": true, ".3mf": true, ".kmz": true,
	".odt": true, ".ods": true, ".odp": true, ".odg": true, ".odf": true, ".odc": true, ".ott": true, ".ots": true, ".otp": true, ".otg": true,
	".pdf": true}

// packedTypes are the detected types whose packed data may be left out.
var packedTypes = map[string]bool{filetype.ZIP: true, filetype.DOCX: true, filetype.XLSX: true, filetype.PPTX: true, filetype.PDF: true}

// openedAsContainer says p is opened as the archive or document its bytes
// are (see above).
func openedAsContainer(p *message.Part) bool {
	if !packedTypes[p.DetectedType] && !strings.HasPrefix(p.DetectedType, filetype.ODFPrefix) {
		return false
	}
	if p.Ambiguous != "" {
		return false
	}
	switch d := p.DeclaredType; {
	case d == "", d == filetype.Binary, d == p.DetectedType, strings.HasPrefix(d, "application/vnd."),
		d == "application/zip", d == "application/x-zip-compressed", d == "application/x-zip", d == "application/java-archive",
		d == "application/x-java-archive", d == "application/epub+zip", d == "application/x-pdf":
	default:
		return false
	}
	for _, n := range append([]string{p.Filename}, p.AltNames...) {
		n = strings.TrimRight(cString(n), ". ")
		if i := strings.LastIndexAny(n, `/\`); i >= 0 {
			n = n[i+1:]
		}
		if !packedExts[strings.ToLower(path.Ext(n))] {
			return false
		}
	}
	return true
}

// packedOut says p's scan leaves out its members' compressed data.
func (s *Scanner) packedOut(p *message.Part) bool {
	return !s.whole && !s.packedData && len(p.Packed) > 0 && openedAsContainer(p)
}
