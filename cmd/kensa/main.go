// Command kensa is the Kensa mail filter: `kensa serve` runs the milter,
// `kensa scan` runs the same engine on stored messages.
package main

import (
	"fmt"
	"io"
	"os"
)

// version is set by the Makefile from git describe.
var version = "dev"

// Exit codes, documented in docs/commands.md.
const (
	exitOK      = 0 // serve: clean stop; scan: every message accepted; checks: no problem
	exitFlagged = 1 // scan: some message tagged, quarantined, rejected or discarded
	exitError   = 2 // a usage, config, rule or I/O error (scan: a message could not be read or scanned)
)

const usage = `Kensa — a mail content filter (milter) for Postfix and Sendmail.

Usage:
  kensa serve  [--config FILE] [--listen ADDR] [--log-format text|json] [--log-level LEVEL]
  kensa scan   [--config FILE] [--state-dir DIR] [--json] FILE.eml|DIR|-  ...
  kensa rules check [--config FILE] [--no-builtin] [FILE|DIR ...]
  kensa config check [FILE]
  kensa console hash-password < PASSWORD
  kensa quarantine list|show|release|delete|purge|digest|link|confirm [--config FILE] ...
  kensa known add|import|list|remove [--config FILE] ...
  kensa health [--config FILE] [--ready] [--url URL]
  kensa version

Run "kensa COMMAND --help" for a command's options.
`

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitError
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return serve(rest, stderr)
	case "scan":
		return scan(rest, stdin, stdout, stderr)
	case "rules":
		if len(rest) > 0 && rest[0] == "check" {
			return rulesCheck(rest[1:], stdout, stderr)
		}
	case "console":
		return consoleCmd(rest, stdin, stdout, stderr)
	case "quarantine":
		return quarantineCmd(rest, stdout, stderr)
	case "known":
		return knownCmd(rest, stdout, stderr)
	case "config":
		if len(rest) > 0 && rest[0] == "check" {
			return configCheck(rest[1:], stdout, stderr)
		}
	case "health":
		return health(rest, stdout, stderr)
	case "version", "--version", "-v":
		printVersion(stdout)
		return exitOK
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "kensa: unknown command %q\n\n%s", cmd, usage)
	return exitError
}
