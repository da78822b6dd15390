package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"disputed/internal/app"
	"disputed/internal/provider/generic"
	"disputed/internal/testenv"
)

// /metrics says how many events each group commit of the inbox wrote: notifications sent one
// after the other are groups of one, and every event stored is counted once.
func TestMetricsCountTheInboxGroupCommits(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		const secret = "generic-feed-secret"
		testenv.Must(e.App.CreateProvider(e.Ctx, testenv.Admin, app.ProviderParams{Name: "alerts", Type: "generic", WebhookSecret: secret}))(t)
		feed := c.As("")
		const sent = 3
		for k := range sent {
			body, _ := json.Marshal(map[string]any{"id": fmt.Sprintf("cb-%d", k), "type": "chargeback", "status": "needs_response",
				"amount": "25.00", "currency": "usd", "case_number": fmt.Sprintf("C-%d", k), "happened_at": "2026-11-22T10:00:00Z"})
			r, err := feed.Send(http.MethodPost, "/v1/providers/alerts/webhook", body, "X-Signature", generic.Sign(secret, e.Clock.Now(), body))
			if err != nil {
				t.Fatal(err)
			}
			testenv.WantStatus(t, r, 200)
		}
		text := c.As("").Get("/metrics").String()
		for series, want := range map[string]string{
			"disputed_provider_events_append_group_size_count":          "3",
			"disputed_provider_events_append_group_size_sum":            "3",
			`disputed_provider_events_append_group_size_bucket{le="1"}`: "3",
		} {
			m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(text)
			if m == nil || m[1] != want {
				t.Errorf("%s = %v, want %s", series, m, want)
			}
		}
	})
}
