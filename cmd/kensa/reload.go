package main

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/kensa-milter/kensa/config"
)

// What a SIGHUP does with each config key. Every key of the config is
// under exactly one prefix of these two lists (TestEveryConfigKeyReloadsOrSaysSo);
// docs/operations.md says the same in words.
var (
	// reloadKeys take effect on reload: the engine setup (rules, unpack,
	// heuristics, clamd, policy, known-sample scoring) is rebuilt and swapped,
	// the milter gets its new settings, the console its new admins.
	reloadKeys = []string{
		"log", "limits", "yara", "unpack", "heuristics", "clamd", "similarity", "policy",
		"milter.subject_prefix", "milter.reject_code", "milter.reject_text", "milter.tempfail_text",
		"quarantine.mode", "quarantine.modes", "console.admins",
	}
	// restartKeys are read once, by the parts serve starts (listeners, the
	// store, the known set, the console and digest): a reload logs that they
	// changed and keeps the values serve started with.
	restartKeys = []string{
		"listen", "socket_mode", "http.listen", "http.trusted_proxies", "http.metrics_listen", "state_dir",
		"milter.max_connections", "known.enabled", "known.refresh",
		"quarantine.dsn", "quarantine.retention", "quarantine.purge_interval", "quarantine.relay",
		"console.enabled", "console.public_url", "console.secure_cookies", "console.session_ttl",
		"console.link_ttl", "console.link_secret_file", "console.digest", "console.user_release_unscannable",
	}
)

// reloadChanges compares configs: applied lists the reloadable keys that
// differ between old (in use) and cfg, restart the keys that need a restart
// and differ between started (what serve started with) and cfg. Without a
// running console, console.admins is a restart key too.
func reloadChanges(old, cfg, started *config.Config, consoleOn bool) (applied, restart []string) {
	now := flatten(cfg)
	was, first := flatten(old), flatten(started)
	for _, k := range sortedKeys(now, was, first) {
		class := keyClass(k)
		if k == "console.admins" && !consoleOn {
			class = "restart"
		}
		switch {
		case class == "reload" && !reflect.DeepEqual(now[k], was[k]):
			applied = append(applied, k)
		case class == "restart" && !reflect.DeepEqual(now[k], first[k]):
			restart = append(restart, k)
		}
	}
	return applied, restart
}

// keyClass says whether a flattened key is under reloadKeys ("reload"),
// restartKeys ("restart"), or neither ("").
func keyClass(key string) string {
	under := func(prefixes []string) bool {
		for _, p := range prefixes {
			if key == p || strings.HasPrefix(key, p+".") {
				return true
			}
		}
		return false
	}
	switch {
	case under(reloadKeys):
		return "reload"
	case under(restartKeys):
		return "restart"
	}
	return ""
}

// flatten lists a config's values by dotted key ("quarantine.relay.address",
// "heuristics.checks.double-extension.score"); lists stay whole.
func flatten(c *config.Config) map[string]any {
	out := map[string]any{}
	if c == nil {
		return out
	}
	b, err := yaml.Marshal(c)
	if err != nil {
		panic(fmt.Sprintf("config does not marshal: %v", err)) // a config is plain data
	}
	var m map[string]any
	if err := yaml.Unmarshal(b, &m); err != nil {
		panic(fmt.Sprintf("config does not read back: %v", err))
	}
	var walk func(prefix string, v any)
	walk = func(prefix string, v any) {
		mm, ok := v.(map[string]any)
		if !ok {
			out[prefix] = v
			return
		}
		for k, x := range mm {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			walk(p, x)
		}
	}
	walk("", m)
	return out
}

func sortedKeys(ms ...map[string]any) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range ms {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}
