package main

import (
	"testing"
	"time"
)

// TestAlertReminders: an open alert whose resolution is due gets its due_soon reminder like any
// dispute a party must act on (the dashboard already listed it as urgent), and none once resolved.
func TestAlertReminders(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		c := newClock()
		s := clocked(t, db, c)
		_, _, ch := s.sale(700, "USD")
		due := rfc(c.Now().Add(100 * time.Hour))
		open := s.post("/v1/disputes", map[string]any{"type": "alert", "alert_type": "ethoca", "transaction_id": ch, "due_by": due})
		want(t, open, 201)
		_, _, ch2 := s.sale(700, "USD")
		done := s.post("/v1/disputes", map[string]any{"type": "alert", "alert_type": "ethoca", "transaction_id": ch2, "due_by": due})
		want(t, done, 201)
		want(t, s.post("/v1/disputes/"+done.str("id")+"/resolve", map[string]any{"resolution": "other"}), 200)
		c.Advance(29 * time.Hour) // 71 h left: the 72 h reminder
		s.runJobs()
		if n := countEvents(s, open.str("id"), "dispute.due_soon"); n != 1 {
			t.Errorf("%d reminders for an open alert with 71 h left, want 1", n)
		}
		if n := countEvents(s, done.str("id"), "dispute.due_soon"); n != 0 {
			t.Errorf("%d reminders for a resolved alert", n)
		}
	})
}
