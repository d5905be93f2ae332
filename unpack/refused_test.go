package unpack

import (
	"testing"
)

// Archives Kensa recognises and does not open, and parts named as
// archives whose bytes are no format Kensa knows, are
// unsupported-container: never opaque clean bytes. Honest parts that
// merely look alike are not.
func TestRefusedArchives(t *testing.T) {
	refused := map[string][]byte{
		"documents.ace": []byte("\x00\x00\x1f\x00\x00\x00\x00**ACE**\x14\x14\x02\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00"),
		"documents.zoo": []byte("ZOO 2.10 Archive.\x1a\x00\x00\xdc\xa7\xc4\xfd\x22\x00\x00\x00\xde\xff\xff\xff\x02\x01"),
		"documents.sit": []byte("StuffIt (c)1997-2002 Aladdin Systems, Inc., http://www.aladdinsys.com/StuffIt/\r\n\x1a\x00"),
		"documents.alz": []byte("ALZ\x01\x0a\x00\x00\x00BLZ\x01\x0b\x00"),
		"documents.egg": []byte("EGGA\x00\x01\x12\x34\x56\x78\x00\x00\x00\x00\x22\x82\xe2\x08"),
		// Named as archives, bytes of no known format: an ARJ whose main
		// header is damaged (arj searches on; the sniffer does not), a
		// RAR volume past the first, a format Kensa has never heard of.
		"documents.arj": append([]byte{0x60, 0xea, 0xff, 0xff}, make([]byte, 60)...),
		"documents.r01": []byte("\x8f\x1e\x00\xa7 continuation of a volume \x00\x01\x02\x03"),
		"documents.pak": []byte("\x1a\x0bINVOICE\x00\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\x00\x01\x02"),
		"documents.uc2": []byte("UC2\x1a\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09"),
		"part.001":      []byte("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\xff\xfe"),
	}
	for name, b := range refused {
		t.Run(name, func(t *testing.T) {
			msg := mail("", "", name, b)
			expand(t, msg, Options{})
			mustProblem(t, msg, ReasonUnsupported, "2")
		})
	}
	honest := map[string][]byte{
		"notes.txt":    []byte("Meeting notes: the archive room (.arj files of 1995) moves to the basement.\r\n"),
		"readme.z":     []byte("Plain text in a file with a .z name is text, not an archive.\r\n"),
		"photo.bin":    []byte("\x00\x01\x02\x03\x04\x05\x06\x07\x08\x09\xff\xfe"),
		"report.pdf.1": []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"),
	}
	for name, b := range honest {
		t.Run(name, func(t *testing.T) {
			msg := mail("", "", name, b)
			expand(t, msg, Options{})
			if p := problem(msg, ReasonUnsupported); p != nil {
				t.Errorf("%s: %s: %s", name, p.Reason, p.Detail)
			}
		})
	}
}
