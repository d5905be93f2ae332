package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// machineState is what else the machine was doing when a run started or
// ended: the load average and the processes (other than this one) that
// used CPU during a short window.
type machineState struct {
	At   time.Time     `json:"at"`
	Load [3]float64    `json:"loadavg"`
	Busy []busyProcess `json:"busy"`
	// Others is the share of one core all other processes used together
	// in the window; nil in results written before it was recorded.
	Others *float64 `json:"others_cpu_percent,omitempty"`
}

// busyProcess is one process and the share of one core it used.
type busyProcess struct {
	PID  int     `json:"pid"`
	Name string  `json:"name"`
	CPU  float64 `json:"cpu_percent"`
}

// minBusy is the share of one core from which a process is listed;
// busyShare the share all other processes together may use in an idle run.
const (
	minBusy   = 5.0
	busyShare = 10.0
)

// sampleMachine reads the load average and samples every process's CPU
// time twice, window apart, listing those that used at least least percent
// of a core.
func sampleMachine(window time.Duration, least float64) machineState {
	st := machineState{At: time.Now().UTC()}
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		f := strings.Fields(string(b))
		for i := 0; i < 3 && i < len(f); i++ {
			st.Load[i], _ = strconv.ParseFloat(f[i], 64)
		}
	}
	before := procTicks()
	time.Sleep(window)
	after := procTicks()
	self := os.Getpid()
	others := 0.0
	for pid, a := range after {
		b, ok := before[pid]
		if !ok || pid == self {
			continue
		}
		// USER_HZ is 100 on Linux.
		pct := float64(a.ticks-b.ticks) / 100 / window.Seconds() * 100
		others += pct
		if pct >= least {
			st.Busy = append(st.Busy, busyProcess{PID: pid, Name: a.name, CPU: pct})
		}
	}
	st.Others = &others
	slices.SortFunc(st.Busy, func(x, y busyProcess) int {
		if x.CPU != y.CPU {
			if x.CPU > y.CPU {
				return -1
			}
			return 1
		}
		return x.PID - y.PID
	})
	return st
}

type procSample struct {
	name  string
	ticks int64
}

// procTicks reads utime+stime of every process from /proc/PID/stat.
func procTicks() map[int]procSample {
	out := map[int]procSample{}
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		pid, err := strconv.Atoi(filepath.Base(d))
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join(d, "stat"))
		if err != nil {
			continue
		}
		s := string(b)
		open, closing := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || closing < open {
			continue
		}
		f := strings.Fields(s[closing+1:])
		if len(f) < 13 { // state is field 3 of the line, utime 14, stime 15
			continue
		}
		u, _ := strconv.ParseInt(f[11], 10, 64)
		sy, _ := strconv.ParseInt(f[12], 10, 64)
		out[pid] = procSample{name: s[open+1 : closing], ticks: u + sy}
	}
	return out
}

// busy says whether a state shows a machine doing other work: other
// processes together using a tenth of a core or more in the window. The
// load average is shown but not judged: it lags by minutes, so at the end
// of a run it holds the bench's own work, and at the start whatever ran
// before. Results recorded without the total are judged as they were
// then: a 1-minute load above a quarter of the cores, or one process
// using a tenth of a core or more.
func (st machineState) busy(cores int) bool {
	if st.Others != nil {
		return *st.Others >= busyShare
	}
	if st.Load[0] > float64(cores)/4 {
		return true
	}
	for _, p := range st.Busy {
		if p.CPU >= busyShare {
			return true
		}
	}
	return false
}

func (st machineState) String() string {
	var procs []string
	for i, p := range st.Busy {
		if i == 8 {
			procs = append(procs, fmt.Sprintf("and %d more", len(st.Busy)-i))
			break
		}
		procs = append(procs, fmt.Sprintf("%s %.0f%%", p.Name, p.CPU))
	}
	s := fmt.Sprintf("load average %.2f, %.2f, %.2f", st.Load[0], st.Load[1], st.Load[2])
	if st.Others != nil {
		s += fmt.Sprintf("; all other processes together used %.0f%% of a core", *st.Others)
	}
	if len(procs) > 0 {
		s += "; other processes using CPU (share of one core): " + strings.Join(procs, ", ")
	} else {
		s += fmt.Sprintf("; no other process used %.0f%% of a core or more", minBusy)
	}
	return s
}

func machine() []string {
	var out []string
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(l, "model name"); ok {
				out = append(out, "CPU: "+strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))+fmt.Sprintf(", %d cores visible to Go", runtime.NumCPU()))
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		f := strings.Fields(string(b))
		if len(f) > 1 {
			out = append(out, "Memory: "+f[1]+" kB")
		}
	}
	if b, err := os.ReadFile("/etc/debian_version"); err == nil {
		out = append(out, "OS: Debian "+strings.TrimSpace(string(b)))
	}
	return append(out, "Go: "+runtime.Version())
}
