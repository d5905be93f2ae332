// Package corpus builds Kensa's test corpus: harmless .eml samples that carry
// the patterns of real attacks (the malicious set) and ordinary business mail
// that must stay clean (the clean set). Every sample is built here from
// constants, byte for byte the same on every run, so the generated files are
// committed (testdata/corpus, `kensa scan testdata/corpus` works from a fresh
// clone) and a test proves that regenerating changes nothing.
//
// No sample contains real malware: the "programs" are a few header bytes,
// the macros and scripts start notepad or print a line, the EICAR test string
// is assembled at run time (and its samples are never committed), the URLs use reserved names (.example, .invalid,
// .test) and documentation addresses (192.0.2.0/24, 198.51.100.0/24,
// 203.0.113.0/24).
//
// Regenerate with `go run ./testdata/gen` from the repository root.
package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kensa-milter/kensa/policy"
)

// Want is a finding a malicious sample must produce.
type Want struct {
	Scanner, ID, Part string
}

func (w Want) String() string { return fmt.Sprintf("%s/%s (%s)", w.Scanner, w.ID, w.Part) }

// Sample is one message of the corpus.
type Sample struct {
	Name  string // file name without ".eml"
	Clean bool   // the clean set: no suspicious or malicious finding, accepted
	About string // what it is, one line
	// Action is, for a malicious sample, the weakest action that counts as
	// caught: a stronger one is fine, a weaker one is a miss.
	Action policy.Action
	Want   []Want // findings a malicious sample must have, each on its part
	// Needs names what the corpus configuration must provide for this
	// sample: "blocklist" (BlocklistEntries as heuristics.url_blocklist) or
	// "dnsbl" (DNSBLZone answering for DNSBLListed).
	Needs string
	// RunOnly marks a sample that is built for test runs but never
	// committed: one carrying the EICAR test string, so that anti-virus
	// software on a developer's machine does not flag the repository, and
	// one larger than MaxCommitted (disk images of several MiB).
	RunOnly bool
	Raw     []byte
}

// MaxCommitted is the size of the largest sample kept in the repository.
const MaxCommitted = 2 << 20

// Path is where the sample lives below the corpus directory.
func (s Sample) Path() string {
	set := "malicious"
	if s.Clean {
		set = "clean"
	}
	return filepath.Join(set, s.Name+".eml")
}

// Corpus configuration for the samples that need one.
const (
	BlocklistEntries = "# Kensa corpus blocklist\nmalware-drop.example\nhttps://files.example.org/shared/evil/\n"
	DNSBLZone        = "dbl.kensa.test"
	DNSBLListed      = "cheap-offers.test" // registered domain listed in DNSBLZone (answer 127.0.1.2)
	// ProtectedDomain is the corpus's heuristics.protected_domains: the
	// company whose name the sender samples put in display names.
	ProtectedDomain = "globexcorp.example"
)

// Samples builds the whole corpus. root is the repository root: two 7z
// samples use the committed 7-Zip-made fixtures of unpack/testdata, since
// there is no 7z writer in Go.
func Samples(root string) ([]Sample, error) {
	fx := func(name string) ([]byte, error) {
		b, err := os.ReadFile(filepath.Join(root, "unpack", "testdata", name))
		if err != nil {
			return nil, fmt.Errorf("corpus: fixture: %w", err)
		}
		return b, nil
	}
	nested7z, err := fx("nested.7z")
	if err != nil {
		return nil, err
	}
	enc7z, err := fx("enc.7z")
	if err != nil {
		return nil, err
	}
	encHeaders7z, err := fx("enc-headers.7z")
	if err != nil {
		return nil, err
	}
	out := append(append(append(malicious(nested7z, enc7z), clean()...), links()...), qrSamples()...)
	out = append(out, passwordSamples(encHeaders7z)...)
	out = append(append(out, officeSamples()...), officeClean()...)
	out = append(out, containerSamples()...)
	out = append(out, trickSamples()...)
	out = append(out, outlookSamples()...)
	out = append(out, remoteRefSamples()...)
	out = append(out, senderSamples()...)
	out = append(out, callbackSamples()...)
	out = append(out, calendarSamples()...)
	out = append(out, clickfixTextSamples()...)
	out = append(out, officeURISamples()...)
	out = append(out, legacyTextSamples()...)
	out = append(out, pdfPhishSamples()...)
	out = append(out, shareLinkSamples()...)
	out = append(out, nameSamples()...)
	out = append(out, svgLoaderSamples()...)
	out = append(out, paddedPDFSamples()...)
	out = append(out, shortcutSamples()...)
	out = append(out, batchSamples()...)
	out = append(out, opaqueSignedSamples()...)
	out = append(out, redTeamSamples()...)
	out = append(out, lureGapSamples()...)
	out = append(out, shareSamples()...)
	out = append(out, noticeSamples()...)
	seen := map[string]bool{}
	for _, s := range out {
		if seen[s.Path()] {
			return nil, fmt.Errorf("corpus: two samples named %s", s.Path())
		}
		seen[s.Path()] = true
	}
	return out, nil
}

// Committed are the samples kept in the repository: all but RunOnly.
func Committed(samples []Sample) []Sample {
	var out []Sample
	for _, s := range samples {
		if !s.RunOnly {
			out = append(out, s)
		}
	}
	return out
}

// Write writes the samples below dir and removes .eml files there that are
// not among them.
func Write(dir string, samples []Sample) error {
	want := map[string]bool{}
	for _, s := range samples {
		p := filepath.Join(dir, s.Path())
		want[p] = true
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, s.Raw, 0o644); err != nil {
			return err
		}
	}
	for _, set := range []string{"malicious", "clean"} {
		old, _ := filepath.Glob(filepath.Join(dir, set, "*.eml"))
		for _, p := range old {
			if !want[p] {
				if err := os.Remove(p); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// expectHeader says in the message itself what the corpus expects, for
// people reading `kensa scan` output.
func expectHeader(s Sample) string {
	if s.Clean {
		return "X-Corpus-Expect: clean"
	}
	var ws []string
	for _, w := range s.Want {
		ws = append(ws, w.String())
	}
	sort.Strings(ws)
	h := "X-Corpus-Expect: " + s.Action.String() + " or stronger; " + strings.Join(ws, ", ")
	if s.Needs != "" {
		h += "; needs " + s.Needs
	}
	return h
}

// build finishes a sample: its Message-ID from its name, the expectation
// header, the bytes.
func build(s Sample, m mail) Sample {
	if m.from == "" {
		m.from = "Example Shop <orders@shop.example.com>"
	}
	if m.to == "" {
		m.to = "Kenji Tanaka <kenji@corp.example.jp>"
	}
	m.id = s.Name + "@corpus.kensa.test"
	m.header = append([]string{expectHeader(s)}, m.header...)
	s.Raw = m.bytes()
	return s
}
