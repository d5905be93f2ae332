package milter

import (
	"context"
	"runtime"
	"sync"
)

// admission bounds the scans that run at once, by count and by the bytes
// of the messages being scanned. Scanning is CPU-bound, so more scans than
// cores only add memory: a message waits here, its body still in go-milter's
// buffer (spilled to disk past bodyInMemory), while go-milter keeps the MTA
// informed with progress packets. One message is always admitted when none
// runs, however large.
//
// Waiters are admitted first come, first served: a large message at the
// head of the queue is not overtaken by smaller ones that would fit sooner.
// Without the queue every release woke all waiters and the quickest took the
// room, so under saturation some messages waited many times longer than
// others (a p99 more than ten times the p50 on a burst of large zips).
type admission struct {
	mu       sync.Mutex
	queue    []*admissionWaiter // oldest first
	running  int
	bytes    int64
	maxCount int
	maxBytes int64
}

type admissionWaiter struct {
	n     int64
	ready chan struct{} // closed when admitted
}

const (
	// scanBytesBudget is how many message bytes are scanned at once. A
	// scan holds several times its message (decoded parts, members), so
	// this keeps the scans of a burst of large messages near a few hundred
	// MiB.
	scanBytesBudget = 24 << 20
)

func newAdmission() *admission {
	// The count is generous: a scan may wait on the network (DNSBL,
	// clamd) rather than use a core; the byte budget is what bounds memory.
	return &admission{maxCount: max(16, 8*runtime.GOMAXPROCS(0)), maxBytes: scanBytesBudget}
}

// fits says whether a message of n bytes may start now. Callers hold mu.
func (a *admission) fits(n int64) bool {
	return a.running == 0 || (a.running < a.maxCount && a.bytes+n <= a.maxBytes)
}

// admitQueued admits waiters from the head of the queue while they fit.
// Callers hold mu.
func (a *admission) admitQueued() {
	for len(a.queue) > 0 && a.fits(a.queue[0].n) {
		w := a.queue[0]
		a.queue[0] = nil
		a.queue = a.queue[1:]
		a.running++
		a.bytes += w.n
		close(w.ready)
	}
}

// acquire waits for room for a message of n bytes, behind every message
// that came earlier, or until ctx ends.
func (a *admission) acquire(ctx context.Context, n int64) error {
	a.mu.Lock()
	if len(a.queue) == 0 && a.fits(n) {
		a.running++
		a.bytes += n
		a.mu.Unlock()
		return nil
	}
	w := &admissionWaiter{n: n, ready: make(chan struct{})}
	a.queue = append(a.queue, w)
	a.mu.Unlock()
	select {
	case <-w.ready:
		return nil
	case <-ctx.Done():
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for i, q := range a.queue {
		if q == w {
			a.queue = append(a.queue[:i], a.queue[i+1:]...)
			a.admitQueued() // the ones behind may fit now
			return ctx.Err()
		}
	}
	return nil // admitted as ctx ended: the caller holds room and releases it
}

func (a *admission) release(n int64) {
	a.mu.Lock()
	a.running--
	a.bytes -= n
	a.admitQueued()
	a.mu.Unlock()
}
