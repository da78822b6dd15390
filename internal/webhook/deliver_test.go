package webhook

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"disputed/internal/outbound"
)

// received is what a test receiver saw of one request.
type received struct {
	method string
	header http.Header
	body   []byte
}

// receiver starts a test server that records each request and answers with h, and returns it
// with the client that may reach it (loopback allowed).
func receiver(t *testing.T, h http.HandlerFunc) (*httptest.Server, *http.Client, chan received) {
	t.Helper()
	got := make(chan received, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		got <- received{r.Method, r.Header.Clone(), body}
		h(w, r)
	}))
	t.Cleanup(srv.Close)
	client := outbound.NewClient(outbound.AllowInternal)
	t.Cleanup(client.CloseIdleConnections)
	return srv, client, got
}

// answer returns a handler that answers status and body.
func answer(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(status)
		io.WriteString(w, body)
	}
}

// deliverCtx is a deadline that keeps a hanging test short.
func deliverCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestDeliverSuccess(t *testing.T) {
	t.Parallel()
	srv, client, got := receiver(t, answer(http.StatusNoContent, ""))
	secret := newSecret(t)
	body := []byte(`{"type":"dispute.created","data":{"id":"dsp_1"}}`)
	now := time.Now()

	a, err := Deliver(deliverCtx(t), client, srv.URL+"/hooks?token=x", "msg_1", body, now, secret)
	if err != nil {
		t.Fatalf("Deliver: %v (attempt %+v)", err, a)
	}
	if a.Status != http.StatusNoContent || a.Err != "" || a.Response != "" || !a.At.Equal(now) || a.Latency <= 0 {
		t.Errorf("attempt = %+v, want status 204, no error, no response, At %v, a latency", a, now)
	}

	r := <-got
	if r.method != http.MethodPost {
		t.Errorf("method = %s, want POST", r.method)
	}
	if string(r.body) != string(body) {
		t.Errorf("body = %s, want %s", r.body, body)
	}
	for k, v := range map[string]string{"Content-Type": "application/json", "User-Agent": "disputed-webhooks"} {
		if r.header.Get(k) != v {
			t.Errorf("%s = %q, want %q", k, r.header.Get(k), v)
		}
	}
	if err := verify(t, secret, r.body, r.header); err != nil {
		t.Errorf("the receiver cannot verify the delivery: %v", err)
	}
	if got, want := r.header.Get("webhook-signature"), expectedSignature(t, secret, "msg_1", now, body); got != want {
		t.Errorf("webhook-signature = %q, want %q", got, want)
	}
}

func TestDeliverAnswers(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		status    int
		body      string
		wantErr   bool
		permanent bool
		wantErrIn string // in Attempt.Err
	}{
		{"200 with a body", 200, `{"ok":true}`, false, false, ""},
		{"202", 202, "", false, false, ""},
		{"500", 500, "database is down", true, false, "500 Internal Server Error"},
		{"503", 503, "", true, false, "503 Service Unavailable"},
		{"429", 429, "slow down", true, false, "429 Too Many Requests"},
		{"404", 404, "not found", true, false, "404 Not Found"},
		{"400", 400, "bad", true, false, "400 Bad Request"},
		{"410 is permanent", 410, "endpoint removed", true, true, "410 Gone"},
		// The outbound client does not follow redirects: the signed event goes only where it
		// was configured to.
		{"302 is not followed", 302, "", true, false, "302 Found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, client, got := receiver(t, func(w http.ResponseWriter, r *http.Request) {
				if tt.status == 302 {
					w.Header().Set("Location", "/elsewhere")
				}
				answer(tt.status, tt.body)(w, r)
			})
			a, err := Deliver(deliverCtx(t), client, srv.URL, "msg_1", []byte(`{}`), time.Now(), newSecret(t))
			if (err != nil) != tt.wantErr || Permanent(err) != tt.permanent {
				t.Fatalf("err = %v, Permanent %v; want error %v, permanent %v", err, Permanent(err), tt.wantErr, tt.permanent)
			}
			if a.Status != tt.status || a.Response != tt.body {
				t.Errorf("attempt status %d, response %q; want %d, %q", a.Status, a.Response, tt.status, tt.body)
			}
			if tt.wantErrIn == "" && a.Err != "" || !strings.Contains(a.Err, tt.wantErrIn) {
				t.Errorf("attempt Err = %q, want it to contain %q", a.Err, tt.wantErrIn)
			}
			if err != nil && !strings.Contains(err.Error(), tt.wantErrIn) {
				t.Errorf("err = %v, want it to name the status %q", err, tt.wantErrIn)
			}
			if n := len(got); n != 1 {
				t.Errorf("the receiver got %d requests, want 1", n)
			}
		})
	}
}

func TestDeliverLongResponse(t *testing.T) {
	t.Parallel()
	// 1023 ASCII bytes, then a three-byte character that does not fit, then more.
	long := strings.Repeat("a", 1023) + "€" + strings.Repeat("b", 10<<10)
	srv, client, _ := receiver(t, answer(500, long))
	a, err := Deliver(deliverCtx(t), client, srv.URL, "msg_1", []byte(`{}`), time.Now(), newSecret(t))
	if err == nil {
		t.Fatal("Deliver succeeded on a 500")
	}
	if a.Response != strings.Repeat("a", 1023) {
		t.Errorf("response = %d bytes %q…, want the first 1023 bytes", len(a.Response), a.Response[:min(20, len(a.Response))])
	}
}

func TestClean(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    string
		limit int
		want  string
	}{
		{"ascii", "hello", 10, "hello"},
		{"cut", "hello", 3, "hel"},
		{"unicode fits", "aé€", 6, "aé€"},
		{"unicode cut at a boundary", "aé€", 5, "aé"},
		{"invalid byte", "a\xffb", 10, "a\uFFFDb"},
		{"truncated character at the end", "a\xe2\x82", 10, "a\uFFFD\uFFFD"},
		{"replacement does not exceed the limit", "ab\xff", 4, "ab"},
		{"NUL", "a\x00b", 10, "a\uFFFDb"},
		{"empty", "", 10, ""},
	}
	for _, tt := range tests {
		got := clean([]byte(tt.in), tt.limit)
		if got != tt.want || !utf8.ValidString(got) || len(got) > tt.limit {
			t.Errorf("%s: clean(%q, %d) = %q, want %q", tt.name, tt.in, tt.limit, got, tt.want)
		}
	}
}

func TestDeliverTimeout(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	srv, client, _ := receiver(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	deadline, _ := ctx.Deadline()

	called := time.Now()
	a, err := Deliver(ctx, client, srv.URL, "msg_1", []byte(`{}`), called, newSecret(t))
	returned := time.Now()
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want a deadline exceeded", err)
	}
	if Permanent(err) {
		t.Error("a timeout is permanent; want it retried")
	}
	// The attempt waited for the deadline, and its latency is the part of that wait after the
	// request left (which is after the call: not quite the whole 100 ms).
	if a.Status != 0 || !strings.HasPrefix(a.Err, "timeout") || returned.Before(deadline) || a.Latency <= 0 || a.Latency > returned.Sub(called) {
		t.Errorf("attempt = %+v, returned %v after the call (deadline %v), want no status, a timeout, the deadline waited for and within it the latency",
			a, returned.Sub(called), deadline.Sub(called))
	}
}

func TestDeliverRefusedConnection(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := srv.URL
	srv.Close() // nothing listens there any more

	a, err := Deliver(deliverCtx(t), outbound.NewClient(outbound.AllowInternal), addr, "msg_1", []byte(`{}`), time.Now(), newSecret(t))
	if err == nil || Permanent(err) {
		t.Fatalf("err = %v, Permanent %v; want a retryable error", err, Permanent(err))
	}
	if a.Status != 0 || !strings.Contains(a.Err, "refused") {
		t.Errorf("attempt = %+v, want no status and a refused connection", a)
	}
}

func TestDeliverPrivateAddress(t *testing.T) {
	t.Parallel()
	var called atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { called.Store(true) }))
	t.Cleanup(srv.Close)

	a, err := Deliver(deliverCtx(t), outbound.NewClient(outbound.Policy{}), srv.URL, "msg_1", []byte(`{}`), time.Now(), newSecret(t))
	if !errors.Is(err, outbound.ErrPrivateAddress) || !Permanent(err) {
		t.Fatalf("err = %v, Permanent %v; want a permanent refusal of a private address", err, Permanent(err))
	}
	if !strings.Contains(a.Err, "private address") || a.Status != 0 {
		t.Errorf("attempt = %+v, want the refusal in Err", a)
	}
	if called.Load() {
		t.Error("the receiver was called")
	}
}

func TestDeliverNoRequest(t *testing.T) {
	t.Parallel()
	srv, client, got := receiver(t, answer(200, ""))
	secret := newSecret(t)
	tests := []struct {
		name      string
		url       string
		msgID     string
		secrets   []string
		permanent bool
		wantErrIn string
	}{
		{"invalid URL", "ftp://example.com/", "msg_1", []string{secret}, true, "http"},
		{"URL with credentials", strings.Replace(srv.URL, "//", "//u:p@", 1), "msg_1", []string{secret}, true, "password"},
		{"no secret", srv.URL, "msg_1", nil, false, "no secret"},
		{"bad secret", srv.URL, "msg_1", []string{"whsec_"}, false, "secret 1"},
		{"bad id", srv.URL, "", []string{secret}, false, "message id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			now := time.Now()
			a, err := Deliver(deliverCtx(t), client, tt.url, tt.msgID, []byte(`{}`), now, tt.secrets...)
			if err == nil || Permanent(err) != tt.permanent {
				t.Fatalf("err = %v, Permanent %v; want an error, permanent %v", err, Permanent(err), tt.permanent)
			}
			if !strings.Contains(a.Err, tt.wantErrIn) || a.Status != 0 || !a.At.Equal(now) {
				t.Errorf("attempt = %+v, want Err containing %q, no status, At %v", a, tt.wantErrIn, now)
			}
		})
	}
	t.Cleanup(func() {
		if n := len(got); n != 0 {
			t.Errorf("the receiver got %d requests, want none", n)
		}
	})
}
