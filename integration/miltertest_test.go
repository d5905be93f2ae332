//go:build integration

package integration

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/kensa-milter/kensa/internal/testmail"
)

// TestMiltertest drives `kensa serve` with Debian's miltertest, a second
// milter client independent of the MTAs: each script in miltertest/ checks
// the milter actions of one verdict.
func TestMiltertest(t *testing.T) {
	// miltertest compares a reply's whole text, so the reject text here has
	// no {ref} (the MTA cases check the ref).
	k := startKensa(t, kensaOpts{rejectText: "5.7.1 Rejected by content filter (miltertest)"})
	dir, err := filepath.Abs("miltertest")
	if err != nil {
		t.Fatal(err)
	}
	for _, script := range []string{"accept", "reject", "quarantine", "tag"} {
		t.Run(script, func(t *testing.T) {
			t.Parallel()
			count(t)
			cmd := exec.Command("miltertest", "-s", filepath.Join(dir, script+".lua"),
				"-D", fmt.Sprintf("SOCKET=inet:%d@127.0.0.1", k.Port),
				"-D", "DIR="+dir,
				"-D", "EICAR="+testmail.EICAR())
			out, err := runWithTimeout(cmd, time.Minute, nil)
			if err != nil {
				t.Fatalf("miltertest %s.lua: %v\n%s", script, err, out)
			}
			if !strings.Contains(out, "ok: "+script) {
				t.Fatalf("miltertest %s.lua did not report ok:\n%s", script, out)
			}
		})
	}
}
