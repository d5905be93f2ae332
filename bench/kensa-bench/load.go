package main

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	gomilter "github.com/d--j/go-milter"
)

// mail is one corpus message split the way an MTA hands it to a milter.
type mail struct {
	Name   string
	size   int
	fields [][2]string
	body   []byte
}

func splitMail(name string, raw []byte) (mail, error) {
	head, body, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
	if !ok {
		return mail{}, fmt.Errorf("%s: no end of header", name)
	}
	m := mail{Name: name, size: len(raw), body: body}
	for _, line := range strings.Split(string(head), "\r\n") {
		if (strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t")) && len(m.fields) > 0 {
			m.fields[len(m.fields)-1][1] += "\r\n" + line
			continue
		}
		k, v, _ := strings.Cut(line, ":")
		m.fields = append(m.fields, [2]string{k, v})
	}
	return m, nil
}

// deliver is one milter session for one message, as Postfix drives it.
func deliver(client *gomilter.Client, m mail) error {
	macros := gomilter.NewMacroBag()
	macros.Set(gomilter.MacroQueueId, "BENCH1")
	s, err := client.Session(macros)
	if err != nil {
		return err
	}
	defer s.Close()
	check := func(act *gomilter.Action, err error) error {
		if err != nil {
			return err
		}
		if act.Type != gomilter.ActionContinue {
			return fmt.Errorf("unexpected %v", act)
		}
		return nil
	}
	if err := check(s.Conn("mail.example.com", gomilter.FamilyInet, 40123, "192.0.2.25")); err != nil {
		return err
	}
	if err := check(s.Helo("mail.example.com")); err != nil {
		return err
	}
	if err := check(s.Mail("<alice@example.com>", "")); err != nil {
		return err
	}
	if err := check(s.Rcpt("<bob@example.org>", "")); err != nil {
		return err
	}
	if err := check(s.DataStart()); err != nil {
		return err
	}
	for _, f := range m.fields {
		if err := check(s.HeaderField(f[0], f[1], nil)); err != nil {
			return err
		}
	}
	if err := check(s.HeaderEnd()); err != nil {
		return err
	}
	_, act, err := s.BodyReadFrom(bytes.NewReader(m.body))
	if err != nil {
		return err
	}
	if act.Type != gomilter.ActionAccept {
		return fmt.Errorf("message %s: %v", m.Name, act)
	}
	return nil
}

// load sends msgs round-robin from conc sessions at once until count
// messages went through (count > 0) or dur passed.
func load(addr string, msgs []mail, conc, count int, dur time.Duration) run {
	client := gomilter.NewClient("tcp", addr, gomilter.WithReadTimeout(5*time.Minute), gomilter.WithWriteTimeout(time.Minute))
	var next atomic.Int64
	var mu sync.Mutex
	var r run
	var firstErr error
	deadline := time.Now().Add(dur)
	start := time.Now()
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if (count > 0 && i >= count) || (count <= 0 && time.Now().After(deadline)) {
					return
				}
				m := msgs[i%len(msgs)]
				t := time.Now()
				err := deliver(client, m)
				took := time.Since(t)
				mu.Lock()
				if err != nil {
					r.Errors++
					if firstErr == nil {
						firstErr = err
					}
				} else {
					r.Msgs++
					r.Bytes += int64(m.size)
					r.Lat = append(r.Lat, took)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	r.Elapsed = time.Since(start)
	if firstErr != nil {
		warnf("%d failed sessions against %s, first: %v", r.Errors, addr, firstErr)
	}
	return r
}
