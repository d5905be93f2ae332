package corpus

import (
	f "github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/policy"
)

// Office documents embedded as OLE objects in Office compound files: Word
// keeps an object in a storage of ObjectPool, Excel in an MBD storage, and
// OLE hands that storage to the object's application as the root of a file
// of its own, so a workbook inside a .doc runs its Auto_Open macro sheet as
// the workbook attached on its own would. Each attack hides one of the
// Office techniques (officeattacks.go) one object down; each honest twin
// is an ordinary document with an ordinary object in it.

// Class IDs as stored: Excel.Chart.8 {00020821-...}.
var clsidExcelChart = []byte{0x21, 0x08, 0x02, 0x00, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46}

// embeddedObject is one object: its storage's name and class, the user
// type and ProgID its CompObj stream names ("" for none) and its streams.
type embeddedObject struct {
	storage          string
	class            []byte
	userType, progID string
	entries          []f.CFBEntry
}

// withObjects appends objs to a document's entries below the storage at
// index pool (-1: the root), each as OLE writes an object's storage: the
// object's streams, then OLE's own (\x01Ole, \x03ObjInfo, and \x01CompObj
// when the object names a ProgID).
func withObjects(doc []f.CFBEntry, pool int, objs ...embeddedObject) []f.CFBEntry {
	for _, o := range objs {
		e := append([]f.CFBEntry{}, o.entries...)
		ole := make([]byte, 20)
		ole[0], ole[3] = 0x01, 0x02 // version 0x02000001
		e = append(e, f.CFBEntry{Name: "\x01Ole", Parent: -1, Data: ole}, f.CFBEntry{Name: "\x03ObjInfo", Parent: -1, Data: []byte{0, 0, 3, 0, 0x0D, 0}})
		if o.progID != "" {
			e = append(e, f.CFBEntry{Name: "\x01CompObj", Parent: -1, Data: f.CompObj(o.userType, o.progID)})
		}
		doc = f.Embed(doc, pool, o.storage, o.class, e)
	}
	return doc
}

// docWith is a Word 97 document with text and objs in its ObjectPool
// (named pool: Word's "ObjectPool", or the case a sender chose).
func docWith(text, pool string, objs ...embeddedObject) []f.CFBEntry {
	doc := append(wordDocEntries(text), f.CFBEntry{Name: pool, Storage: true, Parent: -1})
	return withObjects(doc, len(doc)-1, objs...)
}

// xlsWith is an Excel 97 workbook with objs in MBD storages at its root.
func xlsWith(wb f.XLSWorkbook, objs ...embeddedObject) []f.CFBEntry {
	return withObjects(f.XLSEntries(wb), -1, objs...)
}

func workbookObject(storage string, entries []f.CFBEntry) embeddedObject {
	return embeddedObject{storage, clsidExcel, "Microsoft Excel 97-2003 Worksheet", "Excel.Sheet.8", entries}
}

func wordObject(storage string, entries []f.CFBEntry) embeddedObject {
	return embeddedObject{storage, clsidWord, "Microsoft Word 97-2003 Document", "Word.Document.8", entries}
}

func presentationObject(storage string, entries []f.CFBEntry) embeddedObject {
	return embeddedObject{storage, clsidPowerPoint, "Microsoft PowerPoint 97-2003 Presentation", "PowerPoint.Show.8", entries}
}

func embeddedObjectCases() []officeCase {
	xlm := f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Sheet1"}, {Name: "Macro1", Macro: true, State: 2, Formulas: []f.XLSFormula{
		{Row: 0, Col: 0, Rgce: f.Cat(f.PtgChars("cmd /c notepad.exe"), f.PtgFuncVar(1, f.FtabExec, false))},
		{Row: 1, Col: 0, Rgce: f.PtgFuncVar(0, f.FtabHalt, false)}}}},
		Names: []f.XLSName{{Builtin: 1, Rgce: f.PtgRef3d(1, 0, 0)}}}
	dde := f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Sheet1", Formulas: []f.XLSFormula{{Row: 0, Col: 0, Rgce: f.PtgNameX(1, 1)}}}},
		DDE: [][2]string{{"cmd", "/c notepad.exe"}}}
	plain := f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Q3", Formulas: []f.XLSFormula{
		{Row: 0, Col: 0, Rgce: f.Cat(f.PtgInt(240), f.PtgInt(312), f.PtgFuncVar(2, f.FtabSum, false))}}}}}
	slideVBA := f.VBAProject(f.VBAModule{Name: "Slide1", Source: "Attribute VB_Name = \"Slide1\"\r\nPrivate Sub TextBox1_GotFocus()\r\n    Shell \"cmd.exe /c notepad.exe\", vbHide\r\nEnd Sub\r\n"})
	const ctDoc, ctXls = "application/msword", "application/vnd.ms-excel"
	return []officeCase{
		{name: "doc-embedded-xlm-auto-open", about: "Word .doc with an Excel 97 workbook embedded in its ObjectPool whose very hidden Auto_Open macro sheet runs EXEC: Excel runs it when the object is opened",
			action: policy.Reject, subject: "Report", body: "The report, with the figures inside.\n", ctype: ctDoc, file: "report.doc",
			data:  f.CFB(docWith("Quarterly report. Double-click the table for the figures.", "ObjectPool", workbookObject("_1234567890", f.XLSEntries(xlm)))),
			wants: []relWant{{"heuristic", "xlm-autorun-exec", "/ObjectPool/_1234567890/xlm/Macro1"}}},
		{name: "doc-embedded-xls-velvetsweatshop-xlm", about: "Word .doc with an embedded workbook encrypted under VelvetSweatshop (Excel opens it without a prompt) hiding an Auto_Open EXEC macro sheet",
			action: policy.Reject, subject: "Report", body: "The report, with the figures inside.\n", ctype: ctDoc, file: "report.doc",
			data:  f.CFB(docWith("Quarterly report.", "ObjectPool", workbookObject("_1234567891", f.EncryptedXLSEntries(xlm, f.DefaultOfficePassword)))),
			wants: []relWant{{"heuristic", "xlm-autorun-exec", "/ObjectPool/_1234567891/xlm/Macro1"}}},
		{name: "doc-embedded-xls-dde", about: "Word .doc with an embedded workbook whose external link is a DDE conversation with cmd",
			action: policy.Reject, subject: "Figures", body: "The figures are in the document.\n", ctype: ctDoc, file: "figures.doc",
			data:  f.CFB(docWith("Figures for the board.", "ObjectPool", workbookObject("_1234567892", f.XLSEntries(dde)))),
			wants: []relWant{{"heuristic", "dde-exec", "/ObjectPool/_1234567892/dde-links"}}},
		{name: "xls-embedded-ppt-vba", about: "Excel 97 .xls with a PowerPoint 97 presentation embedded in an MBD storage whose VBA, inside its PowerPoint Document stream, runs Shell from an ActiveX event",
			action: policy.Reject, subject: "Budget", body: "The budget, with the slides inside.\n", ctype: ctXls, file: "budget.xls",
			data:  f.CFB(xlsWith(plain, presentationObject("MBD0012AB34", f.PPTEntries(f.PPTOptions{VBA: slideVBA})))),
			wants: []relWant{{"heuristic", "vba-autorun-exec", "/MBD0012AB34/embedding1.bin/vba/Slide1"}}},
		{name: "xls-embedded-doc-velvetsweatshop-dde", about: "Excel 97 .xls with a Word 97 document embedded in an MBD storage, encrypted under VelvetSweatshop, hiding a DDEAUTO field that starts cmd.exe",
			action: policy.Reject, subject: "Budget", body: "The budget, with the notes inside.\n", ctype: ctXls, file: "budget.xls",
			data: f.CFB(xlsWith(plain, wordObject("MBD00C0FFEE", f.EncryptWord(
				wordDocEntries("Notes \x13 DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe \"/k notepad.exe\" \x14!\x15 end"), f.DefaultOfficePassword, true)))),
			wants: []relWant{{"heuristic", "dde-exec", "/MBD00C0FFEE/decrypted/WordDocument"}}},
		{name: "doc-embedded-nested-xlm", about: "Word .doc with a Word document embedded in it that embeds an Auto_Open EXEC workbook: two objects deep",
			action: policy.Reject, subject: "Report", body: "The report.\n", ctype: ctDoc, file: "report.doc",
			data: f.CFB(docWith("Report. The appendix is inside.", "ObjectPool",
				wordObject("_1", docWith("Appendix. The figures are inside.", "ObjectPool", workbookObject("_2", f.XLSEntries(xlm)))))),
			wants: []relWant{{"heuristic", "xlm-autorun-exec", "/ObjectPool/_1/ObjectPool/_2/xlm/Macro1"}}},
		{name: "doc-embedded-xlm-case-no-class", about: "Word .doc whose object pool is spelled OBJECTPOOL (compound file names compare without case) holding an Auto_Open EXEC workbook with no class and no CompObj",
			action: policy.Reject, subject: "Report", body: "The report.\n", ctype: ctDoc, file: "report.doc",
			data:  f.CFB(docWith("Report.", "OBJECTPOOL", embeddedObject{storage: "_1234567894", entries: f.XLSEntries(xlm)})),
			wants: []relWant{{"heuristic", "xlm-autorun-exec", "/OBJECTPOOL/_1234567894/xlm/Macro1"}}},
		{name: "doc-embedded-equation-clsid-only", about: "Word .doc with an embedded object whose CompObj claims a Word document: only its storage's class says Equation.3 (the CVE-2017-11882 family)",
			action: policy.Reject, subject: "Quotation", body: "Our quotation.\n", ctype: ctDoc, file: "quotation.doc",
			data: f.CFB(docWith("Quotation.", "ObjectPool", embeddedObject{"_1234567895", f.EquationCLSID, "Microsoft Word 97-2003 Document", "Word.Document.8",
				[]f.CFBEntry{{Name: "Contents", Parent: -1, Data: []byte("Kensa corpus stand-in")}}})),
			wants: []relWant{{"heuristic", "equation-editor", "/ObjectPool/_1234567895"}}},
	}
}

// embeddedObjectClean are the honest twins: ordinary documents with
// ordinary objects in them, accepted.
func embeddedObjectClean() []Sample {
	plain := f.XLSWorkbook{Sheets: []f.XLSSheet{{Name: "Q3", Formulas: []f.XLSFormula{
		{Row: 0, Col: 0, Rgce: f.Cat(f.PtgInt(240), f.PtgInt(312), f.PtgFuncVar(2, f.FtabSum, false))}}}}}
	var out []Sample
	add := func(name, about, subject, file, ctype string, data []byte) {
		out = append(out, build(Sample{Name: name, Clean: true, About: about},
			mail{subject: subject, root: multipart("mixed", text("The document is attached.\n"), attach(ctype, file, data))}))
	}
	add("doc-embedded-workbook", "a Word 97 .doc with an Excel 97 workbook embedded in its ObjectPool, a SUM formula and no macros",
		"Q3 report", "q3-report.doc", "application/msword",
		f.CFB(docWith("Q3 report. The figures are below.", "ObjectPool", workbookObject("_1234567890", f.XLSEntries(plain)))))
	add("doc-embedded-chart", "a Word 97 .doc with an embedded Excel chart object (Excel.Chart.8) over a data sheet",
		"Sales chart", "sales.doc", "application/msword",
		f.CFB(docWith("Sales by quarter, see the chart.", "ObjectPool",
			embeddedObject{"_1234567891", clsidExcelChart, "Microsoft Excel Chart", "Excel.Chart.8", f.XLSEntries(plain)})))
	add("doc-embedded-workbook-velvetsweatshop", "a Word 97 .doc with an embedded workbook without macros, encrypted under Excel's default password: opened and clean",
		"Q3 report", "q3-report.doc", "application/msword",
		f.CFB(docWith("Q3 report.", "ObjectPool", workbookObject("_1234567892", f.EncryptedXLSEntries(plain, f.DefaultOfficePassword)))))
	add("xls-embedded-word-document", "an Excel 97 .xls with a Word 97 document embedded in an MBD storage, plain text and no macros",
		"Budget", "budget.xls", "application/vnd.ms-excel",
		f.CFB(xlsWith(plain, wordObject("MBD0012AB34", wordDocEntries("Notes on the budget: travel is up, paper is down.")))))
	add("xls-embedded-presentation", "an Excel 97 .xls with a PowerPoint 97 presentation embedded in an MBD storage, one slide and no macros",
		"Budget", "budget.xls", "application/vnd.ms-excel",
		f.CFB(xlsWith(plain, presentationObject("MBD0012AB35", f.PPTEntries(f.PPTOptions{})))))
	return out
}
