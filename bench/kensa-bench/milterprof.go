package main

import (
	"context"
	"os"
	"runtime"
	"runtime/pprof"
	"time"

	"github.com/sirupsen/logrus"

	"github.com/kensa-milter/kensa/milter"
)

// milterProfile runs Kensa's milter server in this process and replays m
// against it at concurrency conc for dur, with a CPU profile written to
// path: where the time goes between the MTA and the scan.
func milterProfile(m mail, conc int, dur time.Duration, path string) (run, error) {
	eng, err := pipeline(nil)
	if err != nil {
		return run{}, err
	}
	log := logrus.New()
	log.SetOutput(os.Stderr)
	log.SetLevel(logrus.WarnLevel)
	srv := milter.New(eng, milter.Config{}, log)
	if err := srv.Listen("inet:0", 0); err != nil {
		return run{}, err
	}
	defer srv.Shutdown(context.Background()) //nolint:errcheck
	load(srv.Addr().String(), []mail{m}, 2, 8, 0)
	f, err := os.Create(path)
	if err != nil {
		return run{}, err
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return run{}, err
	}
	runtime.SetMutexProfileFraction(1)
	runtime.SetBlockProfileRate(int(time.Millisecond))
	r := load(srv.Addr().String(), []mail{m}, conc, 0, dur)
	pprof.StopCPUProfile()
	for _, name := range []string{"block", "mutex"} {
		if bf, err := os.Create(path + "." + name); err == nil {
			_ = pprof.Lookup(name).WriteTo(bf, 0)
			bf.Close()
		}
	}
	return r, nil
}
