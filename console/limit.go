package console

import (
	"sync"
	"time"
)

// Login limits. A failure is forgotten failWindow after the last one of its
// key; past the free failures each further attempt waits a back-off that
// doubles with every failure, up to failWindow.
const (
	failWindow    = 15 * time.Minute
	freePairFails = 5  // per (client, user name)
	freeIPFails   = 20 // per client, whatever the names
	maxLimitKeys  = 100000
)

// limiter counts login attempts per key. An attempt is counted when it
// starts, before the slow password check: counting it only when it failed
// let a burst of concurrent guesses all pass the check before the first
// failure was recorded. A successful login takes its attempt back.
//
// Keys are per client and per (client, user) pair, never per user name
// alone: a client that has not failed is never refused, so nobody can lock
// an admin out from somewhere else.
type limiter struct {
	mu   sync.Mutex
	keys map[string]*tries
}

type tries struct {
	n    int       // attempts counted (started and not taken back)
	last time.Time // when the last one started
}

func newLimiter() *limiter { return &limiter{keys: map[string]*tries{}} }

// backoff is how long after its last attempt a key with n counted attempts
// must wait, given free attempts that need no wait.
func backoff(n, free int) time.Duration {
	if n < free {
		return 0
	}
	d := time.Second << min(n-free, 20)
	return min(d, failWindow)
}

// limit is one key and the attempts it gets without waiting.
type limit struct {
	key  string
	free int
}

// start counts an attempt on every key, or refuses it (false) when any key
// must still wait; a refused attempt counts nothing.
func (l *limiter) start(now time.Time, limits ...limit) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.keys) > maxLimitKeys { // bound memory: forget windows that ended
		for k, t := range l.keys {
			if now.Sub(t.last) >= failWindow {
				delete(l.keys, k)
			}
		}
	}
	for _, lm := range limits {
		t := l.keys[lm.key]
		if t == nil {
			continue
		}
		if now.Sub(t.last) >= failWindow {
			delete(l.keys, lm.key)
			continue
		}
		if now.Sub(t.last) < backoff(t.n, lm.free) {
			return false
		}
	}
	for _, lm := range limits {
		t := l.keys[lm.key]
		if t == nil {
			t = &tries{}
			l.keys[lm.key] = t
		}
		t.n++
		t.last = now
	}
	return true
}

// succeeded takes back the attempt counted for key after a right password;
// forget keys start again from nothing.
func (l *limiter) succeeded(key string, forget ...string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if t := l.keys[key]; t != nil {
		if t.n--; t.n <= 0 {
			delete(l.keys, key)
		}
	}
	for _, k := range forget {
		delete(l.keys, k)
	}
}
