package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestEventsOfALifecycle follows a sale through a chargeback that is lost and checks the event
// log names each step, in order, with the object as the API showed it after the change.
func TestEventsOfALifecycle(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		_, ord, charge := s.sale(1000, "usd", map[string]any{"panel": "manual", "external_id": "u-1"})
		d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": charge, "amount": 1000})
		want(t, d, 201)
		id := d.str("id")
		up := s.post("/v1/disputes/"+id, map[string]any{"revision": d.num("revision"), "evidence": map[string]any{"product_description": "IPTV"}})
		want(t, up, 200)
		want(t, s.post("/v1/disputes/"+id+"/evidence", map[string]any{"type": "text", "content": "logs"}), 201)
		want(t, s.post("/v1/disputes/"+id+"/submit", nil), 200)
		want(t, s.post("/v1/disputes/"+id+"/resolve", map[string]any{"resolution": "lost"}), 200)

		// In causal order: a change's own event before its consequences.
		got := s.eventsOf("order_id=" + ord)
		wantTypes := []string{"transaction.created", "dispute.created", "line.action_required", "order.disputed",
			"dispute.updated", "dispute.evidence_added", "dispute.submitted", "dispute.resolved", "transaction.created", "line.action_required"}
		if !slices.Equal(got, wantTypes) {
			t.Errorf("events %v\nwant %v", got, wantTypes)
		}

		// Each event carries the object after the change.
		all := s.get("/v1/events?limit=100&order_id=" + ord).list()
		for _, e := range all {
			full := s.get("/v1/events/" + fmt.Sprint(e["id"]))
			want(t, full, 200)
			obj, _ := full.get("data", "object").(map[string]any)
			if obj == nil || obj["id"] == nil || obj["object"] == nil || full.str("object") != "event" || !strings.HasPrefix(full.str("id"), "evt_") {
				t.Errorf("event %s: %s", e["id"], full.raw)
				continue
			}
			switch typ := full.str("type"); {
			case strings.HasPrefix(typ, "dispute."):
				if obj["object"] != "dispute" || obj["id"] != id {
					t.Errorf("%s carries %v %v", typ, obj["object"], obj["id"])
				}
			case typ == "order.disputed":
				if obj["object"] != "order" || obj["dispute_id"] != id {
					t.Errorf("order.disputed carries %v", obj)
				}
			case typ == "line.action_required":
				if obj["object"] != "line" {
					t.Errorf("line.action_required carries %v", obj)
				}
			case typ == "transaction.created":
				if obj["object"] != "transaction" {
					t.Errorf("transaction.created carries %v", obj)
				}
			}
		}
		resolved := s.lastEvent("dispute.resolved", "dispute_id="+id)
		if resolved["status"] != "lost" || resolved["revision"] != float64(d.num("revision")+4) {
			t.Errorf("dispute.resolved object: status %v revision %v", resolved["status"], resolved["revision"])
		}
		evAdded := s.lastEvent("dispute.evidence_added", "dispute_id="+id)
		if evAdded["revision"] != float64(d.num("revision")+2) {
			t.Errorf("dispute.evidence_added shows revision %v, want %d", evAdded["revision"], d.num("revision")+2)
		}
		wd := s.lastEvent("transaction.created", "dispute_id="+id)
		if wd["type"] != "chargeback" || wd["amount"] != float64(1000) {
			t.Errorf("withdrawal: %v", wd)
		}
		// Reading events is staff work.
		agent := s.as(s.newKey("agent", ""))
		want(t, agent.get("/v1/events/"+fmt.Sprint(all[0]["id"])), 200)
	})
}

// TestEventsOfWin: a manual dispute won moves no money, so it records no reversal of funds that
// were never withdrawn.
func TestEventsOfWin(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		_, ord, charge := s.sale(1000, "usd")
		d := s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "bank letter"})
		want(t, d, 201)
		want(t, s.post("/v1/disputes/"+d.str("id")+"/resolve", map[string]any{"resolution": "won"}), 200)
		evs := s.eventsOf("dispute_id=" + d.str("id"))
		if count(evs, "transaction.created") != 0 || count(evs, "dispute.resolved") != 1 {
			t.Errorf("events of a win without withdrawal: %v", evs)
		}
		if ch := s.get("/v1/transactions/" + charge); ch.num("amount_withdrawn") != 0 || ch.num("amount_refunded") != 0 {
			t.Errorf("charge after a win: %s", ch.raw)
		}
	})
}
