package yarascan

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/hillu/go-yara/v4"
	"github.com/kensa-milter/kensa/rules"
	"github.com/kensa-milter/kensa/scanners"
)

// CompileError is one compiler error or warning, or a problem with a rule's
// metadata.
type CompileError struct {
	File    string
	Line    int // 0 when the problem has no line (metadata)
	Msg     string
	Warning bool // the file is still used
}

func (e CompileError) Error() string {
	msg := e.Msg
	if e.Warning {
		msg = "warning: " + msg
	}
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, msg)
	}
	return fmt.Sprintf("%s: %s", e.File, msg)
}

// externals are defined for every rule at compile time with these zero
// values, and set for every scan (see vars in scan.go and doc.go).
var externals = []struct {
	name string
	zero any
}{
	{"filename", ""},
	{"filepath", ""},
	{"extension", ""},
	{"filetype", ""},
	{"owner", ""},
	{"mime_type", ""},
	{"declared_type", ""},
	{"sender_domain", ""},
	{"part_depth", 0},
}

// builtinPrefix names the embedded files in errors and namespaces.
const builtinPrefix = "builtin/"

// source is one rule file: embedded (data) or on disk (path).
type source struct {
	name string // for errors, and the file's namespace
	path string
	data []byte
}

type ruleKey struct{ ns, id string }

// ruleInfo is what a match of one rule turns into.
type ruleInfo struct {
	id       string
	severity scanners.Severity
	score    int
	action   string
	detail   string
}

type compiled struct {
	rules *yara.Rules
	info  map[ruleKey]ruleInfo
	reads []string // the externals the rules may read (readsExternals)
	// places says the rules may read where in the data something is
	// (readsPlaces): containers are then scanned whole.
	places bool
}

// Check compiles the rules as New would and reports what it found: the
// number of usable rules, every error and warning, and an error when nothing
// usable compiled or a path could not be read.
func Check(opts Options) (ruleCount int, errs []CompileError, err error) {
	c, errs, err := compile(opts)
	if err != nil {
		return 0, errs, err
	}
	return len(c.info), errs, nil
}

func compile(opts Options) (*compiled, []CompileError, error) {
	srcs, err := gather(opts)
	if err != nil {
		return nil, nil, err
	}
	if len(srcs) == 0 {
		return nil, nil, errors.New("yara: no rule files (builtin pack off and no paths)")
	}
	// One file at a time first: a file that fails leaves a compiler
	// unusable, so this is the only way to hear about every broken file.
	var errs []CompileError
	var good []source
	for _, src := range srcs {
		msgs, ok, err := compileAlone(src)
		if err != nil {
			return nil, errs, err
		}
		errs = append(errs, msgs...)
		if ok {
			good = append(good, src)
		}
	}
	r, texts, more, err := compileSet(good)
	errs = append(errs, more...)
	if err != nil {
		return nil, errs, err
	}
	info, more := ruleInfos(r)
	errs = append(errs, more...)
	if len(info) == 0 {
		return nil, errs, fmt.Errorf("yara: no usable rules in %d file(s), %d of them broken", len(srcs), len(srcs)-len(good))
	}
	return &compiled{rules: r, info: info, reads: readsExternals(texts), places: readsPlaces(texts)}, errs, nil
}

// gather lists the rule files: the embedded pack, then each path (a
// directory is searched for *.yar and *.yara in name order).
func gather(opts Options) ([]source, error) {
	var srcs []source
	if opts.Builtin {
		names, err := fs.Glob(rules.FS, "*.yar")
		if err != nil {
			return nil, fmt.Errorf("yara: builtin pack: %w", err)
		}
		sort.Strings(names)
		for _, n := range names {
			b, err := rules.FS.ReadFile(n)
			if err != nil {
				return nil, fmt.Errorf("yara: builtin pack %s: %w", n, err)
			}
			srcs = append(srcs, source{name: builtinPrefix + n, data: b})
		}
	}
	seen := map[string]bool{}
	add := func(p string) {
		p = filepath.Clean(p)
		if !seen[p] { // the same file twice would clash with itself
			seen[p] = true
			srcs = append(srcs, source{name: p, path: p})
		}
	}
	for _, p := range opts.Paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, fmt.Errorf("yara: rules path: %w", err)
		}
		if !st.IsDir() {
			add(p)
			continue
		}
		var files []string
		err = filepath.WalkDir(p, func(f string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			hidden := f != p && strings.HasPrefix(d.Name(), ".")
			if d.IsDir() {
				if hidden {
					return filepath.SkipDir
				}
				return nil
			}
			ext := strings.ToLower(path.Ext(d.Name()))
			if hidden || (ext != ".yar" && ext != ".yara") {
				return nil
			}
			if st, err := os.Stat(f); err != nil || !st.Mode().IsRegular() {
				return fmt.Errorf("%s: not a readable regular file", f)
			}
			files = append(files, f)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("yara: rules directory %s: %w", p, err)
		}
		sort.Strings(files)
		for _, f := range files {
			add(f)
		}
	}
	return srcs, nil
}

func newCompiler() (*yara.Compiler, error) {
	c, err := yara.NewCompiler()
	if err != nil {
		return nil, fmt.Errorf("yara: new compiler: %w", err)
	}
	for _, e := range externals {
		if err := c.DefineVariable(e.name, e.zero); err != nil {
			c.Destroy()
			return nil, fmt.Errorf("yara: define external %s: %w", e.name, err)
		}
	}
	return c, nil
}

// addSource adds one file to c. It returns the compiler's messages and the
// text it compiled (read from the same open file that libyara reads, so the
// two cannot differ by a rename in between); err is only for a file that
// could not be read.
func addSource(c *yara.Compiler, src source) (msgs []CompileError, text []byte, failed bool, err error) {
	var addErr error
	if src.path != "" {
		f, err := os.Open(src.path)
		if err != nil {
			return nil, nil, true, fmt.Errorf("yara: rules file: %w", err)
		}
		defer f.Close()
		if text, err = io.ReadAll(f); err == nil {
			_, err = f.Seek(0, io.SeekStart)
		}
		if err != nil {
			return nil, nil, true, fmt.Errorf("yara: rules file: %w", err)
		}
		withoutGC(func() { addErr = c.AddFile(f, src.name) })
	} else {
		text = src.data
		withoutGC(func() { addErr = c.AddString(string(src.data), src.name) })
	}
	conv := func(ms []yara.CompilerMessage, warning bool) {
		for _, m := range ms {
			file := m.Filename
			if file == "" {
				file = src.name
			}
			msgs = append(msgs, CompileError{File: file, Line: m.Line, Msg: m.Text, Warning: warning})
		}
	}
	conv(c.Errors, false)
	conv(c.Warnings, true)
	if addErr != nil && len(c.Errors) == 0 {
		msgs = append(msgs, CompileError{File: src.name, Msg: addErr.Error()})
	}
	return msgs, text, addErr != nil, nil
}

// gcSwitch serialises withoutGC: the collector's settings are process-wide.
var gcSwitch sync.Mutex

// withoutGC runs f with the garbage collector off. go-yara v4.2.4's AddFile
// and AddString give libyara the address of a Go variable for the compiler
// callback and keep nothing else pointing at it, so a collection during the
// C call frees it and the next callback (one per error or warning) panics
// with "misuse of an invalid Handle", killing the process: seen on SIGHUP
// reloads under mail load. go-yara v4.3.2 fixed it, but needs libyara 4.3.
// SetGCPercent(-1) waits for a running mark phase to end, and the memory
// limit is lifted too, so no collection runs inside f.
func withoutGC(f func()) {
	gcSwitch.Lock()
	defer gcSwitch.Unlock()
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(math.MaxInt64))
	f()
}

func compileAlone(src source) ([]CompileError, bool, error) {
	c, err := newCompiler()
	if err != nil {
		return nil, false, err
	}
	defer c.Destroy()
	msgs, _, failed, err := addSource(c, src)
	return msgs, !failed, err
}

// compileSet compiles the files that compiled alone. Should one still fail
// together with the others, it is dropped and the rest compiled again, so
// the loop runs at most once per file. It returns the texts compiled.
func compileSet(srcs []source) (*yara.Rules, [][]byte, []CompileError, error) {
	var errs []CompileError
	for len(srcs) > 0 {
		c, err := newCompiler()
		if err != nil {
			return nil, nil, errs, err
		}
		bad := -1
		var texts [][]byte
		for i, src := range srcs {
			msgs, text, failed, err := addSource(c, src)
			if err != nil {
				c.Destroy()
				return nil, nil, errs, err
			}
			texts = append(texts, text)
			if failed {
				for _, m := range msgs {
					if !m.Warning {
						errs = append(errs, m)
					}
				}
				bad = i
				break
			}
		}
		if bad < 0 {
			r, err := c.GetRules()
			c.Destroy()
			if err != nil {
				return nil, nil, errs, fmt.Errorf("yara: get compiled rules: %w", err)
			}
			return r, texts, errs, nil
		}
		c.Destroy()
		srcs = append(srcs[:bad:bad], srcs[bad+1:]...)
	}
	return nil, nil, errs, errors.New("yara: no rule file compiled")
}

// readsExternals lists the externals that rules compiled from texts may
// read: those whose name appears in some text as a whole word (in a
// condition, but also in a comment or a string, which only makes the list
// longer than needed). A rule can name an external in no other way, except
// through a file it includes, which this does not read: a text with the word
// "include" may read them all. Scan uses the list to tell whether two parts
// with the same bytes must be scanned apart.
func readsExternals(texts [][]byte) []string {
	var out []string
	for _, e := range externals {
		for _, t := range texts {
			if hasWord(t, e.name) || hasWord(t, "include") {
				out = append(out, e.name)
				break
			}
		}
	}
	return out
}

// hasWord says whether w occurs in t with no identifier character (letter,
// digit, underscore) right before or after it.
func hasWord(t []byte, w string) bool {
	for off := 0; ; {
		i := bytes.Index(t[off:], []byte(w))
		if i < 0 {
			return false
		}
		i += off
		end := i + len(w)
		if (i == 0 || !identByte(t[i-1])) && (end == len(t) || !identByte(t[end])) {
			return true
		}
		off = i + 1
	}
}

func identByte(b byte) bool {
	return b == '_' || '0' <= b && b <= '9' || 'a' <= b && b <= 'z' || 'A' <= b && b <= 'Z'
}

// ruleInfos reads every public rule's metadata. A rule name used in more
// than one file is qualified with its file so findings stay distinct.
func ruleInfos(r *yara.Rules) (map[ruleKey]ruleInfo, []CompileError) {
	var errs []CompileError
	info := map[ruleKey]ruleInfo{}
	namespaces := map[string][]string{}
	for _, rule := range r.GetRules() {
		if rule.IsPrivate() {
			continue
		}
		k := ruleKey{ns: rule.Namespace(), id: rule.Identifier()}
		ri, problems := readMeta(k.id, rule.Metas())
		for _, p := range problems {
			errs = append(errs, CompileError{File: k.ns, Msg: p, Warning: true})
		}
		info[k] = ri
		namespaces[k.id] = append(namespaces[k.id], k.ns)
	}
	for id, nss := range namespaces {
		if len(nss) < 2 {
			continue
		}
		for _, ns := range nss {
			k := ruleKey{ns: ns, id: id}
			ri := info[k]
			ri.id = ns + ":" + id
			info[k] = ri
		}
	}
	return info, errs
}

// actions are the words policy.ParseAction accepts; a rule asking for
// anything else is warned about at compile time.
var actions = map[string]bool{"accept": true, "tag": true, "quarantine": true, "reject": true, "discard": true, "tempfail": true}

// readMeta maps a rule's metadata to a finding template (see doc.go).
func readMeta(id string, metas []yara.Meta) (ruleInfo, []string) {
	ri := ruleInfo{id: id, severity: scanners.Malicious}
	var problems []string
	score, hasScore := 0, false
	for _, m := range metas {
		switch m.Identifier {
		case "severity":
			s, _ := m.Value.(string)
			sev, err := scanners.ParseSeverity(s)
			if err != nil {
				problems = append(problems, fmt.Sprintf("rule %s: meta severity: %v; using malicious", id, err))
				continue
			}
			ri.severity = sev
		case "score":
			switch v := m.Value.(type) {
			case int:
				score, hasScore = v, true
			case string:
				n, err := strconv.Atoi(strings.TrimSpace(v))
				if err != nil {
					problems = append(problems, fmt.Sprintf("rule %s: meta score %q is not a number; using the default", id, v))
					continue
				}
				score, hasScore = n, true
			default:
				problems = append(problems, fmt.Sprintf("rule %s: meta score is not a number; using the default", id))
			}
		case "action":
			s, _ := m.Value.(string)
			s = strings.ToLower(strings.TrimSpace(s))
			if !actions[s] {
				problems = append(problems, fmt.Sprintf("rule %s: meta action %q is not one of accept, tag, quarantine, reject, discard, tempfail; ignored", id, m.Value))
				continue
			}
			ri.action = s
		case "description":
			if s, ok := m.Value.(string); ok {
				ri.detail = s
			}
		}
	}
	switch {
	case hasScore:
		ri.score = score
	case ri.severity == scanners.Malicious:
		ri.score = 100
	case ri.severity == scanners.Suspicious:
		ri.score = 30
	}
	return ri, problems
}
