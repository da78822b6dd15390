package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// receiver is a webhook endpoint in the test. It checks every delivery's signature with its own
// implementation of the Standard Webhooks scheme, not the server's code.
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
func hookServer(t *testing.T, db string) (*server, *fakeClock) {
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

// TestWebhookEndpointFailsThenRecovers: failed attempts are retried on the schedule and each is
// listed with what the receiver answered; a delivery keeps its id across attempts.
func TestWebhookEndpointFailsThenRecovers(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		s, c := hookServer(t, db)
		r := startReceiver(t)
		ep := s.post("/v1/webhook_endpoints", map[string]any{"url": r.URL, "events": []string{"customer.blocked"}})
		r.setup(ep.str("secret"), 2)
		want(t, s.post("/v1/blocklist", map[string]any{"kind": "email", "value": "fraud@example.com"}), 201)
		s.runJobs()
		if n := len(r.deliveries()); n != 1 {
			t.Fatalf("%d deliveries after the first run", n)
		}
		c.Advance(5 * time.Second)
		s.runJobs()
		c.Advance(5 * time.Minute)
		s.runJobs()
		got := r.deliveries()
		if len(got) != 3 || got[0].id != got[2].id || got[2].validSigs != 1 {
			t.Fatalf("deliveries: %+v", got)
		}
		dl := s.get("/v1/webhook_endpoints/" + ep.str("id") + "/deliveries").list()
		one := s.get("/v1/webhook_deliveries/" + dl[0]["id"].(string))
		tries := one.objs("attempt_log")
		if one.str("state") != "delivered" || len(tries) != 3 || tries[0]["status"] != float64(500) ||
			!strings.Contains(tries[0]["response"].(string), "maintenance") || tries[2]["status"] != float64(204) {
			t.Fatalf("delivery: %s", one.raw)
		}
		if got := s.get("/v1/webhook_endpoints/" + ep.str("id")); got.num("failure_streak") != 0 {
			t.Fatalf("the run of failures did not end: %s", got.raw)
		}
		// Redelivery sends it once more, under the same id.
		want(t, s.post("/v1/webhook_deliveries/"+dl[0]["id"].(string)+"/redeliver", nil), 200)
		s.runJobs()
		if got := r.deliveries(); len(got) != 4 || got[3].id != got[0].id {
			t.Fatalf("after redelivery: %+v", got)
		}
	})
}

func TestWebhookEndpointIsDisabledAfterARunOfFailures(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		s, c := hookServer(t, db)
		r := startReceiver(t)
		ep := s.post("/v1/webhook_endpoints", map[string]any{"url": r.URL, "events": []string{"*"}, "disable_after_failures": 2})
		r.setup(ep.str("secret"), 1000)
		want(t, s.post("/v1/blocklist", map[string]any{"kind": "email", "value": "a@example.com"}), 201)
		for range 3 {
			s.runJobs()
			c.Advance(time.Hour)
		}
		got := s.get("/v1/webhook_endpoints/" + ep.str("id"))
		if got.get("enabled") != false || !strings.Contains(got.str("disabled_reason"), "2 failed attempts in a row") {
			t.Fatalf("endpoint after two failures: %s", got.raw)
		}
		if n := len(r.deliveries()); n != 2 {
			t.Fatalf("%d attempts reached the receiver, want 2", n)
		}
		want(t, s.post("/v1/blocklist", map[string]any{"kind": "email", "value": "b@example.com"}), 201)
		s.runJobs()
		if n := len(r.deliveries()); n != 2 {
			t.Fatal("a disabled endpoint received an event")
		}
		r.setup(ep.str("secret"), 0)
		on := s.post("/v1/webhook_endpoints/"+ep.str("id"), map[string]any{"enabled": true})
		if on.get("enabled") != true || on.num("failure_streak") != 0 {
			t.Fatalf("re-enabled: %s", on.raw)
		}
		want(t, s.post("/v1/blocklist", map[string]any{"kind": "email", "value": "c@example.com"}), 201)
		s.runJobs()
		if got := r.deliveries(); len(got) != 3 || got[2].validSigs != 1 {
			t.Fatalf("after re-enabling: %+v", got)
		}
	})
}

func TestWebhookSecretRotation(t *testing.T) {
	t.Parallel()
	s, c := hookServer(t, dbFor(t, "sqlite"))
	r := startReceiver(t)
	ep := s.post("/v1/webhook_endpoints", map[string]any{"url": r.URL, "events": []string{"customer.blocked"}})
	old := ep.str("secret")
	rot := s.post("/v1/webhook_endpoints/"+ep.str("id")+"/rotate_secret", nil)
	want(t, rot, 200)
	fresh := rot.str("secret")
	if fresh == old || !strings.HasPrefix(fresh, "whsec_") || rot.get("previous_secret_until") == nil {
		t.Fatalf("rotated: %s", rot.raw)
	}
	for i, secret := range []string{old, fresh} {
		r.setup(secret, 0)
		want(t, s.post("/v1/blocklist", map[string]any{"kind": "ip", "value": fmt.Sprintf("10.0.0.%d", i+1)}), 201)
		s.runJobs()
		got := r.deliveries()
		if last := got[len(got)-1]; last.allSigs != 2 || last.validSigs != 1 {
			t.Fatalf("during the grace period, signed with %d signatures, %d valid under %s", last.allSigs, last.validSigs, secret)
		}
	}
	c.Advance(25 * time.Hour)
	r.setup(fresh, 0)
	want(t, s.post("/v1/blocklist", map[string]any{"kind": "ip", "value": "10.0.0.99"}), 201)
	s.runJobs()
	got := r.deliveries()
	if last := got[len(got)-1]; last.allSigs != 1 || last.validSigs != 1 {
		t.Fatalf("after the grace period: %+v", last)
	}
}

func TestWebhookEndpointsAPI(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, s *server) {
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
