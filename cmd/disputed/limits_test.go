package main

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/provider/generic"
)

// upload posts file as an evidence item in a multipart form.
func (s *testServer) upload(path string, file []byte) response {
	s.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("description", "the signed contract")
	fw, _ := mw.CreateFormFile("file", "contract.pdf")
	_, _ = fw.Write(file)
	_ = mw.Close()
	return s.call(http.MethodPost, path, body.Bytes(), "Content-Type", mw.FormDataContentType())
}

// TestRateLimitPerKey: a key that sends a burst over its limit gets 429 with Retry-After while
// another key is still served.
func TestRateLimitPerKey(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		s := startServerOn(t, db, map[string]string{"DISPUTED_RATE_LIMIT": "0.1:3"}) // a token every 10 s
		agent := s.as(s.newKey(actor.Agent, ""))
		for range 3 {
			want(t, agent.get("/v1/disputes"), 200)
		}
		r := agent.get("/v1/disputes")
		want(t, r, 429, "rate_limited")
		if wait, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || wait < 1 || wait > 10 {
			t.Fatalf("Retry-After %q, want whole seconds up to 10: %s", r.header.Get("Retry-After"), r.raw)
		}
		if r.str("error", "type") != "rate_limit" {
			t.Fatalf("429 body: %s", r.raw)
		}
		want(t, s.get("/v1/disputes"), 200) // the admin key has its own bucket
	})
}

// TestRateLimitPerAddress: requests without a valid key are limited per client address, so that
// keys cannot be guessed quickly (a right guess after the limit gains nothing), while a burst of
// signed provider events is taken whole.
func TestRateLimitPerAddress(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		s := startServerOn(t, db, map[string]string{"DISPUTED_IP_RATE_LIMIT": "0.1:3"})
		const secret = "generic-feed-secret"
		want(t, s.post("/v1/providers", map[string]any{"name": "alerts", "type": "generic", "webhook_secret": secret}), 201)
		event := func(id, key string) response {
			body, _ := json.Marshal(map[string]any{"id": id, "type": "alert", "alert_type": "tc40", "amount": "49.99", "currency": "USD",
				"arn": "7400000000000000000" + id, "happened_at": "2026-11-20T10:00:00Z"})
			return s.call(http.MethodPost, "/v1/providers/alerts/webhook", body, "X-Signature", generic.Sign(key, time.Now(), body), "Authorization", "")
		}
		for i := range 20 {
			want(t, event(strconv.Itoa(1000+i), secret), 200)
		}
		if alerts := s.get("/v1/disputes?type=alert&limit=100"); len(alerts.list()) != 20 {
			t.Fatalf("20 provider events opened %d alerts", len(alerts.list()))
		}
		want(t, event("forged", "not-the-secret"), 401, "invalid_signature")
		guess := s.as("sk_guess_0123456789abcdef")
		want(t, guess.get("/v1/disputes"), 401)
		want(t, guess.get("/v1/disputes"), 401)
		r := guess.get("/v1/disputes")
		want(t, r, 429, "rate_limited")
		if r.header.Get("Retry-After") == "" {
			t.Fatalf("429 without Retry-After: %s", r.raw)
		}
		want(t, s.get("/v1/disputes"), 429, "rate_limited") // the right key, from the same address
		want(t, s.get("/healthz"), 429, "rate_limited")
	})
}

// TestSlowHeadersAreCutOff: a client that sends its headers too slowly (slow loris) is
// disconnected once the read-header timeout passes, however steadily it trickles.
func TestSlowHeadersAreCutOff(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", map[string]string{"DISPUTED_READ_HEADER_TIMEOUT": "300ms"})
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	answered := make(chan []byte)
	go func() {
		got, _ := io.ReadAll(conn) // until the server closes the connection
		answered <- got
	}()
	header := []byte("GET /healthz HTTP/1.1\r\nHost: disputed\r\nX-Slow: " + strings.Repeat("z", 200) + "\r\n\r\n")
	for i, b := range header {
		if _, err := conn.Write([]byte{b}); err != nil {
			break // reset by the server
		}
		select {
		case got := <-answered:
			// Cut mid-line, Go's server says 400 as it hangs up; the request is never served.
			if len(got) > 0 && !bytes.HasPrefix(got, []byte("HTTP/1.1 400 ")) {
				t.Fatalf("the server answered a request whose headers took too long: %q", got)
			}
			if i == len(header)-1 {
				t.Fatal("the headers were complete before the server hung up")
			}
			want(t, s.get("/healthz"), 200) // others are still served
			return
		case <-time.After(25 * time.Millisecond): // 200 bytes take 5 s, far beyond 300 ms
		}
	}
	t.Fatal("the server kept a connection whose headers arrived over 5 s")
}

// TestLimitsConfiguration: the limits come from the environment; a value that cannot be read
// stops the server at start, naming the variable, rather than running unprotected.
func TestLimitsConfiguration(t *testing.T) {
	t.Parallel()
	m := NewMain(envOf(map[string]string{"DISPUTED_RATE_LIMIT": "off", "DISPUTED_IP_RATE_LIMIT": "2.5:20",
		"DISPUTED_WRITE_TIMEOUT": "90s", "DISPUTED_MAX_CONNECTIONS": "64"}), io.Discard)
	if err := m.ParseFlags(nil); err != nil {
		t.Fatal(err)
	}
	l := m.Config.Limits
	if l.KeyRate.PerSecond != 0 || l.AddressRate.PerSecond != 2.5 || l.AddressRate.Burst != 20 ||
		l.WriteTimeout != 90*time.Second || l.ReadHeaderTimeout != 10*time.Second || l.MaxConnections != 64 {
		t.Fatalf("limits read from the environment: %+v", l)
	}
	for name, bad := range map[string]string{"DISPUTED_RATE_LIMIT": "100", "DISPUTED_IP_RATE_LIMIT": "0:10",
		"DISPUTED_READ_TIMEOUT": "soon", "DISPUTED_IDLE_TIMEOUT": "-1s", "DISPUTED_MAX_CONNECTIONS": "0",
		"DISPUTED_WEBHOOK_ALLOW_PRIVATE": "yes"} {
		err := NewMain(envOf(map[string]string{name: bad}), io.Discard).ParseFlags(nil)
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("%s=%s: %v, want an error naming the variable", name, bad, err)
		}
	}
}
