package main

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
)

// TestManualDisputeLoss: a manual dispute lost by an admin's resolution, by a concession or by
// its due date records the same thing: an external refund of the disputed amount (the customer
// got it back through the case decided elsewhere), no network withdrawal, the order refunded.
func TestManualDisputeLoss(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		c := newClock()
		s := clocked(t, db, c)
		ways := map[string]func(id string){
			"resolved_lost": func(id string) {
				want(t, s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "lost", "notes": "PayPal sided with the buyer"}), 200)
			},
			"conceded": func(id string) {
				want(t, s.post("/v1/disputes/"+id+"/close", map[string]any{"note": "not worth fighting"}), 200)
			},
			"due_date_passed": func(id string) {
				c.Advance(25 * time.Hour)
				s.runJobs()
			},
		}
		records := map[string]string{}
		for _, name := range []string{"resolved_lost", "conceded", "due_date_passed"} {
			_, ord, ch := s.sale(4000, "USD")
			d := s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "PayPal case", "external_reference": "PP-" + name,
				"evidence_due_by": rfc(c.Now().Add(24 * time.Hour))})
			want(t, d, 201)
			id := d.str("id")
			ways[name](id)
			if st := s.get("/v1/disputes/" + id).str("status"); st != "lost" {
				t.Fatalf("%s: status %s", name, st)
			}
			charge := s.get("/v1/transactions/" + ch)
			refunds := charge.objs("refunds")
			external := len(refunds) == 1 && refunds[0]["is_external"] == true && refunds[0]["dispute_id"] == id
			var entries []string
			for _, e := range s.get("/v1/disputes/" + id + "/timeline").list() {
				if a := e["action"]; a == "refund_created" || a == "funds_withdrawn" {
					entries = append(entries, fmt.Sprint(a))
				}
			}
			records[name] = fmt.Sprintf("refunded %d withdrawn %d external %v order %s money entries %v",
				charge.num("amount_refunded"), charge.num("amount_withdrawn"), external, s.get("/v1/orders/"+ord).str("status"), entries)
		}
		expect := "refunded 4000 withdrawn 0 external true order refunded money entries [refund_created]"
		for name, got := range records {
			if got != expect {
				t.Errorf("manual dispute %s: %s; want %s", name, got, expect)
			}
		}
	})
}

// TestUIConcedeSaysWhatMoneyMoves: the concede dialog tells what a loss records: the network's
// withdrawal for a chargeback, the customer's refund for a manual dispute.
func TestUIConcedeSaysWhatMoneyMoves(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	f := s.adminForms(t, actor.Admin)
	_, ord, _ := s.sale(4000, "USD")
	manual := s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "PayPal case"})
	want(t, manual, 201)
	_, _, ch := s.sale(4000, "USD")
	chargeback := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": ch})
	want(t, chargeback, 201)
	for id, words := range map[string]string{
		manual.str("id"):     "is recorded as refunded to the customer",
		chargeback.str("id"): "is withdrawn",
	} {
		status, body, _ := f.get("/disputes/" + id)
		if status != http.StatusOK || !strings.Contains(body, `id="concede"`) || !strings.Contains(body, words) {
			t.Errorf("the concede dialog of %s does not say %q (status %d)", id, words, status)
		}
	}
}
