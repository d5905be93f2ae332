package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kensa-milter/kensa/disposition"
	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/scanners/heuristic"
)

// scanResult is one line of `kensa scan --json`.
type scanResult struct {
	File string `json:"file"`
	engine.Summary
	// Outcome is what `kensa serve` would do with the verdict: the same pure
	// step (package disposition) with the same configuration.
	Outcome     *disposition.Outcome `json:"outcome,omitempty"`
	URLs        []string             `json:"urls,omitempty"`         // normalised, in the order found, at most maxShownURLs
	URLsDropped int                  `json:"urls_dropped,omitempty"` // URLs found beyond maxShownURLs
	Links       []link               `json:"links,omitempty"`        // the same URLs with where each was found
	Error       string               `json:"error,omitempty"`
}

// Bounds on the URL list of a report: a message can carry thousands.
const (
	maxShownURLs  = 100
	maxShownURLen = 300 // bytes; data: URLs are long
)

// link is one URL of the report with where it was found.
type link struct {
	URL      string `json:"url"`
	Location string `json:"location"`      // text, href, action, frame, src, pdf, office, calendar, qr
	Via      string `json:"via,omitempty"` // the redirector or wrapper it was read from
}

// foundURLs lists the URLs of every part, deduplicated, normalised where
// they parse, each cut to maxShownURLen.
func foundURLs(m *message.Message) (list []string, links []link, dropped int) {
	if m == nil {
		return nil, nil, 0
	}
	all := heuristic.AllURLs(m)
	for i, u := range all {
		if i == maxShownURLs {
			return list, links, len(all) - i
		}
		s := u.Normalized
		if s == "" {
			s = u.Raw
		}
		if len(s) > maxShownURLen {
			s = strings.ToValidUTF8(s[:maxShownURLen], "") + "…"
		}
		list = append(list, s)
		links = append(links, link{URL: s, Location: u.Source, Via: u.Via})
	}
	return list, links, 0
}

func scan(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("scan", flag.ContinueOnError)
	fset.SetOutput(stderr)
	load := configFlags(fset)
	asJSON := fset.Bool("json", false, "print one JSON object per message (JSON Lines)")
	sender := fset.String("sender", "", "envelope sender to assume (for allow lists and the sender_domain external)")
	if err := fset.Parse(args); err != nil {
		return exitError
	}
	if fset.NArg() == 0 {
		fmt.Fprintln(stderr, "kensa scan: name at least one FILE.eml, DIR or - (standard input)")
		return exitError
	}
	cfg, err := load()
	if err != nil {
		fmt.Fprintf(stderr, "kensa scan: %v\n", err)
		return exitError
	}
	// The same known set serve uses (quarantine.dsn or state_dir).
	knownSet, closeKnown, err := openKnown(context.Background(), cfg, nil, false)
	if err != nil {
		fmt.Fprintf(stderr, "kensa scan: %v\n", err)
		return exitError
	}
	defer closeKnown()
	setup, ruleErrs, err := buildSetup(cfg, 1, knownSet)
	for _, e := range ruleErrs {
		fmt.Fprintf(stderr, "kensa scan: rule error: %s\n", e.Error())
	}
	if err != nil {
		fmt.Fprintf(stderr, "kensa scan: %v\n", err)
		return exitError
	}
	setup.Digests = true // every part's SHA-256 and TLSH in the report
	eng := engine.New(setup)
	maxSize := int64(cfg.Limits.MaxMessageSize)
	disp := milterConfig(cfg).Disposition()

	files, err := expandArgs(fset.Args())
	if err != nil {
		fmt.Fprintf(stderr, "kensa scan: %v\n", err)
		return exitError
	}
	code := exitOK
	worse := func(c int) {
		if c > code {
			code = c
		}
	}
	env := message.Envelope{Sender: *sender}
	for _, f := range files {
		res := scanResult{File: f}
		raw, tooLarge, err := readMessage(f, stdin, maxSize)
		switch {
		case err != nil:
			res.Error = err.Error()
			worse(exitError)
		case tooLarge:
			rep := engine.Unscanned(policy.ReasonTooLarge, cfg.TooLarge(), len(raw))
			rep.Verdict.Monitor = setup.Policy.Monitor
			res.Summary = rep.Summary()
			o := disposition.Decide(rep, disp, false) // serve does not keep what it did not read whole
			res.Outcome = &o
		default:
			rep := eng.Scan(context.Background(), raw, env)
			res.Summary = rep.Summary()
			res.URLs, res.Links, res.URLsDropped = foundURLs(rep.Message)
			o := disposition.Decide(rep, disp, usesStore(cfg))
			res.Outcome = &o
		}
		if err == nil {
			switch {
			case len(res.Errors) > 0 && res.Action == policy.TempFail:
				worse(exitError)
			case res.Action != policy.Accept || res.Monitor && res.Decided != policy.Accept:
				worse(exitFlagged)
			}
		}
		if *asJSON {
			b, _ := json.Marshal(res)
			fmt.Fprintf(stdout, "%s\n", b)
		} else {
			printHuman(stdout, res)
		}
	}
	return code
}

// expandArgs turns the arguments into a list of files: directories are
// walked recursively in name order, "-" is standard input.
func expandArgs(args []string) ([]string, error) {
	var files []string
	for _, a := range args {
		if a == "-" {
			files = append(files, a)
			continue
		}
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			files = append(files, a)
			continue
		}
		var found []string
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, nil
}

// readMessage reads at most maxSize+1 bytes so that an oversized file is
// noticed without being read whole.
func readMessage(name string, stdin io.Reader, maxSize int64) (raw []byte, tooLarge bool, err error) {
	r := stdin
	if name != "-" {
		f, err := os.Open(name)
		if err != nil {
			return nil, false, err
		}
		defer f.Close()
		r = f
	}
	raw, err = io.ReadAll(io.LimitReader(r, maxSize+1))
	if err != nil {
		return nil, false, fmt.Errorf("reading %s: %w", name, err)
	}
	if int64(len(raw)) > maxSize {
		return raw, true, nil
	}
	if len(raw) == 0 {
		return nil, false, fmt.Errorf("%s: empty message", name)
	}
	return raw, false, nil
}

func printHuman(w io.Writer, r scanResult) {
	fmt.Fprintf(w, "%s\n", r.File)
	if r.Error != "" {
		fmt.Fprintf(w, "  error: %s\n\n", r.Error)
		return
	}
	findingsByPart := map[string][]string{}
	for _, f := range r.Findings {
		s := fmt.Sprintf("%s/%s %s score=%d", f.Scanner, f.ID, f.Severity, f.Score)
		if f.Detail != "" {
			s += ": " + oneLine(f.Detail)
		}
		findingsByPart[f.Part] = append(findingsByPart[f.Part], s)
	}
	for _, f := range findingsByPart[""] {
		fmt.Fprintf(w, "  (whole message)  ! %s\n", f)
	}
	for _, p := range r.Parts {
		name := p.Filename
		if name == "" {
			name = "-"
		}
		fmt.Fprintf(w, "  %-10s %-28q %-24s %-28s %8d bytes\n", p.Path, oneLine(name), orDash(p.DeclaredType), orDash(p.DetectedType), p.Size)
		for _, f := range findingsByPart[p.Path] {
			fmt.Fprintf(w, "  %-10s ! %s\n", "", f)
		}
	}
	if len(r.URLs) > 0 {
		more := ""
		if r.URLsDropped > 0 {
			more = fmt.Sprintf(" (and %d more)", r.URLsDropped)
		}
		fmt.Fprintf(w, "  urls: %d%s\n", len(r.URLs)+r.URLsDropped, more)
		for i, u := range r.URLs {
			where := "" // said where it is news: in a code, behind a wrapper
			if i < len(r.Links) && r.Links[i].Location == "qr" {
				where = "  [qr]"
			}
			if i < len(r.Links) && r.Links[i].Via != "" {
				where += "  [via " + oneLine(r.Links[i].Via) + "]"
			}
			fmt.Fprintf(w, "    %s%s\n", oneLine(u), where)
		}
	}
	for _, e := range r.Errors {
		fmt.Fprintf(w, "  error (%s): %s\n", e.Kind, oneLine(e.Message))
	}
	if o := r.Outcome; o != nil {
		line := o.Action.String()
		if o.Quarantine != "" {
			line += " (quarantine mode " + string(o.Quarantine) + ")"
		}
		if o.Code != 0 {
			line += fmt.Sprintf(": %d %s", o.Code, oneLine(o.Text))
		}
		if o.SubjectPrefix != "" {
			line += fmt.Sprintf(", subject prefix %q", o.SubjectPrefix)
		}
		fmt.Fprintf(w, "  serve would: %s\n", line)
	}
	verdict := r.Action.String()
	if r.Monitor {
		verdict = fmt.Sprintf("%s (monitor mode; decided %s)", verdict, r.Decided)
	}
	fmt.Fprintf(w, "  verdict: %s  score=%d  reasons=%s  ref=%s\n\n", verdict, r.Score, strings.Join(r.Reasons, ","), r.Ref)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// oneLine keeps attacker-chosen text from breaking the report's layout.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
			return '?'
		}
		return r
	}, s)
}
