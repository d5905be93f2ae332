package heuristic

import (
	"slices"
	"strings"

	"github.com/kensa-milter/kensa/message"
)

// What a batch file runs. A .bat or .cmd attachment is quarantined by its
// name (dangerous-script), but the downloaders among them (a PowerShell
// launch, mshta, curl or bitsadmin fetching a payload, rundll32 on a DLL
// shipped beside it) are as bad as a shortcut that does the same, and cmd's
// obfuscation (carets, %var:~n,m%, variables set and joined, delayed
// expansion) hides them from a scanner that reads the file as written. The
// file is read as cmd plays it (cmdScript) and each command that starts a
// runner is judged as a shortcut's arguments are (activeArg), cmd /c and
// start taken off first, so that a login or backup script that maps drives,
// copies files and starts installed programs says nothing.

// batchExts are the names cmd runs as batch files.
var batchExts = set("bat", "cmd")

// maxBatchFindings bounds what one batch file reports.
const maxBatchFindings = 4

func checkBatchCommand(e *env, p *message.Part) []string {
	if !isBatch(p) || len(p.Content) == 0 {
		return nil
	}
	var out []string
	judge := func(c string) bool {
		if why := batchRuns(c, 0); why != "" && !slices.Contains(out, why) {
			out = append(out, why)
		}
		return len(out) < maxBatchFindings
	}
	script := string(head(p))
	for _, c := range cmdScript(script) { // line by line, as written
		if !judge(c) {
			return out
		}
	}
	batchPlay(script, judge) // as its control flow runs
	return out
}

// isBatch: a part named .bat or .cmd (any of its names).
func isBatch(p *message.Part) bool {
	if batchExts[message.Ext(p.Filename)] {
		return true
	}
	for _, n := range p.AltNames {
		if batchExts[message.Ext(n)] {
			return true
		}
	}
	return false
}

// batchRuns says what one command (expanded) runs that fetches or runs
// something, "" for none. depth bounds cmd /c inside cmd /c.
func batchRuns(c string, depth int) string {
	c = strings.TrimLeft(c, "@( \t")
	low := strings.ToLower(c)
	for _, quiet := range []string{"rem", "::", ":", "echo", "set", "title", "goto"} {
		if strings.HasPrefix(low, quiet) && (len(low) == len(quiet) || quiet[0] == ':' || strings.ContainsRune(" \t.(/", rune(low[len(quiet)]))) {
			return "" // a comment, a label, text shown, a value kept: nothing runs
		}
	}
	run, args := batchRunner(c)
	if run == "" {
		return ""
	}
	if run == "cmd" && depth < 3 {
		// cmd /c X runs X: judged as a command of its own, its
		// obfuscation undone again (inside quotes, cmdSplit kept it).
		for _, inner := range cmdScript(cmdLine(args)) {
			if why := batchRuns(inner, depth+1); why != "" {
				return why
			}
		}
		return ""
	}
	why := ""
	if m := activeArg(args); m != "" {
		why = "with " + show(strings.TrimSpace(m))
	} else if run == "rundll32" || run == "regsvr32" || run == "mshta" {
		why = strings.Replace(lnkArgsRun(run, args), "the shortcut", "the batch file", 1) // a DLL or page beside it, not Windows' own
	}
	if why == "" {
		return ""
	}
	return "runs " + run + " " + why + ": " + show(strings.Join(strings.Fields(c), " "))
}

// batchRunner finds the first word of c that names a runner (after if,
// for ... do, start and its switches, a path or quotes) and the text after
// it; "" when none does.
func batchRunner(c string) (run, args string) {
	at := 0
	for _, w := range lnkWords(c) {
		i := strings.Index(c[at:], w)
		if i < 0 {
			break
		}
		at += i + len(w)
		if r := lnkRunner(strings.Trim(w, `()'@`)); r != "" && r != "explorer" {
			rest := strings.TrimPrefix(c[at:], `"`)
			return r, rest
		}
	}
	return "", ""
}

// cmdLine is the command line cmd's arguments run (cmdSwitches), with
// /v:on's delayed expansion as setlocal's.
func cmdLine(args string) string {
	_, line, delayed := cmdSwitches(args)
	if delayed {
		return "setlocal EnableDelayedExpansion\n" + line
	}
	return line
}
