package main

import (
	"strings"
	"testing"
)

// TestUnknownQueryParameter checks that a query parameter a route does not declare is refused
// with 400 unknown_parameter naming it, and changes nothing, while every declared one, the
// older page/per_page included, still works.
func TestUnknownQueryParameter(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
		_, _, ch := s.sale(1000, "usd")
		d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "transaction_id": ch, "reason": "fraudulent"})
		want(t, d, 201)

		for _, tt := range []struct{ path, param string }{
			{"/v1/disputes?stauts=won", "stauts"},
			{"/v1/disputes?status=won&limit=5&Status=won", "Status"},
			{"/v1/orders?customer=cus_x", "customer"},
			{"/v1/disputes/" + d.str("id") + "?expand=order", "expand"},
			{"/v1/events?type=dispute.created&typ=x", "typ"},
			{"/v1/jobs?state=dead&knd=x", "knd"},
			{"/v1/settings?x%20y=1", "x y"},
			{"/v1/disputes?=1", `""`},
		} {
			r := s.get(tt.path)
			want(t, r, 400, "unknown_parameter")
			if p := r.str("error", "param"); p != tt.param {
				t.Errorf("%s: param %q, want %q", tt.path, p, tt.param)
			}
			if typ := r.str("error", "type"); typ != "invalid_request" {
				t.Errorf("%s: type %q", tt.path, typ)
			}
			if !strings.Contains(r.str("error", "message"), tt.param) {
				t.Errorf("%s: the message does not name %s: %s", tt.path, tt.param, r.raw)
			}
		}
		// The message lists what the route takes.
		if m := s.get("/v1/disputes?stauts=won").str("error", "message"); !strings.Contains(m, "status") || !strings.Contains(m, "cursor") {
			t.Errorf("the message does not list the route's parameters: %s", m)
		}

		// A refused POST changes nothing: the note is not added.
		want(t, s.post("/v1/disputes/"+d.str("id")+"/notes?dry_run=1", map[string]any{"body": "hello"}), 400, "unknown_parameter")
		if n := len(s.get("/v1/disputes/" + d.str("id") + "/notes").list()); n != 0 {
			t.Errorf("a refused note was added: %d notes", n)
		}

		// Declared parameters still work, the older pagination included.
		sameSet(t, "status=won", s.get("/v1/disputes?status=won"))
		sameSet(t, "status=needs_response", s.get("/v1/disputes?status=needs_response"), d.str("id"))
		sameSet(t, "page and per_page", s.get("/v1/disputes?page=1&per_page=10"), d.str("id"))
		want(t, s.get("/v1/disputes?limit=1&cursor="), 200)
	})
}
