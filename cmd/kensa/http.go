package main

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/sirupsen/logrus"

	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/metrics"
	"github.com/kensa-milter/kensa/milter"
	"github.com/kensa-milter/kensa/quarantine"
	"github.com/kensa-milter/kensa/web"
)

// newWeb builds the HTTP listener: /metrics, /healthz, and /readyz with
// the checks serve knows about. More routes (the quarantine console) and
// checks (its store) are added with Handle and AddCheck.
func newWeb(log *logrus.Logger, m *metrics.Metrics, eng *engine.Engine, srv *milter.Server, stopping *atomic.Bool) *web.Server {
	ws := web.New(web.Options{Log: log})
	if m != nil { // nil: /metrics is on a listener of its own (http.metrics_listen)
		ws.Handle("GET /metrics", m.Handler())
	}
	ws.AddCheck("rules", func(context.Context) error {
		if s := eng.Setup(); s == nil || s.RuleCount == 0 {
			return errors.New("no rules loaded")
		}
		return nil
	})
	ws.AddCheck("milter", func(context.Context) error {
		switch {
		case stopping.Load():
			return errors.New("shutting down")
		case srv.Addr() == nil:
			return errors.New("not listening")
		}
		return nil
	})
	return ws
}

// storeCheck is the readiness check of the quarantine store: the smallest
// query it answers. In store mode a store that does not answer tempfails
// every message that should be quarantined.
func storeCheck(st quarantine.Store) web.Check {
	return func(ctx context.Context) error {
		if _, err := st.List(ctx, quarantine.Filter{Limit: 1}); err != nil {
			return fmt.Errorf("store does not answer: %w", err)
		}
		return nil
	}
}
