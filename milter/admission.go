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
type admission struct {
	mu       sync.Mutex
	changed  chan struct{} // closed and replaced on every release
	running  int
	bytes    int64
	maxCount int
	maxBytes int64
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
	return &admission{changed: make(chan struct{}), maxCount: max(16, 8*runtime.GOMAXPROCS(0)), maxBytes: scanBytesBudget}
}

// acquire waits for room for a message of n bytes, or until ctx ends.
func (a *admission) acquire(ctx context.Context, n int64) error {
	for {
		a.mu.Lock()
		if a.running == 0 || (a.running < a.maxCount && a.bytes+n <= a.maxBytes) {
			a.running++
			a.bytes += n
			a.mu.Unlock()
			return nil
		}
		ch := a.changed
		a.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

func (a *admission) release(n int64) {
	a.mu.Lock()
	a.running--
	a.bytes -= n
	close(a.changed)
	a.changed = make(chan struct{})
	a.mu.Unlock()
}
