package httpapi_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
	"disputed/internal/webhook"
)

// TestReplayChangesNothing sends a whole provider event stream (disputes from Stripe and the
// generic feed through their lifecycles, alerts, an unknown charge, an event about no dispute),
// then replays it twice, once in order and once backwards, as a provider re-sending a day of
// events does: every replayed event is answered 200 as a duplicate naming the same dispute, and
// no dispute, order, transaction, timeline entry, event, email, job or webhook delivery changes.
func TestReplayChangesNothing(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusNoContent) }))
		t.Cleanup(rcv.Close)
		e.StreamProviders()
		block := true
		testenv.Must(e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{BlockOnDispute: &block}))(t)
		ep := testenv.Must(e.Webhooks.CreateEndpoint(e.Ctx, testenv.Admin, webhook.EndpointParams{URL: &rcv.URL, Events: &[]string{"*"}}))(t)

		st := testenv.NewStream(e.Clock.Now())
		var orders, charges []string
		for _, sc := range []testenv.Scenario{testenv.StripeWon, testenv.StripeLost, testenv.StripeInquiry, testenv.StripeWarningThenChargeback,
			testenv.StripeUnknownCharge, testenv.StripeWarningUnknownCharge, testenv.StripeNotADispute, testenv.FeedChargebackWon,
			testenv.FeedChargebackDueSoon, testenv.FeedEthoca, testenv.FeedRDR} {
			ch := e.StreamSale()
			orders, charges = append(orders, ch.OrderID), append(charges, ch.ID)
			st.Add(sc, ch)
		}
		events := st.Events()

		disputeOf := map[string]string{}
		for _, n := range events {
			r := webhookAccepted(t, e, e.Deliver(c, n))
			if r.Duplicate {
				t.Fatalf("first delivery of %s answered as a duplicate: %s", n.ID, webhookJSON(r))
			}
			disputeOf[n.ID] = r.dispute()
			kept := strings.HasPrefix(r.Outcome, "kept, not applied")
			if (n.CaseID == "" || kept) != (r.dispute() == "") {
				t.Fatalf("event %s about case %q: %s", n.ID, n.CaseID, webhookJSON(r))
			}
		}
		if won := webhookRead[httpapi.Dispute](c, "/v1/disputes/"+disputeOf[events[0].ID]); wireText(won.TransactionID) != charges[0] || won.Status != "won" {
			t.Fatalf("the first case, a Stripe chargeback won, on charge %s: %s", charges[0], webhookJSON(won))
		}
		before := replayState(e, c, orders, charges, ep.ID)
		if got := strings.Count(before, "\ndispute "); got != 10 {
			t.Fatalf("the stream opened %d disputes, want 10:\n%s", got, before)
		}

		backwards := slices.Clone(events)
		slices.Reverse(backwards)
		for _, replay := range [][]testenv.Notification{events, backwards} {
			for _, n := range replay {
				if r := webhookAccepted(t, e, e.Deliver(c, n)); !r.Duplicate || r.dispute() != disputeOf[n.ID] {
					t.Fatalf("replay of %s: %s; want a duplicate about dispute %q", n.ID, webhookJSON(r), disputeOf[n.ID])
				}
			}
			if after := replayState(e, c, orders, charges, ep.ID); after != before {
				t.Fatalf("a replay changed the state:\n%s", replayDiff(before, after))
			}
		}
	})
}

// replayState is everything a provider event can change, as the API shows it, one object or
// list entry a line: disputes whole (status, revision, amounts, dates), with their timeline
// entries and emails; the orders and charges whole (refunds and withdrawals included); and the
// ids of every event, job, webhook delivery and block list entry. It first runs the jobs due,
// so that what the events set off (line actions, emails, deliveries) is part of it.
func replayState(e *testenv.Env, c *testenv.Client, orders, charges []string, endpoint string) string {
	c.T.Helper()
	e.RunJobs()
	raw := func(path string) string {
		r := c.Get(path)
		testenv.WantStatus(c.T, r, http.StatusOK)
		return r.String()
	}
	var b strings.Builder
	for _, id := range replayIDs(c, "/v1/disputes?") {
		fmt.Fprintf(&b, "\ndispute %s\n", raw("/v1/disputes/"+id))
		var entries []string
		for _, entry := range webhookRead[httpapi.List[httpapi.TimelineEntry]](c, "/v1/disputes/"+id+"/timeline").Data {
			entries = append(entries, entry.ID+":"+entry.Action)
		}
		fmt.Fprintf(&b, "timeline %s %v\n", id, entries)
		// Not paginated: the route takes no query (cmd/disputed asked with limit=100, was refused,
		// and read no emails).
		var emails []string
		for _, m := range webhookRead[httpapi.List[httpapi.Email]](c, "/v1/disputes/"+id+"/emails").Data {
			emails = append(emails, m.ID)
		}
		fmt.Fprintf(&b, "emails %s %v\n", id, emails)
	}
	for _, id := range orders {
		fmt.Fprintf(&b, "order %s\n", raw("/v1/orders/"+id))
	}
	for _, id := range charges {
		fmt.Fprintf(&b, "charge %s\n", raw("/v1/transactions/"+id))
	}
	for _, list := range []string{"/v1/events?", "/v1/jobs?", "/v1/webhook_endpoints/" + endpoint + "/deliveries?", "/v1/blocklist?"} {
		ids := replayIDs(c, list)
		fmt.Fprintf(&b, "%s %d %v\n", list, len(ids), ids)
	}
	return b.String()
}

// replayIDs are the ids of every object of a list, page after page (path ends with ? or &).
func replayIDs(c *testenv.Client, path string) []string {
	c.T.Helper()
	var ids []string
	cursor := ""
	for {
		page := webhookRead[httpapi.List[struct{ ID string }]](c, path+"limit=100&cursor="+url.QueryEscape(cursor))
		for _, o := range page.Data {
			ids = append(ids, o.ID)
		}
		if !page.HasMore {
			return ids
		}
		cursor = wireText(page.NextCursor)
	}
}

// replayDiff shows the lines of before and after that differ.
func replayDiff(before, after string) string {
	var b strings.Builder
	bl, al := strings.Split(before, "\n"), strings.Split(after, "\n")
	for i := range max(len(bl), len(al)) {
		var x, y string
		if i < len(bl) {
			x = bl[i]
		}
		if i < len(al) {
			y = al[i]
		}
		if x != y {
			fmt.Fprintf(&b, "- %s\n+ %s\n", x, y)
		}
	}
	return b.String()
}
