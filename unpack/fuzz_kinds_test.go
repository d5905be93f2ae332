package unpack

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/pdfsyntax"
	"github.com/kensa-milter/kensa/urls"
)

// One fuzz target per unpacker: each opener gets the bytes directly, with
// no sniffing in front of it, and without the recover that walker.open puts
// around it, so that a panic is found rather than turned into a
// corrupt-archive problem.

var fuzzLimits = Limits{MaxMembers: 200, MaxTotalBytes: 8 << 20, MaxMemberBytes: 4 << 20, MaxPasswordTries: 2, Timeout: 5 * time.Second}

func fuzzOpener(f *testing.F, name string, seeds ...[]byte) {
	fuzzPrepared(f, name, nil, seeds...)
}

// fuzzPrepared is fuzzOpener with the fuzzer's bytes passed through
// prepare first (nil: as they are): a checksum set again, so that the
// fuzzer gets past it.
func fuzzPrepared(f *testing.F, name string, prepare func([]byte) []byte, seeds ...[]byte) {
	var k *kind
	for _, c := range append(slices.Clone(kinds), mailKind, calendarKind, officeXMLKind, activeMimeKind, webArchiveKind, savedPageKind, dataMashupKind) {
		if c.name == name {
			k = &c
		}
	}
	if k == nil {
		f.Fatalf("no unpacker %q", name)
	}
	for _, s := range seeds {
		f.Add(s)
	}
	lim := fuzzLimits.withDefaults()
	f.Fuzz(func(t *testing.T, b []byte) {
		if prepare != nil {
			b = prepare(b)
		}
		ctx, cancel := context.WithTimeout(context.Background(), lim.Timeout)
		defer cancel()
		m := &message.Message{Subject: "password: pw", Parts: []*message.Part{{Path: "1", Filename: "x." + name, Content: b}}}
		w := newWalker(ctx, m, lim, []string{"pw"})
		c := &container{w: w, part: m.Parts[0], kind: k.name, base: w.base(m.Parts[0], k.name)}
		start := time.Now()
		_ = k.open(c)
		if took := time.Since(start); took > lim.Timeout+5*time.Second {
			t.Fatalf("%s took %v", name, took)
		}
		checkMembers(t, m, lim, len(b))
	})
}

// checkMembers holds for whatever an unpacker made of any input.
func checkMembers(t *testing.T, m *message.Message, lim Limits, in int) {
	t.Helper()
	var total int64
	for _, p := range m.Parts[1:] {
		total += int64(len(p.Content))
		if !strings.HasPrefix(p.Path, "1/") {
			t.Fatalf("member path %q is not under the container", p.Path)
		}
		for _, seg := range strings.Split(p.Path, "/") {
			if seg == "" || seg == "." || seg == ".." {
				t.Fatalf("member path %q has segment %q", p.Path, seg)
			}
		}
		if strings.IndexFunc(p.Path, unicode.IsControl) >= 0 {
			t.Fatalf("member path %q has a control character", p.Path)
		}
		if int64(len(p.Content)) > lim.MaxMemberBytes {
			t.Fatalf("member %q is %d bytes, over the %d limit", p.Path, len(p.Content), lim.MaxMemberBytes)
		}
	}
	if len(m.Parts)-1 > lim.MaxMembers+1 || total > lim.MaxTotalBytes+int64(in) {
		t.Fatalf("limits exceeded: %d members, %d bytes", len(m.Parts)-1, total)
	}
}

func FuzzZip(f *testing.F) {
	fuzzOpener(f, "zip", zipOf(f, entry{"a/b.txt", []byte(marker)}, entry{"../c", nil}),
		encryptedZip(f, "pw", 0, entry{"a", []byte("x")}), encryptedZip(f, "pw", 3, entry{"a", []byte("x")}),
		fixture(f, "7z-aes256.zip"), fixture(f, "7z-zipcrypto.zip"),
		append(zipOf(f, entry{"a", []byte(marker)}), zipOf(f, entry{"b", []byte(marker)})...),
		formats.Zip(formats.ZipEntry{Name: "a.js", CentralName: "a.txt", Data: []byte(marker)}, formats.ZipEntry{Name: "h", Data: []byte("x"), Hidden: true}),
		formats.Zip(formats.ZipEntry{Name: "a", Data: []byte(marker), Method: formats.ZipDeflate64}, formats.ZipEntry{Name: "b", Data: []byte(marker), Method: formats.ZipLZMA, Hidden: true}),
		formats.Zip(formats.ZipEntry{Name: "a", Data: []byte(marker + marker), Method: formats.ZipLZMA, Flags: 2}))
}

// FuzzZipWithin is the zip reading of a file of another kind: a zip after
// other data, or chance bytes that look like a zip record.
func FuzzZipWithin(f *testing.F) {
	f.Add(append([]byte("MZ stub "), zipOf(f, entry{"a.js", []byte(marker)})...))
	f.Add(append([]byte("%PDF-1.4\n"), formats.Zip(formats.ZipEntry{Name: "a", Data: []byte("x"), Hidden: true})...))
	f.Add([]byte("text PK\x03\x04\x14\x00\x08\x00\x08\x00 and PK\x05\x06 more"))
	lim := fuzzLimits.withDefaults()
	f.Fuzz(func(t *testing.T, b []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), lim.Timeout)
		defer cancel()
		m := &message.Message{Parts: []*message.Part{{Path: "1", Filename: "x.bin", Content: b}}}
		w := newWalker(ctx, m, lim, nil)
		c := &container{w: w, part: m.Parts[0], kind: "zip", base: w.base(m.Parts[0], "zip")}
		_ = openZipWithin(c)
		checkMembers(t, m, lim, len(b))
	})
}

// FuzzPDFFilter runs every PDF filter chain over arbitrary data: decoding
// ends, with an error or not, and never panics.
func FuzzPDFFilter(f *testing.F) {
	f.Add("/Filter /LZWDecode", formats.LZW([]byte(marker), true))
	f.Add("/Filter [/A85 /Fl] /DecodeParms [null << /Predictor 12 /Columns 3 >>]", formats.ASCII85(formats.Zlib(formats.PNGUp([]byte(marker), 3))))
	f.Add("/Filter /RL", formats.RunLength([]byte(marker)))
	f.Add("/Filter /AHx", formats.ASCIIHex([]byte(marker)))
	f.Add("/Filter /Fl /DecodeParms << /Predictor 2 /Colors 3 >>", formats.Zlib([]byte(marker)))
	f.Add("/Filter /LZW /DecodeParms << /EarlyChange 0 /Predictor 15 /Columns 2 /BitsPerComponent 16 >>", formats.LZW([]byte(marker), false))
	f.Fuzz(func(t *testing.T, dict string, data []byte) {
		filters, err := pdfsyntax.Filters(urls.PDFUnescape([]byte(dict)), func(int) []byte { return []byte("[/RL /AHx]") })
		if err != nil {
			return
		}
		var used []io.ReadCloser
		r, _, err := pdfsyntax.Apply(filters, data, &used)
		if err != nil || r == nil {
			return
		}
		_, _ = io.Copy(io.Discard, io.LimitReader(r, 8<<20))
	})
}

func Fuzz7z(f *testing.F) {
	fuzzOpener(f, "7z", fixture(f, "nested.7z"), fixture(f, "enc.7z"), fixture(f, "enc-headers.7z"))
}

func FuzzRar(f *testing.F) {
	fuzzOpener(f, "rar", formats.RAR4(formats.File{Name: "a.txt", Data: []byte(marker)}), formats.RAR5(formats.File{Name: "dir/b.txt", Data: []byte(marker)}))
}

func FuzzGzip(f *testing.F) { fuzzOpener(f, "gzip", gzipOf(f, "a.txt", []byte(marker))) }

func FuzzBzip2(f *testing.F) { fuzzOpener(f, "bzip2", fixture(f, "marker.txt.bz2")) }

func FuzzXz(f *testing.F) { fuzzOpener(f, "xz", xzOf(f, []byte(marker))) }

func FuzzZstd(f *testing.F) { fuzzOpener(f, "zstd", zstdOf(f, []byte(marker))) }

func FuzzTar(f *testing.F) {
	fuzzOpener(f, "tar", tarOf(f, entry{"x/y", []byte(marker)}, entry{"../../etc/passwd", []byte("root")}),
		formats.TarV7(formats.File{Name: "bin/a.js", Data: []byte(marker)}))
}

func FuzzOLE(f *testing.F) {
	wb := formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Sheet1"}}}
	xlm := formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Macro1", Macro: true, Formulas: []formats.XLSFormula{
		{Rgce: formats.Cat(formats.PtgStr("cmd"), formats.PtgFuncVar(1, formats.FtabExec, false))}}}},
		Names: []formats.XLSName{{Builtin: 1, Rgce: formats.PtgRef3d(0, 0, 0)}}, DDE: [][2]string{{"cmd", "/c x"}}}
	fuzzOpener(f, "ole", macroProject(), formats.EncryptedXLSCryptoAPI(wb, "pw", 128),
		formats.CFB(formats.EncryptWord(ddeWord(), "pw", true)), formats.AgileEncryptedOOXML(macroDocm(f), "pw", 1),
		formats.PPTWith(formats.PPTOptions{VBA: macroProject(), Password: "pw"}), formats.XORObfuscatedXLS(wb, "pw"),
		// Embedded objects (oleobject.go): an encrypted XLM workbook in a
		// .doc's ObjectPool, a presentation with VBA in an .xls's MBD
		// storage, an Equation object two deep under a renamed storage.
		formats.CFB(inObjectPool("_1", clsidExcel, formats.EncryptedXLSEntries(xlm, "pw"))),
		formats.CFB(formats.Embed(formats.XLSEntries(wb), -1, "MBD0001", clsidWord, formats.PPTEntries(formats.PPTOptions{VBA: macroProject()}))),
		formats.CFB(inObjectPool("_1", clsidWord, formats.Embed(hostWord(), -1, "X", formats.EquationCLSID, formats.EquationEntries()))),
		// Storages nested past the bound, and a tree that loops (cfbcheck.go).
		deepCFB(maxCFBDepth+1), loopCFB(40))
}

func FuzzPDF(f *testing.F) {
	fuzzOpener(f, "pdf", pdfWith([]byte("app.alert(1)"), []byte("x"), "f.txt"),
		[]byte("%PDF-1.4\n1 0 obj<</Filter/ASCIIHexDecode/Length 4>>stream\n4142>\nendstream endobj"),
		formats.PDF("<< /Type /ObjStm /N 1 /First 4 >>", formats.PDFStream("/Type /ObjStm /N 1 /First 4 /Filter /LZW", formats.LZW([]byte("3 0 << /EF << /F 4 0 R >> /F (a.js) >>"), true)),
			formats.PDFStream("/Type /EmbeddedFile /Filter [/Fl#61teDecode]", formats.Zlib([]byte(marker)))))
}

func FuzzRTF(f *testing.F) {
	fuzzOpener(f, "rtf", []byte(`{\rtf1{\object{\*\objdata 0105000002000000080000005061636b61676500}}}`),
		[]byte(`{\rtf1{\object\objemb{\*\objdata 01050000020000000b0000004f4c45325061636b616765000000000000000000}}}`))
}

func FuzzOneNote(f *testing.F) {
	fuzzOpener(f, "onenote", append([]byte(oneNoteFileGUID), oneNoteStoreGUID+"\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00abcd"...),
		formats.OneNote("run setup.exe", formats.OneNoteFile{Name: "open.hta", Data: []byte(marker)}, formats.OneNoteFile{Name: "a\u202Efdp.wsf", Data: []byte("x")}),
		formats.OneNote("", formats.OneNoteFile{Name: "a.js"}, formats.OneNoteFile{Data: []byte(marker)}))
}

// FuzzOneNotePackaged: the same opener, from sections in the alternative
// packaging (onepack.go): BLOBs, inline file data, a picture, excluded data.
func FuzzOneNotePackaged(f *testing.F) {
	fuzzOpener(f, "onenote",
		formats.OneNotePackaged("run setup.exe", formats.OneNoteFile{Name: "open.hta", Data: []byte(marker)}, formats.OneNoteFile{Name: "a.js", Data: []byte("x"), Inline: true}),
		formats.OneNotePackaged("", formats.OneNoteFile{Picture: true, Data: []byte(marker)}, formats.OneNoteFile{Name: "a.pdf", Data: []byte("%PDF"), Unstored: true}),
		formats.OneNotePackaged("", formats.OneNoteFile{Data: bytes.Repeat([]byte(marker), 1000)}))
}

func FuzzISO(f *testing.F) {
	fuzzOpener(f, "iso", isoOf(f, map[string][]byte{"a.txt": []byte(marker), "dir/b.exe": []byte("MZ")}),
		formats.ISO("T", formats.ISOFile{ISO: "A.TXT", RockRidge: "a.js", Joliet: "b.js", Data: []byte(marker)}, formats.ISOFile{Joliet: "c", Data: []byte("x")}))
}

func FuzzUDF(f *testing.F) {
	fuzzOpener(f, "udf", formats.UDF("T", formats.File{Name: "a.js", Data: []byte(marker)}, formats.File{Name: "b", Data: bytes.Repeat([]byte(marker), 80)}))
}

func FuzzMail(f *testing.F) {
	fuzzOpener(f, "eml", []byte("From: a@example.com\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n\r\nhi\r\n--b--\r\n"))
}

// FuzzVBA is MS-OVBA decompression on its own: the output is bounded.
func FuzzVBA(f *testing.F) {
	f.Add(formats.OVBALiteral([]byte(macro)))
	f.Add([]byte{1, 0x19, 0xb0, 0, 'a', 'b', 'c'})
	f.Fuzz(func(t *testing.T, b []byte) {
		out, _ := decompressVBA(b, 1<<20)
		if len(out) > 1<<20 {
			t.Fatalf("decompressed %d bytes past the 1 MiB limit", len(out))
		}
	})
}

// FuzzPasswordCandidates reads message text and HTML for archive
// passwords: few, short, never empty, the same twice, and never more than
// the text offers in one reading.
func FuzzPasswordCandidates(f *testing.F) {
	f.Add("The password is: infected")
	f.Add("パスワード：abc123 です")
	f.Add(`Kennwort "x y" <b>pw</b>: secret`)
	f.Add("<p>Pass<span>wo</span>rd: ４\u200b4<span style=display:none>z</span>71</p>")
	f.Add("pw → 1 2 3 4 ﷺ İ")
	f.Add("Invoice_PW_4471.zip")
	f.Fuzz(func(t *testing.T, s string) {
		shown, _ := markupText("text/html", s)
		for _, text := range []string{s, shown} {
			got := PasswordCandidates(text)
			if len(got) > maxPerText {
				t.Fatalf("%d candidates from %q", len(got), text)
			}
			for _, c := range got {
				if c == "" || utf8.RuneCountInString(c) > maxPasswordLen {
					t.Fatalf("candidate %q from %q", c, text)
				}
			}
			if again := PasswordCandidates(text); !slices.Equal(got, again) {
				t.Fatalf("%q read twice: %q then %q", text, got, again)
			}
		}
		if len(shown) > 3*len(s)+2 { // a reference or a NUL may grow into a few bytes
			t.Fatalf("markupText shows %d bytes of %d", len(shown), len(s))
		}
		if len(nameCandidates(s)) > 2*maxPerText {
			t.Fatalf("too many candidates from the name %q", s)
		}
	})
}

// FuzzCleanPath: a sanitised member path never climbs out, never has
// control characters, and sanitising it again changes nothing.
func FuzzCleanPath(f *testing.F) {
	f.Add("../../etc/passwd")
	f.Add(`..\..\windows\win.ini`)
	f.Add("a/\x00b\r\n/./c\u202e")
	f.Fuzz(func(t *testing.T, s string) {
		p := cleanPath(s)
		for _, seg := range strings.Split(p, "/") {
			if seg == "." || seg == ".." {
				t.Fatalf("cleanPath(%q) = %q", s, p)
			}
		}
		if p == "" || strings.ContainsRune(p, '\\') || strings.IndexFunc(p, unicode.IsControl) >= 0 {
			t.Fatalf("cleanPath(%q) = %q", s, p)
		}
		if again := cleanPath(p); again != p {
			t.Fatalf("cleanPath not stable: %q -> %q -> %q", s, p, again)
		}
	})
}

func FuzzXar(f *testing.F) {
	fuzzOpener(f, "xar", formats.Xar(formats.File{Name: "a/b.js", Data: []byte(marker)}, formats.File{Name: "c", Data: nil}))
}

func FuzzCpio(f *testing.F) {
	fuzzOpener(f, "cpio", formats.Cpio(formats.File{Name: "a/b.js", Data: []byte(marker)}, formats.File{Name: "c", Data: nil}))
}

func FuzzCab(f *testing.F) {
	fuzzOpener(f, "cab", formats.Cab(formats.CabMSZIP, cabFiles()...), formats.Cab(formats.CabStored, formats.File{Name: "a.js", Data: []byte(marker)}))
}

func FuzzCalendar(f *testing.F) {
	fuzzOpener(f, "ics", []byte(outlookInvite), []byte("BEGIN:VCALENDAR\r\nATTACH;VALUE=BINARY:QUJD\r\nEND:VCALENDAR\r\n"))
}

func FuzzOfficeXML(f *testing.F) {
	fuzzOpener(f, "officexml", flatOPC(), formats.Word2003XML("x", officeXMLVBA))
}

func FuzzActiveMime(f *testing.F) { fuzzOpener(f, "activemime", formats.ActiveMime(officeXMLVBA)) }

func FuzzDataMashup(f *testing.F) { fuzzOpener(f, "datamashup", formats.DataMashup(mashupM)) }

func FuzzWebArchive(f *testing.F) {
	fuzzOpener(f, "mht", formats.WordWebArchive("x", officeXMLVBA), append([]byte("%PDF-1.7\n"), formats.WordWebArchive("x", nil)...))
}

// FuzzSavedPage: a web archive a browser opens (.mht, .mhtml).
func FuzzSavedPage(f *testing.F) {
	fuzzOpener(f, "mhtml", []byte(phishMHT), []byte("Content-Type: text/html\r\n\r\n<p>x</p>"))
}

// FuzzArj: whatever the bytes, the ARJ reader stays within its limits
// and makes only safe paths (checkMembers); seeds in every method, garbled
// and lying.
func FuzzArj(f *testing.F) {
	files := map[string][]byte{"a/b.js": []byte(marker), "c.txt": bytes.Repeat([]byte("abcabd"), 500)}
	seeds := [][]byte{formats.Arj(formats.File{Name: "a.exe", Data: []byte(marker)}), formats.ArjGarbled("pw", formats.File{Name: "a.js", Data: []byte(marker)}),
		arjEdit(1, 2, 1<<30, []byte{0, 0})}
	for m := 1; m <= 4; m++ {
		seeds = append(seeds, arjOf(f, m, files))
	}
	fuzzOpener(f, "arj", seeds...)
}

// FuzzLzh: whatever the bytes, the LHA reader stays within its limits and
// makes only safe paths; seeds in every header level and method.
func FuzzLzh(f *testing.F) {
	files := map[string][]byte{"a/b.js": []byte(marker), "c.txt": bytes.Repeat([]byte("abcabd"), 500)}
	var seeds [][]byte
	for level := range 4 {
		seeds = append(seeds, formats.Lzh(level, formats.File{Name: "a/b.exe", Data: []byte(marker)}))
	}
	for _, opts := range []string{"c0o5", "c1o6", "c2o7"} {
		seeds = append(seeds, lzhOf(f, opts, files))
	}
	fuzzOpener(f, "lzh", seeds...)
}

// FuzzCompress: whatever the bytes, the .Z reader stays within its limits
// (both readings of 9-bit streams).
func FuzzCompress(f *testing.F) {
	var seeds [][]byte
	for _, bits := range []int{9, 12, 16} {
		seeds = append(seeds, formats.Compress([]byte(marker+marker+"aaaaaaaaaaaaaaaa"), bits, true, false),
			formats.Compress(bytes.Repeat([]byte("abcabd"), 300), bits, bits != 16, bits == 9))
	}
	seeds = append(seeds, viaTool(f, bytes.Repeat([]byte("Kensa abcabd "), 400), "compress", "-c", "-f", "-b9"))
	fuzzOpener(f, "compress", seeds...)
}

// FuzzCompressRoundTrip: what our writer (proven against uncompress)
// makes of any input, at the narrowest and widest codes, with clear codes,
// the .Z reader reads back as the input.
func FuzzCompressRoundTrip(f *testing.F) {
	f.Add([]byte(marker))
	f.Add(bytes.Repeat([]byte("a"), 5000))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, bits := range []int{9, 16} {
			got, err := readZ(formats.Compress(b, bits, true, true), false)
			if err != nil || !bytes.Equal(got, b) {
				t.Fatalf("%d bits: read %d bytes (%v), wrote %d", bits, len(got), err, len(b))
			}
		}
	})
}

// FuzzLzip: whatever the bytes, the lzip reader stays within its limits;
// seeds as lzip writes them, one member and several.
func FuzzLzip(f *testing.F) {
	one := viaTool(f, []byte(marker+marker), "lzip", "-c")
	fuzzOpener(f, "lzip", one, append(slices.Clone(one), one...), viaTool(f, bytes.Repeat([]byte("abcabd"), 2000), "lzip", "-c", "-9"))
}

// FuzzLz4: whatever the bytes, the lz4 reader stays within its limits;
// seeds as the lz4 tool writes them: linked blocks with checksums, legacy.
func FuzzLz4(f *testing.F) {
	text := bytes.Repeat([]byte(marker+" abcabd"), 300)
	fuzzOpener(f, "lz4", viaTool(f, text, "lz4", "-c", "-BD", "-BX"), viaTool(f, text, "lz4", "-c", "-l"), viaTool(f, text, "lz4", "-c", "--content-size"))
}

// FuzzExFAT: whatever the bytes, the exFAT reader (a raw volume) stays
// within its limits and makes only safe paths; seeds from our writer,
// files chained in the FAT and in one run. The boot region's checksum is
// set again on what the fuzzer makes, so that it reaches the FAT and the
// directories.
func FuzzExFAT(f *testing.F) {
	files := []formats.File{{Name: "a.txt", Data: bytes.Repeat([]byte("abc"), 3000)}, {Name: "docs/b.exe", Data: []byte(marker)}}
	fuzzPrepared(f, "exfat", func(b []byte) []byte {
		if len(b) < 12*512 {
			return b
		}
		b = slices.Clone(b)
		b[108] = 9 // 512-byte sectors: where the checksum goes
		var sum uint32
		for i, c := range b[:11*512] {
			if i != 106 && i != 107 && i != 112 {
				sum = (sum&1)<<31 + sum>>1 + uint32(c)
			}
		}
		for i := 11 * 512; i < 12*512; i += 4 {
			binary.LittleEndian.PutUint32(b[i:], sum)
		}
		return b
	}, formats.ExFAT(formats.ExFATOptions{Label: "X"}, files...), formats.ExFAT(formats.ExFATOptions{Contiguous: true}, files...))
}
