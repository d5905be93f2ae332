package config

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// allProblems is what `kensa config check` lists for a file: Parse's
// problems and Validate's, or the one syntax error.
func allProblems(t *testing.T, data string) []string {
	t.Helper()
	c, err := Parse([]byte(data))
	if c != nil {
		err = c.Validate()
	}
	if err == nil {
		return nil
	}
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("want *Error, got %T %v", err, err)
	}
	return ce.Problems
}

// TestOneMistake: one mistake per file, each named with its line and key in
// an admin's words (never a Go type or a YAML library's phrase).
func TestOneMistake(t *testing.T) {
	dir := t.TempDir()
	notDir := filepath.Join(dir, "a-file")
	if err := os.WriteFile(notDir, []byte("x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	badList := filepath.Join(dir, "blocklist")
	if err := os.WriteFile(badList, []byte("# list\ntwo words\nexample.com\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ in, want string }{
		// unknown keys: a likely typo, a key of another section, neither
		{"policy:\n  tag_scroe: 10\n", "line 2: policy.tag_scroe: unknown key; did you mean tag_score?"},
		{"limits:\n  scan_timout: 3s\n", "line 2: limits.scan_timout: unknown key; did you mean scan_timeout?"},
		{"policy:\n  scan_timout: 3s\n", "line 2: policy.scan_timout: unknown key; did you mean limits.scan_timeout?"},
		{"level: debug\n", "line 1: level: unknown key in the file; level is a key of log"},
		{"policy:\n  timeout: 5s\n", "line 2: policy.timeout: unknown key in policy; timeout is a key of yara, unpack, heuristics.dnsbl, clamd, quarantine.relay"},
		{"Level: debug\n", "line 1: Level: unknown key; did you mean log.level?"},
		{"log:\n  state_dir: /var/lib/kensa\n", "line 2: log.state_dir: unknown key in log; state_dir is a key of the file, not indented"},
		{"policy:\n  unknown_key: 1\n", "line 2: policy.unknown_key: unknown key (policy takes: tag_score, quarantine_score, reject_score, malicious, unscannable, on_error, monitor, allow)"},
		{"colour: blue\n", "line 1: colour: unknown key (the file takes: listen, socket_mode, log, limits, yara, unpack, heuristics, clamd, known, similarity, policy, milter, http, state_dir, quarantine, console)"},
		{"heuristics:\n  checks:\n    dangerous-scrpt: {disabled: true}\n", `line 3: heuristics.checks.dangerous-scrpt: unknown check "dangerous-scrpt"; did you mean dangerous-script?`},
		{"heuristics:\n  checks:\n    dangerous-script: {disable: true}\n", "line 3: heuristics.checks.dangerous-script.disable: unknown key; did you mean disabled?"},
		// numbers
		{"unpack: {max_members: lots}\n", `line 1: unpack.max_members: "lots" is not a whole number`},
		{"unpack:\n  max_depth: 2.5\n", "line 2: unpack.max_depth: 2.5 is not a whole number"},
		{"unpack:\n  max_depth: 18446744073709551615\n", "line 2: unpack.max_depth: 18446744073709551615 is too large"},
		{"unpack:\n  max_depth: true\n", "line 2: unpack.max_depth: want a whole number, got true (a yes/no value)"},
		{"unpack:\n  max_depth: \"8\"\n", `line 2: unpack.max_depth: "8" is in quotes: write the number without them`},
		{"unpack:\n  max_depth:\n", "line 2: unpack.max_depth: has no value: write a whole number, or leave the key out to keep the default"},
		{"unpack:\n  max_depth: [8]\n", "line 2: unpack.max_depth: want a whole number, got a list"},
		{"heuristics:\n  checks:\n    dangerous-script: {score: high}\n", `line 3: heuristics.checks.dangerous-script.score: "high" is not a whole number`},
		// yes/no
		{"policy:\n  monitor: 5\n", "line 2: policy.monitor: want true or false, got 5"},
		{"policy:\n  monitor: maybe\n", `line 2: policy.monitor: want true or false, got "maybe"`},
		{"policy:\n  monitor: {on: true}\n", "line 2: policy.monitor: want true or false, got a map"},
		// single values
		{"listen: [a, b]\n", "line 1: listen: want a single value, got a list"},
		{"milter:\n  reject_text: {code: 550}\n", "line 2: milter.reject_text: want a single value, got a map"},
		{"policy:\n  malicious: {reject: true}\n", "line 2: policy.malicious: want a single value, got a map"},
		{"policy:\n  malicious: 3\n", `line 2: policy.malicious: unknown action "3" (want accept, tag, quarantine, reject, discard or tempfail)`},
		{"milter:\n  subject_prefix:\n", `line 2: milter.subject_prefix: has no value: write "" for an empty one, or leave the key out to keep the default`},
		// sizes and durations
		{"limits:\n  max_message_size: lots\n", `line 2: limits.max_message_size: "lots" is not a size like 64MiB`},
		{"limits:\n  max_message_size: {a: 1}\n", "line 2: limits.max_message_size: want a size like 64MiB, got a map"},
		{"limits:\n  scan_timeout: soon\n", `line 2: limits.scan_timeout: "soon" is not a duration like 30s`},
		{"limits:\n  scan_timeout: 30\n", `line 2: limits.scan_timeout: "30" is not a duration like 30s`},
		// lists
		{"unpack: {passwords: \"secret\"}\n", "line 1: unpack.passwords: want a list of strings, got a single string (write [secret])"},
		{"unpack:\n  passwords: 1234\n", "line 2: unpack.passwords: want a list of strings, got the single value 1234 (write [1234])"},
		{"unpack:\n  passwords: {a: b}\n", "line 2: unpack.passwords: want a list of strings, got a map"},
		{"unpack:\n  passwords:\n    - ok\n    - [nested]\n", "line 4: unpack.passwords[1]: want a single value, got a list"},
		{"console:\n  admins: alice\n", `line 2: console.admins: want a list, got the single value "alice"`},
		// sections and maps
		{"log: debug\n", `line 1: log: want keys under it (level, format), got the single value "debug"`},
		{"limits: [1, 2]\n", "line 1: limits: want keys under it (max_message_size, max_header_size, too_large_action, scan_timeout, …), got a list"},
		{"quarantine:\n  modes: {malicous: hold}\n", `line 2: quarantine.modes.malicous: unknown verdict reason "malicous"; did you mean malicious?`},
		{"quarantine:\n  modes: {virus: hold}\n", `line 2: quarantine.modes.virus: unknown verdict reason "virus" (want rule-action, malicious, unscannable, too-large, too-many-headers, header-too-large, score, timeout, scan-error, internal-error, allow-authenticated, allow-network, allow-sender, allow-recipient, clean)`},
		{"quarantine:\n  modes: [hold]\n", "line 2: quarantine.modes: want a map (key: value, …), got a list"},
		{"console:\n  admins:\n    - alice\n", `line 3: console.admins[0]: want keys under it (name, password_hash), got the single value "alice"`},
		{"just words\n", `line 1: the file must be keys with values (listen: …, log: …), not the single value "just words"`},
		{"- listen\n", "line 1: the file must be keys with values (listen: …, log: …), not a list"},
		// anchors and merge keys are read as the decoder reads them
		{"log: &l {level: debug, colour: red}\n", "line 1: log.colour: unknown key (log takes: level, format)"},
		{"log:\n  <<: {level: debug, colour: red}\n", "line 2: log.colour: unknown key (log takes: level, format)"},
		{"milter:\n  <<: 5\n", "line 2: milter: want keys under it (max_connections, subject_prefix, reject_code, reject_text, …), got the single value 5"},
		// keys given twice
		{"log:\n  level: info\n  level: debug\n", "line 3: log.level: given twice, first at line 2: write each key once"},
		{"log:\n  level: info\nlog:\n  format: json\n", "line 3: log: given twice, first at line 1: write each key once"},
		// more than one document
		{"log: {level: info}\n---\nlisten: inet:1@localhost\n", "line 3: a second YAML document starts here (after ---); Kensa reads one: put every key in the first"},
		// syntax errors: the line, in plain words, and that the rest waits
		{"log:\n\tlevel: info\n", "line 2: tabs are not allowed for indentation in YAML: indent with spaces" + notChecked},
		{"log:\n  level: info\n\tformat: json\n", "line 3: tabs are not allowed for indentation in YAML: indent with spaces" + notChecked},
		{"log:\n  level: [info\n", "line 2: a [ list that starts here is not closed with ]" + notChecked},
		{"log:\n  level: info\n   format: json\n", `line 3: a "key:" where none can be: does the line above lack its ":", is this line indented deeper than the key above it, or does a value hold ": " (then quote it)?` + notChecked},
		{"log:\n  level: info\n format: json\n", "line 3: a key is expected here or in the lines below: look for a line not lined up with the keys around it, or a stray character" + notChecked},
		{"log:\n  level info\n  format: json\n", `line 3: a "key:" where none can be: does the line above lack its ":", is this line indented deeper than the key above it, or does a value hold ": " (then quote it)?` + notChecked},
		{"a: 1\n", "line 1: a: unknown key (the file takes: listen, socket_mode, log, limits, yara, unpack, heuristics, clamd, known, similarity, policy, milter, http, state_dir, quarantine, console)"},
		{"log: {level: info\n", "line 1: a { map that starts here is not closed with }" + notChecked},
		{"milter:\n  reject_text: \"5.7.1 no\n", "line 2: a quoted value that starts here is not closed (the file ends inside it)" + notChecked},
		{"listen: 'inet:1@x\n", "line 1: a quoted value that starts here is not closed (the file ends inside it)" + notChecked},
		{"log:\n  level: info\nlisten: [a, b,\nlog: 5\n", "line 3: a [ list that starts here is not closed with ]" + notChecked},
		{"listen: @socket\n", "line 1: a value cannot start with this character (@ or `): put the value in quotes" + notChecked},
		// files serve would fail on
		{"yara:\n  rules: [" + dir + "/missing.yar]\n", `line 2: yara.rules[0]: "` + dir + `/missing.yar" does not exist`},
		{"heuristics:\n  url_blocklist: " + dir + "\n", `line 2: heuristics.url_blocklist: "` + dir + `" is a directory, not a file`},
		{"heuristics:\n  url_blocklist: " + badList + "\n", `line 2: heuristics.url_blocklist: ` + badList + `:2: "two words": one entry per line`},
		{"heuristics:\n  dnsbl:\n    zones: [localhost]\n    server: 127.0.0.1:53\n", `line 3: heuristics.dnsbl.zones[0]: "localhost" is not a DNS zone`},
		{"heuristics:\n  dnsbl:\n    zones: [dbl.example.net]\n    server: 127.0.0.1\n", `line 4: heuristics.dnsbl.server: "127.0.0.1" is not HOST:PORT, e.g. 127.0.0.1:53 ("" = the first nameserver in /etc/resolv.conf)`},
		{"heuristics:\n  url_blocklist: " + dir + "/none\n", `line 2: heuristics.url_blocklist: "` + dir + `/none" does not exist`},
		{"policy:\n  allow:\n    senders_file: " + dir + "\n", `line 3: policy.allow.senders_file: "` + dir + `" is a directory, not a file`},
		{"state_dir: " + notDir + "\n", `line 1: state_dir: "` + notDir + `" is a file, not a directory`},
	} {
		got := allProblems(t, tc.in)
		if len(got) != 1 || got[0] != tc.want {
			t.Errorf("%q:\n got %q\nwant %q", tc.in, got, tc.want)
		}
	}
}

// TestNoMistake: what YAML allows and the decoder reads is no problem.
func TestNoMistake(t *testing.T) {
	dir := t.TempDir()
	for _, in := range []string{
		"", "# only a comment\n", "---\n", "log: {level: info}\n---\n",
		"policy:\n  monitor: yes\n", "policy:\n  monitor: off\n", "unpack:\n  max_members: 0x10\n",
		"clamd:\n", "heuristics:\n  checks:\n", "unpack:\n  passwords:\n",
		"socket_mode: 0660\n", "milter:\n  subject_prefix: 5\n",
		"policy:\n  allow:\n    senders: &s [a.example]\n    recipients: *s\n",
		"log:\n  <<: {level: debug}\n  format: json\n",
		"yara:\n  rules: [" + dir + "]\n",
		"policy:\n  allow:\n    senders_file: " + dir + "/not-yet\n", // made by release --allow-sender
		"state_dir: " + dir + "/made-at-start\n",
	} {
		if got := allProblems(t, in); len(got) > 0 {
			t.Errorf("%q: %q", in, got)
		}
	}
}

// TestDuplicatesAreMergedAndChecked: every duplicate is named with both
// lines, and the values of both copies of a section are still checked.
func TestDuplicatesAreMergedAndChecked(t *testing.T) {
	in := "limits:\n  scan_timeout: soon\nlog:\n  level: info\n  level: debug\nlimits:\n  max_message_size: lots\n  scan_timeout: 1s\n"
	want := []string{
		`line 2: limits.scan_timeout: "soon" is not a duration like 30s`,
		"line 5: log.level: given twice, first at line 4: write each key once",
		"line 6: limits: given twice, first at line 1: write each key once",
		`line 7: limits.max_message_size: "lots" is not a size like 64MiB`,
		"line 8: limits.scan_timeout: given twice, first at line 2: write each key once",
	}
	if got := allProblems(t, in); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestFilesWithManyMistakes: files with many different mistakes each. Every
// mistake is named with its line, in the order of the lines, word for word
// as the .want file beside it has it.
func TestFilesWithManyMistakes(t *testing.T) {
	for _, name := range []string{"mistakes-kinds", "mistakes-keys", "mistakes-values"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile("testdata/" + name + ".yaml")
			if err != nil {
				t.Fatal(err)
			}
			want, err := os.ReadFile("testdata/" + name + ".want")
			if err != nil {
				t.Fatal(err)
			}
			got := allProblems(t, string(data))
			if strings.Join(got, "\n")+"\n" != string(want) {
				t.Errorf("problems differ from testdata/%s.want:\ngot:\n%s\nwant:\n%s", name, strings.Join(got, "\n"), want)
			}
			last, kinds := 0, map[string]bool{}
			for _, p := range got {
				line := lineOf(p)
				if line < last || line == 0 {
					t.Errorf("%q is out of line order (after line %d)", p, last)
				}
				last = line
				_, rest, _ := strings.Cut(p, ": ")
				_, what, _ := strings.Cut(rest, ": ")
				kinds[strings.Fields(what)[0]+" "+strings.Fields(what)[1]] = true
			}
			if len(got) < 5 || len(kinds) < 5 {
				t.Errorf("%d problems of %d kinds: the file is meant to have five kinds or more", len(got), len(kinds))
			}
		})
	}
}

// FuzzParse: whatever the file holds, Parse and Validate return (no panic,
// no hang), and every problem Parse reports names its line.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/*.yaml")
	for _, s := range seeds {
		if b, err := os.ReadFile(s); err == nil {
			f.Add(b)
		}
	}
	for _, s := range []string{"log:\n\tlevel: info\n", "a: [1\n", "x: &a [*a]\n", "log:\n  <<: [{level: info}, {format: json}]\n",
		"unpack: {passwords: secret, max_members: 0x10}\n", "? [a]\n: b\n", "heuristics:\n  checks:\n    5: {score: 1}\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse(data)
		var ce *Error
		if err != nil && !errors.As(err, &ce) {
			t.Fatalf("not an *Error: %v", err)
		}
		if ce != nil {
			for _, p := range ce.Problems {
				if !strings.HasPrefix(p, "line ") || lineOf(p) <= 0 || lineOf(p) == math.MaxInt32 {
					t.Errorf("problem without its line: %q", p)
				}
			}
		}
		if c != nil {
			_ = c.Validate()
		}
	})
}
