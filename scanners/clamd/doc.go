// Package clamd is an optional scanner that sends parts to a ClamAV daemon
// with the INSTREAM command, over a unix socket ("unix:/run/clamav/clamd.ctl")
// or TCP ("tcp:127.0.0.1:3310"). The protocol client is our own and small:
// "zINSTREAM\0", chunks each preceded by a 4-byte big-endian length, a
// zero-length chunk, then one NUL-terminated reply.
//
// # What is sent
//
// Every leaf part — MIME leaves and the members unpack extracted, but not the
// containers they came from — each distinct content once, and then the raw
// message once. Leaves give findings a precise part path, including members
// clamd could not reach itself (an archive opened with a password from the
// body). The raw message lets clamd's own parsers see the containers whole
// (signatures on a zip or a document as a file). A signature found on a part
// is not reported again for the whole message. Encrypted and empty parts are
// not sent.
//
// # Findings
//
//	NAME            clamd answered "stream: NAME FOUND": Scanner "clamd", ID the
//	                signature name as clamd reports it (e.g. "Win.Test.EICAR_HDB-1",
//	                or "X.UNOFFICIAL" for a local database), Malicious, score 100
//	too-large       the part (or message) is larger than Options.MaxSize and
//	                was not sent
//	stream-limit    clamd refused the stream: it is larger than clamd's own
//	                StreamMaxLength ("INSTREAM size limit exceeded"); raise
//	                StreamMaxLength or lower MaxSize so the two agree
//
// too-large and stream-limit are never a silent clean: they are Info findings
// (shown in reports and logs, no score) or, with TooLargeUnscannable,
// unscannable findings that the policy's unscannable action applies to. YARA
// and the heuristics still scan such parts.
//
// What clamd reports is clamd's configuration: its heuristic alerts
// (HeuristicAlerts, AlertEncrypted, AlertOLE2Macros, ...) come back as FOUND
// names like any signature. Kensa opens encrypted archives itself, so
// AlertEncrypted is best left off.
//
// # Failures
//
// A clamd that cannot be reached, does not answer within Options.Timeout
// (connect, send and verdict together, per part), or answers anything else
// is a scan error: the policy's on_error action applies (tempfail by
// default, so the MTA retries later). A timeout wraps
// context.DeadlineExceeded, which the policy reports as "timeout". The first
// failure stops the parts not yet sent.
//
// # Concurrency
//
// At most Options.Concurrency connections are open at once, across all
// messages scanned by one Scanner; parts wait for a free connection (bounded
// by the scan's context). Keep it at or below clamd's MaxThreads.
package clamd
