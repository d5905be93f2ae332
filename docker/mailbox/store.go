package main

import (
	"mime"
	"strings"
	"sync"
	"time"

	"github.com/kensa-milter/kensa/internal/mailview"
)

// message is one delivered message, as it arrived.
type message struct {
	ID       int
	Received time.Time
	From     string
	To       []string
	Data     []byte
}

// store keeps the newest messages in memory, at most maxMsgs of them and
// maxBytes together: the oldest go first.
type store struct {
	maxMsgs, maxBytes int

	mu   sync.Mutex
	next int
	msgs []*message // oldest first
	size int
}

func newStore(maxMsgs, maxBytes int) *store {
	return &store{maxMsgs: maxMsgs, maxBytes: maxBytes}
}

// Add keeps a message and returns its id.
func (s *store) Add(from string, to []string, data []byte) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.next++
	s.msgs = append(s.msgs, &message{ID: s.next, Received: time.Now().UTC(), From: from, To: to, Data: data})
	s.size += len(data)
	for len(s.msgs) > 1 && (len(s.msgs) > s.maxMsgs || s.size > s.maxBytes) {
		s.size -= len(s.msgs[0].Data)
		s.msgs[0] = nil
		s.msgs = s.msgs[1:]
	}
	return s.next
}

// List returns the messages, newest first.
func (s *store) List() []*message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*message, len(s.msgs))
	for i, m := range s.msgs {
		out[len(s.msgs)-1-i] = m
	}
	return out
}

// Get returns message id, or nil.
func (s *store) Get(id int) *message {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range s.msgs {
		if m.ID == id {
			return m
		}
	}
	return nil
}

// summary is what the list page and /api/messages show of a message. Every
// string is made safe with mailview (control characters escaped).
type summary struct {
	ID       int               `json:"id"`
	Received time.Time         `json:"received"`
	From     string            `json:"from"`
	To       []string          `json:"to"`
	Subject  string            `json:"subject"`
	Size     int               `json:"size"`
	Kensa    map[string]string `json:"kensa"` // X-Kensa-* header fields by name
	Verdict  string            `json:"-"`     // X-Kensa-Verdict, for the list page
	Findings string            `json:"-"`     // X-Kensa-Findings
}

var wordDecoder = mime.WordDecoder{}

func summarize(m *message) summary {
	s := summary{ID: m.ID, Received: m.Received, From: mailview.Safe(m.From, 300), Size: len(m.Data), Kensa: map[string]string{}}
	for _, t := range m.To {
		s.To = append(s.To, mailview.Safe(t, 300))
	}
	for _, f := range mailview.Headers(m.Data) {
		name := strings.ToLower(f.Name)
		switch {
		case name == "subject" && s.Subject == "":
			s.Subject = f.Value
			if d, err := wordDecoder.DecodeHeader(f.Value); err == nil {
				s.Subject = mailview.Safe(d, mailview.MaxFieldLen)
			}
		case strings.HasPrefix(name, "x-kensa-"):
			// Kensa removes incoming X-Kensa-* fields and adds one of each.
			if _, seen := s.Kensa[f.Name]; !seen {
				s.Kensa[f.Name] = f.Value
			}
			switch name {
			case "x-kensa-verdict":
				s.Verdict = f.Value
			case "x-kensa-findings":
				s.Findings = f.Value
			}
		}
	}
	return s
}
