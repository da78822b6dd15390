package main

import (
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// TestHealthAndMetrics checks the public health routes and that /metrics counts requests by
// route pattern (not by raw path) and status.
func TestHealthAndMetrics(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		public := s.as("")
		h := public.call("GET", "/healthz", nil, "Authorization", "")
		want(t, h, 200)
		if h.str("status") != "ok" {
			t.Errorf("/healthz: %s", h.raw)
		}
		r := public.call("GET", "/readyz", nil, "Authorization", "")
		want(t, r, 200)
		if r.str("status") != "ok" {
			t.Errorf("/readyz: %s", r.raw)
		}

		_, _, charge := s.sale(1000, "usd")
		for range 3 {
			want(t, s.post("/v1/disputes", map[string]any{"type": "alert", "alert_type": "tc40", "amount": 5, "currency": "usd"}), 201)
		}
		want(t, s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge, "amount": 5000}), 422)
		d := s.get("/v1/disputes").ids()[0]
		want(t, s.get("/v1/disputes/"+d), 200)
		want(t, s.get("/v1/nope"), 404)
		want(t, s.as("sk_wrong_key_0000000000").get("/v1/disputes"), 401) // refused before routing

		m := public.call("GET", "/metrics", nil, "Authorization", "")
		want(t, m, 200)
		text := string(m.raw)
		for _, c := range []struct {
			route, status string
			atLeast       int
		}{
			{"POST /v1/disputes", "201", 3},
			{"POST /v1/disputes", "422", 1},
			{"GET /v1/disputes/{id}", "200", 1},
			{"POST /v1/orders", "201", 1},
			{"GET /healthz", "200", 1},
			{"unmatched", "404", 1},
			{"GET /v1/disputes", "401", 1},
		} {
			if n := counter(text, c.route, c.status); n < c.atLeast {
				t.Errorf("disputed_http_requests_total{route=%q,status=%q} = %d, want at least %d", c.route, c.status, n, c.atLeast)
			}
		}
		if strings.Contains(text, `route="GET /v1/disputes/`+d) {
			t.Errorf("metrics are labelled with a raw path, one series per dispute")
		}
		if !strings.Contains(text, "disputed_http_request_duration_seconds_bucket") {
			t.Errorf("no latency histogram in /metrics")
		}
	})
}

// counter reads the value of disputed_http_requests_total for a route and status.
func counter(text, route, status string) int {
	re := regexp.MustCompile(`(?m)^disputed_http_requests_total\{(.*)\} (\d+)$`)
	for _, m := range re.FindAllStringSubmatch(text, -1) {
		if strings.Contains(m[1], `route="`+route+`"`) && strings.Contains(m[1], `status="`+status+`"`) {
			n, _ := strconv.Atoi(m[2])
			return n
		}
	}
	return 0
}
