// Package paypal is the PayPal adapter: it verifies PayPal's webhook signatures itself (no call
// back to PayPal per notification), reads the CUSTOMER.DISPUTE.* notifications of the Disputes
// API v1 into provider.Event, answers disputes through the REST API (accept-claim,
// provide-evidence) with an OAuth2 client-credentials token, and imports the account's history
// (the disputes list, transaction search) as the notifications that would have carried it.
//
// What a notification does to our disputes is decided in internal/app; this package only says
// what PayPal reported, in our vocabulary.
package paypal

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"disputed/internal/fault"
	"disputed/internal/provider"
)

// TypeName is the type of a configured PayPal provider.
const TypeName = "paypal"

// DefaultAPIBase is PayPal's live REST API, used when the configuration names none.
const DefaultAPIBase = "https://api-m.paypal.com"

// Compile-time checks that the adapter offers everything the server expects of a provider.
var (
	_ provider.Adapter   = (*PayPal)(nil)
	_ provider.Responder = (*PayPal)(nil)
	_ provider.Refunder  = (*PayPal)(nil)
)

// Type is the PayPal provider type, for the server's registry; opts adjust every adapter it
// builds (tests give them their own certificate fetcher). A configuration needs the webhook's
// id, which PayPal signs; there is no shared secret.
func Type(opts ...Option) provider.Type {
	return provider.Type{
		Name:  TypeName,
		Title: "PayPal",
		Check: checkConfig,
		New:   func(cfg provider.Config, client *http.Client) provider.Adapter { return New(cfg, client, opts...) },
		DisputeURL: func(disputeID string) string {
			return "https://www.paypal.com/resolutioncenter/" + url.PathEscape(disputeID)
		},
		CaseID: caseID,
	}
}

// caseIDForm matches PayPal's case ids as its Resolution Center shows them: PP-D-… for disputes,
// PP-R-… and PP-000-… for older claims.
var caseIDForm = regexp.MustCompile(`^PP-(?:D|R|[0-9]{3})-[0-9A-Z-]+$`)

// caseID tells whether ref, as an admin may type it (any case, spaces around), is a PayPal case
// id, and returns it as PayPal writes it.
func caseID(ref string) (string, bool) {
	ref = strings.ToUpper(strings.TrimSpace(ref))
	return ref, caseIDForm.MatchString(ref)
}

func checkConfig(cfg provider.Config) error {
	if cfg.WebhookID == "" {
		return fault.Invalidf(fault.CodeParameterMissing, "webhook_id", "PayPal signs its webhook id: give the id of the webhook in the PayPal dashboard")
	}
	return nil
}

// PayPal is one configured PayPal account. It is safe for concurrent use.
type PayPal struct {
	cfg          provider.Config
	client       *http.Client
	now          func() time.Time
	replayWindow time.Duration
	retryWait    time.Duration // the first wait before a list call is tried again

	// fetch downloads a signing certificate (PEM). trustFetched is false when a caller replaced
	// the download with WithCertFetcher: what such a fetcher returns is taken as PayPal's, so
	// the checks that only make sense for a download from PayPal (subject, chain) are skipped.
	fetch        func(ctx context.Context, url string) ([]byte, error)
	trustFetched bool
	roots        *x509.CertPool // trusted roots of the default download; nil: the system pool

	certMu sync.Mutex
	certs  map[string]cachedCert

	// tokenLock (a one-slot semaphore, so that waiting for it can end with the caller's context)
	// guards token and is held while a new token is requested, so that concurrent calls share
	// one token request.
	tokenLock chan struct{}
	token     accessToken
}

type cachedCert struct {
	key      *rsa.PublicKey
	notAfter time.Time
}

type accessToken struct {
	value   string
	refresh time.Time // fetch a new one from this moment
}

// Option adjusts a PayPal adapter.
type Option func(*PayPal)

// WithCertFetcher replaces the download of signing certificates (nil keeps the download). The
// fetcher returns the PEM found at url; it is only asked for URLs on PayPal's hosts. What it
// returns is trusted as PayPal's: the subject and chain checks of the default download are
// skipped (the validity period and the signature are still checked). Tests use it to sign with
// their own key; a deployment could use it to pin certificates.
func WithCertFetcher(fetch func(ctx context.Context, url string) ([]byte, error)) Option {
	return func(p *PayPal) {
		if fetch != nil {
			p.fetch, p.trustFetched = fetch, false
		}
	}
}

// WithNow sets the clock used for access-token expiry, and by Verify when it is given a zero
// time.
func WithNow(now func() time.Time) Option {
	return func(p *PayPal) {
		if now != nil {
			p.now = now
		}
	}
}

// WithReplayWindow sets how far a transmission time may be from now (default ReplayWindow);
// values that are not positive keep the default.
func WithReplayWindow(d time.Duration) Option {
	return func(p *PayPal) {
		if d > 0 {
			p.replayWindow = d
		}
	}
}

// New returns the adapter for cfg. client makes every call to PayPal (certificate downloads
// and the REST API); nil means a client with a 30 second timeout.
func New(cfg provider.Config, client *http.Client, opts ...Option) *PayPal {
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	p := &PayPal{
		cfg:          cfg,
		client:       client,
		now:          time.Now,
		replayWindow: ReplayWindow,
		retryWait:    DefaultRetryWait,
		trustFetched: true,
		certs:        make(map[string]cachedCert),
		tokenLock:    make(chan struct{}, 1),
	}
	p.fetch = p.download
	for _, o := range opts {
		o(p)
	}
	return p
}

// webhookIDs are the ids PayPal may have signed with. Like the webhook secrets of the other
// providers, several may be given separated by commas, so that a webhook can be replaced
// without refusing the old one's deliveries in between.
func (p *PayPal) webhookIDs() []string {
	var ids []string
	for id := range strings.SplitSeq(p.cfg.WebhookID, ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

// apiBase is the configured REST API without a trailing slash.
func (p *PayPal) apiBase() string {
	base := strings.TrimSpace(p.cfg.APIBase)
	if base == "" {
		return DefaultAPIBase
	}
	return strings.TrimRight(base, "/")
}
