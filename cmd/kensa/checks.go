package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"slices"

	"github.com/kensa-milter/kensa/scanners/yarascan"
)

// rulesCheck compiles rule files and lists every error with file:line. With
// no paths it checks what the config names (builtin pack and yara.rules).
func rulesCheck(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("rules check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	configPath := fs.String("config", "", "YAML config `file` whose yara section to check")
	noBuiltin := fs.Bool("no-builtin", false, "leave out Kensa's embedded rule pack")
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	cfg, err := loadConfig(*configPath)
	if err != nil {
		fmt.Fprintf(stderr, "kensa rules check: %v\n", err)
		return exitError
	}
	opts := yaraOptions(cfg)
	if fs.NArg() > 0 {
		opts.Paths = fs.Args()
	}
	if *noBuiltin {
		opts.Builtin = false
	}
	count, errs, err := yarascan.Check(opts)
	broken := 0
	for _, e := range errs {
		fmt.Fprintln(stdout, e.Error())
		if !e.Warning {
			broken++
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "kensa rules check: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stdout, "%d rules compiled", count)
	if broken > 0 {
		fmt.Fprintf(stdout, ", %d errors\n", broken)
		return exitError
	}
	fmt.Fprintln(stdout, ", no errors")
	return exitOK
}

// configCheck validates a config file (or the embedded defaults) and reports
// every problem with its line.
func configCheck(args []string, stdout, stderr io.Writer) int {
	if len(args) > 1 {
		fmt.Fprintln(stderr, "kensa config check: at most one FILE")
		return exitError
	}
	path := ""
	if len(args) == 1 {
		path = args[0]
	}
	// Every problem at once: the config's, then the allowed senders' and
	// the rules' (of a config with problems, the rule paths that exist).
	cfg, err := loadConfig(path)
	failed := err != nil
	if err != nil {
		fmt.Fprintf(stderr, "kensa config check: %v\n", err)
		if cfg == nil {
			return exitError
		}
	}
	// The allowed-senders file is read by serve at start and on reload, as
	// here: one serve would refuse must not pass the check.
	if _, err := readAllowSenders(cfg.AllowSendersPath()); err != nil {
		fmt.Fprintf(stderr, "kensa config check: policy.allow.senders_file: %v\n", err)
		failed = true
	}
	// Rules are part of a working config: a config naming a missing rule
	// directory must not pass the check.
	opts := yaraOptions(cfg)
	if failed {
		opts.Paths = slices.DeleteFunc(slices.Clone(opts.Paths), func(p string) bool { _, err := os.Stat(p); return err != nil })
	}
	_, errs, err := yarascan.Check(opts)
	for _, e := range errs {
		fmt.Fprintln(stderr, e.Error())
		failed = failed || !e.Warning
	}
	if err != nil {
		fmt.Fprintf(stderr, "kensa config check: rules: %v\n", err)
		failed = true
	}
	if failed {
		return exitError
	}
	fmt.Fprintf(stdout, "%s: ok\n", cfgName(path))
	return exitOK
}
