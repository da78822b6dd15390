package main

import (
	"sync"
	"testing"
)

// TestCurrencyExponents round-trips amounts in currencies with 3 (KWD), 0 (JPY) and 2 (USD)
// decimals through amount_decimal, on orders, transactions, refunds and disputes.
func TestCurrencyExponents(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		for _, c := range []struct {
			cur, in, out string
			minor        int64
			tooPrecise   string
			refund       string
			refundMinor  int64
		}{
			{"kwd", "12.345", "12.345", 12345, "1.2345", "0.005", 5},
			{"jpy", "1500", "1500", 1500, "1500.5", "7", 7},
			{"usd", "12.3", "12.30", 1230, "0.001", "0.07", 7},
			{"bhd", "0.5", "0.500", 500, "0.0001", "0.001", 1},
		} {
			t.Run(c.cur, func(t *testing.T) {
				s := s.on(t)
				cus := s.post("/v1/customers", map[string]any{"email": "m@example.com"})
				o := s.post("/v1/orders", map[string]any{"customer_id": cus.str("id"), "currency": c.cur,
					"items": []any{map[string]any{"description": "x", "amount_decimal": c.in}}})
				want(t, o, 201)
				if o.num("amount") != c.minor || o.str("amount_decimal") != c.out {
					t.Errorf("order: %d %q, want %d %q", o.num("amount"), o.str("amount_decimal"), c.minor, c.out)
				}
				want(t, s.post("/v1/orders/"+o.str("id")+"/complete", nil), 200)
				ch := s.post("/v1/transactions", map[string]any{"type": "charge", "amount_decimal": c.in, "currency": c.cur, "order_id": o.str("id")})
				want(t, ch, 201)
				if ch.num("amount") != c.minor || ch.str("amount_decimal") != c.out || ch.str("currency") != upper(c.cur) {
					t.Errorf("charge: %s", ch.raw)
				}
				got := s.get("/v1/transactions/" + ch.str("id"))
				if got.num("amount") != c.minor || got.str("amount_decimal") != c.out {
					t.Errorf("charge read back: %s", got.raw)
				}
				want(t, s.post("/v1/transactions", map[string]any{"type": "charge", "amount_decimal": c.tooPrecise, "currency": c.cur,
					"order_id": o.str("id")}), 422, "invalid_amount")
				r := s.post("/v1/transactions/"+ch.str("id")+"/refund", map[string]any{"amount_decimal": c.refund})
				want(t, r, 201)
				if r.num("amount") != c.refundMinor || r.str("currency") != upper(c.cur) {
					t.Errorf("refund: %s", r.raw)
				}
				after := s.get("/v1/transactions/" + ch.str("id"))
				if after.num("amount_refunded") != c.refundMinor || after.str("amount_refunded_decimal") == "" {
					t.Errorf("charge after the refund: %s", after.raw)
				}
				d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": ch.str("id"), "amount_decimal": c.in})
				want(t, d, 201)
				if d.num("amount") != c.minor || d.str("amount_decimal") != c.out || d.str("currency") != upper(c.cur) {
					t.Errorf("dispute: %s", d.raw)
				}
				if rd := s.get("/v1/disputes/" + d.str("id")); rd.str("amount_decimal") != c.out {
					t.Errorf("dispute read back: %s", rd.raw)
				}
				a := s.post("/v1/disputes", map[string]any{"type": "alert", "alert_type": "ethoca", "amount_decimal": c.tooPrecise, "currency": c.cur})
				want(t, a, 422, "invalid_amount")
			})
		}
		// A dispute's currency must be its charge's.
		_, _, usd := s.sale(1000, "usd")
		want(t, s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": usd, "amount": 100, "currency": "eur"}), 422, "currency_mismatch")
		want(t, s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": usd, "amount": 1001}), 422, "invalid_amount")
		want(t, s.post("/v1/transactions/"+usd+"/refund", map[string]any{"amount": 100, "currency": "eur"}), 422, "currency_mismatch")
	})
}

func upper(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// TestRefundLimits: refunds never exceed the charge, one at a time or all at once.
func TestRefundLimits(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		_, ord, charge := s.sale(1000, "usd")
		want(t, s.post("/v1/transactions/"+charge+"/refund", map[string]any{"amount": 0}), 422, "invalid_amount")
		want(t, s.post("/v1/transactions/"+charge+"/refund", map[string]any{"amount": 600}), 201)
		if st := s.get("/v1/orders/" + ord).str("status"); st != "partially_refunded" {
			t.Errorf("order %s after a partial refund", st)
		}
		want(t, s.post("/v1/transactions", map[string]any{"type": "refund", "parent_id": charge, "amount": 401}), 422, "amount_too_large")
		rest := s.post("/v1/transactions/"+charge+"/refund", nil) // no amount: all that is left
		want(t, rest, 201)
		if rest.num("amount") != 400 || rest.str("parent_id") != charge || rest.str("type") != "refund" || rest.str("order_id") != ord {
			t.Errorf("refund of the rest: %s", rest.raw)
		}
		if st := s.get("/v1/orders/" + ord).str("status"); st != "refunded" {
			t.Errorf("order %s after refunding everything", st)
		}
		want(t, s.post("/v1/transactions/"+charge+"/refund", map[string]any{"amount": 1}), 422, "amount_too_large")
		ch := s.get("/v1/transactions/" + charge)
		if ch.num("amount_refunded") != 1000 || len(ch.objs("refunds")) != 2 {
			t.Errorf("charge: %s", ch.raw)
		}
		if n := len(s.get("/v1/events?type=refund.created&order_id=" + ord).list()); n != 2 {
			t.Errorf("%d refund.created events, want 2", n)
		}
		// Only charges and captures are refundable.
		want(t, s.post("/v1/transactions/"+rest.str("id")+"/refund", map[string]any{"amount": 1}), 422)
		want(t, s.post("/v1/transactions/txn_nope/refund", map[string]any{"amount": 1}), 404, "not_found")
	})
}

// TestConcurrentRefunds sends 20 refunds of 100 on a charge of 1000 at once: exactly 10 succeed.
func TestConcurrentRefunds(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		_, ord, charge := s.sale(1000, "usd")
		const n = 20
		res := make([]response, n)
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range n {
			wg.Go(func() {
				<-start
				res[i], errs[i] = s.send("POST", "/v1/transactions/"+charge+"/refund", map[string]any{"amount": 100})
			})
		}
		close(start)
		wg.Wait()
		ok, tooLarge := 0, 0
		for i, r := range res {
			if errs[i] != nil {
				t.Fatal(errs[i])
			}
			switch {
			case r.status == 201:
				ok++
			case r.status == 422 && r.errCode() == "amount_too_large":
				tooLarge++
			default:
				t.Errorf("refund %d: %d %s", i, r.status, r.raw)
			}
		}
		if ok != 10 || tooLarge != 10 {
			t.Errorf("%d refunds succeeded and %d were too large, want 10 and 10", ok, tooLarge)
		}
		ch := s.get("/v1/transactions/" + charge)
		if ch.num("amount_refunded") != 1000 || len(ch.objs("refunds")) != 10 {
			t.Errorf("charge after concurrent refunds: amount_refunded %d, %d refunds", ch.num("amount_refunded"), len(ch.objs("refunds")))
		}
		if st := s.get("/v1/orders/" + ord).str("status"); st != "refunded" {
			t.Errorf("order %s", st)
		}
		if n := len(s.get("/v1/events?type=refund.created&order_id=" + ord).list()); n != 10 {
			t.Errorf("%d refund.created events, want 10", n)
		}
	})
}
