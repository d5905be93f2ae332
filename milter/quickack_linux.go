package milter

import (
	"net"
	"syscall"
)

// quickAck makes the kernel acknowledge what arrived on a TCP connection
// at once instead of delaying the ACK (Linux TCP_QUICKACK, which lapses by
// itself, so it is set again before each wait for the MTA).
func quickAck(c net.Conn) {
	tc, ok := c.(*net.TCPConn)
	if !ok {
		return
	}
	rc, err := tc.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Control(func(fd uintptr) {
		_ = syscall.SetsockoptInt(int(fd), syscall.IPPROTO_TCP, syscall.TCP_QUICKACK, 1)
	})
}
