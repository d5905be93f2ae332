package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// The raw results live in one directory (bench/results), one JSON file per
// run, pruned to the last run: the report is computed from that file, and a
// reader can recompute every figure from it.

// saveResults writes r as dir/YYYYMMDDTHHMMSSZ.json, with the CPU
// profiles it names copied beside it (YYYYMMDDTHHMMSSZ-NAME.pprof), and
// removes the other result files.
func saveResults(dir string, r *report) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	stamp := r.Started.UTC().Format("20060102T150405Z")
	keep := map[string]bool{}
	for i := range r.C8 {
		row := &r.C8[i]
		if row.Profile == "" {
			continue
		}
		b, err := os.ReadFile(row.Profile)
		if err != nil {
			return "", err
		}
		name := stamp + "-" + filepath.Base(row.Profile)
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return "", err
		}
		row.Profile = name
		keep[name] = true
	}
	b, err := json.MarshalIndent(r, "", " ")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, stamp+".json")
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return "", err
	}
	keep[filepath.Base(path)] = true
	for _, pattern := range []string{"*.json", "*.pprof"} {
		old, _ := filepath.Glob(filepath.Join(dir, pattern))
		for _, f := range old {
			if !keep[filepath.Base(f)] {
				if err := os.Remove(f); err != nil {
					return "", err
				}
			}
		}
	}
	return path, nil
}

// loadResults reads the one result file in dir.
func loadResults(dir string) (*report, string, error) {
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	if len(files) != 1 {
		return nil, "", fmt.Errorf("%s: want exactly one raw result file, found %d", dir, len(files))
	}
	b, err := os.ReadFile(files[0])
	if err != nil {
		return nil, "", err
	}
	var r report
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, "", fmt.Errorf("%s: %w", files[0], err)
	}
	// The profile tables are computed from the profiles themselves.
	for i := range r.C8 {
		if p := r.C8[i].Profile; p != "" {
			if r.C8[i].shares, err = profileShares(filepath.Join(dir, p)); err != nil {
				return nil, "", err
			}
		}
	}
	return &r, files[0], nil
}

// render writes the report computed from the raw results in dir to out.
func render(dir, out string) error {
	r, path, err := loadResults(dir)
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, []byte(r.markdown(filepath.ToSlash(path))), 0o644); err != nil {
		return err
	}
	fmt.Fprintln(os.Stderr, "kensa-bench: wrote", out, "from", path)
	return nil
}
