package outbound

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestControl(t *testing.T) {
	t.Parallel()
	tests := []struct {
		address     string
		policy      Policy
		wantRefused bool // a *RefusedError
		wantErr     bool
	}{
		{"127.0.0.1:80", Policy{}, true, true},
		{"[::1]:443", Policy{}, true, true},
		{"[fe80::1%eth0]:80", Policy{}, true, true},
		{"10.0.0.1:8080", Policy{}, true, true},
		{"8.8.8.8:443", Policy{}, false, false},
		{"[2606:4700:4700::1111]:443", Policy{}, false, false},
		{"not-an-address", Policy{}, false, true},
		{"127.0.0.1:80", AllowInternal, false, false},
		{"169.254.169.254:80", AllowInternal, true, true},
		{"not-an-address", AllowInternal, false, true},
	}
	for _, tt := range tests {
		err := control(tt.policy)("tcp", tt.address, nil)
		var refused *RefusedError
		if (err != nil) != tt.wantErr || errors.As(err, &refused) != tt.wantRefused {
			t.Errorf("control(%+v)(%q) = %v; want error %v, refused %v", tt.policy, tt.address, err, tt.wantErr, tt.wantRefused)
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

			_, err := get(t, NewClient(Policy{}), srv.URL)
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

			resp, err := get(t, NewClient(AllowInternal), srv.URL)
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
	if _, err := get(t, NewClient(Policy{}), url); !errors.Is(err, ErrPrivateAddress) {
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
	resp, err := get(t, NewClient(AllowInternal), srv.URL+"/start")
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/elsewhere" {
		t.Errorf("got %d Location %q, want 302 /elsewhere", resp.StatusCode, resp.Header.Get("Location"))
	}
}

func TestNewClientHasNoTimeout(t *testing.T) {
	t.Parallel()
	c := NewClient(Policy{})
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
