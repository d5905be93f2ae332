package heuristic

import (
	"strings"
	"unicode"

	"github.com/kensa-milter/kensa/message"
	sc "github.com/kensa-milter/kensa/scanners"
	"github.com/kensa-milter/kensa/urls"
)

// table is every check, in the order docs/heuristics.md lists them. Scores assume the
// default policy: tag at 20, quarantine at 50, reject on anything malicious.
// Malicious is kept for what has no honest use in mail; a normal business
// mail (a PDF, a docx, a link) must score nothing.
var table = []check{
	// File types
	{CheckInfo: CheckInfo{"dangerous-executable", sc.Suspicious, 50,
		"An attachment that is a program (PE/ELF/Mach-O/Java by its bytes, or .exe/.scr/.com/.pif/.dll/.cpl/.msi/.xll/.jar/.appx/.msix/.appinstaller/... by name, and what Outlook blocks: .wll/.msu/.vsto, Access databases and projects .mdb/.mde/.adp/.accde/...). Rarely sent honestly; quarantined so an admin can release it."},
		names: true, part: dangerousClass("executable")},
	{CheckInfo: CheckInfo{"dangerous-script", sc.Suspicious, 50,
		"An attachment Windows runs as a script: .js/.jse/.vbs/.vbe/.wsf/.wsh/.hta/.ps1/.bat/.cmd/.reg/.msc/.chm/.diagcab/.wsb/.shs/.pyw/..., what macOS runs with a double click (.command, .terminal, .scpt, .workflow), or a name ending in a COM class ID ({3050F4D8-...}), which Explorer hides and opens with that class. Quarantined: these are downloaders, not documents."},
		names: true, part: dangerousClass("script")},
	{CheckInfo: CheckInfo{"dangerous-shortcut", sc.Suspicious, 50,
		"An attachment that is a shortcut or shell link (.lnk by name or bytes, .url/.scf/.library-ms/.search-ms/.settingcontent-ms/.appcontent-ms/.xnk/.udl/Access shortcuts/..., a Remote Desktop .rdp file, a Windows .theme/.themepack): it points somewhere else, often at a remote payload or at the sender's computer. Quarantined."},
		names: true, part: dangerousClass("shortcut")},
	{CheckInfo: CheckInfo{"shortcut-command", sc.Malicious, 100,
		"A Windows shortcut (.lnk by its bytes, whatever its name: attached, zipped, in an ISO, VHD or 7z image) that runs a command: its target (read from every field Windows may take it from: the environment block, the shell items, LinkInfo's local path and share, the relative path) is cmd, PowerShell, mshta, wscript, rundll32, regsvr32, msiexec, curl or another program Windows lets run code or fetch files, with arguments that fetch or run something (a web address, a script protocol, another such program, %COMSPEC%, an encoded or hidden PowerShell command, a download idiom, a path in %TEMP% or Public, a script or DLL beside the shortcut rather than an installed one); or arguments pushed out of the Properties dialog's sight by dozens of blanks or line breaks; or a target on a share on the Internet or in %TEMP%; or such a program under a document's, browser's or Explorer's icon; or an icon on a share on the Internet, which Windows loads as the folder is shown. Also an Internet shortcut (.url, .website) whose URL opens a share or WebDAV folder on the Internet, or a search-ms: search of one, and a library or search connector (.library-ms, .searchConnector-ms) whose location is one or a web (WebDAV) address: Explorer shows the sender's files as local ones, without Mark-of-the-Web. A shortcut to a document on a file server, to an intranet application or to an installed program with its usual arguments does not count (dangerous-shortcut quarantines those). Rejected."},
		part: checkShortcutCommand},
	{CheckInfo: CheckInfo{"batch-command", sc.Malicious, 100,
		"A batch file (.bat or .cmd by name: attached, zipped, in an image) whose commands, read as cmd plays them with its obfuscation undone (carets, %var:~n,m% substrings, variables set and joined, delayed expansion, cmd /c inside it) and its control flow followed (call :label and back, goto, the branch an if takes, both when the condition is not known before it runs, a for's body for each item with the loop variable replaced, for /f's tokens of a string and its command; bounded), run PowerShell, mshta, wscript, curl, certutil, bitsadmin or another program Windows lets fetch or run code with arguments that fetch or run something (a web address, an encoded or hidden PowerShell command, a download idiom, another such program, a file in %TEMP% or Public), or rundll32, regsvr32 or mshta on a file beside it rather than Windows' own: a downloader, judged as a shortcut that does the same is. A login or backup script that maps drives, copies files and starts installed programs does not count (dangerous-script quarantines every batch file by name). Rejected."},
		part: checkBatchCommand},
	{CheckInfo: CheckInfo{"risky-container", sc.Suspicious, 30,
		"A disk image or OneNote file (.iso/.img/.vhd/.vhdx/.one, or ISO/UDF/OneNote bytes): used to get files past Mark-of-the-Web. Tagged; what is inside is checked on its own."},
		names: true, part: checkRiskyContainer},
	{CheckInfo: CheckInfo{"executable-in-container", sc.Suspicious, 60,
		"A program, script or shortcut inside an archive, disk image or document: the usual way to slip one past attachment filters. Quarantined."},
		names: true, part: checkExecutableInContainer},
	{CheckInfo: CheckInfo{"disguised-executable", sc.Malicious, 100,
		"A program whose name or declared type says it is a document or image (a PE called invoice.pdf). There is no honest reason for this."},
		names: true, part: checkDisguisedExecutable},
	{CheckInfo: CheckInfo{"type-mismatch", sc.Suspicious, 15,
		"The extension or declared type promises one format and the bytes are another (a zip called .pdf). Careless senders do this too, so alone it does not even tag."},
		names: true, part: checkTypeMismatch},
	// Filenames
	{CheckInfo: CheckInfo{"double-extension", sc.Malicious, 100,
		"A name with a document extension followed by a dangerous one (invoice.pdf.exe, invoice.pdf.{3050F4D8-...}), or a dangerous extension pushed out of sight by padding (\"report.docx      .js\")."},
		names: true, part: checkDoubleExtension},
	{CheckInfo: CheckInfo{"rtlo-filename", sc.Malicious, 100,
		"A filename with a right-to-left or left-to-right override character (U+202E/U+202D), which makes \"fdp.exe\" display as \"exe.pdf\"."},
		names: true, part: checkRTLO},
	{CheckInfo: CheckInfo{"bidi-filename", sc.Suspicious, 20,
		"A filename with other bidirectional embedding or isolate controls (U+202A-U+202C, U+2066-U+2069). Honest right-to-left names rarely need them; tagged."},
		names: true, part: checkBidi},
	{CheckInfo: CheckInfo{"homoglyph-filename", sc.Suspicious, 30,
		"A filename word mixing Latin with Cyrillic, Greek or Armenian letters, or with a character that looks like a dot (U+2024, U+FE52, ...): made to look like something else. Tagged."},
		names: true, part: checkHomoglyphFilename},
	{CheckInfo: CheckInfo{"filename-mismatch", sc.Suspicious, 35,
		"A part whose names disagree on the extension: Content-Type name=\"a.js\" with Content-Disposition filename=\"a.txt\", two Content-Disposition fields, a name a control character cuts short (Windows ends \"a.js\\0.txt\" at the NUL), or an archive member that tools show under another name (a zip's local header, its Unicode Path field, a name cut at a NUL; an ISO's other trees), or an Outlook .msg attachment whose names disagree (long file name, 8.3 short name, display name, their 8-bit spellings, extension property, reference path; a short name such as REPORT~1.DOC for report.docx and a display name without an extension agree). Each client shows a different file. Tagged; with anything else it quarantines."},
		part: checkFilenameMismatch},
	// Structure
	{CheckInfo: CheckInfo{"mime-ambiguous", sc.Suspicious, 35,
		"A part that only some readings of a malformed message show (two Content-Type fields, a delimiter with junk after it, base64 with padding inside, ...), while no reading shows every part: different mail clients see different attachments. Tagged; with anything else it quarantines."},
		part: checkMIMEAmbiguous},
	// Archives
	{CheckInfo: CheckInfo{"encrypted-archive", sc.Suspicious, 20, unscannableText},
		unscannable: true, part: checkEncrypted},
	{CheckInfo: CheckInfo{"password-from-body", sc.Suspicious, 40,
		"An encrypted archive or document that opened with a password the message itself gives (in the body, a quoted or forwarded mail, the subject, a file name such as Invoice_PW_4471.zip, or another attachment such as password.txt): the Emotet trick to blind gateway scanners. Some businesses do this honestly, so it tags; with anything bad inside it quarantines."},
		part: checkPasswordFromBody},
	{CheckInfo: CheckInfo{"container-ambiguous", sc.Info, 15,
		"A container that the tools opening it read differently: two zips in one file, a zip behind a program or another format, a zip member only the local headers list or that they name otherwise than the central directory, a zip name a NUL cuts short or whose Unicode Path field (0x7075) only some tools read, a tar member whose PAX path, GNU long name or global PAX path disagree, a RAR name a NUL cuts short, an ISO whose Joliet, Rock Ridge and ISO 9660 names differ. Kensa reads it every way and scans all it finds; alone this does not even tag."},
		part: checkAmbiguous},
	// Office
	{CheckInfo: CheckInfo{"vba-autorun-exec", sc.Malicious, 100,
		"VBA macro code that runs on open (AutoOpen, Document_Open, Document_Close, Workbook_Open, a module named AutoOpen or AutoExec running its Main, ActiveX and form events such as _GotFocus, _Layout, _Painted, _Change, _Initialize, ..., or a LibreOffice Basic module of an OpenDocument file whose document binds an open or close event such as OnLoad to it) and starts programs or downloads (Shell, WScript, PowerShell, URLDownloadToFile, XMLHTTP, CreateObject of a computed name, ...): the classic macro dropper."},
		part: checkVBA(true, true)},
	{CheckInfo: CheckInfo{"vba-autorun", sc.Suspicious, 25,
		"VBA macro code that runs on open but shows no program start or download. Business macros do this; tagged."},
		part: checkVBA(true, false)},
	{CheckInfo: CheckInfo{"vba-exec", sc.Suspicious, 30,
		"VBA macro code that starts programs or downloads but needs a click to run. Tagged."},
		part: checkVBA(false, true)},
	{CheckInfo: CheckInfo{"vba-stomping", sc.Suspicious, 60,
		"A VBA module whose compiled p-code holds strings its source does not (a module with no procedures, or one whose p-code runs programs the source never names): the source was replaced so that scanners read harmless text while Office runs the p-code. The p-code strings are scanned too. Quarantined."},
		part: checkVBAStomping},
	{CheckInfo: CheckInfo{"office-macro", sc.Suspicious, 20,
		"A document that carries a macro at all (a VBA project, an Excel 4.0 macro sheet, or a LibreOffice Basic library in an OpenDocument file, as LibreOffice converts a VBA project), even one that does not run on open. Reported once per message; tags without quarantining. Raise its score to hold every macro document."},
		part: checkOfficeMacro},
	{CheckInfo: CheckInfo{"xlm-autorun-exec", sc.Malicious, 100,
		"An Excel 4.0 (XLM) macro sheet, hidden or not, in .xls (BIFF8), .xlsm (macrosheets, intlMacrosheets, or any part whose root is a macro sheet) or .xlsb (BIFF12 records decompiled), or a SYLK file (.slk, or any file Excel opens that starts \"ID;\") that an O;E record makes a macro sheet or that names an auto-run cell, that runs on open (an Auto_Open or Auto_Close name, built in or spelled with case, width or invisible-character tricks) and runs, calls or downloads (EXEC, CALL, REGISTER, URLDownloadToFile, FORMULA.FILL, FORMULA built from CHAR()): the Excel 4.0 dropper."},
		part: checkXLM(true, true)},
	{CheckInfo: CheckInfo{"xlm-autorun", sc.Suspicious, 30,
		"An Excel 4.0 macro sheet that runs on open but shows no program start, call or download. Tagged."},
		part: checkXLM(true, false)},
	{CheckInfo: CheckInfo{"xlm-exec", sc.Suspicious, 30,
		"An Excel 4.0 macro sheet with a run, call or download formula but no auto-run name. Tagged."},
		part: checkXLM(false, true)},
	{CheckInfo: CheckInfo{"dde-exec", sc.Malicious, 100,
		"Dynamic Data Exchange that starts a program: a DDE or DDEAUTO field in Word (.docx, .doc) or RTF (read as Word assembles it: split over runs, fldSimple, headers, footers, footnotes, text boxes, QUOTE codes, quotes, \\* MERGEFORMAT and case tricks), an Excel ddeLink (.xlsx) or DDE link (.xls SUPBOOK, .xlsb external link part), or a DDE formula calling cmd, MSEXCEL or another program from a sheet (an .xls cell formula naming a DDE link included), CSV, SYLK or .iqy cell (=, +, - and @SUM prefixes alike); and the same as LibreOffice saves it: its DDE(\"app\";\"topic\";\"item\") function in .xlsx, SYLK, CSV and OpenDocument cells, an OpenDocument DDE link (Calc office:dde-source, Writer text:dde-connection-decl), or a Word DDE field LibreOffice keeps as a fieldmark in .odt/.fodt."},
		part: checkDDE(true)},
	{CheckInfo: CheckInfo{"dde-link", sc.Suspicious, 30,
		"Dynamic Data Exchange that names no program: a DDE field or formula to another application, an Excel ddeLink, or an .iqy web query that loads a remote sheet (not one of the sender's own domain or an intranet host: a company's own query). Rare in honest mail; tagged."},
		part: checkDDE(false)},
	{CheckInfo: CheckInfo{"equation-editor", sc.Malicious, 100,
		"An Equation Editor 3.0 object (class Equation.3 by its CLSID, its Equation Native or CompObj stream, the OLE1 header or \\objclass of RTF), in RTF, .doc/.xls, OOXML embeddings, an object embedded in a .doc/.xls/.ppt or an Outlook .msg OLE attachment (by its storage's class): the CVE-2017-11882 family. No honest mail still needs one."},
		part: checkEquation},
	{CheckInfo: CheckInfo{"remote-template", sc.Suspicious, 60,
		"An Office relationship (attachedTemplate, oleObject, frame, subDocument, aFChunk) with TargetMode External that loads its target over http(s), ftp, mhtml: or a UNC path however written (\\\\host, //host, file://host) when the document opens: remote template injection. So does an RTF document's {\\*\\template} naming such a target (RTF template injection). So does a linked OLE object whose moniker is a web address (an \\x01Ole stream with the link flag, in an RTF object, a .doc/.xls/.ppt storage or an OOXML embedding), or an RTF linked OLE1 object (\\objlink, \\objautlink) whose source is one, which Word fetches when it updates the link, at once with RTF's \\objupdate or \\objautlink: CVE-2017-0199. Read as Office reads it: any namespace prefix, either quotes, entities decoded; RTF as Word and LibreOffice read it (ignorable {\\* } destinations, empty groups, \\'hh and \\uN escapes with their fallback characters skipped, line breaks). Quarantined."},
		part: checkRemoteTemplate},
	{CheckInfo: CheckInfo{"remote-fetch", sc.Suspicious, 60,
		"A reference that makes Windows fetch from a file share on the Internet by itself, sending the reader's NTLM hash: a UNC path however written (\\\\host\\share, //host, file://host, file:///\\\\host, \\\\?\\UNC\\host, a host written as a number, the WebDAV forms \\\\host@SSL@443\\DavWWWRoot and \\\\host@80). Counted where it loads with no click: an Outlook item's reminder sound (PidLidReminderFileParameter in a .msg or winmail.dat: CVE-2023-23397); a Word INCLUDEPICTURE, INCLUDETEXT or LINK field (.docx split over runs, fldSimple, any part: headers, footers, footnotes, text boxes, glossary; RTF read as remote-template says; .doc; INCLUDETEXT and LINK from a web address too, which become the document); a picture linked, not embedded, in an Office package (a relationship with TargetMode External), an RTF shape or picture (pibName or fillBlipName with msoblipflagLinkToFile in pibFlags or fillBlipFlags) or an OpenDocument file (draw:image xlink:href); the source of an RTF linked OLE1 object (\\objlink, \\objautlink) and of a linked OLE object in a .doc, .xls or .ppt (the file moniker of its Ole stream, alone or in a composite, or a file: URL moniker: the CVE-2017-0199 shape with a share); an Excel workbook's external reference to another workbook (an externalLinkPath relationship in .xlsx, .xlsm, .xlsb; a SUPBOOK's encoded path in .xls) and an OpenDocument spreadsheet's (a formula's ['file://host/...'#Sheet1.A1], a linked sheet or cell range: table:table-source, table:cell-range-source); a Writer section linked to another file (text:section-source, from a web address too, as INCLUDETEXT); the icon of a desktop.ini, .url or .scf file (in UTF-16 too); any file a Windows .theme names (its wallpaper and brand image, loaded as Explorer shows the file: CVE-2024-21320; its visual style, CVE-2023-38146; cursors, icons, sounds); an HTML image, style sheet, background, frame or other address the page loads as it is shown (//host only in an attached page, which the browser opens from disk), a file link with ! after the file name (MonikerLink, CVE-2024-21413), and a PDF's file specification or file: link (a GoToR, GoToE, Launch, ImportData or SubmitForm action, opened as the PDF opens or on a click, which some PDF readers follow without asking: CVE-2018-4993). A single-label name, a private address or an intranet suffix (.local, .corp, ...) is a colleague's file server and does not count, nor does a path in text or a plain file link to click. Quarantined."},
		part: checkRemoteFetch},
	{CheckInfo: CheckInfo{"power-query-fetch", sc.Suspicious, 30,
		"An Excel workbook whose Power Query fetches from the web or a share on the Internet (a web address or \\\\host\\share in its M code, or a call of Web.Contents, Web.Page, Web.BrowserContents, WebAction.Request, OData.Feed, SharePoint.*, or Expression.Evaluate and #shared, which call a function by a built name) and whose connection refreshes when the workbook opens (refreshOnLoad in xl/connections.xml; fRefreshOnLoad of an .xlsb's BrtBeginExtConnection in xl/connections.bin), or whose older web query or text import connection does (a webPr url or textPr sourceFile of a connection with refreshOnLoad; in an .xlsb, BrtBeginECWebProps' URL or BrtBeginECTxtWiz's file; from the web or a share on the Internet): the query's M code is read from the DataMashup in customXml (base64 of a package whose Formulas/Section1.m it is), which is also scanned as a part (YARA, links). What it fetches lands in the cells (a DDE formula, a lure) with no click on Refresh, once the reader lets data connections run, which Excel asks about by default (Microsoft's documentation): tagged, not quarantined. A query without refresh on open, or one reading a colleague's share, does not count."},
		part: checkPowerQuery},
	{CheckInfo: CheckInfo{"query-file-fetch", sc.Suspicious, 30,
		"A data connection or query file Excel opens and runs, an Office Data Connection (.odc: the odc:ConnectionString of its <xml> block), a database query (.dqy: XLODBC and its ODBC connection string), an OLAP or report query (.oqy, .rqy: its Connection line), whose connection string names a server on the Internet (Data Source, Server, Address, Location, Url...: a host with a dot, a public address) or a database file on an Internet host's share: Excel logs on to it, with the reader's Windows credentials when the string asks for integrated security, and what it returns lands in the sheet, once the reader lets data connections run. A server on the intranet (a single-label name, a private address, an intranet suffix) or at the sender's own domain does not count: a finance team's connection file. Also a workbook's data connection (xl/connections.xml; an .xlsb's xl/connections.bin) whose connection file (odcFile, which Excel reads again when the connection fails or is set to use only its file) or data file (sourceFile) is on a share of an Internet host (SMB, WebDAV): Excel fetches the sender's connection file, which says what to connect to. Tagged."},
		part: checkQueryFile},
	{CheckInfo: CheckInfo{"formula-web-fetch", sc.Suspicious, 30,
		"A spreadsheet formula that fetches from the web as it is calculated, WEBSERVICE (also inside FILTERXML, which puts what it returns in a cell) or IMAGE (Excel 365: a picture from the web in a cell), whose address sends what the reader types or what the machine tells (an empty cell of a form, a cell given to ENCODEURL, which is made for free text, INFO, CELL; through any other function of them) to a host, or fetches from a host written as a number, a share, or an address spelled in pieces (\"ht\"&\"tp://\", CHAR). The address is worked out as the spreadsheet works it out: string literals joined with &, CONCATENATE, CONCAT and TEXTJOIN, the cells and defined names it refers to, a few levels deep. Read in an .xlsx's sheets and defined names (_xlfn.WEBSERVICE), an .xls's and an .xlsb's cells (future functions Excel keeps as names; the formulas decompiled from their tokens, with the workbook's string cells) and an OpenDocument spreadsheet (COM.MICROSOFT.WEBSERVICE). Excel calculates it with no click on the cell when the file asks to be calculated on open (fullCalcOnLoad, a workbook saved by an older calculation engine), once the reader leaves Protected View. A fixed address on a named host (exchange rates, a feed, a picture: a beacon at most, as any picture in an HTML mail), the sender's own domain and an intranet host (a single-label name, a private address, an intranet suffix) do not count. Tagged."},
		part: checkFormulaFetch},
	{CheckInfo: CheckInfo{"formula-web-hidden", sc.Info, 15,
		"A spreadsheet formula that fetches from the web (WEBSERVICE, IMAGE, as formula-web-fetch reads them) from an address or host that cannot be worked out before the file opens: built by a function Kensa does not evaluate, from the machine's details, or from cells and names nested deeper than it follows. Where it goes is hidden; alone this does not even tag."},
		part: checkFormulaHidden},
	{CheckInfo: CheckInfo{"ppt-program-action", sc.Suspicious, 60,
		"A PowerPoint slide (.pptx, .ppsx, .pptm, slide layouts and masters alike) whose shape runs a program when it is clicked or when the mouse passes over it in the slide show (an a:hlinkClick or a:hlinkHover with action ppaction://program; the program is its hyperlink relationship's target), or runs a macro on mouse-over (ppaction://macro on a:hlinkHover); in a .ppt or .pps, the same action settings (an InteractiveInfoAtom with II_RunProgramAction, or II_MacroAction on mouse-over, and the program or macro in its MacroNameAtom). A .ppsx opens as a slide show, so a mouse-over needs no click; PowerPoint asks before it starts the program. Hyperlinks to web pages, slide jumps and sounds do not count. Quarantined."},
		part: checkPPTAction},
	{CheckInfo: CheckInfo{"ms-protocol-handler", sc.Malicious, 100,
		"A document or HTML part that calls a Windows protocol handler used by exploits (ms-msdt:, search-ms:, ms-search:, ms-officecmd:, ms-cxh:, ms-appinstaller:), e.g. Follina; read after HTML character references, CSS escapes and script escapes are decoded."},
		part: checkMSProtocol},
	{CheckInfo: CheckInfo{"office-uri-link", sc.Suspicious, 60,
		"A link (a mail's, a page's, a PDF's, an Office document's, a calendar's) in an Office URI scheme (ms-word:, ms-excel:, ms-powerpoint:, ms-visio:, ms-access:, ...: ofv, ofe or nft with |u|, or the short form ms-word:https://...) that opens in the desktop application, past the browser, a document on a file share or WebDAV folder on the Internet, at a host written as a number, a macro-enabled file, add-in, template or database (.docm, .dotm, .xlam, .pptm, .accdb, ...), or makes a new document from another host's template (nft). SharePoint's and OneDrive's \"Open in desktop app\" links to ordinary documents do not count. Quarantined."},
		url: checkOfficeURI},
	{CheckInfo: CheckInfo{"office-uri-foreign", sc.Suspicious, 20,
		"A link in an Office URI scheme that opens an ordinary document in the desktop application from a host that is neither the sender's own domain nor Microsoft 365's (SharePoint, OneDrive, office.com): \"Open in desktop app\" links come from those. Tagged."},
		url: checkOfficeURIForeign},
	{CheckInfo: CheckInfo{"browser-escape-link", sc.Suspicious, 50,
		"A link wrapped to open outside the reader's browser: microsoft-edge: (Edge from any browser), its:, ms-its: and mk:@MSITStore: (the Windows help viewer), mhtml: (Internet Explorer's web archive reader). In mail they serve to escape a browser's or mail client's protection; a wrapper around the sender's own site does not count. Quarantined."},
		url: checkBrowserEscape},
	// HTML and SVG
	{CheckInfo: CheckInfo{"html-smuggling", sc.Suspicious, 60,
		"HTML that builds a file in the browser (Blob, createObjectURL, msSaveOrOpenBlob with a large encoded payload, base64 wrapped into lines counting as one, or a download= link to data:/blob:, or a frame or embed of a data: page), or whose script saves a file under a program's, script's, shortcut's, disk image's or archive's name (a download name it sets, msSaveOrOpenBlob's, a File's: Invoice.zip, Scan.iso, whatever the bytes come from: a payload of any size, pixels, WebAssembly, the web), so the file never crosses the gateway. Obfuscated script is normalised first, never run: string pieces joined (+, concat, [...].join of any separator, template literals without code, a string reversed by split/reverse/join), String.fromCharCode spelled out, window['at'+'ob'] and variable aliases resolved, base64 split over variables put back together, javascript-obfuscator's string array (rotated, base64- or RC4-encoded, read through aliases, wrappers and object-key proxies) decoded by running its decoders under a step budget. Quarantined."},
		part: checkHTMLSmuggling},
	{CheckInfo: CheckInfo{"html-credential-form", sc.Suspicious, 60,
		"A phishing page: an HTML password field whose form posts to a data: URL, or from the body to a domain that is not the sender's; or, in an HTML attachment (which the reader opens in a browser that runs its scripts), a password field with a form or button posting to any web address, or with script that sends what is typed (fetch, XMLHttpRequest, $.ajax/$.post, sendBeacon, WebSocket, an image request, the Telegram bot API, a form's action or a button's formAction set by script: f.action, setAttribute in any case, jQuery's attr/prop). Read as Chromium reads it: the markup the page's scripts write (document.write or innerHTML of unescape, atob, decodeURIComponent(escape(...)), hex escapes, char-code arrays, joined pieces; three layers deep, never run), the first of duplicate attributes, entities decoded, type=PASSWORD, a text field masked by -webkit-text-security, a relative action under <base href>. Not raised for an encrypted-mail service's secure-message envelope whose every send target (form actions, script targets, scripts and base it loads, every address its script holds) is that service's host (docs/heuristics.md lists them). Quarantined."},
		part: checkCredentialForm},
	{CheckInfo: CheckInfo{"html-redirect-attachment", sc.Suspicious, 50,
		"An HTML attachment that takes the reader to a remote web page as soon as it opens: a meta refresh, a script that sets the window's location (also through jQuery's attr or Reflect.set), opens a page in the same window, submits a form to a web address or clicks a link to one that it makes by itself (at its top level, on load, in a timer, in a function the page calls as it loads, or in a handler an element fires by itself in Chromium: onload, onerror, onpageshow, an animation's, a <details open>'s ontoggle, onfocus of an autofocus element, an SVG animation's onbegin, a video's or audio's onloadstart; not in a click handler, except on a page that shows a CAPTCHA: a page opened from the mail cannot run a real one, so I'm not a robot, Verify you are human, reCAPTCHA, hCaptcha or Turnstile there is a kit's gate before its sign-in page), or a remote page framed across the window (or on a page with almost nothing else); or a page with almost nothing of its own (text the reader does not see as Chromium draws it does not count: hidden, off the screen, clipped, in the background's colour, too small or covered) that draws itself from the web: a script (an SVG's by its href or xlink:href too) from a host other than a public library's or an analytics service's (docs/heuristics.md lists them), a script element its script builds, or a fetch whose answer it writes on the page or runs. Read after its scripts' markup is decoded as for html-credential-form. Attached pages do this to carry a phishing link past link checks. Links to click and HTML bodies do not count. Quarantined."},
		part: checkHTMLRedirect},
	{CheckInfo: CheckInfo{"svg-script", sc.Suspicious, 40,
		"An SVG image carrying script, event handlers, javascript: links or embedded HTML (foreignObject), with any namespace prefix and after character references are decoded: images do not need them, phishing redirects do. Tagged."},
		part: checkSVGScript},
	{CheckInfo: CheckInfo{"svg-link", sc.Suspicious, 30,
		"An SVG attachment (declared, detected or named .svg) with a link (href or xlink:href, or a value a <set> or <animate> of the link's href gives it, which Chromium follows when the picture is clicked whatever the markup's href says) to a web page outside the sender's domain: the picture opens in the browser and is itself the button (View document over a brand's logo), with no script for svg-script to see. Logos, charts and diagrams that link to the sender's own site do not count. Tagged; with anything else it quarantines."},
		part: checkSVGLink},
	{CheckInfo: CheckInfo{"clipboard-command", sc.Suspicious, 60,
		"An HTML or SVG attachment whose script puts a command line on the clipboard (navigator.clipboard.writeText, the copy command of a field it filled, clipboardData.setData) and holds one: PowerShell with an option or a download-and-run idiom, mshta with an address, cmd /c, rundll32, regsvr32, msiexec, certutil, bitsadmin, wscript, conhost, finger, curl | sh, osascript: the ClickFix lure (a fake CAPTCHA, a \"How to fix\" button, FileFix) that has the reader paste it into the Run dialog, a terminal or Explorer's address bar, so nothing is downloaded and no link is clicked. Read after its scripts are normalised and decoded as for html-credential-form. A copy button for text the page shows does not count. Quarantined."},
		part: checkClipboardCommand},
	{CheckInfo: CheckInfo{"clickfix-instructions", sc.Suspicious, 50,
		"Text a reader sees (a mail body, a meeting invitation's, a PDF's pages, an attached page's shown text) that tells them to open the Run dialog (Win+R, Windows key + R, ⊞+R, \"Run dialog\") or the Win+X menu, or a terminal or PowerShell with a pretext, and paste (Ctrl+V, \"paste\"), in English, German, French, Spanish, Portuguese, Italian, Dutch or Polish: the ClickFix and fake CAPTCHA lure without a script, the command already on the clipboard or shown. It counts with a command that runs code from the web (PowerShell, mshta, curl | sh, ... not from the sender's own site), a pretext (verify you are human, I'm not a robot, fix the error) or nothing shown to paste; a help desk's steps inside the company without such a command, a guide that shows the path or program to paste, and awareness mail that names the attack (attackers, scam, ClickFix, never paste) do not count. Quarantined."},
		part: checkClickFixInstructions},
	// PDF
	{CheckInfo: CheckInfo{"pdf-javascript", sc.Suspicious, 30,
		"A PDF with JavaScript (/JavaScript, /JS, hex-escaped names normalised), or an XFA form (/XFA) whose template holds a script (JavaScript or FormCalc, in any packet, compressed or in object streams), which Adobe Reader runs as the form opens without any /JS name. Some forms use it; tagged."},
		part: checkPDFJavaScript},
	{CheckInfo: CheckInfo{"pdf-launch", sc.Suspicious, 60,
		"A PDF with a /Launch action, which starts a program or opens a file. Quarantined."},
		part: pdfNamed("Launch")},
	{CheckInfo: CheckInfo{"pdf-active-content", sc.Info, 0,
		"A PDF with actions or attachments that honest PDFs also use (/OpenAction, /AA, /EmbeddedFile, /SubmitForm, /ImportData, /RichMedia, /XFA, /GoToE, /GoToR): noted, no score. /URI links are checked as URLs instead."},
		part: pdfNamed("OpenAction", "AA", "EmbeddedFile", "SubmitForm", "ImportData", "RichMedia", "XFA", "GoToE", "GoToR")},
	{CheckInfo: CheckInfo{"pdf-credential-form", sc.Suspicious, 60,
		"A PDF form with a password field (a text field with the Password flag, an XFA passwordEdit) that submits to a web address outside the sender's domain (a SubmitForm action, a script's submitForm call, an XFA submit target): a sign-in page in a PDF. Read from the file and its object streams, names and strings however escaped. Quarantined."},
		part: checkPDFCredentialForm},
	{CheckInfo: CheckInfo{"pdf-link-lure", sc.Suspicious, 50,
		"A PDF of a few words (at most 120) that sends its reader to a document, file or message elsewhere (\"View document\", \"Click here to view\", \"shared a file with you\", \"secure document\", \"Access your signed contract\", also in German, French, Spanish, Italian, Portuguese and Dutch), or a PDF of one or two pages that shows no text at all, only a picture, with a link, a URL in its text or a QR code to a web host outside the sender's domain, the domains of a brand its text names and a well-known brand's own services (a share or site on Dropbox, OneDrive or Google Drive still counts): the button PDF phishers attach so that the link is not in the mail. The text is read as a PDF reader shows it (lookalike letters, digits of other scripts, full-width letters folded). Quarantined."},
		part: checkPDFLinkLure},
	// Sender
	{CheckInfo: CheckInfo{"display-name-domain", sc.Suspicious, 40,
		"A From, Sender or Reply-To display name that shows an address or a domain other than the mailbox's own (\"security@paypal.com\" <x@evil.example>, \"paypal.com Support\" <a@b.example>, a reserved name such as paypal.example, a group named so, a From with no address at all): mail clients show the name and hide the address, and show the Reply-To's name when the reader answers. The same holds for a message attached to the mail (message/rfc822, an .eml file, an Outlook .msg by the sender it shows and its transport headers): opened, it shows its own From (\"see the attached message\"); a forwarded message truly from the brand's domain does not count. Read as clients read it: encoded words in any charset, inside quotes too, or the field decoded whole; full-width ＠ and ．, invisible and bidirectional characters dropped; quotes, escapes, comments, groups, an address outside angle brackets, the address pushed far right with blanks, every From, Sender and Reply-To field and every address in them. The same name under another suffix (acme.com for acme.de), another domain of the same brand, a name that is the address's own local part (anna.li), a mailing list's rewrite (\"jo@acme.example via Dev\" with List-Id and the author in Reply-To or Cc), and an ordinary address shown by a service that mails for its users (\"jo@acme.com via SurveyMonkey\", Google Drive's shares, Calendly, a Zendesk help desk; docs/heuristics.md lists them; a brand's or a protected domain's address through them still counts) do not count. Tagged (40): with a brand named or any other finding that scores it quarantines."},
		mail: checkNameDomain},
	{CheckInfo: CheckInfo{"display-name-brand", sc.Suspicious, 30,
		"A From, Sender or Reply-To display name, the scanned message's or an attached message's, that names a well-known brand (lookalike-domain's list; read through lookalike letters, split words and letters, one letter off for the long names) while the address is at none of the brand's domains: its name under any suffix and subdomain (paypal.de, e.paypal.com, docusign.net, marketplace.amazon.de) or its owner's other mail domains and top-level domains (microsoftonline.com and sharepointonline.com for Microsoft, facebookmail.com for Facebook, signup.aws for Amazon; docs/heuristics.md lists them). Brands that are also names or words (Office, Outlook, Chase, Zoom) count only beside a lure word (Chase Account Alert), Apple, Adobe and Amazon alone or beside one; a service in parentheses (\"Jo (Google Calendar)\") whose Sender is that service's, and Exchange's own reports (\"Microsoft Outlook\" from its MicrosoftExchange… system mailbox in a recipient's domain), do not count. A brand's name on an ESP's domain (paypal.esp.example) counts: brands send from their own. Tagged (30)."},
		mail: checkNameBrand},
	{CheckInfo: CheckInfo{"sender-lookalike-domain", sc.Suspicious, 60,
		"A From, Sender or Reply-To address (also an attached message's), or the envelope sender (Return-Path in a stored message), whose domain imitates a well-known brand or a protected domain exactly as lookalike-domain judges link hosts (TR39 confusables, typos, lure words, a brand's domain in front of another). Quarantined."},
		mail: checkSenderLookalike},
	{CheckInfo: CheckInfo{"display-name-protected", sc.Suspicious, 30,
		"A From, Sender or Reply-To display name (also an attached message's) that names a protected domain's company (heuristics.protected_domains: \"AcmeCorp IT Helpdesk\", \"Acme Corp Payroll\" for acmecorp.com; its name as a word, words joined, letters spaced out, lookalike letters, one letter off for six letters or more, its legal form spelled out or left out as in Acme Corporation, glued to a word) with nothing beside it but words of a department, a role or a notice (IT, helpdesk, payroll, HR, support, security, team, CEO, notification, ...), while the address is not at the company's domain: the company's own desk written from elsewhere. Not counted: the same name under another suffix (sender-lookalike-domain's), a name showing the domain (display-name-domain's), a provider's host named after the company (acmecorp.zendesk.com, its own tenant) and a service writing for it (\"Acme Corp via Partner Portal\"). Outsourced payroll and benefits services write such names honestly, so alone it only tags (30)."},
		mail: checkNameProtected(true)},
	{CheckInfo: CheckInfo{"display-name-protected-freemail", sc.Info, 15,
		"A display name from a free mail service naming a protected domain's company beside a person's name (\"Jo Smith (AcmeCorp)\" <jo.smith@gmail.com>, \"J. Doe - Acme Corp CEO\"): the layout of CEO fraud, and of an employee writing from a personal account. Alone it does not tag (15); with any other finding that scores it does. A partner's or vendor's mail naming the company (\"Widgets Inc for AcmeCorp\") does not count."},
		mail: checkNameProtected(false)},
	{CheckInfo: CheckInfo{"reply-to-freemail", sc.Info, 15,
		"The From is a protected domain (heuristics.protected_domains) or a brand's own (a free mail address is not: a Gmail user is not Google), and Reply-To sends the answer to a free mail service (Gmail, Outlook.com, Yahoo, GMX, ...) that is not the same owner's: the business e-mail compromise pattern. Share and signature services (DocuSign, Google Docs) do this honestly for their users, so alone it does not tag (15); with any other finding that scores it does."},
		msg: checkReplyTo(true)},
	{CheckInfo: CheckInfo{"reply-to-diverted", sc.Info, 10,
		"The From is a protected domain or a brand's own, and Reply-To sends the answer to another owner's domain that is no free mail service. Help desks and agencies do this honestly, so it scores less than reply-to-freemail and tags only with another sign."},
		msg: checkReplyTo(false)},
	// Lures
	{CheckInfo: CheckInfo{"calendar-organizer-spoof", sc.Suspicious, 40,
		"A meeting request (an inline text/calendar part or an attached .ics, METHOD REQUEST, PUBLISH or none) sent from outside whose ORGANIZER is an address of the recipients' own domain: the calendar shows a colleague (\"the CEO\") inviting, whoever sent it. An organizer, or its delegate (SENT-BY), at the sender's domain (From or envelope), a meeting sent to its own organizer (a scheduling service's copy), and replies, counter-proposals and cancellations, do not count. Tagged (40): with a lure in the invitation it quarantines."},
		part: checkOrganizerSpoof},
	{CheckInfo: CheckInfo{"callback-phishing", sc.Suspicious, 50,
		"Callback phishing (TOAD, BazarCall): text a reader sees (text hidden from the reader, as Chromium draws an HTML body or page, does not count; a mail body with its Subject and its images' alt text, an attached PDF's pages, Word, Excel, PowerPoint, OpenDocument and RTF documents, attached HTML pages) that names a well-known brand at its head (Norton, McAfee, Geek Squad, PayPal, Microsoft, Amazon, Apple, ...) with an amount charged for a renewal, subscription or order, an ask to cancel, dispute or claim a refund, and a telephone number to call, in English, German, French, Spanish, Italian, Portuguese or Dutch; sent from a domain that is not the brand's own, and, unless from a free mail service, whose text names nothing of the sender (its domain's name, a link to it, mail inside its own domain: a reseller's receipt or a company IT desk's renewal notice names itself, a lure from a hijacked mailbox or a new domain does not), nor, from such a company, a text that asks only to cancel (no doubt that the charge was the reader's: not authorized, not made by you, fraud, refund, dispute) and greets a recipient by name or says how to unsubscribe with a link (a shop's order confirmation, a service desk's note to a client). A number the writer gives as their own counts unless the writer is the one charged (a customer's complaint). Read through the lure's disguises: digits of any script, full-width letters, O, I and l for digits, digits spelled as words, numbers cut by spaces, dots, slashes, markup, invisible characters, line breaks or pieces of PDF text, brand names in look-alike letters, accents, cut by markup or spaced out. Such mails carry no link to check: the call is the attack. A lure that is only a picture is not read. Quarantined."},
		part: checkCallback},
	// URLs
	{CheckInfo: CheckInfo{"blocklisted-url", sc.Malicious, 100,
		"A URL whose host (or a parent domain) or URL prefix is on the local blocklist."},
		url: checkBlocklist},
	{CheckInfo: CheckInfo{"dnsbl-url", sc.Suspicious, 60,
		"A URL whose registered domain or IP is listed in a configured DNS URI blocklist (DBL/SURBL style). Quarantined; lists include spam as well as malware domains."},
		url: checkDNSBL},
	{CheckInfo: CheckInfo{"lookalike-domain", sc.Suspicious, 60,
		"A URL host that imitates a well-known brand or a protected domain (heuristics.protected_domains): letters Unicode's TR39 lists as confusable (Cyrillic/Greek homoglyphs, punycode, 0 for o, rn for m), Latin letters with diacritics (paypaḷ), or a typo-squat (one letter added, dropped or changed, two letters swapped, an added hyphen, words like -login or secure- around the name). Quarantined."},
		url: checkLookalike},
	{CheckInfo: CheckInfo{"mixed-script-domain", sc.Suspicious, 30,
		"A URL host label mixing Latin with Cyrillic, Greek or Armenian letters, which browsers refuse to display. Tagged."},
		url: checkMixedScript},
	{CheckInfo: CheckInfo{"userinfo-url", sc.Suspicious, 50,
		"A URL with a domain-looking user name before @ (https://bank.example@198.51.100.7/): the reader sees the name, the browser goes to the host. Quarantined."},
		url: checkUserinfo},
	{CheckInfo: CheckInfo{"slash-lookalike-host", sc.Suspicious, 50,
		"A link whose host holds, between letters, a character that looks like a slash or a backslash (U+2044 fraction slash, U+2215 division slash, U+29F8 big solidus, U+2216 set minus, katakana no, ...: what Unicode's confusables map to / or \\): Chromium keeps it in the host as punycode, so https://login.microsoftonline.com\u2044common\u2044oauth.evil.test/ goes to evil.test while the reader sees the host end at microsoftonline.com. A link's text read for a domain (link-text-mismatch, link-text-brand-mismatch) ends at such a character too, as a reader reads it. Look-alikes Chromium maps to a slash (U+FF0F) make it refuse the link, and look-alike full stops (U+3002, U+FF0E) are full stops to it; both are read as the browser reads them. Quarantined."},
		url: checkSlashLookalikeHost},
	{CheckInfo: CheckInfo{"ip-url", sc.Suspicious, 20,
		"A URL whose host is an IP address (including decimal and hex forms). Tagged: honest senders use names."},
		url: checkIPURL},
	{CheckInfo: CheckInfo{"recipient-in-link", sc.Suspicious, 30,
		"A link to a host outside the sender's domain carrying the recipient's own address after # (as written or in base64): phishing kits read it there to fill in their sign-in page, where the web server's logs never show it. Newsletters put the address in their query parameters, which this does not count. Tagged; with anything else it quarantines."},
		url: checkRecipientInLink},
	{CheckInfo: CheckInfo{"anonymous-host-link", sc.Suspicious, 15,
		"A link to a page that no domain's reputation speaks for: content on IPFS (ipfs:// or ipns://, a /ipfs/ path with a content ID or an /ipns/ path on any gateway, a <CID>.ipfs.<gateway> or <name>.ipns.<gateway> host), a tunnel to someone's own computer (trycloudflare.com, ngrok, localtunnel, ...), or a web page (.html, .htm, .svg, ...) served straight from a storage bucket (storage.googleapis.com, Firebase storage, S3, Azure blobs, r2.dev, ...). Phishing kits live there because nobody can block them by domain; honest mail seldom links one, but some does (a developer's preview, release notes in a bucket), so alone it does not tag. Images do not count."},
		url: checkAnonymousHost},
	{CheckInfo: CheckInfo{"free-hosting-lure", sc.Suspicious, 35,
		"A link to a site on free hosting, storage, a form builder, a file shared from a cloud drive (Dropbox, OneDrive, Google Drive, a Google drawing or published slides), IPFS or a tunnel (docs/heuristics.md lists the hosts) with a sign of a lure: the site's name or a web page's file name naming a brand as a word (sharepoint-doc-7f3a.pages.dev, .../adobe.html) or glued to nothing but lure words, other brands, digits or a hex tail (wellsfargoonline.glitch.me, docusign7f3a.vercel.app, micros0ftverify.web.app; never an English word such as pineapple), a web page named with a lure word (webmail.html, login.htm), the recipient's address anywhere in a link to storage, IPFS, a tunnel or a site builder (apps, forms and shares put their users' addresses in links honestly), the message's subject or text telling of a mailbox or password to keep (Your mailbox is full, password expires, verify your account, storage quota; in English, German, French, Spanish, Italian, Portuguese, Dutch and Japanese; markup, entities, line breaks, no-break and zero-width characters and full-width letters do not hide it), a document-share lure (as document-share-lure reads the mail: A document has been shared with you, Please review and sign, Fax received) whose button is the link (its text a lure or a few words that open, view or read: Open, View document, Read the message; not a file shared from a cloud drive, nor a page's title or address), link text naming a brand (Open in SharePoint; Review document in DocuSign to a Dropbox file) or, to IPFS or a web page in a bucket, saying a lure word (Verify, password), or a form or an HTML attachment's script sending there. Honest mail links such sites all the time (project docs on github.io, files in a bucket, an event on sites.google.com), which alone is no finding; a site named exactly as the brand (microsoft.github.io), the host's own brands (google on Google's hosts, SharePoint on OneDrive) and the sender's own site do not count. Tagged; with anything else it quarantines."},
		url: checkFreeHostingLure},
	{CheckInfo: CheckInfo{"link-text-mismatch", sc.Suspicious, 15,
		"A link whose text shows one domain while it goes to another. Click-tracking newsletters do this too, so alone it does not tag."},
		url: checkLinkMismatch(false)},
	{CheckInfo: CheckInfo{"link-text-brand-mismatch", sc.Suspicious, 40,
		"A link whose text shows a well-known brand's domain (paypal.com, microsoft.com, ...) while it goes to an unrelated domain. Tagged; with anything else it quarantines."},
		url: checkLinkMismatch(true)},
	{CheckInfo: CheckInfo{"brand-signin-link", sc.Suspicious, 30,
		"A link whose text asks the reader to sign in to a well-known brand or open a document with it (Sign in to Microsoft 365, Review document in DocuSign, View on SharePoint, Verify your PayPal account: a brand named as display-name-brand reads names, lookalike letters, split words and typos too (Micr0soft, Pay Pal), with sign in, log in, verify, password, document, envelope, ...; View on or Open in only for the brands that share and sign files: Microsoft's, Dropbox, DocuSign, Adobe, WeTransfer) while it goes to a domain that is none of the brand's (the brand's own domains and those named after it, paypal.de, sharepoint.com; a company's others, office.com for SharePoint). Not raised for buttons of an app's own sign-in (Sign in with Google), for a company's own sign-in server (a link to the From address's own domain when that is a recipient's domain or a protected one, and no free mail or lookalike: a stranger's domain linking to itself still counts), for text that shows a domain (link-text-brand-mismatch) or for shared hosting (free-hosting-lure). Newsletters whose click tracker hides the brand's link can raise it, so alone it only tags."},
		url: checkBrandSignIn},
	{CheckInfo: CheckInfo{"document-share-lure", sc.Suspicious, 30,
		"A mail whose text as the reader sees it (text hidden as Chromium draws the body does not count; with its Subject and its images' alt text) says a document, file, secure message, voicemail, fax or signature request waits (X shared a file with you, You have received a secure message, New voicemail, Fax received, Please review and sign, Your document is ready, View document; in English, German, French, Spanish, Italian, Portuguese and Dutch; read through markup, entities, invisible characters, full-width and look-alike letters and accents, a mail address standing for any word of it) with a link to a host that is neither the sender's (by envelope or From) nor a service's that shares files, takes signatures or delivers voicemail, faxes or encrypted mail (a well-known brand's own domains, but not a site published on them; Box, Dropbox Sign, PandaDoc, ShareFile, Egnyte, Smartsheet, RingCentral, 8x8, Vonage, Dialpad, eFax, Proofpoint, Mimecast, Virtru, Zix, ...), and either the link's own text is a lure (View document, Review and sign: the lure's button, however many decoy links the mail has) or the mail links to at most two such hosts (a notification has one button; a person's mail that names a document among links to forms and sites has more). A link through an email service's click tracker (SendGrid, Mailchimp, Amazon SES, HubSpot, ..., or the trackers they serve from a customer's own domains: SendGrid's /ls/click, Marketo's /dc/ and mkt_tok, Salesforce Marketing Cloud's click.*/?qs=, HubSpot's /Ctc/, Eloqua, Mailgun) counts only when its text is the lure's button or the mail names a file-sharing brand (Microsoft's, Dropbox, DocuSign, Adobe, WeTransfer) that is not the From address's: a newsletter's tracked links are not a lure. A company's portal on a domain of its own that is not its mail domain says the same, so alone it only tags; with a brand's name, the recipient's address in the link or any other finding it quarantines."},
		url: checkDocumentShareLure},
	{CheckInfo: CheckInfo{"account-lure-link", sc.Suspicious, 40,
		"A mail whose text says the reader's mailbox is full, mail is held back or the password expires or is to be kept (the account lures free-hosting-lure reads that ask only for a mailbox's password; not verify your account or your account will be suspended, which services say to their customers) with a link to a host that is neither the sender's (by envelope or From, or a domain of the same name: acme.com's mail to acme.example), nor a brand's own, nor a service's that shares files, nor an identity provider's (Okta, OneLogin, Duo, Ping, Microsoft's sign-in, ...), when the link's text is the lure's button (Keep my password, Upgrade, Click here: a lure or a few words with a verb that opens, views, keeps, verifies or signs in; in English, German, French, Spanish, Italian, Portuguese and Dutch) or the mail links to at most two such hosts. Free hosting is free-hosting-lure's; a link through a click tracker is a newsletter's. A company's IT desk links to its own site or its identity provider's, and a mail from the recipients' own domain (envelope and From) is the company's own notice (its password portal may be on a domain of any name), as is a link to the recipients' own domain. Tagged; with anything else it quarantines."},
		url: checkAccountLureLink},
	{CheckInfo: CheckInfo{"account-lure-own-mailbox", sc.Suspicious, 20,
		"A mail that account-lure-link finds (the mailbox is full or the password expires, a link to a stranger's host), sent from outside the recipients' domain, whose subject, text or link names the recipient's address or the recipients' domain (Your corp.example mailbox is full, Dear bob@corp.example, Password expiry notice for bob@corp.example): a stranger speaking as the recipient's own mail desk. A company's own notice comes from its own domain; a mail host's or a service desk's links to its own site. With account-lure-link it quarantines."},
		url: checkAccountLureOwnMailbox},
	{CheckInfo: CheckInfo{"notice-lure-link", sc.Suspicious, 30,
		"A mail from outside the recipients' domain (envelope and From) whose text or subject (or an HTML page it attaches) says an invoice is to be viewed or paid or is overdue, a payroll change waits (direct deposit, payslip, salary statement or raise, bank details to update), a parcel is held for a fee, a new delivery or an address, or a second factor is to be re-registered or will be disabled (multi-factor or two-factor authentication, MFA, 2FA, an authenticator app, with re-register, will be disabled, ...; in English, German, French, Spanish, Italian, Portuguese and Dutch), with a link to a host that is neither the sender's (by envelope or From, or a domain of the same name), nor a brand's own, nor a provider's that sends such notices for others (billing: Stripe, Chargebee, Bill.com, QuickBooks, Xero, ...; payroll: ADP, Paychex, Gusto, Workday, ...; carriers and tracking services: UPS, FedEx, DHL, national posts, AfterShip, Narvar, ...; identity providers: Okta, Duo, ...), when the link is the notice's button: its text the ask (View invoice, Update direct deposit), here (hier, ici, aquí, qui) or a few words with a verb that opens, views, pays, schedules, registers, confirms or updates (Pay now, Neue Zustellung planen, Continuer), showing no domain; in a plain-text mail, a web address in or just after the line that says the ask. A vendor links its own site or its billing provider's, a payroll notice comes from the company or its provider, a carrier links its own site and a shop its carrier's; a signature's link (www.supplier.example, About us), free hosting (free-hosting-lure's), a link through a click tracker (a newsletter's) and tracking a parcel (no ask) do not count. A company's portal on a domain of another name says the same, so alone it only tags."},
		url: checkNoticeLureLink},
	{CheckInfo: CheckInfo{"voicemail-lure-link", sc.Suspicious, 20,
		"A voicemail lure that document-share-lure finds (New voicemail, Play, Listen to message; in the languages it reads) from outside the recipients' domain (envelope and From), whose link goes to no phone system's host (RingCentral, 8x8, Vonage, Dialpad, Aircall, Zoom, Webex, 3CX, ...) and is not named as the sender's domain is. Voicemail is mailed by the recipient's own phone system, from the company's own domain or from the phone service linking its own site; nobody shares a voicemail from a portal of their own. With document-share-lure it quarantines."},
		url: checkVoicemailLureLink},
	{CheckInfo: CheckInfo{"data-link", sc.Suspicious, 50,
		"A link, form or frame pointing at a data: URL, which opens a page or file the gateway never sees as a web address. Quarantined."},
		url: checkSchemeLink("data")},
	{CheckInfo: CheckInfo{"javascript-link", sc.Suspicious, 30,
		"A link, form or frame pointing at a javascript: or vbscript: URL. Mail clients block them; attackers still try. Tagged."},
		url: checkSchemeLink("javascript", "vbscript")},
	{CheckInfo: CheckInfo{"file-share-link", sc.Suspicious, 50,
		"A link to click (in a mail body, an attached page, a PDF or an Office document) that opens a file share or a WebDAV folder on the Internet (file://host/share, file:///\\\\host@SSL\\DavWWWRoot, \\\\host\\share, a host written as a number), or a search: or search-ms: link whose crumb=location: is one: Explorer shows the sender's shortcuts and scripts as local files, without Mark-of-the-Web (the WebDAV .lnk and .url campaigns). A share at the sender's own domain, a single-label name, a private address or an intranet suffix (.local, .corp, ...) is a colleague's server and does not count. Quarantined."},
		url: checkShareLink},
	{CheckInfo: CheckInfo{"qr-url", sc.Info, 0,
		"A URL read from a QR, Data Matrix or Aztec code in an image (PNG, JPEG, GIF, BMP, WebP; attached, inline, in a PDF or an Office document) or drawn without a picture (an HTML table, Unicode block characters, SVG shapes, CSS boxes), or cut into images an HTML body or a PDF page lays out touching (split codes): shows what the code says. Every URL check runs on it; their findings say \"in a QR code\"."},
		url: checkQRURL},
	{CheckInfo: CheckInfo{"qr-only-link", sc.Suspicious, 20,
		"The message's only web links are in codes, and they go to a domain that is not the sender's: the quishing pattern, which moves the click from the mail client's link protection to a phone. Tagged."},
		url: checkQROnlyLink},
	{CheckInfo: CheckInfo{"image-not-searched", sc.Info, 0,
		"An image not searched for codes, or not fully: a JPEG over 100 megapixels, a progressive one whose decoding needs more memory than its bound (about 56 megapixels) or a JPEG of too many scans or too much scan work, another image (or a JPEG only Go's decoder reads) over 12 megapixels (a 4032×3024 phone photo), more than 200 images in the message, or its share of the message's 3 seconds for reading codes (shared among the message's pictures) spent. Noted, not unscannable: images are everywhere."},
		part: checkImageNotSearched},
	{CheckInfo: CheckInfo{"redirect-url", sc.Info, 0,
		"A link through a redirector or link wrapper (Google /url and /amp/s/, Bing /ck/a, Outlook Safe Links, Proofpoint URL Defense v1-v3, Mimecast, Barracuda, Facebook, LinkedIn, Slack, YouTube, Yahoo search, the ad clicks of DoubleClick (the landing page after ;? or in adurl=) and Google Ads, or a url=/u=/redirect=/target=/dest= parameter holding a URL): noted with the wrapper's name. Every URL check also runs on the target, so a wrapped link scores as the link it hides."},
		url: checkRedirect},
	{CheckInfo: CheckInfo{"open-redirect", sc.Suspicious, 20,
		"A link through a public open redirect of a site everybody trusts (Google, Bing, Facebook, LinkedIn, Slack) to another site: honest senders link to their target directly. So is a sign-in service's OAuth authorization endpoint (Microsoft's login.microsoftonline.com and login.live.com, Google's accounts.google.com, GitHub) whose redirect_uri is another site, where the service sends the reader, at once when the request asks for no prompt or names a scope that does not exist. Tagged."},
		url: checkOpenRedirect},
}

const unscannableText = "An encrypted archive member that could not be opened with any password found or configured. " +
	"It is unscannable, so the policy's unscannable action applies (quarantine by default)."

// baseName is the last element of a name that may carry archive folders.
func baseName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return name
}

// label names a part for a detail: its file name, else its path.
func label(p *message.Part) string {
	if p.Filename != "" {
		return show(baseName(p.Filename))
	}
	return "part " + p.Path
}

var executableTypes = set("application/x-msdownload", "application/vnd.microsoft.portable-executable",
	"application/x-dosexec", "application/x-executable", "application/x-elf", "application/x-mach-binary",
	"application/x-sharedlib", "application/java-vm")

var containerTypes = set("application/x-iso9660-image", "application/x-vhd", "application/x-vhdx",
	"application/onenote", "application/x-udf-image")

// classify says which dangerous class a part belongs to ("executable",
// "script", "shortcut", "container"), from its bytes first, then its name.
func classify(p *message.Part) (class, why string) {
	k := sniff(p)
	switch {
	case isExecutableKind(k):
		return "executable", "content is " + k
	case executableTypes[p.DetectedType]:
		return "executable", "content is " + p.DetectedType
	case k == kindLNK:
		return "shortcut", "content is " + k
	case k == kindCHM:
		return "script", "content is " + k
	case k == kindISO || k == kindOneNote:
		return "container", "content is " + k
	case p.DetectedType == "application/x-ms-shortcut":
		return "shortcut", "content is " + p.DetectedType
	case p.DetectedType == "application/vnd.ms-htmlhelp":
		return "script", "content is " + p.DetectedType
	case containerTypes[p.DetectedType]:
		return "container", "content is " + p.DetectedType
	}
	e := message.Ext(p.Filename)
	why = "name " + show(baseName(p.Filename))
	switch {
	case e == "":
		return "", ""
	case execExts[e]:
		return "executable", why
	case scriptExts[e]:
		return "script", why
	case shortcutExts[e]:
		return "shortcut", why
	case riskyContainerExts[e]:
		return "container", why
	case clsidExt(e):
		return "script", why + " ends in a class ID, which Explorer hides and opens with that class"
	}
	return "", ""
}

func dangerousClass(want string) func(*env, *message.Part) []string {
	return func(e *env, p *message.Part) []string {
		if e.inContainer(p) {
			return nil // executable-in-container speaks for members
		}
		if c, why := classify(p); c == want {
			return []string{want + ": " + why}
		}
		return nil
	}
}

func checkRiskyContainer(e *env, p *message.Part) []string {
	if c, why := classify(p); c == "container" {
		return []string{why}
	}
	return nil
}

func checkExecutableInContainer(e *env, p *message.Part) []string {
	if !e.inContainer(p) {
		return nil
	}
	switch c, why := classify(p); c {
	case "executable", "script", "shortcut":
		where := "a container"
		if ct := e.container(p); ct != nil {
			where = show(baseName(ct.Filename))
			if ct.Filename == "" {
				where = "part " + ct.Path
			}
		}
		return []string{c + " inside " + where + ": " + why}
	}
	return nil
}

func checkDisguisedExecutable(e *env, p *message.Part) []string {
	k := sniff(p)
	if !isExecutableKind(k) && !executableTypes[p.DetectedType] {
		return nil
	}
	if k == "" {
		k = p.DetectedType
	}
	if x := message.Ext(p.Filename); decoyExts[x] {
		return []string{k + " named " + show(baseName(p.Filename))}
	}
	if f := declaredFamily(p.DeclaredType); f != "" {
		return []string{k + " declared as " + show(p.DeclaredType)}
	}
	return nil
}

func checkTypeMismatch(e *env, p *message.Part) []string {
	k := sniff(p)
	if k == "" || isExecutableKind(k) { // executables: disguised-executable
		return nil
	}
	if want := extFamily[message.Ext(p.Filename)]; want != "" && !sameFamily(want, k) {
		return []string{"name " + show(baseName(p.Filename)) + " but content is " + k}
	}
	// Archive members have no declared type; this is MIME's Content-Type.
	if want := declaredFamily(p.DeclaredType); want != "" && want != "text" && !sameFamily(want, k) {
		return []string{"declared " + show(p.DeclaredType) + " but content is " + k}
	}
	return nil
}

func checkDoubleExtension(e *env, p *message.Part) []string {
	n := strings.TrimRight(strings.ToLower(baseName(p.Filename)), ". ")
	i := strings.LastIndexByte(n, '.')
	if i < 0 {
		return nil
	}
	last := n[i+1:]
	if !dangerousExt(last) {
		return nil
	}
	rest := n[:i]
	trimmed := strings.TrimRightFunc(rest, func(r rune) bool {
		return unicode.IsSpace(r) || r == '_' || r == '\u200b' || r == '\u2800' || r == '\u3164'
	})
	if j := strings.LastIndexByte(trimmed, '.'); j >= 0 && decoyExts[trimmed[j+1:]] {
		return []string{show(baseName(p.Filename)) + ": ." + trimmed[j+1:] + " hides ." + last}
	}
	if len([]rune(rest))-len([]rune(trimmed)) >= 3 {
		return []string{show(baseName(p.Filename)) + ": padding hides ." + last}
	}
	return nil
}

func hasAnyRune(s string, f func(r rune) bool) (rune, bool) {
	for _, r := range s {
		if f(r) {
			return r, true
		}
	}
	return 0, false
}

func checkRTLO(e *env, p *message.Part) []string {
	if _, ok := hasAnyRune(p.Filename, func(r rune) bool { return r == '\u202E' || r == '\u202D' }); ok {
		return []string{"override character in " + show(p.Filename)}
	}
	return nil
}

func checkBidi(e *env, p *message.Part) []string {
	if r, ok := hasAnyRune(p.Filename, func(r rune) bool {
		return (r >= '\u202A' && r <= '\u202C') || (r >= '\u2066' && r <= '\u2069')
	}); ok {
		return []string{"bidi control " + show(string(r)) + " in " + show(p.Filename)}
	}
	return nil
}

// dotLookalikes render like "." but are not one, so Windows sees no extension there.
var dotLookalikes = set("\u2024", "\uFE52", "\uA4F8", "\u0701", "\u0702", "\u2E33", "\u00B7", "\u2219")

func checkHomoglyphFilename(e *env, p *message.Part) []string {
	name := baseName(p.Filename)
	for _, r := range name {
		if dotLookalikes[string(r)] {
			return []string{"dot lookalike " + show(string(r)) + " in " + show(name)}
		}
	}
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if urls.MixesScripts(w) {
			return []string{"mixed-script word " + show(w) + " in " + show(name)}
		}
	}
	return nil
}

func checkFilenameMismatch(e *env, p *message.Part) []string {
	if len(p.AltNames) == 0 {
		return nil
	}
	want := message.Ext(p.Filename)
	for _, n := range p.AltNames {
		if x := message.Ext(n); x != want {
			return []string{show(baseName(p.Filename)) + " is also named " + show(baseName(n))}
		}
	}
	return nil
}

func checkMIMEAmbiguous(e *env, p *message.Part) []string {
	if p.ShownBy == "" {
		return nil
	}
	return []string{label(p) + ": " + p.ShownBy}
}

func checkEncrypted(e *env, p *message.Part) []string {
	if !p.Encrypted {
		return nil
	}
	return []string{"encrypted and not opened: " + label(p)}
}

func checkAmbiguous(e *env, p *message.Part) []string {
	if p.Ambiguous != "" {
		return []string{p.Ambiguous}
	}
	return nil
}

func checkPasswordFromBody(e *env, p *message.Part) []string {
	switch p.UnlockedBy {
	case "body", "subject", "attachment":
		return []string{"opened with a password from the " + p.UnlockedBy}
	case "filename":
		return []string{"opened with a password from a file name"}
	}
	return nil
}
