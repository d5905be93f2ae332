package quarantine

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/kensa-milter/kensa/internal/pgtest"
)

// benchMessage is a typical quarantined message: 60 KB, half of it a
// base64 attachment.
func benchMessage() []byte {
	rng := rand.New(rand.NewChaCha8([32]byte{9}))
	b := []byte("From: a@example.org\r\nTo: b@example.net\r\nSubject: bench\r\n\r\n")
	for len(b) < 30<<10 {
		b = append(b, "The quick brown fox jumps over the lazy dog, again and again.\r\n"...)
	}
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	for len(b) < 60<<10 {
		for i := 0; i < 76; i++ {
			b = append(b, alphabet[rng.IntN(64)])
		}
		b = append(b, '\r', '\n')
	}
	return b
}

func benchBackends(b *testing.B, fn func(b *testing.B, s *sqlStore)) {
	for _, be := range pgtest.Backends {
		b.Run(be.Name, func(b *testing.B) {
			s, err := Open(context.Background(), be.DSN(b), Options{})
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			fn(b, s.(*sqlStore))
		})
	}
}

func BenchmarkPut(b *testing.B) {
	raw := benchMessage()
	benchBackends(b, func(b *testing.B, s *sqlStore) {
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			if err := s.Put(context.Background(), &Entry{Raw: raw, Envelope: envelope("a@example.org", "b@example.net", "c@example.net")}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkGet(b *testing.B) {
	raw := benchMessage()
	benchBackends(b, func(b *testing.B, s *sqlStore) {
		e := &Entry{Raw: raw, Envelope: envelope("a@example.org", "b@example.net")}
		if err := s.Put(context.Background(), e); err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(raw)))
		for b.Loop() {
			if _, err := s.Get(context.Background(), e.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// One user's page out of 20000 entries for 1000 recipients.
func BenchmarkListRecipient(b *testing.B) {
	benchBackends(b, func(b *testing.B, s *sqlStore) {
		ctx := context.Background()
		for i := 0; i < 20000; i++ {
			e := &Entry{Raw: []byte("Subject: x\r\n\r\nx\r\n"), Envelope: envelope("a@example.org", fmt.Sprintf("user%d@example.net", i%1000))}
			if err := s.Put(ctx, e); err != nil {
				b.Fatal(err)
			}
		}
		if s.pg {
			s.db.Exec(`ANALYZE`)
		}
		b.ResetTimer()
		for b.Loop() {
			l, err := s.List(ctx, Filter{Recipient: "user7@example.net", Limit: 50})
			if err != nil || len(l) != 20 {
				b.Fatalf("%d entries, %v", len(l), err)
			}
		}
	})
}
