package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/sirupsen/logrus"
)

// SMTP bounds: everything a client sends is bounded.
const (
	maxLine       = 1000 // bytes of one command or data line (RFC 5321: 1000 with CRLF)
	maxRecipients = 100
	maxConns      = 50
	idleTimeout   = 5 * time.Minute
)

// smtpServer accepts every message into a store. It speaks just enough SMTP
// for Postfix: EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, VRFY, QUIT.
type smtpServer struct {
	store   *store
	maxSize int
	log     logrus.FieldLogger

	wg    sync.WaitGroup
	slots chan struct{}
}

func newSMTPServer(st *store, maxSize int, log logrus.FieldLogger) *smtpServer {
	return &smtpServer{store: st, maxSize: maxSize, log: log, slots: make(chan struct{}, maxConns)}
}

// Serve accepts connections until ln is closed, then waits for sessions.
func (s *smtpServer) Serve(ln net.Listener) error {
	defer s.wg.Wait()
	for {
		c, err := ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return fmt.Errorf("smtp accept: %w", err)
		}
		select {
		case s.slots <- struct{}{}:
		default:
			fmt.Fprint(c, "421 4.3.2 Too many connections\r\n")
			c.Close()
			continue
		}
		s.wg.Add(1)
		go func() {
			defer func() { <-s.slots; s.wg.Done() }()
			s.session(c)
		}()
	}
}

var errLineTooLong = errors.New("line too long")

// readLine reads one CRLF- (or LF-) terminated line without the ending,
// refusing lines longer than maxLine.
func readLine(r *bufio.Reader) (string, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > maxLine+2 {
			return "", errLineTooLong
		}
		if err == nil {
			break
		}
		if !errors.Is(err, bufio.ErrBufferFull) {
			return "", err
		}
	}
	return strings.TrimRight(string(line), "\r\n"), nil
}

func (s *smtpServer) session(c net.Conn) {
	defer c.Close()
	r := bufio.NewReaderSize(c, 4096)
	w := bufio.NewWriter(c)
	reply := func(format string, a ...any) {
		fmt.Fprintf(w, format+"\r\n", a...)
		w.Flush()
	}
	reply("220 mailbox ESMTP Kensa trial mailbox")
	var from string
	var to []string
	haveFrom := false
	for {
		c.SetReadDeadline(time.Now().Add(idleTimeout))
		line, err := readLine(r)
		if errors.Is(err, errLineTooLong) {
			reply("500 5.5.2 Line too long")
			return
		}
		if err != nil {
			return
		}
		verb, arg, _ := strings.Cut(line, " ")
		switch strings.ToUpper(verb) {
		case "EHLO":
			reply("250-mailbox\r\n250-SIZE %d\r\n250-8BITMIME\r\n250 SMTPUTF8", s.maxSize)
		case "HELO":
			reply("250 mailbox")
		case "MAIL":
			addr, ok := pathArg(arg, "FROM:")
			if !ok {
				reply("501 5.5.4 Syntax: MAIL FROM:<address>")
				continue
			}
			from, to, haveFrom = addr, nil, true
			reply("250 2.1.0 Ok")
		case "RCPT":
			addr, ok := pathArg(arg, "TO:")
			switch {
			case !haveFrom:
				reply("503 5.5.1 MAIL first")
			case !ok || addr == "":
				reply("501 5.5.4 Syntax: RCPT TO:<address>")
			case len(to) >= maxRecipients:
				reply("452 4.5.3 Too many recipients")
			default:
				to = append(to, addr)
				reply("250 2.1.5 Ok")
			}
		case "DATA":
			if len(to) == 0 {
				reply("503 5.5.1 RCPT first")
				continue
			}
			reply("354 End data with <CR><LF>.<CR><LF>")
			data, err := readData(r, s.maxSize)
			switch {
			case errors.Is(err, errTooBig):
				reply("552 5.3.4 Message too big (limit %d bytes)", s.maxSize)
			case err != nil:
				return
			default:
				id := s.store.Add(from, to, data)
				s.log.WithFields(logrus.Fields{"id": id, "size": len(data), "recipients": len(to)}).Info("message received")
				reply("250 2.0.0 Ok: queued as %d", id)
			}
			from, to, haveFrom = "", nil, false
		case "RSET":
			from, to, haveFrom = "", nil, false
			reply("250 2.0.0 Ok")
		case "NOOP":
			reply("250 2.0.0 Ok")
		case "VRFY":
			reply("252 2.0.0 Send some mail, I'll try my best")
		case "QUIT":
			reply("221 2.0.0 Bye")
			return
		default:
			reply("500 5.5.2 Command not recognised")
		}
	}
}

// pathArg takes "FROM:<a@b> SIZE=12" apart: the address between < and >
// (the parameters after it are ignored).
func pathArg(arg, prefix string) (string, bool) {
	if len(arg) < len(prefix) || !strings.EqualFold(arg[:len(prefix)], prefix) {
		return "", false
	}
	rest := strings.TrimSpace(arg[len(prefix):])
	if !strings.HasPrefix(rest, "<") {
		return "", false
	}
	end := strings.IndexByte(rest, '>')
	if end < 0 {
		return "", false
	}
	return rest[1:end], true
}

var errTooBig = errors.New("message too big")

// readData reads the message up to the lone dot, undoing dot-stuffing. A
// message over max is read to its end and dropped, so the session can go on.
func readData(r *bufio.Reader, max int) ([]byte, error) {
	var buf bytes.Buffer
	tooBig := false
	atStart := true // the next chunk begins a line (ReadSlice returns long lines in pieces)
	for {
		chunk, err := r.ReadSlice('\n')
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			if errors.Is(err, io.EOF) {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		if atStart {
			if bytes.Equal(chunk, []byte(".\r\n")) || bytes.Equal(chunk, []byte(".\n")) {
				break
			}
			if chunk[0] == '.' {
				chunk = chunk[1:]
			}
		}
		atStart = len(chunk) > 0 && chunk[len(chunk)-1] == '\n'
		if buf.Len()+len(chunk) > max {
			tooBig = true
			buf.Reset()
		}
		if !tooBig {
			buf.Write(chunk)
		}
	}
	if tooBig {
		return nil, errTooBig
	}
	return buf.Bytes(), nil
}
