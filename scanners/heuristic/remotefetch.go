package heuristic

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"regexp"
	"strconv"
	"strings"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/unpack"
	"github.com/kensa-milter/kensa/urls"
	"golang.org/x/net/html"
)

// Remote fetches: references that make Windows connect to a file share by
// itself, with no click on a program. A UNC path (\\host\share), its
// WebDAV form (\\host@SSL@443\DavWWWRoot) or a file://host URL makes
// Windows try SMB, then WebDAV, and log on with the user's NTLM hash. Only
// shares on hosts that look like the Internet count: a single-label name,
// a private address or an intranet suffix is a colleague's file server.

// shareHost is the host of a UNC path however written (\\host, //host,
// file://host, file:///\\host, file:\\host), without the WebDAV
// decorations (@SSL, @port); "" for anything else.
func shareHost(target string) string {
	t := strings.TrimSpace(target)
	if len(t) >= 5 && strings.EqualFold(t[:5], "file:") {
		t = t[5:]
		if lead := len(t) - len(strings.TrimLeft(t, `/\`)); lead == 3 && !strings.Contains(t[:lead], `\`) {
			return "" // file:///C:/x, file:///home/x: a local path
		}
	} else if len(t) < 2 || !strings.ContainsRune(`/\`, rune(t[0])) || !strings.ContainsRune(`/\`, rune(t[1])) {
		return ""
	}
	parts := strings.FieldsFunc(t, func(r rune) bool { return r == '/' || r == '\\' })
	if len(parts) >= 3 && (parts[0] == "?" || parts[0] == ".") && strings.EqualFold(parts[1], "unc") {
		parts = parts[2:] // \\?\UNC\host\share
	}
	if len(parts) == 0 {
		return ""
	}
	host, _, _ := strings.Cut(parts[0], "@") // host@SSL@443, host@80
	if len(host) == 2 && host[1] == ':' {
		return "" // a drive letter: file:///C:/x written file://C:/x
	}
	return strings.ToLower(host)
}

// intranetSuffixes are names only an internal DNS answers for.
var intranetSuffixes = []string{".local", ".lan", ".internal", ".intranet", ".corp", ".home.arpa", ".localdomain", ".localhost"}

// internetShare says whether target is a UNC path on a host that looks
// like the Internet, and returns the host.
func internetShare(target string) (string, bool) {
	h := shareHost(target)
	if h == "" || h == "localhost" {
		return "", false
	}
	if a, err := netip.ParseAddr(strings.Trim(h, "[]")); err == nil {
		return h, !(a.IsPrivate() || a.IsLoopback() || a.IsLinkLocalUnicast() || a.IsUnspecified())
	}
	if obfuscatedIP(h) {
		return h, true // \\3405803783\s: Windows reads a number as an IPv4 address
	}
	if !strings.Contains(strings.TrimSuffix(h, "."), ".") {
		return "", false // NetBIOS name: \\fileserver
	}
	for _, s := range intranetSuffixes {
		if strings.HasSuffix(strings.TrimSuffix(h, "."), s) {
			return "", false
		}
	}
	return h, true
}

func checkRemoteFetch(e *env, p *message.Part) []string {
	name := baseName(p.Path)
	switch {
	case hasPrefixFold(name, "__substg1.0_8"):
		return msgReminder(e, p)
	case p.DeclaredType == "application/ms-tnef" || p.DeclaredType == "application/vnd.ms-tnef" ||
		len(p.Content) >= 4 && binary.LittleEndian.Uint32(p.Content) == 0x223E9F78:
		return tnefReminder(p)
	case strings.EqualFold(strings.TrimLeft(name, "\x01"), "ole"):
		// A linked OLE object's source (a file moniker's path, a URL
		// moniker's file://host): Office reaches for it to update the
		// link, as CVE-2017-0199's URL moniker is fetched.
		var out []string
		for _, src := range oleLinkSources(p) {
			if h, ok := internetShare(src); ok && len(out) < 20 {
				out = append(out, "linked OLE object loads from the share "+show(h))
			}
		}
		return out
	case strings.HasSuffix(p.Path, "/external-links"): // unpack: an .xls's external references
		var out []string
		for _, l := range strings.SplitN(string(head(p)), "\n", 1000) {
			if h, ok := internetShare(l); ok && len(out) < 20 {
				out = append(out, "workbook link loads from the share "+show(h))
			}
		}
		return out
	case strings.HasSuffix(p.Path, "/WordDocument"):
		var out []string
		eachBinaryWordField(head(p), func(instr string) bool {
			if s := fieldFetch(instr); s != "" {
				out = append(out, s)
			}
			return len(out) < 20
		})
		return out
	case sniff(p) == kindRTF:
		var out []string
		if e.hasLower(p, "fldinst") {
			out = fieldsFetch(rtfGroups(head(p), `\fldinst`, maxFields))
		}
		if e.hasLower(p, "pibname") || e.hasLower(p, "fillblipname") {
			out = append(out, rtfLinkedPictures(head(p))...)
		}
		if e.hasLower(p, "objdata") {
			for _, src := range unpack.RTFLinkedSources(head(p)) {
				if h, ok := internetShare(src); ok && len(out) < 20 {
					out = append(out, "linked OLE object loads from the share "+show(h))
				}
			}
		}
		return out
	case len(name) >= 5 && strings.EqualFold(name[len(name)-5:], ".rels"):
		return linkedImages(head(p))
	case strings.EqualFold(name, "desktop.ini") || message.Ext(p.Filename) == "url" || message.Ext(p.Filename) == "scf":
		return iniIcons(iniText(head(p)))
	case message.Ext(p.Filename) == "theme":
		return themeShares(iniText(head(p)))
	case e.isPDFPart(p):
		return pdfFetches(e, p)
	case urls.IsHTML(p):
		return htmlFetches(e, p)
	case isXMLPart(p, head(p)):
		var out []string
		if e.hasLower(p, "instr") {
			out = fieldsFetch(WordFields(head(p)))
		}
		if e.hasLower(p, "xlink:href") || e.hasLower(p, "file:") {
			out = append(out, odfLinks(head(p))...)
		}
		return out
	}
	return nil
}

// odfLinkKinds are the OpenDocument elements whose xlink:href LibreOffice
// loads into the document, by local name: pictures linked, not embedded
// (draw:image, draw:fill-image), a sheet linked to another file
// (table:table-source, which is also what an Excel workbook's external
// link becomes), an area linked to another file or a web page
// (table:cell-range-source) and a Writer section linked to another file
// (text:section-source, Word's INCLUDETEXT). Only a section counts from a
// web address too: what it loads becomes the text, as INCLUDETEXT's does.
var odfLinkKinds = map[string]struct {
	what string
	web  bool
}{
	"image": {"linked picture", false}, "fill-image": {"linked picture", false},
	"table-source": {"linked sheet", false}, "cell-range-source": {"linked cell range", false},
	"section-source": {"linked section", true},
}

// odfExternalRef is a reference to another file in an OpenDocument
// formula: the file's address in single quotes, then #.
var odfExternalRef = regexp.MustCompile(`'([^']{1,1000})'#`)

// odfLinks reads an OpenDocument part's links of odfLinkKinds and the
// references of its formulas to other files.
func odfLinks(b []byte) []string {
	var out []string
	eachElement(b, 100000, func(name string, attrs []byte) bool {
		if name == "table-cell" {
			// A formula's reference to a cell of another file, as
			// LibreOffice writes an Excel external link: ['file://h/s/b.xlsx'#$Sheet1.A1].
			for _, m := range odfExternalRef.FindAllStringSubmatch(xmlAttr(attrs, "formula"), 20) {
				if h, ok := internetShare(m[1]); ok && len(out) < 20 {
					out = append(out, "external reference loads from the share "+show(h))
				}
			}
			return len(out) < 20
		}
		k, ok := odfLinkKinds[name]
		if !ok {
			return true
		}
		href := xmlAttr(attrs, "href")
		if h, ok := internetShare(href); ok {
			out = append(out, k.what+" loads from the share "+show(h))
		} else if k.web && webTarget(href) {
			out = append(out, k.what+" loads "+show(href))
		}
		return len(out) < 20
	})
	return out
}

// blipLinkToFile is msoblipflagLinkToFile (MS-ODRAW 2.4.8): the picture
// named by pibName (fillBlipName) is linked, not stored in the document.
const blipLinkToFile = 0x08

// rtfLinkedPictures reads the shapes of an RTF document ({\shp{\*\shpinst
// ...}}, and {\*\picprop} of a picture, as Word writes them) whose
// picture or fill is linked: a {\sp{\sn pibName}{\sv path}} property
// with pibFlags (fillBlipName with fillBlipFlags) holding
// msoblipflagLinkToFile. Word loads it from a share as it shows the page.
func rtfLinkedPictures(b []byte) []string {
	var out []string
	for _, word := range []string{`\shpinst`, `\picprop`} {
		for _, g := range unpack.RTFGroups(b, word, 1000, len(b)) {
			props := rtfShapeProps(b[g[0]:g[1]])
			for _, pre := range []string{"pib", "fillblip"} {
				flags, _ := strconv.Atoi(props[pre+"flags"])
				if flags&blipLinkToFile == 0 {
					continue
				}
				if h, ok := internetShare(props[pre+"name"]); ok && len(out) < 20 {
					out = append(out, "linked picture loads from the share "+show(h))
				}
			}
		}
	}
	return out
}

// rtfShapeProps reads a shape's {\sp{\sn name}{\sv value}} properties as
// Word does (names in lower case; the last of a name wins).
func rtfShapeProps(b []byte) map[string]string {
	props := map[string]string{}
	for _, g := range unpack.RTFGroups(b, `\sp`, 1000, 64<<10) {
		sp := b[g[0]:g[1]]
		n, v := unpack.RTFGroups(sp, `\sn`, 1, 256), unpack.RTFGroups(sp, `\sv`, 1, maxInstr)
		if len(n) == 1 && len(v) == 1 {
			name := strings.ToLower(strings.TrimSpace(rtfText(sp[n[0][0]:n[0][1]])))
			props[name] = strings.TrimSpace(rtfText(sp[v[0][0]:v[0][1]]))
		}
	}
	return props
}

// fieldsFetch judges Word field instructions.
func fieldsFetch(instrs []string) []string {
	var out []string
	for _, instr := range instrs {
		if s := fieldFetch(instr); s != "" && len(out) < 20 {
			out = append(out, s)
		}
	}
	return out
}

// fieldFetch: a Word field that loads its source as the document opens or
// its fields update. INCLUDEPICTURE counts for a share only (a picture
// from a web site is a web beacon, as in any HTML mail); INCLUDETEXT and
// LINK also for a web address, since what they load becomes the document.
func fieldFetch(instr string) string {
	n := normalField(instr)
	word, rest, _ := strings.Cut(n, " ")
	switch word {
	case "includepicture", "includetext", "include", "link", "import":
	default:
		return ""
	}
	for _, arg := range strings.Fields(rest) {
		if strings.HasPrefix(arg, `\`) && !strings.HasPrefix(arg, `\\`) {
			continue // a switch
		}
		if h, ok := internetShare(arg); ok {
			return strings.ToUpper(word) + " field loads from the share " + show(h)
		}
		if word != "includepicture" && word != "import" && webTarget(arg) {
			return strings.ToUpper(word) + " field loads " + show(arg)
		}
	}
	return ""
}

// linkedImages: relationships of a picture linked, not embedded
// (TargetMode External), from a share: Office loads the picture as it
// shows the page; and an Excel workbook's external reference to another
// workbook on a share (externalLinkPath, in .xlsx and .xlsb alike), which
// Excel reaches for as it opens the workbook to update the cached values.
// Web addresses do not count here: a workbook linked to one on SharePoint
// is ordinary. remote-template speaks for templates, frames and objects.
func linkedImages(b []byte) []string {
	var out []string
	eachExternalRel(b, func(typ, target string) bool {
		what := ""
		switch {
		case strings.HasSuffix(typ, "/image"):
			what = "linked image"
		case strings.HasSuffix(typ, "/externallinkpath"), strings.HasSuffix(typ, "/xlexternallinkpath/xlpathmissing"):
			what = "workbook link" // Excel's external reference to another workbook
		default:
			return true
		}
		if h, ok := internetShare(target); ok {
			out = append(out, what+" loads from the share "+show(h))
		}
		return len(out) < 20
	})
	return out
}

// iniIcons: the icon a folder's desktop.ini, a .url or an .scf file names,
// which Explorer loads as it shows the folder.
func iniIcons(b []byte) []string {
	var out []string
	for n, line := range bytes.SplitN(b, []byte("\n"), 1000) {
		if n >= 1000 || len(out) >= 20 {
			break
		}
		k, v, ok := bytes.Cut(line, []byte("="))
		if !ok {
			continue
		}
		switch strings.ToLower(string(bytes.TrimSpace(k))) {
		case "iconfile", "iconresource":
			v, _, _ = bytes.Cut(v, []byte(","))
			if h, ok := internetShare(string(v)); ok {
				out = append(out, "icon loads from the share "+show(h))
			}
		}
	}
	return out
}

// iniText is an INI file's text: Windows reads one that starts with
// UTF-16LE's byte order mark as UTF-16 (desktop.ini is often written so).
func iniText(b []byte) []byte {
	if len(b) >= 2 && b[0] == 0xFF && b[1] == 0xFE {
		return []byte(message.UTF16LE(b[2:]))
	}
	return b
}

// themeShares: the shares a Windows .theme file loads from. Every value
// that names a file is loaded by the theme: its wallpaper and brand
// image as Explorer shows the file (CVE-2024-21320), its visual style
// (.msstyles, CVE-2023-38146), screen saver, cursors, icons and sounds
// as it is applied; so any value that is a share on the Internet counts.
func themeShares(b []byte) []string {
	var out []string
	for n, line := range bytes.SplitN(b, []byte("\n"), 1000) {
		if n >= 1000 || len(out) >= 20 {
			break
		}
		k, v, ok := bytes.Cut(line, []byte("="))
		if !ok {
			continue
		}
		v, _, _ = bytes.Cut(v, []byte(",")) // an icon's index
		if h, ok := internetShare(strings.Trim(string(v), "\" \t\r")); ok {
			out = append(out, "theme's "+show(string(bytes.TrimSpace(k)))+" loads from the share "+show(h))
		}
	}
	return out
}

// Named properties of an Outlook item (MS-OXPROPS 2.219, in PSETID_Common
// {00062008-0000-0000-C000-000000000046}): the reminder's sound file,
// which Outlook opens as the reminder fires (CVE-2023-23397).
var psetidCommon = [16]byte{0x08, 0x20, 0x06, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46}

const lidReminderFileParameter = 0x851F

func reminderFinding(file string) []string {
	if h, ok := internetShare(file); ok {
		return []string{"reminder sound (PidLidReminderFileParameter) loads from the share " + show(h)}
	}
	return nil
}

func tnefReminder(p *message.Part) []string {
	for _, s := range message.TNEFNamedStrings(p.Content) {
		if s.GUID == psetidCommon && s.LID == lidReminderFileParameter {
			if out := reminderFinding(s.Value); out != nil {
				return out
			}
		}
	}
	return nil
}

// msgNamedStream is a .msg property stream of a named property:
// __substg1.0_IIIITTTT, IIII from 0x8000, TTTT a string type.
var msgNamedStream = regexp.MustCompile(`(?i)^__substg1\.0_(8[0-9a-f]{3})(001f|001e)$`)

// msgReminder reads a .msg member that is a named string property's
// stream (unpack keeps the streams it does not present as members): the
// name map of the message, in __nameid_version1.0 at the root of the
// .msg (MS-OXMSG 2.2.3), says which property it is. Its entry stream has
// 8 bytes a property: the LID, then the property index << 16 | the GUID
// index << 1 | 1 for a string name; GUID index 3 is the GUID stream's
// first GUID, 1 and 2 the two sets the stream leaves out.
func msgReminder(e *env, p *message.Part) []string {
	m := msgNamedStream.FindStringSubmatch(baseName(p.Path))
	if m == nil {
		return nil
	}
	idx, _ := strconv.ParseUint(m[1], 16, 16)
	idx -= 0x8000
	v := string(p.Content)
	if strings.EqualFold(m[2], "001f") {
		v = message.UTF16LE(p.Content)
	}
	found := reminderFinding(strings.TrimRight(v, "\x00"))
	i := strings.Index(p.Path, "/__")
	if found == nil || i < 0 {
		return nil // most named properties hold no share: no need to look them up
	}
	root := strings.ToLower(p.Path[:i]) + "/__nameid_version1.0/__substg1.0_000"
	var guids, entries []byte
	for _, q := range e.m.Parts {
		switch strings.ToLower(q.Path) {
		case root + "20102":
			guids = q.Content
		case root + "30102":
			entries = q.Content
		}
	}
	le := binary.LittleEndian
	for k := 0; k+8 <= len(entries); k += 8 {
		lid, info := le.Uint32(entries[k:]), le.Uint32(entries[k+4:])
		if uint64(info>>16) != idx || info&1 != 0 || lid != lidReminderFileParameter {
			continue
		}
		g := int(info>>1&0x7FFF) - 3
		if g < 0 || 16*g+16 > len(guids) || [16]byte(guids[16*g:16*g+16]) != psetidCommon {
			return nil
		}
		return found
	}
	return nil
}

// fetchAttrs are the attributes whose address a mail client or browser
// loads as it shows the page, by element ("" for any).
var fetchAttrs = map[string][]string{
	"img": {"src", "srcset", "lowsrc", "dynsrc"}, "image": {"href", "src"}, "input": {"src"},
	"link": {"href"}, "script": {"src"}, "iframe": {"src"}, "frame": {"src"}, "embed": {"src"},
	"object": {"data"}, "video": {"src", "poster"}, "audio": {"src"}, "source": {"src", "srcset"},
	"track": {"src"}, "use": {"href"}, "bgsound": {"src"}, "imagedata": {"src"}, "fill": {"src"},
	"": {"background"},
}

// cssURL is a url() in a style sheet or style attribute.
var cssURL = regexp.MustCompile(`(?i)url\(\s*['"]?([^'")]+)`)

// monikerLink: a file link whose path goes on after a file name with "!"
// (file:///\\host\share\x.rtf!y): Outlook hands it to the composite
// moniker, which opens the remote file with no protected-view prompt
// (CVE-2024-21413).
var monikerLink = regexp.MustCompile(`\.[A-Za-z0-9]{1,8}!`)

// htmlFetches reads the addresses an HTML page loads by itself, and its
// MonikerLinks. A plain file: link to a share needs a click and is what
// Outlook makes of a typed intranet path; it does not count.
func htmlFetches(e *env, p *message.Part) []string {
	b := head(p)
	// A page opened from disk resolves //host/x to file://host/x; in a body
	// it is a web address without its scheme.
	fromDisk := e.isAttachment(p)
	if !mayNameShare(e, p, b, fromDisk) {
		return nil // most HTML: tokenized only when it may name a share
	}
	var out []string
	seen := map[string]bool{}
	add := func(what, ref string) {
		if strings.HasPrefix(ref, "//") && !fromDisk {
			return
		}
		if h, ok := internetShare(ref); ok && !seen[what+h] && len(out) < 20 {
			seen[what+h] = true
			out = append(out, what+" loads from the share "+show(h))
		}
	}
	z := html.NewTokenizer(bytes.NewReader(b))
	z.SetMaxBuf(1 << 20)
	style := false
	for i := 0; i < 1_000_000; i++ {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt == html.TextToken && style {
			for _, m := range cssURL.FindAllSubmatch(z.Text(), 100) {
				add("style sheet", string(m[1]))
			}
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			style = false
			continue
		}
		tag, hasAttr := z.TagName()
		el := string(tag)
		if i := strings.IndexByte(el, ':'); i >= 0 {
			el = el[i+1:] // VML in Outlook's HTML: v:imagedata, v:fill
		}
		style = el == "style"
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			key := string(k)
			if i := strings.IndexByte(key, ':'); i >= 0 {
				key = key[i+1:] // xlink:href
			}
			switch {
			case key == "style":
				for _, m := range cssURL.FindAllSubmatch(v, 100) {
					add("<"+el+"> style", string(m[1]))
				}
			case (el == "a" || el == "area") && key == "href":
				if monikerLink.Match(v) {
					add("MonikerLink", string(v))
				}
			case contains(fetchAttrs[el], key) || contains(fetchAttrs[""], key):
				for _, ref := range strings.Split(string(v), ",") { // srcset: "url 2x, url 1x"
					add("<"+el+" "+key+">", strings.TrimSpace(ref))
				}
			}
		}
	}
	return out
}

// backslashRef is a character reference to a backslash.
var backslashRef = regexp.MustCompile(`(?i)&#(0*92|x0*5c);?`)

// mayNameShare: b has a backslash pair, a file: URL, a backslash written
// as a character reference, or (in a page opened from disk) an address
// starting //.
func mayNameShare(e *env, p *message.Part, b []byte, fromDisk bool) bool {
	for _, s := range []string{`\\`, `\/`, `/\`, "file:", "&bsol"} {
		if e.hasLower(p, s) {
			return true
		}
	}
	if e.hasLower(p, "&#") && backslashRef.Match(b) {
		return true
	}
	if fromDisk {
		for _, s := range []string{`"//`, `'//`, `=//`, `(//`} {
			if e.hasLower(p, s) {
				return true
			}
		}
	}
	return false
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}
