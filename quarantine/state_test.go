package quarantine

import (
	"context"
	"testing"
	"time"
)

// TestExclusiveAndTime: two hosts on one database (two stores): what one
// holds the other does not run, including the purge; a shared time
// survives a restart.
func TestExclusiveAndTime(t *testing.T) {
	forEachBackend(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		a, b := openStore(t, dsn, Options{}), openStore(t, dsn, Options{})
		if tm, err := a.Time(ctx, "digest_watermark"); err != nil || !tm.IsZero() {
			t.Fatalf("unset time: %v %v", tm, err)
		}
		at := time.Date(2026, 12, 6, 8, 0, 0, 123000, time.UTC)
		if err := a.SetTime(ctx, "digest_watermark", at); err != nil {
			t.Fatal(err)
		}
		c := openStore(t, dsn, Options{}) // a restart, or another host
		if tm, err := c.Time(ctx, "digest_watermark"); err != nil || !tm.Equal(at) {
			t.Fatalf("time after reopen: %v %v", tm, err)
		}

		expired := put(t, a, newEntry("old", "a@example.org", "b@example.net"))
		ran, err := a.Exclusive(ctx, "purge", func(ctx context.Context) error {
			if ran, err := b.Exclusive(ctx, "purge", func(context.Context) error { return nil }); err != nil || ran {
				t.Errorf("second holder ran: %v %v", ran, err)
			}
			if n, err := b.Purge(ctx, time.Now().Add(365*24*time.Hour)); err != nil || n != 0 {
				t.Errorf("purge while another host purges: %d %v", n, err)
			}
			return nil
		})
		if err != nil || !ran {
			t.Fatalf("first holder: %v %v", ran, err)
		}
		if n, err := b.Purge(ctx, time.Now().Add(365*24*time.Hour)); err != nil || n != 1 {
			t.Fatalf("purge after the lock was let go: %d %v", n, err)
		}
		if _, err := a.Get(ctx, expired.ID); err == nil {
			t.Error("the expired entry is still there")
		}
	})
}
