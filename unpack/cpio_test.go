package unpack

import (
	"bytes"
	"compress/gzip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

// What bsdtar packs in each cpio format macOS and Linux tools write, Kensa
// reads byte for byte under the names bsdtar shows; and bsdtar reads what
// formats.Cpio writes.
func TestCpioAsBsdtar(t *testing.T) {
	bsdtar := toolNeeded(t, "bsdtar")
	files := installerFiles()
	src := t.TempDir()
	names := writeFiles(t, src, files)
	if err := os.Symlink("report.txt", filepath.Join(src, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(filepath.Join(src, "words.txt"), filepath.Join(src, "hard.txt")); err != nil {
		t.Fatal(err)
	}
	files["hard.txt"] = files["words.txt"]
	names = append(names, "link", "hard.txt")
	for _, format := range []string{"odc", "newc", "cpgz"} {
		t.Run(format, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "x.cpio")
			f := format
			if f == "cpgz" {
				f = "odc"
			}
			args := []string{"-c", "--format", f, "-f", file}
			if format == "cpgz" {
				args = append(args, "-z")
			}
			cmd := exec.Command(bsdtar, append(args, names...)...)
			cmd.Dir = src
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("bsdtar: %v\n%s", err, out)
			}
			b, _ := os.ReadFile(file)
			msg := mail("", "", "x.cpio", b)
			base := "2/x.cpio/"
			if format == "cpgz" {
				msg = mail("", "", "x.cpgz", b)
				base = "2/x.cpgz/data/"
			}
			expand(t, msg, Options{})
			noProblems(t, msg)
			for name, data := range files {
				got := mustPart(t, msg, base+name)
				if name == "words.txt" && format == "newc" {
					continue // newc keeps hard links' data once, with the last name (hard.txt)
				}
				if !bytes.Equal(got.Content, data) {
					t.Errorf("%s: read %d bytes, not the %d bsdtar packed", name, len(got.Content), len(data))
				}
			}
			if part(msg, base+"link") != nil {
				t.Errorf("a symbolic link read as a file")
			}
		})
	}
	t.Run("formats.Cpio", func(t *testing.T) {
		dir := t.TempDir()
		file := filepath.Join(dir, "x.cpio")
		js := files["invoice.js"]
		if err := os.WriteFile(file, formats.Cpio(formats.File{Name: "invoice.js", Data: js}, formats.File{Name: "notes.txt", Data: []byte(marker)}), 0o600); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(bsdtar, "-x", "-C", dir, "-f", file).CombinedOutput(); err != nil {
			t.Fatalf("bsdtar -x: %v\n%s", err, out)
		}
		if got, err := os.ReadFile(filepath.Join(dir, "invoice.js")); err != nil || !bytes.Equal(got, js) {
			t.Fatalf("bsdtar extracted %q (%v)", got, err)
		}
	})
}

// A macOS installer package's scripts (a gzipped cpio in the xar) are read
// down to the script.
func TestCpioInPackage(t *testing.T) {
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	zw.Write(formats.Cpio(formats.File{Name: "./preinstall", Data: []byte("#!/bin/sh\necho kensa\n")}))
	zw.Close()
	msg := mail("", "", "x.pkg", formats.Xar(formats.File{Name: "base.pkg/Scripts", Data: z.Bytes()}))
	expand(t, msg, Options{})
	noProblems(t, msg)
	mustPart(t, msg, "2/x.pkg/base.pkg/Scripts/data/preinstall")
}

// Broken cpio archives are named problems; text that starts like one is
// not a cpio archive.
func TestCpioHostile(t *testing.T) {
	good := formats.Cpio(formats.File{Name: "invoice.js", Data: []byte(marker)})
	for _, tt := range []struct {
		name string
		b    []byte
		want string
	}{
		{"cut in the data", good[:90], "data beyond the archive"},
		{"cut in a header", good[:len(good)-40], "no cpio header"},
		{"no trailer", good[:len(good)-87], "no trailer"},
		{"name beyond", append(append(append([]byte{}, good[:59]...), "777777"...), good[65:]...), "name beyond the archive"},
		{"size beyond", append(append(append([]byte{}, good[:65]...), "77777777777"...), good[76:]...), "data beyond the archive"},
		{"garbage after a member", append(append([]byte{}, good[:len(good)-87]...), "junk"...), "no cpio header"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			msg := mail("", "", "x.cpio", tt.b)
			expand(t, msg, Options{})
			p := problem(msg, ReasonCorrupt)
			if p == nil || !strings.Contains(p.Detail, tt.want) {
				t.Fatalf("want a corrupt-archive problem saying %q; have:\n%s", tt.want, dump(msg))
			}
		})
	}
	msg := mail("", "", "x.txt", []byte("070707 is the number to call; 070701 the other one. Nothing else here."))
	expand(t, msg, Options{})
	noProblems(t, msg)
}
