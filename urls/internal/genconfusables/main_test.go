package main

import (
	"bytes"
	"os"
	"testing"
)

// TestTableIsGenerated: the committed table is what go generate makes from
// the committed data file.
func TestTableIsGenerated(t *testing.T) {
	want, err := generate("../../data/confusables.txt")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("../../confusables_table.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Error("urls/confusables_table.go differs from its data: run go generate ./urls")
	}
}
