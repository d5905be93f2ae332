package heuristic

// nameCases are the dangerous names of Outlook's blocked list and macOS's
// double-click runners, the COM class ID extension, and the honest
// look-alikes that stay clean.
func nameCases() map[string][]sample {
	const htaClass = "{3050F4D8-98B5-11CF-BB82-00AA00BDCE0B}"
	named1 := func(name, n string) sample { return sample{name, attach(text("2", "x", named(n))), "2"} }
	clean := func(name, n string) sample { return sample{name, attach(text("2", "x", named(n))), ""} }
	return map[string][]sample{
		"dangerous-executable": {
			named1("Word add-in", "helper.wll"), named1("Access database", "orders.mdb"), named1("Access project", "Report.ADP"),
			named1("VSTO add-in manifest", "OfficeTools.vsto"), named1("update package", "KB5034441.msu"),
			clean("Access 2007 database", "orders.accdb"), clean("MATLAB data", "results.mat"),
		},
		"dangerous-script": {
			named1("sandbox configuration", "Secure Viewer.wsb"), named1("shell scrap", "Invoice.shs"), named1("python, no console", "viewer.pyw"),
			named1("macOS Terminal command", "Install Fonts.command"), named1("AppleScript", "Invoice.scpt"), named1("Automator", "Open.workflow"),
			named1("class ID extension", "Invoice."+htaClass), named1("class ID in lower case", "Invoice.{3050f4d8-98b5-11cf-bb82-00aa00bdce0b}"),
			clean("python source", "analysis.py"), clean("a GUID in the middle", "{3050F4D8-98B5-11CF-BB82-00AA00BDCE0B}.txt"), clean("braces, not a class ID", "notes.{draft}"),
		},
		"dangerous-shortcut": {
			named1("settings link", "Display.appcontent-ms"), named1("data link", "Sales.udl"), named1("Access shortcut", "Orders.maf"),
			named1("Exchange shortcut", "Public.xnk"),
		},
		"double-extension": {
			{"class ID behind a document", attach(text("2", "x", named("Invoice.pdf."+htaClass))), "2"},
			{"AppleScript behind a document", attach(text("2", "x", named("Invoice.pdf.scpt"))), "2"},
		},
	}
}
