// Package message turns raw RFC 5322 bytes into a flat list of decoded parts.
// It is the only package that imports enmime.
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
// child that enmime had to skip still uses up its number, so the numbers
// of its siblings do not move.
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
// # Content
//
// enmime reads the headers and splits multiparts; this package decodes
// the rest, leniently and in one pass: base64 and quoted-printable
// (decode.go), RFC 2231 file names in any known charset (rfc2231.go), and
// body text (text/* without a file name or an attachment disposition) from
// its declared charset, or an HTML <meta> charset, to UTF-8 (charset.go).
// Attachments keep their decoded bytes exactly, since a mailer saves them
// unconverted. DeclaredType is the Content-Type without parameters (its
// RFC default when absent); DetectedType comes from the bytes
// (DetectType), and FileType maps it to the names YARA rules use.
//
// # Problems
//
// Nothing is dropped silently. A malformed header or encoding that was
// still read is a defect (ReasonDefect); content that could not be decoded,
// and limits reached (MaxNesting, MaxDepth, MaxParts), are Problems with
// Unscannable set, naming the part. A part not opened because of a limit
// is still kept with its undecoded bytes.
package message
