package corpus

import (
	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/internal/testmail"
	"github.com/kensa-milter/kensa/policy"
)

// Container tricks (issue 12): each way of hiding a file in a container
// from a gateway that reads it differently from 7-Zip, WinRAR, Windows
// Explorer or a PDF reader, crossed with several payloads, and each with a
// clean twin: the same trick around a harmless file, which must be accepted.

// payload is what a trick hides.
type payload struct {
	key    string // sample name suffix
	name   string // file name inside the container
	data   []byte
	action policy.Action
	// wants are the findings on the payload, given its path.
	wants   func(path string) []Want
	runOnly bool // carries the EICAR test string
}

func containerPayloads() []payload {
	return []payload{
		{key: "eicar-zip", name: "invoice.zip", data: zipOf(file{"invoice.com", []byte(testmail.EICAR())}), action: policy.Reject, runOnly: true,
			wants: func(p string) []Want { return []Want{w("yara", "Kensa_EICAR_Test_File", p+"/invoice.com")} }},
		{key: "fake-pe", name: "invoice.exe", data: fakePE("container trick"), action: policy.Quarantine,
			wants: func(p string) []Want { return []Want{w("heuristic", "executable-in-container", p)} }},
		{key: "script", name: "invoice.js", data: []byte(jsDropper), action: policy.Reject,
			wants: func(p string) []Want {
				return []Want{w("yara", "Kensa_Script_Dropper", p), w("heuristic", "executable-in-container", p)}
			}},
	}
}

// namedScript is a script that only its name gives away: no signature
// matches its text. It is the payload of the tricks that rename (a trick a
// gateway misses lets it through as text).
var namedScript = payload{key: "named-script", name: "invoice.js", data: []byte("var total = 42; // Kensa corpus: a script that only its name shows\r\n"),
	action: policy.Quarantine, wants: func(p string) []Want { return []Want{w("heuristic", "executable-in-container", p)} }}

// harmless is the clean twin's payload.
var harmless = payload{key: "clean", name: "notes.txt", data: []byte("Kensa corpus: meeting notes, nothing to run.\r\n")}

// containerTrick wraps a payload: the attachment it makes and the path of
// the payload inside the message. ambiguous says the trick is one tools
// read differently (container-ambiguous on part 2).
type containerTrick struct {
	name, about string
	ambiguous   bool
	build       func(p payload) (att node, path string)
	// noTwin: the clean twin is left out because the container alone is
	// flagged by design (any disk image is risky-container, which tags).
	noTwin bool
	// renames: tools show the payload under names with other extensions.
	renames bool
	// named: only the name shows what the payload is, so the trick is also
	// made with namedScript (as every renaming trick is).
	named bool
}

func containerTricks() []containerTrick {
	readme := file{"readme.txt", []byte("Kensa corpus: read me first.\r\n")}
	zipAtt := func(name string, b []byte) node { return attach("application/zip", name, b) }
	return []containerTrick{
		{"zip-concatenated", "two zips glued together; Explorer shows only the second, the payload is in the first", true,
			func(p payload) (node, string) {
				return zipAtt("documents.zip", append(zipOf(file{p.name, p.data}), zipOf(readme)...)), "2/documents.zip/" + p.name
			}, false, false, false},
		{"zip-prefixed", "a zip behind other data (as in a self-extracting program)", true,
			func(p payload) (node, string) {
				stub := []byte("Kensa corpus stand-in for a self-extractor stub: not a program.\r\n")
				return zipAtt("documents.zip", append(stub, zipOf(file{p.name, p.data})...)), "2/documents.zip/" + p.name
			}, false, false, false},
		{"zip-pdf-polyglot", "a PDF with a zip appended: a PDF reader shows a page, 7-Zip opens the zip", true,
			func(p payload) (node, string) {
				return attach("application/pdf", "statement.pdf", append(plainPDF("Statement"), zipOf(file{p.name, p.data})...)), "2/statement.pdf/" + p.name
			}, false, false, false},
		{"zip-deflate64", "a zip member packed with Deflate64, which Explorer writes for large files and 7-Zip and WinRAR read", false,
			func(p payload) (node, string) {
				return zipAtt("documents.zip", formats.Zip(formats.ZipEntry{Name: p.name, Data: p.data, Method: formats.ZipDeflate64})), "2/documents.zip/" + p.name
			}, false, false, false},
		{"zip-lzma", "a zip member packed with LZMA (7-Zip's -mm=LZMA, with an end marker), which 7-Zip, WinRAR and macOS read", false,
			func(p payload) (node, string) {
				return zipAtt("documents.zip", formats.Zip(formats.ZipEntry{Name: readme.name, Data: readme.data, Method: formats.ZipLZMA, Flags: 2},
					formats.ZipEntry{Name: p.name, Data: p.data, Method: formats.ZipLZMA, Flags: 2})), "2/documents.zip/" + p.name
			}, false, false, false},
		{"zip-local-only", "a zip member that only its local header lists, not the central directory", true,
			func(p payload) (node, string) {
				return zipAtt("documents.zip", formats.Zip(formats.ZipEntry{Name: readme.name, Data: readme.data},
					formats.ZipEntry{Name: p.name, Data: p.data, Hidden: true})), "2/documents.zip/" + p.name
			}, false, false, false},
		{"zip-local-name", "the local header names the payload, the central directory names it report.txt", true,
			func(p payload) (node, string) {
				// One part under the central name, the local one among its
				// AltNames: the name checks read both.
				central := "report-" + p.key + ".txt"
				return zipAtt("documents.zip", formats.Zip(formats.ZipEntry{Name: p.name, CentralName: central, Data: p.data})), "2/documents.zip/" + central
			}, false, true, false},
		{"zip-unicode-path", "the Info-ZIP Unicode Path extra field (the name 7-Zip, unzip and libarchive show) names the payload, the header field report.txt", false,
			func(p payload) (node, string) {
				header := "report-" + p.key + ".txt"
				return zipAtt("documents.zip", formats.Zip(formats.ZipEntry{Name: header, Extra: formats.UnicodePath(header, p.name), Data: p.data})), "2/documents.zip/" + header
			}, false, true, false},
		{"zip-nul-name", "a zip name with a NUL after the payload's name: 7-Zip, unzip and libarchive end the name there", true,
			func(p payload) (node, string) {
				return zipAtt("documents.zip", formats.Zip(formats.ZipEntry{Name: p.name + "\x00.txt", Data: p.data})), "2/documents.zip/" + p.name + ".txt"
			}, false, true, false},
		{"zip-folder-data", "a zip member named as a folder whose Unicode Path field names the payload: unzip and libarchive extract it as a file", false,
			func(p payload) (node, string) {
				return zipAtt("documents.zip", formats.Zip(formats.ZipEntry{Name: "docs/", Extra: formats.UnicodePath("docs/", p.name), Data: p.data})), "2/documents.zip/docs"
			}, true, true, false},
		{"tar-pre-posix", "an old (Unix V7) tar without the ustar magic", false,
			func(p payload) (node, string) {
				return attach("application/x-tar", "tools.tar", formats.TarV7(formats.File{Name: readme.name, Data: readme.data},
					formats.File{Name: "bin/" + p.name, Data: p.data})), "2/tools.tar/bin/" + p.name
			}, false, false, false},
		{"tar-contiguous", "a tar member of type 7 (contiguous file), which tar, bsdtar and 7-Zip extract as a file", false,
			func(p payload) (node, string) {
				return tarAtt(formats.TarEntry{Name: readme.name, Type: '0', Data: readme.data}, formats.TarEntry{Name: p.name, Type: '7', Data: p.data}), "2/tools.tar/" + p.name
			}, false, false, false},
		{"tar-unknown-type", "a tar member of a type no standard defines, which tar, bsdtar and 7-Zip extract as a file", false,
			func(p payload) (node, string) {
				return tarAtt(formats.TarEntry{Name: p.name, Type: 'Z', Data: p.data}), "2/tools.tar/" + p.name
			}, false, false, false},
		{"tar-pax-gnu-names", "a tar member with a GNU long name report.txt (what bsdtar shows) and a PAX path naming the payload (what GNU tar and 7-Zip show)", true,
			func(p payload) (node, string) {
				long := "report-" + p.key + ".txt"
				return tarAtt(formats.TarEntry{Name: "././@LongLink", Type: 'L', Data: []byte(long + "\x00"), Magic: "ustar  \x00"},
					formats.TarEntry{Name: "PaxHeader/x", Type: 'x', Data: formats.PAX("path", p.name)},
					formats.TarEntry{Name: "report.txt", Type: '0', Data: p.data}), "2/tools.tar/" + long
			}, false, true, false},
		{"tar-pax-global", "a tar whose global PAX header names the payload: GNU tar shows that name, the others the member's own, report.txt", true,
			func(p payload) (node, string) {
				own := "report-" + p.key + ".txt"
				return tarAtt(formats.TarEntry{Name: "pax_global_header", Type: 'g', Data: formats.PAX("path", p.name)},
					formats.TarEntry{Name: own, Type: '0', Data: p.data}), "2/tools.tar/" + own
			}, false, true, false},
		{"tar-pax-nul", "a tar whose PAX path has a NUL after the payload's name: archive/tar refuses it, bsdtar and GNU tar extract the payload", true,
			func(p payload) (node, string) {
				return tarAtt(formats.TarEntry{Name: "PaxHeader/x", Type: 'x', Data: formats.PAX("path", p.name+"\x00.txt")},
					formats.TarEntry{Name: "report.txt", Type: '0', Data: p.data}), "2/tools.tar/" + p.name
			}, true, true, false},
		{"rar-nul-name", "a RAR 4 name with a NUL after the payload's name: WinRAR and 7-Zip end the name there", true,
			func(p payload) (node, string) {
				return rarAtt(formats.RAR4(formats.File{Name: p.name + "\x00.txt", Data: p.data})), "2/documents.rar/" + p.name + ".txt"
			}, false, true, false},
		{"rar-broken-unicode", "a RAR 4 name whose Unicode part is broken: 7-Zip shows the OEM name, the payload's", false,
			func(p payload) (node, string) {
				return rarAtt(formats.RAR4Flags(0x200, formats.File{Name: p.name + "\x00\x01", Data: p.data})), "2/documents.rar/" + p.name
			}, false, false, true},
		{"gzip-header-name", "a gzip named after the payload whose header names report.txt: 7-Zip shows report.txt, gunzip and macOS save the payload's name", false,
			func(p payload) (node, string) {
				header := "report-" + p.key + ".txt"
				return attach("application/gzip", p.name+".gz", gzipOf(header, p.data)), "2/" + p.name + ".gz/" + header
			}, false, true, false},
		{"7z-folder-data", "a 7z item with data whose attributes say folder: 7-Zip and bsdtar extract it as a file", false,
			func(p payload) (node, string) {
				return attach("application/x-7z-compressed", "documents.7z", formats.SevenZip(p.name, p.data, 0x10)), "2/documents.7z/" + p.name
			}, false, false, true},
		{"cab-mszip", "a Windows cabinet (MSZIP), which Explorer opens as a folder with no tool installed", false,
			func(p payload) (node, string) {
				return attach("application/vnd.ms-cab-compressed", "documents.cab", formats.Cab(formats.CabMSZIP, formats.File{Name: p.name, Data: p.data})), "2/documents.cab/" + p.name
			}, false, false, true},
		{"xar-archive", "a xar archive (what macOS installer packages are; a .pkg is flagged by its name alone), which Archive Utility opens", false,
			func(p payload) (node, string) {
				return attach("application/octet-stream", "documents.xar", formats.Xar(formats.File{Name: readme.name, Data: readme.data},
					formats.File{Name: "Resources/" + p.name, Data: p.data})), "2/documents.xar/Resources/" + p.name
			}, false, false, false},
		{"cpio-archive", "a cpio archive (portable format), which macOS' Archive Utility opens", false,
			func(p payload) (node, string) {
				return attach("application/x-cpio", "documents.cpio", formats.Cpio(formats.File{Name: readme.name, Data: readme.data},
					formats.File{Name: "./" + p.name, Data: p.data})), "2/documents.cpio/" + p.name
			}, false, false, false},
		{"arj-archive", "an ARJ archive (stored), which gateways that do not read ARJ pass as opaque bytes; 7-Zip and WinRAR open it", false,
			func(p payload) (node, string) {
				return attach("application/octet-stream", "documents.arj", formats.Arj(formats.File{Name: readme.name, Data: readme.data},
					formats.File{Name: `docs\` + p.name, Data: p.data})), "2/documents.arj/docs/" + p.name
			}, false, false, false},
		{"arj-as-r00", "an ARJ archive named as a RAR volume (.r00): 7-Zip and WinRAR open it by its bytes", false,
			func(p payload) (node, string) {
				return attach("application/octet-stream", "documents.r00", formats.Arj(formats.File{Name: p.name, Data: p.data})), "2/documents.r00/" + p.name
			}, false, false, false},
		{"lzh-archive", "an LHA archive (.lzh, header level 2, the payload in a folder), which gateways that do not read LHA pass as opaque bytes; 7-Zip and WinRAR open it", false,
			func(p payload) (node, string) {
				return attach("application/octet-stream", "documents.lzh", formats.Lzh(2, formats.File{Name: readme.name, Data: readme.data},
					formats.File{Name: "docs/" + p.name, Data: p.data})), "2/documents.lzh/docs/" + p.name
			}, false, false, false},
		{"lzh-level0", "an LHA archive with level 0 headers (as old LHA writes), named .lha", false,
			func(p payload) (node, string) {
				return attach("application/octet-stream", "documents.lha", formats.Lzh(0, formats.File{Name: p.name, Data: p.data})), "2/documents.lha/" + p.name
			}, false, false, false},
		{"compress-z", "a Unix compress (.Z) stream, which gateways that do not read LZW pass as opaque bytes; 7-Zip, WinRAR and gzip open it", false,
			func(p payload) (node, string) {
				return attach("application/x-compress", p.name+".Z", formats.Compress(p.data, 16, true, false)), "2/" + p.name + ".Z/" + p.name
			}, false, false, false},
		{"lzip-stream", "an lzip (.lz) stream, which lzip and libarchive (bsdtar, file managers) open", false,
			func(p payload) (node, string) {
				return attach("application/x-lzip", p.name+".lz", formats.Lzip(p.data)), "2/" + p.name + ".lz/" + p.name
			}, false, false, false},
		{"lz4-frame", "an lz4 frame (.lz4), which lz4 and libarchive (bsdtar, file managers) open", false,
			func(p payload) (node, string) {
				return attach("application/octet-stream", p.name+".lz4", formats.Lz4(p.data)), "2/" + p.name + ".lz4/" + p.name
			}, false, false, false},
		{"pdf-escaped-filter", "a PDF attachment whose filter name is written with #xx escapes (/AS#43IIHexDecode)", false,
			pdfTrick("/Filter [/AS#43IIHexDecode]", formats.ASCIIHex), false, false, false},
		{"pdf-lzw", "a PDF attachment in an LZW-encoded stream", false,
			pdfTrick("/Filter /LZWDecode", func(b []byte) []byte { return formats.LZW(b, true) }), false, false, false},
		{"pdf-runlength", "a PDF attachment in a RunLength-encoded stream", false,
			pdfTrick("/Filter /RL", formats.RunLength), false, false, false},
		{"pdf-predictor", "a PDF attachment behind ASCII85, Flate and a PNG predictor", false,
			pdfTrick("/Filter [/A85 /Fl] /DecodeParms [null << /Predictor 12 /Columns 16 >>]",
				func(b []byte) []byte { return formats.ASCII85(formats.Zlib(formats.PNGUp(b, 16))) }), false, false, false},
		{"pdf-object-stream", "a PDF attachment named by a file specification inside an object stream", false,
			pdfObjStmTrick, false, false, false},
		{"pdf-permission-only", "a PDF attachment in a permission-only PDF (RC4-128, empty user password, as bank statements are): readers open it without asking", false,
			func(p payload) (node, string) {
				pdf := formats.PermissionOnlyPDF("",
					"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(a) 3 0 R] >> >> >>",
					"<< /Type /Pages /Kids [] /Count 0 >>",
					"<< /Type /Filespec /F ("+p.name+") /UF ("+p.name+") /EF << /F 4 0 R >> >>",
					formats.PDFStream("/Type /EmbeddedFile /Filter /FlateDecode", formats.Zlib(p.data)),
				)
				return attach("application/pdf", "statement.pdf", pdf), "2/statement.pdf/" + p.name
			}, false, false, false},
		{"iso-joliet-name", "an ISO whose Joliet name (what Windows shows) is the payload's, its ISO 9660 name README.TXT", true,
			func(p payload) (node, string) {
				return isoAtt(formats.ISOFile{ISO: "README.TXT", Joliet: p.name, Data: p.data}), "2/documents.iso/" + p.name
			}, true, true, false},
		{"iso-joliet-only", "an ISO whose payload only the Joliet tree lists", true,
			func(p payload) (node, string) {
				return isoAtt(formats.ISOFile{ISO: "README.TXT", Joliet: "readme.txt", Data: readme.data},
					formats.ISOFile{Joliet: p.name, Data: p.data}), "2/documents.iso/" + p.name
			}, true, false, false},
		{"iso-rockridge-name", "an ISO whose Rock Ridge name (what Linux shows) is the payload's, its Joliet name report.txt", true,
			func(p payload) (node, string) {
				return isoAtt(formats.ISOFile{ISO: "REPORT.TXT", RockRidge: p.name, Joliet: "report.txt", Data: p.data}), "2/documents.iso/report.txt"
			}, true, true, false},
		{"udf-image", "a UDF disc image (what Windows mounts) holding the payload", false,
			func(p payload) (node, string) {
				img := formats.UDF("DOCUMENTS", formats.File{Name: readme.name, Data: readme.data}, formats.File{Name: p.name, Data: p.data})
				return attach("application/octet-stream", "documents.img", img), "2/documents.img/" + p.name
			}, true, false, false},
		{"vhd-fixed", "a fixed VHD (Windows mounts it with a double click, and the files inside carry no Mark-of-the-Web) with an MBR and a FAT volume holding the payload", false,
			func(p payload) (node, string) {
				return attach("application/octet-stream", "documents.vhd", formats.VHDFixed(formats.Partitioned(fatOf(p), false, false))), "2/documents.vhd/" + p.name
			}, true, false, false},
		{"exfat-vhd", "a fixed VHD (Windows mounts it with a double click) with an MBR and an exFAT volume holding the payload in a folder", false,
			func(p payload) (node, string) {
				vol := formats.ExFAT(formats.ExFATOptions{Label: "DOCUMENTS"}, formats.File{Name: readme.name, Data: readme.data}, formats.File{Name: "docs/" + p.name, Data: p.data})
				return attach("application/octet-stream", "documents.vhd", formats.VHDFixed(formats.Partitioned(vol, false, false))), "2/documents.vhd/docs/" + p.name
			}, true, false, false},
		{"exfat-img", "a raw exFAT volume image (.img), which macOS mounts with a double click, its payload in one run of clusters (NoFatChain)", false,
			func(p payload) (node, string) {
				vol := formats.ExFAT(formats.ExFATOptions{Label: "DOCUMENTS", Contiguous: true}, formats.File{Name: p.name, Data: p.data})
				return attach("application/octet-stream", "documents.img", vol), "2/documents.img/" + p.name
			}, true, false, false},
		{"vhd-dynamic", "a dynamic (sparse) VHD with an MBR and a FAT volume holding the payload", false,
			func(p payload) (node, string) {
				return attach("application/octet-stream", "documents.vhd", formats.VHDDynamic(formats.Partitioned(fatOf(p), false, false))), "2/documents.vhd/" + p.name
			}, true, false, false},
		{"vhdx-gpt", "a VHDX with a GPT and a FAT volume holding the payload", false,
			func(p payload) (node, string) {
				return attach("application/octet-stream", "documents.vhdx", formats.VHDX(formats.Partitioned(fatOf(p), true, false))), "2/documents.vhdx/" + p.name
			}, true, false, false},
		{"vhdx-gpt-backup", "a VHDX whose primary GPT is damaged: Windows finds the partition in the backup GPT at the disk's end", false,
			func(p payload) (node, string) {
				return attach("application/octet-stream", "documents.vhdx", formats.VHDX(formats.Partitioned(fatOf(p), true, true))), "2/documents.vhdx/" + p.name
			}, true, false, false},
		{"vhd-hidden-folder", "a fixed VHD with no partition table (the volume from its first sector) holding a readme and, in a hidden folder, the payload", false,
			func(p payload) (node, string) {
				vol := formats.FAT("DOCUMENTS", formats.FATFile{Name: readme.name, Data: readme.data},
					formats.FATFile{Name: "data/" + p.name, Data: p.data, Hidden: true})
				return attach("application/octet-stream", "documents.vhd", formats.VHDFixed(vol)), "2/documents.vhd/data/" + p.name
			}, true, false, false},
	}
}

func rarAtt(b []byte) node { return attach("application/vnd.rar", "documents.rar", b) }

func tarAtt(entries ...formats.TarEntry) node {
	return attach("application/x-tar", "tools.tar", formats.Tar(entries...))
}

// fatOf is a FAT volume holding a readme and the payload.
func fatOf(p payload) []byte {
	return formats.FAT("DOCUMENTS", formats.FATFile{Name: "readme.txt", Data: []byte("Kensa corpus: read me first.\r\n")},
		formats.FATFile{Name: p.name, Data: p.data})
}

func isoAtt(files ...formats.ISOFile) node {
	return attach("application/x-iso9660-image", "documents.iso", formats.ISO("DOCUMENTS", files...))
}

// pdfTrick embeds the payload as a PDF attachment, encoded as filter says.
func pdfTrick(filter string, encode func([]byte) []byte) func(p payload) (node, string) {
	return func(p payload) (node, string) {
		pdf := formats.PDF(
			"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(a) 3 0 R] >> >> >>",
			"<< /Type /Pages /Kids [] /Count 0 >>",
			"<< /Type /Filespec /F ("+p.name+") /UF ("+p.name+") /EF << /F 4 0 R >> >>",
			formats.PDFStream("/Type /EmbeddedFile "+filter, encode(p.data)),
		)
		return attach("application/pdf", "statement.pdf", pdf), "2/statement.pdf/" + p.name
	}
}

// pdfObjStmTrick puts the file specification in a compressed object
// stream: only a reader that opens object streams learns the file's name.
func pdfObjStmTrick(p payload) (node, string) {
	spec := "<< /Type /Filespec /F (" + p.name + ") /EF << /F 4 0 R >> >>"
	head := "5 0 " // object 5 lives in object stream 3
	pdf := formats.PDF(
		"<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(a) 5 0 R] >> >> >>",
		"<< /Type /Pages /Kids [] /Count 0 >>",
		formats.PDFStream("/Type /ObjStm /N 1 /First "+itoa(len(head))+" /Filter /LZWDecode", formats.LZW([]byte(head+spec), true)),
		formats.PDFStream("/Type /EmbeddedFile /Filter /LZWDecode", formats.LZW(p.data, true)),
	)
	return attach("application/pdf", "statement.pdf", pdf), "2/statement.pdf/" + p.name
}

func containerSamples() []Sample {
	var out []Sample
	for _, t := range containerTricks() {
		payloads := containerPayloads()
		if t.renames || t.named {
			payloads = append(payloads, namedScript)
		}
		for _, p := range payloads {
			att, path := t.build(p)
			s := Sample{Name: t.name + "-" + p.key, About: t.about + "; payload " + p.name, Action: p.action, Want: p.wants(path), RunOnly: p.runOnly}
			if t.ambiguous {
				s.Want = append(s.Want, w("heuristic", "container-ambiguous", "2"))
			}
			if t.renames {
				s.Want = append(s.Want, w("heuristic", "filename-mismatch", path))
			}
			s = build(s, mail{subject: "Documents", root: multipart("mixed", text("The documents you asked for.\n"), att)})
			s.RunOnly = s.RunOnly || len(s.Raw) > MaxCommitted
			out = append(out, s)
		}
		if t.noTwin {
			continue
		}
		att, _ := t.build(harmless)
		out = append(out, build(Sample{Name: t.name + "-clean", Clean: true, About: t.about + "; a harmless text file (clean twin)"},
			mail{subject: "Documents", root: multipart("mixed", text("The documents you asked for.\n"), att)}))
	}
	return out
}
