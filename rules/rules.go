// Package rules is the YARA pack Kensa ships. The *.yar files are embedded in
// the binary; package yarascan compiles them when its Builtin option is set.
//
// Every rule carries meta: description, severity ("malicious", "suspicious"
// or "info"), score and author. The tests in this package build a harmless
// stand-in for each threat and prove the rule fires on it and stays silent
// on ordinary mail.
package rules

import "embed"

// FS holds the pack: one *.yar file per topic, at the root of the FS.
//
//go:embed *.yar
var FS embed.FS
