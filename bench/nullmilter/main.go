// Command nullmilter is the benchmarks' baseline: a milter on the same
// library and body settings as Kensa (go-milter's mailfilter, decision at
// end of message, bodies over 1 MiB spilled to disk) that reads every
// message whole, as Kensa does before scanning, and accepts it.
//
//	nullmilter -listen 127.0.0.1:8897
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/d--j/go-milter/mailfilter"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:8897", "TCP address to listen on")
	flag.Parse()
	mf, err := mailfilter.New("tcp", *listen, decide,
		mailfilter.WithDecisionAt(mailfilter.DecisionAtEndOfMessage),
		mailfilter.WithErrorHandling(mailfilter.TempFailWhenError),
		mailfilter.WithBody(1<<20, 64<<20+1, mailfilter.TruncateWhenTooBig),
		mailfilter.WithHeader(1000, mailfilter.TruncateWhenTooBig),
	)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nullmilter:", err)
		os.Exit(1)
	}
	fmt.Fprintln(os.Stderr, "nullmilter: listening on", mf.Addr())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	<-sigs
	mf.Close()
	mf.Wait()
}

// decide reads the whole message, headers and body, and accepts it.
func decide(_ context.Context, trx mailfilter.Trx) (mailfilter.Decision, error) {
	if _, err := io.Copy(io.Discard, trx.Data()); err != nil {
		return nil, fmt.Errorf("read message: %w", err)
	}
	return mailfilter.Accept, nil
}
