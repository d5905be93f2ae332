// Package shelllink reads a Windows shortcut (.lnk, MS-SHLLINK): what it
// runs, with which arguments, from which folder, under which icon. Every
// field Windows may resolve the target from is kept (the LinkTargetIDList's
// shell items, LinkInfo's local base path and network share, the
// EnvironmentVariableDataBlock), so that a reader judging the shortcut sees
// each path Windows could run, not the one a tool shows first.
//
// Everything in the file is the sender's: every count and size is checked
// against the bytes that are there, every loop is bounded, and a file cut
// short gives what was read with ErrTruncated. It imports nothing of ours.
package shelllink

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"unicode/utf16"
)

// Link is what a shortcut says.
type Link struct {
	Flags       uint32 // LinkFlags
	ShowCommand uint32 // 1 normal, 3 maximized, 7 minimized (no window focus)
	IconIndex   int32

	// The target, as each structure gives it ("" where absent).
	IDListPath    string // the LinkTargetIDList's items joined: C:\Windows\System32\cmd.exe
	LocalBasePath string // LinkInfo's local path (its suffix joined)
	NetworkPath   string // LinkInfo's share and suffix: \\server\share\Report.xlsx
	EnvTarget     string // EnvironmentVariableDataBlock: %windir%\system32\cmd.exe

	// StringData.
	Name, RelativePath, WorkingDir, Arguments, IconLocation string
	IconEnv                                                 string // IconEnvironmentDataBlock

	// Other strings the shell items carry (a URI item's address, a
	// network item's description, ...), for the URL checks.
	Other []string
}

// Bounds. A shortcut Windows writes is a few kilobytes; these leave room
// for any honest one.
const (
	maxItems  = 64 // shell items in the LinkTargetIDList
	maxBlocks = 64 // ExtraData blocks
	maxOther  = 32 // other strings kept
	maxString = 4096
)

// LinkFlags (MS-SHLLINK 2.1.1).
const (
	HasLinkTargetIDList = 1 << 0
	HasLinkInfo         = 1 << 1
	HasName             = 1 << 2
	HasRelativePath     = 1 << 3
	HasWorkingDir       = 1 << 4
	HasArguments        = 1 << 5
	HasIconLocation     = 1 << 6
	IsUnicode           = 1 << 7
	ForceNoLinkInfo     = 1 << 8
	HasExpString        = 1 << 9
	HasExpIcon          = 1 << 14
)

// Errors.
var (
	ErrNotLink   = errors.New("not a shell link: no ShellLinkHeader")
	ErrTruncated = errors.New("shell link cut short")
)

// headerSize and linkCLSID open every shortcut.
const headerSize = 0x4C

var linkCLSID = []byte{0x01, 0x14, 0x02, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46}

// IsLink: b starts with a ShellLinkHeader.
func IsLink(b []byte) bool {
	return len(b) >= headerSize && binary.LittleEndian.Uint32(b) == headerSize && string(b[4:20]) == string(linkCLSID)
}

// Parse reads the shortcut b. On ErrTruncated the Link holds what was read
// before the end.
func Parse(b []byte) (*Link, error) {
	if !IsLink(b) {
		return nil, ErrNotLink
	}
	l := &Link{
		Flags:       binary.LittleEndian.Uint32(b[20:]),
		IconIndex:   int32(binary.LittleEndian.Uint32(b[56:])),
		ShowCommand: binary.LittleEndian.Uint32(b[60:]),
	}
	r := b[headerSize:]
	if l.Flags&HasLinkTargetIDList != 0 {
		if len(r) < 2 {
			return l, ErrTruncated
		}
		n := int(binary.LittleEndian.Uint16(r))
		if len(r) < 2+n {
			l.readIDList(r[2:])
			return l, ErrTruncated
		}
		l.readIDList(r[2 : 2+n])
		r = r[2+n:]
	}
	if l.Flags&HasLinkInfo != 0 {
		if len(r) < 4 {
			return l, ErrTruncated
		}
		n := int(binary.LittleEndian.Uint32(r))
		if n < 4 || n > len(r) {
			l.readLinkInfo(r)
			return l, ErrTruncated
		}
		l.readLinkInfo(r[:n])
		r = r[n:]
	}
	unicode := l.Flags&IsUnicode != 0
	for _, f := range []struct {
		flag uint32
		to   *string
	}{{HasName, &l.Name}, {HasRelativePath, &l.RelativePath}, {HasWorkingDir, &l.WorkingDir},
		{HasArguments, &l.Arguments}, {HasIconLocation, &l.IconLocation}} {
		if l.Flags&f.flag == 0 {
			continue
		}
		if len(r) < 2 {
			return l, ErrTruncated
		}
		n := int(binary.LittleEndian.Uint16(r))
		if unicode {
			n *= 2
		}
		r = r[2:]
		if n > len(r) {
			*f.to = decode(r, unicode)
			return l, ErrTruncated
		}
		*f.to = decode(r[:n], unicode)
		r = r[n:]
	}
	return l, l.readExtraData(r)
}

// readExtraData reads the ExtraData blocks up to the terminal block (a
// size below 4). A missing terminal block is no error: Windows reads such
// files.
func (l *Link) readExtraData(r []byte) error {
	for range maxBlocks {
		if len(r) < 4 {
			return nil
		}
		size := int(binary.LittleEndian.Uint32(r))
		if size < 8 {
			return nil // the terminal block
		}
		if size > len(r) {
			return ErrTruncated
		}
		blk := r[:size]
		switch binary.LittleEndian.Uint32(blk[4:]) {
		case 0xA0000001: // EnvironmentVariableDataBlock
			l.EnvTarget = envBlock(blk)
		case 0xA0000007: // IconEnvironmentDataBlock
			l.IconEnv = envBlock(blk)
		case 0xA000000C: // VistaAndAboveIDListDataBlock: an IDList Windows prefers
			if l.IDListPath == "" {
				l.readIDList(blk[8:])
			}
		}
		r = r[size:]
	}
	return nil
}

// envBlock: the target of an EnvironmentVariableDataBlock or
// IconEnvironmentDataBlock, the Unicode one when given (TargetAnsi, 260
// bytes, then TargetUnicode, 520 bytes).
func envBlock(blk []byte) string {
	b := blk[8:]
	ansi := cString(b[:min(len(b), 260)], false)
	if len(b) > 260 {
		if u := cString(b[260:min(len(b), 780)], true); u != "" {
			return u
		}
	}
	return ansi
}

// readLinkInfo reads LinkInfo (MS-SHLLINK 2.3): the local base path and
// the network share, each joined with the common path suffix, the
// Unicode forms when the header is long enough to give them.
func (l *Link) readLinkInfo(li []byte) {
	if len(li) < 0x1C {
		return
	}
	u32 := func(off int) int {
		if off+4 > len(li) {
			return 0
		}
		return int(binary.LittleEndian.Uint32(li[off:]))
	}
	at := func(off int, unicode bool) string {
		if off <= 0 || off >= len(li) {
			return ""
		}
		return cString(li[off:], unicode)
	}
	hdr, flags := u32(4), u32(8)
	suffix := at(u32(0x18), false)
	local := at(u32(0x10), false)
	if hdr >= 0x24 {
		if s := at(u32(0x20), true); s != "" {
			suffix = s
		}
		if s := at(u32(0x1C), true); s != "" {
			local = s
		}
	}
	if flags&1 != 0 && local != "" {
		l.LocalBasePath = joinPath(local, suffix)
	}
	if off := u32(0x14); flags&2 != 0 && off > 0 && off+0x14 <= len(li) {
		cn := li[off:]
		netOff := int(binary.LittleEndian.Uint32(cn[8:]))
		name := ""
		if netOff > 0 && netOff < len(cn) {
			name = cString(cn[netOff:], false)
		}
		if netOff > 0x14 && len(cn) >= 0x1C {
			if uo := int(binary.LittleEndian.Uint32(cn[0x14:])); uo > 0 && uo < len(cn) {
				if s := cString(cn[uo:], true); s != "" {
					name = s
				}
			}
		}
		if name != "" {
			l.NetworkPath = joinPath(name, suffix)
		}
	}
}

// readIDList joins the path the shell items of an IDList name: a drive
// (C:\), a network location (\\server\share), then file entries, each by
// its long name where its extension block gives one. Strings of other
// items are kept in Other.
func (l *Link) readIDList(b []byte) {
	var path string
	for range maxItems {
		if len(b) < 2 {
			break
		}
		n := int(binary.LittleEndian.Uint16(b))
		if n < 2 {
			break // the TerminalID
		}
		item := b[2:min(n, len(b))]
		b = b[min(n, len(b)):]
		if len(item) == 0 {
			continue
		}
		switch t := item[0]; {
		case t == 0x1F: // a root folder (My Computer, Control Panel, ...), a GUID
		case t&0x70 == 0x20 && len(item) > 1: // a volume: "C:\"
			path = cString(item[1:], false)
		case t&0x70 == 0x30 && len(item) > 12: // a file entry
			path = joinPath(path, fileEntryName(item))
		case t&0x70 == 0x40 && len(item) > 3: // a network location: \\server\share
			path = cString(item[3:], false)
		default:
			l.keepStrings(item)
		}
	}
	if path != "" {
		l.IDListPath = path
	}
}

// fileEntryName: a file entry shell item's name (after size, date and
// attributes: ANSI, or UTF-16 when bit 0x04 of its type is set), or the
// long name of its 0xBEEF0004 extension block.
func fileEntryName(item []byte) string {
	unicode := item[0]&0x04 != 0
	rest := item[12:]
	name := cString(rest, unicode)
	// The extension block follows the primary name, 2-byte aligned; find
	// its signature rather than trust the alignment.
	for i := 0; i+8 <= len(rest); i += 2 {
		if binary.LittleEndian.Uint32(rest[i+4:]) != 0xBEEF0004 {
			continue
		}
		ext := rest[i:]
		size := int(binary.LittleEndian.Uint16(ext))
		if size > len(ext) || size < 8 {
			break
		}
		ext = ext[:size]
		// The long name's offset by the block's version (libfwsi's
		// documentation of the 0xbeef0004 block).
		off := 0
		switch v := binary.LittleEndian.Uint16(ext[2:]); {
		case v >= 9:
			off = 46
		case v == 8:
			off = 42
		case v == 7:
			off = 38
		case v >= 3:
			off = 20
		}
		if off > 0 && off < len(ext) {
			if long := cString(ext[off:], true); long != "" {
				return long
			}
		}
		break
	}
	return name
}

// keepStrings keeps the printable runs of 8 characters or more, ASCII or
// UTF-16, of an item this reader does not know (a URI item's address).
func (l *Link) keepStrings(item []byte) {
	keep := func(s string) {
		if len(l.Other) < maxOther && len(s) >= 8 {
			l.Other = append(l.Other, s)
		}
	}
	var run []byte
	var wide []rune
	for i, c := range item {
		if c >= 0x20 && c < 0x7F {
			run = append(run, c)
		} else {
			keep(string(run))
			run = run[:0]
		}
		if i%2 == 1 {
			if r := rune(item[i-1]) | rune(c)<<8; r >= 0x20 && r != 0x7F && c == 0 {
				wide = append(wide, r)
			} else {
				keep(string(wide))
				wide = wide[:0]
			}
		}
	}
	keep(string(run))
	keep(string(wide))
}

// Targets are the paths Windows may run, each once: the environment
// block's (which Windows expands and prefers), the IDList's, LinkInfo's
// local and network paths, and the relative path.
func (l *Link) Targets() []string {
	var out []string
	for _, t := range []string{l.EnvTarget, l.IDListPath, l.LocalBasePath, l.NetworkPath, l.RelativePath} {
		if t != "" && !containsFold(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// Strings are every string the shortcut holds, targets first: what the
// URL checks read.
func (l *Link) Strings() []string {
	out := l.Targets()
	for _, s := range append([]string{l.Arguments, l.WorkingDir, l.IconLocation, l.IconEnv, l.Name}, l.Other...) {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

func containsFold(xs []string, x string) bool {
	for _, y := range xs {
		if strings.EqualFold(x, y) {
			return true
		}
	}
	return false
}

// joinPath joins a directory and a name with one backslash.
func joinPath(dir, name string) string {
	switch {
	case name == "":
		return dir
	case dir == "":
		return name
	case strings.HasSuffix(dir, `\`):
		return dir + name
	}
	return dir + `\` + name
}

// cString: b up to its NUL (UTF-16LE when unicode), at most maxString
// characters.
func cString(b []byte, unicode bool) string {
	if !unicode {
		if i := bytes.IndexByte(b, 0); i >= 0 {
			b = b[:i]
		}
		return decode(b[:min(len(b), maxString)], false)
	}
	n := 0
	for n+1 < len(b) && n < 2*maxString && (b[n] != 0 || b[n+1] != 0) {
		n += 2
	}
	return decode(b[:n], true)
}

// decode reads UTF-16LE, or ANSI as Windows-1252's Latin-1 part (the
// system code page of most senders; other code pages read their ASCII
// the same).
func decode(b []byte, unicode bool) string {
	if unicode {
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(b[2*i:])
		}
		return string(utf16.Decode(u))
	}
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}
