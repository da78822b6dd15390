package main

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"disputed/internal/access"
	"disputed/internal/actor"
	"disputed/internal/store"
)

// TestIdempotency checks that a repeated POST with the same Idempotency-Key and body answers the
// first response and creates nothing more; another body is refused; keys belong to one API key.
func TestIdempotency(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		cus, _, charge := s.sale(1000, "usd")
		body := map[string]any{"customer_id": cus, "currency": "USD", "items": []any{map[string]any{"description": "x", "amount": 700}}}
		orders := func() int { return len(s.get("/v1/orders?limit=100").list()) }
		start := orders()

		first := s.post("/v1/orders", body, "Idempotency-Key", "order-1")
		want(t, first, 201)
		if first.header.Get("Idempotent-Replayed") != "" {
			t.Errorf("the first response is marked replayed")
		}
		again := s.post("/v1/orders", body, "Idempotency-Key", "order-1")
		want(t, again, 201)
		if !bytes.Equal(first.raw, again.raw) {
			t.Errorf("the replay differs:\nfirst %s\nagain %s", first.raw, again.raw)
		}
		if again.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("Idempotent-Replayed %q, want true", again.header.Get("Idempotent-Replayed"))
		}
		if n := orders(); n != start+1 {
			t.Errorf("%d orders after a replay, want %d", n, start+1)
		}

		other := map[string]any{"customer_id": cus, "currency": "USD", "items": []any{map[string]any{"description": "x", "amount": 701}}}
		mismatch := s.post("/v1/orders", other, "Idempotency-Key", "order-1")
		want(t, mismatch, 422, "idempotency_mismatch")
		wantErrorBody(t, mismatch)
		if n := orders(); n != start+1 {
			t.Errorf("%d orders after a mismatched key, want %d", n, start+1)
		}

		// The same key from another API key is another request.
		agent := s.as(s.newKey(actor.Agent, ""))
		theirs := agent.post("/v1/orders", body, "Idempotency-Key", "order-1")
		want(t, theirs, 201)
		if theirs.str("id") == first.str("id") || theirs.header.Get("Idempotent-Replayed") != "" {
			t.Errorf("another API key got the first key's response: %s", theirs.raw)
		}
		if n := orders(); n != start+2 {
			t.Errorf("%d orders, want %d", n, start+2)
		}

		// Without a key, each POST is a new request.
		want(t, s.post("/v1/orders", body), 201)
		want(t, s.post("/v1/orders", body), 201)
		if n := orders(); n != start+4 {
			t.Errorf("%d orders, want %d", n, start+4)
		}

		// A refund repeated with its key refunds once; an error response is kept as well.
		r1 := s.post("/v1/transactions/"+charge+"/refund", map[string]any{"amount": 300}, "Idempotency-Key", "refund-1")
		want(t, r1, 201)
		r2 := s.post("/v1/transactions/"+charge+"/refund", map[string]any{"amount": 300}, "Idempotency-Key", "refund-1")
		want(t, r2, 201)
		if r1.str("id") != r2.str("id") {
			t.Errorf("the repeated refund created %s and %s", r1.str("id"), r2.str("id"))
		}
		if got := s.get("/v1/transactions/" + charge).num("amount_refunded"); got != 300 {
			t.Errorf("amount_refunded %d after a repeated refund, want 300", got)
		}
		e1 := s.post("/v1/transactions/"+charge+"/refund", map[string]any{"amount": 5000}, "Idempotency-Key", "refund-2")
		want(t, e1, 422, "amount_too_large")
		e2 := s.post("/v1/transactions/"+charge+"/refund", map[string]any{"amount": 5000}, "Idempotency-Key", "refund-2")
		want(t, e2, 422, "amount_too_large")
		if !bytes.Equal(e1.raw, e2.raw) || e2.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("the repeated refused request was not replayed: %s %v", e2.raw, e2.header)
		}
	})
}

// TestIdempotencyDisputes repeats a dispute creation with its key: one dispute, the same answer.
func TestIdempotencyDisputes(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		body := map[string]any{"type": "alert", "alert_type": "ethoca", "amount": 2500, "currency": "usd", "arn": "74000000000000000000001"}
		a := s.post("/v1/disputes", body, "Idempotency-Key", "alert-evt-1")
		b := s.post("/v1/disputes", body, "Idempotency-Key", "alert-evt-1")
		want(t, a, 201)
		want(t, b, 201)
		if a.str("id") != b.str("id") {
			t.Errorf("two disputes from one key: %s %s", a.str("id"), b.str("id"))
		}
		if n := len(s.get("/v1/disputes").list()); n != 1 {
			t.Errorf("%d disputes, want 1", n)
		}
		if n := len(s.get("/v1/events?type=alert.created").list()); n != 1 {
			t.Errorf("%d alert.created events, want 1", n)
		}
	})
}

// TestIdempotencyConcurrent sends the same keyed request 10 times at once: exactly one order is
// created; every other answer is the same order replayed or 409 while the first still runs.
func TestIdempotencyConcurrent(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		cus, _, _ := s.sale(100, "usd")
		before := len(s.get("/v1/orders").list())
		body := map[string]any{"customer_id": cus, "currency": "USD", "items": []any{map[string]any{"description": "x", "amount": 1}}}
		const n = 10
		var wg sync.WaitGroup
		res := make([]response, n)
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() { res[i], errs[i] = s.send("POST", "/v1/orders", body, "Idempotency-Key", "concurrent") })
		}
		wg.Wait()
		created := map[string]bool{}
		for i, r := range res {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			switch {
			case r.status == 201:
				created[r.str("id")] = true
			case r.status == 409 && r.errCode() == "idempotency_in_progress":
			default:
				t.Errorf("answer %d: %d %s", i, r.status, r.raw)
			}
		}
		if len(created) != 1 {
			t.Errorf("answers name %d orders, want 1: %v", len(created), created)
		}
		if after := len(s.get("/v1/orders").list()); after != before+1 {
			t.Errorf("%d orders created, want 1", after-before)
		}
	})
}

// TestIdempotencyKeyTooLong checks the key's documented length limit.
func TestIdempotencyKeyTooLong(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	cus, _, _ := s.sale(100, "usd")
	long := fmt.Sprintf("%0256d", 0)
	r := s.post("/v1/orders", map[string]any{"customer_id": cus, "currency": "USD", "items": []any{map[string]any{"description": "x", "amount": 1}}},
		"Idempotency-Key", long)
	want(t, r, 400)
	wantErrorBody(t, r)
	if n := len(s.get("/v1/orders").list()); n != 1 {
		t.Errorf("%d orders, want 1", n)
	}
}

// TestIdempotencyAfterCrash repeats requests whose first run died, as a crash leaves them (the
// claim stored, no answer): one that had changed nothing is run again once its claim is
// abandoned, and not before; one whose change had committed is never run again.
func TestIdempotencyAfterCrash(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		ctx := context.Background()
		secret, key, err := s.main.server.Access.CreateAPIKey(ctx, actor.System, access.APIKeyParams{Role: string(actor.Admin), Name: "crash"})
		if err != nil {
			t.Fatal(err)
		}
		c := s.as(secret)
		cus, _, _ := s.sale(100, "usd")
		body := map[string]any{"customer_id": cus, "currency": "USD", "items": []any{map[string]any{"description": "x", "amount": 1}}}
		orders := func() int { return len(s.get("/v1/orders?limit=100").list()) }
		st := s.main.store
		// A dead run's claim holds the hash the repeat computes: the hash of the same request
		// made once with another Idempotency-Key.
		probe := c.post("/v1/orders", body, "Idempotency-Key", "probe")
		want(t, probe, 201)
		rec, err := st.GetIdempotency(ctx, key.ID, "probe")
		if err != nil {
			t.Fatal(err)
		}
		dead := func(k string, claimedAgo time.Duration, committed bool) {
			t.Helper()
			r := store.Idempotency{KeyID: key.ID, Key: k, RequestHash: rec.RequestHash, CreatedAt: time.Now().Add(-claimedAgo), Claim: "dead-run"}
			if err := st.Tx(ctx, func(tx store.Tx) error { return tx.InsertIdempotency(ctx, r) }); err != nil {
				t.Fatal(err)
			}
			if committed { // the dead run's change committed: mark it as its transaction did
				cctx := store.WithClaim(ctx, &store.ClaimedRequest{KeyID: key.ID, Key: k, Claim: "dead-run"})
				if err := st.Tx(cctx, func(store.Tx) error { return nil }); err != nil {
					t.Fatal(err)
				}
			}
		}
		start := orders()

		// Died before committing, 11 minutes ago: the repeat runs, once.
		dead("died-early", 11*time.Minute, false)
		first := c.post("/v1/orders", body, "Idempotency-Key", "died-early")
		want(t, first, 201)
		again := c.post("/v1/orders", body, "Idempotency-Key", "died-early")
		want(t, again, 201)
		if again.header.Get("Idempotent-Replayed") != "true" || again.str("id") != first.str("id") {
			t.Errorf("the repeat after the take-over was not a replay: %s", again.raw)
		}
		if n := orders(); n != start+1 {
			t.Errorf("%d orders made by the repeats of an abandoned claim, want 1", n-start)
		}

		// Died a minute ago: it may still be running, so the repeat waits.
		dead("died-recently", time.Minute, false)
		want(t, c.post("/v1/orders", body, "Idempotency-Key", "died-recently"), 409, "idempotency_in_progress")

		// Died after its change committed: never run again; while the first run may still be
		// storing its answer, the repeat waits, and then learns that the answer is lost.
		dead("committed-recently", time.Minute, true)
		want(t, c.post("/v1/orders", body, "Idempotency-Key", "committed-recently"), 409, "idempotency_in_progress")
		dead("died-late", time.Hour, true)
		late := c.post("/v1/orders", body, "Idempotency-Key", "died-late")
		want(t, late, 409, "idempotency_outcome_unknown")
		wantErrorBody(t, late)
		if n := orders(); n != start+1 {
			t.Errorf("%d orders after the repeats, want 1", n-start)
		}
	})
}

// TestSecurityIdempotentSecretShownOnce: an answer that shows a secret once (a new API key, a new
// webhook endpoint, a rotated endpoint secret) is kept for its Idempotency-Key without the
// secret: the database holds none of them, and a repeat answers the same object without it.
func TestSecurityIdempotentSecretShownOnce(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		ep := s.post("/v1/webhook_endpoints", map[string]any{"url": "https://hooks.example/x", "events": []string{"*"}})
		want(t, ep, 201)
		for _, call := range []struct {
			path   string
			body   map[string]any
			status int
		}{
			{"/v1/api_keys", map[string]any{"role": "agent", "name": "ERP"}, 201},
			{"/v1/webhook_endpoints", map[string]any{"url": "https://erp.example/hooks", "events": []string{"*"}}, 201},
			{"/v1/webhook_endpoints/" + ep.str("id") + "/rotate_secret", map[string]any{}, 200},
		} {
			first := s.post(call.path, call.body, "Idempotency-Key", "secret-"+call.path)
			want(t, first, call.status)
			secret := first.str("secret")
			if len(secret) < 16 {
				t.Fatalf("%s: no secret in the first answer: %s", call.path, first.raw)
			}
			again := s.post(call.path, call.body, "Idempotency-Key", "secret-"+call.path)
			want(t, again, call.status)
			if again.header.Get("Idempotent-Replayed") != "true" || again.get("secret") != nil || again.str("id") != first.str("id") {
				t.Errorf("%s: the repeat answered %s %s, want the first object without its secret", call.path, again.header.Get("Idempotent-Replayed"), again.raw)
			}
			delete(first.body, "secret")
			if fmt.Sprint(first.body) != fmt.Sprint(again.body) {
				t.Errorf("%s: the repeat differs beyond the secret:\nfirst %v\nagain %v", call.path, first.body, again.body)
			}
			noneStored(t, s.main.Config.DB, secret)
		}
	})
}
