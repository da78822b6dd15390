package app_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/fault"
	"disputed/internal/order"
	"disputed/internal/panel"
	"disputed/internal/panel/paneltest"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// eachWithPanel runs fn on both stores with an http panel "xui" registered on a scripted panel
// (capabilities as given; none means the default ones) that answers within 300 ms.
func eachWithPanel(t *testing.T, caps []string, fn func(t *testing.T, e *testenv.Env, p *paneltest.Panel)) {
	t.Helper()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		p := paneltest.Start(t, e.Clock.Now)
		testenv.Must(e.App.CreatePanel(e.Ctx, testenv.Admin, app.PanelParams{Name: "xui", Type: "http", BaseURL: p.URL + "/api",
			Secret: paneltest.Secret, TimeoutMS: 300, Capabilities: caps}))(t)
		fn(t, e, p)
	})
}

// panelSale is a sale whose one item is a line on the panel xui.
func panelSale(e *testenv.Env, externalID string) testenv.Sale {
	e.T.Helper()
	return e.Sale(testenv.SaleParams{Amount: 2500, Line: &order.LineSpec{Panel: "xui", ExternalID: externalID}})
}

// wantLine checks the order's one line: its state and pending action, and whether it waits for
// an admin (so does the order then).
func wantLine(t *testing.T, e *testenv.Env, ord string, state order.LineState, pending order.LineAction, manual bool) order.Line {
	t.Helper()
	o := testenv.Must(e.App.Order(e.Ctx, testenv.Admin, ord))(t)
	if len(o.Lines) != 1 {
		t.Fatalf("order %s has %d lines", ord, len(o.Lines))
	}
	l := o.Lines[0]
	waits := l.Manual && l.PendingAction != order.NoAction
	if l.State != state || l.PendingAction != pending || waits != manual || o.NeedsManualAction() != manual {
		t.Fatalf("line %+v (needs manual action %v), want %s, pending %q, manual %v", l, o.NeedsManualAction(), state, pending, manual)
	}
	return l
}

// lastHistory is the newest entry of a line's history.
func lastHistory(t *testing.T, e *testenv.Env, lineID string) store.TimelineEntry {
	t.Helper()
	h := testenv.Must(e.App.LineHistory(e.Ctx, testenv.Admin, lineID))(t)
	if len(h) == 0 {
		t.Fatalf("line %s has no history", lineID)
	}
	return h[len(h)-1]
}

// openCase opens a manual dispute on the sale's order.
func openCase(t *testing.T, e *testenv.Env, s testenv.Sale) string {
	t.Helper()
	return testenv.Must(e.App.OpenManualDispute(e.Ctx, testenv.Admin, s.Order.ID, app.ManualDisputeParams{Reason: "general",
		Description: "chargeback by phone"}))(t).ID
}

func TestHTTPPanelSuspendsAndEnables(t *testing.T) {
	t.Parallel()
	eachWithPanel(t, nil, func(t *testing.T, e *testenv.Env, p *paneltest.Panel) {
		s := panelSale(e, "u 1")
		ord := s.Order.ID
		d := testenv.Must(e.App.OpenManualDispute(e.Ctx, testenv.Admin, ord, app.ManualDisputeParams{Reason: "general",
			Description: "PayPal case", ExternalReference: "PP-1"}))(t)
		// Until the job runs, the panel is at work: pending, but not an admin's business.
		wantLine(t, e, ord, order.LineActive, order.Suspend, false)
		e.RunJobs()
		l := wantLine(t, e, ord, order.LineSuspended, order.NoAction, false)
		calls := p.CallsTo("/suspend")
		if len(calls) != 1 || calls[0].Path != "/api/lines/u%201/suspend" || !calls[0].Signed || calls[0].Key == "" {
			t.Fatalf("panel calls: %+v", calls)
		}
		if last := lastHistory(t, e, l.ID); last.Action != "line_suspended" || last.Actor != "panel:xui" || !strings.Contains(last.Note, "panel answered 200") {
			t.Fatalf("line history ends with %+v", last)
		}
		if eventCount(e, d.ID, "line.suspended") != 1 {
			t.Fatal("no line.suspended event")
		}
		testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, d.ID, nil, app.ResolveParams{Resolution: "won", Notes: "ok"}))(t)
		wantLine(t, e, ord, order.LineSuspended, order.Enable, false)
		e.RunJobs()
		wantLine(t, e, ord, order.LineActive, order.NoAction, false)
		if len(p.CallsTo("/enable")) != 1 {
			t.Fatalf("enable calls: %+v", p.CallsTo("/enable"))
		}
	})
}

func TestHTTPPanelRetriesThenSucceeds(t *testing.T) {
	t.Parallel()
	eachWithPanel(t, nil, func(t *testing.T, e *testenv.Env, p *paneltest.Panel) {
		s := panelSale(e, "flaky")
		p.Plan("flaky", paneltest.Plan{Fail: 2})
		openCase(t, e, s)
		e.RunJobs()
		l := wantLine(t, e, s.Order.ID, order.LineActive, order.Suspend, false)
		if last := lastHistory(t, e, l.ID); last.Action != "panel_call_failed" || !strings.Contains(last.Note, "status 503") {
			t.Fatalf("after a failed call the history ends with %+v", last)
		}
		for range 2 {
			e.Advance(time.Hour) // past any backoff
		}
		wantLine(t, e, s.Order.ID, order.LineSuspended, order.NoAction, false)
		calls := p.CallsTo("/suspend")
		if len(calls) != 3 || calls[0].Key != calls[1].Key || calls[1].Key != calls[2].Key {
			t.Fatalf("want three calls with one idempotency key: %+v", calls)
		}
	})
}

// TestHTTPPanelGivesUpToAnAdmin: a panel that keeps failing, or answers too slowly, is retried
// up to the limit; then the action waits for an admin, who confirms it.
func TestHTTPPanelGivesUpToAnAdmin(t *testing.T) {
	t.Parallel()
	for name, plan := range map[string]paneltest.Plan{"down": {Fail: 1000}, "slow": {Sleep: time.Second}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			eachWithPanel(t, nil, func(t *testing.T, e *testenv.Env, p *paneltest.Panel) {
				s := panelSale(e, name)
				p.Plan(name, plan)
				d := openCase(t, e, s)
				for range 8 {
					e.RunJobs()
					e.Clock.Advance(2 * time.Hour)
				}
				if n := len(p.CallsTo("/suspend")); n != 8 {
					t.Fatalf("the panel was asked %d times, want 8", n)
				}
				l := wantLine(t, e, s.Order.ID, order.LineActive, order.Suspend, true)
				if !strings.Contains(l.PendingReason, "could not suspend it after 8 attempts") {
					t.Fatalf("pending reason %q", l.PendingReason)
				}
				if eventCount(e, d, "line.action_required") != 1 {
					t.Fatal("no line.action_required event when the panel gave up")
				}
				if dead := jobsOf(t, e, store.JobFilter{State: "dead", Kind: "line.action"}); len(dead) != 1 {
					t.Fatalf("dead line jobs: %+v", dead)
				}
				testenv.Must(e.App.ConfirmLine(e.Ctx, testenv.Admin, l.ID, "suspend"))(t)
				wantLine(t, e, s.Order.ID, order.LineSuspended, order.NoAction, false)
			})
		})
	}
}

// TestPanelWithoutTheCapability: an action the panel does not declare, or one it refuses for
// good (501), goes to an admin at once.
func TestPanelWithoutTheCapability(t *testing.T) {
	t.Parallel()
	eachWithPanel(t, []string{"toggle"}, func(t *testing.T, e *testenv.Env, p *paneltest.Panel) {
		s := panelSale(e, "t1")
		testenv.Must(e.App.VoidOrder(e.Ctx, testenv.Admin, s.Order.ID, app.VoidParams{Reason: "fraud confirmed"}))(t)
		l := wantLine(t, e, s.Order.ID, order.LineActive, order.Terminate, true)
		if !strings.Contains(l.PendingReason, "cannot terminate by itself") {
			t.Fatalf("pending reason %q", l.PendingReason)
		}
		e.RunJobs()
		if n := len(p.CallsTo("/terminate")); n != 0 {
			t.Fatalf("the panel was asked to terminate %d times without the capability", n)
		}
		testenv.Must(e.App.ConfirmLine(e.Ctx, testenv.Admin, l.ID, "terminate"))(t)
		wantLine(t, e, s.Order.ID, order.LineTerminated, order.NoAction, false)

		s2 := panelSale(e, "t2")
		p.Plan("t2", paneltest.Plan{Status: http.StatusNotImplemented})
		openCase(t, e, s2)
		e.RunJobs()
		l2 := wantLine(t, e, s2.Order.ID, order.LineActive, order.Suspend, true)
		if n := len(p.CallsTo("t2/suspend")); n != 1 {
			t.Fatalf("a permanent refusal was retried: %d calls", n)
		}
		if !strings.Contains(l2.PendingReason, "status 501") {
			t.Fatalf("pending reason %q", l2.PendingReason)
		}
	})
}

// TestVoidAndLossTerminateThroughThePanel: voiding a disputed order terminates its line and
// closes the dispute; a lost dispute terminates too.
func TestVoidAndLossTerminateThroughThePanel(t *testing.T) {
	t.Parallel()
	eachWithPanel(t, nil, func(t *testing.T, e *testenv.Env, p *paneltest.Panel) {
		s := panelSale(e, "v1")
		d := openCase(t, e, s)
		e.RunJobs()
		wantLine(t, e, s.Order.ID, order.LineSuspended, order.NoAction, false)
		v := testenv.Must(e.App.VoidOrder(e.Ctx, testenv.Admin, s.Order.ID, app.VoidParams{Reason: "fraud confirmed"}))(t)
		if v.Order.Status != order.Voided || v.Dispute != nil {
			t.Fatalf("voided order: %+v", v)
		}
		if got := testenv.Must(e.App.Dispute(e.Ctx, testenv.Admin, d))(t); got.Status != "closed" || got.Resolution != "voided" {
			t.Fatalf("the open dispute after the void: %+v", got)
		}
		e.RunJobs()
		wantLine(t, e, s.Order.ID, order.LineTerminated, order.NoAction, false)
		_, err := e.App.VoidOrder(e.Ctx, testenv.Admin, s.Order.ID, app.VoidParams{Reason: "again"})
		testenv.WantFault(t, err, fault.Conflict, fault.CodeInvalidState)

		s2 := panelSale(e, "l1")
		d2 := openCase(t, e, s2)
		e.RunJobs()
		testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, d2, nil, app.ResolveParams{Resolution: "lost", Notes: "issuer sided with the cardholder"}))(t)
		e.RunJobs()
		wantLine(t, e, s2.Order.ID, order.LineTerminated, order.NoAction, false)
		if len(p.CallsTo("l1/terminate")) != 1 || len(p.CallsTo("v1/terminate")) != 1 {
			t.Fatalf("terminate calls: %+v", p.CallsTo("/terminate"))
		}
	})
}

// TestPanels: panels are checked field by field when registered, admin-only to register, named
// once, and not deleted while a line uses them.
func TestPanels(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		for _, tt := range []struct {
			p     app.PanelParams
			param string
		}{
			{app.PanelParams{Name: "x", Type: "ftp"}, "type"},
			{app.PanelParams{Name: "Bad Name", Type: "manual"}, "name"},
			{app.PanelParams{Name: "h", Type: "http", Secret: paneltest.Secret}, "config.base_url"},
			{app.PanelParams{Name: "h", Type: "http", BaseURL: "ftp://x", Secret: paneltest.Secret}, "config.base_url"},
			{app.PanelParams{Name: "h", Type: "http", BaseURL: "https://p.example", Secret: "short"}, "config.secret"},
			{app.PanelParams{Name: "h", Type: "http", BaseURL: "https://p.example", Secret: paneltest.Secret, TimeoutMS: 60000}, "config.timeout_ms"},
			{app.PanelParams{Name: "h", Type: "http", BaseURL: "https://p.example", Secret: paneltest.Secret, Capabilities: []string{"reboot"}}, "config.capabilities"},
			{app.PanelParams{Name: "m", Type: "manual", BaseURL: "https://p.example"}, "config.base_url"},
		} {
			_, err := e.App.CreatePanel(e.Ctx, testenv.Admin, tt.p)
			if fe, ok := fault.As(err); !ok || fe.Kind != fault.Invalid && fe.Kind != fault.Malformed || fe.Param != tt.param {
				t.Errorf("%+v: %v, want a refusal of %s", tt.p, err, tt.param)
			}
		}
		if got := testenv.Must(e.App.Panels(e.Ctx, testenv.Admin))(t); len(got) != 0 {
			t.Fatalf("refused panels were stored: %+v", got)
		}
		h := testenv.Must(e.App.CreatePanel(e.Ctx, testenv.Admin, app.PanelParams{Name: "xui", Type: "http",
			BaseURL: "https://panel.example/api/", Secret: paneltest.Secret}))(t)
		if h.Timeout != panel.DefaultTimeout || panel.DefaultTimeout != 10*time.Second || len(h.Capabilities) != 2 {
			t.Fatalf("created panel: timeout %v, capabilities %v", h.Timeout, h.Capabilities)
		}
		_, err := e.App.CreatePanel(e.Ctx, testenv.Admin, app.PanelParams{Name: "xui", Type: "manual"})
		testenv.WantFault(t, err, fault.Conflict, fault.CodePanelExists)
		_, err = e.App.CreatePanel(e.Ctx, testenv.Admin, app.PanelParams{Name: "manual", Type: "manual"})
		testenv.WantFault(t, err, fault.Conflict, fault.CodePanelExists)
		agent := actor.Key("key_agent", actor.Agent, "")
		_, err = e.App.CreatePanel(e.Ctx, agent, app.PanelParams{Name: "a", Type: "manual"})
		testenv.WantFault(t, err, fault.Forbidden, "")
		testenv.Must(e.App.Panel(e.Ctx, agent, "xui"))(t)
		_, err = e.App.Panel(e.Ctx, testenv.Admin, "nope")
		testenv.WantFault(t, err, fault.NotFound, "")

		c := testenv.Must(e.App.CreateCustomer(e.Ctx, testenv.Admin, app.CustomerParams{Email: "p@example.com"}))(t)
		item := func(panel string) app.OrderParams {
			return app.OrderParams{CustomerID: c.ID, Currency: "USD",
				Items: []app.ItemParams{{Description: "x", Amount: ptr(int64(100)), Line: &order.LineSpec{Panel: panel, ExternalID: "1"}}}}
		}
		_, err = e.App.CreateOrder(e.Ctx, testenv.Admin, item("nope"))
		testenv.WantFault(t, err, fault.Invalid, fault.CodeUnknownPanel)
		if fe, _ := fault.As(err); fe.Param != "items[0].line.panel" {
			t.Fatalf("unknown panel: %v", err)
		}
		o := testenv.Must(e.App.CreateOrder(e.Ctx, testenv.Admin, item("xui")))(t)
		testenv.WantFault(t, e.App.DeletePanel(e.Ctx, testenv.Admin, "xui"), fault.Conflict, fault.CodePanelInUse)
		testenv.Must(e.App.CompleteOrder(e.Ctx, testenv.Admin, o.Order.ID))(t)
		testenv.Must(e.App.CreatePanel(e.Ctx, testenv.Admin, app.PanelParams{Name: "spare", Type: "manual"}))(t)
		if err := e.App.DeletePanel(e.Ctx, testenv.Admin, "spare"); err != nil {
			t.Fatalf("delete: %v", err)
		}
		_, err = e.App.Panel(e.Ctx, testenv.Admin, "spare")
		testenv.WantFault(t, err, fault.NotFound, "")
	})
}
