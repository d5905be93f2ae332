package unpack

import (
	"bytes"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

// What real 7-Zip lists in each container trick, Kensa reads too: the
// generator's tricks checked against an independent reader (p7zip, from
// scripts/deps.sh test). 7-Zip is one of the tools Kensa must see as.
func TestSevenZipSeesNothingKensaMisses(t *testing.T) {
	sevenZip, err := exec.LookPath("7z")
	if err != nil {
		t.Fatalf("7z not found (scripts/deps.sh test installs p7zip-full): %v", err)
	}
	js := []byte("WScript.Shell kensa test")
	tricks := map[string][]byte{
		// 7-Zip shows the first of two zips; Explorer the last.
		"concatenated.zip": append(zipOf(t, entry{"first.js", js}), zipOf(t, entry{"second.txt", []byte(marker)})...),
		// 7-Zip shows the local header's name.
		"names.zip": formats.Zip(formats.ZipEntry{Name: "local.js", CentralName: "central.txt", Data: js}),
		// 7-Zip shows Joliet names, and files only the Joliet tree lists.
		"joliet.iso": formats.ISO("T", formats.ISOFile{ISO: "README.TXT", RockRidge: "run.sh", Joliet: "invoice.js", Data: js},
			formats.ISOFile{Joliet: "hidden.js", Data: js}),
		"v7.tar": formats.TarV7(formats.File{Name: "bin/a.js", Data: js}),
		"disc.udf": formats.UDF("T", formats.File{Name: "invoice.js", Data: js}, formats.File{Name: "big.bin", Data: bytes.Repeat(js, 300)},
			formats.File{Name: "請求書.js", Data: js}),
	}
	dir := t.TempDir()
	for name, b := range tricks {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(dir, name)
			if err := os.WriteFile(file, b, 0o600); err != nil {
				t.Fatal(err)
			}
			// 7-Zip lists what it found and exits 2 on the header errors
			// some tricks are: the listing is what counts.
			out, err := exec.Command(sevenZip, "l", "-slt", "-ba", file).CombinedOutput()
			var listed []string
			for _, line := range strings.Split(string(out), "\n") {
				if p, ok := strings.CutPrefix(strings.TrimSpace(line), "Path = "); ok {
					listed = append(listed, p)
				}
			}
			if len(listed) == 0 {
				t.Fatalf("7z listed nothing (%v):\n%s", err, out)
			}
			m := mail("", "", name, b)
			expand(t, m, Options{})
			have := map[string]bool{}
			for _, p := range m.Parts[2:] {
				rel := strings.TrimPrefix(p.Path, "2/"+name+"/")
				have[rel] = true
				for _, alt := range p.AltNames { // the same bytes under another name
					have[path.Join(path.Dir(rel), alt)] = true
				}
			}
			for _, p := range listed {
				if !have[p] {
					t.Errorf("7-Zip lists %q, Kensa did not read it; Kensa has:\n%s", p, dump(m))
				}
			}
		})
	}
}
