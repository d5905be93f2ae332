package main

import (
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/kensa-milter/kensa/config"
	"github.com/kensa-milter/kensa/internal/mailview"
)

// configFlags adds the --config and --state-dir that every command reading
// the config and the state takes (scan, known, quarantine). The returned
// load, called after fs.Parse, reads the config with --state-dir over
// state_dir (through $KENSA_STATE_DIR, as serve keeps it for reloads).
func configFlags(fs *flag.FlagSet) (load func() (*config.Config, error)) {
	configPath := fs.String("config", "", "YAML config `file` (default: $KENSA_CONFIG or the embedded defaults)")
	stateDir := fs.String("state-dir", "", "state `directory` (overrides state_dir; also $KENSA_STATE_DIR)")
	return func() (*config.Config, error) {
		if *stateDir != "" {
			os.Setenv(stateDirEnv, *stateDir)
		}
		return loadConfig(*configPath)
	}
}

// subcommand is one `kensa GROUP SUB …` (known, quarantine): a flag set
// with configFlags, and how it reports usage and failures.
type subcommand struct {
	group, name, usage string
	fs                 *flag.FlagSet
	load               func() (*config.Config, error)
	stderr             io.Writer
}

// newSubcommand takes the subcommand's name from args. ok=false: there is
// none, or it asks for help; the usage is printed and code is the exit code.
func newSubcommand(group, usage string, args []string, stdout, stderr io.Writer) (c *subcommand, rest []string, code int, ok bool) {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return nil, nil, exitError, false
	}
	switch args[0] {
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return nil, nil, exitOK, false
	}
	c = &subcommand{group: group, name: args[0], usage: usage, stderr: stderr}
	c.fs = flag.NewFlagSet(group+" "+c.name, flag.ContinueOnError)
	c.fs.SetOutput(stderr)
	c.fs.Usage = func() { fmt.Fprint(stderr, usage) }
	c.load = configFlags(c.fs)
	return c, args[1:], 0, true
}

// unknown reports a subcommand the group does not have.
func (c *subcommand) unknown() int {
	fmt.Fprintf(c.stderr, "kensa %s: unknown command %q\n\n%s", c.group, c.name, c.usage)
	return exitError
}

// parse reads the flags, then the config; ok=false: it said why on stderr.
func (c *subcommand) parse(args []string) (cfg *config.Config, ok bool) {
	if err := c.fs.Parse(args); err != nil {
		return nil, false
	}
	cfg, err := c.load()
	if err != nil {
		c.fail(err)
		return nil, false
	}
	return cfg, true
}

// fail reports err as `kensa GROUP SUB: …` (made printable: a file name or
// an ID may come from anywhere) and returns exitError.
func (c *subcommand) fail(err error) int {
	fmt.Fprintf(c.stderr, "kensa %s %s: %s\n", c.group, c.name, mailview.Safe(err.Error(), 2000))
	return exitError
}
