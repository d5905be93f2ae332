package main

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/google/pprof/profile"
)

// The cpu phase explains the throughput ratio: how much CPU one typical
// message costs Kensa, the null milter and the bench client that drives
// them (all three share the machine's cores), and where Kensa's share goes,
// from a CPU profile of the real kensa serve process.

// cpuRow is CPU time per message of one target, over the runs.
type cpuRow struct {
	Target       string
	Server       []float64  // ms of the milter process's CPU per message
	Client       []float64  // ms of the bench client's CPU per message
	Rate         []float64  // messages per second
	ProfileShare []cpuShare // Kensa only
}

type cpuShare struct {
	What  string
	Share float64 // of the profile's samples
}

// procCPU is the CPU time (user + system, all threads) pid has used.
func procCPU(pid int) (time.Duration, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name is in brackets and may hold spaces: count fields
	// after the closing one. utime and stime are fields 14 and 15.
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: %d fields", pid, len(f))
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: utime %q stime %q", pid, f[11], f[12])
	}
	const userHZ = 100 // USER_HZ, fixed at 100 on Linux
	return time.Duration(ut+st) * time.Second / userHZ, nil
}

// selfCPU is this process's CPU time: the bench client's, during a load run.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measureCPU runs m through s at conc for dur and returns the run with the
// server's and the client's CPU time per message in ms.
func measureCPU(s *server, m mail, conc int, dur time.Duration) (run, float64, float64, error) {
	res, err := measuredLoad(s, []mail{m}, conc, 0, dur)
	if err != nil {
		return res, 0, 0, err
	}
	return res, res.serverMS(), res.clientMS(), nil
}

// measuredLoad is load against s with the CPU time s and this process (the
// bench client) used during it.
func measuredLoad(s *server, msgs []mail, conc, count int, dur time.Duration) (run, error) {
	s0, err := procCPU(s.cmd.Process.Pid)
	if err != nil {
		return run{}, err
	}
	c0 := selfCPU()
	res := load(s.addr, msgs, conc, count, dur)
	res.ClientCPU = selfCPU() - c0
	s1, err := procCPU(s.cmd.Process.Pid)
	if err != nil {
		return run{}, err
	}
	res.ServerCPU = s1 - s0
	if res.Msgs == 0 {
		return res, fmt.Errorf("%s: no message got through", s.Name)
	}
	return res, nil
}

// cpuCategories name where a sample's time went: the innermost frame of
// its stack that one of them matches decides (so a base64 decode called
// by message.Parse is parsing, a malloc called by urls.Extract is
// heuristics, and the engine and the milter get only their own time).
// A frame matches a category by its function's name, or by its source
// file where a stage is a file rather than a package (the code search is
// urls/qr*.go, binarize.go, codecrop.go and exif.go, with jpegluma; the
// image decoding under it counts there too).
var cpuCategories = []struct{ what, frame, file string }{
	{"libyara scanning (`yr_scanner_scan_mem`)", "go-yara/v4._Cfunc_yr_scanner_scan_mem", ""},
	{"QR codes in images and PDFs (image decoding, QR search)", "makiuchi-d/gozxing", ""},
	{"QR codes in images and PDFs (image decoding, QR search)", "kensa/urls/internal/jpegluma.", ""},
	{"QR codes in images and PDFs (image decoding, QR search)", "", "/urls/qr"},
	{"QR codes in images and PDFs (image decoding, QR search)", "", "/urls/binarize.go"},
	{"QR codes in images and PDFs (image decoding, QR search)", "", "/urls/codecrop.go"},
	{"QR codes in images and PDFs (image decoding, QR search)", "", "/urls/exif.go"},
	{"heuristics and URL extraction", "kensa/scanners/heuristic.", ""},
	{"heuristics and URL extraction", "kensa/urls.", ""},
	{"MIME parsing and decoding (base64, charsets)", "kensa/message.", ""},
	{"unpacking containers (PDF streams, archives, Office)", "kensa/unpack.", ""},
	{"known set and digests (SHA-256, TLSH)", "kensa/known.", ""},
	{"rest of the scan: engine, verdict, YARA set-up per part", "kensa/engine.", ""},
	{"rest of the scan: engine, verdict, YARA set-up per part", "kensa/scanners/", ""},
	{"milter protocol: packets, checks, session, spool, log line", "kensa/milter.", ""},
	{"milter protocol: packets, checks, session, spool, log line", "d--j/go-milter", ""},
	{"garbage collection", "runtime.gcBgMarkWorker", ""},
	{"garbage collection", "runtime.bgsweep", ""},
	{"garbage collection", "runtime.bgscavenge", ""},
}

// profileShares reads a CPU profile and sums its samples by category.
func profileShares(path string) ([]cpuShare, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	p, err := profile.Parse(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	vi := len(p.SampleType) - 1 // cpu nanoseconds
	sums := map[string]int64{}
	var total int64
	for _, s := range p.Sample {
		v := s.Value[vi]
		total += v
		sums[category(s)] += v
	}
	if total == 0 {
		return nil, fmt.Errorf("%s: no samples", path)
	}
	var out []cpuShare
	for what, v := range sums {
		out = append(out, cpuShare{what, float64(v) / float64(total)})
	}
	sort.Slice(out, func(i, j int) bool { // the same profile renders the same table
		if out[i].Share != out[j].Share {
			return out[i].Share > out[j].Share
		}
		return out[i].What < out[j].What
	})
	return out, nil
}

func category(s *profile.Sample) string {
	for _, loc := range s.Location { // leaf first
		for _, ln := range loc.Line { // inlined frames, innermost first
			if ln.Function == nil {
				continue
			}
			for _, c := range cpuCategories {
				if (c.frame != "" && strings.Contains(ln.Function.Name, c.frame)) || (c.file != "" && strings.Contains(ln.Function.Filename, c.file)) {
					return c.what
				}
			}
		}
	}
	return "other: Go runtime (scheduler, network poller, system calls outside the milter)"
}
