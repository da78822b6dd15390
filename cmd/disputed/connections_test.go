package main

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// rawConn is a client connection to the server, written by hand so that a test can leave a
// request half sent or keep a connection idle.
type rawConn struct {
	t    *testing.T
	conn net.Conn
	rd   *bufio.Reader
}

func dialRaw(t *testing.T, s *testServer) *rawConn {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(s.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return &rawConn{t: t, conn: c, rd: bufio.NewReader(c)}
}

func (c *rawConn) write(text string) {
	c.t.Helper()
	if _, err := io.WriteString(c.conn, text); err != nil {
		c.t.Fatal(err)
	}
}

// status reads the next answer's status, waiting at most within.
func (c *rawConn) status(within time.Duration) (int, error) {
	_ = c.conn.SetReadDeadline(time.Now().Add(within))
	res, err := http.ReadResponse(c.rd, nil)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	return res.StatusCode, res.Body.Close()
}

const healthz = "GET /healthz HTTP/1.1\r\nHost: disputed\r\n\r\n"

// TestConnectionLimit: beyond DISPUTED_MAX_CONNECTIONS a connection waits, unserved but not
// refused, while every open connection is in the middle of a request; once one of them is
// answered, the waiting one is served.
func TestConnectionLimit(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", map[string]string{"DISPUTED_MAX_CONNECTIONS": "2"})
	first, second := dialRaw(t, s), dialRaw(t, s)
	first.write("GET /healthz HTTP/1.1\r\n") // requests begun, not finished
	second.write("GET /healthz HTTP/1.1\r\n")
	third := dialRaw(t, s)
	third.write(healthz)
	var ne net.Error
	if code, err := third.status(300 * time.Millisecond); !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("a connection over the limit was served while the others were busy: %d %v", code, err)
	}
	first.write("Host: disputed\r\n\r\n")
	if code, err := first.status(10 * time.Second); code != 200 {
		t.Fatalf("a busy connection was not answered: %d %v", code, err)
	}
	if code, err := third.status(10 * time.Second); code != 200 {
		t.Fatalf("the waiting connection once another was answered: %d %v", code, err)
	}
	second.write("Host: disputed\r\n\r\n")
	if code, err := second.status(10 * time.Second); code != 200 {
		t.Fatalf("a connection in the middle of its request was cut to make room: %d %v", code, err)
	}
}

// TestSecurityIdleConnectionsDoNotStarve: connections kept alive and idle do not lock newcomers
// out: at the cap, a new connection takes the place of the one idle longest and is answered.
func TestSecurityIdleConnectionsDoNotStarve(t *testing.T) {
	t.Parallel()
	eachStoreEnv(t, map[string]string{"DISPUTED_MAX_CONNECTIONS": "5"}, func(t *testing.T, s *testServer) {
		idle := make([]*rawConn, 5)
		for i := range idle {
			idle[i] = dialRaw(t, s)
			idle[i].write(healthz)
			if code, err := idle[i].status(10 * time.Second); code != 200 {
				t.Fatalf("connection %d: %d %v", i, code, err)
			}
			// The server marks a connection idle just after its answer is sent, when its
			// goroutine next runs: on a loaded machine that may come after the client's next
			// step. A pause lets each go idle before the next, in the order of their answers.
			time.Sleep(20 * time.Millisecond)
		}
		for i := range 3 {
			c := dialRaw(t, s)
			c.write(healthz)
			if code, err := c.status(10 * time.Second); code != 200 {
				t.Fatalf("new connection %d with 5 idle ones open: %d %v", i, code, err)
			}
		}
		// The idlest were closed for them, oldest first: the first connection is gone.
		_ = idle[0].conn.SetReadDeadline(time.Now().Add(10 * time.Second))
		if _, err := idle[0].rd.ReadByte(); !errors.Is(err, io.EOF) {
			t.Fatalf("the idlest connection was not closed: %v", err)
		}
	})
}
