package paypal

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"hash/crc32"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"disputed/internal/provider"
)

var testNow = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

const (
	testWebhookID      = "1JE4291016473214C"
	testCertURL        = "https://api.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77"
	testTransmissionID = "ce5b1e40-c5ae-11f0-a1c3-0f7e4e0c4d1a"
	testTransmitted    = "2026-11-20T09:59:58Z"
	paypalCN           = "messageverificationcerts.paypal.com"
)

// testKeys are generated once: RSA key generation dominates the run time otherwise.
var testKeys = sync.OnceValue(func() []*rsa.PrivateKey {
	keys := make([]*rsa.PrivateKey, 4)
	for i := range keys {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		keys[i] = k
	}
	return keys
})

func signingKey() *rsa.PrivateKey { return testKeys()[0] }
func otherKey() *rsa.PrivateKey   { return testKeys()[1] }

var serial atomic.Int64

// makeCert returns a certificate for pub signed by parent's key (self-signed when parent is nil),
// valid from notBefore to notAfter.
func makeCert(t testing.TB, cn string, pub any, parent *x509.Certificate, parentKey any, notBefore, notAfter time.Time, isCA bool) *x509.Certificate {
	t.Helper()
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serial.Add(1)),
		Subject:               pkix.Name{CommonName: cn, Organization: []string{"PayPal, Inc."}},
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		BasicConstraintsValid: true,
		IsCA:                  isCA,
		KeyUsage:              x509.KeyUsageDigitalSignature,
	}
	if isCA {
		tmpl.KeyUsage |= x509.KeyUsageCertSign
	}
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, parentKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func pemOf(certs ...*x509.Certificate) []byte {
	var out []byte
	for _, c := range certs {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return out
}

// selfSigned is the certificate the tests hand to Verify through WithCertFetcher.
func selfSigned(t testing.TB, key *rsa.PrivateKey, notBefore, notAfter time.Time) []byte {
	t.Helper()
	return pemOf(makeCert(t, paypalCN, &key.PublicKey, nil, key, notBefore, notAfter, false))
}

func sign(t testing.TB, key *rsa.PrivateKey, id, tm, webhookID string, body []byte) string {
	t.Helper()
	msg := id + "|" + tm + "|" + webhookID + "|" + strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 10)
	digest := sha256.Sum256([]byte(msg))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString(sig)
}

func transmissionHeaders(id, tm, sig, certURL, algo string) http.Header {
	h := http.Header{}
	h.Set("PAYPAL-TRANSMISSION-ID", id)
	h.Set("PAYPAL-TRANSMISSION-TIME", tm)
	h.Set("PAYPAL-TRANSMISSION-SIG", sig)
	h.Set("PAYPAL-CERT-URL", certURL)
	h.Set("PAYPAL-AUTH-ALGO", algo)
	return h
}

// fakeFetcher serves one PEM for every URL and counts the downloads.
type fakeFetcher struct {
	mu   sync.Mutex
	pem  []byte
	err  error
	urls []string
}

func (f *fakeFetcher) fetch(_ context.Context, url string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.urls = append(f.urls, url)
	return f.pem, f.err
}

func (f *fakeFetcher) calls() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.urls)
}

func TestVerify(t *testing.T) {
	t.Parallel()
	body := readTestdata(t, "chargeback_created.json")
	goodPEM := selfSigned(t, signingKey(), testNow.Add(-time.Hour), testNow.Add(time.Hour))
	goodSig := sign(t, signingKey(), testTransmissionID, testTransmitted, testWebhookID, body)

	type request struct {
		header http.Header
		body   []byte
	}
	tests := []struct {
		name      string
		webhookID string // configured; testWebhookID when empty, none when "-"
		edit      func(r *request)
		pem       []byte // goodPEM when nil
		fetchErr  error
		now       time.Time // testNow when zero
		ok        bool
		fetches   int
	}{
		{name: "good", ok: true, fetches: 1},
		{name: "second of two configured webhook ids", webhookID: "8PT597110X687430LKGECLIMA, " + testWebhookID, ok: true, fetches: 1},
		{name: "algorithm in another case", edit: func(r *request) { r.header.Set(HeaderAuthAlgo, "sha256withrsa") }, ok: true, fetches: 1},
		{name: "sandbox certificate host", edit: func(r *request) {
			r.header.Set(HeaderCertURL, "https://api-m.sandbox.paypal.com/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77")
		}, ok: true, fetches: 1},
		{name: "sent just inside the replay window", now: testNow.Add(ReplayWindow - 2*time.Second), ok: true, fetches: 1},

		{name: "tampered body", edit: func(r *request) { r.body = append([]byte(nil), r.body...); r.body[len(r.body)-2] ^= 1 }, fetches: 1},
		{name: "body with a byte more", edit: func(r *request) { r.body = append(append([]byte(nil), r.body...), '\n') }, fetches: 1},
		{name: "signed by another key", edit: func(r *request) {
			r.header.Set(HeaderTransmissionSig, sign(t, otherKey(), testTransmissionID, testTransmitted, testWebhookID, body))
		}, fetches: 1},
		{name: "signature over another transmission id", edit: func(r *request) { r.header.Set(HeaderTransmissionID, "ce5b1e40-c5ae-11f0-a1c3-0f7e4e0c4d1b") }, fetches: 1},
		{name: "signed for another webhook", webhookID: "8PT597110X687430LKGECLIMA", fetches: 1},
		{name: "no webhook id configured", webhookID: "-", fetches: 0},
		{name: "signature not base64", edit: func(r *request) { r.header.Set(HeaderTransmissionSig, "not base64!") }},
		{name: "signature truncated", edit: func(r *request) { r.header.Set(HeaderTransmissionSig, goodSig[:40]) }, fetches: 1},
		{name: "stale", now: testNow.Add(6 * time.Minute)},
		{name: "from the future", now: testNow.Add(-6 * time.Minute)},
		{name: "time not RFC 3339", edit: func(r *request) { r.header.Set(HeaderTransmissionTime, "Fri, 20 Nov 2026 09:59:58 GMT") }},
		{name: "unsupported algorithm", edit: func(r *request) { r.header.Set(HeaderAuthAlgo, "SHA1withRSA") }},
		{name: "oversized header", edit: func(r *request) { r.header.Set(HeaderTransmissionID, strings.Repeat("a", 2000)) }},

		{name: "certificate on another host", edit: func(r *request) {
			r.header.Set(HeaderCertURL, "https://evil.example/v1/notifications/certs/CERT-360caa42-fca2a594-a5cafa77")
		}},
		{name: "certificate over http", edit: func(r *request) { r.header.Set(HeaderCertURL, strings.Replace(testCertURL, "https:", "http:", 1)) }},
		{name: "certificate host with PayPal's name as prefix", edit: func(r *request) {
			r.header.Set(HeaderCertURL, "https://api.paypal.com.evil.example/v1/notifications/certs/CERT-1")
		}},
		{name: "certificate on a PayPal subdomain not in the list", edit: func(r *request) {
			r.header.Set(HeaderCertURL, "https://uploads.api.paypal.com/v1/notifications/certs/CERT-1")
		}},
		{name: "certificate host with a port", edit: func(r *request) {
			r.header.Set(HeaderCertURL, "https://api.paypal.com:8443/v1/notifications/certs/CERT-1")
		}},
		{name: "certificate URL with user info", edit: func(r *request) {
			r.header.Set(HeaderCertURL, "https://me@api.paypal.com/v1/notifications/certs/CERT-1")
		}},
		{name: "certificate URL outside the certificate path", edit: func(r *request) { r.header.Set(HeaderCertURL, "https://api.paypal.com/v1/oauth2/token") }},
		{name: "certificate URL climbing out of the path", edit: func(r *request) {
			r.header.Set(HeaderCertURL, "https://api.paypal.com/v1/notifications/certs/../../oauth2/token")
		}},
		{name: "certificate URL with an escaped slash", edit: func(r *request) {
			r.header.Set(HeaderCertURL, "https://api.paypal.com/v1/notifications/certs/..%2F..%2Fx")
		}},
		{name: "certificate URL without a name", edit: func(r *request) { r.header.Set(HeaderCertURL, "https://api.paypal.com/v1/notifications/certs/") }},
		{name: "certificate URL with a query", edit: func(r *request) { r.header.Set(HeaderCertURL, testCertURL+"?x=1") }},
		{name: "certificate URL not a URL", edit: func(r *request) { r.header.Set(HeaderCertURL, "https://%zz") }},

		{name: "download fails", fetchErr: errors.New("connection refused"), fetches: 1},
		{name: "not PEM", pem: []byte("<html>maintenance</html>"), fetches: 1},
		{name: "PEM without a certificate", pem: pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte{1}}), fetches: 1},
		{name: "certificate expired", pem: selfSigned(t, signingKey(), testNow.Add(-48*time.Hour), testNow.Add(-time.Hour)), fetches: 1},
		{name: "certificate not yet valid", pem: selfSigned(t, signingKey(), testNow.Add(time.Hour), testNow.Add(48*time.Hour)), fetches: 1},
		{name: "certificate with an EC key", pem: ecCert(t), fetches: 1},
		{name: "certificate with a short RSA key", pem: shortKeyCert(t), fetches: 1},
	}
	for _, h := range []string{HeaderTransmissionID, HeaderTransmissionTime, HeaderTransmissionSig, HeaderCertURL, HeaderAuthAlgo} {
		tests = append(tests, struct {
			name      string
			webhookID string
			edit      func(r *request)
			pem       []byte
			fetchErr  error
			now       time.Time
			ok        bool
			fetches   int
		}{name: "missing " + h, edit: func(r *request) { r.header.Del(h) }})
	}

	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := &fakeFetcher{pem: goodPEM, err: tt.fetchErr}
			if tt.pem != nil {
				f.pem = tt.pem
			}
			cfg := provider.Config{Type: TypeName, WebhookID: testWebhookID}
			switch tt.webhookID {
			case "":
			case "-":
				cfg.WebhookID = ""
			default:
				cfg.WebhookID = tt.webhookID
			}
			now := testNow
			if !tt.now.IsZero() {
				now = tt.now
			}
			r := &request{header: transmissionHeaders(testTransmissionID, testTransmitted, goodSig, testCertURL, "SHA256withRSA"), body: body}
			if tt.edit != nil {
				tt.edit(r)
			}
			p := New(cfg, nil, WithCertFetcher(f.fetch))
			err := p.Verify(context.Background(), r.header, r.body, now)
			if tt.ok && err != nil {
				t.Errorf("Verify = %v, want nil", err)
			}
			if !tt.ok && !errors.Is(err, provider.ErrSignature) {
				t.Errorf("Verify = %v, want ErrSignature", err)
			}
			if got := f.calls(); got != tt.fetches {
				t.Errorf("certificate fetched %d times, want %d", got, tt.fetches)
			}
		})
	}
}

func TestReplayWindowOption(t *testing.T) {
	t.Parallel()
	body := readTestdata(t, "chargeback_updated.json")
	sig := sign(t, signingKey(), testTransmissionID, testTransmitted, testWebhookID, body)
	h := transmissionHeaders(testTransmissionID, testTransmitted, sig, testCertURL, "SHA256withRSA")
	f := &fakeFetcher{pem: selfSigned(t, signingKey(), testNow.Add(-time.Hour), testNow.Add(time.Hour))}
	late := testNow.Add(20 * time.Minute)
	tests := []struct {
		window time.Duration
		ok     bool
	}{
		{0, false}, // the default, 5 minutes
		{-time.Hour, false},
		{15 * time.Minute, false},
		{30 * time.Minute, true},
	}
	for _, tt := range tests {
		p := New(provider.Config{WebhookID: testWebhookID}, nil, WithCertFetcher(f.fetch), WithReplayWindow(tt.window))
		if err := p.Verify(context.Background(), h, body, late); (err == nil) != tt.ok {
			t.Errorf("window %s, 20 minutes late: Verify = %v, want ok %v", tt.window, err, tt.ok)
		}
	}
}

func ecCert(t testing.TB) []byte {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return pemOf(makeCert(t, paypalCN, &k.PublicKey, nil, k, testNow.Add(-time.Hour), testNow.Add(time.Hour), false))
}

func shortKeyCert(t testing.TB) []byte {
	t.Helper()
	k, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Skipf("cannot make a 1024-bit key here: %v", err)
	}
	return pemOf(makeCert(t, paypalCN, &k.PublicKey, nil, k, testNow.Add(-time.Hour), testNow.Add(time.Hour), false))
}

func TestVerifyCachesCertificates(t *testing.T) {
	t.Parallel()
	body := readTestdata(t, "inquiry_created.json")
	f := &fakeFetcher{pem: selfSigned(t, signingKey(), testNow.Add(-time.Hour), testNow.Add(time.Hour))}
	p := New(provider.Config{WebhookID: testWebhookID}, nil, WithCertFetcher(f.fetch))
	verify := func(now time.Time, certURL string) error {
		tm := now.Add(-time.Second).Format(time.RFC3339)
		sig := sign(t, signingKey(), testTransmissionID, tm, testWebhookID, body)
		return p.Verify(context.Background(), transmissionHeaders(testTransmissionID, tm, sig, certURL, "SHA256withRSA"), body, now)
	}

	for i := range 3 {
		if err := verify(testNow.Add(time.Duration(i)*time.Minute), testCertURL); err != nil {
			t.Fatalf("verification %d: %v", i, err)
		}
	}
	if got := f.calls(); got != 1 {
		t.Errorf("three verifications with one certificate URL fetched it %d times, want 1", got)
	}

	// Another URL is another certificate.
	other := "https://api.sandbox.paypal.com/v1/notifications/certs/CERT-other"
	if err := verify(testNow, other); err != nil {
		t.Fatal(err)
	}
	if got := f.calls(); got != 2 {
		t.Errorf("a second certificate URL: %d fetches in all, want 2", got)
	}

	// Past NotAfter the cached key is dropped: the certificate is fetched again (and refused).
	if err := verify(testNow.Add(2*time.Hour), testCertURL); !errors.Is(err, provider.ErrSignature) {
		t.Errorf("after the certificate expired: %v, want ErrSignature", err)
	}
	if got := f.calls(); got != 3 {
		t.Errorf("after expiry: %d fetches in all, want 3", got)
	}

	// A refused certificate is not cached.
	if err := verify(testNow.Add(2*time.Hour), testCertURL); err == nil {
		t.Error("an expired certificate verified")
	}
	if got := f.calls(); got != 4 {
		t.Errorf("a refused certificate was cached: %d fetches in all, want 4", got)
	}
}

func TestCertificateCacheIsBounded(t *testing.T) {
	t.Parallel()
	f := &fakeFetcher{pem: selfSigned(t, signingKey(), testNow.Add(-time.Hour), testNow.Add(time.Hour))}
	p := New(provider.Config{WebhookID: testWebhookID}, nil, WithCertFetcher(f.fetch))
	for i := range 3 * maxCachedCerts {
		url := fmt.Sprintf("https://api.paypal.com/v1/notifications/certs/CERT-%d", i)
		if _, err := p.signingKey(context.Background(), url, testNow); err != nil {
			t.Fatal(err)
		}
	}
	p.certMu.Lock()
	n := len(p.certs)
	p.certMu.Unlock()
	if n > maxCachedCerts {
		t.Errorf("%d certificates cached, want at most %d", n, maxCachedCerts)
	}
}

func TestEvictionPrefersExpiredThenSoonest(t *testing.T) {
	t.Parallel()
	p := New(provider.Config{}, nil)
	for i := range maxCachedCerts {
		p.certs[strconv.Itoa(i)] = cachedCert{notAfter: testNow.Add(time.Duration(i+1) * time.Hour)}
	}
	p.evictLocked(testNow)
	if _, ok := p.certs["0"]; ok || len(p.certs) != maxCachedCerts-1 {
		t.Errorf("full cache: the soonest to expire should go, and only it; left %d, 0 still there: %v", len(p.certs), ok)
	}
	p.certs["0"] = cachedCert{notAfter: testNow.Add(time.Hour)}
	p.evictLocked(testNow.Add(90 * time.Minute)) // "0" and "1" (1h, 2h)… only "0" has expired
	if _, ok := p.certs["0"]; ok {
		t.Error("an expired certificate survived eviction")
	}
	if _, ok := p.certs["1"]; !ok {
		t.Error("eviction removed a valid certificate while an expired one made room")
	}
}

// roundTripFunc lets the default download run against a handler while the URL keeps PayPal's
// host, which the certificate URL check requires.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func handlerClient(h http.Handler) *http.Client {
	return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec.Result(), nil
	})}
}

// TestDefaultDownload runs Verify without WithCertFetcher: the certificate must come from
// PayPal's URL, name PayPal's message-verification service and chain to a trusted root.
func TestDefaultDownload(t *testing.T) {
	t.Parallel()
	valid := func() (time.Time, time.Time) { return testNow.Add(-24 * time.Hour), testNow.Add(24 * time.Hour) }
	nb, na := valid()
	rootKey, interKey := testKeys()[2], testKeys()[3]
	root := makeCert(t, "Test Root CA", &rootKey.PublicKey, nil, rootKey, nb, na, true)
	inter := makeCert(t, "Test Intermediate CA", &interKey.PublicKey, root, rootKey, nb, na, true)
	leaf := func(cn string) *x509.Certificate {
		return makeCert(t, cn, &signingKey().PublicKey, inter, interKey, nb, na, false)
	}
	roots := x509.NewCertPool()
	roots.AddCert(root)

	body := readTestdata(t, "chargeback_created.json")
	sig := sign(t, signingKey(), testTransmissionID, testTransmitted, testWebhookID, body)

	tests := []struct {
		name    string
		serve   func(w http.ResponseWriter)
		ok      bool
		wantErr string
	}{
		{name: "PayPal's certificate with its chain", ok: true, serve: func(w http.ResponseWriter) { w.Write(pemOf(leaf(paypalCN), inter)) }},
		{name: "sandbox certificate", ok: true, serve: func(w http.ResponseWriter) {
			w.Write(pemOf(leaf("messageverificationcerts.sandbox.paypal.com"), inter))
		}},
		{name: "self-signed in PayPal's name", wantErr: "chain", serve: func(w http.ResponseWriter) {
			w.Write(selfSigned(t, signingKey(), nb, na))
		}},
		{name: "chain missing the intermediate", wantErr: "chain", serve: func(w http.ResponseWriter) { w.Write(pemOf(leaf(paypalCN))) }},
		{name: "trusted chain, someone else's name", wantErr: "subject", serve: func(w http.ResponseWriter) {
			w.Write(pemOf(leaf("www.example.com"), inter))
		}},
		{name: "not found", wantErr: "status 404", serve: func(w http.ResponseWriter) { w.WriteHeader(http.StatusNotFound) }},
		{name: "redirect is not followed", wantErr: "status 302", serve: func(w http.ResponseWriter) {
			w.Header().Set("Location", "https://evil.example/cert.pem")
			w.WriteHeader(http.StatusFound)
		}},
		{name: "oversized", wantErr: "more than", serve: func(w http.ResponseWriter) {
			w.Write([]byte(strings.Repeat("A", maxCertBytes+1)))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var mu sync.Mutex
			var requested []string
			client := handlerClient(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				requested = append(requested, r.Method+" "+r.URL.String())
				mu.Unlock()
				tt.serve(w)
			}))
			p := New(provider.Config{WebhookID: testWebhookID}, client)
			p.roots = roots
			err := p.Verify(context.Background(), transmissionHeaders(testTransmissionID, testTransmitted, sig, testCertURL, "SHA256withRSA"), body, testNow)
			if tt.ok && err != nil {
				t.Errorf("Verify = %v, want nil", err)
			}
			if !tt.ok && (!errors.Is(err, provider.ErrSignature) || !strings.Contains(err.Error(), tt.wantErr)) {
				t.Errorf("Verify = %v, want ErrSignature mentioning %q", err, tt.wantErr)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(requested) != 1 || requested[0] != "GET "+testCertURL {
				t.Errorf("requests = %q, want one GET of %s", requested, testCertURL)
			}
		})
	}
}

func TestDownloadHonoursContext(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	defer srv.Close()
	defer close(release)
	p := New(provider.Config{WebhookID: testWebhookID}, srv.Client())
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := p.download(ctx, srv.URL+certPathPrefix+"CERT-1"); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("download past the deadline = %v, want context.DeadlineExceeded", err)
	}
}
