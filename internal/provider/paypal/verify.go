package paypal

import (
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"disputed/internal/provider"
)

// The headers PayPal sends with every webhook notification.
const (
	HeaderTransmissionID   = "Paypal-Transmission-Id"
	HeaderTransmissionTime = "Paypal-Transmission-Time"
	HeaderTransmissionSig  = "Paypal-Transmission-Sig"
	HeaderCertURL          = "Paypal-Cert-Url"
	HeaderAuthAlgo         = "Paypal-Auth-Algo"
)

// authAlgo is the only algorithm PayPal documents; anything else is refused rather than
// guessed at, so that a forger cannot pick a weaker one.
const authAlgo = "SHA256withRSA"

// ReplayWindow is how far, by default, a transmission time may be from now (WithReplayWindow
// changes it). It bounds how long a captured notification can be replayed at all; within it, a
// replay carries an event id that is already recorded and changes nothing. PayPal does not
// document whether a retried delivery is signed anew with a fresh transmission time: if it is
// not, a retry later than the window is refused, and the event must be resent from PayPal's
// dashboard or the window widened.
const ReplayWindow = 5 * time.Minute

// Limits on what is read and kept before anything is verified.
const (
	maxHeaderLen   = 1024     // a 4096-bit signature is 684 base64 characters
	maxCertBytes   = 64 << 10 // a PEM chain is a few KB
	certFetchTime  = 10 * time.Second
	maxCachedCerts = 32 // PayPal rotates yearly; a handful of URLs are live at any time
	minRSAKeyBits  = 2048
)

// What PayPal's signing certificates look like: where they are served, and whom they name.
const (
	certPathPrefix = "/v1/notifications/certs/"
	paypalCNPrefix = "messageverificationcerts"
	paypalCNSuffix = ".paypal.com"
)

// certHosts are the hosts PayPal serves signing certificates from (the PAYPAL-CERT-URL of live
// and sandbox notifications, and the api-m hosts PayPal now uses for its API). A certificate from
// anywhere else would let anyone sign notifications, so the list is exact: no subdomains.
var certHosts = map[string]bool{
	"api.paypal.com":           true,
	"api-m.paypal.com":         true,
	"api.sandbox.paypal.com":   true,
	"api-m.sandbox.paypal.com": true,
}

// Verify checks a notification the way PayPal documents for verifying without calling its API:
// the signature in PAYPAL-TRANSMISSION-SIG is an RSA PKCS #1 v1.5 SHA-256 signature, by the key
// of the certificate at PAYPAL-CERT-URL, of
//
//	<transmission id>|<transmission time>|<webhook id>|<CRC32 of the raw body, unsigned decimal>
//
// Cheap checks (headers, algorithm, replay window, certificate URL) come first so that a
// forged or stale request never causes a download. Every error wraps provider.ErrSignature.
func (p *PayPal) Verify(ctx context.Context, header http.Header, body []byte, now time.Time) error {
	if now.IsZero() {
		now = p.now()
	}
	webhookIDs := p.webhookIDs()
	if len(webhookIDs) == 0 {
		return sigErr("no PayPal webhook id is configured, so no notification can be verified")
	}
	h, err := readHeaders(header)
	if err != nil {
		return err
	}
	if !strings.EqualFold(h.algo, authAlgo) {
		return sigErr("unsupported %s %q (want %s)", HeaderAuthAlgo, h.algo, authAlgo)
	}
	sent, err := time.Parse(time.RFC3339, h.time)
	if err != nil {
		return sigErr("%s %q is not an RFC 3339 time", HeaderTransmissionTime, h.time)
	}
	if d := now.Sub(sent); d > p.replayWindow || d < -p.replayWindow {
		return sigErr("%s %s is more than %s from now", HeaderTransmissionTime, h.time, p.replayWindow)
	}
	sig, err := base64.StdEncoding.DecodeString(h.sig)
	if err != nil {
		return sigErr("%s is not base64", HeaderTransmissionSig)
	}
	if err := checkCertURL(h.certURL); err != nil {
		return err
	}
	key, err := p.signingKey(ctx, h.certURL, now)
	if err != nil {
		return err
	}
	crc := strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 10)
	for _, id := range webhookIDs {
		digest := sha256.Sum256([]byte(h.id + "|" + h.time + "|" + id + "|" + crc))
		if rsa.VerifyPKCS1v15(key, crypto.SHA256, digest[:], sig) == nil {
			return nil
		}
	}
	return sigErr("signature does not match the body, the transmission or the configured webhook id")
}

type transmission struct {
	id, time, sig, certURL, algo string
}

func readHeaders(header http.Header) (transmission, error) {
	h := transmission{
		id:      header.Get(HeaderTransmissionID),
		time:    header.Get(HeaderTransmissionTime),
		sig:     header.Get(HeaderTransmissionSig),
		certURL: header.Get(HeaderCertURL),
		algo:    header.Get(HeaderAuthAlgo),
	}
	for _, f := range []struct{ name, value string }{
		{HeaderTransmissionID, h.id}, {HeaderTransmissionTime, h.time}, {HeaderTransmissionSig, h.sig},
		{HeaderCertURL, h.certURL}, {HeaderAuthAlgo, h.algo},
	} {
		if f.value == "" {
			return h, sigErr("missing %s header", f.name)
		}
		if len(f.value) > maxHeaderLen {
			return h, sigErr("%s header is longer than %d bytes", f.name, maxHeaderLen)
		}
	}
	return h, nil
}

// checkCertURL accepts only https URLs on PayPal's certificate hosts under the certificate path:
// the URL comes from the request, so it is attacker-controlled until proven otherwise.
func checkCertURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return sigErr("%s is not a URL", HeaderCertURL)
	}
	switch {
	case u.Scheme != "https":
		return sigErr("%s %q is not https", HeaderCertURL, raw)
	case u.User != nil || u.Port() != "" || !certHosts[u.Hostname()]:
		return sigErr("%s %q is not on a PayPal certificate host", HeaderCertURL, raw)
	case !isCertPath(u):
		return sigErr("%s %q is not a PayPal certificate path", HeaderCertURL, raw)
	case u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#"):
		return sigErr("%s %q has a query or fragment", HeaderCertURL, raw)
	}
	return nil
}

// isCertPath accepts /v1/notifications/certs/<name> and nothing that a server could resolve to
// another path: no further segments, no dot segments, nothing escaped into a separator.
func isCertPath(u *url.URL) bool {
	name, ok := strings.CutPrefix(u.Path, certPathPrefix)
	return ok && name != "" && !strings.Contains(name, "/") && name != "." && name != ".." &&
		u.EscapedPath() == u.Path && path.Clean(u.Path) == u.Path
}

// signingKey returns the public key of the certificate at certURL, from the cache while the
// certificate is valid. A certificate URL names one certificate for good (PayPal publishes a new
// URL when it rotates), so the only reason to fetch again is expiry.
func (p *PayPal) signingKey(ctx context.Context, certURL string, now time.Time) (*rsa.PublicKey, error) {
	p.certMu.Lock()
	c, ok := p.certs[certURL]
	if ok && now.After(c.notAfter) {
		delete(p.certs, certURL)
		ok = false
	}
	p.certMu.Unlock()
	if ok {
		return c.key, nil
	}

	// Concurrent misses for one URL may each download it; that is rare (one per certificate
	// per process) and cheaper than making every verification wait behind one download.
	pemBytes, err := p.fetch(ctx, certURL)
	if err != nil {
		return nil, fmt.Errorf("%w: fetching the signing certificate: %w", provider.ErrSignature, err)
	}
	leaf, key, err := p.parseCert(pemBytes, now)
	if err != nil {
		return nil, err
	}

	p.certMu.Lock()
	defer p.certMu.Unlock()
	p.evictLocked(now)
	p.certs[certURL] = cachedCert{key: key, notAfter: leaf.NotAfter}
	return key, nil
}

// evictLocked makes room for one more certificate: expired ones go first, then the one that
// expires soonest. The bound matters because the URL comes from requests: without it, anyone
// able to get PayPal to serve many certificate URLs could grow the map.
func (p *PayPal) evictLocked(now time.Time) {
	if len(p.certs) < maxCachedCerts {
		return
	}
	for u, c := range p.certs {
		if now.After(c.notAfter) {
			delete(p.certs, u)
		}
	}
	for len(p.certs) >= maxCachedCerts {
		var first string
		for u, c := range p.certs {
			if first == "" || c.notAfter.Before(p.certs[first].notAfter) {
				first = u
			}
		}
		delete(p.certs, first)
	}
}

// parseCert reads the first certificate of a PEM bundle (PayPal's leaf, followed by its chain)
// and checks it can verify a notification now.
func (p *PayPal) parseCert(pemBytes []byte, now time.Time) (*x509.Certificate, *rsa.PublicKey, error) {
	var chain []*x509.Certificate
	for rest := pemBytes; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, nil, sigErr("signing certificate does not parse: %v", err)
		}
		chain = append(chain, c)
	}
	if len(chain) == 0 {
		return nil, nil, sigErr("no PEM certificate at %s", HeaderCertURL)
	}
	leaf := chain[0]
	if now.Before(leaf.NotBefore) || now.After(leaf.NotAfter) {
		return nil, nil, sigErr("signing certificate is not valid now (valid %s to %s)",
			leaf.NotBefore.UTC().Format(time.RFC3339), leaf.NotAfter.UTC().Format(time.RFC3339))
	}
	key, ok := leaf.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, nil, sigErr("signing certificate holds a %T, not an RSA key", leaf.PublicKey)
	}
	if key.N.BitLen() < minRSAKeyBits {
		return nil, nil, sigErr("signing certificate's RSA key has %d bits, fewer than %d", key.N.BitLen(), minRSAKeyBits)
	}
	if p.trustFetched {
		if err := checkPayPalCert(leaf, chain[1:], p.roots, now); err != nil {
			return nil, nil, err
		}
	}
	return leaf, key, nil
}

// checkPayPalCert is the check PayPal's Java SDK made of a downloaded certificate: its subject
// names PayPal's message-verification service (messageverificationcerts.paypal.com, or
// messageverificationcerts.sandbox.paypal.com) and it chains to a trusted root through the
// intermediates served with it. The TLS download from a PayPal host already vouches for the
// bytes; this keeps a mistake or a compromise on that path from handing us any key at all.
func checkPayPalCert(leaf *x509.Certificate, intermediates []*x509.Certificate, roots *x509.CertPool, now time.Time) error {
	cn := leaf.Subject.CommonName
	if !strings.HasPrefix(cn, paypalCNPrefix) || !strings.HasSuffix(cn, paypalCNSuffix) {
		return sigErr("signing certificate's subject %q is not PayPal's message-verification service", cn)
	}
	pool := x509.NewCertPool()
	for _, c := range intermediates {
		pool.AddCert(c)
	}
	_, err := leaf.Verify(x509.VerifyOptions{
		Intermediates: pool,
		Roots:         roots,
		CurrentTime:   now,
		// The certificate signs messages, not TLS: any usage its issuer allowed will do.
		KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err != nil {
		return sigErr("signing certificate does not chain to a trusted root: %v", err)
	}
	return nil
}

// download is the default certificate fetch: a GET through the configured client, bounded in
// time and size, that does not follow redirects (a redirect could leave PayPal's hosts).
func (p *PayPal) download(ctx context.Context, certURL string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, certFetchTime)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, certURL, nil)
	if err != nil {
		return nil, err
	}
	client := *p.client
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: status %d", certURL, resp.StatusCode)
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxCertBytes+1))
	if err != nil {
		return nil, fmt.Errorf("GET %s: %w", certURL, err)
	}
	if len(b) > maxCertBytes {
		return nil, fmt.Errorf("GET %s: more than %d bytes", certURL, maxCertBytes)
	}
	return b, nil
}

func sigErr(format string, args ...any) error {
	return fmt.Errorf("%w: paypal: %s", provider.ErrSignature, fmt.Sprintf(format, args...))
}

// Receive verifies a notification and reads its one event.
func (p *PayPal) Receive(ctx context.Context, req provider.Request) ([]provider.Event, error) {
	return provider.ReceiveOne(ctx, p, p, req)
}
