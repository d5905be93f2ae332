// Command nullmilter is the benchmarks' baseline: a milter on the same
// library as Kensa (go-milter's server), asking the MTA for the same
// protocol (no reply before the end of the message, the same macros), that
// keeps every message whole in memory, as Kensa does before scanning, and
// accepts it. Like Kensa it acknowledges the MTA's packets at once
// (TCP_QUICKACK): without that, Postfix's unanswered macro packets meet
// delayed ACKs and Nagle, and a milter waits up to 40 ms per command. It
// does nothing else, so Kensa's ratio against it is Kensa's own cost: its
// checks, its scanning and its headers.
//
//	nullmilter -listen 127.0.0.1:8897
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"

	gomilter "github.com/d--j/go-milter"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:8897", "TCP address to listen on")
	flag.Parse()
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintln(os.Stderr, "nullmilter:", err)
		os.Exit(1)
	}
	srv := gomilter.NewServer(
		gomilter.WithMilter(func() gomilter.Milter { return &reader{} }),
		gomilter.WithActions(gomilter.AllClientSupportedActionMasks),
		gomilter.WithProtocols(gomilter.OptHeaderLeadingSpace|gomilter.OptNoUnknown|
			gomilter.OptNoConnReply|gomilter.OptNoHeloReply|gomilter.OptNoMailReply|gomilter.OptNoRcptReply|
			gomilter.OptNoDataReply|gomilter.OptNoHeaderReply|gomilter.OptNoEOHReply|gomilter.OptNoBodyReply),
		gomilter.WithMacroRequest(gomilter.StageConnect, []gomilter.MacroName{}),
		gomilter.WithMacroRequest(gomilter.StageHelo, []gomilter.MacroName{}),
		gomilter.WithMacroRequest(gomilter.StageMail, []gomilter.MacroName{gomilter.MacroAuthAuthen}),
		gomilter.WithMacroRequest(gomilter.StageRcpt, []gomilter.MacroName{}),
		gomilter.WithMacroRequest(gomilter.StageData, []gomilter.MacroName{gomilter.MacroQueueId}),
		gomilter.WithMacroRequest(gomilter.StageEOH, []gomilter.MacroName{}),
		gomilter.WithMacroRequest(gomilter.StageEOM, []gomilter.MacroName{gomilter.MacroQueueId}),
	)
	go func() {
		if err := srv.Serve(quickAckListener{ln}); err != nil && err != gomilter.ErrServerClosed {
			fmt.Fprintln(os.Stderr, "nullmilter:", err)
			os.Exit(1)
		}
	}()
	fmt.Fprintln(os.Stderr, "nullmilter: listening on", ln.Addr())
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, syscall.SIGINT)
	<-sigs
	_ = srv.Shutdown(context.Background())
}

// quickAckListener hands out connections that acknowledge at once.
type quickAckListener struct{ net.Listener }

func (l quickAckListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	if tc, ok := c.(*net.TCPConn); ok {
		return quickAckConn{tc}, nil
	}
	return c, nil
}

// quickAckConn sets TCP_QUICKACK before every read (the kernel clears it
// by itself).
type quickAckConn struct{ *net.TCPConn }

func (c quickAckConn) Read(p []byte) (int, error) {
	if rc, err := c.SyscallConn(); err == nil {
		_ = rc.Control(func(fd uintptr) {
			_ = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_QUICKACK, 1)
		})
	}
	return c.TCPConn.Read(p)
}

// reader keeps the message (header fields, blank line, body) and accepts it.
type reader struct {
	gomilter.NoOpMilter
	msg []byte
}

func (r *reader) MailFrom(string, string, gomilter.Modifier) (*gomilter.Response, error) {
	r.msg = nil
	return gomilter.RespContinue, nil
}

func (r *reader) Header(name, value string, _ gomilter.Modifier) (*gomilter.Response, error) {
	r.msg = append(append(append(append(r.msg, name...), ':'), value...), "\r\n"...)
	return gomilter.RespContinue, nil
}

func (r *reader) Headers(gomilter.Modifier) (*gomilter.Response, error) {
	r.msg = append(r.msg, "\r\n"...)
	return gomilter.RespContinue, nil
}

func (r *reader) BodyChunk(chunk []byte, _ gomilter.Modifier) (*gomilter.Response, error) {
	r.msg = append(r.msg, chunk...)
	return gomilter.RespContinue, nil
}

func (r *reader) EndOfMessage(gomilter.Modifier) (*gomilter.Response, error) {
	r.msg = nil
	return gomilter.RespAccept, nil
}

func (r *reader) Abort(gomilter.Modifier) error {
	r.msg = nil
	return nil
}
