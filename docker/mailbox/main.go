// Command mailbox is the Kensa trial's place to see delivered mail: an SMTP
// server that accepts every message Postfix relays to it and keeps the
// newest ones in memory, and a web page listing them with their X-Kensa-*
// headers. It is for the docker compose trial only (no authentication, no
// disk): never expose it beyond localhost.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/sirupsen/logrus"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	fs := flag.NewFlagSet("mailbox", flag.ContinueOnError)
	smtpAddr := fs.String("smtp", ":2525", "SMTP listen `address`")
	httpAddr := fs.String("http", ":8025", "HTTP listen `address`")
	keep := fs.Int("keep", 500, "messages kept (the oldest go first)")
	maxSize := fs.Int("max-size", 32<<20, "largest message accepted, in bytes")
	maxBytes := fs.Int("max-bytes", 256<<20, "bytes kept, all messages together")
	consoleURL := fs.String("console-url", "http://localhost:8899/quarantine/", "Kensa's quarantine console, linked from the inbox (\"\" = no link)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	log := logrus.New()
	st := newStore(*keep, *maxBytes)

	sl, err := net.Listen("tcp", *smtpAddr)
	if err != nil {
		log.WithError(err).Error("cannot listen for SMTP")
		return 1
	}
	hl, err := net.Listen("tcp", *httpAddr)
	if err != nil {
		log.WithError(err).Error("cannot listen for HTTP")
		return 1
	}
	hs := &http.Server{Handler: newHandler(st, *consoleURL, log), ReadHeaderTimeout: 10 * time.Second}
	smtp := serveSMTP(sl, st, *maxSize, log)
	defer smtp.Close()
	errs := make(chan error, 1)
	go func() {
		if err := hs.Serve(hl); !errors.Is(err, http.ErrServerClosed) {
			errs <- fmt.Errorf("http: %w", err)
		}
	}()
	log.WithFields(logrus.Fields{"smtp": sl.Addr().String(), "http": hl.Addr().String()}).Info("mailbox started")

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	code := 0
	select {
	case <-sigs:
	case err := <-errs:
		log.WithError(err).Error("stopped")
		code = 1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	hs.Shutdown(ctx)
	return code
}
