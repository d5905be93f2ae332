//go:build integration

package integration

import (
	"testing"

	"github.com/kensa-milter/kensa/internal/corpus"
)

// TestPasswordSourcesThroughPostfix sends the encrypted attachments whose
// password the mail gives somewhere (the archive's own name, a second
// attachment, an attached message, HTML tricks, the subject, other
// languages, look-alike letters, a zip in a zip, RAR 5 with encrypted
// names) through a real Postfix with Kensa as its milter: each is refused
// or held as its sample expects; the payroll twin is held as any archive
// nobody can open, and the signature twin is delivered.
func TestPasswordSourcesThroughPostfix(t *testing.T) {
	sendThroughPostfix(t, samplesNamed(t, "password", corpus.PasswordNames(), 12), true)
}
