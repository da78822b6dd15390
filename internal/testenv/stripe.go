package testenv

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"disputed/internal/app"
)

// StripeSecret is the webhook secret of the Stripe provider that StripeProvider configures.
const StripeSecret = "whsec_test_stripe_0123456789"

// StripeProvider configures the provider "stripe". Without an API key the answers it is sent
// fail for good (Stripe cannot be asked); apiBase "" is Stripe's own API.
func (e *Env) StripeProvider(apiKey, apiBase string) {
	e.T.Helper()
	Must(e.App.CreateProvider(e.Ctx, Admin, app.ProviderParams{Name: "stripe", Type: "stripe", WebhookSecret: StripeSecret,
		APIKey: apiKey, APIBase: apiBase}))(e.T)
}

// StripeEvent is a Stripe dispute event as Stripe sends it (API version 2024-06-20): dispute dp,
// of USD 49.99, on the charge whose id at Stripe is charge, created at created.
func StripeEvent(id, typ, status, dp, charge string, created time.Time) map[string]any {
	return map[string]any{"id": id, "object": "event", "api_version": "2024-06-20", "created": created.Unix(), "livemode": false,
		"type": typ, "pending_webhooks": 1, "request": map[string]any{"id": nil, "idempotency_key": nil},
		"data": map[string]any{"object": map[string]any{
			"id": dp, "object": "dispute", "amount": 4999, "currency": "usd", "charge": charge,
			"payment_intent": "pi_3QStripe0001", "reason": "fraudulent", "status": status, "livemode": false,
			"created": created.Add(-time.Minute).Unix(), "is_charge_refundable": false, "metadata": map[string]any{},
			"evidence": map[string]any{}, "balance_transactions": []any{},
			"evidence_details": map[string]any{"due_by": created.Add(9 * 24 * time.Hour).Unix(), "has_evidence": false,
				"past_due": false, "submission_count": 0},
			"payment_method_details": map[string]any{"type": "card", "card": map[string]any{"brand": "visa", "network_reason_code": "10.4"}},
		}}}
}

// SendStripe delivers an event to the provider "stripe", signed with StripeSecret the way Stripe
// signs (computed here, not with the server's code) at the clock's time, and applies the inbox.
func (e *Env) SendStripe(event map[string]any) (EventResult, error) {
	e.T.Helper()
	h, body := e.signStripe(event)
	return e.Notify("stripe", h, body)
}

// StoreStripe is SendStripe that leaves the event in the inbox: what the webhook's caller sees.
func (e *Env) StoreStripe(event map[string]any) (app.ProviderReceipt, error) {
	e.T.Helper()
	h, body := e.signStripe(event)
	return e.App.ReceiveProviderEvent(e.Ctx, "stripe", h, body)
}

// signStripe is the event's body and its Stripe-Signature at the clock's time.
func (e *Env) signStripe(event map[string]any) (http.Header, []byte) {
	body, err := json.Marshal(event)
	if err != nil {
		e.T.Fatal(err)
	}
	ts := fmt.Sprint(e.Clock.Now().Unix())
	mac := hmac.New(sha256.New, []byte(StripeSecret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	h := http.Header{}
	h.Set("Stripe-Signature", "t="+ts+",v1="+hex.EncodeToString(mac.Sum(nil)))
	return h, body
}

// StripeAPI is Stripe's dispute API as far as disputed calls it: it takes evidence and
// concessions, or refuses them (a permanent 400) while refusing.
type StripeAPI struct {
	*httptest.Server
	mu     sync.Mutex
	refuse bool
	paths  []string     // the requests it took
	forms  []url.Values // their bodies
}

// StartStripeAPI starts a StripeAPI, stopped when the test ends.
func StartStripeAPI(t testing.TB) *StripeAPI {
	f := &StripeAPI{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		if f.refuse {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"error":{"type":"invalid_request_error","code":"resource_missing","message":"No such dispute"}}`))
			return
		}
		_ = r.ParseForm()
		f.paths = append(f.paths, r.URL.Path+"?submit="+r.PostForm.Get("submit"))
		f.forms = append(f.forms, r.PostForm)
		_, _ = w.Write([]byte(`{"object":"dispute"}`))
	}))
	t.Cleanup(f.Close)
	return f
}

// Refuse makes the API refuse what it is sent (true) or take it (false).
func (f *StripeAPI) Refuse(refuse bool) { f.mu.Lock(); f.refuse = refuse; f.mu.Unlock() }

// Took returns the requests it took, as path?submit=value, oldest first.
func (f *StripeAPI) Took() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.paths...)
}

// Forms returns the bodies of the requests it took, oldest first.
func (f *StripeAPI) Forms() []url.Values {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]url.Values(nil), f.forms...)
}
