package known

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/scanners"
	"github.com/kensa-milter/kensa/unpack"
)

// FromMessage returns a sample for every leaf of a raw message, as the
// engine reads it (MIME leaves and unpacked members: macro source, PDF
// streams, archive members) and for every attachment as sent, each named
// "NAME PATH". Left out, because benign files share them: parts shorter than
// MinTLSHSize, inner containers (their members are there), and members
// that are package structure (.xml, .rels: every Office file has them) or
// images.
func FromMessage(ctx context.Context, raw []byte, opts unpack.Options, name string, tmpl Sample) ([]Sample, error) {
	s, _, err := fromMessage(ctx, raw, opts, name, tmpl)
	return s, err
}

// fromMessage is FromMessage with the contents of the samples.
func fromMessage(ctx context.Context, raw []byte, opts unpack.Options, name string, tmpl Sample) ([]Sample, [][]byte, error) {
	m, err := message.Parse(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("known: read message: %w", err)
	}
	unpack.Expand(ctx, m, opts)
	seen := map[SHA256]bool{}
	var out []Sample
	var contents [][]byte
	for _, p := range m.Parts {
		if !Remembered(p) {
			continue
		}
		d := PartDigests(p)
		if seen[d.SHA256] {
			continue
		}
		seen[d.SHA256] = true
		s := tmpl
		s.SHA256, s.TLSH, s.HasTLSH = d.SHA256, d.TLSH, d.HasTLSH
		s.Name = strings.TrimSpace(name + " " + p.Path)
		out = append(out, s)
		contents = append(contents, p.Content)
	}
	if len(out) == 0 {
		return nil, nil, errors.New("known: the message has no part long enough to remember")
	}
	return out, contents, nil
}

// maxImportRows bounds one import (MalwareBazaar's full export is under a
// million rows).
const maxImportRows = 5_000_000

// ReadCSV reads a hash feed: a header row naming the columns, with sha256
// required and tlsh and name optional, as MalwareBazaar's CSV export writes
// (sha256_hash, tlsh, signature, file_name; its header row is a "#" comment
// line, as are its banner lines; quoted fields, spaces after commas). A TLSH
// of "n/a" or "" is none, and is read with or without "T1". The name is the
// first of name, signature, file_name that says something. A bad row is an
// error naming its line.
func ReadCSV(r io.Reader, tmpl Sample) ([]Sample, error) {
	br := bufio.NewReader(r)
	// Header: the first line that is not a comment, unless it is data and a
	// comment line before it named the columns.
	var commented string
	var first string
	skipped := 0
	for {
		line, err := br.ReadString('\n')
		if line == "" && err != nil {
			return nil, errors.New("known: csv: no rows")
		}
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "#") {
			skipped++
			if strings.Contains(strings.ToLower(t), "sha256") {
				commented = strings.TrimSpace(strings.TrimPrefix(t, "#"))
			}
			continue
		}
		if t == "" && err == nil {
			skipped++
			continue
		}
		first = line
		break
	}
	var header string
	data := io.Reader(br)
	switch {
	case strings.Contains(strings.ToLower(first), "sha256"):
		header = first
	case commented != "":
		header = commented + "\n"
		data = io.MultiReader(strings.NewReader(first), br)
	default:
		return nil, fmt.Errorf("known: csv: no header naming a sha256 (or sha256_hash) column")
	}
	hr := csv.NewReader(strings.NewReader(header))
	hr.TrimLeadingSpace = true
	cols, err := hr.Read()
	if err != nil {
		return nil, fmt.Errorf("known: csv header: %w", err)
	}
	col := map[string]int{}
	for i, h := range cols {
		h = strings.ToLower(strings.TrimSpace(h))
		if _, dup := col[h]; !dup {
			col[h] = i
		}
	}
	pick := func(name string) int {
		if i, ok := col[name]; ok {
			return i
		}
		return -1
	}
	cSHA := pick("sha256")
	if cSHA < 0 {
		cSHA = pick("sha256_hash")
	}
	if cSHA < 0 {
		return nil, fmt.Errorf("known: csv: no sha256 (or sha256_hash) column in %q", cols)
	}
	cTLSH := pick("tlsh")
	cNames := []int{pick("name"), pick("signature"), pick("file_name")}
	cr := csv.NewReader(data)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	field := func(rec []string, i int) string {
		if i < 0 || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	none := func(v string) bool {
		switch strings.ToLower(v) {
		case "", "n/a", "null", "tnull", "-":
			return true
		}
		return false
	}
	offset := skipped // file lines before the CSV reader's first line
	if header == first {
		offset++
	}
	var out []Sample
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("known: csv: %w", err)
		}
		line, _ := cr.FieldPos(0)
		line += offset
		if len(out) == maxImportRows {
			return nil, fmt.Errorf("known: csv: more than %d rows", maxImportRows)
		}
		s := tmpl
		if s.SHA256, err = ParseSHA256(field(rec, cSHA)); err != nil {
			return nil, fmt.Errorf("known: csv line %d: %w", line, err)
		}
		if tl := field(rec, cTLSH); !none(tl) {
			if s.TLSH, err = ParseTLSH(tl); err != nil {
				return nil, fmt.Errorf("known: csv line %d: %w", line, err)
			}
			s.HasTLSH = true
		}
		for _, c := range cNames {
			if n := field(rec, c); !none(n) {
				s.Name = n
				break
			}
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, errors.New("known: csv: no rows")
	}
	return out, nil
}

// Remembered says whether FromMessage keeps a part: long enough to be a
// signature, and neither an inner container nor package structure.
func Remembered(p *message.Part) bool {
	return len(p.Content) >= MinTLSHSize && !(p.Depth > 0 && (p.Container || structural(p)))
}

// structural says whether a member is the kind every benign document of
// its format carries too.
func structural(p *message.Part) bool {
	name := strings.ToLower(p.Path)
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	return strings.HasSuffix(name, ".xml") || strings.HasSuffix(name, ".rels") ||
		strings.HasPrefix(p.DetectedType, "image/") || strings.HasPrefix(p.DetectedType, "font/")
}

// Confirm remembers the parts of a quarantined message as malicious, named
// after its ref ("ref REF PATH"), and says how many were stored.
func Confirm(ctx context.Context, st *Store, raw []byte, ref, by string, opts unpack.Options) (int, error) {
	if len(raw) == 0 {
		return 0, errors.New("known: confirm: the message body is gone (deleted or purged)")
	}
	samples, err := FromMessage(ctx, raw, opts, "ref "+ref, Sample{Verdict: scanners.Malicious, Source: "confirm", AddedBy: by})
	if err != nil {
		return 0, err
	}
	if _, err := st.Add(ctx, samples); err != nil {
		return 0, err
	}
	return len(samples), nil
}
