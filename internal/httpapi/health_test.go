package httpapi_test

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// TestHealthAndMetrics checks the public health routes and that /metrics counts requests by
// route pattern (not by raw path) and status.
func TestHealthAndMetrics(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		public := c.As("")
		type health struct{ Status string }
		for _, path := range []string{"/healthz", "/readyz"} {
			if h := testenv.Want[health](t, public.Get(path), 200); h.Status != "ok" {
				t.Errorf("%s: status %q", path, h.Status)
			}
		}

		sale := e.Sale(testenv.SaleParams{Amount: 1000})
		for range 3 {
			testenv.WantStatus(t, c.Post("/v1/disputes", map[string]any{"type": "alert", "alert_type": "tc40", "amount": 5, "currency": "usd"}), 201)
		}
		testenv.WantError(t, c.Post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": sale.Charge.ID, "amount": 5000}),
			422, "invalid_amount", "amount")
		d := testenv.Want[httpapi.List[httpapi.Dispute]](t, c.Get("/v1/disputes"), 200).Data[0].ID
		testenv.WantStatus(t, c.Get("/v1/disputes/"+d), 200)
		testenv.WantStatus(t, c.Get("/v1/nope"), 404)
		testenv.WantStatus(t, c.As("sk_wrong_key_0000000000").Get("/v1/disputes"), 401) // refused before routing

		text := public.Get("/metrics").String()
		for _, want := range []struct {
			route, status string
			atLeast       int
		}{
			{"POST /v1/disputes", "201", 3},
			{"POST /v1/disputes", "422", 1},
			{"GET /v1/disputes/{id}", "200", 1},
			{"GET /healthz", "200", 1},
			{"unmatched", "404", 1},
			{"GET /v1/disputes", "401", 1},
		} {
			if n := counter(text, want.route, want.status); n < want.atLeast {
				t.Errorf("disputed_http_requests_total{route=%q,status=%q} = %d, want at least %d", want.route, want.status, n, want.atLeast)
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
