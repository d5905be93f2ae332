package unpack

import (
	"slices"
	"strings"
	"testing"
	"time"

	f "github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// macroDocm is a .docm package carrying macroProject.
func macroDocm(t testing.TB) []byte {
	return zipOf(t,
		entry{"[Content_Types].xml", []byte(`<Types/>`)},
		entry{"word/document.xml", []byte(`<w:document/>`)},
		entry{"word/vbaProject.bin", macroProject()},
	)
}

func TestEncryptedOOXML(t *testing.T) {
	docm := macroDocm(t)
	writers := []struct {
		name  string
		write func(pw string) []byte
	}{
		{"standard", func(pw string) []byte { return f.StandardEncryptedOOXML(docm, pw) }},
		{"agile", func(pw string) []byte { return f.AgileEncryptedOOXML(docm, pw, 100000) }},
		{"agile few spins", func(pw string) []byte { return f.AgileEncryptedOOXML(docm, pw, 7) }},
	}
	for _, w := range writers {
		t.Run(w.name+" default password", func(t *testing.T) {
			m := mail("x", "see attached", "x.docm", w.write(DefaultOfficePassword))
			expand(t, m, Options{})
			noProblems(t, m)
			p := mustPart(t, m, "2/x.docm/EncryptedPackage (decrypted)/word/vbaProject.bin/vba/Module1")
			if !strings.Contains(string(p.Content), "Sub AutoOpen") {
				t.Errorf("module %q", p.Content)
			}
			if u := mustPart(t, m, "2").UnlockedBy; u != "" {
				t.Errorf("UnlockedBy %q for the default password", u)
			}
		})
		t.Run(w.name+" body password", func(t *testing.T) {
			m := mail("x", "Das Passwort lautet: Rechnung-2024\n", "x.docm", w.write("Rechnung-2024"))
			expand(t, m, Options{})
			noProblems(t, m)
			mustPart(t, m, "2/x.docm/EncryptedPackage (decrypted)/word/vbaProject.bin/vba/Module1")
			if u := mustPart(t, m, "2").UnlockedBy; u != "body" {
				t.Errorf("UnlockedBy %q", u)
			}
		})
		t.Run(w.name+" unknown password", func(t *testing.T) {
			m := mail("x", "Password: wrong-one", "x.docm", w.write("unguessable-8f2"))
			expand(t, m, Options{})
			mustProblem(t, m, ReasonEncryptedDoc, "2")
			if p := problem(m, ReasonEncryptedDoc); !strings.Contains(p.Detail, "not opened with the default password or") {
				t.Errorf("detail %q", p.Detail)
			}
			if part(m, "2/x.docm/EncryptedPackage (decrypted)") != nil {
				t.Error("a package came out of a document that did not open")
			}
		})
	}
}

// A hostile spin count cannot burn the CPU: above the format's limit it is
// refused unread, and the message's hashing budget bounds the tries.
func TestEncryptedOOXMLWorkBounded(t *testing.T) {
	docm := macroDocm(t)
	big := f.AgileEncryptedOOXML(docm, "x", 1)
	info := mustPart(t, mailExpanded(t, big), "2/x.docx/EncryptionInfo").Content
	over := strings.Replace(string(info), `spinCount="1"`, `spinCount="10000001"`, 1)
	if _, err := parseEncryptionInfo([]byte(over)); err == nil || !strings.Contains(err.Error(), "spinCount 10000001") {
		t.Errorf("spinCount above the limit: %v", err)
	}
	high := strings.Replace(string(info), `spinCount="1"`, `spinCount="9000000"`, 1)
	oc, err := parseEncryptionInfo([]byte(high))
	if err != nil {
		t.Fatal(err)
	}
	m0 := mail("", "", "x.docx", nil)
	c := &container{w: newWalker(t.Context(), m0, DefaultLimits(), nil), part: m0.Parts[0]}
	why := c.unlockOffice("doc", oc.rounds, func(string) bool { t.Fatal("tried a password costing more than the budget"); return false })
	if !strings.Contains(why, "more than the 3000000 a message may spend") {
		t.Errorf("why %q", why)
	}

	// Office's default 100,000 spins: 20 tries per document, and the message
	// stops after maxOfficeHashRounds whatever the number of documents.
	var body strings.Builder
	for i := range 40 {
		body.WriteString("password: wrong" + strings.Repeat("x", i) + "\n")
	}
	m := mail("", body.String(), "a.zip", zipOf(t,
		entry{"1.docx", f.AgileEncryptedOOXML(docm, "secret-1", 100000)},
		entry{"2.docx", f.AgileEncryptedOOXML(docm, "secret-2", 100000)}))
	// The hashing budget, not the clock, must end the tries: under -race on
	// a loaded machine 3,000,000 SHA-512 rounds can outlast the default
	// unpacking time, which would stop the second document early.
	lim := DefaultLimits()
	lim.Timeout = 10 * time.Minute
	expand(t, m, Options{Limits: lim})
	var details []string
	for _, p := range m.Problems {
		if p.Reason == ReasonEncryptedDoc {
			details = append(details, p.Detail)
		}
	}
	// 17 candidates (the body's 16 and the default) for the first, then
	// the budget ends the second's. In the documents' order: the first,
	// set aside while the second was read, comes back after it (retry.go).
	slices.Sort(details)
	if len(details) != 2 || !strings.Contains(details[0], "default password or 16 others") || !strings.Contains(details[1], "budget of 3000000 password hash rounds was spent after 12 tries here") {
		t.Errorf("details %q", details)
	}
}

func mailExpanded(t *testing.T, doc []byte) *message.Message {
	m := mail("", "", "x.docx", doc)
	expand(t, m, Options{})
	return m
}

// ddeWord is the streams of a Word 97 document whose DDEAUTO field starts cmd.
func ddeWord() []f.CFBEntry {
	wd := make([]byte, 1024)
	copy(wd, []byte{0xEC, 0xA5, 0xC1, 0x00})
	copy(wd[512:], "Notice \x13 DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k notepad.exe\" \x14!\x15 end")
	return []f.CFBEntry{
		{Name: "WordDocument", Parent: -1, Data: wd},
		{Name: "1Table", Parent: -1, Data: make([]byte, 512)},
		{Name: "Data", Parent: -1, Data: []byte(marker)},
	}
}

func TestEncryptedBinaryOffice(t *testing.T) {
	wb := f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Macro1", Macro: true, State: 2, Formulas: []f.XLSFormula{{Rgce: f.Cat(f.PtgStr("calc"), f.PtgFuncVar(1, f.FtabExec, false))}}}},
		Names: []f.XLSName{{Builtin: 1, Rgce: f.PtgRef3d(0, 0, 0)}}}
	tests := []struct {
		name, file string
		write      func(pw string) []byte
		want       string // a member that holds the plain text
		text       string
	}{
		{"xls RC4", "x.xls", func(pw string) []byte { return f.EncryptedXLS(wb, pw) }, "2/x.xls/xlm/Macro1", `=EXEC("calc")`},
		{"xls CryptoAPI 128", "x.xls", func(pw string) []byte { return f.EncryptedXLSCryptoAPI(wb, pw, 128) }, "2/x.xls/xlm/Macro1", `=EXEC("calc")`},
		{"xls CryptoAPI 40", "x.xls", func(pw string) []byte { return f.EncryptedXLSCryptoAPI(wb, pw, 40) }, "2/x.xls/xlm/Macro1", `=EXEC("calc")`},
		{"xls XOR", "x.xls", func(pw string) []byte { return f.XORObfuscatedXLS(wb, pw) }, "2/x.xls/xlm/Macro1", `=EXEC("calc")`},
		{"doc RC4", "x.doc", func(pw string) []byte { return f.CFB(f.EncryptWord(ddeWord(), pw, false)) }, "2/x.doc/decrypted/WordDocument", "DDEAUTO c:"},
		{"doc CryptoAPI", "x.doc", func(pw string) []byte { return f.CFB(f.EncryptWord(ddeWord(), pw, true)) }, "2/x.doc/decrypted/WordDocument", "DDEAUTO c:"},
		{"doc CryptoAPI Data", "x.doc", func(pw string) []byte { return f.CFB(f.EncryptWord(ddeWord(), pw, true)) }, "2/x.doc/decrypted/Data", marker},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, c := range []struct{ pw, body, unlockedBy string }{
				{DefaultOfficePassword, "see attached", ""},
				{"Kw9-hidden", "The password is Kw9-hidden\n", "body"},
			} {
				doc := tt.write(c.pw)
				if strings.Contains(string(doc), tt.text) {
					t.Fatal("the writer left the text in clear")
				}
				m := mail("x", c.body, tt.file, doc)
				expand(t, m, Options{})
				noProblems(t, m)
				if p := mustPart(t, m, tt.want); !strings.Contains(string(p.Content), tt.text) {
					t.Errorf("%s: %s lacks %q", c.pw, tt.want, tt.text)
				}
				if u := mustPart(t, m, "2").UnlockedBy; u != c.unlockedBy {
					t.Errorf("%s: UnlockedBy %q", c.pw, u)
				}
			}
			m := mail("x", "password: nope", tt.file, tt.write("unguessable-8f2"))
			expand(t, m, Options{})
			mustProblem(t, m, ReasonEncryptedDoc, "2")
			if p := problem(m, ReasonEncryptedDoc); !strings.Contains(p.Detail, "RC4") && !strings.Contains(p.Detail, "XOR") || !strings.Contains(p.Detail, "not opened with the default password or") {
				t.Errorf("detail %q", p.Detail)
			}
			if part(m, tt.want) != nil {
				t.Errorf("%s came out of a document that did not open", tt.want)
			}
		})
	}
}

// XOR obfuscation of a .doc is recognised and named, not opened; an .xls
// whose XOR key no password matches is named too.
func TestXORObfuscationNamed(t *testing.T) {
	wd := ddeWord()
	wd[0].Data[11] = 0x81 // fEncrypted and fObfuscated
	m := mail("x", "x", "x.doc", f.CFB(wd))
	expand(t, m, Options{})
	if p := problem(m, ReasonEncryptedDoc); p == nil || !strings.Contains(p.Detail, "XOR obfuscation") {
		t.Errorf("problem %+v", p)
	}
	var fp []byte
	fp = append(fp, 0, 0, 0x34, 0x12, 0x56, 0x78) // wEncryptionType 0: XOR, key, verifier
	xls := f.XLSWithFilePass(f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Sheet1"}}}, fp)
	m = mail("x", "x", "x.xls", xls)
	expand(t, m, Options{})
	if p := problem(m, ReasonEncryptedDoc); p == nil || !strings.Contains(p.Detail, "(XOR obfuscation) not opened with the default password") {
		t.Errorf("problem %+v", p)
	}
}

// encryptionInfo is the EncryptionInfo stream of an encrypted OOXML file.
func encryptionInfo(t testing.TB, doc []byte) []byte {
	m := mail("", "", "x.docx", doc)
	expand(t, m, Options{})
	return mustPart(t, m, "2/x.docx/EncryptionInfo").Content
}

// FuzzEncryptionInfo: any EncryptionInfo stream parses or is refused with
// an error, never a panic, and never asks for more than the format's
// spin count; a cheap one is also opened and used.
func FuzzEncryptionInfo(fz *testing.F) {
	docm := macroDocm(fz)
	fz.Add(encryptionInfo(fz, f.StandardEncryptedOOXML(docm, DefaultOfficePassword)))
	fz.Add(encryptionInfo(fz, f.AgileEncryptedOOXML(docm, DefaultOfficePassword, 1)))
	fz.Add([]byte{4, 0, 3, 0, 0, 0, 0, 0})
	body := make([]byte, 4096+32)
	fz.Fuzz(func(t *testing.T, b []byte) {
		oc, err := parseEncryptionInfo(b)
		if err != nil {
			return
		}
		if oc.rounds > maxSpinCount+8 || oc.rounds < 0 {
			t.Fatalf("%s: %d rounds a try", oc.kind, oc.rounds)
		}
		if oc.rounds <= 64 {
			if dec := oc.open(DefaultOfficePassword); dec != nil {
				if out := dec(body); len(out) > len(body) {
					t.Fatalf("%d bytes out of %d", len(out), len(body))
				}
			}
		}
	})
}

// FuzzAgileXML: the XML of an Agile EncryptionInfo, alone.
func FuzzAgileXML(fz *testing.F) {
	info := encryptionInfo(fz, f.AgileEncryptedOOXML(macroDocm(fz), DefaultOfficePassword, 1))
	fz.Add(info[8:])
	fz.Add([]byte(`<encryption><keyData saltValue="AAAA" keyBits="256" blockSize="16" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" hashAlgorithm="SHA512"/></encryption>`))
	fz.Fuzz(func(t *testing.T, b []byte) {
		oc, err := parseAgile(b)
		if err != nil {
			return
		}
		if oc.rounds <= 64 {
			if dec := oc.open("pw"); dec != nil {
				dec(make([]byte, 100))
			}
		}
	})
}

// FuzzCryptoAPIHeader: the RC4 and RC4 CryptoAPI headers of .xls, .doc
// (and the CryptoAPI header Standard encryption shares): parsed or refused,
// and a parsed one is tried and its keys made for a few blocks.
func FuzzCryptoAPIHeader(fz *testing.F) {
	wb := f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Sheet1"}}}
	for _, x := range [][]byte{f.EncryptedXLS(wb, "pw"), f.EncryptedXLSCryptoAPI(wb, "pw", 128), f.EncryptedXLSCryptoAPI(wb, "pw", 40)} {
		m := mail("", "", "x.xls", x)
		expand(fz, m, Options{})
		ws := mustPart(fz, m, "2/x.xls/Workbook").Content
		for p := 0; p+4 <= len(ws); {
			id, size := int(ws[p])|int(ws[p+1])<<8, int(ws[p+2])|int(ws[p+3])<<8
			if id == biffFilePass && p+4+size <= len(ws) {
				fz.Add(ws[p+6 : p+4+size]) // after wEncryptionType
				break
			}
			p += 4 + size
		}
	}
	fz.Fuzz(func(t *testing.T, b []byte) {
		s, err := parseRC4Encryption(b)
		if err != nil {
			return
		}
		if keyFor := s.open("pw"); keyFor != nil {
			for _, blk := range []uint32{0, 1, 1 << 31} {
				if k := keyFor(blk); len(k) == 0 || len(k) > 20 {
					t.Fatalf("%s: a key of %d bytes", s.kind, len(k))
				}
			}
			rc4DecryptBIFF(b, keyFor)
			rc4Stream(b, 3, wordBlock, keyFor)
		}
	})
}

// BenchmarkOfficePassword is the cost of one password try per scheme: what
// an encrypted document costs a message for each password Kensa tries.
func BenchmarkOfficePassword(b *testing.B) {
	docm := macroDocm(b)
	agile, err := parseEncryptionInfo(encryptionInfo(b, f.AgileEncryptedOOXML(docm, "x", 100000)))
	if err != nil {
		b.Fatal(err)
	}
	standard, err := parseEncryptionInfo(encryptionInfo(b, f.StandardEncryptedOOXML(docm, "x")))
	if err != nil {
		b.Fatal(err)
	}
	for _, c := range []struct {
		name string
		try  func() bool
	}{
		{"agile-sha512-100000", func() bool { return agile.open("wrong") != nil }},
		{"standard-sha1-50000", func() bool { return standard.open("wrong") != nil }},
	} {
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				if c.try() {
					b.Fatal("a wrong password opened it")
				}
			}
		})
	}
}

func TestEncryptedPPT(t *testing.T) {
	vba := f.VBAProject(f.VBAModule{Name: "Module1", Source: macro})
	for _, c := range []struct{ pw, body, unlockedBy string }{
		{DefaultOfficePassword, "slides attached", ""},
		{"Deck-2027", "Kennwort: Deck-2027", "body"},
	} {
		ppt := f.PPTWith(f.PPTOptions{VBA: vba, Gap: 5, Password: c.pw})
		m := mail("x", c.body, "x.ppt", ppt)
		expand(t, m, Options{})
		noProblems(t, m)
		if p := mustPart(t, m, "2/x.ppt/embedding1.bin/vba/Module1"); !strings.Contains(string(p.Content), "Sub AutoOpen") {
			t.Errorf("%s: module %q", c.pw, p.Content)
		}
		if u := mustPart(t, m, "2").UnlockedBy; u != c.unlockedBy {
			t.Errorf("%s: UnlockedBy %q", c.pw, u)
		}
	}
	m := mail("x", "no password", "x.ppt", f.PPTWith(f.PPTOptions{VBA: vba, Password: "unguessable-8f2"}))
	expand(t, m, Options{})
	if p := problem(m, ReasonEncryptedDoc); p == nil || !strings.Contains(p.Detail, "PowerPoint presentation \"x.ppt\" (RC4 CryptoAPI 128-bit) not opened with the default password") {
		t.Errorf("problem %+v", p)
	}
	if part(m, "2/x.ppt/embedding1.bin") != nil {
		t.Error("a storage came out of a presentation that did not open")
	}
}
