package unpack

import (
	"bytes"
	"encoding/binary"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

// exfatFiles are what the exFAT tests write: a name in several name
// entries, one beyond ASCII, a folder, a file of many clusters, an empty one.
func exfatFiles() []formats.File {
	return []formats.File{
		{Name: "README.txt", Data: []byte(marker)},
		{Name: "Quarterly report of the accounts department, final version.txt", Data: bytes.Repeat([]byte("Quarterly figures. "), 3000)},
		{Name: "請求書.js", Data: []byte("WScript.Shell kensa test")},
		{Name: "data/payload.dll", Data: []byte("MZ kensa stand-in")},
		{Name: "data/empty.txt"},
	}
}

// exfatMount mounts the image file img through exfat-fuse (the FUSE
// driver, over a loop device: it wants a block device when run as root)
// and returns the mount point and a function that unmounts it.
func exfatMount(t *testing.T, img string, ro bool) (string, func()) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Fatal("mounting an exFAT image through exfat-fuse needs root (losetup)")
	}
	losetup, mount, fusermount := toolNeeded(t, "losetup"), toolNeeded(t, "mount.exfat-fuse"), toolNeeded(t, "fusermount")
	out, err := exec.Command(losetup, "-f", "--show", img).Output()
	if err != nil {
		t.Fatalf("losetup: %v", err)
	}
	dev := strings.TrimSpace(string(out))
	dir := t.TempDir()
	args := []string{dev, dir}
	if ro {
		args = []string{"-o", "ro", dev, dir}
	}
	if b, err := exec.Command(mount, args...).CombinedOutput(); err != nil {
		exec.Command(losetup, "-d", dev).Run()
		t.Fatalf("mount.exfat-fuse: %v\n%s", err, b)
	}
	done := false
	unmount := func() {
		if done {
			return
		}
		done = true
		if b, err := exec.Command(fusermount, "-u", dir).CombinedOutput(); err != nil {
			t.Errorf("fusermount -u: %v\n%s", err, b)
		}
		if b, err := exec.Command(losetup, "-d", dev).CombinedOutput(); err != nil {
			t.Errorf("losetup -d: %v\n%s", err, b)
		}
	}
	t.Cleanup(unmount)
	return dir, unmount
}

// fsckExFAT fails the test unless fsck.exfat finds the image clean.
func fsckExFAT(t *testing.T, img string) {
	t.Helper()
	if b, err := exec.Command(toolNeeded(t, "fsck.exfat"), "-n", img).CombinedOutput(); err != nil || !strings.Contains(string(b), "clean") {
		t.Fatalf("fsck.exfat: %v\n%s", err, b)
	}
}

// exfatRead is what Kensa reads from vol, an exFAT volume, in a fixed VHD
// with an MBR, as a superfloppy and as a raw image: each member's bytes by
// its path under the disk.
func exfatRead(t *testing.T, vol []byte) map[string][]byte {
	t.Helper()
	var got map[string][]byte
	for _, img := range [][]byte{formats.VHDFixed(formats.Partitioned(vol, false, false)), formats.VHDFixed(vol), vol} {
		m := mail("", "", "disk.vhd", img)
		expand(t, m, Options{})
		noProblems(t, m)
		read := map[string][]byte{}
		for _, p := range m.Parts[2:] {
			read[strings.TrimPrefix(p.Path, "2/disk.vhd/")] = p.Content
		}
		if got != nil && len(got) != len(read) {
			t.Fatalf("%d files partitioned, %d as a superfloppy", len(got), len(read))
		}
		got = read
	}
	return got
}

// Files written by exfat-fuse into volumes mkfs.exfat made (small and
// large clusters, a file grown in turns with another so that its clusters
// are chained in the FAT, not one run) Kensa reads byte for byte under
// their names, and fsck.exfat finds the volumes clean.
func TestExFATMadeByTools(t *testing.T) {
	for _, cluster := range []string{"512", "4K", "32K"} {
		t.Run(cluster, func(t *testing.T) {
			img := filepath.Join(t.TempDir(), "x.img")
			if err := os.WriteFile(img, make([]byte, 16<<20), 0o600); err != nil {
				t.Fatal(err)
			}
			if b, err := exec.Command(toolNeeded(t, "mkfs.exfat"), "-c", cluster, "-L", "DOCUMENTS", img).CombinedOutput(); err != nil {
				t.Fatalf("mkfs.exfat: %v\n%s", err, b)
			}
			dir, unmount := exfatMount(t, img, false)
			want := map[string][]byte{}
			for _, f := range exfatFiles() {
				want[f.Name] = f.Data
			}
			writeFiles(t, dir, want)
			// Two files grown a piece at a time, in turns: fragmented.
			a, b := filepath.Join(dir, "data", "grown-a.bin"), filepath.Join(dir, "grown-b.exe")
			for i := range 40 {
				for _, f := range []string{a, b} {
					h, err := os.OpenFile(f, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o600)
					if err != nil {
						t.Fatal(err)
					}
					h.Write(bytes.Repeat([]byte{byte(i), 'M', 'Z'}, 700))
					h.Close()
				}
			}
			for name, f := range map[string]string{"data/grown-a.bin": a, "grown-b.exe": b} {
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				want[name] = data
			}
			unmount()
			fsckExFAT(t, img)
			vol, err := os.ReadFile(img)
			if err != nil {
				t.Fatal(err)
			}
			if !exfatChained(vol) {
				t.Fatal("exfat-fuse wrote no file of several clusters chained in the FAT: the FAT walk goes untested")
			}
			got := exfatRead(t, vol)
			for name, data := range want {
				if !bytes.Equal(got[name], data) {
					t.Errorf("%s: read %d bytes, exfat-fuse wrote %d", name, len(got[name]), len(data))
				}
				delete(got, name)
			}
			for name := range got {
				if name != "data" {
					t.Errorf("read %q, which was not written", name)
				}
			}
		})
	}
}

// exfatChained says a stream extension in vol (at an entry boundary)
// has its clusters chained in the FAT (no NoFatChain flag) and more than
// one cluster of data.
func exfatChained(vol []byte) bool {
	csize := uint64(1) << (vol[108] + vol[109])
	for i := 0; i+32 <= len(vol); i += 32 {
		if vol[i] == 0xC0 && vol[i+1]&2 == 0 && binary.LittleEndian.Uint64(vol[i+24:]) > csize {
			return true
		}
	}
	return false
}

// What our writer makes (files in one run each, and chained in the FAT)
// fsck.exfat finds clean, and exfat-fuse and Kensa read the same files.
func TestExFATWriter(t *testing.T) {
	for _, contiguous := range []bool{false, true} {
		vol := formats.ExFAT(formats.ExFATOptions{Label: "DOCS", Contiguous: contiguous}, exfatFiles()...)
		img := filepath.Join(t.TempDir(), "x.img")
		if err := os.WriteFile(img, vol, 0o600); err != nil {
			t.Fatal(err)
		}
		fsckExFAT(t, img)
		dir, _ := exfatMount(t, img, true)
		got := exfatRead(t, vol)
		for _, f := range exfatFiles() {
			fuse, err := os.ReadFile(filepath.Join(dir, f.Name))
			if err != nil || !bytes.Equal(fuse, f.Data) || !bytes.Equal(got[f.Name], f.Data) {
				t.Errorf("%s: exfat-fuse read %d bytes (%v), Kensa %d, written %d", f.Name, len(fuse), err, len(got[f.Name]), len(f.Data))
			}
		}
	}
}

// exfatEntry is the offset in vol of the entry set (its file entry) of
// the file named name (ASCII), found by its first name entry.
func exfatEntry(t *testing.T, vol []byte, name string) int {
	t.Helper()
	u := make([]byte, 0, 30)
	for _, c := range name[:min(len(name), 15)] {
		u = binary.LittleEndian.AppendUint16(u, uint16(c))
	}
	i := bytes.Index(vol, append([]byte{0xC1, 0}, u...))
	if i < 64 || vol[i-64] != 0x85 {
		t.Fatalf("no entry set for %q", name)
	}
	return i - 64
}

// resum sets an edited entry set's checksum again.
func resum(vol []byte, at int) {
	n := int(vol[at+1])
	var s uint16
	for k, b := range vol[at : at+32*(n+1)] {
		if k != 2 && k != 3 {
			s = (s&1)<<15 + s>>1 + uint16(b)
		}
	}
	binary.LittleEndian.PutUint16(vol[at+2:], s)
}

// Hostile exFAT volumes: loops, entry sets that lie, sizes that lie, bad
// checksums. Each is corrupt-archive or a limit, never a hang.
func TestExFATHostile(t *testing.T) {
	files := []formats.File{{Name: "a.txt", Data: bytes.Repeat([]byte("a"), 9000)}, {Name: "docs/b.exe", Data: []byte("MZ kensa")}}
	le := binary.LittleEndian
	fresh := func(contiguous bool) []byte {
		return formats.ExFAT(formats.ExFATOptions{Label: "X", Contiguous: contiguous}, files...)
	}
	fatAt := func(vol []byte, n uint32) int { return int(le.Uint32(vol[80:]))*512 + 4*int(n) }
	stream := func(vol []byte, name string) int { return exfatEntry(t, vol, name) + 32 }
	cases := map[string]struct {
		edit   func(vol []byte) []byte
		reason string
	}{
		"a chain that loops": {func(v []byte) []byte {
			first := le.Uint32(v[stream(v, "a.txt")+20:])
			le.PutUint32(v[fatAt(v, first+1):], first) // the second cluster leads back to the first
			return v
		}, ReasonCorrupt},
		"a chain that leaves the volume": {func(v []byte) []byte {
			first := le.Uint32(v[stream(v, "a.txt")+20:])
			le.PutUint32(v[fatAt(v, first):], 0x00FFFFF0)
			return v
		}, ReasonCorrupt},
		"a set claiming more secondaries than the directory holds": {func(v []byte) []byte {
			at := exfatEntry(t, v, "a.txt")
			v[at+1] = 18
			return v
		}, ReasonCorrupt},
		"a set with too few secondaries for its name": {func(v []byte) []byte {
			at := exfatEntry(t, v, "a.txt")
			v[at+32+3] = 200 // a name of 200 characters
			resum(v, at)
			return v
		}, ReasonCorrupt},
		"a bad set checksum": {func(v []byte) []byte {
			v[exfatEntry(t, v, "a.txt")+2] ^= 1
			return v
		}, ReasonCorrupt},
		"a bad name hash": {func(v []byte) []byte {
			at := exfatEntry(t, v, "a.txt")
			v[at+32+4] ^= 1
			resum(v, at)
			return v
		}, ReasonCorrupt},
		"valid data past the data length": {func(v []byte) []byte {
			at := exfatEntry(t, v, "a.txt")
			le.PutUint64(v[at+32+8:], 1<<20)
			resum(v, at)
			return v
		}, ReasonCorrupt},
		"a run that leaves the volume": {func(v []byte) []byte {
			at := exfatEntry(t, v, "a.txt")
			le.PutUint32(v[at+32+20:], 0x7FFFFFF0)
			resum(v, at)
			return v
		}, ReasonCorrupt},
		"a cluster the bitmap marks free": {func(v []byte) []byte {
			heap := int(le.Uint32(v[88:])) * 512
			first := le.Uint32(v[stream(v, "a.txt")+20:])
			v[heap+int(first-2)/8] &^= 1 << ((first - 2) % 8)
			return v
		}, ReasonCorrupt},
		"a folder holding itself": {func(v []byte) []byte {
			at := exfatEntry(t, v, "docs")
			le.PutUint32(v[at+32+20:], le.Uint32(v[96:])) // the root's cluster
			resum(v, at)
			return v
		}, ""},
		"both boot regions damaged": {func(v []byte) []byte {
			v[120] ^= 1
			v[12*512+120] ^= 1
			return v
		}, ReasonCorrupt},
		"a huge file of zeros past its valid data": {func(v []byte) []byte {
			at := exfatEntry(t, v, "a.txt")
			le.PutUint64(v[at+32+24:], 1<<40)
			resum(v, at)
			return v
		}, "limit"},
	}
	for name, c := range cases {
		for _, contiguous := range []bool{false, true} {
			if contiguous && strings.Contains(name, "chain") {
				continue
			}
			t.Run(name, func(t *testing.T) {
				m := mail("", "", "disk.vhd", formats.VHDFixed(c.edit(fresh(contiguous))))
				expand(t, m, Options{})
				switch c.reason {
				case "":
					return // ends: the walk is bounded
				case "limit":
					if p := limitProblem(m); p == nil || !p.Unscannable {
						t.Fatalf("no limit problem:\n%s", dump(m))
					}
				default:
					mustProblem(t, m, c.reason, "2")
				}
			})
		}
	}
	// The main boot region damaged: Windows uses the backup.
	v := fresh(false)
	v[120] ^= 1
	m := mail("", "", "disk.vhd", formats.VHDFixed(v))
	expand(t, m, Options{})
	noProblems(t, m)
	mustPart(t, m, "2/disk.vhd/docs/b.exe")
}
