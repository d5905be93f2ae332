package message

import "testing"

// Ext gives the extension Windows opens a name by.
func TestExt(t *testing.T) {
	for name, want := range map[string]string{
		"invoice.PDF": "pdf", "a.tar.gz": "gz", "x.exe. ": "exe", "x.exe...": "exe", `dir.js\a`: "", "dir.js/a.Txt": "txt",
		"README": "", ".": "", "": "", "a.js\x00.txt": "txt",
	} {
		if got := Ext(name); got != want {
			t.Errorf("Ext(%q) = %q, want %q", name, got, want)
		}
	}
}
