package main

import (
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// limitListener accepts at most n connections at once. A connection that arrives while n are open
// takes the place of the one that has waited longest, idle, for its next request: kept-alive
// connections cost a client nothing to hold, so without this a few hundred idle ones would lock
// everyone else out until their idle timeout. A connection in the middle of a request is never
// closed; when none is idle, the newcomer waits until one closes or goes idle, and the ones after
// it wait in the kernel's backlog: they are slowed, not refused.
//
// The listener learns which connections are idle from the HTTP server: set the server's
// ConnState to the listener's ConnState.
func limitListener(l net.Listener, n int) *limitedListener {
	return &limitedListener{Listener: l, slots: make(chan struct{}, n), closed: make(chan struct{}),
		wentIdle: make(chan struct{}, 1), open: map[*limitedConn]struct{}{}}
}

type limitedListener struct {
	net.Listener
	slots     chan struct{} // one element per open connection
	closed    chan struct{}
	closeOnce sync.Once
	// wentIdle is signalled when a connection goes idle, for an Accept waiting for a slot.
	wentIdle chan struct{}

	mu   sync.Mutex
	open map[*limitedConn]struct{}
}

func (l *limitedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	for {
		select {
		case l.slots <- struct{}{}:
			return l.track(c), nil
		default:
		}
		l.closeIdlest()
		select {
		case l.slots <- struct{}{}:
			return l.track(c), nil
		case <-l.wentIdle:
		case <-l.closed:
			_ = c.Close()
			return nil, net.ErrClosed
		}
	}
}

// track wraps c, which holds a slot, so that closing it gives the slot back.
func (l *limitedListener) track(c net.Conn) *limitedConn {
	lc := &limitedConn{Conn: c}
	lc.release = func() {
		l.mu.Lock()
		delete(l.open, lc)
		l.mu.Unlock()
		<-l.slots
	}
	l.mu.Lock()
	l.open[lc] = struct{}{}
	l.mu.Unlock()
	return lc
}

// closeIdlest closes the connection that has been idle longest, if any is idle.
func (l *limitedListener) closeIdlest() {
	for {
		l.mu.Lock()
		var idlest *limitedConn
		var since int64
		for c := range l.open {
			if t := c.idleSince.Load(); t > 0 && (idlest == nil || t < since) {
				idlest, since = c, t
			}
		}
		l.mu.Unlock()
		if idlest == nil {
			return
		}
		// A connection whose next request began meanwhile is busy again: look for another.
		if idlest.idleSince.CompareAndSwap(since, 0) {
			_ = idlest.Close()
			return
		}
	}
}

// ConnState is the HTTP server's hook: it marks a connection idle while it waits for its next
// request, and busy again once bytes of a request arrive (limitedConn.Read).
func (l *limitedListener) ConnState(c net.Conn, state http.ConnState) {
	lc, ok := c.(*limitedConn)
	if !ok {
		return
	}
	if state != http.StateIdle {
		lc.idleSince.Store(0)
		return
	}
	lc.idleSince.Store(time.Now().UnixNano())
	select {
	case l.wentIdle <- struct{}{}:
	default:
	}
}

// Close stops accepting, also when Accept is waiting for a connection to close.
func (l *limitedListener) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

// limitedConn gives its slot back once, however often it is closed.
type limitedConn struct {
	net.Conn
	// idleSince is when the connection last went idle (Unix nanoseconds), 0 while it is busy.
	// The server marks it idle only after it wrote an answer, and bytes read since mean a new
	// request has begun: closing the connection then would cut that request.
	idleSince   atomic.Int64
	releaseOnce sync.Once
	release     func()
}

func (c *limitedConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	if n > 0 && c.idleSince.Load() != 0 {
		c.idleSince.Store(0)
	}
	return n, err
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.releaseOnce.Do(c.release)
	return err
}
