package hostile

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/policy"
)

// hostileCase is one input and the outcome documented for it (docs/,
// unpack and message package docs).
type hostileCase struct {
	name   string
	raw    func(t testing.TB) []byte
	action policy.Action
	// why must appear among the report's problem reasons or finding IDs.
	why string
}

func hostileCases() []hostileCase {
	passwd := []byte("root:x:0:0:root:/root:/bin/bash\n")
	return []hostileCase{
		{"zip bomb, one member of 16 MiB zeros", func(t testing.TB) []byte {
			return attach("bomb.zip", zipRaw(t, 1, 16<<20))
		}, policy.Quarantine, "limit-ratio"},
		{"zip bomb, 3000 members", func(t testing.TB) []byte {
			ms := make([]member, 3000)
			for i := range ms {
				ms[i] = member{name: strings.Repeat("d/", 3) + string(rune('a'+i%26)) + "-" + itoa(i), data: []byte("x")}
			}
			return attach("many.zip", zipOf(t, ms...))
		}, policy.Quarantine, "limit-members"},
		{"zip bomb, nested 12 deep", func(t testing.TB) []byte {
			z := zipOf(t, member{"eicar.com", eicar()})
			for i := range 12 {
				z = zipOf(t, member{"level" + itoa(i) + ".zip", z})
			}
			return attach("deep.zip", z)
		}, policy.Quarantine, "limit-depth"},
		{"zip bomb, 16 copies at each of 4 levels", func(t testing.TB) []byte {
			z := zipRaw(t, 1, 4<<20)
			for range 4 {
				ms := make([]member, 16)
				for i := range ms {
					ms[i] = member{"copy" + itoa(i) + ".zip", z}
				}
				z = zipOf(t, ms...)
			}
			return attach("42.zip", z)
		}, policy.Quarantine, "limit-ratio"},
		{"zip bomb, 1000 overlapping entries", func(t testing.TB) []byte {
			return attach("overlap.zip", overlappingZip(t, 1000))
		}, policy.Quarantine, "corrupt-archive"},
		{"multipart nested 1000 deep", func(testing.TB) []byte {
			return nestedMultipart(1000, "deep inside")
		}, policy.Quarantine, "limit-depth"},
		{"100 000 header lines", func(testing.TB) []byte { return manyHeaders(100000) }, policy.Accept, "header-flood"},
		{"unknown charset", func(testing.TB) []byte {
			return textWithCharset("x-no-such-charset", "8bit", "caf\xe9 \xff\xfe text\r\n")
		}, policy.Accept, "charset-unknown"},
		{"unknown charset still scanned", func(testing.TB) []byte {
			return textWithCharset("x-no-such-charset", "8bit", "\xff"+string(eicar())+"\xfe\r\n")
		}, policy.Reject, "Kensa_EICAR_Test_File"},
		{"invalid UTF-8 declared as UTF-8", func(testing.TB) []byte {
			return textWithCharset("utf-8", "8bit", "\xc3\x28 \xe2\x82 \xf0\x28\x8c\x28 \xed\xa0\x80\r\n")
		}, policy.Accept, ""},
		{"ISO-2022-JP with broken escapes", func(testing.TB) []byte {
			return textWithCharset("iso-2022-jp", "7bit", "\x1b$B%F%9\x1b(\x1b$\x1b\r\n")
		}, policy.Accept, ""},
		{"truncated base64 attachment still scanned", func(testing.TB) []byte {
			raw := attach("e.com", append(eicar(), "trailing text"...))
			i := bytes.LastIndex(raw, []byte("\r\n--b0--"))
			return append(raw[:i-3:i-3], "\r\n"...) // cut mid-quantum, no closing boundary
		}, policy.Reject, "Kensa_EICAR_Test_File"},
		{"base64 of junk characters", func(testing.TB) []byte {
			return textWithCharset("utf-8", "base64", "!!!!@@@@####$$$$\r\nSGVsbG8=garbage==\r\nQUJD\r\n")
		}, policy.Accept, ""},
		{"truncated quoted-printable", func(testing.TB) []byte {
			return textWithCharset("utf-8", "quoted-printable", "soft break=\r\nhalf an escape =4")
		}, policy.Accept, ""},
		{"NUL bytes in headers and body", func(testing.TB) []byte {
			return []byte("From: a\x00b@example.net\r\nTo: b@example.org\r\nSubject: nul\x00\x00here\r\nX-Nul: \x00\r\n\r\nbody\x00with\x00nuls\r\n")
		}, policy.Accept, ""},
		{"EICAR between NUL bytes", func(testing.TB) []byte {
			return attach("nul.bin", append(append(make([]byte, 4096), eicar()...), make([]byte, 4096)...))
		}, policy.Reject, "Kensa_EICAR_Test_File"},
		{"zip member ../../etc/passwd", func(t testing.TB) []byte {
			return attach("evil.zip", zipOf(t, member{"../../etc/passwd", passwd}, member{"/etc/shadow", passwd}, member{`..\..\windows\win.ini`, passwd}))
		}, policy.Accept, ""},
		{"tar member ../../etc/passwd", func(t testing.TB) []byte {
			return attach("evil.tar", tarOf(t, member{"../../etc/passwd", passwd}, member{"./../../../tmp/x", passwd}))
		}, policy.Accept, ""},
		{"10 MB line in the body", func(testing.TB) []byte {
			return textWithCharset("utf-8", "8bit", strings.Repeat("a", 10<<20)+"\r\n")
		}, policy.Accept, ""},
		{"10 MB header line", func(testing.TB) []byte {
			return []byte("From: a@example.net\r\nTo: b@example.org\r\nSubject: " + strings.Repeat("s", 10<<20) + "\r\n\r\nbody\r\n")
		}, policy.Accept, ""},
		{"10 MB base64 line", func(testing.TB) []byte {
			one := base64.StdEncoding.EncodeToString(bytes.Repeat([]byte("0123456789abcdef"), (7<<20)/16+1))
			return []byte("From: a@example.net\r\nTo: b@example.org\r\nSubject: b64\r\nMIME-Version: 1.0\r\n" +
				"Content-Type: application/octet-stream\r\nContent-Disposition: attachment; filename=\"a.bin\"\r\n" +
				"Content-Transfer-Encoding: base64\r\n\r\n" + one + "\r\n")
		}, policy.Accept, ""},
	}
}

func itoa(i int) string { return strconv.Itoa(i) }

func TestHostileInput(t *testing.T) {
	// Each case expects a limit of size, count or depth, not of time: the
	// time limits get minutes, so that a busy machine cannot stop a scan
	// first (they are tested in unpack and engine).
	setup := realSetup(t)
	setup.Unpack.Limits.Timeout, setup.ScanTimeout = 10*time.Minute, 10*time.Minute
	e := engine.New(setup)
	// Nothing may be written to disk: run in an empty directory with an
	// empty TMPDIR and check both afterwards.
	work, tmp := t.TempDir(), t.TempDir()
	t.Chdir(work)
	t.Setenv("TMPDIR", tmp)
	for _, tc := range hostileCases() {
		t.Run(tc.name, func(t *testing.T) {
			raw := tc.raw(t)
			m := scan(t, e, raw)
			v := m.rep.Verdict
			t.Logf("%d bytes: %s %v in %v (%v of CPU), allocated %d MiB, heap peak +%d MiB; problems %v findings %v",
				len(raw), v.Action, v.Reasons, m.took.Round(time.Millisecond), m.cpu.Round(time.Millisecond), m.allocs>>20, m.heapPeak>>20, problemReasons(m.rep), findingIDs(m.rep))
			if v.Action != tc.action {
				t.Errorf("action %s, want %s (reasons %v, errors %v)", v.Action, tc.action, v.Reasons, m.rep.Errors)
			}
			if tc.why != "" && !contains(append(problemReasons(m.rep), findingIDs(m.rep)...), tc.why) {
				t.Errorf("%q is not among the problems %v nor the findings %v", tc.why, problemReasons(m.rep), findingIDs(m.rep))
			}
			// Generous bounds (several times what was measured): they catch
			// a limit that stopped working, not a few percent more.
			if limit := 20*uint64(len(raw)) + 320<<20; m.allocs > limit {
				t.Errorf("allocated %d MiB, bound %d MiB", m.allocs>>20, limit>>20)
			}
			if limit := 4*uint64(len(raw)) + 160<<20; m.heapPeak > limit {
				t.Errorf("heap grew by %d MiB, bound %d MiB", m.heapPeak>>20, limit>>20)
			}
			// CPU time, not wall time: a busy machine stretches the one,
			// hardly the other.
			if m.cpu > 20*time.Second {
				t.Errorf("scan took %v of CPU", m.cpu)
			}
			for _, p := range m.rep.Parts {
				for _, seg := range strings.FieldsFunc(p.Path, func(r rune) bool { return r == '/' || r == '\\' }) {
					if seg == ".." || seg == "." {
						t.Errorf("part path %q has a %q segment", p.Path, seg)
					}
				}
			}
			for _, dir := range []string{work, tmp} {
				if ents, _ := os.ReadDir(dir); len(ents) > 0 {
					t.Errorf("scan wrote %s", filepath.Join(dir, ents[0].Name()))
				}
			}
		})
	}
}

func problemReasons(r engine.Report) []string {
	var out []string
	for _, p := range r.Problems {
		out = append(out, p.Reason)
	}
	return out
}

func findingIDs(r engine.Report) []string {
	var out []string
	for _, f := range r.Verdict.Findings {
		out = append(out, f.ID)
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
