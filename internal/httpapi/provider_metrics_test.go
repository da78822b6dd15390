package httpapi_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"testing"
	"time"

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

// /metrics says how deep the inbox is in each state, how long events waited from their arrival
// to their being applied, and how many attempts to apply one failed. One event applies after 2 s;
// another fails (its provider was removed) and holds the later event of its case pending behind
// it; once the provider is back, both apply at the failed one's next attempt, 12 s after they
// arrived, and the inbox is empty.
func TestMetricsShowTheInboxDepthLagAndFailures(t *testing.T) {
	t.Parallel()
	testenv.EachWith(t, testenv.Options{DeferApplying: true}, func(t *testing.T, e *testenv.Env) {
		c := e.Serve()
		const secret = "generic-feed-secret"
		for _, name := range []string{"alerts", "gone"} {
			testenv.Must(e.App.CreateProvider(e.Ctx, testenv.Admin, app.ProviderParams{Name: name, Type: "generic", WebhookSecret: secret}))(t)
		}
		feed := c.As("").Deferred()
		send := func(provider, id, caseNumber string) {
			t.Helper()
			body, _ := json.Marshal(map[string]any{"id": id, "type": "chargeback", "status": "needs_response",
				"amount": "25.00", "currency": "usd", "case_number": caseNumber, "happened_at": "2026-11-22T10:00:00Z"})
			r, err := feed.Send(http.MethodPost, "/v1/providers/"+provider+"/webhook", body, "X-Signature", generic.Sign(secret, e.Clock.Now(), body))
			if err != nil {
				t.Fatal(err)
			}
			testenv.WantStatus(t, r, 200)
		}
		scrape := func(when string, want map[string]string) {
			t.Helper()
			text := c.As("").Get("/metrics").String()
			for series, v := range want {
				m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(text)
				if m == nil || m[1] != v {
					t.Errorf("%s: %s = %v, want %s", when, series, m, v)
				}
			}
		}
		send("alerts", "cb-applies", "C-1")
		send("gone", "cb-fails", "C-2")
		send("gone", "cb-held", "C-2")
		scrape("before applying", map[string]string{
			`disputed_provider_events_inbox{state="pending"}`:  "3",
			`disputed_provider_events_inbox{state="failed"}`:   "0",
			"disputed_provider_events_apply_lag_seconds_count": "0",
			"disputed_provider_events_failed_total":            "0",
		})

		if err := e.App.DeleteProvider(e.Ctx, testenv.Admin, "gone"); err != nil {
			t.Fatal(err)
		}
		e.Clock.Advance(2 * time.Second)
		e.ApplyInbox()
		scrape("after one applied and one failed", map[string]string{
			`disputed_provider_events_inbox{state="pending"}`:             "1",
			`disputed_provider_events_inbox{state="failed"}`:              "1",
			"disputed_provider_events_apply_lag_seconds_count":            "1",
			"disputed_provider_events_apply_lag_seconds_sum":              "2",
			`disputed_provider_events_apply_lag_seconds_bucket{le="1"}`:   "0",
			`disputed_provider_events_apply_lag_seconds_bucket{le="2.5"}`: "1",
			"disputed_provider_events_failed_total":                       "1",
		})

		testenv.Must(e.App.CreateProvider(e.Ctx, testenv.Admin, app.ProviderParams{Name: "gone", Type: "generic", WebhookSecret: secret}))(t)
		e.Clock.Advance(10 * time.Second)
		e.ApplyInbox()
		scrape("after the failed one and the one it held applied", map[string]string{
			`disputed_provider_events_inbox{state="pending"}`:            "0",
			`disputed_provider_events_inbox{state="failed"}`:             "0",
			"disputed_provider_events_apply_lag_seconds_count":           "3",
			"disputed_provider_events_apply_lag_seconds_sum":             "26",
			`disputed_provider_events_apply_lag_seconds_bucket{le="10"}`: "1",
			`disputed_provider_events_apply_lag_seconds_bucket{le="30"}`: "3",
			"disputed_provider_events_failed_total":                      "1",
		})
	})
}
