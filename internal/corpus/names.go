package corpus

import "github.com/kensa-milter/kensa/policy"

// nameSamples: names Windows or macOS runs that gateways rarely list (a
// COM class ID as the extension, which Explorer hides; a Windows Sandbox
// configuration; a macOS Terminal command in a zip), and honest files with
// near names.
func nameSamples() []Sample {
	bad := func(name, about string, a policy.Action, wants ...Want) Sample {
		return Sample{Name: name, About: about, Action: a, Want: wants}
	}
	var out []Sample
	add := func(s Sample, m mail) { out = append(out, build(s, m)) }
	hta := []byte("<html><head><hta:application id=\"x\"/><script>/* Kensa corpus: starts nothing */ var a = 1;</script></head></html>\r\n")
	add(bad("name-clsid-extension", "an HTML Application named invoice.pdf.{3050F4D8-98B5-11CF-BB82-00AA00BDCE0B}: Explorer hides the class ID and runs it with mshta", policy.Reject,
		w("heuristic", "double-extension", "2"), w("heuristic", "dangerous-script", "2")),
		mail{subject: "Invoice", root: multipart("mixed", text("The invoice.\n"), attach("application/octet-stream", "invoice.pdf.{3050F4D8-98B5-11CF-BB82-00AA00BDCE0B}", hta))})
	add(bad("name-sandbox-config", "a Windows Sandbox configuration (.wsb) whose LogonCommand starts a program", policy.Quarantine,
		w("heuristic", "dangerous-script", "2")),
		mail{subject: "Secure viewer", root: multipart("mixed", text("Open the secure viewer to read the document.\n"), attach("application/octet-stream", "Secure Viewer.wsb",
			[]byte("<Configuration><MappedFolders><MappedFolder><HostFolder>C:\\Users\\Public</HostFolder></MappedFolder></MappedFolders>"+
				"<LogonCommand><Command>notepad.exe</Command></LogonCommand></Configuration>\r\n")))})
	add(bad("name-macos-command", "a macOS Terminal script (.command) in a zip, which Terminal runs with a double click", policy.Quarantine,
		w("heuristic", "executable-in-container", "2/fonts.zip/Install Fonts.command")),
		mail{subject: "Fonts", root: multipart("mixed", text("The fonts for the brochure.\n"), attach("application/zip", "fonts.zip",
			zipOf(file{"Install Fonts.command", []byte("#!/bin/sh\n# Kensa corpus: prints a line\necho fonts\n")})))})
	add(Sample{Name: "name-near-dangerous", Clean: true, About: "honest files whose names are near dangerous ones: an Access 2007 database (.accdb), MATLAB data (.mat), Python source (.py), a GUID-named text file"},
		mail{subject: "Data", root: multipart("mixed", text("The data and the script.\n"),
			attach("application/octet-stream", "orders.accdb", []byte("Standard ACE DB\x00 Kensa corpus")),
			attach("application/octet-stream", "results.mat", []byte("MATLAB 5.0 MAT-file, Kensa corpus")),
			attach("text/x-python", "analysis.py", []byte("print('totals')\n")),
			attach("text/plain", "{3050F4D8-98B5-11CF-BB82-00AA00BDCE0B}.txt", []byte("notes\n")))})
	return out
}
