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

	"disputed/internal/provider/paypal"
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
