package yarascan

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// TestCompileWhileGarbageCollecting compiles files whose every rule draws a
// compiler warning (so libyara calls back into Go hundreds of times per
// file) while other goroutines keep the garbage collector busy, as scans do
// during a reload under load. go-yara v4.2.4 lets the collector free the
// callback's handle during the C call; without withoutGC this test dies
// with "runtime/cgo: misuse of an invalid Handle".
func TestCompileWhileGarbageCollecting(t *testing.T) {
	var b strings.Builder
	for i := range 300 {
		fmt.Fprintf(&b, "rule Slow_%d { strings: $a = \"a\" condition: $a }\n", i) // one-byte string: a warning
	}
	b.WriteString("rule Broken { condition: no_such_identifier }\n")
	path := filepath.Join(t.TempDir(), "warnings.yar")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Small objects, so that a freed handle cell is soon reused
			// with other contents.
			var keep []*uintptr
			for i := uintptr(0); !stop.Load(); i++ {
				v := new(uintptr)
				*v = i * 7919
				keep = append(keep, v)
				if len(keep) > 4096 {
					keep = nil
				}
			}
		}()
	}
	defer func() { stop.Store(true); wg.Wait() }()
	for range 5 {
		_, errs, err := Check(Options{Paths: []string{path}})
		if err == nil {
			t.Fatal("a file with a broken rule compiled")
		}
		var warnings, errors int
		for _, e := range errs {
			if e.Warning {
				warnings++
			} else {
				errors++
			}
		}
		if warnings < 300 || errors != 1 {
			t.Fatalf("%d warnings and %d errors, want 300 and 1: %v", warnings, errors, errs[len(errs)-1])
		}
	}
}
