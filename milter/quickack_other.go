//go:build !linux

package milter

import "net"

// quickAck is Linux-only (TCP_QUICKACK); elsewhere ACKs keep their timing.
func quickAck(net.Conn) {}
