package main

import (
	"bytes"
	"fmt"
	"net"

	"github.com/sirupsen/logrus"

	"github.com/kensa-milter/kensa/internal/smtpsink"
)

// maxConns bounds the SMTP sessions at once; more are told 421.
const maxConns = 50

// serveSMTP accepts every message Postfix relays into st, on ln, with the
// one SMTP server of the repository (internal/smtpsink: every line, message
// and session bounded) until the returned sink is closed.
func serveSMTP(ln net.Listener, st *store, maxSize int, log logrus.FieldLogger) *smtpsink.Sink {
	s := smtpsink.Serve(ln, smtpsink.Options{Name: "mailbox", MaxSize: maxSize, MaxConns: maxConns})
	s.OnMessage(func(m smtpsink.Message) string {
		id := st.Add(m.From, m.To, bytes.Clone(m.Data)) // m.Data is the session's buffer
		log.WithFields(logrus.Fields{"id": id, "size": len(m.Data), "recipients": len(m.To)}).Info("message received")
		return fmt.Sprintf("queued as %d", id)
	})
	return s
}
