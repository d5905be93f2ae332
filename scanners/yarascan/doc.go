// Package yarascan runs YARA rules over every part of a message. It is one
// of Kensa's two cgo packages (urls/internal/jpegluma is the other): it wraps
// github.com/hillu/go-yara/v4 (v4.2.4, for libyara 4.2).
//
// # Rules
//
// The rules are the embedded pack of package rules (Options.Builtin) plus the
// configured files and directories (*.yar and *.yara, searched recursively,
// in name order; names starting with "." are skipped). Each file is compiled
// on its own first, so that every broken file is reported with file:line;
// the good files are then compiled together and used. Each file gets its own
// namespace, so two files may use the same rule name; findings then name the
// rule "file:Rule" instead of "Rule".
//
// # External variables
//
// These externals are defined for every rule, at compile time and for every
// scan, so that public rule sets such as signature-base compile and work:
//
//	filename       string  the part's file name as the sender declared it ("" if none)
//	filepath       string  the part path, e.g. "2/invoice.zip/docs/x.docm"
//	extension      string  the file name's extension, lower-case with the dot (".docm"), "" if none;
//	                       trailing dots and spaces are ignored, as Windows ignores them
//	filetype       string  a short name for the detected type, from filetype.YARAName:
//	                       "EXE", "ELF", "PDF", "ZIP", "DOCX", "OLE", "LNK", "ISO", "HTML",
//	                       "TEXT", ... ("" if unknown)
//	owner          string  always ""
//
// and Kensa's own:
//
//	mime_type      string  the MIME type detected from the content's magic bytes
//	declared_type  string  the Content-Type the sender declared ("" inside archives)
//	sender_domain  string  the envelope sender's domain, lower-case ("" for the null sender)
//	part_depth     int     0 for parts of the top message, +1 per container or forwarded message
//
// String values end at their first NUL byte, as libyara reads them (the
// extension is taken from that same shortened name).
//
// Each part is scanned on its own with its own values. The whole raw message
// is scanned once more with filename, filepath, extension, declared_type and
// owner "", mime_type "message/rfc822", filetype "EML" (filetype.YARAName
// of that type), and part_depth 0; rules that want only the
// whole message can test filepath == "".
//
// # Rule metadata
//
//	severity  "malicious", "suspicious" or "info"    default "malicious"
//	score     integer (or a string holding one)       default 100 for malicious, 30 for suspicious, 0 for info
//	action    "accept", "tag", "quarantine", "reject", "discard" or "tempfail": asks the policy for
//	          that action whatever the score; default none
//	description  copied into the finding's Detail
//
// A rule without metadata is therefore a malicious finding with score 100.
// Metadata that cannot be read is reported as a compile warning and the
// default is used.
//
// # Findings
//
// A match becomes a Finding with Scanner "yara", ID the rule name and Part
// the part path ("" for the whole message). A rule is reported once per part.
// A match on the whole message is dropped when the same rule also matched a
// part: a text part appears in the raw message too, and its score must not
// count twice. For the same reason a match on a container (archive, document,
// disk image, forwarded message) is dropped when the same rule matched one of
// its members: stored zips, tars and ISO images carry their members' bytes
// as they are.
//
// Parts with the same bytes (message.SameContent) are read once when the
// rules read no external that differs between them (an inline logo sent
// twice, the same document in a zip and beside it): libyara's answer
// depends on nothing else, and each copy gets the findings under its own
// path. An external counts as read when its name appears as a word in a
// rule file (a file with the word "include" reads them all), so the same
// bytes sent under two types or names still meet every rule that looks at
// the type or the name.
//
// A container's bytes that are, byte for byte, bytes of one of its members
// (message.Part.Repeated, recorded by unpack: a stored zip member, the
// stored blocks of a deflated one, a tar, cpio, ISO or stored rar member, a PDF's
// unfiltered stream) are read in the member and left out of
// the container's scan, which reads the rest as libyara memory blocks at
// their own offsets, with the container's size as filesize (repeats.go).
// A rule set that may read places (offsets, string positions and counts,
// modules; readsPlaces) scans containers whole.
//
// A JPEG's entropy-coded data (its pixels, which no program shows as
// bytes) is left out of its scan the same way, unless Options.ImageData
// (yara.images: full) or readsPlaces says otherwise; everything else of
// the picture, and any JPEG the walk does not prove well-formed or that is
// opened as something else than a picture, is scanned whole (jpeg.go).
//
// A member's compressed data (message.Part.Packed, recorded by unpack: a
// zip member's deflate stream or a PDF stream's FlateDecode data that its
// inflater read to its end, every byte and no more, without error) is left
// out of the container's scan the same way, unless Options.PackedData
// (yara.packed: full) or readsPlaces says otherwise, and only when the
// container is opened as the archive or document it is (its names, its
// declared type) and its readings agree (packed.go).
//
// # Timeouts
//
// libyara counts timeouts in whole seconds and treats zero as "no limit", so
// the limit of each scan is the smaller of Options.Timeout and the time left
// before ctx's deadline, rounded up to a whole second (at least one). A scan
// that hits it returns an error wrapping context.DeadlineExceeded.
package yarascan
