package main

import (
	"strings"
	"testing"
)

func TestScratch(t *testing.T) {
	s := startServer(t, "sqlite", nil)
	_, ord, ch := s.sale(1000, "usd")
	p := func(r response) { t.Logf("%d %s %s", r.status, r.header.Get("Content-Type"), r.raw) }
	p(s.post("/v1/customers", `{"email":`))
	p(s.post("/v1/customers", map[string]any{"emial": "x"}))
	p(s.post("/v1/orders", map[string]any{"customer_id": "x", "currency": "USD", "items": []any{map[string]any{"description": "a", "amount": 1, "foo": 1}}}))
	p(s.post("/v1/orders", map[string]any{"customer_id": "x", "currency": "USD", "items": []any{map[string]any{"description": "a", "amount": "1"}}}))
	p(s.post("/v1/customers", map[string]any{"email": 5}))
	p(s.post("/v1/orders", map[string]any{"currency": "USD", "items": []any{}}))
	p(s.post("/v1/transactions", map[string]any{"type": "charge", "amount_decimal": "12.345", "currency": "usd", "order_id": ord}))
	p(s.post("/v1/transactions", map[string]any{"type": "charge", "amount": 5, "currency": "xyz", "order_id": ord}))
	p(s.post("/v1/transactions", map[string]any{"type": "charge", "amount": 5, "amount_decimal": "0.05", "currency": "usd", "order_id": ord}))
	p(s.post("/v1/customers", `{"name":"`+strings.Repeat("a", 1<<20+10)+`"}`))
	p(s.post("/v1/customers", `{"name":"a"}`, "Content-Type", "text/plain"))
	p(s.post("/v1/customers", `{"name":"a"}`, "Content-Type", "application/x-www-form-urlencoded"))
	p(s.get("/v1/nope"))
	p(s.call("PUT", "/v1/disputes", nil))
	p(s.get("/v1/disputes?limit=0"))
	p(s.get("/v1/disputes?limit=101"))
	p(s.get("/v1/disputes?limit=abc"))
	p(s.get("/v1/disputes?cursor=zzz"))
	p(s.get("/v1/disputes?per_page=101"))
	p(s.post("/v1/transactions/"+ch+"/refund", `{"amount":"5"}`))
	p(s.post("/v1/transactions/"+ch+"/refund", `{"amount":5}{}`))
	p(s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": ch, "evidence": 1}))
	p(s.post("/v1/disputes", map[string]any{"type": "bogus", "transaction_id": ch}))
	p(s.get("/v1/disputes?due_before=notadate"))
	p(s.post("/v1/orders/"+ord+"/void", map[string]any{}))
}
