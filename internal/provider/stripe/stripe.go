// Package stripe is the Stripe adapter: it checks the Stripe-Signature of a webhook, reads the
// charge.dispute.* and radar.early_fraud_warning.* events into provider.Event, and pushes the
// merchant's answer (evidence, concession) back through Stripe's REST API.
//
// Events are read from the raw JSON into small local structs, never into stripe-go's typed
// Event. A webhook endpoint receives events rendered in its own API version, which can be years
// older or newer than the stripe-go release we build with; the few fields we need have kept
// their names and shapes across versions, so reading only those makes every API version work.
// For the same reason the signature is checked without ConstructEvent, which refuses events of
// another API version than stripe-go's. stripe-go is used only for what does not depend on the
// API version: computing the webhook signature.
//
// What an event does to our disputes is decided in internal/app; this package only says what
// Stripe reported, in our vocabulary.
package stripe

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"disputed/internal/provider"
)

// TypeName is the type of a configured Stripe provider.
const TypeName = "stripe"

// DefaultAPIBase is Stripe's API, used when the configuration names none.
const DefaultAPIBase = "https://api.stripe.com"

// filesAPIBase is where Stripe takes file uploads when the API is Stripe's own; another API base
// (stripe-mock, a proxy) takes them itself.
const filesAPIBase = "https://files.stripe.com"

// Tolerance is how far the signing time of a webhook may be from now, either way. Stripe signs
// every delivery attempt anew, so an authentic request is seconds old; the window bounds how
// long a captured request could be replayed (replays inside it are caught by the event id).
const Tolerance = 5 * time.Minute

// defaultTimeout bounds one API call when the caller gives no client: a hung connection must
// not hold a job's lease forever.
const defaultTimeout = 30 * time.Second

// Compile-time checks that the adapter offers everything the server expects of a provider.
var (
	_ provider.Adapter   = (*Stripe)(nil)
	_ provider.Responder = (*Stripe)(nil)
	_ provider.Refunder  = (*Stripe)(nil)
)

// Type is the Stripe provider type, for the server's registry: a configuration needs the
// webhook signing secret.
func Type() provider.Type {
	return provider.Type{
		Name:  TypeName,
		Title: "Stripe",
		Check: provider.RequireWebhookSecret,
		New:   func(cfg provider.Config, client *http.Client) provider.Adapter { return New(cfg, client) },
		DisputeURL: func(disputeID string) string {
			return "https://dashboard.stripe.com/disputes/" + url.PathEscape(disputeID)
		},
	}
}

// Stripe is one configured Stripe account. It holds no mutable state and is safe for
// concurrent use.
type Stripe struct {
	secrets   []string // webhook signing secrets (whsec_…), any of which may sign
	apiKey    string
	apiBase   string // without a trailing slash
	filesBase string // where files are uploaded: filesAPIBase for Stripe's own API, else apiBase
	client    *http.Client
	listWait  time.Duration // the first wait before asking again for a list page (listBackoff)
}

// New returns the adapter for cfg. cfg.WebhookSecret may hold several secrets separated by
// commas, so that a secret can be rolled without losing events; cfg.APIKey is the secret key
// used to answer disputes; cfg.APIBase defaults to DefaultAPIBase (tests point it at
// stripe-mock). A nil client means one with a 30-second timeout.
func New(cfg provider.Config, client *http.Client) *Stripe {
	if client == nil {
		client = &http.Client{Timeout: defaultTimeout}
	}
	base := strings.TrimRight(strings.TrimSpace(cfg.APIBase), "/")
	if base == "" {
		base = DefaultAPIBase
	}
	files := base
	if base == DefaultAPIBase {
		files = filesAPIBase
	}
	return &Stripe{
		secrets:   splitSecrets(cfg.WebhookSecret),
		apiKey:    cfg.APIKey,
		apiBase:   base,
		filesBase: files,
		client:    client,
		listWait:  listBackoff,
	}
}

// splitSecrets reads a comma-separated list of secrets. Blanks around a comma are dropped, as
// are empty entries, so "a, b," is the two secrets a and b.
func splitSecrets(s string) []string {
	var out []string
	for part := range strings.SplitSeq(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
