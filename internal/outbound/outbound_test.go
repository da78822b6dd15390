package outbound

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestIsPrivate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		addr string
		want bool
	}{
		{"127.0.0.1", true},
		{"127.255.0.9", true},
		{"::1", true},
		{"10.1.2.3", true},
		{"172.16.0.1", true},
		{"172.31.255.255", true},
		{"192.168.1.1", true},
		{"fc00::1", true},
		{"fd12:3456::1", true},
		{"169.254.169.254", true}, // cloud metadata
		{"fe80::1", true},
		{"fe80::1%eth0", true},
		{"0.0.0.0", true},
		{"0.1.2.3", true},
		{"::", true},
		{"224.0.0.1", true},
		{"239.1.1.1", true},
		{"ff02::1", true},
		{"ff0e::1", true},
		{"100.64.0.1", true},
		{"100.127.255.255", true},
		{"255.255.255.255", true},
		{"::ffff:127.0.0.1", true},
		{"::ffff:10.0.0.1", true},
		{"64:ff9b::7f00:1", true}, // NAT64 of 127.0.0.1
		{"64:ff9b::a00:1", true},  // NAT64 of 10.0.0.1

		{"8.8.8.8", false},
		{"1.1.1.1", false},
		{"172.15.255.255", false},
		{"172.32.0.1", false},
		{"100.63.255.255", false},
		{"100.128.0.1", false},
		{"192.169.0.1", false},
		{"2606:4700:4700::1111", false},
		{"::ffff:8.8.8.8", false},
		{"64:ff9b::808:808", false}, // NAT64 of 8.8.8.8
	}
	for _, tt := range tests {
		if got := IsPrivate(netip.MustParseAddr(tt.addr)); got != tt.want {
			t.Errorf("IsPrivate(%s) = %v, want %v", tt.addr, got, tt.want)
		}
	}
	if !IsPrivate(netip.Addr{}) {
		t.Error("IsPrivate(zero Addr) = false, want true: an address we cannot read is refused")
	}
}

func TestControl(t *testing.T) {
	t.Parallel()
	tests := []struct {
		address      string
		allowPrivate bool
		wantRefused  bool // a *RefusedError
		wantErr      bool
	}{
		{"127.0.0.1:80", false, true, true},
		{"[::1]:443", false, true, true},
		{"[fe80::1%eth0]:80", false, true, true},
		{"10.0.0.1:8080", false, true, true},
		{"8.8.8.8:443", false, false, false},
		{"[2606:4700:4700::1111]:443", false, false, false},
		{"not-an-address", false, false, true},
		{"127.0.0.1:80", true, false, false},
		{"not-an-address", true, false, false},
	}
	for _, tt := range tests {
		err := control(tt.allowPrivate)("tcp", tt.address, nil)
		var refused *RefusedError
		if (err != nil) != tt.wantErr || errors.As(err, &refused) != tt.wantRefused {
			t.Errorf("control(%v)(%q) = %v; want error %v, refused %v", tt.allowPrivate, tt.address, err, tt.wantErr, tt.wantRefused)
		}
	}
}

// get fetches url with c and a deadline that keeps the test short.
func get(t *testing.T, c *http.Client, url string) (*http.Response, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := c.Do(req)
	if err == nil {
		t.Cleanup(func() { resp.Body.Close() })
	}
	return resp, err
}

// newServer starts a test server on the loopback address of network (tcp4 or tcp6), skipping
// the test when the host has no such address.
func newServer(t *testing.T, network string, h http.Handler) *httptest.Server {
	t.Helper()
	addr := map[string]string{"tcp4": "127.0.0.1:0", "tcp6": "[::1]:0"}[network]
	ln, err := net.Listen(network, addr)
	if err != nil {
		t.Skipf("no %s loopback here: %v", network, err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv
}

func TestClientRefusesLoopback(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		network, host string
	}{
		{"tcp4", "127.0.0.1"},
		{"tcp6", "::1"},
	} {
		t.Run(tt.network, func(t *testing.T) {
			t.Parallel()
			var called atomic.Bool
			srv := newServer(t, tt.network, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				called.Store(true)
			}))

			_, err := get(t, NewClient(false), srv.URL)
			var refused *RefusedError
			if !errors.As(err, &refused) || !errors.Is(err, ErrPrivateAddress) {
				t.Fatalf("GET %s: err = %v, want a *RefusedError", srv.URL, err)
			}
			want := "outbound: refusing to connect to private address " + tt.host + " (set DISPUTED_WEBHOOK_ALLOW_PRIVATE=1 to allow)"
			if refused.Error() != want {
				t.Errorf("error = %q, want %q", refused.Error(), want)
			}
			if called.Load() {
				t.Error("the server was called")
			}

			resp, err := get(t, NewClient(true), srv.URL)
			if err != nil {
				t.Fatalf("allowPrivate: GET %s: %v", srv.URL, err)
			}
			if resp.StatusCode != http.StatusOK || !called.Load() {
				t.Errorf("allowPrivate: status %d, called %v; want 200, true", resp.StatusCode, called.Load())
			}
		})
	}
}

// TestClientRefusesResolvedName shows that the check applies to the address a name resolves to,
// not to the text of the URL.
func TestClientRefusesResolvedName(t *testing.T) {
	t.Parallel()
	if _, err := net.DefaultResolver.LookupNetIP(t.Context(), "ip4", "localhost"); err != nil {
		t.Skipf("localhost does not resolve here: %v", err)
	}
	srv := newServer(t, "tcp4", http.NotFoundHandler())
	url := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)
	if _, err := get(t, NewClient(false), url); !errors.Is(err, ErrPrivateAddress) {
		t.Fatalf("GET %s: err = %v, want a refusal", url, err)
	}
}

func TestClientDoesNotFollowRedirects(t *testing.T) {
	t.Parallel()
	srv := newServer(t, "tcp4", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/elsewhere" {
			t.Error("the redirect was followed")
		}
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	}))
	resp, err := get(t, NewClient(true), srv.URL+"/start")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/elsewhere" {
		t.Errorf("got %d Location %q, want 302 /elsewhere", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestNewClientHasNoTimeout(t *testing.T) {
	t.Parallel()
	c := NewClient(false)
	if c.Timeout != 0 {
		t.Errorf("Timeout = %v, want 0: callers set deadlines with a context", c.Timeout)
	}
	tr, ok := c.Transport.(*http.Transport)
	if !ok {
		t.Fatalf("Transport is %T, want *http.Transport", c.Transport)
	}
	if tr.Proxy != nil {
		t.Error("Proxy is set: a proxy would bypass the address check")
	}
}
