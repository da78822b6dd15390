package main

import (
	"net/url"
	"testing"
	"time"

	"disputed/internal/actor"
)

// TestListCustomers checks GET /v1/customers: its filters, its pages, and that a buyer's key
// lists only its own customer and a vendor's none, as when they ask for one by id.
func TestListCustomers(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		before := time.Now().UTC().Add(-time.Second)
		ada := s.post("/v1/customers", map[string]any{"email": "ada@example.com", "name": "Ada", "external_id": "crm-1"})
		want(t, ada, 201)
		bob := s.post("/v1/customers", map[string]any{"email": "bob@example.com", "name": "Bob", "external_id": "crm-2"})
		want(t, bob, 201)
		ada2 := s.post("/v1/customers", map[string]any{"email": "ada@example.com", "name": "Ada again"})
		want(t, ada2, 201)
		A, B, A2 := ada.str("id"), bob.str("id"), ada2.str("id")

		all := s.get("/v1/customers")
		want(t, all, 200)
		if got := all.ids(); len(got) != 3 || got[0] != A2 || got[2] != A {
			t.Errorf("customers newest first = %v, want [%s %s %s]", got, A2, B, A)
		}
		if all.list()[0]["email"] != "ada@example.com" || all.list()[0]["name"] != "Ada again" {
			t.Errorf("a listed customer: %v", all.list()[0])
		}
		sameSet(t, "email", s.get("/v1/customers?email=ada%40example.com"), A, A2)
		sameSet(t, "external_id", s.get("/v1/customers?external_id=crm-2"), B)
		sameSet(t, "created_from", s.get("/v1/customers?created_from="+url.QueryEscape(before.Format(time.RFC3339Nano))), A, B, A2)
		sameSet(t, "created_before", s.get("/v1/customers?created_before="+url.QueryEscape(before.Format(time.RFC3339Nano))))
		want(t, s.get("/v1/customers?created_from=2030-01-01T00:00:00Z&created_before=2029-01-01T00:00:00Z"), 422, "invalid_value")
		want(t, s.get("/v1/customers?mail=ada%40example.com"), 400, "unknown_parameter")

		// Pages: two, then one with no more.
		p1 := s.get("/v1/customers?limit=2")
		if len(p1.ids()) != 2 || p1.get("has_more") != true {
			t.Fatalf("first page: %s", p1.raw)
		}
		p2 := s.get("/v1/customers?limit=2&cursor=" + p1.str("next_cursor"))
		if got := p2.ids(); len(got) != 1 || got[0] != A || p2.get("has_more") != false {
			t.Errorf("second page: %s", p2.raw)
		}

		sameSet(t, "a buyer's key", s.as(s.newKey(actor.Buyer, B)).get("/v1/customers"), B)
		sameSet(t, "a buyer's key asking for another's email", s.as(s.newKey(actor.Buyer, B)).get("/v1/customers?email=ada%40example.com"))
		sameSet(t, "a vendor's key", s.as(s.newKey(actor.Vendor, A)).get("/v1/customers"))
	})
}

// TestListTransactions checks GET /v1/transactions: each filter, the money and refunds of a
// listed charge, and that a party's key lists only its own.
func TestListTransactions(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		cusA, ordA, chA := s.sale(1000, "usd")
		cusB, ordB, chB := s.sale(2500, "eur")
		refund := s.post("/v1/transactions/"+chA+"/refund", map[string]any{"amount": 300})
		want(t, refund, 201)
		paypal := s.post("/v1/transactions", map[string]any{"type": "charge", "amount": 700, "currency": "eur", "order_id": ordB,
			"provider": "paypal", "provider_reference": "PAY-42"})
		want(t, paypal, 201)
		R, P := refund.str("id"), paypal.str("id")

		all := s.get("/v1/transactions")
		want(t, all, 200)
		if got := all.ids(); len(got) != 4 || got[0] != P {
			t.Errorf("transactions newest first = %v", got)
		}
		sameSet(t, "order_id", s.get("/v1/transactions?order_id="+ordA), chA, R)
		sameSet(t, "customer_id", s.get("/v1/transactions?customer_id="+cusB), chB, P)
		sameSet(t, "type", s.get("/v1/transactions?type=refund"), R)
		sameSet(t, "provider", s.get("/v1/transactions?provider=paypal"), P)
		sameSet(t, "provider_reference", s.get("/v1/transactions?provider_reference=ch_"+ordA), chA)
		sameSet(t, "customer and type", s.get("/v1/transactions?customer_id="+cusA+"&type=charge"), chA)
		sameSet(t, "created_before the first", s.get("/v1/transactions?created_before=2000-01-01T00:00:00Z"))
		want(t, s.get("/v1/transactions?type=gift"), 422)
		want(t, s.get("/v1/transactions?kind=refund"), 400, "unknown_parameter")

		charge := s.get("/v1/transactions?order_id=" + ordA + "&type=charge").list()
		if len(charge) != 1 || charge[0]["amount"] != float64(1000) || charge[0]["amount_refunded"] != float64(300) {
			t.Errorf("the listed charge: %v", charge)
		}
		if refunds, _ := charge[0]["refunds"].([]any); len(refunds) != 1 {
			t.Errorf("the listed charge's refunds: %v", charge[0]["refunds"])
		}

		buyer := s.as(s.newKey(actor.Buyer, cusA))
		sameSet(t, "a buyer's key", buyer.get("/v1/transactions"), chA, R)
		sameSet(t, "a buyer's key asking for another's", buyer.get("/v1/transactions?customer_id="+cusB))
		sameSet(t, "a vendor's key of no order", s.as(s.newKey(actor.Vendor, "ven_none")).get("/v1/transactions"))
	})
}
