package formats

import (
	"encoding/binary"
	"strings"

	"github.com/kensa-milter/kensa/internal/cryptkeys"
)

// Shortcut is a Windows shell link (.lnk, MS-SHLLINK) as Explorer writes
// one, and as the kits that make malicious ones do: the target as shell
// items (IDList), as LinkInfo's local path or network share, or only in
// the EnvironmentVariableDataBlock; the strings Unicode or ANSI. liblnk's
// lnkinfo reads what it writes as written (shelllink's tests).
type Shortcut struct {
	Target       string // C:\Windows\System32\cmd.exe, or \\server\share\file
	IDList       bool   // write a local Target as shell items (root, drive, file entries)
	LinkInfo     bool   // write Target in LinkInfo (local base path, or the share and its suffix)
	EnvTarget    string // an EnvironmentVariableDataBlock: %windir%\system32\cmd.exe
	Name         string // the description (a tooltip)
	RelativePath string
	WorkingDir   string
	Arguments    string
	IconLocation string
	IconIndex    int32
	IconEnv      string // an IconEnvironmentDataBlock
	ShowCommand  uint32 // 0 writes 1 (normal); 7 is minimized without focus
	ANSI         bool   // StringData in the ANSI code page (IsUnicode clear)
}

// LNK writes s.
func LNK(s Shortcut) []byte {
	le := binary.LittleEndian
	flags := uint32(0)
	if !s.ANSI {
		flags |= 1 << 7
	}
	var body []byte
	if s.IDList && s.Target != "" && !strings.HasPrefix(s.Target, `\\`) {
		flags |= 1 << 0
		ids := idList(s.Target)
		body = le.AppendUint16(body, uint16(len(ids)))
		body = append(body, ids...)
	}
	if s.LinkInfo && s.Target != "" {
		flags |= 1 << 1
		body = append(body, linkInfo(s.Target)...)
	}
	for i, str := range []string{s.Name, s.RelativePath, s.WorkingDir, s.Arguments, s.IconLocation} {
		if str == "" {
			continue
		}
		flags |= 1 << (2 + i)
		if s.ANSI {
			body = le.AppendUint16(body, uint16(len(str)))
			body = append(body, str...)
			continue
		}
		u := cryptkeys.UTF16LE(str)
		body = le.AppendUint16(body, uint16(len(u)/2))
		body = append(body, u...)
	}
	envBlock := func(sig uint32, target string) {
		body = le.AppendUint32(body, 0x314)
		body = le.AppendUint32(body, sig)
		ansi := make([]byte, 260)
		copy(ansi[:259], target)
		uni := make([]byte, 520)
		copy(uni[:518], cryptkeys.UTF16LE(target))
		body = append(append(body, ansi...), uni...)
	}
	if s.EnvTarget != "" {
		flags |= 1 << 9
		envBlock(0xA0000001, s.EnvTarget)
	}
	if s.IconEnv != "" {
		flags |= 1 << 14
		envBlock(0xA0000007, s.IconEnv)
	}
	body = le.AppendUint32(body, 0) // the TerminalBlock

	show := s.ShowCommand
	if show == 0 {
		show = 1
	}
	h := le.AppendUint32(nil, 0x4C)
	h = append(h, 0x01, 0x14, 0x02, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46)
	h = le.AppendUint32(h, flags)
	h = le.AppendUint32(h, 0x20)       // FILE_ATTRIBUTE_ARCHIVE
	h = append(h, make([]byte, 24)...) // creation, access and write times
	h = le.AppendUint32(h, 0)          // FileSize
	h = le.AppendUint32(h, uint32(s.IconIndex))
	h = le.AppendUint32(h, show)
	h = append(h, make([]byte, 2+2+4+4)...) // HotKey, reserved
	return append(h, body...)
}

// idList writes a local path as the shell items Explorer writes: My
// Computer, the drive, then a file entry for each name with its long name
// in a version 9 extension block. It ends with the TerminalID.
func idList(target string) []byte {
	le := binary.LittleEndian
	item := func(data []byte) []byte { return append(le.AppendUint16(nil, uint16(2+len(data))), data...) }
	// My Computer: {20D04FE0-3AEA-1069-A2D8-08002B30309D}.
	out := item([]byte{0x1F, 0x50, 0xE0, 0x4F, 0xD0, 0x20, 0xEA, 0x3A, 0x69, 0x10, 0xA2, 0xD8, 0x08, 0x00, 0x2B, 0x30, 0x30, 0x9D})
	parts := strings.Split(target, `\`)
	vol := append([]byte{0x2F}, parts[0]+`\`+"\x00"...)
	out = append(out, item(append(vol, make([]byte, 23-len(vol))...))...)
	for i, name := range parts[1:] {
		if name == "" {
			continue
		}
		file := i == len(parts)-2
		typ, attr := byte(0x31), uint16(0x10) // a directory
		if file {
			typ, attr = 0x32, 0x20
		}
		d := []byte{typ, 0}
		d = le.AppendUint32(d, 0)          // file size
		d = le.AppendUint32(d, 0x5A216000) // 2025-01-01 12:00 (FAT date and time)
		d = le.AppendUint16(d, attr)
		d = append(d, name+"\x00"...)
		if len(d)%2 == 1 {
			d = append(d, 0) // the extension block is 2-byte aligned in the item
		}
		start := 2 + len(d)
		ext := le.AppendUint16(nil, 0) // size, set below
		ext = le.AppendUint16(ext, 9)
		ext = le.AppendUint32(ext, 0xBEEF0004)
		ext = le.AppendUint32(ext, 0x5A216000) // creation
		ext = le.AppendUint32(ext, 0x5A216000) // access
		ext = le.AppendUint16(ext, 0x2E)       // the version indicator Windows 8 and later write
		ext = le.AppendUint16(ext, 0)
		ext = append(ext, make([]byte, 16)...) // the NTFS file reference, unknown
		ext = le.AppendUint16(ext, 0)          // no localized name
		ext = append(ext, make([]byte, 8)...)  // unknown (versions 8 and 9)
		ext = append(ext, cryptkeys.UTF16LE(name+"\x00")...)
		ext = le.AppendUint16(ext, uint16(start))
		le.PutUint16(ext, uint16(len(ext)))
		out = append(out, item(append(d, ext...))...)
	}
	return append(out, 0, 0)
}

// linkInfo writes LinkInfo with a local base path (a fixed drive without a
// label), or for a \\server\share\rest target the share in a
// CommonNetworkRelativeLink and rest as the common path suffix.
func linkInfo(target string) []byte {
	le := binary.LittleEndian
	const hdr = 0x1C
	var tail []byte
	var flags, volOff, localOff, netOff, suffixOff uint32
	if strings.HasPrefix(target, `\\`) {
		parts := strings.SplitN(target[2:], `\`, 3)
		share := `\\` + strings.Join(parts[:min(2, len(parts))], `\`)
		rest := ""
		if len(parts) == 3 {
			rest = parts[2]
		}
		flags, netOff = 2, hdr
		cn := le.AppendUint32(nil, 0) // size, set below
		cn = le.AppendUint32(cn, 2)   // ValidNetType
		cn = le.AppendUint32(cn, 0x14)
		cn = le.AppendUint32(cn, 0)          // no device name
		cn = le.AppendUint32(cn, 0x00020000) // WNNC_NET_LANMAN
		cn = append(cn, share+"\x00"...)
		le.PutUint32(cn, uint32(len(cn)))
		tail = append(cn, 0)
		suffixOff = hdr + uint32(len(tail))
		tail = append(tail, rest+"\x00"...)
	} else {
		flags, volOff = 1, hdr
		vol := le.AppendUint32(nil, 17)
		vol = le.AppendUint32(vol, 3)          // DRIVE_FIXED
		vol = le.AppendUint32(vol, 0x1C2A3B4D) // serial number
		vol = le.AppendUint32(vol, 0x10)
		tail = append(vol, 0)
		localOff = hdr + uint32(len(tail))
		tail = append(tail, target+"\x00"...)
		suffixOff = hdr + uint32(len(tail))
		tail = append(tail, 0)
	}
	out := le.AppendUint32(nil, uint32(hdr+len(tail)))
	for _, v := range []uint32{hdr, flags, volOff, localOff, netOff, suffixOff} {
		out = le.AppendUint32(out, v)
	}
	return append(out, tail...)
}
