package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// read parses data as one YAML document, checks its tree against the shape
// of Config (treeCheck) and decodes what is left over c. A syntax error ends
// the reading: root is nil and the one problem says where and why. Every
// other problem names its line and key, and the value it is about is left
// out of the decoding, so that key keeps its default.
func read(data []byte, c *Config) (root *yaml.Node, problems []string) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) { // empty, or only comments
			return nil, nil
		}
		return nil, []string{syntaxProblem(data, err)}
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case errors.Is(err, io.EOF):
	case err != nil:
		return nil, []string{syntaxProblem(data, err)}
	case len(next.Content) > 0 && next.Content[0].Tag != "!!null":
		problems = append(problems, fmt.Sprintf("line %d: a second YAML document starts here (after ---); "+
			"Kensa reads one: put every key in the first", next.Content[0].Line))
	}
	if len(doc.Content) == 0 {
		return &doc, problems
	}
	body := doc.Content[0]
	if body.Kind == yaml.ScalarNode && body.Tag == "!!null" {
		return &doc, problems
	}
	if body.Kind != yaml.MappingNode {
		problems = append(problems, fmt.Sprintf("line %d: the file must be keys with values (listen: …, log: …), not %s",
			body.Line, describe(body)))
		return &doc, problems
	}
	tc := treeCheck{seen: map[*yaml.Node]bool{}}
	tc.value(body, body.Line, "", reflect.TypeOf(*c))
	problems = append(problems, tc.problems...)
	// What treeCheck let through decodes; should something still not, it
	// is reported all the same, never dropped.
	if err := doc.Decode(c); err != nil {
		var te *yaml.TypeError
		if errors.As(err, &te) {
			problems = append(problems, te.Errors...)
		} else {
			// yaml.v3's other decoding errors (a merge key "<<" whose value
			// is not a map) carry no line: name the merge key's, else the
			// first key's.
			msg, _ := strings.CutPrefix(err.Error(), "yaml: ")
			problems = append(problems, fmt.Sprintf("line %d: not valid YAML: %s", mergeLine(body), msg))
		}
	}
	return &doc, problems
}

// mergeLine is the line of the first merge key ("<<") in n, else n's own.
func mergeLine(n *yaml.Node) int {
	stack := []*yaml.Node{n}
	for steps := 0; len(stack) > 0 && steps < 100000; steps++ {
		top := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if top.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(top.Content); i += 2 {
				if k := top.Content[i]; k.Tag == "!!merge" || k.Value == "<<" {
					return k.Line
				}
			}
		}
		stack = append(stack, top.Content...)
	}
	return n.Line
}

// treeCheck walks the parsed file once against the Go types it decodes
// into: unknown keys, keys given twice, values of the wrong kind (a map
// where one value is wanted, a word where a number is), sizes and
// durations that do not read. It drops every value it reports from the
// tree, so that the decoder that follows meets none of them.
type treeCheck struct {
	problems []string
	seen     map[*yaml.Node]bool // maps and lists walked (an alias may name one again)
}

func (tc *treeCheck) bad(line int, path, format string, a ...any) {
	msg := fmt.Sprintf(format, a...)
	if path == "" {
		tc.problems = append(tc.problems, fmt.Sprintf("line %d: %s", line, msg))
		return
	}
	tc.problems = append(tc.problems, fmt.Sprintf("line %d: %s: %s", line, path, msg))
}

var (
	sizeType     = reflect.TypeOf(Size(0))
	durationType = reflect.TypeOf(Duration(0))
)

// value checks n, the value of the key at path (on line), against t and
// says whether it may be decoded.
func (tc *treeCheck) value(n *yaml.Node, line int, path string, t reflect.Type) bool {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	null := n.Kind == yaml.ScalarNode && n.Tag == "!!null"
	switch {
	case t == sizeType:
		return tc.scalar(n, line, path, "a size like 64MiB", func(s string) error { _, err := ParseSize(s); return err })
	case t == durationType:
		return tc.scalar(n, line, path, "a duration like 30s", func(s string) error { _, err := parseDuration(s); return err })
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		if null { // an empty section keeps its defaults; an empty map is empty
			return true
		}
		if n.Kind != yaml.MappingNode {
			if t.Kind() == reflect.Struct {
				tc.bad(line, path, "want keys under it (%s), got %s", keyList(t, 4), describe(n))
			} else {
				tc.bad(line, path, "want a map (key: value, …), got %s", describe(n))
			}
			return false
		}
		tc.mapping(n, path, t)
		return true
	case reflect.Slice:
		return tc.list(n, line, path, t)
	case reflect.String:
		return tc.scalar(n, line, path, "a single value", nil)
	case reflect.Int:
		return tc.scalar(n, line, path, "a whole number", wholeNumber(n))
	case reflect.Bool:
		return tc.scalar(n, line, path, "true or false", yesNo(n))
	}
	return true
}

// scalar checks a single value: not a map or list, not empty, and (when
// parse is given) readable by parse.
func (tc *treeCheck) scalar(n *yaml.Node, line int, path, want string, parse func(string) error) bool {
	switch {
	case n.Kind != yaml.ScalarNode:
		tc.bad(line, path, "want %s, got %s", want, describe(n))
		return false
	case n.Tag == "!!null":
		if want == "a single value" {
			tc.bad(line, path, `has no value: write "" for an empty one, or leave the key out to keep the default`)
		} else {
			tc.bad(line, path, "has no value: write %s, or leave the key out to keep the default", want)
		}
		return false
	case parse != nil:
		if err := parse(n.Value); err != nil {
			tc.bad(line, path, "%v", err)
			return false
		}
	}
	return true
}

// wholeNumber reads an int as the decoder would: only a YAML integer.
func wholeNumber(n *yaml.Node) func(string) error {
	return func(s string) error {
		switch n.Tag {
		case "!!int":
			if _, err := strconv.ParseInt(strings.ReplaceAll(s, "_", ""), 0, 64); err != nil {
				return fmt.Errorf("%s is too large", shorten(s))
			}
			return nil
		case "!!bool":
			return fmt.Errorf("want a whole number, got %s (a yes/no value)", s)
		case "!!str":
			if _, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
				return fmt.Errorf("%q is in quotes: write the number without them", s)
			}
			return fmt.Errorf("%q is not a whole number", shorten(s))
		}
		return fmt.Errorf("%s is not a whole number", shorten(s))
	}
}

// yesNo reads a bool as the decoder would: true or false, and the YAML 1.1
// words yes, no, on and off.
func yesNo(n *yaml.Node) func(string) error {
	return func(s string) error {
		if n.Tag == "!!bool" {
			return nil
		}
		switch s {
		case "y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "n", "N", "no", "No", "NO", "off", "Off", "OFF":
			if n.Tag == "!!str" && n.Style == 0 {
				return nil
			}
		}
		if n.Tag == "!!str" {
			return fmt.Errorf("want true or false, got %q", shorten(s))
		}
		return fmt.Errorf("want true or false, got %s", shorten(s))
	}
}

// list checks a list and each of its items.
func (tc *treeCheck) list(n *yaml.Node, line int, path string, t reflect.Type) bool {
	elem := t.Elem()
	what := "a list"
	if elem.Kind() == reflect.String {
		what = "a list of strings"
	}
	switch {
	case n.Kind == yaml.ScalarNode && n.Tag == "!!null":
		return true
	case n.Kind == yaml.ScalarNode && elem.Kind() == reflect.String && n.Tag == "!!str":
		tc.bad(line, path, "want %s, got a single string (write [%s])", what, shorten(n.Value))
		return false
	case n.Kind == yaml.ScalarNode && elem.Kind() == reflect.String:
		tc.bad(line, path, "want %s, got the single value %s (write [%s])", what, shorten(n.Value), shorten(n.Value))
		return false
	case n.Kind != yaml.SequenceNode:
		tc.bad(line, path, "want %s, got %s", what, describe(n))
		return false
	}
	if tc.seen[n] {
		return true
	}
	tc.seen[n] = true
	kept := n.Content[:0:0]
	for i, item := range n.Content {
		if tc.value(item, item.Line, fmt.Sprintf("%s[%d]", path, i), elem) {
			kept = append(kept, item)
		}
	}
	n.Content = kept
	return true
}

// mapping checks the keys of a section (t a struct) or of a map (t a map):
// each key known and given once. Two maps under the same key are read as
// one, so that both are checked; of two single values the first is kept.
func (tc *treeCheck) mapping(n *yaml.Node, path string, t reflect.Type) {
	if tc.seen[n] {
		return
	}
	tc.seen[n] = true
	first := map[string]*yaml.Node{} // key → the pair's value, as kept
	firstLine := map[string]int{}
	var kept []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			tc.bad(k.Line, path, "a key must be a plain word, not %s", describe(k))
			continue
		}
		if k.Tag == "!!merge" { // <<: *anchor, checked with the values below
			kept = append(kept, k, v)
			continue
		}
		p := k.Value
		if path != "" {
			p = path + "." + k.Value
		}
		if t.Kind() == reflect.Struct {
			if _, ok := field(t, k.Value); !ok {
				tc.bad(k.Line, p, "%s", unknownKey(k.Value, path, t))
				continue
			}
		}
		if prev, dup := first[k.Value]; dup {
			tc.bad(k.Line, p, "given twice, first at line %d: write each key once", firstLine[k.Value])
			if prev.Kind == yaml.MappingNode && v.Kind == yaml.MappingNode && !tc.seen[prev] && !tc.seen[v] {
				prev.Content = append(prev.Content, v.Content...)
			}
			continue
		}
		first[k.Value], firstLine[k.Value] = v, k.Line
		kept = append(kept, k, v)
	}
	// Values are checked after the keys, so that the maps given twice
	// are checked once, as one.
	out := kept[:0:0]
	for i := 0; i+1 < len(kept); i += 2 {
		k, v := kept[i], kept[i+1]
		if k.Tag == "!!merge" {
			if tc.merge(v, k.Line, path, t) {
				out = append(out, k, v)
			}
			continue
		}
		p := k.Value
		if path != "" {
			p = path + "." + k.Value
		}
		ft := t
		if t.Kind() == reflect.Struct {
			f, _ := field(t, k.Value)
			ft = f.Type
		} else {
			ft = t.Elem()
		}
		if tc.value(v, k.Line, p, ft) {
			out = append(out, k, v)
		}
	}
	n.Content = out
}

// merge checks what a merge key (<<) brings in: a map, or a list of maps.
func (tc *treeCheck) merge(v *yaml.Node, line int, path string, t reflect.Type) bool {
	if v.Kind == yaml.AliasNode && v.Alias != nil {
		v = v.Alias
	}
	if v.Kind != yaml.SequenceNode {
		return tc.value(v, line, path, t)
	}
	ok := true
	for _, item := range v.Content {
		ok = tc.merge(item, item.Line, path, t) && ok
	}
	return ok
}

// field finds the struct field a YAML key decodes into.
func field(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.IsExported() && yamlName(f) == key {
			return f, true
		}
	}
	return reflect.StructField{}, false
}

func yamlName(f reflect.StructField) string {
	name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	return name
}

// keys are the YAML keys of a section, in the order of the struct.
func keys(t reflect.Type) []string {
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if f := t.Field(i); f.IsExported() && yamlName(f) != "" && yamlName(f) != "-" {
			out = append(out, yamlName(f))
		}
	}
	return out
}

// keyList names at most max keys of a section.
func keyList(t reflect.Type, max int) string {
	k := keys(t)
	if len(k) > max {
		return strings.Join(k[:max], ", ") + ", …"
	}
	return strings.Join(k, ", ")
}

// unknownKey says what is wrong with a key the section does not have: the
// key it most likely meant (in this section, or the section a known key
// belongs in), or the keys the section takes.
func unknownKey(key, section string, t reflect.Type) string {
	if near := nearest(key, keys(t)); near != "" {
		return fmt.Sprintf("unknown key; did you mean %s?", near)
	}
	var elsewhere []string // dotted paths of every key of the file
	var walk func(t reflect.Type, prefix string)
	walk = func(t reflect.Type, prefix string) {
		for _, k := range keys(t) {
			f, _ := field(t, k)
			elsewhere = append(elsewhere, prefix+k)
			if f.Type.Kind() == reflect.Struct && f.Type != sizeType && f.Type != durationType {
				walk(f.Type, prefix+k+".")
			}
		}
	}
	walk(reflect.TypeOf(Config{}), "")
	var exact, near []string // sections with this key; keys a typo away
	for _, p := range elsewhere {
		i := strings.LastIndexByte(p, '.')
		switch last := p[i+1:]; {
		case last == key && i < 0:
			exact = append(exact, "the file, not indented")
		case last == key:
			exact = append(exact, p[:i])
		case nearest(key, []string{last}) != "":
			near = append(near, p)
		}
	}
	where := section
	if where == "" {
		where = "the file"
	}
	switch {
	case len(exact) > 0:
		return fmt.Sprintf("unknown key in %s; %s is a key of %s", where, key, strings.Join(exact, ", "))
	case len(near) == 1:
		return fmt.Sprintf("unknown key; did you mean %s?", near[0])
	}
	return fmt.Sprintf("unknown key (%s takes: %s)", where, strings.Join(keys(t), ", "))
}

// nearest is the candidate a key is most likely a typo of (one edit away
// for a key of four letters or more, two from eight), or "".
func nearest(key string, candidates []string) string {
	limit := 0 // a short word is one or two edits from too many keys
	switch {
	case len(key) >= 8:
		limit = 2
	case len(key) >= 4:
		limit = 1
	}
	best, bestD := "", limit+1
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(key), c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// editDistance counts the insertions, deletions, substitutions and swaps
// of neighbours that turn a into b (optimal string alignment).
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 { // no key is that long: not a typo of one
		return 1 << 10
	}
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// describe names what a node is, for "want …, got …".
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a map"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.Tag == "!!str" {
			return fmt.Sprintf("the single value %q", shorten(n.Value))
		}
		return "the single value " + shorten(n.Value)
	}
	return "an alias"
}

// shorten keeps a value quoted back in a message to a readable length.
func shorten(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:57]) + "..."
	}
	return s
}

// syntaxProblem says in plain words where and why data is not YAML.
// yaml.v3 has no typed syntax error: its message is "yaml: line N: what",
// N being one less than the line for the parser's (not the scanner's)
// problems, so the line is read back from the text.
func syntaxProblem(data []byte, err error) string {
	msg, _ := strings.CutPrefix(err.Error(), "yaml: ")
	line := 1
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if n, what, ok := strings.Cut(rest, ": "); ok {
			if v, err := strconv.Atoi(n); err == nil {
				line, msg = v, what
				if strings.HasPrefix(what, "did not find expected") {
					line++
				}
			}
		}
	}
	lines := strings.Split(string(data), "\n")
	// A tab in the indentation is the commonest cause, whatever yaml.v3
	// calls it: name the first such line up to the one after it stopped.
	for i, l := range lines {
		if i > line && !strings.Contains(msg, "tab character") {
			break
		}
		if indent := l[:len(l)-len(strings.TrimLeft(l, " \t"))]; strings.Contains(indent, "\t") {
			return fmt.Sprintf("line %d: tabs are not allowed for indentation in YAML: indent with spaces%s", i+1, notChecked)
		}
	}
	// For a bracket or quote left open on the first line yaml.v3 names
	// the end of the file: name the last line up to it that opens one.
	if open := map[string]string{
		"did not find expected ',' or ']'": "[", "did not find expected ',' or '}'": "{", "found unexpected end of stream": `"'`,
	}[msg]; open != "" {
		for i := min(line, len(lines)); i >= 1; i-- {
			if strings.ContainsAny(lines[i-1], open) {
				line = i
				break
			}
		}
	}
	plain := map[string]string{
		"found character that cannot start any token":            "a value cannot start with this character (@ or `): put the value in quotes",
		"mapping values are not allowed in this context":         `a "key:" where none can be: does the line above lack its ":", is this line indented deeper than the key above it, or does a value hold ": " (then quote it)?`,
		"did not find expected key":                              "a key is expected here or in the lines below: look for a line not lined up with the keys around it, or a stray character",
		"did not find expected ',' or ']'":                       "a [ list that starts here is not closed with ]",
		"did not find expected ',' or '}'":                       "a { map that starts here is not closed with }",
		"did not find expected '-' indicator":                    `a list that starts here has a line that is not a "- " item at its indent`,
		"did not find expected node content":                     "a value is missing or out of place here",
		"found unexpected end of stream":                         "a quoted value that starts here is not closed (the file ends inside it)",
		"could not find expected ':'":                            `a key without ":" after it`,
		"found unknown escape character":                         `an unknown \ escape in a "double-quoted" value: use 'single quotes' or write \\`,
		"block sequence entries are not allowed in this context": `a "- " list item where a single value was expected`,
	}
	if p, ok := plain[msg]; ok {
		msg = p
	} else {
		msg = "not valid YAML: " + msg
	}
	return fmt.Sprintf("line %d: %s%s", line, msg, notChecked)
}

const notChecked = " (nothing else in the file is checked until this is fixed)"
