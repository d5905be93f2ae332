package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/sirupsen/logrus"

	"github.com/kensa-milter/kensa/config"
	"github.com/kensa-milter/kensa/internal/mailview"
	"github.com/kensa-milter/kensa/known"
	"github.com/kensa-milter/kensa/scanners"
)

const knownUsage = `Usage:
  kensa known add    [--config FILE] [--name NAME] [--verdict malicious|suspicious] FILE...
                     (an .eml adds every leaf part of the message and each attachment)
  kensa known import [--config FILE] [--verdict malicious|suspicious] FILE.csv
                     (columns sha256 or sha256_hash; optional tlsh and name/signature/file_name)
  kensa known list   [--config FILE] [--limit N] [--json]
  kensa known remove [--config FILE] SHA256...
Every command also takes --state-dir DIR. The known set lives in the quarantine's
database (quarantine.dsn); every kensa serve sharing it sees a change within known.refresh.
`

// knownCmd runs "kensa known …". Exit codes: 0 done, 1 some SHA-256 to
// remove was not known, 2 usage, config, file or store error.
func knownCmd(args []string, stdout, stderr io.Writer) int {
	c, args, code, ok := newSubcommand("known", knownUsage, args, stdout, stderr)
	if !ok {
		return code
	}
	sub, fs, fail := c.name, c.fs, c.fail
	var (
		name, verdict *string
		limit         *int
		asJSON        *bool
	)
	switch sub {
	case "add":
		name = fs.String("name", "", "what to call the sample(s) (default: the file name)")
		verdict = fs.String("verdict", "malicious", "malicious (rejects) or suspicious (quarantines)")
	case "import":
		verdict = fs.String("verdict", "malicious", "malicious (rejects) or suspicious (quarantines)")
	case "list":
		limit = fs.Int("limit", 0, "at most this many, newest first (0: all)")
		asJSON = fs.Bool("json", false, "print a JSON array")
	case "remove":
	default:
		return c.unknown()
	}
	cfg, ok := c.parse(args)
	if !ok {
		return exitError
	}
	files := fs.Args()
	switch {
	case sub == "list" && len(files) > 0:
		return fail(fmt.Errorf("unexpected argument %q", files[0]))
	case sub == "import" && len(files) != 1:
		return fail(errors.New("want exactly one CSV file"))
	case (sub == "add" || sub == "remove") && len(files) == 0:
		return fail(errors.New("want at least one argument"))
	}
	tmpl := known.Sample{Source: sub, AddedBy: cliUser()}
	if verdict != nil {
		v, err := scanners.ParseSeverity(*verdict)
		if err != nil || v == scanners.Info {
			return fail(fmt.Errorf("--verdict %q: want malicious or suspicious", *verdict))
		}
		tmpl.Verdict = v
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Read everything before touching the store: a bad file adds nothing.
	var samples []known.Sample
	switch sub {
	case "add":
		for _, f := range files {
			s, err := samplesOfFile(ctx, cfg, f, *name, tmpl)
			if err != nil {
				return fail(err)
			}
			samples = append(samples, s...)
		}
	case "import":
		f, err := os.Open(files[0])
		if err != nil {
			return fail(err)
		}
		samples, err = known.ReadCSV(f, tmpl)
		f.Close()
		if err != nil {
			return fail(fmt.Errorf("%s: %w", files[0], err))
		}
	}
	st, err := known.OpenStore(ctx, cfg.StoreDSN())
	if err != nil {
		return fail(fmt.Errorf("%w (state_dir is %s; set state_dir, --state-dir or quarantine.dsn)", err, cfg.StateDir))
	}
	defer st.Close()
	switch sub {
	case "add", "import":
		n, err := st.Add(ctx, samples)
		if err != nil {
			return fail(err)
		}
		if sub == "add" {
			for _, s := range samples {
				fmt.Fprintf(stdout, "%s\t%s\t%s\t%s\n", s.SHA256, tlshText(s), s.Verdict, mailview.Safe(s.Name, 200))
			}
		}
		fmt.Fprintf(stdout, "%d sample(s): %d new, %d updated\n", len(samples), n, len(samples)-n)
	case "list":
		return knownList(ctx, st, *limit, *asJSON, stdout, stderr)
	case "remove":
		var shas []known.SHA256
		for _, a := range files {
			h, err := known.ParseSHA256(a)
			if err != nil {
				return fail(err)
			}
			shas = append(shas, h)
		}
		n, err := st.Remove(ctx, shas)
		if err != nil {
			return fail(err)
		}
		fmt.Fprintf(stdout, "removed %d of %d\n", n, len(shas))
		if n < len(shas) {
			return exitFlagged
		}
	}
	return exitOK
}

func tlshText(s known.Sample) string {
	if !s.HasTLSH {
		return "-"
	}
	return s.TLSH.String()
}

// samplesOfFile digests one file: an .eml gives each of its parts, any other
// file itself.
func samplesOfFile(ctx context.Context, cfg *config.Config, path, name string, tmpl known.Sample) ([]known.Sample, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if name == "" {
		name = filepath.Base(path)
	}
	if strings.EqualFold(filepath.Ext(path), ".eml") {
		s, err := known.FromMessage(ctx, raw, cfg.UnpackOptions(), name, tmpl)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return s, nil
	}
	if len(raw) == 0 {
		return nil, fmt.Errorf("%s: empty file", path)
	}
	d := known.Of(raw)
	s := tmpl
	s.SHA256, s.TLSH, s.HasTLSH, s.Name = d.SHA256, d.TLSH, d.HasTLSH, name
	return []known.Sample{s}, nil
}

type knownJSON struct {
	SHA256  string `json:"sha256"`
	TLSH    string `json:"tlsh,omitempty"`
	Name    string `json:"name"`
	Verdict string `json:"verdict"`
	Source  string `json:"source"`
	AddedAt string `json:"added_at"`
	AddedBy string `json:"added_by"`
}

func knownList(ctx context.Context, st *known.Store, limit int, asJSON bool, stdout, stderr io.Writer) int {
	list, err := st.List(ctx, limit)
	if err != nil {
		fmt.Fprintf(stderr, "kensa known list: %v\n", err)
		return exitError
	}
	if asJSON {
		out := make([]knownJSON, 0, len(list))
		for _, s := range list {
			j := knownJSON{SHA256: s.SHA256.String(), Name: s.Name, Verdict: s.Verdict.String(), Source: s.Source,
				AddedAt: s.AddedAt.Format("2006-01-02T15:04:05Z"), AddedBy: s.AddedBy}
			if s.HasTLSH {
				j.TLSH = s.TLSH.String()
			}
			out = append(out, j)
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return exitError
		}
		return exitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "SHA256\tTLSH\tVERDICT\tSOURCE\tADDED (UTC)\tNAME")
	for _, s := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", s.SHA256, tlshText(s), s.Verdict, s.Source, s.AddedAt.Format("2006-01-02 15:04"), cell(s.Name, 80))
	}
	tw.Flush()
	return exitOK
}

// openKnown opens the known set serve and scan use, loaded once. For
// scan (create=false) a SQLite database that does not exist yet means an
// empty set: nothing was learned there, and scan must not create state.
func openKnown(ctx context.Context, cfg *config.Config, log logrus.FieldLogger, create bool) (*known.Live, func(), error) {
	if !cfg.Known.Enabled {
		return nil, func() {}, nil
	}
	dsn := cfg.StoreDSN()
	if path, ok := strings.CutPrefix(dsn, "sqlite:"); ok && !create {
		if _, err := os.Stat(strings.TrimPrefix(path, "//")); errors.Is(err, os.ErrNotExist) {
			return known.NewLive(nil, log), func() {}, nil
		}
	}
	st, err := known.OpenStore(ctx, dsn)
	if err != nil {
		return nil, nil, fmt.Errorf("known set: %w (state_dir is %s; set state_dir, --state-dir or quarantine.dsn)", err, cfg.StateDir)
	}
	live := known.NewLive(st, log)
	if err := live.Refresh(ctx); err != nil {
		st.Close()
		return nil, nil, fmt.Errorf("known set: %w", err)
	}
	return live, func() { st.Close() }, nil
}
