package httpapi

import (
	"encoding/json"
	"testing"
	"time"

	"disputed/internal/store"
	"disputed/internal/webhook"
)

// wireOf is v as the API writes it, read back as untyped JSON.
func wireOf(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := marshalJSON(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestWebhookEndpointWire: an endpoint shows its state and its run of failures, the end of its
// previous secret's grace only after a rotation, and its secret only in the answers that show it
// once (create, rotate).
func TestWebhookEndpointWire(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	e := store.WebhookEndpoint{ID: "we_1", URL: "https://hooks.example", Events: []string{"*"}, Secret: "whsec_new",
		PreviousSecret: "whsec_old", PreviousUntil: at.Add(24 * time.Hour), DisabledReason: "2 failed attempts in a row; the last: 500",
		FailureStreak: 2, DisableAfter: 2, CreatedAt: at, UpdatedAt: at}
	got := wireOf(t, endpointOut(e))
	if got["object"] != "webhook_endpoint" || got["enabled"] != false || got["disabled_reason"] != e.DisabledReason ||
		got["failure_streak"] != float64(2) || got["disable_after_failures"] != float64(2) ||
		got["previous_secret_until"] != "2026-11-24T12:00:00Z" {
		t.Errorf("endpoint: %v", got)
	}
	if _, ok := got["secret"]; ok {
		t.Errorf("an endpoint shows its secret: %v", got)
	}
	if got := wireOf(t, withSecret(e)); got["secret"] != "whsec_new" || got["id"] != "we_1" {
		t.Errorf("the answer that shows the secret: %v", got)
	}
	e.PreviousSecret, e.Enabled, e.DisabledReason, e.FailureStreak = "", true, "", 0
	got = wireOf(t, endpointOut(e))
	if got["previous_secret_until"] != nil || got["enabled"] != true || got["disabled_reason"] != nil || got["failure_streak"] != float64(0) {
		t.Errorf("endpoint never rotated, enabled: %v", got)
	}
}

// TestWebhookDeliveryWire: a delivery with every attempt, oldest first, each with what the
// receiver answered (no status when there was no answer); a listed delivery without them.
func TestWebhookDeliveryWire(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	d := store.WebhookDelivery{ID: "msg_1", EndpointID: "we_1", EventID: "evt_1", EventType: "customer.blocked",
		State: store.DeliveryDelivered, Attempts: 3, LastStatus: 204, CreatedAt: at, UpdatedAt: at, DeliveredAt: at}
	v := webhook.DeliveryView{Delivery: d, Attempts: []store.WebhookAttempt{
		{Status: 500, Response: "receiver is down for maintenance", Error: "the receiver answered 500 Internal Server Error", CreatedAt: at},
		{Error: "connection refused", Latency: 3 * time.Millisecond, CreatedAt: at},
		{Status: 204, CreatedAt: at},
	}}
	got := wireOf(t, deliveryViewOut(v))
	tries, _ := got["attempt_log"].([]any)
	if got["id"] != "msg_1" || got["state"] != "delivered" || got["attempts"] != float64(3) || got["last_status"] != float64(204) || len(tries) != 3 {
		t.Fatalf("delivery: %v", got)
	}
	first, second, last := tries[0].(map[string]any), tries[1].(map[string]any), tries[2].(map[string]any)
	if first["status"] != float64(500) || first["response"] != "receiver is down for maintenance" || first["error"] == nil ||
		second["status"] != nil || second["error"] != "connection refused" || second["latency_ms"] != float64(3) ||
		last["status"] != float64(204) || last["error"] != nil {
		t.Errorf("attempts: %v", tries)
	}
	d.LastStatus, d.State = 0, store.DeliveryPending
	listed := wireOf(t, deliveryOut(d))
	if _, ok := listed["attempt_log"]; ok || listed["last_status"] != nil {
		t.Errorf("listed delivery: %v", listed)
	}
}

// TestEndpointInParams: a change names only what it changes; what it leaves out stays as it is.
func TestEndpointInParams(t *testing.T) {
	t.Parallel()
	var on EndpointIn
	if err := json.Unmarshal([]byte(`{"enabled": true}`), &on.Body); err != nil {
		t.Fatal(err)
	}
	p := on.params()
	if p.Enabled == nil || !*p.Enabled || p.URL != nil || p.Events != nil || p.Description != nil || p.DisableAfter != nil {
		t.Errorf("enable: %+v", p)
	}
	var all EndpointIn
	if err := json.Unmarshal([]byte(`{"url": "https://hooks.example", "events": ["*"], "description": "ops",
		"disable_after_failures": 2, "enabled": false}`), &all.Body); err != nil {
		t.Fatal(err)
	}
	p = all.params()
	if *p.URL != "https://hooks.example" || len(*p.Events) != 1 || *p.Description != "ops" || *p.DisableAfter != 2 || *p.Enabled {
		t.Errorf("every field: %+v", p)
	}
}
