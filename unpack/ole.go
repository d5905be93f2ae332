package unpack

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/kensa-milter/kensa/message"
)

// openOLE adds every stream of a compound file (.doc, .xls, .ppt, .msg,
// vbaProject.bin) and what Office reads of them (openOffice).
func openOLE(c *container) error {
	r, err := openCFB(c.part.Content)
	if err != nil {
		return fmt.Errorf("ole: %w", err)
	}
	if isMsg(r.File) {
		return openMsg(c, r)
	}
	var streams []oleStream
	var storages []oleStorage
	for {
		f, err := r.Next()
		if err != nil {
			break // io.EOF or a broken directory: keep what we have
		}
		if f.FileInfo().IsDir() {
			if len(f.Path) < maxObjectNesting {
				storages = append(storages, newOLEStorage(strings.Join(append(append([]string{}, f.Path...), f.Name), "/"), f.ID()))
			}
			continue
		}
		if f.Size <= 0 {
			continue
		}
		name := strings.Join(append(append([]string{}, f.Path...), f.Name), "/")
		p, err := c.member(name, f, f.Size)
		if errors.Is(err, errStop) {
			return err
		}
		if err != nil && p == nil {
			c.w.problem(c.part, ReasonCorrupt, fmt.Sprintf("unpack: ole %q: stream %q: %v", c.part.Path, cleanName(name), err))
			continue
		}
		if p == nil {
			continue
		}
		streams = append(streams, oleStream{strings.ToLower(strings.Join(f.Path, "/")), f.Name, p.Content, p})
	}
	return c.openOffice(streams, storages)
}

// openOffice reads an Office compound file's streams as the application
// that opens it does, below c.part (the file, an OLE attachment of an
// Outlook message, or an embedded object's storage, whose storage is the
// root here): the file inside an OLE package object (Ole10Native),
// PowerPoint's VBA and embedded objects, encrypted documents opened with
// a known password, Excel 4.0 macro sheets and DDE links of a workbook
// stream, and the VBA source under "vba/". Each stream is already a member
// (its part). Each embedded object's storage (isObjectStorage) is then
// read the same way, as the root of a compound file of its own
// (openObject), and what lies in it is its, not this file's.
func (c *container) openOffice(streams []oleStream, storages []oleStorage) error {
	streams, objects := embeddedObjects(streams, storages)
	for _, d := range streams {
		if strings.TrimLeft(d.name, "\x01") != "Ole10Native" || len(d.data) <= 4 {
			continue
		}
		if name, data, ok := oleNative(d.data[4:]); ok {
			if c.addUnder(d.part, d.part.Path, name, data) == nil {
				return errStop
			}
			d.part.Container = true // the stream holds the file: scanners should know
		}
	}
	root := map[string][]byte{}
	for _, d := range streams {
		if d.dir == "" {
			root[d.name] = d.data
		}
	}
	// PowerPoint keeps VBA and embedded objects in the document stream.
	_, pptEncrypted := root["EncryptedSummary"] // read in openEncryptedOffice
	if doc, ok := root["PowerPoint Document"]; ok && !pptEncrypted {
		if err := c.addPPTStorages(doc, root["Current User"]); err != nil {
			return err
		}
	}
	// Encrypted documents, and Excel 4.0 macro sheets and DDE links of a
	// workbook stream (decrypted first when a known password opens it).
	if err := c.openEncryptedOffice(root); err != nil {
		return err
	}
	for _, d := range streams {
		if d.dir != "" || !strings.EqualFold(d.name, "Workbook") && !strings.EqualFold(d.name, "Book") {
			continue
		}
		wb := readXLM(d.data)
		if wb.Encrypted {
			plain, why := c.openEncryptedWorkbook(d.data)
			if plain == nil {
				c.w.problem(c.part, ReasonEncryptedDoc, why)
				continue
			}
			if !c.budget(int64(len(plain))) || c.addUnder(c.part, c.base, d.name+" (decrypted)", plain) == nil {
				return errStop
			}
			wb = readXLM(plain)
		}
		if err := c.addXLM(wb); err != nil {
			return err
		}
	}
	if err := c.addVBA(streams, c.part, c.base); err != nil {
		return err
	}
	for _, o := range objects {
		if err := c.openObject(o); err != nil {
			return err
		}
	}
	return nil
}

// oleStream is a stream of a compound file, by its storage path.
type oleStream struct {
	dir  string // lower-case storage path
	name string
	data []byte
	part *message.Part // the stream as a member
}

// addVBA adds the source of each VBA project among streams under base/vba
// (and stomped p-code under base/vba-pcode), below parent: each storage
// named VBA with a dir stream is a project.
func (c *container) addVBA(streams []oleStream, parent *message.Part, base string) error {
	for _, d := range streams {
		if !strings.EqualFold(d.name, "dir") || !(d.dir == "vba" || strings.HasSuffix(d.dir, "/vba")) {
			continue
		}
		dir, err := decompressVBA(d.data, 1<<20)
		if err != nil && len(dir) == 0 {
			c.w.problem(c.part, ReasonCorrupt, fmt.Sprintf("unpack: ole %q: VBA dir stream: %v", c.part.Path, err))
			continue
		}
		for _, mod := range vbaModules(dir) {
			for _, s := range streams {
				if s.dir != d.dir || !strings.EqualFold(s.name, mod.stream) || int(mod.offset) > len(s.data) {
					continue
				}
				src, err := decompressVBA(s.data[mod.offset:], int(c.w.lim.MaxMemberBytes))
				if err != nil && len(src) == 0 {
					c.w.problem(c.part, ReasonCorrupt, fmt.Sprintf("unpack: ole %q: VBA module %q: %v", c.part.Path, cleanName(mod.name), err))
					break
				}
				if !c.budget(int64(len(src))) {
					return errStop
				}
				if c.addUnder(parent, base+"/vba", mod.name, src) == nil {
					return errStop
				}
				if stomped := pcodeOnly(s.data[:mod.offset], src); stomped != "" {
					if !c.budget(int64(len(stomped))) || c.addUnder(parent, base+"/vba-pcode", mod.name, []byte(stomped)) == nil {
						return errStop
					}
				}
				break
			}
		}
	}
	return nil
}

// budget counts bytes produced outside read (decompressed VBA source)
// against the message total.
func (c *container) budget(n int64) bool {
	w := c.w
	if w.total+n > w.lim.MaxTotalBytes {
		w.stop(c.part, ReasonTotalSize, fmt.Sprintf("more than %d bytes expanded in the message", w.lim.MaxTotalBytes))
		return false
	}
	w.total += n
	return true
}

// oleNative reads an OLE1 "Package" native data block: the packaged file's
// label and contents. The layout is the Packager's, as documented in MS-OLEDS
// discussions: uint16 type, label\0, path\0, uint32, uint32 size, temp path\0,
// uint32 size, data.
func oleNative(b []byte) (string, []byte, bool) {
	if len(b) < 2 {
		return "", nil, false
	}
	p := 2
	cstr := func() (string, bool) {
		i := bytes.IndexByte(b[p:], 0)
		if i < 0 || i > 1024 {
			return "", false
		}
		s := string(b[p : p+i])
		p += i + 1
		return s, true
	}
	label, ok1 := cstr()
	_, ok2 := cstr() // original path
	if !ok1 || !ok2 || p+8 > len(b) {
		return "", nil, false
	}
	p += 4 // reserved (type of the following path)
	n := int(binary.LittleEndian.Uint32(b[p:]))
	p += 4
	if n < 0 || n > len(b)-p {
		return "", nil, false
	}
	tmp := string(bytes.TrimRight(b[p:p+n], "\x00"))
	p += n
	if p+4 > len(b) {
		return "", nil, false
	}
	size := int(binary.LittleEndian.Uint32(b[p:]))
	p += 4
	if size < 0 || size > len(b)-p {
		size = len(b) - p // keep what is there
	}
	name := label
	if name == "" {
		name = baseName(tmp)
	}
	if name == "" {
		name = "package"
	}
	return name, b[p : p+size], true
}

// addXLM adds a workbook's macro sheet listings under "xlm/", its DDE
// links as "dde-links", each line a formula the heuristics read, and the
// files its external references name as "external-links", one a line.
func (c *container) addXLM(wb XLMWorkbook) error {
	for _, name := range wb.Order {
		text := wb.Listings[name]
		if !c.budget(int64(len(text))) || c.addUnder(c.part, c.base+"/xlm", name, []byte(text)) == nil {
			return errStop
		}
	}
	if len(wb.DDE) > 0 {
		var sb strings.Builder
		for _, l := range wb.DDE {
			sb.WriteString(cleanXLM(l) + "\n")
		}
		if !c.budget(int64(sb.Len())) || c.addUnder(c.part, c.base, "dde-links", []byte(sb.String())) == nil {
			return errStop
		}
	}
	if len(wb.Web) > 0 {
		text := strings.Join(wb.Web, "\n") + "\n"
		if !c.budget(int64(len(text))) || c.addUnder(c.part, c.base, "web-formulas", []byte(text)) == nil {
			return errStop
		}
	}
	if len(wb.External) > 0 {
		text := strings.Join(wb.External, "\n") + "\n"
		if !c.budget(int64(len(text))) || c.addUnder(c.part, c.base, "external-links", []byte(text)) == nil {
			return errStop
		}
	}
	return nil
}

// VBAStompedHeader starts a "vba-pcode/" member: the strings of a module's
// compiled p-code that its source does not have. Office runs the p-code when
// the VBA version matches, so a module whose source was replaced ("VBA
// stomping") hides what runs; its p-code strings are what is left to scan.
const VBAStompedHeader = "' p-code strings missing from the source:\n"

// minPcodeString is the shortest p-code string worth comparing.
const minPcodeString = 6

// pcodeOnly returns the VBAStompedHeader and the p-code strings that the
// source lacks, or "" when the source accounts for its p-code.
func pcodeOnly(pcode, src []byte) string {
	// Real p-code also holds strings the source spells differently, so with
	// source that has procedures only strings that run something count.
	procs := vbaProcedure.Match(src)
	var missing []string
	seen := map[string]bool{}
	for i := 0; i < len(pcode) && len(missing) < 200; {
		j := i
		for j < len(pcode) && pcode[j] >= 0x20 && pcode[j] < 0x7F {
			j++
		}
		if j-i >= minPcodeString {
			s := string(pcode[i:j])
			if !seen[s] && hasLetters(s, 3) && !bytes.Contains(src, pcode[i:j]) && (!procs || runsSomething(s)) {
				seen[s] = true
				missing = append(missing, s)
			}
		}
		i = j + 1
	}
	if len(missing) == 0 {
		return ""
	}
	return VBAStompedHeader + strings.Join(missing, "\n") + "\n"
}

func hasLetters(s string, n int) bool {
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			n--
			if n == 0 {
				return true
			}
		}
	}
	return false
}

var (
	vbaProcedure = regexp.MustCompile(`(?im)^\s*(?:(?:public|private|friend)\s+)?(?:static\s+)?(?:sub|function|property\s+(?:get|let|set))\s+\w+`)
	runWords     = regexp.MustCompile(`(?i)shell|cmd|powershell|wscript|cscript|mshta|rundll32|regsvr32|certutil|bitsadmin|createobject|urldownload|xmlhttp|winhttp|adodb|https?://|\.exe|\.dll|\.ps1|\.vbs|\.js\b|\.hta`)
)

func runsSomething(s string) bool { return runWords.MatchString(s) }
