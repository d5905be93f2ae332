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

// mta is a private Postfix started by bench/postfix.sh, relaying to a
// counting sink.
type mta struct {
	script, dir string
	port        int
	sink        *sink
}

func startMTA(script, dir, milter string) (*mta, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	sk, err := startSink()
	if err != nil {
		return nil, err
	}
	out, err := exec.Command(script, "start", dir, strconv.Itoa(port), strconv.Itoa(sk.port()), milter).CombinedOutput()
	if err != nil {
		sk.stop()
		return nil, fmt.Errorf("postfix start: %v: %s", err, out)
	}
	m := &mta{script: script, dir: dir, port: port, sink: sk}
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
	m.sink.stop()
}

func (m *mta) queued() int {
	out, _ := exec.Command(m.script, "queued", m.dir).Output()
	n, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	return n
}

// throughput sends count copies of file with smtp-source over sessions
// parallel connections and returns the time until the sink has received
// them all. A message that does not arrive (held, bounced, lost) fails the
// run once the queue is empty, or after 10 minutes.
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
	d0, v0 := m.sink.counts()
	start := time.Now()
	out, err := exec.Command("smtp-source", "-s", strconv.Itoa(sessions), "-m", strconv.Itoa(count),
		"-f", "alice@example.com", "-t", "bob@example.org", "-F", lf, m.addr()).CombinedOutput()
	if err != nil {
		return run{}, fmt.Errorf("smtp-source: %v: %s", err, out)
	}
	var emptySince time.Time
	for {
		d, v := m.sink.counts()
		if d-d0 >= count {
			el := time.Since(start)
			return run{Msgs: d - d0, Bytes: int64(d-d0) * int64(len(raw)), Elapsed: el, Delivered: d - d0, Verdicts: v - v0}, nil
		}
		switch {
		case time.Since(start) > 10*time.Minute:
			return run{}, fmt.Errorf("%d of %d messages delivered after 10 minutes (%s)", d-d0, count, m.dir)
		case m.queued() > 0:
			emptySince = time.Time{}
		case emptySince.IsZero():
			emptySince = time.Now()
		case time.Since(emptySince) > 5*time.Second:
			return run{}, fmt.Errorf("queue empty but only %d of %d messages delivered (%s/maillog)", d-d0, count, m.dir)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// latency sends count messages one after another and times each SMTP
// transaction from connect to the reply to the end of DATA; then it waits
// until the sink has them all.
func (m *mta) latency(raw []byte, count int) (run, error) {
	var r run
	d0, v0 := m.sink.counts()
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
	for deadline := time.Now().Add(2 * time.Minute); ; time.Sleep(20 * time.Millisecond) {
		d, v := m.sink.counts()
		r.Delivered, r.Verdicts = d-d0, v-v0
		if r.Delivered >= count {
			return r.summarized(true), nil
		}
		if time.Now().After(deadline) {
			return r, fmt.Errorf("latency run: %d of %d messages delivered (%s/maillog)", r.Delivered, count, m.dir)
		}
	}
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
