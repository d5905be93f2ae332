package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// server is a milter process this program started.
type server struct {
	Name string
	cmd  *exec.Cmd
	addr string
	once sync.Once
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// startServer runs argv (with {addr} replaced by a free 127.0.0.1 port) and
// waits until it accepts connections.
func startServer(name string, logPath string, argv ...string) (*server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for i, a := range argv {
		argv[i] = strings.ReplaceAll(a, "{addr}", addr)
		argv[i] = strings.ReplaceAll(argv[i], "{port}", strconv.Itoa(port))
	}
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	logf.Close()
	deadline := time.Now().Add(60 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) || cmd.ProcessState != nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			return nil, fmt.Errorf("%s did not start listening on %s (log: %s)", name, addr, logPath)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return &server{Name: name, cmd: cmd, addr: addr}, nil
}

func (s *server) stop() { s.once.Do(s.terminate) }

func (s *server) terminate() {
	_ = s.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
}

// status reads one "Key:   N kB" line of /proc/PID/status, in KiB.
func (s *server) status(key string) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), key+":"); ok {
			n, _ := strconv.ParseInt(strings.Fields(v)[0], 10, 64)
			return n
		}
	}
	return 0
}

// peakRSS is VmHWM: the most resident memory since start or the last reset.
func (s *server) peakRSS() int64 { return s.status("VmHWM") }
func (s *server) rss() int64     { return s.status("VmRSS") }

// resetPeak starts a new VmHWM window (writing 5 to clear_refs, Linux ≥ 4.0).
func (s *server) resetPeak() {
	_ = os.WriteFile(fmt.Sprintf("/proc/%d/clear_refs", s.cmd.Process.Pid), []byte("5"), 0)
}
