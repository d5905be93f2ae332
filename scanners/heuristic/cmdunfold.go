package heuristic

import (
	"strconv"
	"strings"
)

// cmd.exe's own obfuscation (DOSfuscation), undone before a command line
// is judged: carets (p^ow^ershell), variables set earlier on the line
// (set a=pow&&call %a%ershell), substrings of variables
// (%ProgramData:~3,1% is P, negative offsets from the end), substitutions
// (%x:abc=% cuts abc out), delayed expansion (/v:on and !a!) and call's
// second expansion (call %%a%%). The commands are played in order, each
// expanded with what the ones before it set, which is what the tricks
// rely on; what cmd would leave unexpanded (an unknown variable) is left
// as written. Windows' own variables have their default values. Bounded:
// the line's first 64 KiB, 1000 commands, 1000 variables, cmd's 8191
// characters a value, 256 KiB out.

const (
	cmdMaxIn       = 64 << 10
	cmdMaxCommands = 1000
	cmdMaxVars     = 1000
	cmdMaxValue    = 8191
	cmdMaxOut      = 256 << 10
)

// cmdDefaults are Windows' variables as a fresh session has them (the
// user's folders under a placeholder user name).
var cmdDefaults = map[string]string{
	"allusersprofile":         `C:\ProgramData`,
	"appdata":                 `C:\Users\user\AppData\Roaming`,
	"commonprogramfiles":      `C:\Program Files\Common Files`,
	"comspec":                 `C:\Windows\system32\cmd.exe`,
	"homedrive":               `C:`,
	"homepath":                `\Users\user`,
	"localappdata":            `C:\Users\user\AppData\Local`,
	"os":                      `Windows_NT`,
	"pathext":                 `.COM;.EXE;.BAT;.CMD;.VBS;.VBE;.JS;.JSE;.WSF;.WSH;.MSC`,
	"programdata":             `C:\ProgramData`,
	"programfiles":            `C:\Program Files`,
	"programfiles(x86)":       `C:\Program Files (x86)`,
	"programw6432":            `C:\Program Files`,
	"public":                  `C:\Users\Public`,
	"systemdrive":             `C:`,
	"systemroot":              `C:\Windows`,
	"temp":                    `C:\Users\user\AppData\Local\Temp`,
	"tmp":                     `C:\Users\user\AppData\Local\Temp`,
	"userprofile":             `C:\Users\user`,
	"windir":                  `C:\Windows`,
	"commonprogramfiles(x86)": `C:\Program Files (x86)\Common Files`,
	"processor_architecture":  `AMD64`,
	"psmodulepath":            `C:\Windows\system32\WindowsPowerShell\v1.0\Modules`,
}

// cmdUnfold undoes cmd's obfuscation of line (a shortcut's arguments to
// cmd, a batch file), returning the commands as cmd runs them, joined by
// " & " (a batch file's lines too). A line without % ! or ^ is returned as
// it is.
func cmdUnfold(line string) string {
	if !strings.ContainsAny(line, "%!^") {
		return line
	}
	if len(line) > cmdMaxIn {
		line = line[:cmdMaxIn]
	}
	switches, line, delayed := cmdSwitches(line)
	u := cmdUnfolder{vars: map[string]string{}, delayed: delayed}
	var out strings.Builder
	out.WriteString(switches)
	prefix := out.Len()
	u.commands(line, func(x string) bool {
		if out.Len() > prefix {
			out.WriteString(" & ")
		}
		out.WriteString(x)
		return out.Len() <= cmdMaxOut
	})
	return out.String()
}

// cmdSwitches splits cmd's arguments into its switches before /c or /k
// (with /c or /k itself, each followed by a blank) and the command line it
// runs, that line's outer quotes taken off as cmd takes them; delayed: /v:on.
func cmdSwitches(args string) (switches, line string, delayed bool) {
	var out strings.Builder
	line = args
	rest := strings.TrimLeft(args, " \t")
	for n := 0; n < 8 && strings.HasPrefix(rest, "/"); n++ {
		sw, after, _ := strings.Cut(rest, " ")
		low := strings.ToLower(sw)
		if low == "/v:on" || low == "/v" {
			delayed = true
		}
		if low != "/c" && low != "/k" && !strings.HasPrefix(low, "/c\"") && !strings.HasPrefix(low, "/k\"") {
			out.WriteString(sw + " ")
			rest = strings.TrimLeft(after, " \t")
			continue
		}
		out.WriteString(sw[:2] + " ")
		rest = strings.TrimLeft(rest[2:], " \t")
		if strings.HasPrefix(rest, `"`) {
			if i := strings.LastIndexByte(rest, '"'); i > 0 {
				rest = rest[1:i] + rest[i+1:]
			}
		}
		line = rest
		break
	}
	return out.String(), line, delayed
}

// cmdScript is a batch file's commands as cmd runs them, one by one, its
// obfuscation undone (at most cmdMaxCommands, cmdMaxOut bytes in all, of
// the file's first cmdMaxIn bytes).
func cmdScript(script string) []string {
	if len(script) > cmdMaxIn {
		script = script[:cmdMaxIn]
	}
	u := cmdUnfolder{vars: map[string]string{}}
	var out []string
	n := 0
	u.commands(script, func(x string) bool {
		out = append(out, x)
		n += len(x)
		return n <= cmdMaxOut
	})
	return out
}

// commands plays line's commands in order and hands each, expanded, to
// each until it says stop.
func (u *cmdUnfolder) commands(line string, each func(string) bool) {
	for n, cmd := range cmdSplit(line) {
		if n >= cmdMaxCommands {
			return
		}
		if x := u.run(cmd); x != "" && !each(x) {
			return
		}
	}
}

type cmdUnfolder struct {
	vars    map[string]string // set on the line, lower-case names
	delayed bool              // !var! expands too (cmd /v:on, setlocal EnableDelayedExpansion)
}

// cmdSplit cuts a line into commands at & && || | and line breaks outside
// quotes, carets removed (an escaped & is kept and does not split).
func cmdSplit(line string) []string {
	var cmds []string
	var b strings.Builder
	quoted := false
	flush := func() {
		if s := strings.TrimSpace(b.String()); s != "" {
			cmds = append(cmds, s)
		}
		b.Reset()
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '"':
			quoted = !quoted
			b.WriteByte(c)
		case c == '^' && !quoted:
			if i+1 < len(line) && line[i+1] != '\r' && line[i+1] != '\n' {
				i++
				b.WriteByte(line[i])
			}
		case c == '\r' || c == '\n':
			quoted = false
			flush()
		case (c == '&' || c == '|') && !quoted:
			if i+1 < len(line) && line[i+1] == c {
				i++
			}
			flush()
		default:
			b.WriteByte(c)
		}
		if len(cmds) > cmdMaxCommands {
			break
		}
	}
	flush()
	return cmds
}

// run expands one command and plays what it sets; it returns the command
// as cmd runs it.
func (u *cmdUnfolder) run(cmd string) string { return u.exec(u.expand(cmd, '%')) }

// exec plays one command whose percent expansion is done: delayed
// expansion, call's second expansion, what it sets.
func (u *cmdUnfolder) exec(x string) string {
	if u.delayed {
		x = u.expand(x, '!')
	}
	x = strings.TrimLeft(x, "@ \t")
	low := strings.ToLower(x)
	if strings.HasPrefix(low, "call ") || strings.HasPrefix(low, "call\t") {
		x = u.expand(strings.TrimSpace(x[5:]), '%') // call's second expansion
		if u.delayed {
			x = u.expand(x, '!')
		}
		low = strings.ToLower(x)
	}
	switch {
	case strings.HasPrefix(low, "setlocal") && strings.Contains(low, "enabledelayedexpansion"):
		u.delayed = true
	case strings.HasPrefix(low, "set ") || strings.HasPrefix(low, "set\t"):
		u.set(strings.TrimSpace(x[4:]))
	}
	return x
}

// set plays set name=value and set "name=value" (not /a arithmetic nor
// /p prompts: their values are not known).
func (u *cmdUnfolder) set(arg string) {
	if strings.HasPrefix(arg, "/") {
		return
	}
	if strings.HasPrefix(arg, `"`) {
		arg = arg[1:]
		if i := strings.LastIndexByte(arg, '"'); i >= 0 {
			arg = arg[:i]
		}
	}
	name, value, ok := strings.Cut(arg, "=")
	if !ok || name == "" {
		return
	}
	name = strings.ToLower(strings.TrimRight(name, " \t"))
	if len(value) > cmdMaxValue {
		value = value[:cmdMaxValue]
	}
	if _, known := u.vars[name]; !known && len(u.vars) >= cmdMaxVars {
		return
	}
	if value == "" {
		u.vars[name] = ""
		delete(u.vars, name)
		return
	}
	u.vars[name] = value
}

// lookup is a variable's value: set on the line, else Windows' default.
func (u *cmdUnfolder) lookup(name string) (string, bool) {
	name = strings.ToLower(name)
	if v, ok := u.vars[name]; ok {
		return v, true
	}
	v, ok := cmdDefaults[name]
	return v, ok
}

// expand replaces %name%, %name:~start,length% and %name:old=new% (or the
// same between !) in s; %% is a % (a batch file's escape, left for
// call's second expansion).
func (u *cmdUnfolder) expand(s string, mark byte) string {
	if strings.IndexByte(s, mark) < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != mark {
			b.WriteByte(s[i])
			i++
			continue
		}
		if mark == '%' && i+1 < len(s) && s[i+1] == '%' {
			b.WriteString("%")
			i += 2
			continue
		}
		end := strings.IndexByte(s[i+1:], mark)
		if end < 0 {
			b.WriteString(s[i:])
			break
		}
		ref := s[i+1 : i+1+end]
		if v, ok := u.reference(ref); ok && b.Len()+len(v) <= cmdMaxOut {
			b.WriteString(v)
			i += end + 2
			continue
		}
		b.WriteByte(mark) // not a variable: the mark is text, the next may start one
		i++
	}
	return b.String()
}

// reference is the value of a reference between marks: name,
// name:~start[,length] or name:old=new.
func (u *cmdUnfolder) reference(ref string) (string, bool) {
	name, op, hasOp := strings.Cut(ref, ":")
	if name == "" || strings.ContainsAny(name, " \t") && !hasOp {
		return "", false
	}
	v, ok := u.lookup(name)
	if !ok {
		return "", false
	}
	if !hasOp {
		return v, true
	}
	if rest, ok := strings.CutPrefix(op, "~"); ok {
		return cmdSubstring(v, rest)
	}
	old, repl, ok := strings.Cut(op, "=")
	if !ok || old == "" {
		return "", false
	}
	if prefix, ok := strings.CutPrefix(old, "*"); ok { // *x=y: up to the first x
		i := strings.Index(strings.ToLower(v), strings.ToLower(prefix))
		if i < 0 || prefix == "" {
			return v, true
		}
		return repl + v[i+len(prefix):], true
	}
	return cmdReplaceFold(v, old, repl), true
}

// cmdSubstring is %v:~start,length%: a negative start counts from the end,
// a negative length leaves that many off the end.
func cmdSubstring(v, spec string) (string, bool) {
	a, l, hasLen := strings.Cut(spec, ",")
	start, err := strconv.Atoi(strings.TrimSpace(a))
	if err != nil {
		return "", false
	}
	n := len(v)
	if start < 0 {
		start = max(n+start, 0)
	}
	start = min(start, n)
	end := n
	if hasLen {
		k, err := strconv.Atoi(strings.TrimSpace(l))
		if err != nil {
			return "", false
		}
		if k < 0 {
			end = max(n+k, start)
		} else {
			end = min(start+k, n)
		}
	}
	return v[start:end], true
}

// cmdReplaceFold replaces every old in v by repl, ignoring case as cmd does.
func cmdReplaceFold(v, old, repl string) string {
	lv, lo := strings.ToLower(v), strings.ToLower(old)
	if len(lv) != len(v) {
		return strings.ReplaceAll(v, old, repl)
	}
	var b strings.Builder
	for {
		i := strings.Index(lv, lo)
		if i < 0 {
			b.WriteString(v)
			return b.String()
		}
		b.WriteString(v[:i])
		b.WriteString(repl)
		v, lv = v[i+len(old):], lv[i+len(old):]
	}
}
