package httpapi

import (
	"context"
	"net/http"
	"reflect"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"disputed/internal/app"
	"disputed/internal/provider/generic"
	"disputed/internal/store"
)

// Provider is a configured payment provider. Its secrets are write-only.
type Provider struct {
	ID               string    `json:"id" doc:"the provider's name"`
	Object           string    `json:"object" enum:"provider"`
	Name             string    `json:"name"`
	Type             string    `json:"type" enum:"stripe,paypal,generic"`
	WebhookURL       string    `json:"webhook_path" doc:"where the provider sends its events, below this server's address"`
	WebhookSecretSet bool      `json:"webhook_secret_set"`
	APIKeySet        bool      `json:"api_key_set"`
	APIBase          *string   `json:"api_base"`
	WebhookID        *string   `json:"webhook_id"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

func providerOut(p store.Provider) Provider {
	return Provider{ID: p.Name, Object: "provider", Name: p.Name, Type: p.Type, WebhookURL: "/v1/providers/" + p.Name + "/webhook",
		WebhookSecretSet: p.WebhookSecret != "", APIKeySet: p.APIKey != "", APIBase: opt(p.APIBase), WebhookID: opt(p.WebhookID),
		CreatedAt: p.CreatedAt.UTC(), UpdatedAt: p.UpdatedAt.UTC()}
}

// ProviderIn configures a provider.
type ProviderIn struct {
	Body struct {
		Name          string `json:"name" maxLength:"64" doc:"lower-case letters, digits, - and _; the webhook path uses it"`
		Type          string `json:"type" doc:"stripe, paypal or generic"`
		WebhookSecret string `json:"webhook_secret,omitempty" maxLength:"2048" doc:"verifies the provider's webhooks; several, comma-separated, while rotating"`
		APIKey        string `json:"api_key,omitempty" maxLength:"2048" doc:"pushes answers back: a Stripe secret key, or PayPal client_id:secret"`
		APIBase       string `json:"api_base,omitempty" maxLength:"2048" doc:"the provider's API address; empty for the live one"`
		WebhookID     string `json:"webhook_id,omitempty" maxLength:"255" doc:"PayPal: the webhook's id"`
	}
}

// ProviderOut answers with a provider.
type ProviderOut struct{ Body Provider }

// ProvidersOut lists providers.
type ProvidersOut struct{ Body List[Provider] }

// ProviderWebhookIn is a provider's notification: the raw body and the signature headers of
// every provider type.
type ProviderWebhookIn struct {
	// No maxLength: a name too long to be configured answers like any unknown one (401).
	Name                 string `path:"name"`
	StripeSignature      string `header:"Stripe-Signature"`
	Signature            string `header:"X-Signature" doc:"generic feed: t=<unix>,v1=<hex HMAC-SHA256 of <t>.<body>>"`
	PayPalTransmissionID string `header:"PAYPAL-TRANSMISSION-ID"`
	PayPalTransmission   string `header:"PAYPAL-TRANSMISSION-TIME"`
	PayPalSignature      string `header:"PAYPAL-TRANSMISSION-SIG"`
	PayPalCertURL        string `header:"PAYPAL-CERT-URL"`
	PayPalAuthAlgo       string `header:"PAYPAL-AUTH-ALGO"`
	RawBody              []byte
}

func (in *ProviderWebhookIn) header() http.Header {
	h := http.Header{}
	for k, v := range map[string]string{"Stripe-Signature": in.StripeSignature, "X-Signature": in.Signature,
		"Paypal-Transmission-Id": in.PayPalTransmissionID, "Paypal-Transmission-Time": in.PayPalTransmission,
		"Paypal-Transmission-Sig": in.PayPalSignature, "Paypal-Cert-Url": in.PayPalCertURL, "Paypal-Auth-Algo": in.PayPalAuthAlgo} {
		if v != "" {
			h.Set(k, v)
		}
	}
	return h
}

// ProviderWebhookOut acknowledges a notification.
type ProviderWebhookOut struct {
	Body struct {
		Received  bool    `json:"received"`
		EventID   string  `json:"event_id"`
		Duplicate bool    `json:"duplicate" doc:"seen before: nothing was done again"`
		DisputeID *string `json:"dispute_id"`
		Outcome   string  `json:"outcome"`
	}
}

func (s *Server) createProvider(ctx context.Context, in *ProviderIn) (*ProviderOut, error) {
	b := in.Body
	return providerResult(s.app.CreateProvider(ctx, who(ctx), app.ProviderParams{Name: b.Name, Type: b.Type,
		WebhookSecret: b.WebhookSecret, APIKey: b.APIKey, APIBase: b.APIBase, WebhookID: b.WebhookID}))
}

func (s *Server) listProviders(ctx context.Context, _ *struct{}) (*ProvidersOut, error) {
	ps, err := s.app.Providers(ctx, who(ctx))
	if err != nil {
		return nil, err
	}
	return &ProvidersOut{Body: listOf(ps, false, providerOut, func(p store.Provider) (time.Time, string) { return p.CreatedAt, p.Name })}, nil
}

func (s *Server) getProvider(ctx context.Context, in *ByName) (*ProviderOut, error) {
	return providerResult(s.app.Provider(ctx, who(ctx), in.Name))
}

func (s *Server) deleteProvider(ctx context.Context, in *ByName) (*DeletedOut, error) {
	if err := s.app.DeleteProvider(ctx, who(ctx), in.Name); err != nil {
		return nil, err
	}
	return deleted(in.Name, "provider"), nil
}

// GenericFeedEvent is the schema of a generic feed's object, named for the document.
type GenericFeedEvent generic.Object

// webhookRequestBody documents what a provider sends: its own event, as JSON. A generic feed's
// is GenericFeedEvent, the schema its senders follow (generic.Object's tags; amount
// is a string or an integer); Stripe's and PayPal's events are theirs, documented by them.
func (s *Server) webhookRequestBody() *huma.RequestBody {
	feed := s.api.OpenAPI().Components.Schemas.Schema(reflect.TypeFor[GenericFeedEvent](), true, "")
	if named := s.api.OpenAPI().Components.Schemas.Map()["GenericFeedEvent"]; named != nil {
		named.Description = "One object of a generic provider feed, signed X-Signature: t=<unix>,v1=<hex HMAC-SHA256 of \"<t>.<body>\"> " +
			"with the provider's webhook_secret (5 minutes' tolerance)."
		named.AdditionalProperties = true // feeds add fields of their own, which are ignored
		amount := named.Properties["amount"]
		named.Properties["amount"] = &huma.Schema{Description: amount.Description,
			OneOf: []*huma.Schema{{Type: "string", Pattern: `^[0-9]+(\.[0-9]+)?$`}, {Type: "integer", Minimum: ptr(1.0)}}}
	}
	return &huma.RequestBody{Required: true, Description: "the provider's event as it sends it: a Stripe event, a PayPal webhook " +
		"event, or for a provider of type generic a GenericFeedEvent", Content: map[string]*huma.MediaType{
		"application/json": {Schema: &huma.Schema{OneOf: []*huma.Schema{feed,
			{Type: "object", Title: "Stripe or PayPal event", Description: "as Stripe or PayPal sends it; see their documentation"}}}},
	}}
}

func (s *Server) providerWebhook(ctx context.Context, in *ProviderWebhookIn) (*ProviderWebhookOut, error) {
	res, err := s.app.ReceiveProviderEvent(ctx, in.Name, in.header(), in.RawBody)
	if err != nil {
		return nil, err
	}
	out := &ProviderWebhookOut{}
	out.Body.Received, out.Body.EventID, out.Body.Duplicate, out.Body.DisputeID, out.Body.Outcome =
		true, res.EventID, res.Duplicate, opt(res.DisputeID), res.Outcome
	return out, nil
}

func providerResult(p store.Provider, err error) (*ProviderOut, error) {
	if err != nil {
		return nil, err
	}
	return &ProviderOut{Body: providerOut(p)}, nil
}
