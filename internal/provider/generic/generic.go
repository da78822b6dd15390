// Package generic is the adapter for the generic provider feed (api.md, "The generic provider
// feed"): one signed JSON object per request, for alert networks (Ethoca, Verifi CDRN and RDR,
// relays of Visa TC40 and Mastercard SAFE reports) and for providers without an adapter of
// their own.
//
// The feed is one-way: there is no Responder. What the merchant answers to such a case is
// given to the network or provider outside disputed.
package generic

import (
	"net/http"
	"strings"
	"time"

	"disputed/internal/provider"
)

// TypeName is the type of a configured generic feed.
const TypeName = "generic"

// Tolerance is how far the signing time of a request may be from now, either way. It bounds
// how long a captured request could be replayed; replays inside it are caught by the id.
const Tolerance = 5 * time.Minute

// Compile-time check. The feed offers no Responder.
var _ provider.Adapter = (*Generic)(nil)

// Type is the generic feed's provider type, for the server's registry: a configuration needs the
// secret its requests are signed with. The feed makes no calls: it takes no client.
func Type() provider.Type {
	return provider.Type{
		Name:  TypeName,
		Title: "Generic feed (signed JSON)",
		Check: provider.RequireWebhookSecret,
		New:   func(cfg provider.Config, _ *http.Client) provider.Adapter { return New(cfg) },
	}
}

// Generic is one configured generic feed. It holds no mutable state and is safe for
// concurrent use.
type Generic struct {
	secrets []string // any of them may sign
}

// New returns the adapter for cfg. cfg.WebhookSecret may hold several secrets separated by
// commas, so that a secret can be rotated without losing events; blanks around the commas are
// ignored.
func New(cfg provider.Config) *Generic {
	g := &Generic{}
	for part := range strings.SplitSeq(cfg.WebhookSecret, ",") {
		if part = strings.TrimSpace(part); part != "" {
			g.secrets = append(g.secrets, part)
		}
	}
	return g
}
