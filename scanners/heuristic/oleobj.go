package heuristic

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/kensa-milter/kensa/unpack"

	"github.com/kensa-milter/kensa/message"
)

// Equation Editor 3.0 (EQNEDT32.EXE) objects: the CVE-2017-11882 family.
// No honest mail needs one any more, so any is malicious. An object shows
// its class in several places, and droppers blank one or the other: the
// compound file's root CLSID, its "Equation Native" stream, its CompObj
// stream, the OLE1 header inside RTF \objdata and RTF's \objclass.

// equationCLSIDs are Equation.3's class IDs as stored (little-endian GUIDs):
// {0002CE02-0000-0000-C000-000000000046} and {0002CE03-...}.
var equationCLSIDs = [][]byte{
	{0x02, 0xCE, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46},
	{0x03, 0xCE, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x46},
}

func checkEquation(e *env, p *message.Part) []string {
	name := strings.ToLower(strings.TrimLeft(baseName(p.Path), "\x01\x02\x03\x05"))
	switch {
	case name == "equation native":
		return []string{"Equation Editor stream " + show(p.Path)}
	case name == "compobj" && containsLower(head(p), "equation.3"):
		return []string{"CompObj names Equation.3"}
	case strings.Contains(name, ".equation.") || strings.HasSuffix(name, ".equation"):
		return []string{"embedded object of class " + show(baseName(p.Path))}
	}
	if sniff(p) == kindOLE {
		if id := cfbRootCLSID(p.Content); id != nil {
			for _, c := range equationCLSIDs {
				if bytes.Equal(id, c) {
					return []string{"compound file of class Equation.3"}
				}
			}
		}
	}
	// An object's storage (an OLE attachment of an Outlook message, an
	// object embedded in a compound file): its class, which OLE starts.
	if p.OLEClass != "" {
		for _, c := range equationCLSIDs {
			if strings.EqualFold(p.OLEClass, clsidString(c)) {
				return []string{"OLE object of class Equation.3"}
			}
		}
	}
	if sniff(p) == kindRTF && containsLower(head(p), "objclass") {
		for _, class := range rtfGroups(head(p), `\objclass`, 100) {
			if strings.Contains(strings.ToLower(class), "equation") {
				return []string{"RTF object of class " + show(strings.TrimSpace(class))}
			}
		}
	}
	return nil
}

// cfbRootCLSID is the CLSID of a compound file's root entry, nil when the
// header does not lead to one.
func cfbRootCLSID(b []byte) []byte {
	if len(b) < 512 {
		return nil
	}
	shift := binary.LittleEndian.Uint16(b[0x1E:])
	if shift != 9 && shift != 12 {
		return nil
	}
	dir := int64(binary.LittleEndian.Uint32(b[0x30:]))
	off := (dir + 1) << shift
	if off <= 0 || off+0x60 > int64(len(b)) {
		return nil
	}
	return b[off+0x50 : off+0x60]
}

// clsidString spells a stored CLSID (a little-endian GUID) as
// "{0002CE02-0000-0000-C000-000000000046}".
func clsidString(b []byte) string {
	le := binary.LittleEndian
	return fmt.Sprintf("{%08X-%04X-%04X-%X-%X}", le.Uint32(b), le.Uint16(b[4:]), le.Uint16(b[6:]), b[8:10], b[10:16])
}

// rtfGroups returns the text of up to max groups that start with word (a
// control word such as \objclass), as Word reads it.
func rtfGroups(b []byte, word string, max int) []string {
	var out []string
	for _, g := range unpack.RTFGroups(b, word, max, maxInstr) {
		out = append(out, rtfText(b[g[0]:g[1]]))
	}
	return out
}
