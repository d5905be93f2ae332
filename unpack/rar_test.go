package unpack

import (
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"
)

func TestRar(t *testing.T) {
	members := []formats.File{{Name: "docs/a.txt", Data: []byte(marker)}, {Name: "b.zip", Data: zipOf(t, entry{"c.txt", []byte(marker)})}}
	for name, archive := range map[string][]byte{
		"rar5": formats.RAR5(members...),
		"rar4": formats.RAR4(members...),
	} {
		t.Run(name, func(t *testing.T) {
			m := mail("", "", "x.rar", archive)
			expand(t, m, Options{})
			noProblems(t, m)
			if p := mustPart(t, m, "2/x.rar/docs/a.txt"); string(p.Content) != marker {
				t.Errorf("content %q", p.Content)
			}
			mustPart(t, m, "2/x.rar/b.zip/c.txt")
		})
	}
	t.Run("corrupt", func(t *testing.T) {
		b := formats.RAR5(formats.File{Name: "a.txt", Data: []byte(marker)})
		b[len("Rar!\x1A\x07\x01\x00")+20] ^= 0xFF
		m := mail("", "", "x.rar", b)
		expand(t, m, Options{})
		if p := problem(m, ReasonCorrupt); p == nil || !strings.HasPrefix(p.Part, "2") {
			t.Fatalf("want corrupt-archive:\n%s", dump(m))
		}
	})
}
