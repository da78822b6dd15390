package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"disputed/internal/panel"
)

const panelSecret = "panel-secret-0123456789"

// fakePanel is a provider panel that the tests script per line (by external id): answer at
// once, fail a number of times first, answer too slowly, or refuse for good.
type fakePanel struct {
	*httptest.Server
	mu    sync.Mutex
	calls []panelCall
	plans map[string]*panelPlan
}

type panelCall struct {
	path, key string
	signed    bool
}

type panelPlan struct {
	fail   int           // answer 503 this many times first
	status int           // then answer this (0: 200)
	sleep  time.Duration // before answering
}

// startPanel starts the panel; it checks signatures against now, the server's clock.
func startPanel(t *testing.T, now func() time.Time) *fakePanel {
	p := &fakePanel{plans: map[string]*panelPlan{}}
	p.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		signed := panel.Verify(panelSecret, r.Header.Get(panel.HeaderSignature), body, now(), time.Minute) == nil
		parts := strings.Split(strings.TrimPrefix(r.URL.Path, "/api/lines/"), "/")
		p.mu.Lock()
		p.calls = append(p.calls, panelCall{path: r.URL.EscapedPath(), key: r.Header.Get(panel.HeaderIdempotencyKey), signed: signed})
		plan := p.plans[parts[0]]
		if plan == nil {
			plan = &panelPlan{}
		}
		status := plan.status
		if plan.fail > 0 {
			plan.fail--
			status = http.StatusServiceUnavailable
		}
		sleep := plan.sleep
		p.mu.Unlock()
		time.Sleep(sleep)
		if !signed {
			status = http.StatusUnauthorized
		}
		if status == 0 {
			status = http.StatusOK
		}
		w.WriteHeader(status)
		_, _ = w.Write([]byte(`{"ok":` + map[bool]string{true: "true", false: "false"}[status < 300] + `}`))
	}))
	t.Cleanup(p.Close)
	return p
}

func (p *fakePanel) plan(externalID string, plan panelPlan) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.plans[externalID] = &plan
}

func (p *fakePanel) callsTo(suffix string) []panelCall {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []panelCall
	for _, c := range p.calls {
		if strings.HasSuffix(c.path, suffix) {
			out = append(out, c)
		}
	}
	return out
}

// panelServer starts a server with a fake clock whose job runner the test drives, allowed to
// reach the fake panel on loopback, with an http panel "xui" on it (capabilities as given).
func panelServer(t *testing.T, db string, caps ...string) (*server, *fakePanel, *fakeClock) {
	c := newClock()
	s := startConfigured(t, db, func(m *Main) { m.Now, m.JobLoop = c.Now, false }, map[string]string{"DISPUTED_WEBHOOK_ALLOW_PRIVATE": "1"})
	p := startPanel(t, c.Now)
	cfg := map[string]any{"base_url": p.URL + "/api", "secret": panelSecret, "timeout_ms": 300}
	if caps != nil {
		cfg["capabilities"] = caps
	}
	want(t, s.post("/v1/panels", map[string]any{"name": "xui", "type": "http", "config": cfg}), 201)
	return s, p, c
}

func lineOf(s *server, ord string) map[string]any {
	s.t.Helper()
	ls := s.get("/v1/orders/" + ord).lines()
	if len(ls) != 1 {
		s.t.Fatalf("order %s has %d lines", ord, len(ls))
	}
	return ls[0]
}

// wantLine checks the order's one line: its state and pending action ("" for none), and
// whether it waits for an admin.
func wantLine(t *testing.T, s *server, ord, state, pending string, manual bool) map[string]any {
	t.Helper()
	o := s.get("/v1/orders/" + ord)
	l := lineOf(s, ord)
	gotPending, _ := l["pending_action"].(string)
	if l["state"] != state || gotPending != pending || l["manual"] != manual || o.get("needs_manual_action") != manual {
		t.Fatalf("line %v (needs_manual_action %v), want %s, pending %q, manual %v", l, o.get("needs_manual_action"), state, pending, manual)
	}
	return l
}

func history(s *server, lineID string) []map[string]any {
	return s.get("/v1/lines/" + lineID + "/history").list()
}

func TestHTTPPanelSuspendsAndEnables(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		s, p, _ := panelServer(t, db)
		_, ord, _ := s.sale(2500, "usd", map[string]any{"panel": "xui", "external_id": "u 1"})
		d := s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "PayPal case", "external_reference": "PP-1"})
		want(t, d, 201)
		// Until the job runs, the panel is at work: pending, but not an admin's business.
		wantLine(t, s, ord, "active", "suspend", false)
		s.runJobs()
		l := wantLine(t, s, ord, "suspended", "", false)
		calls := p.callsTo("/suspend")
		if len(calls) != 1 || calls[0].path != "/api/lines/u%201/suspend" || !calls[0].signed || calls[0].key == "" {
			t.Fatalf("panel calls: %+v", calls)
		}
		h := history(s, l["id"].(string))
		last := h[len(h)-1]
		if last["action"] != "line_suspended" || last["actor"] != "panel:xui" || !strings.Contains(last["note"].(string), "panel answered 200") {
			t.Fatalf("line history ends with %v", last)
		}
		if countEvents(s, d.str("id"), "line.suspended") != 1 {
			t.Fatal("no line.suspended event")
		}
		want(t, s.post("/v1/disputes/"+d.str("id")+"/resolve", map[string]any{"resolution": "won", "notes": "ok"}), 200)
		wantLine(t, s, ord, "suspended", "enable", false)
		s.runJobs()
		wantLine(t, s, ord, "active", "", false)
		if len(p.callsTo("/enable")) != 1 {
			t.Fatalf("enable calls: %+v", p.callsTo("/enable"))
		}
	})
}

func TestHTTPPanelRetriesThenSucceeds(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		s, p, c := panelServer(t, db)
		_, ord, _ := s.sale(2500, "usd", map[string]any{"panel": "xui", "external_id": "flaky"})
		p.plan("flaky", panelPlan{fail: 2})
		want(t, s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "chargeback by phone"}), 201)
		s.runJobs()
		l := wantLine(t, s, ord, "active", "suspend", false)
		h := history(s, l["id"].(string))
		if last := h[len(h)-1]; last["action"] != "panel_call_failed" || !strings.Contains(last["note"].(string), "status 503") {
			t.Fatalf("after a failed call the history ends with %v", last)
		}
		for range 2 {
			c.Advance(time.Hour) // past any backoff
			s.runJobs()
		}
		wantLine(t, s, ord, "suspended", "", false)
		calls := p.callsTo("/suspend")
		if len(calls) != 3 || calls[0].key != calls[1].key || calls[1].key != calls[2].key {
			t.Fatalf("want three calls with one idempotency key: %+v", calls)
		}
	})
}

// TestHTTPPanelGivesUpToAnAdmin: a panel that keeps failing, or answers too slowly, is retried
// up to the limit; then the action waits for an admin, who confirms it.
func TestHTTPPanelGivesUpToAnAdmin(t *testing.T) {
	t.Parallel()
	for name, plan := range map[string]panelPlan{"down": {fail: 1000}, "slow": {sleep: time.Second}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			eachStoreDB(t, func(t *testing.T, db string) {
				s, p, c := panelServer(t, db)
				_, ord, _ := s.sale(2500, "usd", map[string]any{"panel": "xui", "external_id": name})
				p.plan(name, plan)
				d := s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "chargeback by phone"})
				want(t, d, 201)
				for range 8 {
					s.runJobs()
					c.Advance(2 * time.Hour)
				}
				if n := len(p.callsTo("/suspend")); n != 8 {
					t.Fatalf("the panel was asked %d times, want 8", n)
				}
				l := wantLine(t, s, ord, "active", "suspend", true)
				if !strings.Contains(l["pending_reason"].(string), "could not suspend it after 8 attempts") {
					t.Fatalf("pending reason %q", l["pending_reason"])
				}
				pending := s.get("/v1/orders/" + ord).objs("pending_actions")
				if len(pending) != 1 || pending[0]["line_id"] != l["id"] || pending[0]["action"] != "suspend" {
					t.Fatalf("pending actions: %v", pending)
				}
				if countEvents(s, d.str("id"), "line.action_required") != 1 {
					t.Fatal("no line.action_required event when the panel gave up")
				}
				if dead := s.get("/v1/jobs?state=dead&kind=line.action").list(); len(dead) != 1 {
					t.Fatalf("dead line jobs: %v", dead)
				}
				want(t, s.post("/v1/lines/"+l["id"].(string)+"/confirm", map[string]any{"action": "suspend"}), 200)
				wantLine(t, s, ord, "suspended", "", false)
			})
		})
	}
}

// TestPanelWithoutTheCapability: an action the panel does not declare, or one it refuses for
// good (501), goes to an admin at once.
func TestPanelWithoutTheCapability(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		s, p, _ := panelServer(t, db, "toggle")
		_, ord, _ := s.sale(2500, "usd", map[string]any{"panel": "xui", "external_id": "t1"})
		want(t, s.post("/v1/orders/"+ord+"/void", map[string]any{"reason": "fraud confirmed"}), 200)
		l := wantLine(t, s, ord, "active", "terminate", true)
		if !strings.Contains(l["pending_reason"].(string), "cannot terminate by itself") {
			t.Fatalf("pending reason %q", l["pending_reason"])
		}
		s.runJobs()
		if n := len(p.callsTo("/terminate")); n != 0 {
			t.Fatalf("the panel was asked to terminate %d times without the capability", n)
		}
		want(t, s.post("/v1/lines/"+l["id"].(string)+"/confirm", map[string]any{"action": "terminate"}), 200)
		wantLine(t, s, ord, "terminated", "", false)

		_, ord2, _ := s.sale(2500, "usd", map[string]any{"panel": "xui", "external_id": "t2"})
		p.plan("t2", panelPlan{status: http.StatusNotImplemented})
		want(t, s.post("/v1/orders/"+ord2+"/dispute", map[string]any{"reason": "general", "description": "chargeback by phone"}), 201)
		s.runJobs()
		l2 := wantLine(t, s, ord2, "active", "suspend", true)
		if n := len(p.callsTo("t2/suspend")); n != 1 {
			t.Fatalf("a permanent refusal was retried: %d calls", n)
		}
		if !strings.Contains(l2["pending_reason"].(string), "status 501") {
			t.Fatalf("pending reason %q", l2["pending_reason"])
		}
	})
}

// TestVoidAndLossTerminateThroughThePanel: voiding a disputed order terminates its line and
// closes the dispute; a lost dispute terminates too.
func TestVoidAndLossTerminateThroughThePanel(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		s, p, _ := panelServer(t, db)
		_, ord, _ := s.sale(2500, "usd", map[string]any{"panel": "xui", "external_id": "v1"})
		d := s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "chargeback by phone"})
		want(t, d, 201)
		s.runJobs()
		wantLine(t, s, ord, "suspended", "", false)
		v := s.post("/v1/orders/"+ord+"/void", map[string]any{"reason": "fraud confirmed"})
		want(t, v, 200)
		if v.str("status") != "voided" || v.get("dispute_id") != nil {
			t.Fatalf("voided order: %s", v.raw)
		}
		if got := s.get("/v1/disputes/" + d.str("id")); got.str("status") != "closed" || got.str("resolution") != "voided" {
			t.Fatalf("the open dispute after the void: %s", got.raw)
		}
		s.runJobs()
		wantLine(t, s, ord, "terminated", "", false)
		want(t, s.post("/v1/orders/"+ord+"/void", map[string]any{"reason": "again"}), 409, "invalid_state")

		_, ord2, _ := s.sale(2500, "usd", map[string]any{"panel": "xui", "external_id": "l1"})
		d2 := s.post("/v1/orders/"+ord2+"/dispute", map[string]any{"reason": "general", "description": "chargeback by phone"})
		s.runJobs()
		want(t, s.post("/v1/disputes/"+d2.str("id")+"/resolve", map[string]any{"resolution": "lost", "notes": "issuer sided with the cardholder"}), 200)
		s.runJobs()
		wantLine(t, s, ord2, "terminated", "", false)
		if len(p.callsTo("l1/terminate")) != 1 || len(p.callsTo("v1/terminate")) != 1 {
			t.Fatalf("terminate calls: %+v", p.callsTo("/terminate"))
		}
	})
}

// TestPanelOnAPrivateAddressIsRefused: without DISPUTED_WEBHOOK_ALLOW_PRIVATE the server does
// not call loopback or private addresses; the action goes to an admin with the reason.
func TestPanelOnAPrivateAddressIsRefused(t *testing.T) {
	t.Parallel()
	c := newClock()
	s := clocked(t, dbFor(t, "sqlite"), c)
	p := startPanel(t, c.Now)
	want(t, s.post("/v1/panels", map[string]any{"name": "lan", "type": "http", "config": map[string]any{"base_url": p.URL, "secret": panelSecret}}), 201)
	_, ord, _ := s.sale(2500, "usd", map[string]any{"panel": "lan", "external_id": "x"})
	want(t, s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "r"}), 201)
	s.runJobs()
	l := wantLine(t, s, ord, "active", "suspend", true)
	if !strings.Contains(l["pending_reason"].(string), "private address") || len(p.callsTo("")) != 0 {
		t.Fatalf("reason %q, calls %v", l["pending_reason"], p.callsTo(""))
	}
}

func TestPanelsAPI(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
		for _, tt := range []struct {
			body  map[string]any
			param string
		}{
			{map[string]any{"name": "x", "type": "ftp"}, "type"},
			{map[string]any{"name": "Bad Name", "type": "manual"}, "name"},
			{map[string]any{"name": "h", "type": "http", "config": map[string]any{"secret": panelSecret}}, "config.base_url"},
			{map[string]any{"name": "h", "type": "http", "config": map[string]any{"base_url": "ftp://x", "secret": panelSecret}}, "config.base_url"},
			{map[string]any{"name": "h", "type": "http", "config": map[string]any{"base_url": "https://p.example", "secret": "short"}}, "config.secret"},
			{map[string]any{"name": "h", "type": "http", "config": map[string]any{"base_url": "https://p.example", "secret": panelSecret, "timeout_ms": 60000}}, "config.timeout_ms"},
			{map[string]any{"name": "h", "type": "http", "config": map[string]any{"base_url": "https://p.example", "secret": panelSecret, "capabilities": []string{"reboot"}}}, "config.capabilities"},
			{map[string]any{"name": "m", "type": "manual", "config": map[string]any{"base_url": "https://p.example"}}, "config.base_url"},
		} {
			r := s.post("/v1/panels", tt.body)
			if r.status != 422 && r.status != 400 || r.str("error", "param") != tt.param {
				t.Errorf("%v: %d %s, want param %s", tt.body, r.status, r.raw, tt.param)
			}
		}
		if got := s.get("/v1/panels").list(); len(got) != 0 {
			t.Fatalf("refused panels were stored: %v", got)
		}
		h := s.post("/v1/panels", map[string]any{"name": "xui", "type": "http", "config": map[string]any{"base_url": "https://panel.example/api/", "secret": panelSecret}})
		want(t, h, 201)
		if strings.Contains(string(h.raw), panelSecret) || h.get("config", "secret_set") != true || h.get("config", "timeout_ms") != float64(10000) {
			t.Fatalf("created panel: %s", h.raw)
		}
		if caps := h.get("config", "capabilities"); len(caps.([]any)) != 2 {
			t.Fatalf("default capabilities %v", caps)
		}
		want(t, s.post("/v1/panels", map[string]any{"name": "xui", "type": "manual"}), 409, "panel_exists")
		want(t, s.post("/v1/panels", map[string]any{"name": "manual", "type": "manual"}), 409, "panel_exists")
		agent := s.as(s.newKey("agent", ""))
		want(t, agent.post("/v1/panels", map[string]any{"name": "a", "type": "manual"}), 403)
		want(t, agent.get("/v1/panels/xui"), 200)
		want(t, s.get("/v1/panels/nope"), 404)

		c := s.post("/v1/customers", map[string]any{"email": "p@example.com"})
		o := s.post("/v1/orders", map[string]any{"customer_id": c.str("id"), "currency": "USD", "items": []any{
			map[string]any{"description": "x", "amount": 100, "line": map[string]any{"panel": "nope", "external_id": "1"}}}})
		want(t, o, 422, "unknown_panel")
		if o.str("error", "param") != "items[0].line.panel" {
			t.Fatalf("unknown panel: %s", o.raw)
		}
		o = s.post("/v1/orders", map[string]any{"customer_id": c.str("id"), "currency": "USD", "items": []any{
			map[string]any{"description": "x", "amount": 100, "line": map[string]any{"panel": "xui", "external_id": "1"}}}})
		want(t, o, 201)
		want(t, s.call(http.MethodDelete, "/v1/panels/xui", nil), 409, "panel_in_use")
		want(t, s.post("/v1/orders/"+o.str("id")+"/complete", nil), 200)
		want(t, s.post("/v1/panels", map[string]any{"name": "spare", "type": "manual"}), 201)
		del := s.call(http.MethodDelete, "/v1/panels/spare", nil)
		want(t, del, 200)
		if del.get("deleted") != true {
			t.Fatalf("delete: %s", del.raw)
		}
		want(t, s.get("/v1/panels/spare"), 404)
	})
}
