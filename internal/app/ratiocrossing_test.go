package app_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// TestRatioCrossingOnce: halfway through April, Mastercard's projected ECP ratio is excessive; the
// check sends monitoring.threshold_exceeded with the ratio and emails the admin, once: the next
// check sends nothing. Visa stays ok. In May, excessive again, it fires again for May.
func TestRatioCrossingOnce(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.User("boss@example.com", actor.Admin, "")
		var f monthFixture
		f.sale(6000, "mastercard", order.NoChannel, on2026(3, 10))
		f.sale(6000, "mastercard", order.NoChannel, on2026(4, 3))
		f.sale(500, "visa", order.NoChannel, on2026(4, 2))
		f.dispute(60, dispute.Chargeback, dispute.StageChargeback, "", "mastercard", on2026(4, 10))
		f.write(t, e)
		exceeded := func() []store.Event {
			t.Helper()
			evs, err := e.Store.ListEvents(e.Ctx, store.EventFilter{Type: app.EventThresholdExceeded})
			if err != nil {
				t.Fatal(err)
			}
			return evs
		}
		mails := func() int {
			t.Helper()
			es, err := e.Store.ListEmails(e.Ctx, store.EmailFilter{})
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, m := range es {
				if m.Template == "ratio_crossed" && m.To == "boss@example.com" {
					n++
				}
			}
			return n
		}

		e.Clock.Set(time.Date(2026, 4, 16, 0, 0, 0, 0, time.UTC))
		if err := e.App.CheckRatios(e.Ctx); err != nil {
			t.Fatal(err)
		}
		evs := exceeded()
		if len(evs) != 1 || mails() != 1 {
			t.Fatalf("after the first check: %d events, %d emails; want 1 and 1", len(evs), mails())
		}
		var ratio struct {
			Network, Program, Month string
			Projected               struct{ Status string }
		}
		if err := json.Unmarshal(evs[0].Data, &ratio); err != nil || ratio.Network != "mastercard" || ratio.Program != "ecp" ||
			ratio.Month != "2026-04" || ratio.Projected.Status != "excessive" {
			t.Errorf("the event's ratio %s: %v", evs[0].Data, err)
		}
		if approaching, _ := e.Store.ListEvents(e.Ctx, store.EventFilter{Type: app.EventThresholdApproaching}); len(approaching) != 0 {
			t.Errorf("approaching announced beside excessive: %d", len(approaching))
		}

		e.Clock.Advance(5 * time.Minute)
		if err := e.App.CheckRatios(e.Ctx); err != nil {
			t.Fatal(err)
		}
		if n := len(exceeded()); n != 1 || mails() != 1 {
			t.Errorf("after the second check: %d events, %d emails; want still 1 and 1", n, mails())
		}

		var may monthFixture
		may.dispute(200, dispute.Chargeback, dispute.StageChargeback, "", "mastercard", time.Date(2026, 5, 1, 6, 0, 0, 0, time.UTC))
		for i := range may.disputes {
			may.disputes[i].ID = strings.Replace(may.disputes[i].ID, "dsp_fx", "dsp_may", 1)
		}
		may.write(t, e)
		e.Clock.Set(time.Date(2026, 5, 2, 0, 0, 0, 0, time.UTC))
		if err := e.App.CheckRatios(e.Ctx); err != nil {
			t.Fatal(err)
		}
		if evs := exceeded(); len(evs) != 2 || mails() != 2 {
			t.Errorf("in May: %d events, %d emails; want 2 and 2", len(evs), mails())
		}
	})
}
