package app_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/fault"
	"disputed/internal/order"
	"disputed/internal/panel/paneltest"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

var activityCaps = []string{"toggle", "terminate", "activity"}

// lineActivity lists the line's activity, newest first.
func lineActivity(t *testing.T, e *testenv.Env, lineID string) []order.Activity {
	t.Helper()
	got, _, err := e.App.Activity(e.Ctx, testenv.Admin, store.ActivityFilter{LineID: lineID, Page: store.Page{Limit: 100}})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestDisputeAsksThePanelForActivity(t *testing.T) {
	t.Parallel()
	eachWithPanel(t, activityCaps, func(t *testing.T, e *testenv.Env, p *paneltest.Panel) {
		s := panelSale(e, "u1")
		now := e.Clock.Now()
		p.Plan("u1", paneltest.Plan{Activity: []order.ActivityReport{
			{Kind: "sign_in", IP: "203.0.113.7", At: now.Add(-2 * time.Hour), Detail: "web"},
			{Kind: "stream", At: now.Add(-time.Hour), Detail: "episode 1"},
			{Kind: "stream", At: now.Add(time.Hour)}, // the panel's clock is wrong: left out
		}})
		d := openCase(t, e, s)
		e.RunJobs()

		calls := p.CallsTo("/activity")
		if len(calls) != 1 || calls[0].Path != "/api/lines/u1/activity" || !calls[0].Signed || calls[0].Key == "" {
			t.Fatalf("activity calls: %+v", calls)
		}
		var asked struct {
			LineID    string    `json:"line_id"`
			OrderID   string    `json:"order_id"`
			DisputeID string    `json:"dispute_id"`
			Since     time.Time `json:"since"`
		}
		if err := json.Unmarshal([]byte(calls[0].Body), &asked); err != nil {
			t.Fatal(err)
		}
		l := s.Lines[0]
		if asked.LineID != l.ID || asked.OrderID != s.Order.ID || asked.DisputeID != d || !asked.Since.Equal(s.Order.CreatedAt) {
			t.Fatalf("asked %+v; want the line, its order, the dispute and since the order's creation %v", asked, s.Order.CreatedAt)
		}
		got := lineActivity(t, e, l.ID)
		if len(got) != 2 || got[0].Kind != "stream" || got[1].Kind != "sign_in" || got[1].IP != "203.0.113.7" ||
			got[0].Source != order.FromPanel || got[1].Source != order.FromPanel {
			t.Fatalf("recorded %+v", got)
		}
		h := testenv.Must(e.App.LineHistory(e.Ctx, testenv.Admin, l.ID))(t)
		if !hasEntry(h, "line_activity_reported", "panel:xui", "3 entries, 2 new; 1 left out") {
			t.Fatalf("line history %+v", h)
		}
		if !hasEntry(testenv.Must(e.App.Timeline(e.Ctx, testenv.Admin, d))(t), "line_activity_reported", "panel:xui", "2 new") {
			t.Fatal("the dispute's timeline does not say what the panel reported")
		}

		// The next dispute asks again; the panel sends its whole log, which is kept once.
		testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, d, nil, app.ResolveParams{Resolution: "won", Notes: "ok"}))(t)
		e.RunJobs()
		openCase(t, e, s)
		e.RunJobs()
		if n := len(p.CallsTo("/activity")); n != 2 {
			t.Fatalf("%d activity calls after two disputes, want 2", n)
		}
		if again := lineActivity(t, e, l.ID); len(again) != 2 {
			t.Fatalf("after the panel reported the same log again the line has %d entries, want 2", len(again))
		}
	})
}

// hasEntry reports whether the timeline has an entry of action by who whose note holds note.
func hasEntry(h []store.TimelineEntry, action, who, note string) bool {
	for _, e := range h {
		if e.Action == action && e.Actor == who && strings.Contains(e.Note, note) {
			return true
		}
	}
	return false
}

func TestPanelWithoutTheCapabilityIsNotAskedForActivity(t *testing.T) {
	t.Parallel()
	eachWithPanel(t, nil, func(t *testing.T, e *testenv.Env, p *paneltest.Panel) {
		openCase(t, e, panelSale(e, "u1"))
		e.RunJobs()
		if calls := p.CallsTo("/activity"); len(calls) != 0 {
			t.Fatalf("a panel that does not report activity was asked: %+v", calls)
		}
		if len(p.CallsTo("/suspend")) != 1 {
			t.Fatal("the line was not suspended")
		}
	})
}

func TestAlertDoesNotAskForActivity(t *testing.T) {
	t.Parallel()
	eachWithPanel(t, activityCaps, func(t *testing.T, e *testenv.Env, p *paneltest.Panel) {
		e.Dispute(panelSale(e, "u1"), "alert")
		e.RunJobs()
		if calls := p.CallsTo("/activity"); len(calls) != 0 {
			t.Fatalf("an alert asked the panel for activity: %+v", calls)
		}
	})
}

func TestChargebackAsksForActivity(t *testing.T) {
	t.Parallel()
	eachWithPanel(t, activityCaps, func(t *testing.T, e *testenv.Env, p *paneltest.Panel) {
		e.Dispute(panelSale(e, "u1"), "chargeback")
		e.RunJobs()
		if calls := p.CallsTo("/activity"); len(calls) != 1 {
			t.Fatalf("a chargeback asked the panel %d times for activity, want once", len(calls))
		}
	})
}

func TestPanelActivityFailureNeverBlocksTheDispute(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name   string
		plan   paneltest.Plan
		action string
		note   string
	}{
		{name: "unsupported", plan: paneltest.Plan{Status: 501}, action: "line_activity_unsupported", note: "does not report activity"},
		{name: "down", plan: paneltest.Plan{Status: 503}, action: "panel_call_failed", note: "not asked again"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			eachWithPanel(t, activityCaps, func(t *testing.T, e *testenv.Env, p *paneltest.Panel) {
				s := panelSale(e, "u1")
				p.Plan("u1", tt.plan)
				d := openCase(t, e, s)
				for range 10 {
					e.Advance(time.Hour) // past every backoff
				}
				l := s.Lines[0]
				if !hasEntry(testenv.Must(e.App.LineHistory(e.Ctx, testenv.Admin, l.ID))(t), tt.action, "panel:xui", tt.note) {
					t.Fatalf("the line's history does not say %q", tt.note)
				}
				if got := testenv.Must(e.App.Dispute(e.Ctx, testenv.Admin, d))(t); !got.IsOpen() {
					t.Fatalf("the dispute is %s", got.Status)
				}
				if len(lineActivity(t, e, l.ID)) != 0 {
					t.Fatal("activity recorded from a failed call")
				}
			})
		})
	}
}

func TestRecordActivity(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		s := e.Sale(testenv.SaleParams{Amount: 2500, Line: &order.LineSpec{Panel: "manual", ExternalID: "u1"}})
		l := s.Lines[0]
		r := order.ActivityReport{Kind: "download", IP: "::ffff:198.51.100.4", At: e.Clock.Now().Add(-time.Minute), Detail: "setup.exe"}
		first := testenv.Must(e.App.RecordActivity(e.Ctx, testenv.Admin, l.ID, r))(t)
		if first.IP != "198.51.100.4" || first.Source != order.FromAPI || first.OrderID != s.Order.ID {
			t.Fatalf("recorded %+v", first)
		}
		r.IP = "198.51.100.4"
		if again := testenv.Must(e.App.RecordActivity(e.Ctx, testenv.Admin, l.ID, r))(t); again.ID != first.ID {
			t.Fatalf("a repeat was recorded as %s, want the entry %s", again.ID, first.ID)
		}

		// A batch is all or nothing, its errors naming the entry.
		bad := []order.ActivityReport{{Kind: "usage", At: e.Clock.Now()}, {Kind: "usage", At: e.Clock.Now().Add(time.Hour)}}
		_, err := e.App.RecordActivityBatch(e.Ctx, testenv.Admin, l.ID, bad)
		if fe := testenv.WantFault(t, err, fault.Invalid, fault.CodeInvalidValue); fe.Param != "data[1].at" {
			t.Fatalf("param %q, want data[1].at", fe.Param)
		}
		if got := lineActivity(t, e, l.ID); len(got) != 1 {
			t.Fatalf("a refused batch left %d entries", len(got))
		}

		_, err = e.App.RecordActivity(e.Ctx, testenv.Admin, "lin_nope", r)
		testenv.WantFault(t, err, fault.NotFound, fault.CodeNotFound)
		buyer := actor.Key("key_buyer", actor.Buyer, s.Order.CustomerID)
		_, err = e.App.RecordActivity(e.Ctx, buyer, l.ID, r)
		testenv.WantFault(t, err, fault.Forbidden, fault.CodeForbidden)
	})
}

func TestRecordActivityStopsAtTheLimit(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		s := e.Sale(testenv.SaleParams{Amount: 2500, Line: &order.LineSpec{Panel: "manual", ExternalID: "u1"}})
		l := s.Lines[0]
		start := e.Clock.Now().Add(-24 * time.Hour)
		err := e.Store.Tx(e.Ctx, func(tx store.Tx) error {
			for i := range order.MaxActivityPerLine {
				a := order.Activity{ID: fmt.Sprintf("act_%05d", i), LineID: l.ID, OrderID: l.OrderID, Kind: "api_call",
					At: start.Add(time.Duration(i) * time.Second), Source: order.FromAPI, CreatedAt: start}
				if _, _, err := tx.InsertActivity(e.Ctx, a); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = e.App.RecordActivity(e.Ctx, testenv.Admin, l.ID, order.ActivityReport{Kind: "api_call", At: e.Clock.Now()})
		if fe := testenv.WantFault(t, err, fault.Invalid, fault.CodeActivityLimitReached); fe.Param != "line" {
			t.Fatalf("param %q, want line", fe.Param)
		}
		// A repeat of an entry the line has takes no room.
		testenv.Must(e.App.RecordActivity(e.Ctx, testenv.Admin, l.ID, order.ActivityReport{Kind: "api_call", At: start}))(t)
	})
}
