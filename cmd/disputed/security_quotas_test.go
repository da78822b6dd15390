package main

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/store"
)

// unchargedSale is a completed order of amount in cur with no charge recorded; it returns the
// customer and the order.
func (s *server) unchargedSale(amount int64, cur string) (string, string) {
	s.t.Helper()
	c := s.post("/v1/customers", map[string]any{"email": "ada@example.com", "name": "Ada"})
	want(s.t, c, 201)
	o := s.post("/v1/orders", map[string]any{"customer_id": c.str("id"), "currency": cur,
		"items": []any{map[string]any{"description": "IPTV 12 months", "amount": amount, "quantity": 1}}})
	want(s.t, o, 201)
	want(s.t, s.post("/v1/orders/"+o.str("id")+"/complete", nil), 200)
	return c.str("id"), o.str("id")
}

// TestSecurityDisputeAmountCapped: a buyer opened a marketplace dispute for
// 4,611,686,018,427,387,904 USD on a 15.00 order. No path may set a dispute's amount above what
// it disputes: the charge, or the order's total when no charge is recorded.
func TestSecurityDisputeAmountCapped(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		customer, ord := s.unchargedSale(1500, "USD")
		buyer := s.as(s.newKey(actor.Buyer, customer))
		r := buyer.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": ord, "amount": int64(4611686018427387904)})
		want(t, r, 422, "invalid_amount")
		if r.str("error", "param") != "amount" {
			t.Errorf("the refusal names %q, want amount: %s", r.str("error", "param"), r.raw)
		}
		want(t, s.post("/v1/disputes", map[string]any{"type": "manual", "order_id": ord, "reason": "letter", "amount_decimal": "15.01"}), 422, "invalid_amount")
		if l := s.get("/v1/disputes?order_id=" + ord); len(l.list()) != 0 {
			t.Fatalf("a refused dispute was stored: %s", l.raw)
		}
		d := buyer.post("/v1/disputes", map[string]any{"type": "marketplace", "order_id": ord})
		want(t, d, 201)
		if d.num("amount") != 1500 {
			t.Errorf("a marketplace dispute without an amount is for %d, want the order's 1500", d.num("amount"))
		}
		_, _, charge := s.sale(1295, "USD")
		want(t, s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge, "amount": 1296}), 422, "invalid_amount")
	})
}

// TestSecuritySumsOverflowSafe: two disputes of 4,611,686,018,427,387,904 USD (written straight
// into the database, as an older version let them in) overflowed the dashboard's sum and every
// admin got 500 on /. Every page and list must still answer, the sum marked as over.
func TestSecuritySumsOverflowSafe(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Millisecond)
		err := s.main.store.Tx(ctx, func(tx store.Tx) error {
			for _, id := range []string{"dsp_huge1", "dsp_huge2"} {
				d := dispute.Dispute{ID: id, Type: dispute.Chargeback, Status: dispute.NeedsResponse, Stage: dispute.StageChargeback,
					Reason: "fraudulent", Amount: 1 << 62, Currency: "USD", HappenedAt: now, DueBy: now.Add(time.Hour),
					Evidence: map[string]string{}, Metadata: map[string]string{}, Revision: 1, CreatedAt: now, UpdatedAt: now}
				if err := tx.InsertDispute(ctx, d); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		f := s.adminForms(t, actor.Admin)
		status, body, _ := f.get("/")
		if status != 200 || !strings.Contains(body, "over 92233720368547758.07 USD") {
			t.Fatalf("the dashboard: %d, without the amount at risk marked over: %.2000s", status, body)
		}
		for _, path := range []string{"/disputes", "/disputes?sort=amount", "/disputes/dsp_huge1"} {
			if status, body, _ := f.get(path); status != 200 {
				t.Errorf("%s: %d %.300s", path, status, body)
			}
		}
		for _, path := range []string{"/v1/disputes", "/v1/disputes?status=needs_response", "/v1/disputes/dsp_huge2"} {
			want(t, s.get(path), 200)
		}
	})
}

// TestSecurityStringFiltersBounded: q of 50,000 characters answered 500. Every string query
// parameter of every GET route of the API, read from its OpenAPI document, is bounded: such a
// value is 422 invalid_value naming the parameter, and every filter of the UI's pages answers
// its page, never a 500.
func TestSecurityStringFiltersBounded(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 50000)
	eachStore(t, func(t *testing.T, s *server) {
		var doc struct {
			Paths map[string]map[string]struct {
				Parameters []struct {
					Name, In string
					Schema   struct{ Type string }
				}
			}
		}
		if err := json.Unmarshal(s.get("/openapi.json").raw, &doc); err != nil {
			t.Fatal(err)
		}
		walked := 0
		for path, ops := range doc.Paths {
			get, ok := ops["get"]
			if !ok {
				continue
			}
			for _, p := range get.Parameters {
				if p.In != "query" || p.Schema.Type != "string" {
					continue
				}
				walked++
				target := strings.NewReplacer("{id}", "x", "{name}", "x").Replace(path) + "?" + url.Values{p.Name: {long}}.Encode()
				r := s.get(target)
				if r.status != 422 || r.errCode() != "invalid_value" || r.str("error", "param") != p.Name {
					t.Errorf("GET %s with %s of 50,000 characters: %d %.300s; want 422 invalid_value naming %s", path, p.Name, r.status, r.raw, p.Name)
				}
			}
		}
		if walked < 15 {
			t.Fatalf("only %d string query parameters in the OpenAPI document", walked)
		}
		f := s.adminForms(t, actor.Admin)
		for _, page := range []struct {
			path   string
			params []string
		}{
			{"/disputes", []string{"q", "status", "type", "provider", "tag", "due", "due_before", "sort", "page"}},
			{"/jobs", []string{"kind", "state", "page"}},
			{"/orders/find", []string{"id"}},
		} {
			for _, name := range page.params {
				status, body, _ := f.get(page.path + "?" + url.Values{name: {long}}.Encode())
				if status >= 500 || status == 200 && strings.Contains(body, long) {
					t.Errorf("GET %s with %s of 50,000 characters: %d %.300s", page.path, name, status, body)
				}
			}
		}
	})
}
