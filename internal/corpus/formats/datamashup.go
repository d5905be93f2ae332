package formats

import (
	"encoding/base64"
	"encoding/binary"
	"unicode/utf16"
)

// DataMashup is the custom XML part (customXml/itemN.xml) in which Excel
// keeps a workbook's Power Query queries, as Excel writes it: UTF-16 with a
// byte order mark, the DataMashup element's text base64 of the stream of
// MS-QDEFF 2.2 (version 0, the package parts, an OPC zip whose
// Formulas/Section1.m is the M code m; then the permissions, the metadata
// and the permission bindings, each after its length).
func DataMashup(m string) []byte {
	pkg := ArchiveZip(true,
		ZipEntry{Name: "[Content_Types].xml", Data: []byte(`<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="xml" ContentType="text/xml" /><Default Extension="m" ContentType="application/x-ms-m" /></Types>`)},
		ZipEntry{Name: "Config/Package.xml", Data: []byte(`<?xml version="1.0" encoding="utf-8"?><Package xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
			`<Version>2.86.0.0</Version><MinVersion>2.21.0.0</MinVersion><Culture>en-US</Culture></Package>`)},
		ZipEntry{Name: "Formulas/Section1.m", Data: []byte(m)},
	)
	perms := []byte(`<?xml version="1.0" encoding="utf-8"?><PermissionList xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<CanEvaluateFuturePackages>false</CanEvaluateFuturePackages><FirewallEnabled>true</FirewallEnabled></PermissionList>`)
	meta := []byte(`<?xml version="1.0" encoding="utf-8"?><LocalPackageMetadataFile xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><Items /></LocalPackageMetadataFile>`)
	le := binary.LittleEndian
	s := le.AppendUint32(nil, 0)
	s = le.AppendUint32(s, uint32(len(pkg)))
	s = append(s, pkg...)
	s = le.AppendUint32(s, uint32(len(perms)))
	s = append(s, perms...)
	// Metadata (MS-QDEFF 2.5): version 0, the XML, the content (none).
	md := le.AppendUint32(nil, 0)
	md = le.AppendUint32(md, uint32(len(meta)))
	md = append(md, meta...)
	md = le.AppendUint32(md, 0)
	s = le.AppendUint32(s, uint32(len(md)))
	s = append(s, md...)
	s = le.AppendUint32(s, 0) // no permission bindings
	doc := `<?xml version="1.0" encoding="utf-16"?><DataMashup xmlns="http://schemas.microsoft.com/DataMashup">` +
		base64.StdEncoding.EncodeToString(s) + `</DataMashup>`
	out := []byte{0xFF, 0xFE}
	for _, c := range utf16.Encode([]rune(doc)) {
		out = le.AppendUint16(out, c)
	}
	return out
}
