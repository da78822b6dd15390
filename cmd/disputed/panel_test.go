package main

import (
	"net/http"
	"strings"
	"testing"

	"disputed/internal/panel/paneltest"
)

func lineOf(s *testServer, ord string) map[string]any {
	s.t.Helper()
	ls := s.get("/v1/orders/" + ord).lines()
	if len(ls) != 1 {
		s.t.Fatalf("order %s has %d lines", ord, len(ls))
	}
	return ls[0]
}

// wantLine checks the order's one line: its state and pending action ("" for none), and
// whether it waits for an admin.
func wantLine(t *testing.T, s *testServer, ord, state, pending string, manual bool) map[string]any {
	t.Helper()
	o := s.get("/v1/orders/" + ord)
	l := lineOf(s, ord)
	gotPending, _ := l["pending_action"].(string)
	if l["state"] != state || gotPending != pending || l["manual"] != manual || o.get("needs_manual_action") != manual {
		t.Fatalf("line %v (needs_manual_action %v), want %s, pending %q, manual %v", l, o.get("needs_manual_action"), state, pending, manual)
	}
	return l
}

// TestPanelOnAPrivateAddressIsRefused: without DISPUTED_WEBHOOK_ALLOW_PRIVATE the server does
// not call loopback or private addresses; the action goes to an admin with the reason.
func TestPanelOnAPrivateAddressIsRefused(t *testing.T) {
	t.Parallel()
	c := newClock()
	s := clocked(t, dbFor(t, "sqlite"), c)
	p := paneltest.Start(t, c.Now)
	want(t, s.post("/v1/panels", map[string]any{"name": "lan", "type": "http", "config": map[string]any{"base_url": p.URL, "secret": paneltest.Secret}}), 201)
	_, ord, _ := s.sale(2500, "usd", map[string]any{"panel": "lan", "external_id": "x"})
	want(t, s.post("/v1/orders/"+ord+"/dispute", map[string]any{"reason": "general", "description": "r"}), 201)
	s.runJobs()
	l := wantLine(t, s, ord, "active", "suspend", true)
	if !strings.Contains(l["pending_reason"].(string), "private address") || len(p.CallsTo("")) != 0 {
		t.Fatalf("reason %q, calls %v", l["pending_reason"], p.CallsTo(""))
	}
}

// TestPanelsWire: what only the API shows of a panel (the rules of registering them are tested
// beside internal/app): the secret never, only that it is set; the timeout and capabilities in
// force; the answer to a delete.
func TestPanelsWire(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	h := s.post("/v1/panels", map[string]any{"name": "xui", "type": "http", "config": map[string]any{"base_url": "https://panel.example/api/", "secret": paneltest.Secret}})
	want(t, h, 201)
	if strings.Contains(string(h.raw), paneltest.Secret) || h.get("config", "secret_set") != true || h.get("config", "timeout_ms") != float64(10000) {
		t.Fatalf("created panel: %s", h.raw)
	}
	if caps := h.get("config", "capabilities"); len(caps.([]any)) != 2 {
		t.Fatalf("default capabilities %v", caps)
	}
	del := s.call(http.MethodDelete, "/v1/panels/xui", nil)
	want(t, del, 200)
	if del.get("deleted") != true {
		t.Fatalf("delete: %s", del.raw)
	}
}
