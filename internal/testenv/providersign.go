package testenv

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
	"encoding/pem"
	"fmt"
	"hash/crc32"
	"math/big"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"disputed/internal/app"
	"disputed/internal/provider"
	"disputed/internal/provider/paypal"
	"disputed/internal/server"
)

// StripeSignature is the Stripe-Signature header Stripe sends with body at the moment given,
// signed with secret the way Stripe signs (computed here, not with the server's code).
func StripeSignature(secret string, at time.Time, body []byte) string {
	ts := fmt.Sprint(at.Unix())
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// PayPalWebhookID is the webhook id of the PayPal provider the tests configure.
const PayPalWebhookID = "WH-1AB23456"

// PayPalCertURL is where the signer's certificate is said to be, on PayPal's host.
const PayPalCertURL = "https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-test"

// PayPalSigner signs notifications the way PayPal does, with a certificate made here and handed
// to the server through the PayPal adapter's certificate fetcher (Providers).
type PayPalSigner struct {
	key     *rsa.PrivateKey
	certPEM []byte
	fetches atomic.Int32
}

// NewPayPalSigner makes a key and its self-signed certificate, valid a year either side of now.
func NewPayPalSigner(t testing.TB) *PayPalSigner {
	t.Helper()
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
	return &PayPalSigner{key: key, certPEM: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// Providers are the server's provider types with the PayPal adapter fetching the signer's
// certificate (Option), for Options.Providers.
func (p *PayPalSigner) Providers() *provider.Registry { return server.ProviderTypes(p.Option()) }

// Option makes a PayPal adapter fetch the signer's certificate, and only from PayPalCertURL.
func (p *PayPalSigner) Option() paypal.Option {
	return paypal.WithCertFetcher(func(_ context.Context, url string) ([]byte, error) {
		p.fetches.Add(1)
		if url != PayPalCertURL {
			return nil, fmt.Errorf("unexpected certificate URL %s", url)
		}
		return p.certPEM, nil
	})
}

// Fetches is how many times the server fetched the certificate.
func (p *PayPalSigner) Fetches() int { return int(p.fetches.Load()) }

// Headers are the headers PayPal sends with body at the moment given for the webhook id given,
// as name, value pairs for Client.Do.
func (p *PayPalSigner) Headers(t testing.TB, at time.Time, webhookID string, body []byte) []string {
	t.Helper()
	id, ts := "b2384410-f8d2-11ef-8b2a-"+fmt.Sprint(at.UnixNano()), at.UTC().Format(time.RFC3339)
	sum := sha256.Sum256(fmt.Appendf(nil, "%s|%s|%s|%d", id, ts, webhookID, crc32.ChecksumIEEE(body)))
	sig, err := rsa.SignPKCS1v15(rand.Reader, p.key, crypto.SHA256, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return []string{"PAYPAL-TRANSMISSION-ID", id, "PAYPAL-TRANSMISSION-TIME", ts,
		"PAYPAL-TRANSMISSION-SIG", base64.StdEncoding.EncodeToString(sig), "PAYPAL-CERT-URL", PayPalCertURL, "PAYPAL-AUTH-ALGO", "SHA256withRSA"}
}

// PayPalPayload is one of the PayPal adapter's sample notifications (its testdata file), about
// the charge whose PayPal transaction id is sellerTxn.
func PayPalPayload(t testing.TB, file, sellerTxn string) []byte {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	b, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "provider", "paypal", "testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	return []byte(strings.ReplaceAll(string(b), "3GG279541U471931P", sellerTxn))
}

// PayPalProvider configures the provider "paypal" (webhook id PayPalWebhookID) on an Env whose
// Options.Providers came from a PayPalSigner; apiKey (client_id:secret) and apiBase are where
// answers are pushed, "" for none.
func (e *Env) PayPalProvider(apiKey, apiBase string) {
	e.T.Helper()
	Must(e.App.CreateProvider(e.Ctx, Admin, app.ProviderParams{Name: "paypal", Type: "paypal", WebhookID: PayPalWebhookID,
		APIKey: apiKey, APIBase: apiBase}))(e.T)
}

// ReceivePayPal hands a PayPal notification, signed by signer for PayPalWebhookID at the clock's
// time, to the app, as the webhook endpoint does.
func (e *Env) ReceivePayPal(signer *PayPalSigner, body []byte) (EventResult, error) {
	e.T.Helper()
	return e.Notify("paypal", headerOf(signer.Headers(e.T, e.Clock.Now(), PayPalWebhookID, body)), body)
}

// ProviderSale records a completed order of one item of amount in the currency given and its
// charge through the provider, whose reference there is ref: a sale paid elsewhere than Stripe,
// or one whose reference a provider's event named before it was recorded.
func (e *Env) ProviderSale(provider, ref, currency string, amount int64) Sale {
	e.T.Helper()
	c := Must(e.App.CreateCustomer(e.Ctx, Admin, app.CustomerParams{Email: fmt.Sprintf("buyer%d@example.com", buyers.Add(1))}))(e.T)
	o := Must(e.App.CreateOrder(e.Ctx, Admin, app.OrderParams{CustomerID: c.ID, Currency: currency,
		Items: []app.ItemParams{{Description: "VPS", Amount: &amount, Quantity: 1}}}))(e.T)
	done := Must(e.App.CompleteOrder(e.Ctx, Admin, o.Order.ID))(e.T)
	ch := Must(e.App.CreateTransaction(e.Ctx, Admin, app.TransactionParams{Kind: "charge", OrderID: o.Order.ID,
		Money: app.Money{Amount: &amount, Currency: currency}, Provider: provider, ProviderReference: ref}))(e.T)
	return Sale{Customer: c, Order: done.Order, Lines: done.Lines, Charge: ch.Transaction}
}

// headerOf is the header of name, value pairs.
func headerOf(pairs []string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(pairs); i += 2 {
		h.Set(pairs[i], pairs[i+1])
	}
	return h
}
