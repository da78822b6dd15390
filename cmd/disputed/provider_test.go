package main

import (
	"context"
	"crypto"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"hash/crc32"
	"math/big"
	"net/http"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"disputed/internal/provider/generic"
	"disputed/internal/provider/paypal"
	"disputed/internal/provider/stripe/stripemock"
)

const stripeSecret = "whsec_test_stripe_0123456789"

// providerServer starts a server with a fake clock whose job runner the test drives, with a
// Stripe provider configured (its API at apiBase, when given).
func providerServer(t *testing.T, db, apiBase string) (*testServer, *fakeClock) {
	t.Helper()
	c := newClock()
	s := startConfigured(t, db, func(m *Main) { m.Now, m.JobLoop = c.Now, false }, map[string]string{"DISPUTED_WEBHOOK_ALLOW_PRIVATE": "1"})
	p := map[string]any{"name": "stripe", "type": "stripe", "webhook_secret": "whsec_old_one," + stripeSecret, "api_key": "sk_test_123"}
	if apiBase != "" {
		p["api_base"] = apiBase
	}
	want(t, s.post("/v1/providers", p), 201)
	want(t, s.post("/v1/settings", map[string]any{"block_on_dispute": true}), 200)
	return s, c
}

// stripeEvent is a Stripe dispute event as Stripe sends it (API version 2024-06-20).
func stripeEvent(id, typ, status, charge string, created time.Time) map[string]any {
	return map[string]any{"id": id, "object": "event", "api_version": "2024-06-20", "created": created.Unix(), "livemode": false,
		"type": typ, "pending_webhooks": 1, "request": map[string]any{"id": nil, "idempotency_key": nil},
		"data": map[string]any{"object": map[string]any{
			"id": "dp_1QStripe0001", "object": "dispute", "amount": 4999, "currency": "usd", "charge": charge,
			"payment_intent": "pi_3QStripe0001", "reason": "fraudulent", "status": status, "livemode": false,
			"created": created.Add(-time.Minute).Unix(), "is_charge_refundable": false, "metadata": map[string]any{},
			"evidence": map[string]any{}, "balance_transactions": []any{},
			"evidence_details": map[string]any{"due_by": created.Add(9 * 24 * time.Hour).Unix(), "has_evidence": false,
				"past_due": false, "submission_count": 0},
			"payment_method_details": map[string]any{"type": "card", "card": map[string]any{"brand": "visa", "network_reason_code": "10.4"}},
		}}}
}

// postStripe sends an event signed the way Stripe signs (computed here, not with the server's
// code) at the server's time.
func postStripe(s *testServer, c *fakeClock, event map[string]any, secret string) response {
	s.t.Helper()
	return postStripeAt(s, c.Now(), event, secret)
}

func postStripeAt(s *testServer, at time.Time, event map[string]any, secret string) response {
	s.t.Helper()
	body, err := json.Marshal(event)
	if err != nil {
		s.t.Fatal(err)
	}
	ts := fmt.Sprint(at.Unix())
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return s.call(http.MethodPost, "/v1/providers/stripe/webhook", body,
		"Stripe-Signature", "t="+ts+",v1="+hex.EncodeToString(mac.Sum(nil)), "Authorization", "")
}

func TestStripeDisputeIsHandledAutomatically(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		s, c := providerServer(t, db, "")
		cus, ord, charge := s.sale(4999, "usd", map[string]any{"panel": "manual", "external_id": "svc-1"})
		ref := s.get("/v1/transactions/" + charge).str("provider_reference")
		created := stripeEvent("evt_1", "charge.dispute.created", "needs_response", ref, c.Now())

		forged := postStripe(s, c, created, "whsec_wrong")
		want(t, forged, 401, "invalid_signature")
		want(t, postStripeAt(s, c.Now().Add(-10*time.Minute), created, stripeSecret), 401, "invalid_signature")
		if n := len(s.get("/v1/disputes").list()); n != 0 {
			t.Fatalf("a refused event stored %d disputes", n)
		}

		r := postStripe(s, c, created, stripeSecret)
		want(t, r, 200)
		id := r.str("dispute_id")
		d := s.get("/v1/disputes/" + id)
		if d.str("provider_dispute_id") != "dp_1QStripe0001" || d.str("provider") != "stripe" || d.str("transaction_id") != charge ||
			d.str("order_id") != ord || d.str("customer_id") != cus || d.str("network_reason_code") != "10.4" ||
			d.num("amount") != 4999 || d.str("currency") != "USD" || d.str("status") != "needs_response" || d.get("due_by") == nil {
			t.Fatalf("dispute from Stripe: %s", d.raw)
		}
		// What opening a dispute means happened in the same transaction.
		if l := lineOf(s, ord); l["pending_action"] != "suspend" {
			t.Errorf("line not suspended: %v", l)
		}
		email := s.get("/v1/customers/" + cus).str("email")
		if bl := s.get("/v1/blocklist?kind=email").list(); len(bl) != 1 || bl[0]["value"] != email {
			t.Errorf("block list: %v", bl)
		}
		if es := emailsOf(s, "/v1/disputes/"+id); len(es) != 1 || es[0]["template"] != "dispute_opened" {
			t.Errorf("emails: %v", es)
		}
		if js := s.get("/v1/jobs?kind=dispute.deadline&state=scheduled").list(); len(js) != 1 {
			t.Errorf("deadline jobs: %v", js)
		}
		tl := s.get("/v1/disputes/" + id + "/timeline").list()
		if tl[len(tl)-1]["action"] != "provider_event" || tl[len(tl)-1]["actor"] != "provider:stripe" {
			t.Errorf("timeline ends with %v", tl[len(tl)-1])
		}
		payload, _ := tl[len(tl)-1]["payload"].(map[string]any)
		if payload["id"] != "evt_1" || payload["type"] != "charge.dispute.created" {
			t.Errorf("the raw payload on the timeline: %v", tl[len(tl)-1]["payload"])
		}

		// A replay, twice, changes nothing.
		events := len(s.get("/v1/events?limit=100").list())
		for range 2 {
			again := postStripe(s, c, created, stripeSecret)
			want(t, again, 200)
			if again.get("duplicate") != true {
				t.Fatalf("replay: %s", again.raw)
			}
		}
		if n := len(s.get("/v1/disputes").list()); n != 1 {
			t.Fatalf("%d disputes after replays", n)
		}
		if n := len(s.get("/v1/events?limit=100").list()); n != events {
			t.Fatalf("replays wrote %d events", n-events)
		}

		// Money withdrawn, then the decision; an older update arriving late changes nothing.
		c.Advance(time.Minute)
		want(t, postStripe(s, c, stripeEvent("evt_2", "charge.dispute.funds_withdrawn", "needs_response", ref, c.Now()), stripeSecret), 200)
		late := stripeEvent("evt_3", "charge.dispute.updated", "under_review", ref, c.Now())
		c.Advance(time.Minute)
		want(t, postStripe(s, c, stripeEvent("evt_4", "charge.dispute.closed", "lost", ref, c.Now()), stripeSecret), 200)
		lr := postStripe(s, c, late, stripeSecret)
		want(t, lr, 200)
		if !strings.Contains(lr.str("outcome"), "older") {
			t.Errorf("late event outcome: %s", lr.raw)
		}
		d = s.get("/v1/disputes/" + id)
		if d.str("status") != "lost" || d.str("resolved_by") != "provider:stripe" {
			t.Fatalf("after closed lost and a late update: %s", d.raw)
		}
		pay := s.get("/v1/transactions/" + charge)
		if pay.num("amount_withdrawn") != 4999 {
			t.Fatalf("withdrawn %d, want the disputed amount once: %s", pay.num("amount_withdrawn"), pay.raw)
		}
		if l := lineOf(s, ord); l["pending_action"] != "terminate" {
			t.Errorf("line after the loss: %v", l)
		}
	})
}

// TestStripeMatchArrivesAfterTheDispute: a dispute on a charge not recorded yet stays visible,
// unmatched; the next event after the charge is recorded matches it.
func TestStripeMatchArrivesAfterTheDispute(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		s, c := providerServer(t, db, "")
		r := postStripe(s, c, stripeEvent("evt_a", "charge.dispute.created", "needs_response", "ch_3QLater", c.Now()), stripeSecret)
		want(t, r, 200)
		id := r.str("dispute_id")
		if d := s.get("/v1/disputes/" + id); d.get("transaction_id") != nil || !strings.Contains(r.str("outcome"), "unmatched") {
			t.Fatalf("unmatched dispute: %s / %s", d.raw, r.raw)
		}
		cus := s.post("/v1/customers", map[string]any{"email": "late@example.com"})
		o := s.post("/v1/orders", map[string]any{"customer_id": cus.str("id"), "currency": "USD", "items": []any{map[string]any{"description": "x", "amount": 4999}}})
		want(t, s.post("/v1/orders/"+o.str("id")+"/complete", nil), 200)
		ch := s.post("/v1/transactions", map[string]any{"type": "charge", "amount": 4999, "currency": "USD", "order_id": o.str("id"),
			"provider": "stripe", "provider_reference": "ch_3QLater"})
		c.Advance(time.Minute)
		want(t, postStripe(s, c, stripeEvent("evt_b", "charge.dispute.updated", "needs_response", "ch_3QLater", c.Now()), stripeSecret), 200)
		d := s.get("/v1/disputes/" + id)
		if d.str("transaction_id") != ch.str("id") || d.str("order_id") != o.str("id") || s.get("/v1/orders/"+o.str("id")).str("dispute_id") != id {
			t.Fatalf("after the match: %s", d.raw)
		}
	})
}

// TestStripeAnswersArePushedToStripe sends staged and submitted evidence and a concession to
// stripe-mock, which checks the requests' shape.
func TestStripeAnswersArePushedToStripe(t *testing.T) {
	t.Parallel()
	base := stripemock.Start(t)
	s, c := providerServer(t, dbFor(t, "sqlite"), base)
	_, _, charge := s.sale(4999, "usd")
	ref := s.get("/v1/transactions/" + charge).str("provider_reference")
	id := postStripe(s, c, stripeEvent("evt_p", "charge.dispute.created", "needs_response", ref, c.Now()), stripeSecret).str("dispute_id")
	d := s.get("/v1/disputes/" + id)
	staged := s.post("/v1/disputes/"+id, map[string]any{"revision": d.num("revision"),
		"evidence": map[string]any{"customer_name": "Ada", "uncategorized_text": "logs attached", "product_description": "IPTV"}})
	want(t, staged, 200)
	s.runJobs()
	want(t, s.post("/v1/disputes/"+id+"/submit", map[string]any{}), 200)
	s.runJobs()
	notes := []string{}
	for _, e := range s.get("/v1/disputes/" + id + "/timeline").list() {
		if e["action"] == "pushed_to_provider" || e["action"] == "provider_push_failed" {
			notes = append(notes, e["note"].(string))
		}
	}
	if len(notes) != 2 || !strings.HasPrefix(notes[0], "evidence staged at stripe") || !strings.HasPrefix(notes[1], "evidence submitted to stripe") {
		t.Fatalf("pushes: %q", notes)
	}

	_, _, charge2 := s.sale(4999, "usd")
	ref2 := s.get("/v1/transactions/" + charge2).str("provider_reference")
	ev := stripeEvent("evt_q", "charge.dispute.created", "needs_response", ref2, c.Now())
	ev["data"].(map[string]any)["object"].(map[string]any)["id"] = "dp_1QStripe0002"
	second := postStripe(s, c, ev, stripeSecret)
	want(t, second, 200)
	id2 := second.str("dispute_id")
	want(t, s.post("/v1/disputes/"+id2+"/close", map[string]any{}), 200)
	s.runJobs()
	var pushed []any
	for _, e := range s.get("/v1/disputes/" + id2 + "/timeline").list() {
		if e["action"] == "pushed_to_provider" {
			pushed = append(pushed, e["note"])
		}
	}
	if len(pushed) != 1 || pushed[0] != "concession sent to stripe" || s.get("/v1/disputes/"+id2).str("status") != "lost" {
		t.Fatalf("concession: %v", pushed)
	}
	if dead := s.get("/v1/jobs?state=dead").list(); len(dead) != 0 {
		t.Fatalf("dead jobs: %v", dead)
	}
}

func TestGenericFeed(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		c := newClock()
		s := clocked(t, db, c)
		const secret = "generic-feed-secret"
		want(t, s.post("/v1/providers", map[string]any{"name": "alerts", "type": "generic", "webhook_secret": secret}), 201)
		post := func(payload map[string]any, key string) response {
			body, _ := json.Marshal(payload)
			return s.call(http.MethodPost, "/v1/providers/alerts/webhook", body,
				"X-Signature", generic.Sign(key, c.Now(), body), "Authorization", "")
		}
		_, ord, charge := s.sale(4999, "usd", map[string]any{"panel": "manual", "external_id": "svc-1"})
		ref := s.get("/v1/transactions/" + charge).str("provider_reference")
		rdr := map[string]any{"id": "alrt-1", "type": "alert", "alert_type": "rdr", "amount": "49.99", "currency": "USD",
			"arn": "74000000000000000000077", "transaction_reference": ref, "happened_at": "2026-11-20T10:00:00Z"}
		want(t, post(rdr, "wrong-secret"), 401, "invalid_signature")
		r := post(rdr, secret)
		want(t, r, 200)
		a := s.get("/v1/disputes/" + r.str("dispute_id"))
		if a.str("type") != "alert" || a.str("alert_type") != "rdr" || a.str("resolution") != "issued_full_refund" {
			t.Fatalf("RDR alert: %s", a.raw)
		}
		pay := s.get("/v1/transactions/" + charge)
		refunds := pay.objs("refunds")
		if pay.num("amount_refunded") != 4999 || len(refunds) != 1 || refunds[0]["is_external"] != true {
			t.Fatalf("the network's refund: %s", pay.raw)
		}
		want(t, post(map[string]any{"id": "bad-1", "type": "alert", "alert_type": "smoke"}, secret), 400)

		// A chargeback from the feed, then a later object with its case number decides it.
		_, ord2, charge2 := s.sale(2500, "usd")
		ref2 := s.get("/v1/transactions/" + charge2).str("provider_reference")
		cb := post(map[string]any{"id": "cb-1", "type": "chargeback", "status": "needs_response", "amount": "25.00", "currency": "usd",
			"reason": "fraudulent", "network_reason_code": "10.4", "case_number": "C-1", "transaction_reference": ref2,
			"happened_at": "2026-11-22T10:00:00Z", "due_by": "2026-12-01T00:00:00Z"}, secret)
		want(t, cb, 200)
		c.Advance(time.Minute)
		won := post(map[string]any{"id": "cb-2", "type": "chargeback", "status": "won", "amount": "25.00", "currency": "usd",
			"case_number": "C-1", "transaction_reference": ref2, "happened_at": "2026-11-23T10:00:00Z"}, secret)
		want(t, won, 200)
		if won.str("dispute_id") != cb.str("dispute_id") {
			t.Fatalf("a second object with the case number opened another dispute: %s", won.raw)
		}
		if d := s.get("/v1/disputes/" + cb.str("dispute_id")); d.str("status") != "won" || d.str("order_id") != ord2 {
			t.Fatalf("feed chargeback: %s", d.raw)
		}
		if o := s.get("/v1/orders/" + ord); o.get("dispute_id") != nil {
			t.Fatalf("the RDR order still shows an open dispute: %s", o.raw)
		}
	})
}

// payPalSigner signs notifications the way PayPal does, with a certificate made here and handed
// to the server through its certificate fetcher.
type payPalSigner struct {
	key     *rsa.PrivateKey
	certPEM []byte
	fetches atomic.Int32 // how many times the server fetched the certificate
}

const payPalCertURL = "https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-test"

func newPayPalSigner(t *testing.T) *payPalSigner {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "messageverificationcerts.paypal.com"},
		NotBefore: time.Now().Add(-24 * 365 * time.Hour), NotAfter: time.Now().Add(24 * 365 * time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return &payPalSigner{key: key, certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

func (p *payPalSigner) post(t *testing.T, s *testServer, at time.Time, webhookID string, body []byte) response {
	t.Helper()
	id, ts := "b2384410-f8d2-11ef-8b2a-"+fmt.Sprint(at.UnixNano()), at.UTC().Format(time.RFC3339)
	msg := fmt.Sprintf("%s|%s|%s|%d", id, ts, webhookID, crc32.ChecksumIEEE(body))
	sum := sha256.Sum256([]byte(msg))
	sig, err := rsa.SignPKCS1v15(rand.Reader, p.key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return s.call(http.MethodPost, "/v1/providers/paypal/webhook", body, "Authorization", "",
		"PAYPAL-TRANSMISSION-ID", id, "PAYPAL-TRANSMISSION-TIME", ts, "PAYPAL-TRANSMISSION-SIG", base64.StdEncoding.EncodeToString(sig),
		"PAYPAL-CERT-URL", payPalCertURL, "PAYPAL-AUTH-ALGO", "SHA256withRSA")
}

// payPalPayload is one of the adapter's sample notifications, about our charge.
func payPalPayload(t *testing.T, file, sellerTxn string) []byte {
	b, err := os.ReadFile("../../internal/provider/paypal/testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.ReplaceAll(string(b), "3GG279541U471931P", sellerTxn))
}

// payPalServer starts a server with a fake clock and a PayPal provider (webhook id WH-1AB23456)
// whose certificate comes from the signer; fetches counts the certificate's fetches.
func payPalServer(t *testing.T, db string) (*testServer, *fakeClock, *payPalSigner) {
	t.Helper()
	signer := newPayPalSigner(t)
	c := newClock()
	s := startConfigured(t, db, func(m *Main) {
		m.Now, m.JobLoop = c.Now, false
		m.PayPal = []paypal.Option{paypal.WithCertFetcher(func(_ context.Context, url string) ([]byte, error) {
			signer.fetches.Add(1)
			if url != payPalCertURL {
				return nil, fmt.Errorf("unexpected certificate URL %s", url)
			}
			return signer.certPEM, nil
		})}
	})
	want(t, s.post("/v1/providers", map[string]any{"name": "paypal", "type": "paypal", "webhook_id": "WH-1AB23456"}), 201)
	return s, c, signer
}

func TestPayPalDisputes(t *testing.T) {
	t.Parallel()
	eachStoreDB(t, func(t *testing.T, db string) {
		s, c, signer := payPalServer(t, db)
		cus := s.post("/v1/customers", map[string]any{"email": "paypal-buyer@example.com"}).str("id")
		ord := s.post("/v1/orders", map[string]any{"customer_id": cus, "currency": "EUR", "items": []any{map[string]any{"description": "VPS", "amount": 4999}}}).str("id")
		want(t, s.post("/v1/orders/"+ord+"/complete", nil), 200)
		want(t, s.post("/v1/transactions", map[string]any{"type": "charge", "amount": 4999, "currency": "EUR", "order_id": ord,
			"provider": "paypal", "provider_reference": "3GG2PAYPAL" + cus[len(cus)-6:]}), 201)
		created := payPalPayload(t, "chargeback_created.json", "3GG2PAYPAL"+cus[len(cus)-6:])
		want(t, signer.post(t, s, c.Now(), "WH-OTHER", created), 401, "invalid_signature")
		r := signer.post(t, s, c.Now(), "WH-1AB23456", created)
		want(t, r, 200)
		d := s.get("/v1/disputes/" + r.str("dispute_id"))
		if d.str("provider_dispute_id") != "PP-D-98852" || d.str("type") != "chargeback" || d.str("status") != "needs_response" ||
			d.str("order_id") != ord || d.str("reason") != "fraudulent" || d.str("network_reason_code") != "10.4" {
			t.Fatalf("PayPal dispute: %s", d.raw)
		}
		// An EXTERNAL case is argued with the card issuer; the payment is covered by PayPal's
		// seller protection; the provider's ids of the payment are kept.
		if d.str("channel") != "network" || d.str("seller_protection") != "eligible" ||
			d.str("provider_charge") != "3GG2PAYPAL"+cus[len(cus)-6:] || d.str("provider_payment_intent") != "1WT05823XP2261744" {
			t.Errorf("PayPal dispute's channel, seller protection and payment ids: %s", d.raw)
		}
		inquiry := signer.post(t, s, c.Now(), "WH-1AB23456", payPalPayload(t, "inquiry_created.json", "unrecorded"))
		want(t, inquiry, 200)
		if d := s.get("/v1/disputes/" + inquiry.str("dispute_id")); d.str("channel") != "provider" || d.str("seller_protection") != "eligible" {
			t.Errorf("an INTERNAL PayPal case: %s", d.raw)
		}
		want(t, signer.post(t, s, c.Now(), "WH-1AB23456", created), 200)
		resolved := payPalPayload(t, "chargeback_resolved.json", "3GG2PAYPAL"+cus[len(cus)-6:])
		want(t, signer.post(t, s, c.Now(), "WH-1AB23456", resolved), 200)
		if d := s.get("/v1/disputes/" + r.str("dispute_id")); d.str("status") != "won" {
			t.Fatalf("after RESOLVED in the seller's favour: %s", d.raw)
		}
		if n := signer.fetches.Load(); n != 1 {
			t.Fatalf("the certificate was fetched %d times, want once (cached)", n)
		}
	})
}
