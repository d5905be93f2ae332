// Package formats writes the file formats that tests and the corpus need and
// that have no writer in Go's standard library: compound files (CFB, the
// container of .doc and vbaProject.bin) with VBA projects in them, and RAR 4
// and RAR 5 archives of stored members. The output is the same bytes for the
// same input on every run (no clocks, no randomness), which the committed
// corpus relies on.
//
// It imports only the standard library, so that any package's tests can use
// it without an import cycle (unpack's tests do; package corpus does too).
package formats
