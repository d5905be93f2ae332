// Package message turns raw RFC 5322 bytes into a flat list of decoded parts.
// It reads header blocks (field.go) and Content-Type and
// Content-Disposition values (params.go) itself, as leniently as mail
// clients do; it is the only package that imports enmime, whose RFC 2047
// decoder it uses.
//
// # Part paths
//
// Every part has a Path that is stable for the same input and readable by a
// person. MIME parts are numbered like IMAP body sections:
//
//	"1"        the body of a message that is not multipart
//	"1", "2"   the children of a top-level multipart, in order
//	"2.1"      the first child of a multipart that is itself child "2"
//	"2.3.1"    and so on, one dotted number per multipart level
//
// Multipart nodes are structure, not parts: only their leaves appear. A
// child whose header cannot be read is kept whole under its number, so the
// numbers of its siblings do not move.
//
// A forwarded message (message/rfc822 or message/global; also a child of
// multipart/digest without a Content-Type) is a part of its own, with
// Container set and Content holding the embedded message's bytes, so that
// it is scanned whole. Its own parts follow it with "/" between the
// embedded message's path and their numbers, which restart at 1 inside it:
//
//	"2"        the message/rfc822 part
//	"2/1"      its body, if it is not multipart
//	"2/1", "2/2", "2/2.1"   its children, if it is multipart
//	"2/2/1"    a message forwarded inside the forwarded message
//
// Their Depth is one more than the embedded message part's. Package unpack
// continues the same way: "/" steps into a container and member names
// follow ("2/invoice.zip/docs/x.docm").
//
// # Splitting
//
// Multiparts are split here (split.go), not by enmime: a multipart body
// is a []byte, its delimiter lines are found with bytes.Index per RFC
// 2046 ("--" and the boundary at the start of a line, "--" more to close,
// blanks, then a line end or the end of input; the line break before a
// delimiter belongs to it; preamble and epilogue are not parts), and each
// child is a subslice of the input, not a copy. Every entity's header is
// read by readHeader (field.go). A nested multipart splits its own
// body again, and nesting stops at MaxNesting, so the splitter reads each
// byte a bounded number of times. A multipart with no delimiter line of its boundary is
// kept whole and unscannable; one whose close delimiter is missing keeps
// its last part to the end of the body, a defect.
//
// # Readings
//
// Where mail clients read a structural field differently (two
// Content-Type fields, a boundary given twice, junk after a delimiter,
// "=" inside base64, ...), Parse reads the message once more per choice
// that mattered, and once with all of them made the other way, bounded by
// maxReadings, and keeps the union of the parts (reading.go). A part only
// another reading shows has that reading's name before its path
// ("last-field:2"). When a reading shows an attachment the primary
// reading does not and no reading shows them all, the parts it hides get
// ShownBy. A part is unscannable only when no reading reads it.
//
// # Encodings inside bodies
//
// Files uuencoded, yEnc- or BinHex-encoded in a text part, and the
// attachments and bodies of a TNEF part (winmail.dat), are parts of their
// own below the part that carries them, numbered from 1 ("1/1", "2/2"),
// with Depth one more; that part becomes a Container (embedded.go,
// binhex.go, tnef.go). So is what an opaque-signed S/MIME part
// (smime.p7m: application/pkcs7-mime signed-data, DER or BER) carries, as
// the mail clients that show it read it: a MIME entity parsed like an
// attached message, or a signed file named without .p7m (smime.go); when
// the .p7m is its message's root, what it carries is the message a client
// shows, so its parts keep the .p7m's depth (Part.Signed).
// Every name a part carries is in Filename or AltNames.
//
// # Content
//
// This package decodes the parts' content, leniently and in one pass:
// base64 and quoted-printable (decode.go), RFC 2047 and RFC 2231 file
// names in any known charset (header.go, params.go), and body text (text/* without a file name or an attachment disposition) from
// its declared charset, or an HTML <meta> charset, to UTF-8 (charset.go).
// Attachments keep their decoded bytes exactly, since a mailer saves them
// unconverted. DeclaredType is the Content-Type without parameters (its
// RFC default when absent); DetectedType comes from the bytes
// (filetype.Detect, the one sniffer), and filetype.YARAName maps it to the
// names YARA rules use.
//
// # Problems
//
// Nothing is dropped silently. A malformed header or encoding that was
// still read is a defect (ReasonDefect); content that could not be decoded,
// and limits reached (MaxNesting, MaxDepth, MaxParts), are Problems with
// Unscannable set, naming the part. A part not opened because of a limit
// is still kept with its undecoded bytes.
//
// # Whole-message scans
//
// Parse notes where in Raw each base64 body lies that decoded without a
// problem (bodies of Raw itself: the top message, its nested multiparts
// and forwarded messages that were not themselves encoded). ScanRaw gives
// Raw with those bodies cut to their first lines, for a whole-message scan
// that need not read the same attachment twice, encoded and decoded.
package message
