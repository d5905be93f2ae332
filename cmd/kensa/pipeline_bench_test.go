package main

import (
	"context"
	"runtime/debug"
	"testing"

	"github.com/kensa-milter/kensa/config"
	"github.com/kensa-milter/kensa/engine"
	"github.com/kensa-milter/kensa/internal/benchcorpus"
	"github.com/kensa-milter/kensa/internal/cputime"
	"github.com/kensa-milter/kensa/message"
	"github.com/kensa-milter/kensa/policy"
)

// The whole pipeline as serve builds it from the default config (verdict
// cache off: the same messages come round again), on the benchmark corpus
// bench/corpusgen writes:
//
//	go run ./bench/corpusgen -out /tmp/kensa-corpus -rules 10
//	KENSA_BENCH_CORPUS=/tmp/kensa-corpus go test -run '^$' -bench Pipeline ./cmd/kensa
//
// Besides wall time per op (one pass over the corpus), each benchmark
// reports cpu-ms/msg: the process's CPU time (user + system, every thread,
// garbage collection included) per message. That is what decides a busy
// gateway's throughput, and unlike wall time it hardly moves when other
// work shares the machine.

func BenchmarkPipelineMixed(b *testing.B)    { benchPipeline(b, "mixed/*.eml") }
func BenchmarkPipelineZip5m(b *testing.B)    { benchPipeline(b, "zip5m.eml") }
func BenchmarkPipelineBusiness(b *testing.B) { benchPipeline(b, "business.eml") }
func BenchmarkPipelineSmall(b *testing.B)    { benchPipeline(b, "small.eml") }

func benchPipeline(b *testing.B, pattern string) {
	files, msgs := benchcorpus.Read(b, pattern)
	size := 0
	for _, raw := range msgs {
		size += len(raw)
	}
	cfg, err := config.Parse(nil)
	if err != nil {
		b.Fatal(err)
	}
	setup, _, err := buildSetup(cfg, 1, nil)
	if err != nil {
		b.Fatal(err)
	}
	setup.Cache = nil
	eng := engine.New(setup)
	defer debug.SetGCPercent(debug.SetGCPercent(defaultGCPercent)) // as serve runs
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(defaultMemoryLimit))
	env := message.Envelope{Sender: "alice@example.com", Recipients: []string{"bob@example.org"}}
	for i, m := range msgs { // every message clean, once, before measuring
		if rep := eng.Scan(context.Background(), m, env); rep.Verdict.Action != policy.Accept {
			b.Fatalf("%s: %v %v", files[i], rep.Verdict.Action, rep.Verdict.Reasons)
		}
	}
	b.SetBytes(int64(size))
	cpu0, n := cputime.Process(), 0
	b.ResetTimer()
	for b.Loop() {
		for _, m := range msgs {
			eng.Scan(context.Background(), m, env)
		}
		n += len(msgs)
	}
	b.StopTimer()
	cputime.Report(b, cpu0, n, "msg")
}
