//go:build integration

package integration

import "testing"

// TestOneNotePackagedThroughPostfix sends the OneNote sections in the
// packaging OneDrive hands out (a program in an object data BLOB, a script
// only its EmbeddedFileName shows) through a real Postfix with Kensa as its
// milter: each is held in quarantine for what Kensa read inside it, never
// delivered.
func TestOneNotePackagedThroughPostfix(t *testing.T) {
	names := map[string]bool{"onenote-packaged-embedded": true, "onenote-packaged-named-script": true}
	sendThroughPostfix(t, samplesNamed(t, "packaged OneNote", names, 2), true)
}
