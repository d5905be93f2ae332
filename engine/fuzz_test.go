package engine_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/internal/testmail"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/scanners"
	"github.com/kensa-milter/kensa/scanners/heuristic"
	"github.com/kensa-milter/kensa/scanners/yarascan"
	"github.com/kensa-milter/kensa/unpack"
)

// FuzzEngineScan runs the whole pipeline, real YARA and heuristics
// included, on arbitrary messages. The engine turns panics into scan
// errors, so a panic shows up here as an error that says so.
func FuzzEngineScan(f *testing.F) {
	for _, raw := range engineSeeds(f) {
		f.Add(raw)
	}
	ys, _, err := yarascan.New(yarascan.Options{Builtin: true, Timeout: 5 * time.Second})
	if err != nil {
		f.Fatal(err)
	}
	hs, err := heuristic.New(nil, heuristic.Options{})
	if err != nil {
		f.Fatal(err)
	}
	e := engine.New(&engine.Setup{
		Policy:      policy.Default(),
		Scanners:    []scanners.Scanner{ys, hs},
		ScanTimeout: 10 * time.Second,
		Unpack:      unpack.Options{Limits: unpack.Limits{MaxTotalBytes: 16 << 20, MaxMemberBytes: 8 << 20, Timeout: 5 * time.Second}},
	})
	f.Fuzz(func(t *testing.T, raw []byte) {
		rep := e.Scan(context.Background(), raw, message.Envelope{Sender: "a@example.com", Recipients: []string{"b@example.org"}})
		for _, e := range rep.Errors {
			if e.Kind == policy.ErrPanic {
				t.Fatalf("panic inside the pipeline: %s\n%s", e.Message, e.Stack)
			}
		}
		if rep.Verdict.Ref == "" {
			t.Fatal("verdict without ref")
		}
		for _, p := range rep.Problems {
			if p.Unscannable && (rep.Verdict.Action == policy.Accept || rep.Verdict.Action == policy.Tag) {
				t.Fatalf("unscannable problem %+v but action %s", p, rep.Verdict.Action)
			}
		}
		if rep.Duration > 30*time.Second {
			t.Fatalf("scan took %v", rep.Duration)
		}
	})
}

// engineSeeds are the test messages, the .eml corpus, and the unpack
// fixtures as attachments.
func engineSeeds(f *testing.F) [][]byte {
	seeds := [][]byte{
		testmail.Plain("hello", "Hi Bob, lunch at noon?\n"),
		testmail.Newsletter(),
		testmail.Multipart("eicar", "mixed",
			testmail.Part{Type: "text/plain", Body: "see attached"},
			testmail.Part{Type: "application/octet-stream", Filename: "e.com", Body: testmail.EICAR(), Base64: true}),
		testmail.Forward("Fwd: x", testmail.Plain("inner", "forwarded text\n")),
		testmail.Multipart("macro", "mixed",
			testmail.Part{Type: "text/plain", Body: "password: infected"},
			testmail.Part{Type: "text/vbscript", Filename: "a.vbs", Body: "Sub AutoOpen()\nShell \"calc\"\nEnd Sub\n"}),
	}
	mails, _ := filepath.Glob("../testdata/corpus/*/*.eml")
	for _, name := range mails {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	files, _ := filepath.Glob("../unpack/testdata/*")
	for _, name := range files {
		if st, err := os.Stat(name); err != nil || !st.Mode().IsRegular() {
			continue // testdata/fuzz and other directories
		}
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, testmail.Multipart("fixture "+filepath.Base(name), "mixed",
			testmail.Part{Type: "text/plain", Body: "password: infected"},
			testmail.Part{Type: "application/octet-stream", Filename: filepath.Base(name), Body: string(b), Base64: true}))
	}
	return seeds
}
