package policy

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"strings"
)

// ErrorKind says what failed. The same constants label the log lines, the
// kensa_scan_errors_total metric and the policy's choice of reason.
type ErrorKind string

const (
	ErrTimeout  ErrorKind = "timeout"  // the scan or a scanner ran out of time
	ErrCanceled ErrorKind = "canceled" // the MTA went away during the scan
	ErrPanic    ErrorKind = "panic"    // a bug caught by a recover
	ErrParse    ErrorKind = "parse"    // the message could not be parsed at all
	ErrScanner  ErrorKind = "scanner"  // a scanner failed
	ErrInternal ErrorKind = "internal" // the milter could not read or decide the message
	ErrStore    ErrorKind = "store"    // the quarantine store could not keep the message
)

// ErrorKinds lists every kind, for bounded metric labels and docs.
var ErrorKinds = []ErrorKind{ErrTimeout, ErrCanceled, ErrPanic, ErrParse, ErrScanner, ErrInternal, ErrStore}

// ScanError is one failure on the way to a verdict, as reports, log lines
// and metrics carry it. Message is one line; a panic's stack is kept apart
// in Stack (logged on its own, never in reports or error strings).
type ScanError struct {
	Kind    ErrorKind `json:"kind"`
	Source  string    `json:"source,omitempty"` // the scanner or stage: "parse", "unpack", "yara", "milter", "quarantine"...
	Message string    `json:"message"`
	Stack   string    `json:"-"`
}

func (e ScanError) Error() string { return e.Message }

// NewScanError wraps err as a ScanError from source: a context deadline is a
// timeout and a cancellation is canceled, whatever kind says.
func NewScanError(kind ErrorKind, source string, err error) ScanError {
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		kind = ErrTimeout
	case errors.Is(err, context.Canceled):
		kind = ErrCanceled
	}
	return ScanError{Kind: kind, Source: source, Message: err.Error()}
}

// PanicError is a panic recovered in source: the value on one line in the
// message, the stack of the recovering goroutine in Stack. Call it from the
// deferred function that recovered.
func PanicError(source, what string, recovered any) ScanError {
	msg := fmt.Sprintf("%s: panic: %v", what, recovered)
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i] + " …"
	}
	return ScanError{Kind: ErrPanic, Source: source, Message: msg, Stack: string(debug.Stack())}
}
