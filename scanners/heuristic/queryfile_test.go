package heuristic

import "github.com/kensa-milter/kensa/internal/corpus/formats"

// queryFileCases: data connection and query files naming a server on the
// Internet, and a company's own.
func queryFileCases() map[string][]sample {
	const own = "finance@acme-corp.example"
	odc := func(from, conn string) sample {
		return sample{m: sentBy(from, attach(text("2", `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta http-equiv=Content-Type content="text/x-ms-odc; charset=utf-8">`+
			`<xml id=msodc><odc:OfficeDataConnection xmlns:odc="urn:schemas-microsoft-com:office:odc" xmlns="http://www.w3.org/TR/REC-html40"><odc:Connection odc:Type="OLEDB">`+
			`<odc:ConnectionString>`+conn+`</odc:ConnectionString><odc:CommandType>Table</odc:CommandType><odc:CommandText>&quot;Sales&quot;</odc:CommandText></odc:Connection></odc:OfficeDataConnection></xml></head></html>`, named("sales.odc"))))}
	}
	file := func(from, name, body string) sample {
		return sample{m: sentBy(from, attach(text("2", body, named(name))))}
	}
	conns := func(from, c string) sample {
		return sample{m: sentBy(from, msg(part("2", zipBytes, named("book.xlsx"), container()),
			text("2/book.xlsx/xl/connections.xml", `<connections xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`+c+`</connections>`)))}
	}
	// An .xlsb's connections (xl/connections.bin), as the corpus writes them.
	bin := func(from string, cs ...formats.XLSBConnection) sample {
		return sample{m: sentBy(from, msg(part("2", zipBytes, named("book.xlsb"), container()),
			part("2/book.xlsb/xl/connections.bin", formats.XLSBConnectionsPart(cs))))}
	}
	as := func(s sample, name, want string) sample { s.name, s.part = name, want; return s }
	const other = "office@smith-plumbing.test"
	return map[string][]sample{"query-file-fetch": {
		as(odc(other, "Provider=SQLOLEDB.1;Integrated Security=SSPI;Persist Security Info=True;Initial Catalog=Sales;Data Source=sql.example.net"), ".odc to an Internet SQL Server, integrated security", "2"),
		as(odc(other, "Provider=Microsoft.Mashup.OleDb.1;Data Source=$Workbook$;Location=Sales"), ".odc to the workbook itself is not a server", ""),
		as(odc(other, "Data Source=https://203.0.113.7/odata/Sales;Include Atom Elements=Auto"), ".odc data feed on a numeric host", "2"),
		as(file(other, "sales.dqy", "XLODBC\r\n1\r\nDRIVER=SQL Server;SERVER=tcp:db.example.net,1433;Trusted_Connection=Yes;DATABASE=sales\r\nSELECT * FROM orders\r\n"), ".dqy to an Internet server", "2"),
		as(file(other, "report.dqy", "XLODBC\r\n1\r\nDRIVER={Microsoft Access Driver (*.mdb, *.accdb)};DBQ=\\\\203.0.113.7\\share\\sales.accdb\r\nSELECT * FROM t\r\n"), ".dqy opening a database on an Internet share", "2"),
		as(file(other, "cube.oqy", "QueryType=OLEDB\r\nVersion=1\r\nConnection=Provider=MSOLAP.8;Data Source=https://olap.example.net/olap/msmdpump.dll;Initial Catalog=Sales\r\n"), ".oqy to an Internet OLAP server", "2"),
		as(file(other, "cube.rqy", "QueryType=OLEDB\r\nConnection=Provider=MSOLAP;Data Source=olap.example.net;Initial Catalog=Sales\r\n"), ".rqy to an Internet OLAP server", "2"),
		as(conns(other, `<connection id="1" odcFile="\\files.example.net@SSL\DavWWWRoot\sales.odc" name="Sales" type="1" refreshedVersion="8" onlyUseConnectionFile="1"><dbPr connection="DSN=Sales" command="Sales"/></connection>`), "a workbook's connection file on a WebDAV share", "2/book.xlsx/xl/connections.xml"),
		as(conns(other, `<connection id="1" sourceFile="\\203.0.113.7\share\sales.accdb" name="Sales" type="1" refreshOnLoad="1"><dbPr connection="DSN=Sales" command="Sales"/></connection>`), "a workbook's data file on an Internet share", "2/book.xlsx/xl/connections.xml"),
		as(conns(other, `<connection id="1" odcFile="file://files.example.net/dav/sales.odc" name="Sales" type="5"><dbPr connection="DSN=Sales"/></connection>`), "a workbook's connection file by a file: URL", "2/book.xlsx/xl/connections.xml"),
		as(conns(other, `<connection id="1" odcFile="C:\Users\aiko\Documents\My Data Sources\SQLFIN01 Finance.odc" name="Finance" type="5" refreshedVersion="8"><dbPr connection="Provider=SQLOLEDB.1;Data Source=SQLFIN01"/></connection>`), "a workbook's connection file in My Data Sources", ""),
		as(conns(other, `<connection id="1" odcFile="\\fileserver\DataConnections\Finance.odc" name="Finance" type="5"/>`), "a workbook's connection file on the file server", ""),
		as(conns(own, `<connection id="1" odcFile="\\files.acme-corp.example@SSL\DavWWWRoot\Finance.odc" name="Finance" type="5"/>`), "a workbook's connection file at the sender's own domain", ""),
		as(conns(other, `<connection id="1" odcFile="https://acme.sharepoint.example/sites/fin/DataConnections/Finance.odc" name="Finance" type="5"/>`), "a workbook's connection file in a SharePoint data connection library", ""),
		as(bin(other, formats.XLSBConnection{Name: "Sales", ConnectionFile: `\\files.example.net@SSL\DavWWWRoot\sales.odc`}), "an .xlsb's connection file on a WebDAV share", "2/book.xlsb/xl/connections.bin"),
		as(bin(other, formats.XLSBConnection{Name: "Sales", DataFile: `\\203.0.113.7\share\sales.accdb`, RefreshOnLoad: true}), "an .xlsb's data file on an Internet share", "2/book.xlsb/xl/connections.bin"),
		as(bin(other, formats.XLSBConnection{Name: "Finance", ConnectionFile: `C:\Users\aiko\Documents\My Data Sources\SQLFIN01 Finance.odc`, DataFile: `\\fileserver\data\finance.accdb`}), "an .xlsb's connection file in My Data Sources, data on the file server", ""),
		as(bin(own, formats.XLSBConnection{Name: "Finance", ConnectionFile: `\\files.acme-corp.example@SSL\DavWWWRoot\Finance.odc`}), "an .xlsb's connection file at the sender's own domain", ""),
		// A finance team's connection files.
		as(odc(other, "Provider=SQLOLEDB.1;Integrated Security=SSPI;Initial Catalog=Finance;Data Source=SQLFIN01\\PROD"), ".odc to the intranet SQL Server", ""),
		as(odc(own, "Provider=SQLOLEDB.1;Integrated Security=SSPI;Initial Catalog=Finance;Data Source=sql.acme-corp.example"), ".odc to the sender's own server", ""),
		as(odc(other, "Provider=SQLOLEDB.1;Data Source=sql01.corp.local;Initial Catalog=Finance"), ".odc to an intranet suffix", ""),
		as(file(other, "sales.dqy", "XLODBC\r\n1\r\nDSN=Sales;UID=report;Server=10.20.0.5\r\nSELECT * FROM orders\r\n"), ".dqy to a private address", ""),
		as(file(other, "notes.txt", "Server=db.example.net;Database=x\r\n"), "a text file naming a server", ""),
	}, "dde-link": {
		as(file(own, "prices.iqy", "WEB\r\n1\r\nhttps://www.acme-corp.example/prices.html\r\n"), ".iqy to the sender's own site", ""),
		as(file(other, "prices.iqy", "WEB\r\n1\r\nhttp://intranet/prices.html\r\n"), ".iqy to the intranet", ""),
	}}
}
