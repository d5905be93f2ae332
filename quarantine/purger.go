package quarantine

import (
	"context"
	"time"

	"github.com/sirupsen/logrus"
)

// RunPurger purges expired entries now and then every interval (default one
// hour) until ctx is done. Several hosts may run it on one database.
func RunPurger(ctx context.Context, s Store, interval time.Duration, log logrus.FieldLogger) {
	if interval <= 0 {
		interval = time.Hour
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		start := time.Now()
		n, err := s.Purge(ctx, start)
		f := logrus.Fields{"purged": n, "duration_ms": time.Since(start).Milliseconds()}
		switch {
		case err != nil && ctx.Err() == nil:
			log.WithFields(f).WithError(err).Error("quarantine purge failed")
		case n > 0:
			log.WithFields(f).Info("quarantine purged expired entries")
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
