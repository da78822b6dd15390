package httpapi_test

import (
	"strings"
	"testing"

	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
)

// TestUnknownQueryParameter checks that a query parameter a route does not declare is refused
// with 400 unknown_parameter naming it, and changes nothing, while every declared one, the
// older page/per_page included, still works.
func TestUnknownQueryParameter(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		d := e.Dispute(e.Sale(testenv.SaleParams{Amount: 1000}), "chargeback", func(p *app.DisputeParams) { p.Reason = "fraudulent" })

		for _, tt := range []struct{ path, param string }{
			{"/v1/disputes?stauts=won", "stauts"},
			{"/v1/disputes?status=won&limit=5&Status=won", "Status"},
			{"/v1/orders?customer=cus_x", "customer"},
			{"/v1/disputes/" + d.ID + "?expand=order", "expand"},
			{"/v1/events?type=dispute.created&typ=x", "typ"},
			{"/v1/jobs?state=dead&knd=x", "knd"},
			{"/v1/settings?x%20y=1", "x y"},
			{"/v1/disputes?=1", `""`},
		} {
			got := testenv.WantError(t, c.Get(tt.path), 400, "unknown_parameter", tt.param)
			if got.Type != "invalid_request" {
				t.Errorf("%s: type %q", tt.path, got.Type)
			}
			if !strings.Contains(got.Message, tt.param) {
				t.Errorf("%s: the message does not name %s: %s", tt.path, tt.param, got.Message)
			}
		}
		// The message lists what the route takes.
		if m := testenv.Decode[httpapi.ErrorBody](t, c.Get("/v1/disputes?stauts=won")).Error.Message; !strings.Contains(m, "status") || !strings.Contains(m, "cursor") {
			t.Errorf("the message does not list the route's parameters: %s", m)
		}

		// A refused POST changes nothing: the note is not added.
		testenv.WantError(t, c.Post("/v1/disputes/"+d.ID+"/notes?dry_run=1", map[string]any{"body": "hello"}), 400, "unknown_parameter")
		if n := len(testenv.Want[httpapi.List[httpapi.Note]](t, c.Get("/v1/disputes/"+d.ID+"/notes"), 200).Data); n != 0 {
			t.Errorf("a refused note was added: %d notes", n)
		}

		// Declared parameters still work, the older pagination included.
		wantListedSet(t, "status=won", c.Get("/v1/disputes?status=won"))
		wantListedSet(t, "status=needs_response", c.Get("/v1/disputes?status=needs_response"), d.ID)
		wantListedSet(t, "page and per_page", c.Get("/v1/disputes?page=1&per_page=10"), d.ID)
		testenv.WantStatus(t, c.Get("/v1/disputes?limit=1&cursor="), 200)
	})
}
