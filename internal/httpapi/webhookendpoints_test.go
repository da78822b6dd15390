package httpapi_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"disputed/internal/httpapi"
	"disputed/internal/outbound"
	"disputed/internal/testenv"
	"disputed/internal/webhook/webhooktest"
)

// The rules of deliveries (retries on the schedule, the attempts kept, redelivery, an endpoint
// disabled after its run of failures, secret rotation) are tested beside them, in
// internal/webhook; the wire types in webhooks_test.go. What is here is the API over them.

// eachServedWithOutbound is EachServed with the deliveries going out through an outbound client
// of policy.
func eachServedWithOutbound(t *testing.T, policy outbound.Policy, fn func(t *testing.T, e *testenv.Env, c *testenv.Client)) {
	client := outbound.NewClient(policy)
	t.Cleanup(client.CloseIdleConnections)
	testenv.EachWith(t, testenv.Options{Outbound: client}, func(t *testing.T, e *testenv.Env) { fn(t, e, e.Serve()) })
}

func TestWebhooksAreSignedAndDelivered(t *testing.T) {
	t.Parallel()
	eachServedWithOutbound(t, outbound.AllowInternal, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		r := webhooktest.Start(t)
		ep := testenv.Want[httpapi.EndpointWithSecret](t, c.Post("/v1/webhook_endpoints",
			map[string]any{"url": r.URL + "/hook", "events": []string{"dispute.created", "dispute.resolved"}}), 201)
		if !strings.HasPrefix(ep.Secret, "whsec_") || !ep.Enabled {
			t.Fatalf("created endpoint: %+v", ep)
		}
		if got := c.Get("/v1/webhook_endpoints/" + ep.ID); strings.Contains(got.String(), `"secret"`) {
			t.Fatalf("the secret is shown again: %s", got)
		}
		r.Setup(ep.Secret, 0)
		sale := e.Sale(testenv.SaleParams{Amount: 1000})
		d := testenv.Want[httpapi.Dispute](t, c.Post("/v1/disputes",
			map[string]any{"type": "chargeback", "order_id": sale.Order.ID, "reason": "fraudulent"}), 201)
		e.RunJobs()
		got := r.Deliveries()
		if len(got) != 1 || got[0].ValidSigs != 1 {
			t.Fatalf("deliveries: %+v", got)
		}
		body := testenv.Decode[httpapi.Event](t, testenv.Response{Raw: got[0].Body})
		evt := testenv.Want[httpapi.Event](t, c.Get("/v1/events/"+body.ID), 200)
		if body.Type != "dispute.created" || evt.Type != "dispute.created" || evt.DisputeID == nil || *evt.DisputeID != d.ID {
			t.Fatalf("delivered body %s; the event %+v", got[0].Body, evt)
		}
		dl := testenv.Want[httpapi.List[httpapi.WebhookDelivery]](t, c.Get("/v1/webhook_endpoints/"+ep.ID+"/deliveries"), 200).Data
		if len(dl) != 1 || dl[0].ID != got[0].ID || dl[0].State != "delivered" || dl[0].Attempts != 1 {
			t.Fatalf("deliveries listed: %+v", dl)
		}
		if failed := testenv.Want[httpapi.List[httpapi.WebhookDelivery]](t, c.Get("/v1/webhook_endpoints/"+ep.ID+"/deliveries?state=failed"), 200).Data; len(failed) != 0 {
			t.Fatalf("failed deliveries listed: %+v", failed)
		}
		testenv.WantStatus(t, c.Get("/v1/webhook_endpoints/"+ep.ID+"/deliveries?state="), 200)
		if bad := testenv.WantError(t, c.Get("/v1/webhook_endpoints/"+ep.ID+"/deliveries?state=lost"), 422, "invalid_value", "state"); !strings.Contains(bad.Message, "pending, delivered, failed") ||
			strings.Contains(bad.Message, "failed, ") {
			t.Errorf("an unknown state: %q, want the three states named, and nothing after them", bad.Message)
		}
		// Events the endpoint did not subscribe to are not delivered.
		testenv.WantStatus(t, c.Post("/v1/disputes/"+d.ID+"/notes", map[string]any{"body": "n"}), 201)
		testenv.WantStatus(t, c.Post("/v1/disputes/"+d.ID+"/resolve", map[string]any{"resolution": "won", "notes": "ok"}), 200)
		e.RunJobs()
		var types []string
		for _, g := range r.Deliveries() {
			var b struct{ Type string }
			if err := json.Unmarshal(g.Body, &b); err != nil {
				t.Fatal(err)
			}
			types = append(types, b.Type)
		}
		if strings.Join(types, ",") != "dispute.created,dispute.resolved" {
			t.Fatalf("delivered types %v", types)
		}
	})
}

func TestWebhookEndpointsAPI(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		for _, tt := range []struct {
			body  map[string]any
			param string
		}{
			{map[string]any{"events": []string{"*"}}, "url"},
			{map[string]any{"url": "ftp://hooks.example", "events": []string{"*"}}, "url"},
			{map[string]any{"url": "https://hooks.example"}, "events"},
			{map[string]any{"url": "https://hooks.example", "events": []string{"dispute.exploded"}}, "events"},
			{map[string]any{"url": "https://hooks.example", "events": []string{"*"}, "disable_after_failures": 0}, "disable_after_failures"},
		} {
			r := c.Post("/v1/webhook_endpoints", tt.body)
			if got := testenv.Decode[httpapi.ErrorBody](t, r).Error.Param; r.Status != 422 || got != tt.param {
				t.Errorf("%v: %d %s, want 422 on %s", tt.body, r.Status, r, tt.param)
			}
		}
		agent := c.As(e.NewKey("agent", ""))
		testenv.WantStatus(t, agent.Post("/v1/webhook_endpoints", map[string]any{"url": "https://hooks.example", "events": []string{"*"}}), 403)
		testenv.WantStatus(t, agent.Get("/v1/webhook_endpoints"), 403)
		ep := testenv.Want[httpapi.EndpointWithSecret](t, c.Post("/v1/webhook_endpoints",
			map[string]any{"url": "https://hooks.example/x", "events": []string{"*"}}), 201)
		if l := c.Get("/v1/webhook_endpoints"); len(testenv.Want[httpapi.List[httpapi.WebhookEndpoint]](t, l, 200).Data) != 1 ||
			strings.Contains(l.String(), `"secret"`) {
			t.Fatalf("list: %s", l)
		}
		testenv.WantStatus(t, c.Do(http.MethodDelete, "/v1/webhook_endpoints/"+ep.ID, nil), 200)
		testenv.WantStatus(t, c.Get("/v1/webhook_endpoints/"+ep.ID), 404)
		testenv.WantStatus(t, c.Get("/v1/webhook_deliveries/msg_nope"), 404)
	})
}

// TestWebhookToAPrivateAddressIsRefused: when the outbound client refuses private addresses (as
// without DISPUTED_WEBHOOK_ALLOW_PRIVATE), a delivery to loopback is listed failed at once, with
// the reason, and the receiver hears nothing.
func TestWebhookToAPrivateAddressIsRefused(t *testing.T) {
	t.Parallel()
	eachServedWithOutbound(t, outbound.Policy{}, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		r := webhooktest.Start(t)
		ep := testenv.Want[httpapi.EndpointWithSecret](t, c.Post("/v1/webhook_endpoints", map[string]any{"url": r.URL, "events": []string{"*"}}), 201)
		testenv.WantStatus(t, c.Post("/v1/blocklist", map[string]any{"kind": "email", "value": "a@example.com"}), 201)
		e.RunJobs()
		dl := testenv.Want[httpapi.List[httpapi.WebhookDelivery]](t, c.Get("/v1/webhook_endpoints/"+ep.ID+"/deliveries"), 200).Data
		if len(dl) != 1 || dl[0].State != "failed" || dl[0].LastError == nil || !strings.Contains(*dl[0].LastError, "private address") ||
			len(r.Deliveries()) != 0 {
			t.Fatalf("deliveries: %+v; received %d", dl, len(r.Deliveries()))
		}
	})
}
