package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// receiver is a webhook endpoint in the test. It checks every delivery's signature with its own
// implementation of the Standard Webhooks scheme, not the server's code.
//
// The rules of deliveries (retries on the schedule, the attempts kept, redelivery, an endpoint
// disabled after its run of failures, secret rotation) are tested beside them, in
// internal/webhook; the wire types in internal/httpapi. What is here needs the whole server.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []delivery
	fail   int // answer 500 to this many deliveries first
	secret string
}

type delivery struct {
	id, timestamp string
	body          []byte
	validSigs     int // signatures that verify under the receiver's secret
	allSigs       int
}

func startReceiver(t *testing.T) *receiver {
	r := &receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		d := delivery{id: req.Header.Get("webhook-id"), timestamp: req.Header.Get("webhook-timestamp"), body: body}
		for _, sig := range strings.Fields(req.Header.Get("webhook-signature")) {
			d.allSigs++
			if r.secret != "" && standardSignature(r.secret, d.id, d.timestamp, body) == sig {
				d.validSigs++
			}
		}
		r.got = append(r.got, d)
		if r.fail > 0 {
			r.fail--
			http.Error(w, "receiver is down for maintenance", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.Close)
	return r
}

// standardSignature is "v1," + base64(HMAC-SHA256(key, id.timestamp.body)), the key being the
// base64 after "whsec_".
func standardSignature(secret, id, timestamp string, body []byte) string {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return "bad secret"
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + timestamp + "."))
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func (r *receiver) deliveries() []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]delivery(nil), r.got...)
}

func (r *receiver) setup(secret string, fail int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.secret, r.fail = secret, fail
}

// hookServer starts a server with a fake clock whose job runner the test drives, allowed to
// deliver to the receiver on loopback.
func hookServer(t *testing.T, db string) (*testServer, *fakeClock) {
	c := newClock()
	s := startConfigured(t, db, func(m *Main) { m.Now, m.JobLoop = c.Now, false }, map[string]string{"DISPUTED_WEBHOOK_ALLOW_PRIVATE": "1"})
	return s, c
}

func TestWebhooksAreSignedAndDelivered(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		s, _ := hookServer(t, db)
		r := startReceiver(t)
		ep := s.post("/v1/webhook_endpoints", map[string]any{"url": r.URL + "/hook", "events": []string{"dispute.created", "dispute.resolved"}})
		want(t, ep, 201)
		secret := ep.str("secret")
		if !strings.HasPrefix(secret, "whsec_") || ep.get("enabled") != true {
			t.Fatalf("created endpoint: %s", ep.raw)
		}
		if got := s.get("/v1/webhook_endpoints/" + ep.str("id")); got.get("secret") != nil {
			t.Fatalf("the secret is shown again: %s", got.raw)
		}
		r.setup(secret, 0)
		_, ord, _ := s.sale(1000, "usd")
		d := s.post("/v1/disputes", map[string]any{"type": "chargeback", "order_id": ord, "reason": "fraudulent"})
		want(t, d, 201)
		s.runJobs()
		got := r.deliveries()
		if len(got) != 1 || got[0].validSigs != 1 {
			t.Fatalf("deliveries: %+v", got)
		}
		var body map[string]any
		if err := json.Unmarshal(got[0].body, &body); err != nil {
			t.Fatal(err)
		}
		evt := s.get("/v1/events/" + body["id"].(string))
		if body["type"] != "dispute.created" || evt.str("type") != "dispute.created" || evt.str("dispute_id") != d.str("id") {
			t.Fatalf("delivered body %v; the event %s", body, evt.raw)
		}
		dl := s.get("/v1/webhook_endpoints/" + ep.str("id") + "/deliveries").list()
		if len(dl) != 1 || dl[0]["id"] != got[0].id || dl[0]["state"] != "delivered" || dl[0]["attempts"] != float64(1) {
			t.Fatalf("deliveries listed: %v", dl)
		}
		// Events the endpoint did not subscribe to are not delivered.
		want(t, s.post("/v1/disputes/"+d.str("id")+"/notes", map[string]any{"body": "n"}), 201)
		want(t, s.post("/v1/disputes/"+d.str("id")+"/resolve", map[string]any{"resolution": "won", "notes": "ok"}), 200)
		s.runJobs()
		types := []string{}
		for _, g := range r.deliveries() {
			var b map[string]any
			_ = json.Unmarshal(g.body, &b)
			types = append(types, b["type"].(string))
		}
		if strings.Join(types, ",") != "dispute.created,dispute.resolved" {
			t.Fatalf("delivered types %v", types)
		}
	})
}

func TestWebhookEndpointsAPI(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *testServer) {
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
			r := s.post("/v1/webhook_endpoints", tt.body)
			if r.status != 422 || r.str("error", "param") != tt.param {
				t.Errorf("%v: %d %s, want 422 on %s", tt.body, r.status, r.raw, tt.param)
			}
		}
		agent := s.as(s.newKey("agent", ""))
		want(t, agent.post("/v1/webhook_endpoints", map[string]any{"url": "https://hooks.example", "events": []string{"*"}}), 403)
		want(t, agent.get("/v1/webhook_endpoints"), 403)
		ep := s.post("/v1/webhook_endpoints", map[string]any{"url": "https://hooks.example/x", "events": []string{"*"}})
		want(t, ep, 201)
		if l := s.get("/v1/webhook_endpoints").list(); len(l) != 1 || l[0]["secret"] != nil {
			t.Fatalf("list: %v", l)
		}
		want(t, s.call(http.MethodDelete, "/v1/webhook_endpoints/"+ep.str("id"), nil), 200)
		want(t, s.get("/v1/webhook_endpoints/"+ep.str("id")), 404)
		want(t, s.get("/v1/webhook_deliveries/msg_nope"), 404)
	})
}

// TestWebhookToAPrivateAddressIsRefused: without DISPUTED_WEBHOOK_ALLOW_PRIVATE a delivery to
// loopback fails at once, with the reason, and the receiver hears nothing.
func TestWebhookToAPrivateAddressIsRefused(t *testing.T) {
	t.Parallel()
	c := newClock()
	s := clocked(t, dbFor(t, "sqlite"), c)
	r := startReceiver(t)
	ep := s.post("/v1/webhook_endpoints", map[string]any{"url": r.URL, "events": []string{"*"}})
	want(t, s.post("/v1/blocklist", map[string]any{"kind": "email", "value": "a@example.com"}), 201)
	s.runJobs()
	dl := s.get("/v1/webhook_endpoints/" + ep.str("id") + "/deliveries").list()
	if len(dl) != 1 || dl[0]["state"] != "failed" || !strings.Contains(dl[0]["last_error"].(string), "private address") || len(r.deliveries()) != 0 {
		t.Fatalf("deliveries: %v; received %d", dl, len(r.deliveries()))
	}
}
