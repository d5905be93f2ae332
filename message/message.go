package message

import (
	"strings"

	"github.com/kensa-milter/kensa/pdfsyntax"
)

// Envelope is what the MTA told us about the SMTP transaction. Every field is
// attacker-influenced except QueueID and ClientAddr.
type Envelope struct {
	QueueID    string
	ClientAddr string // IP address of the SMTP client, "" when local (pickup, sendmail -bs)
	ClientHost string
	Helo       string
	Sender     string   // envelope sender, without angle brackets; "" for the null sender
	Recipients []string // envelope recipients, without angle brackets
	AuthUser   string   // SASL login name when the client authenticated
}

// SenderDomain is the lower-cased domain of the envelope sender, or "".
func (e Envelope) SenderDomain() string { return domainOf(e.Sender) }

// Part is one decoded leaf of the message: a MIME leaf, a forwarded message's
// leaf, or (added by package unpack) a member of a container.
type Part struct {
	Path         string // "1", "2.1", "2/invoice.zip/docs/x.docm": stable, human-readable
	Filename     string // as declared by the sender; sanitise where displayed
	DeclaredType string // Content-Type from MIME, lower-case, without parameters ("" inside archives)
	DetectedType string // MIME type from magic bytes, e.g. "application/zip"
	Charset      string // declared charset of a text part, "" otherwise
	Content      []byte // decoded bytes; text parts are converted to UTF-8
	Depth        int    // 0 for MIME parts of the top message; +1 per container or forwarded message
	Encrypted    bool   // a member we could not open because it is encrypted
	Container    bool   // this part is itself a container whose members follow as parts
	// Signed marks an opaque-signed S/MIME part (smime.p7m) whose signed
	// content follows as parts (smime.go): its own bytes are CMS, read by
	// no client. When it is its message's root entity, Thunderbird,
	// Outlook and Apple Mail show that content as the message itself, so
	// its parts stand at the .p7m's own depth and its text is the body;
	// elsewhere they are one level down, as an attached message's are.
	Signed     bool
	UnlockedBy string // where the password that opened this encrypted container came from: "body", "subject", "filename", "attachment", "config"
	// Password is the password that opened this encrypted PDF (UnlockedBy
	// says where it came from), for readers that open the part again (the
	// code search) without finding passwords a second way. Never shown.
	Password string `json:"-"`
	// OLEClass is the class ID of an OLE object whose storage is not the
	// part's bytes (an OLE attachment of an Outlook message, an object
	// embedded in a compound file's storage: OLE starts the application
	// it names), as "{0002CE02-0000-0000-C000-000000000046}"; a compound
	// file's own class is in its bytes.
	OLEClass string
	// Ambiguous says how the tools that open this container disagree about
	// it, "" when they agree: two zips in one file, a member only the local
	// headers list, a Joliet name other than the ISO 9660 one. Every
	// reading's members are parts; this records that the readings differ.
	Ambiguous string
	// AltNames are the other names the part carries: other name and
	// filename parameters and fields, their values in other readings, and
	// each name cut at its first control character, as Windows cuts it.
	// Name checks look at all of them.
	AltNames []string
	// ShownBy is set when only some readings of the message show this
	// part and no reading shows every part (see Parse): it names the
	// readings that show it.
	ShownBy string
	// Inflated is what unpack inflated of the part's streams when it is a
	// PDF, for the code search, which reads the pages' streams again
	// (pdfsyntax.Inflated); nil for any other part.
	Inflated *pdfsyntax.Inflated `json:"-"`
	// ContentID is a MIME part's Content-ID without its angle brackets,
	// "" for none: what an HTML body's "cid:" images name.
	ContentID string `json:"-"`
	// Repeated are ranges of Content (in no set order) whose bytes are
	// equal, byte for byte, to bytes of the Content of one of this part's
	// members (a zip member stored, or the stored blocks of a deflated
	// one, a tar, cpio, ISO or stored rar member, a PDF's unfiltered
	// stream): read as part of that member, they need not be read here by a
	// scanner that reads every part and cannot tell the difference
	// (yarascan). Set by unpack, which compares the bytes; nil for most
	// parts.
	Repeated []Span `json:"-"`
	// Packed are ranges of Content that are a member's compressed data (a
	// zip member's deflate stream, a PDF stream's FlateDecode data) that
	// its inflater read to its end, every byte of the range and no more,
	// without error, into the Content of one of this part's members. No
	// program shows those bytes as bytes to its user when it opens the
	// container as what it is, and what they hold is read in the member,
	// so yarascan may leave them out of the container's scan (packed.go
	// there says when). Set by unpack; nil for most parts.
	Packed []Span `json:"-"`
}

// Span is a range of bytes: Len bytes from Off.
type Span struct{ Off, Len int }

// Problem is something that could not be read. Unscannable problems mean part
// of the message was not inspected; the others are defects worth a log line.
type Problem struct {
	Part        string // part path, "" for the whole message
	Reason      string // short stable identifier, e.g. "mime-parse", "limit-depth"
	Detail      string
	Unscannable bool
	Stack       string `json:"-"` // a recovered panic's stack: logged apart, never in Detail

	soft bool // another reading that reads this place may clear it (see mergeProblems)
}

// Message is a parsed message: its raw bytes, the headers that matter for
// logging, and every decoded part.
type Message struct {
	Raw       []byte
	Envelope  Envelope
	MessageID string
	Subject   string // decoded to UTF-8
	From      string // the From header, decoded
	To        string // the To and Cc headers, decoded, joined by ", " ("" for none)
	Origin    Origin // the fields that say who sent it, as written
	Parts     []*Part
	Problems  []Problem
	// Answered are attachments the verdict cache answered for, taken out
	// of Parts so that nothing scans them again; unpack still reads their
	// names and text for the passwords of locked archives beside them.
	Answered []*Part

	raw rawIndex // set by Parse, read by ScanRaw
}

// Origin is the header fields that say who sent a message, as written:
// unfolded but not decoded, because what an encoded word or a quote means
// depends on where it stands, which decoding loses. All attacker-chosen:
// at most MaxOriginFields values of each field are kept, each with runs of
// blanks made one blank and cut to MaxOriginBytes (its start and its end,
// where an address pushed out of sight stands).
type Origin struct {
	From, Sender, ReplyTo []string
	ReturnPath            string // the envelope sender a delivered message records
	ListID                bool   // a List-Id field: a mailing list sent it
}

// Bounds on Origin.
const (
	MaxOriginFields = 8
	MaxOriginBytes  = 4096
)

func origin(h *header) Origin {
	vals := func(name string) []string {
		var out []string
		for _, v := range h.values(name) {
			if len(out) == MaxOriginFields {
				break
			}
			out = append(out, originValue(v))
		}
		return out
	}
	o := Origin{From: vals("From"), Sender: vals("Sender"), ReplyTo: vals("Reply-To"), ListID: h.get("List-Id") != ""}
	if rp := vals("Return-Path"); len(rp) > 0 {
		o.ReturnPath = rp[0]
	}
	return o
}

// ReadOrigin reads the origin fields of the message raw holds (an
// attached one), as Parse reads the top message's, and its To and Cc
// decoded as Message.To. Only the header is read.
func ReadOrigin(raw []byte) (Origin, string) {
	h, _, _, _ := readHeader(raw, false)
	return origin(&h), toCc(&h)
}

// toCc is the To and Cc fields of h, decoded, joined by ", ".
func toCc(h *header) string {
	return decodeHeader(strings.Trim(h.get("To")+", "+h.get("Cc"), ", "))
}

// originValue makes runs of blanks one blank and keeps at most
// MaxOriginBytes: the start and the end, so that an address pushed far
// right stays.
func originValue(v string) string {
	half := MaxOriginBytes / 2
	blank := func(c byte) bool { return c == ' ' || c == '\t' }
	head := make([]byte, 0, half)
	i := 0
	for ; i < len(v) && len(head) < half; i++ {
		if blank(v[i]) && len(head) > 0 && head[len(head)-1] == ' ' {
			continue
		}
		head = append(head, v[i])
		if blank(v[i]) {
			head[len(head)-1] = ' '
		}
	}
	var tail []byte // reversed
	j := len(v)
	for ; j > i && len(tail) < half; j-- {
		c := v[j-1]
		if blank(c) {
			if len(tail) > 0 && tail[len(tail)-1] == ' ' {
				continue
			}
			c = ' '
		}
		tail = append(tail, c)
	}
	if j > i && !(len(head) > 0 && head[len(head)-1] == ' ') {
		head = append(head, ' ') // what was left out stands for a blank
	}
	for k := len(tail) - 1; k >= 0; k-- {
		if tail[k] == ' ' && len(head) > 0 && head[len(head)-1] == ' ' {
			continue
		}
		head = append(head, tail[k])
	}
	return strings.ToValidUTF8(string(head), "\uFFFD")
}

func domainOf(addr string) string {
	at := -1
	for i := len(addr) - 1; i >= 0; i-- {
		if addr[i] == '@' {
			at = i
			break
		}
	}
	if at < 0 {
		return ""
	}
	return toLowerASCII(addr[at+1:])
}

func toLowerASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

// Ext is the extension Windows opens a file by: that of the name's last
// element (either slash separates), lower-case, without the dot. Trailing
// dots and spaces are ignored, as Windows ignores them ("x.exe. " opens as
// x.exe).
func Ext(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimRight(strings.ToLower(name), ". ")
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return name[i+1:]
	}
	return ""
}
