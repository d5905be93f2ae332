package milter

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestAdmission(t *testing.T) {
	a := &admission{changed: make(chan struct{}), maxCount: 2, maxBytes: 100}
	ctx := context.Background()
	short := func() context.Context {
		c, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		t.Cleanup(cancel)
		return c
	}
	// One message is admitted alone however large.
	if err := a.acquire(ctx, 1000); err != nil {
		t.Fatal(err)
	}
	if err := a.acquire(short(), 1); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second message beside an oversized one: %v", err)
	}
	a.release(1000)
	// By bytes.
	if err := a.acquire(ctx, 60); err != nil {
		t.Fatal(err)
	}
	if err := a.acquire(short(), 50); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("over the byte budget: %v", err)
	}
	if err := a.acquire(ctx, 40); err != nil {
		t.Fatalf("within the byte budget: %v", err)
	}
	// By count, and a waiter gets in when a scan ends.
	got := make(chan error, 1)
	go func() { got <- a.acquire(ctx, 0) }()
	select {
	case err := <-got:
		t.Fatalf("third scan admitted over the count limit: %v", err)
	case <-time.After(50 * time.Millisecond):
	}
	a.release(60)
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("waiter not admitted after a release")
	}
	a.release(40)
	a.release(0)
	if a.running != 0 || a.bytes != 0 {
		t.Errorf("after all releases: %d running, %d bytes", a.running, a.bytes)
	}
}
