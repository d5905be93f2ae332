// Package scripts holds the tests of the shell gates make test relies on:
// scripts/corpus.sh and scripts/fuzz.sh must fail when what they gate did not
// run, not only when it failed.
package scripts

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// module writes a throwaway Go module with files (path -> content) and a
// copy of the named scripts under scripts/, and returns its root.
func module(t *testing.T, files map[string]string, scripts ...string) string {
	t.Helper()
	root := t.TempDir()
	files["go.mod"] = "module gatetest\n\ngo 1.26\n"
	for _, s := range scripts {
		b, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		files["scripts/"+s] = string(b)
	}
	for p, c := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// run runs a script of root with env added, and returns its output and
// whether it succeeded.
func run(t *testing.T, root, script string, env ...string) (string, bool) {
	t.Helper()
	cmd := exec.Command("bash", filepath.Join(root, "scripts", script))
	cmd.Dir = root
	cmd.Env = append(os.Environ(), append([]string{"GOWORK=off", "GOFLAGS=", "GOTOOLCHAIN=local"}, env...)...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		if _, ok := err.(*exec.ExitError); !ok {
			t.Fatalf("%s: %v", script, err)
		}
	}
	return string(out), err == nil
}

const goodFuzz = `package a

import "testing"

func FuzzGood(f *testing.F) {
	f.Add([]byte("x"))
	f.Fuzz(func(t *testing.T, b []byte) {})
}
`

func TestFuzzScript(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		min   string
		ok    bool
		say   string
	}{
		{"every target found", map[string]string{"a/a_test.go": goodFuzz}, "1", true, "fuzz: 1 passed, 0 failed"},
		{"fewer targets than recorded", map[string]string{"a/a_test.go": goodFuzz}, "2", false, "scripts/fuzz-targets.min records 2"},
		{"a package whose tests do not build", map[string]string{"a/a_test.go": goodFuzz,
			"b/b.go": "package b\n", "b/b_test.go": "package b\n\nfunc FuzzLost(f *testing.F) { undefined() }\n"}, "1", false, "do not build"},
		{"no target at all", map[string]string{"a/a.go": "package a\n"}, "0", false, "no fuzz target found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tc.files["scripts/fuzz-targets.min"] = "# test\n" + tc.min + "\n"
			root := module(t, tc.files, "fuzz.sh")
			out, ok := run(t, root, "fuzz.sh", "FUZZTIME=1x")
			if ok != tc.ok || !strings.Contains(out, tc.say) {
				t.Errorf("fuzz.sh succeeded=%v, want %v, saying %q; output:\n%s", ok, tc.ok, tc.say, out)
			}
		})
	}
}

func corpusTest(body string) string {
	return "package c\n\nimport (\n\t\"fmt\"\n\t\"testing\"\n)\n\nvar _ = fmt.Println\n\n" + body
}

func TestCorpusScript(t *testing.T) {
	cases := []struct {
		name string
		test string
		ok   bool
		say  string
	}{
		{"the gate ran and passed", `func TestCorpus(t *testing.T) { fmt.Println("corpus: detection 3/3, false positives 0/2") }`, true, "detection 3/3"},
		{"renamed", `func TestCorpusRenamed(t *testing.T) { fmt.Println("corpus: detection 3/3, false positives 0/2") }`, false, "did not run"},
		{"deleted", `func TestOther(t *testing.T) {}`, false, "did not run"},
		{"empty corpus", `func TestCorpus(t *testing.T) { fmt.Println("corpus: detection 0/0, false positives 0/0") }`, false, "non-empty"},
		{"a miss the test forgot to fail on", `func TestCorpus(t *testing.T) { fmt.Println("corpus: detection 2/3, false positives 0/2") }`, false, "every malicious sample"},
		{"the test failed", `func TestCorpus(t *testing.T) { fmt.Println("corpus: detection 3/3, false positives 0/2"); t.Fail() }`, false, "FAIL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			root := module(t, map[string]string{"c/c_test.go": corpusTest(tc.test)}, "corpus.sh")
			out, ok := run(t, root, "corpus.sh", "CORPUS_DIR=c")
			if ok != tc.ok || !strings.Contains(out, tc.say) {
				t.Errorf("corpus.sh succeeded=%v, want %v, saying %q; output:\n%s", ok, tc.ok, tc.say, out)
			}
		})
	}
}
