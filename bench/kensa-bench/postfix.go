package main

import (
	"bytes"
	"fmt"
	"net"
	"net/smtp"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// mta is a private Postfix started by bench/postfix.sh, relaying to an
// smtp-sink.
type mta struct {
	script, dir string
	port        int
	sink        *exec.Cmd
}

func startMTA(script, dir, milter string) (*mta, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	sinkPort, err := freePort()
	if err != nil {
		return nil, err
	}
	// smtp-sink: accept everything, 1000 connection backlog, drop privileges.
	sink := exec.Command("smtp-sink", "-u", "postfix", fmt.Sprintf("127.0.0.1:%d", sinkPort), "1000")
	if err := sink.Start(); err != nil {
		return nil, fmt.Errorf("smtp-sink: %w", err)
	}
	out, err := exec.Command(script, "start", dir, strconv.Itoa(port), strconv.Itoa(sinkPort), milter).CombinedOutput()
	if err != nil {
		_ = sink.Process.Kill()
		_ = sink.Wait()
		return nil, fmt.Errorf("postfix start: %v: %s", err, out)
	}
	m := &mta{script: script, dir: dir, port: port, sink: sink}
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", m.addr(), time.Second)
		if err == nil {
			c.Close()
			return m, nil
		}
		if time.Now().After(deadline) {
			m.stop()
			return nil, fmt.Errorf("postfix did not listen on %s", m.addr())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (m *mta) addr() string { return fmt.Sprintf("127.0.0.1:%d", m.port) }

func (m *mta) stop() {
	_ = exec.Command(m.script, "stop", m.dir).Run()
	_ = m.sink.Process.Kill()
	_ = m.sink.Wait()
}

func (m *mta) queued() int {
	out, _ := exec.Command(m.script, "queued", m.dir).Output()
	n, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	return n
}

// throughput sends count copies of file with smtp-source over sessions
// parallel connections and returns the time until Postfix has relayed them
// all to the sink.
func (m *mta) throughput(file string, count, sessions int) (run, error) {
	// smtp-source appends CRLF to each line itself.
	raw, err := os.ReadFile(file)
	if err != nil {
		return run{}, err
	}
	lf := filepath.Join(m.dir, "message.txt")
	if err := os.WriteFile(lf, bytes.ReplaceAll(raw, []byte("\r\n"), []byte("\n")), 0o644); err != nil {
		return run{}, err
	}
	start := time.Now()
	out, err := exec.Command("smtp-source", "-s", strconv.Itoa(sessions), "-m", strconv.Itoa(count),
		"-f", "alice@example.com", "-t", "bob@example.org", "-F", lf, m.addr()).CombinedOutput()
	if err != nil {
		return run{}, fmt.Errorf("smtp-source: %v: %s", err, out)
	}
	for m.queued() > 0 {
		if time.Since(start) > 10*time.Minute {
			return run{}, fmt.Errorf("queue not empty after 10 minutes (%s)", m.dir)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return run{Msgs: count, Bytes: int64(count) * int64(len(raw)), Elapsed: time.Since(start)}, nil
}

// latency sends count messages one after another and times each SMTP
// transaction from connect to the reply to the end of DATA.
func (m *mta) latency(raw []byte, count int) (run, error) {
	var r run
	start := time.Now()
	for range count {
		t := time.Now()
		if err := sendSMTP(m.addr(), raw); err != nil {
			return r, err
		}
		r.Lat = append(r.Lat, time.Since(t))
		r.Msgs++
		r.Bytes += int64(len(raw))
	}
	r.Elapsed = time.Since(start)
	return r, nil
}

func sendSMTP(addr string, raw []byte) error {
	c, err := smtp.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()
	if err := c.Hello("client.bench.localdomain"); err != nil {
		return err
	}
	if err := c.Mail("alice@example.com"); err != nil {
		return err
	}
	if err := c.Rcpt("bob@example.org"); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(raw); err != nil {
		return err
	}
	if err := w.Close(); err != nil { // waits for the 250 (or the milter's answer)
		return err
	}
	return c.Quit()
}
