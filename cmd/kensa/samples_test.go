package main

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The docker trial's sample mails (docker/samples, and the EICAR message
// docker/send-samples.sh assembles) must get the verdict their names promise,
// on the embedded defaults the trial runs with: the README tells people to
// watch for exactly these.
func TestTrialSamples(t *testing.T) {
	files, err := filepath.Glob("../../docker/samples/*.eml")
	if err != nil || len(files) != 4 {
		t.Fatalf("docker/samples: %v %v, want 4 samples", files, err)
	}
	eicar := filepath.Join(t.TempDir(), "5-eicar.eml")
	if out, err := exec.Command("../../docker/send-samples.sh", "--write-eicar", eicar).CombinedOutput(); err != nil {
		t.Fatalf("send-samples.sh --write-eicar: %v: %s", err, out)
	}
	want := map[string]struct {
		action  string
		finding string
	}{
		"1-clean.eml":       {"accept", ""},
		"2-tagged.eml":      {"tag", "ip-url"},
		"3-quarantined.eml": {"quarantine", "dangerous-script"},
		"4-rejected.eml":    {"reject", "double-extension"},
		"5-eicar.eml":       {"reject", "Kensa_EICAR_Test_File"},
	}
	_, res := scanJSON(t, append(files, eicar)...)
	if len(res) != len(want) {
		t.Fatalf("%d results, want %d", len(res), len(want))
	}
	for _, r := range res {
		name := filepath.Base(r.File)
		w, ok := want[name]
		if !ok {
			t.Errorf("unexpected sample %s", name)
			continue
		}
		var ids []string
		for _, f := range r.Findings {
			ids = append(ids, f.ID)
		}
		if r.Action.String() != w.action || w.finding != "" && !strings.Contains(strings.Join(ids, " "), w.finding) {
			t.Errorf("%s: %s with findings %v; want %s with %s", name, r.Action, ids, w.action, w.finding)
		}
		if w.action == "accept" && len(ids) > 0 {
			t.Errorf("%s: clean sample has findings %v", name, ids)
		}
	}
}
