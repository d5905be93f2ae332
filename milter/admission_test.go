package milter

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestAdmission(t *testing.T) {
	a := &admission{maxCount: 2, maxBytes: 100}
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

// Waiters are admitted in the order they came: a small message that would
// fit does not overtake a large one queued before it, and a waiter that
// gives up lets the ones behind it move up.
func TestAdmissionFirstComeFirstServed(t *testing.T) {
	a := &admission{maxCount: 10, maxBytes: 100}
	ctx := context.Background()
	if err := a.acquire(ctx, 70); err != nil {
		t.Fatal(err)
	}
	order := make(chan string, 3)
	queued := func(want int) {
		t.Helper()
		// Ten seconds, not a few hundred ms: a goroutine can wait that
		// long to run on a busy machine under -race.
		for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(time.Millisecond) {
			a.mu.Lock()
			n := len(a.queue)
			a.mu.Unlock()
			if n == want {
				return
			}
		}
		t.Fatalf("queue never reached %d waiters", want)
	}
	wait := func(name string, ctx context.Context, n int64) {
		go func() {
			if err := a.acquire(ctx, n); err == nil {
				order <- name
			} else {
				order <- name + " gave up"
			}
		}()
	}
	wait("large", ctx, 60) // needs the 70 released
	queued(1)
	leaving, leave := context.WithCancel(ctx)
	wait("leaving", leaving, 90)
	queued(2)
	wait("small", ctx, 20) // would fit beside the 70 now, but came last
	queued(3)
	select {
	case got := <-order:
		t.Fatalf("%s admitted while an earlier, larger waiter could not be", got)
	case <-time.After(50 * time.Millisecond):
	}
	leave()
	if got := <-order; got != "leaving gave up" {
		t.Fatalf("got %q, want the cancelled waiter to leave first", got)
	}
	select {
	case got := <-order:
		t.Fatalf("%s admitted before the 70 were released", got)
	case <-time.After(50 * time.Millisecond):
	}
	a.release(70)
	// Both are admitted by the one release, in queue order (the channel
	// shows when their goroutines ran, not that order).
	if got := map[string]bool{<-order: true, <-order: true}; !got["large"] || !got["small"] {
		t.Fatalf("admitted %v, want large and small", got)
	}
	a.release(60)
	a.release(20)
	if a.running != 0 || a.bytes != 0 || len(a.queue) != 0 {
		t.Errorf("after all releases: %d running, %d bytes, %d queued", a.running, a.bytes, len(a.queue))
	}
}
