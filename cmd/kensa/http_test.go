package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kensa-milter/kensa/quarantine"
)

// TestStoreCheck runs the /readyz check of the quarantine store against a
// real SQLite store, open and then closed.
func TestStoreCheck(t *testing.T) {
	ctx := context.Background()
	st, err := quarantine.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "q.db"), quarantine.Options{})
	if err != nil {
		t.Fatal(err)
	}
	check := storeCheck(st)
	if err := check(ctx); err != nil {
		t.Errorf("open store: %v", err)
	}
	st.Close()
	if err := check(ctx); err == nil || !strings.Contains(err.Error(), "store does not answer") {
		t.Errorf("closed store: %v, want an error", err)
	}
}
