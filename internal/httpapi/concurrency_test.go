package httpapi_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"disputed/internal/hmacsig"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// concurrentUpdates counts a dispute's "updated" timeline entries and dispute.updated events.
func concurrentUpdates(t *testing.T, c *testenv.Client, id string) (entries, events int) {
	t.Helper()
	for _, e := range testenv.Want[httpapi.List[httpapi.TimelineEntry]](t, c.Get("/v1/disputes/"+id+"/timeline"), 200).Data {
		if e.Action == "updated" {
			entries++
		}
	}
	for _, e := range testenv.Want[httpapi.List[httpapi.Event]](t, c.Get("/v1/events?limit=100&dispute_id="+id), 200).Data {
		if e.Type == "dispute.updated" {
			events++
		}
	}
	return entries, events
}

// TestConcurrentSameRevision sends 100 updates at once, all holding the same revision: exactly
// one wins, the other 99 are told their revision is stale, and the dispute shows the winner's
// change alone: the revision moved by one, one timeline entry, one dispute.updated event.
func TestConcurrentSameRevision(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		d := e.Dispute(e.Sale(testenv.SaleParams{Amount: 1000}), "chargeback")
		id, start := d.ID, d.Revision
		const n = 100
		res := make([]testenv.Response, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		gate := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-gate
				res[i], errs[i] = c.Send("POST", "/v1/disputes/"+id, map[string]any{"revision": start, "tags": []string{fmt.Sprint("writer-", i)}})
			})
		}
		close(gate)
		wg.Wait()
		ok, conflict := 0, 0
		winner := ""
		for i, r := range res {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			switch {
			case r.Status == 200:
				ok++
				winner = fmt.Sprint("writer-", i)
				if rev := testenv.Decode[httpapi.Dispute](t, r).Revision; rev != start+1 {
					t.Errorf("the winner got revision %d, want %d", rev, start+1)
				}
			case r.Status == 409 && testenv.Decode[httpapi.ErrorBody](t, r).Error.Code == "revision_conflict":
				conflict++
			default:
				t.Errorf("update %d: %d %s", i, r.Status, r.Raw)
			}
		}
		if ok != 1 || conflict != n-1 {
			t.Errorf("%d accepted, %d revision_conflict; want 1 and %d", ok, conflict, n-1)
		}
		final := testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/"+id), 200)
		if final.Revision != start+1 {
			t.Errorf("final revision %d, want %d", final.Revision, start+1)
		}
		if !slices.Equal(final.Tags, []string{winner}) {
			t.Errorf("final tags %v, want the winner's [%s]", final.Tags, winner)
		}
		entries, events := concurrentUpdates(t, c, id)
		if events != 1 {
			t.Errorf("%d dispute.updated events, want 1", events)
		}
		if entries != 1 {
			t.Errorf("%d updated timeline entries, want the winner's alone", entries)
		}
	})
}

// TestConcurrentRetries sends 50 updates at once, each retrying on a conflict with a fresh read:
// all 50 get in, one revision each.
func TestConcurrentRetries(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		d := e.Dispute(e.Sale(testenv.SaleParams{Amount: 1000}), "chargeback")
		id, start := d.ID, d.Revision
		const n = 50
		revs := make([]int64, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() { revs[i], errs[i] = concurrentRetryingUpdate(c, id, fmt.Sprint("k", i)) })
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Error(err)
			}
		}
		final := testenv.Want[httpapi.Dispute](t, c.Get("/v1/disputes/"+id), 200)
		if final.Revision != start+n {
			t.Errorf("final revision %d, want %d", final.Revision, start+n)
		}
		if len(final.Metadata) != n {
			t.Errorf("%d metadata keys, want %d: every accepted change must be kept", len(final.Metadata), n)
		}
		slices.Sort(revs)
		for i, r := range revs {
			if r != start+1+int64(i) {
				t.Fatalf("accepted revisions %v, want each of %d..%d once", revs, start+1, start+n)
			}
		}
		if entries, _ := concurrentUpdates(t, c, id); entries != n {
			t.Errorf("%d updated timeline entries, want %d", entries, n)
		}
	})
}

// concurrentRetryingUpdate sets the metadata key on the dispute, reading it afresh and trying
// again on every revision conflict, and returns the revision its change got.
func concurrentRetryingUpdate(c *testenv.Client, id, key string) (int64, error) {
	for range 1000 {
		cur, err := c.Send("GET", "/v1/disputes/"+id, nil)
		if err != nil || cur.Status != 200 {
			return 0, fmt.Errorf("read: %v %s", err, cur.Raw)
		}
		var d httpapi.Dispute
		if err := json.Unmarshal(cur.Raw, &d); err != nil {
			return 0, err
		}
		r, err := c.Send("POST", "/v1/disputes/"+id, map[string]any{"revision": d.Revision, "metadata": map[string]string{key: "v"}})
		if err != nil {
			return 0, err
		}
		var answer struct {
			httpapi.Dispute
			Error httpapi.ErrorDetail `json:"error"`
		}
		if err := json.Unmarshal(r.Raw, &answer); err != nil {
			return 0, fmt.Errorf("update: %d %s", r.Status, r.Raw)
		}
		switch {
		case r.Status == 200:
			if answer.Revision != d.Revision+1 {
				return 0, fmt.Errorf("revision %d after %d", answer.Revision, d.Revision)
			}
			return answer.Revision, nil
		case r.Status == 409 && answer.Error.Code == "revision_conflict":
			continue
		default:
			return 0, fmt.Errorf("update: %d %s", r.Status, r.Raw)
		}
	}
	return 0, fmt.Errorf("writer %s never got in", key)
}

// TestConcurrentDisputeOpen opens 10 disputes on one order at once: one is opened, the others
// find it.
func TestConcurrentDisputeOpen(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		sale := e.Sale(testenv.SaleParams{Amount: 1000})
		const n = 10
		res := make([]testenv.Response, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				res[i], errs[i] = c.Send("POST", "/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": sale.Charge.ID})
			})
		}
		wg.Wait()
		ok := 0
		for i, r := range res {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			switch {
			case r.Status == 201:
				ok++
			case r.Status == 409 && testenv.Decode[httpapi.ErrorBody](t, r).Error.Code == "dispute_exists":
			default:
				t.Errorf("open %d: %d %s", i, r.Status, r.Raw)
			}
		}
		if ok != 1 {
			t.Errorf("%d disputes opened, want 1", ok)
		}
		if got := testenv.Want[httpapi.List[httpapi.Dispute]](t, c.Get("/v1/disputes?order_id="+sale.Order.ID), 200).Data; len(got) != 1 {
			t.Errorf("order has disputes %v, want one", got)
		}
	})
}

// concurrentStripeCases are the Stripe notifications of cases on fresh sales, each case's events
// a second apart in the order Stripe created them: per sale, a chargeback whose funds are
// withdrawn, answered and lost (one dispute), then on another sale an early fraud warning
// followed by the chargeback (two: the alert and the chargeback).
func concurrentStripeCases(e *testenv.Env, pairs int) [][]byte {
	e.T.Helper()
	at := e.Clock.Now()
	var out [][]byte
	add := func(ev map[string]any) {
		at = at.Add(time.Second)
		ev["created"] = at.Unix()
		out = append(out, testenv.Must(json.Marshal(ev))(e.T))
	}
	dispute := func(dp, typ, status, charge string) {
		ev := testenv.StripeEvent(fmt.Sprintf("evt_%s_%d", dp, len(out)), typ, status, dp, charge, at.Add(time.Second))
		ev["data"].(map[string]any)["object"].(map[string]any)["payment_intent"] = "pi_" + dp
		add(ev)
	}
	for i := range pairs {
		lost := "ch_" + e.Sale(testenv.SaleParams{Amount: 4999}).Order.ID
		dp := fmt.Sprintf("dp_lost%d", i)
		dispute(dp, "charge.dispute.created", "needs_response", lost)
		dispute(dp, "charge.dispute.funds_withdrawn", "needs_response", lost)
		dispute(dp, "charge.dispute.updated", "under_review", lost)
		dispute(dp, "charge.dispute.closed", "lost", lost)

		warned := "ch_" + e.Sale(testenv.SaleParams{Amount: 4999}).Order.ID
		issfr := fmt.Sprintf("issfr_%d", i)
		add(map[string]any{"id": "evt_" + issfr, "object": "event", "api_version": "2024-06-20", "type": "radar.early_fraud_warning.created",
			"livemode": false, "pending_webhooks": 1, "request": map[string]any{"id": nil, "idempotency_key": nil},
			"data": map[string]any{"object": map[string]any{"id": issfr, "object": "radar.early_fraud_warning", "actionable": true,
				"charge": warned, "created": at.Unix(), "fraud_type": "made_with_stolen_card", "livemode": false,
				"payment_intent": "pi_" + issfr}}})
		dp = fmt.Sprintf("dp_warned%d", i)
		dispute(dp, "charge.dispute.created", "needs_response", warned)
		dispute(dp, "charge.dispute.updated", "under_review", warned)
	}
	return out
}

// TestConcurrentProviderEvents delivers the events of several provider cases all at once (a
// provider's retries and its next events overlap): each event is acknowledged at its first
// delivery, on PostgreSQL too, where two transactions can read the same dispute before either
// writes. A race inside the server is its own to retry, not a 409 for a provider that sent no
// revision.
func TestConcurrentProviderEvents(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		e.StripeProvider("", "")
		events := concurrentStripeCases(e, 8)
		res := make([]testenv.Response, len(events))
		errs := make([]error, len(events))
		var wg sync.WaitGroup
		gate := make(chan struct{})
		stripe := c.As("") // provider webhooks carry no API key
		for i, body := range events {
			wg.Go(func() {
				<-gate
				res[i], errs[i] = stripe.Send("POST", "/v1/providers/stripe/webhook", body,
					"Stripe-Signature", hmacsig.Sign(testenv.StripeSecret, e.Clock.Now(), body))
			})
		}
		close(gate)
		wg.Wait()
		for i, r := range res {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			if r.Status != 200 {
				t.Errorf("event %d: %d %s", i, r.Status, r.Raw)
			}
		}
		if n := len(testenv.Want[httpapi.List[httpapi.Dispute]](t, c.Get("/v1/disputes?limit=100"), 200).Data); n != 24 {
			t.Errorf("%d disputes, want 24: one per case", n)
		}
	})
}
