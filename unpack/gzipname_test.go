package unpack

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
)

// A gzip member is what 7-Zip shows (the header's name) and what gunzip
// saves (the container's name without .gz); gunzip is run to prove it.
func TestGzipNames(t *testing.T) {
	gunzip, err := exec.LookPath("gunzip")
	if err != nil {
		t.Fatalf("gunzip not found: %v", err)
	}
	tests := []struct {
		file, header, path string
		alt                []string
	}{
		{"invoice.js.gz", "invoice.txt", "invoice.txt", []string{"invoice.js"}},
		{"report.txt.gz", "report.txt", "report.txt", nil},
		{"logs.gz", "app.log", "app.log", nil}, // saved as "logs": no extension, nothing to run
		{"x.js.gz", "", "x.js", nil},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			gz := gzipOf(t, tt.header, []byte("var a = 1;"))
			m := mail("", "", tt.file, gz)
			expand(t, m, Options{})
			p := mustPart(t, m, "2/"+tt.file+"/"+tt.path)
			if !slices.Equal(p.AltNames, tt.alt) {
				t.Errorf("AltNames %q, want %q", p.AltNames, tt.alt)
			}
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, tt.file), gz, 0o600); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(gunzip, filepath.Join(dir, tt.file)).CombinedOutput(); err != nil {
				t.Fatalf("gunzip: %v\n%s", err, out)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) != 1 {
				t.Fatalf("gunzip left %v", entries)
			}
			if saved := entries[0].Name(); saved != p.Filename && !slices.Contains(p.AltNames, saved) && filepath.Ext(saved) != "" {
				t.Errorf("gunzip saves %q, Kensa's names are %q and %q", saved, p.Filename, p.AltNames)
			}
		})
	}
}
