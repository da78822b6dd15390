package httpapi_test

import (
	"bytes"
	"fmt"
	"sync"
	"testing"
	"time"

	"disputed/internal/access"
	"disputed/internal/actor"
	"disputed/internal/httpapi"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// idempotentOrder is the body of a one-item order of the customer, for the repeats these tests send.
func idempotentOrder(customer string, amount int64) map[string]any {
	return map[string]any{"customer_id": customer, "currency": "USD", "items": []any{map[string]any{"description": "x", "amount": amount}}}
}

// idempotencyOrderCount is how many orders the API lists.
func idempotencyOrderCount(t *testing.T, c *testenv.Client) int {
	t.Helper()
	return len(testenv.Want[httpapi.List[httpapi.Order]](t, c.Get("/v1/orders?limit=100"), 200).Data)
}

// idempotencyKeyedAdmin is a client with a new admin API key, and the key's id, under which the
// server keeps the key's Idempotency-Keys.
func idempotencyKeyedAdmin(t *testing.T, e *testenv.Env, c *testenv.Client) (*testenv.Client, string) {
	t.Helper()
	secret, key, err := e.Access.CreateAPIKey(e.Ctx, actor.System, access.APIKeyParams{Role: string(actor.Admin), Name: "idempotency"})
	if err != nil {
		t.Fatal(err)
	}
	return c.As(secret), key.ID
}

// TestIdempotency checks that a repeated POST with the same Idempotency-Key and body answers the
// first response and creates nothing more; another body is refused; keys belong to one API key.
func TestIdempotency(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		sale := e.Sale(testenv.SaleParams{Amount: 1000})
		body := idempotentOrder(sale.Customer.ID, 700)
		start := idempotencyOrderCount(t, c)

		first := c.Post("/v1/orders", body, "Idempotency-Key", "order-1")
		firstOrder := testenv.Want[httpapi.Order](t, first, 201)
		if first.Header.Get("Idempotent-Replayed") != "" {
			t.Errorf("the first response is marked replayed")
		}
		again := c.Post("/v1/orders", body, "Idempotency-Key", "order-1")
		testenv.WantStatus(t, again, 201)
		if !bytes.Equal(first.Raw, again.Raw) {
			t.Errorf("the replay differs:\nfirst %s\nagain %s", first.Raw, again.Raw)
		}
		if again.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("Idempotent-Replayed %q, want true", again.Header.Get("Idempotent-Replayed"))
		}
		if n := idempotencyOrderCount(t, c); n != start+1 {
			t.Errorf("%d orders after a replay, want %d", n, start+1)
		}

		mismatch := c.Post("/v1/orders", idempotentOrder(sale.Customer.ID, 701), "Idempotency-Key", "order-1")
		testenv.WantError(t, mismatch, 422, "idempotency_mismatch")
		testenv.WantErrorShape(t, mismatch)
		if n := idempotencyOrderCount(t, c); n != start+1 {
			t.Errorf("%d orders after a mismatched key, want %d", n, start+1)
		}

		// The same key from another API key is another request.
		theirs := c.As(e.NewKey(actor.Agent, "")).Post("/v1/orders", body, "Idempotency-Key", "order-1")
		if o := testenv.Want[httpapi.Order](t, theirs, 201); o.ID == firstOrder.ID || theirs.Header.Get("Idempotent-Replayed") != "" {
			t.Errorf("another API key got the first key's response: %s", theirs.Raw)
		}
		if n := idempotencyOrderCount(t, c); n != start+2 {
			t.Errorf("%d orders, want %d", n, start+2)
		}

		// Without a key, each POST is a new request.
		testenv.WantStatus(t, c.Post("/v1/orders", body), 201)
		testenv.WantStatus(t, c.Post("/v1/orders", body), 201)
		if n := idempotencyOrderCount(t, c); n != start+4 {
			t.Errorf("%d orders, want %d", n, start+4)
		}

		// A refund repeated with its key refunds once; an error response is kept as well.
		refund := "/v1/transactions/" + sale.Charge.ID + "/refund"
		r1 := testenv.Want[httpapi.Transaction](t, c.Post(refund, map[string]any{"amount": 300}, "Idempotency-Key", "refund-1"), 201)
		r2 := testenv.Want[httpapi.Transaction](t, c.Post(refund, map[string]any{"amount": 300}, "Idempotency-Key", "refund-1"), 201)
		if r1.ID != r2.ID {
			t.Errorf("the repeated refund created %s and %s", r1.ID, r2.ID)
		}
		if got := testenv.Want[httpapi.Transaction](t, c.Get("/v1/transactions/"+sale.Charge.ID), 200).AmountRefunded; got != 300 {
			t.Errorf("amount_refunded %d after a repeated refund, want 300", got)
		}
		e1 := c.Post(refund, map[string]any{"amount": 5000}, "Idempotency-Key", "refund-2")
		testenv.WantError(t, e1, 422, "amount_too_large")
		e2 := c.Post(refund, map[string]any{"amount": 5000}, "Idempotency-Key", "refund-2")
		testenv.WantError(t, e2, 422, "amount_too_large")
		if !bytes.Equal(e1.Raw, e2.Raw) || e2.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("the repeated refused request was not replayed: %s %v", e2.Raw, e2.Header)
		}
	})
}

// TestIdempotencyDisputes repeats a dispute creation with its key: one dispute, the same answer.
func TestIdempotencyDisputes(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		body := map[string]any{"type": "alert", "alert_type": "ethoca", "amount": 2500, "currency": "usd", "arn": "74000000000000000000001"}
		a := testenv.Want[httpapi.Dispute](t, c.Post("/v1/disputes", body, "Idempotency-Key", "alert-evt-1"), 201)
		b := testenv.Want[httpapi.Dispute](t, c.Post("/v1/disputes", body, "Idempotency-Key", "alert-evt-1"), 201)
		if a.ID != b.ID {
			t.Errorf("two disputes from one key: %s %s", a.ID, b.ID)
		}
		if n := len(testenv.Want[httpapi.List[httpapi.Dispute]](t, c.Get("/v1/disputes"), 200).Data); n != 1 {
			t.Errorf("%d disputes, want 1", n)
		}
		if n := len(testenv.Want[httpapi.List[httpapi.Event]](t, c.Get("/v1/events?type=alert.created"), 200).Data); n != 1 {
			t.Errorf("%d alert.created events, want 1", n)
		}
	})
}

// TestIdempotencyConcurrent sends the same keyed request 10 times at once: exactly one order is
// created; every other answer is the same order replayed or 409 while the first still runs.
func TestIdempotencyConcurrent(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		sale := e.Sale(testenv.SaleParams{Amount: 100})
		before := idempotencyOrderCount(t, c)
		body := idempotentOrder(sale.Customer.ID, 1)
		const n = 10
		var wg sync.WaitGroup
		res := make([]testenv.Response, n)
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() { res[i], errs[i] = c.Send("POST", "/v1/orders", body, "Idempotency-Key", "concurrent") })
		}
		wg.Wait()
		created := map[string]bool{}
		for i, r := range res {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			switch {
			case r.Status == 201:
				created[testenv.Decode[httpapi.Order](t, r).ID] = true
			case r.Status == 409 && testenv.Decode[httpapi.ErrorBody](t, r).Error.Code == "idempotency_in_progress":
			default:
				t.Errorf("answer %d: %d %s", i, r.Status, r.Raw)
			}
		}
		if len(created) != 1 {
			t.Errorf("answers name %d orders, want 1: %v", len(created), created)
		}
		if after := idempotencyOrderCount(t, c); after != before+1 {
			t.Errorf("%d orders created, want 1", after-before)
		}
	})
}

// TestIdempotencyKeyTooLong checks the key's documented length limit.
func TestIdempotencyKeyTooLong(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		sale := e.Sale(testenv.SaleParams{Amount: 100})
		r := c.Post("/v1/orders", idempotentOrder(sale.Customer.ID, 1), "Idempotency-Key", fmt.Sprintf("%0256d", 0))
		testenv.WantStatus(t, r, 400)
		testenv.WantErrorShape(t, r)
		if n := idempotencyOrderCount(t, c); n != 1 {
			t.Errorf("%d orders, want 1", n)
		}
	})
}

// TestIdempotencyAfterCrash repeats requests whose first run died, as a crash leaves them (the
// claim stored, no answer): one that had changed nothing is run again once its claim is
// abandoned, and not before; one whose change had committed is never run again.
func TestIdempotencyAfterCrash(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		keyed, keyID := idempotencyKeyedAdmin(t, e, c)
		sale := e.Sale(testenv.SaleParams{Amount: 100})
		body := idempotentOrder(sale.Customer.ID, 1)
		ctx, st := e.Ctx, e.Store
		// A dead run's claim holds the hash the repeat computes: the hash of the same request
		// made once with another Idempotency-Key.
		testenv.WantStatus(t, keyed.Post("/v1/orders", body, "Idempotency-Key", "probe"), 201)
		rec := testenv.Must(st.GetIdempotency(ctx, keyID, "probe"))(t)
		dead := func(k string, claimedAgo time.Duration, committed bool) {
			t.Helper()
			r := store.Idempotency{KeyID: keyID, Key: k, RequestHash: rec.RequestHash, CreatedAt: e.Clock.Now().Add(-claimedAgo), Claim: "dead-run"}
			if err := st.Tx(ctx, func(tx store.Tx) error { return tx.InsertIdempotency(ctx, r) }); err != nil {
				t.Fatal(err)
			}
			if committed { // the dead run's change committed: mark it as its transaction did
				cctx := store.WithClaim(ctx, &store.ClaimedRequest{KeyID: keyID, Key: k, Claim: "dead-run"})
				if err := st.Tx(cctx, func(store.Tx) error { return nil }); err != nil {
					t.Fatal(err)
				}
			}
		}
		start := idempotencyOrderCount(t, c)

		// Died before committing, 11 minutes ago: the repeat runs, once.
		dead("died-early", 11*time.Minute, false)
		first := testenv.Want[httpapi.Order](t, keyed.Post("/v1/orders", body, "Idempotency-Key", "died-early"), 201)
		again := keyed.Post("/v1/orders", body, "Idempotency-Key", "died-early")
		if testenv.Want[httpapi.Order](t, again, 201).ID != first.ID || again.Header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("the repeat after the take-over was not a replay: %s", again.Raw)
		}
		if n := idempotencyOrderCount(t, c); n != start+1 {
			t.Errorf("%d orders made by the repeats of an abandoned claim, want 1", n-start)
		}

		// Died a minute ago: it may still be running, so the repeat waits.
		dead("died-recently", time.Minute, false)
		testenv.WantError(t, keyed.Post("/v1/orders", body, "Idempotency-Key", "died-recently"), 409, "idempotency_in_progress")

		// Died after its change committed: never run again; while the first run may still be
		// storing its answer, the repeat waits, and then learns that the answer is lost.
		dead("committed-recently", time.Minute, true)
		testenv.WantError(t, keyed.Post("/v1/orders", body, "Idempotency-Key", "committed-recently"), 409, "idempotency_in_progress")
		dead("died-late", time.Hour, true)
		late := keyed.Post("/v1/orders", body, "Idempotency-Key", "died-late")
		testenv.WantError(t, late, 409, "idempotency_outcome_unknown")
		testenv.WantErrorShape(t, late)
		if n := idempotencyOrderCount(t, c); n != start+1 {
			t.Errorf("%d orders after the repeats, want 1", n-start)
		}
	})
}
