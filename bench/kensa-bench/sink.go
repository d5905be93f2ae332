package main

import (
	"bufio"
	"bytes"
	"fmt"
	"net"
	"strings"
	"sync"
	"sync/atomic"
)

// sink is the SMTP server Postfix relays to in the Postfix phase. It keeps
// nothing but counts: the messages it received, and how many of them
// carried X-Kensa-Verdict, so that a run counts what was delivered, not
// what left the queue (held or lost mail would leave it too).
type sink struct {
	ln        net.Listener
	wg        sync.WaitGroup
	delivered atomic.Int64
	verdicts  atomic.Int64
}

func startSink() (*sink, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	s := &sink{ln: ln}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Add(1)
			go func() {
				defer s.wg.Done()
				s.session(c)
			}()
		}
	}()
	return s, nil
}

func (s *sink) port() int { return s.ln.Addr().(*net.TCPAddr).Port }

func (s *sink) stop() {
	s.ln.Close()
	s.wg.Wait()
}

func (s *sink) counts() (delivered, verdicts int) {
	return int(s.delivered.Load()), int(s.verdicts.Load())
}

// session speaks just enough SMTP for Postfix's smtp client (EHLO without
// extensions, so no pipelining or size checks are needed).
func (s *sink) session(c net.Conn) {
	defer c.Close()
	r, w := bufio.NewReaderSize(c, 64<<10), bufio.NewWriter(c)
	reply := func(line string) bool {
		fmt.Fprintf(w, "%s\r\n", line)
		return w.Flush() == nil
	}
	if !reply("220 sink.bench.localdomain ESMTP") {
		return
	}
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			reply("250 sink.bench.localdomain")
		case strings.HasPrefix(cmd, "DATA"):
			if !reply("354 go ahead") {
				return
			}
			verdict, inHeader, mid := false, true, false
			for {
				l, err := r.ReadSlice('\n')
				full := err == bufio.ErrBufferFull
				if err != nil && !full {
					return
				}
				start := !mid // l starts a line; otherwise it continues a long one
				mid = full
				if !start {
					continue
				}
				if !full && (bytes.Equal(l, []byte(".\r\n")) || bytes.Equal(l, []byte(".\n"))) {
					break
				}
				if inHeader {
					if len(bytes.TrimRight(l, "\r\n")) == 0 {
						inHeader = false
					} else if len(l) > 16 && strings.EqualFold(string(l[:16]), "X-Kensa-Verdict:") {
						verdict = true
					}
				}
			}
			s.delivered.Add(1)
			if verdict {
				s.verdicts.Add(1)
			}
			reply("250 2.0.0 kept count")
		case strings.HasPrefix(cmd, "QUIT"):
			reply("221 bye")
			return
		case strings.HasPrefix(cmd, "MAIL"), strings.HasPrefix(cmd, "RCPT"), strings.HasPrefix(cmd, "RSET"), strings.HasPrefix(cmd, "NOOP"):
			reply("250 ok")
		default:
			reply("502 5.5.2 not here")
		}
	}
}
