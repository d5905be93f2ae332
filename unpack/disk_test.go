package unpack

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
	"github.com/kensa-milter/kensa/message"
)

// diskFiles are the files of the test volumes: a long name, a name with
// non-ASCII letters, a file in a subfolder, one spanning several clusters.
func diskFiles() []formats.FATFile {
	return []formats.FATFile{
		{Name: "README.TXT", Data: []byte(marker)},
		{Name: "Quarterly report.txt", Data: cabFiles()[1].Data}, // the report cabinets are tested with: many clusters
		{Name: "請求書.js", Data: []byte("WScript.Shell kensa test")},
		{Name: "data/payload.dll", Data: []byte("MZ kensa stand-in"), Hidden: true},
	}
}

// diskImages are the ways the same volume reaches Windows.
func diskImages() map[string][]byte {
	vol := formats.FAT("DOCUMENTS", diskFiles()...)
	mbr := formats.Partitioned(vol, false, false)
	gpt := formats.Partitioned(vol, true, false)
	return map[string][]byte{
		"fixed VHD, MBR":             formats.VHDFixed(mbr),
		"dynamic VHD, MBR":           formats.VHDDynamic(mbr),
		"VHDX, MBR":                  formats.VHDX(mbr),
		"VHDX, GPT":                  formats.VHDX(gpt),
		"dynamic VHD, GPT":           formats.VHDDynamic(gpt),
		"fixed VHD, superfloppy":     formats.VHDFixed(vol),
		"VHDX, GPT, primary damaged": formats.VHDX(formats.Partitioned(vol, true, true)),
	}
}

func TestDiskImagesRead(t *testing.T) {
	for name, img := range diskImages() {
		t.Run(name, func(t *testing.T) {
			m := mail("", "", "disk.vhd", img)
			expand(t, m, Options{})
			noProblems(t, m)
			for _, f := range diskFiles() {
				p := mustPart(t, m, "2/disk.vhd/"+f.Name)
				if !bytes.Equal(p.Content, f.Data) {
					t.Errorf("%s: read %d bytes, want %d", f.Name, len(p.Content), len(f.Data))
				}
			}
		})
	}
}

// entryAt is the offset of the directory entry whose 11-byte short name
// is raw in a FAT volume.
func entryAt(t *testing.T, vol []byte, raw string) int {
	t.Helper()
	i := bytes.Index(vol, []byte(raw))
	if i < 0 || i%32 != 0 {
		t.Fatalf("no directory entry %q", raw)
	}
	return i
}

// fatEntry12 sets the FAT12 entry of cluster n in both FATs of vol.
func fatEntry12(vol []byte, n, val int) {
	fatSectors := int(binary.LittleEndian.Uint16(vol[22:]))
	for f := range 2 {
		formats.SetFAT12(vol[512+f*fatSectors*512:], n, val)
	}
}

func TestDiskImagesHostile(t *testing.T) {
	le := binary.LittleEndian
	open := func(t *testing.T, img []byte) *message.Message {
		m := mail("", "", "disk.vhd", img)
		done := make(chan struct{})
		go func() { expand(t, m, Options{}); close(done) }()
		select {
		case <-done:
		case <-time.After(time.Minute):
			t.Fatal("reading the image did not end")
		}
		return m
	}
	big := bytes.Repeat([]byte("kensa "), 3000) // 18000 bytes: five clusters
	files := []formats.FATFile{{Name: "README.TXT", Data: []byte(marker)}, {Name: "BIG.TXT", Data: big}, {Name: "data/invoice.js", Data: []byte("WScript.Shell kensa test")}}

	t.Run("a cluster chain that loops", func(t *testing.T) {
		vol := formats.FAT("X", files...)
		e := entryAt(t, vol, "BIG     TXT")
		first := int(le.Uint16(vol[e+26:]))
		fatEntry12(vol, first+1, first) // the second cluster leads back to the first
		m := open(t, formats.VHDFixed(vol))
		mustProblem(t, m, ReasonCorrupt, "2")
		mustPart(t, m, "2/disk.vhd/README.TXT")
		mustPart(t, m, "2/disk.vhd/data/invoice.js")
	})
	t.Run("a directory that lists itself", func(t *testing.T) {
		vol := formats.FAT("X", files...)
		dir := entryAt(t, vol, "DATA       ")
		cluster := le.Uint16(vol[dir+26:])
		self := entryAt(t, vol, ".          ")
		copy(vol[self+64:], vol[dir:dir+32]) // after . and ..: "DATA" again, pointing at itself
		vol[self+64+11] = 0x10
		le.PutUint16(vol[self+64+26:], cluster)
		copy(vol[self+96:], vol[entryAt(t, vol, "INVOICE JS "):][:32]) // keep invoice.js after it (its long name is lost)
		m := open(t, formats.VHDFixed(vol))
		mustPart(t, m, "2/disk.vhd/data/INVOICE.JS")
	})
	t.Run("a file larger than its chain", func(t *testing.T) {
		vol := formats.FAT("X", files...)
		le.PutUint32(vol[entryAt(t, vol, "README  TXT")+28:], 0xFFFFFFF0)
		m := open(t, formats.VHDFixed(vol))
		mustProblem(t, m, ReasonCorrupt, "2")
		if p := mustPart(t, m, "2/disk.vhd/README.TXT"); !bytes.HasPrefix(p.Content, []byte(marker)) {
			t.Errorf("the readable start of the file is lost: %q", p.Content)
		}
	})
	t.Run("a cluster outside the volume", func(t *testing.T) {
		vol := formats.FAT("X", files...)
		le.PutUint16(vol[entryAt(t, vol, "README  TXT")+26:], 4000)
		m := open(t, formats.VHDFixed(vol))
		mustProblem(t, m, ReasonCorrupt, "2")
		mustPart(t, m, "2/disk.vhd/BIG.TXT")
	})
	t.Run("a long name whose checksum fails is not shown", func(t *testing.T) {
		vol := formats.FAT("X", formats.FATFile{Name: "invoice.pdf", Short: "INVOICE.JS", Data: []byte("WScript.Shell kensa test")})
		e := entryAt(t, vol, "INVOICE JS ")
		vol[e-32+13] ^= 0xFF // the long name's checksum
		m := open(t, formats.VHDFixed(vol))
		mustPart(t, m, "2/disk.vhd/INVOICE.JS")
		if part(m, "2/disk.vhd/invoice.pdf") != nil {
			t.Errorf("read the name Windows does not show:\n%s", dump(m))
		}
	})
	t.Run("a short name with another extension is an alternative name", func(t *testing.T) {
		vol := formats.FAT("X", formats.FATFile{Name: "invoice.pdf", Short: "INVOICE.JS", Data: []byte("WScript.Shell kensa test")})
		m := open(t, formats.VHDFixed(vol))
		p := mustPart(t, m, "2/disk.vhd/invoice.pdf")
		if !slices.Contains(p.AltNames, "INVOICE.JS") {
			t.Errorf("alternative names %q lack INVOICE.JS", p.AltNames)
		}
	})
	t.Run("a dynamic disk's block table outside the file", func(t *testing.T) {
		img := formats.VHDDynamic(formats.FAT("X", files...))
		binary.BigEndian.PutUint64(img[512+16:], 1<<40)
		m := open(t, img)
		mustProblem(t, m, ReasonCorrupt, "2")
	})
	t.Run("a sparse disk of 2 TiB", func(t *testing.T) {
		img := formats.VHDDynamic(formats.Partitioned(formats.FAT("X", files...), false, false))
		// The declared size grows; the block table keeps its entries.
		for _, at := range []int{0, len(img) - 512} {
			binary.BigEndian.PutUint64(img[at+48:], 2<<40)
		}
		m := open(t, img)
		noProblems(t, m)
		mustPart(t, m, "2/disk.vhd/data/invoice.js")
	})
	t.Run("FATs counted as expanded bytes", func(t *testing.T) {
		// Four partitions, each a boot sector declaring a FAT32 volume of
		// 4 M clusters (a 16 MiB FAT), on a sparse disk: the FATs read
		// count against the message's bytes, so the limit stops them.
		boot := make([]byte, 512)
		copy(boot, "\xEB\x58\x90MSWIN4.1")
		le.PutUint16(boot[11:], 512)
		boot[13] = 1
		le.PutUint16(boot[14:], 32)
		boot[16] = 1
		le.PutUint32(boot[32:], 4<<20-16+32+32768)
		le.PutUint32(boot[36:], 32768)
		le.PutUint32(boot[44:], 2)
		boot[510], boot[511] = 0x55, 0xAA
		disk := make([]byte, 4<<20)
		for i := range 4 {
			at := (i + 1) << 20
			copy(disk[at:], boot)
			e := disk[446+16*i:]
			e[4] = 0x0C
			le.PutUint32(e[8:], uint32(at/512))
			le.PutUint32(e[12:], 4<<20-16+32+32768)
		}
		disk[510], disk[511] = 0x55, 0xAA
		m := mail("", "", "disk.vhd", formats.VHDDynamic(disk))
		expand(t, m, Options{Limits: Limits{MaxTotalBytes: 40 << 20}})
		mustProblem(t, m, ReasonTotalSize, "2")
	})
	t.Run("a differencing disk is unsupported", func(t *testing.T) {
		img := formats.VHDDynamic(formats.FAT("X", files...))
		for _, at := range []int{0, len(img) - 512} {
			binary.BigEndian.PutUint32(img[at+60:], 4)
		}
		m := open(t, img)
		mustProblem(t, m, ReasonUnsupported, "2")
	})
	t.Run("an NTFS boot sector and nothing else", func(t *testing.T) {
		vol := make([]byte, 64<<10)
		copy(vol, "\xEB\x52\x90NTFS    ")
		m := open(t, formats.VHDFixed(formats.Partitioned(vol, false, false)))
		mustProblem(t, m, ReasonCorrupt, "2")
	})
	t.Run("an exFAT boot sector and nothing else", func(t *testing.T) {
		vol := make([]byte, 64<<10)
		copy(vol, "\xEB\x76\x90EXFAT   ")
		m := open(t, formats.VHDFixed(formats.Partitioned(vol, false, false)))
		mustProblem(t, m, ReasonCorrupt, "2")
	})
	t.Run("a VHDX with no valid header", func(t *testing.T) {
		img := formats.VHDX(formats.FAT("X", files...))
		img[64<<10+4] ^= 1
		img[128<<10+4] ^= 1
		m := open(t, img)
		mustProblem(t, m, ReasonCorrupt, "2")
	})
	t.Run("a VHDX with one damaged header uses the other", func(t *testing.T) {
		img := formats.VHDX(formats.FAT("X", files...))
		img[128<<10+4] ^= 1 // the newer one
		m := open(t, img)
		noProblems(t, m)
		mustPart(t, m, "2/disk.vhd/data/invoice.js")
	})
	t.Run("a VHDX with a log to replay is ambiguous", func(t *testing.T) {
		img := formats.VHDX(formats.FAT("X", files...))
		for _, at := range []int{64 << 10, 128 << 10} {
			h := img[at : at+4096]
			h[48] = 1 // a log GUID
			clear(h[4:8])
			le.PutUint32(h[4:], crc32.Checksum(h, crc32.MakeTable(crc32.Castagnoli)))
		}
		m := open(t, img)
		if !strings.Contains(m.Parts[1].Ambiguous, "log") {
			t.Errorf("ambiguity %q does not name the log", m.Parts[1].Ambiguous)
		}
		mustPart(t, m, "2/disk.vhd/data/invoice.js")
	})
}

func FuzzDisk(f *testing.F) {
	small := formats.FAT("X", formats.FATFile{Name: "a.js", Data: []byte(marker)}, formats.FATFile{Name: "d/b.txt", Data: []byte(marker)})
	// No partition table: a partitioned seed starts a MiB in, too large
	// for the fuzzer to mutate usefully.
	fuzzOpener(f, "vhd", formats.VHDFixed(small), formats.VHDDynamic(small))
}

func runTool(t *testing.T, name string, args ...string) {
	t.Helper()
	if b, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %q: %v\n%s", name, args, err, b)
	}
}

// What 7-Zip (7zz, which reads VHD, VHDX, MBR, GPT and FAT) extracts from
// the images the generator writes, Kensa reads, byte for byte.
func TestDiskImagesAs7ZipReadsThem(t *testing.T) {
	toolNeeded(t, "7zz")
	for name, img := range diskImages() {
		if strings.Contains(name, "damaged") {
			continue // 7-Zip does not fall back on the backup GPT; Windows does
		}
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "disk.vhd")
			if err := os.WriteFile(file, img, 0o600); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "out")
			runTool(t, "7zz", "x", "-y", "-o"+out, file)
			m := mail("", "", "disk.vhd", img)
			expand(t, m, Options{})
			noProblems(t, m)
			n := 0
			err := filepath.WalkDir(out, func(path string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				n++
				want, err := os.ReadFile(path)
				if err != nil {
					return err
				}
				rel, _ := filepath.Rel(out, path)
				if p := mustPart(t, m, "2/disk.vhd/"+filepath.ToSlash(rel)); !bytes.Equal(p.Content, want) {
					t.Errorf("%s: Kensa read %d bytes, 7-Zip %d", rel, len(p.Content), len(want))
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if n != len(diskFiles()) {
				t.Errorf("7-Zip extracted %d files, want %d", n, len(diskFiles()))
			}
		})
	}
}

// Volumes made by Linux's mkfs.fat and filled by mtools (FAT12, 16 and 32,
// long names, a subfolder, a fragmented file), then stored by qemu-img as a
// dynamic VHD, a fixed VHD and a VHDX, are read whole. An NTFS volume made
// by mkntfs is unsupported-container: never read as empty.
func TestDiskImagesMadeByTools(t *testing.T) {
	for _, tool := range []string{"mkfs.fat", "mcopy", "mmd", "mdel", "qemu-img", "mkntfs", "ntfscp"} {
		toolNeeded(t, tool)
	}
	dir := t.TempDir()
	src := map[string][]byte{}
	for _, f := range diskFiles() {
		src[f.Name] = f.Data
	}
	writeFiles(t, filepath.Join(dir, "src"), src)
	for _, fat := range []struct {
		bits, mib int
	}{{12, 2}, {16, 8}, {32, 40}} {
		vol := filepath.Join(dir, fmt.Sprintf("fat%d.img", fat.bits))
		runTool(t, "mkfs.fat", "-C", "-F", fmt.Sprint(fat.bits), "-s", "1", "-S", "512", "-n", "DOCUMENTS", vol, fmt.Sprint(fat.mib*1024))
		// A file written and deleted between two others leaves a gap that
		// the report's clusters fill: its chain is not one run.
		runTool(t, "mcopy", "-i", vol, filepath.Join(dir, "src", "README.TXT"), "::/README.TXT")
		runTool(t, "mcopy", "-i", vol, filepath.Join(dir, "src", "請求書.js"), "::/gap.bin")
		runTool(t, "mcopy", "-i", vol, filepath.Join(dir, "src", "請求書.js"), "::/請求書.js")
		runTool(t, "mdel", "-i", vol, "::/gap.bin")
		runTool(t, "mcopy", "-i", vol, filepath.Join(dir, "src", "Quarterly report.txt"), "::/Quarterly report.txt")
		runTool(t, "mmd", "-i", vol, "::/data")
		runTool(t, "mcopy", "-i", vol, filepath.Join(dir, "src", "data", "payload.dll"), "::/data/payload.dll")
		volume, err := os.ReadFile(vol)
		if err != nil {
			t.Fatal(err)
		}
		raw := filepath.Join(dir, "disk.raw")
		if err := os.WriteFile(raw, formats.Partitioned(volume, fat.bits == 32, false), 0o600); err != nil {
			t.Fatal(err)
		}
		for _, store := range []struct{ name, format, opts string }{
			{"dynamic VHD", "vpc", "subformat=dynamic"},
			{"fixed VHD", "vpc", "subformat=fixed"},
			{"VHDX", "vhdx", "subformat=dynamic"},
		} {
			t.Run(fmt.Sprintf("FAT%d in a %s", fat.bits, store.name), func(t *testing.T) {
				img := filepath.Join(dir, "disk."+store.format)
				runTool(t, "qemu-img", "convert", "-f", "raw", "-O", store.format, "-o", store.opts, raw, img)
				b, err := os.ReadFile(img)
				if err != nil {
					t.Fatal(err)
				}
				m := mail("", "", "disk.vhd", b)
				expand(t, m, Options{})
				noProblems(t, m)
				sameMembers(t, m, "2/disk.vhd", src, "mtools")
			})
		}
	}
	t.Run("NTFS", func(t *testing.T) {
		vol := filepath.Join(dir, "ntfs.img")
		runTool(t, "truncate", "-s", "8M", vol)
		runTool(t, "mkntfs", "-F", "-Q", "-q", "-L", "DOCUMENTS", vol)
		// ntfscp makes no folders: the files at the root, the hidden one too.
		for name := range src {
			runTool(t, "ntfscp", "-q", vol, filepath.Join(dir, "src", name), path.Base(name))
		}
		volume, err := os.ReadFile(vol)
		if err != nil {
			t.Fatal(err)
		}
		m := mail("", "", "disk.vhd", formats.VHDFixed(formats.Partitioned(volume, false, false)))
		expand(t, m, Options{})
		noProblems(t, m)
		for name, data := range src {
			if p := mustPart(t, m, "2/disk.vhd/"+path.Base(name)); !bytes.Equal(p.Content, data) {
				t.Errorf("%s: read %d bytes, want %d", name, len(p.Content), len(data))
			}
		}
	})
}

// go-ntfs on a damaged volume: bytes of the MFT and of the boot sector
// changed at random (a fixed seed), each reading ends, within the time
// limit, with files or a named problem (a panic in the parser is
// corrupt-archive).
func TestNTFSDamaged(t *testing.T) {
	toolNeeded(t, "mkntfs")
	toolNeeded(t, "ntfscp")
	dir := t.TempDir()
	vol := filepath.Join(dir, "ntfs.img")
	src := filepath.Join(dir, "big.txt")
	if err := os.WriteFile(src, bytes.Repeat([]byte("kensa ntfs "), 20000), 0o600); err != nil {
		t.Fatal(err)
	}
	runTool(t, "truncate", "-s", "4M", vol)
	runTool(t, "mkntfs", "-F", "-Q", "-q", vol)
	runTool(t, "ntfscp", "-q", vol, src, "big.txt")
	good, err := os.ReadFile(vol)
	if err != nil {
		t.Fatal(err)
	}
	mft := int64(binary.LittleEndian.Uint64(good[48:])) * int64(good[13]) * int64(binary.LittleEndian.Uint16(good[11:]))
	rng := rand.New(rand.NewPCG(1, 2))
	lim := Limits{Timeout: 10 * time.Second}
	for i := range 300 {
		b := bytes.Clone(good)
		for range 1 + rng.IntN(8) {
			at := mft + rng.Int64N(32*1024)
			if rng.IntN(8) == 0 {
				at = rng.Int64N(512)
			}
			b[at] = byte(rng.IntN(256))
		}
		m := mail("", "", "disk.vhd", formats.VHDFixed(b))
		start := time.Now()
		expand(t, m, Options{Limits: lim})
		if took := time.Since(start); took > lim.Timeout+5*time.Second {
			t.Fatalf("damaged volume %d took %v", i, took)
		}
	}
}
