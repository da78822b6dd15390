package httpapi

import (
	"context"
	"net/http"
	"reflect"
	"strings"
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
	Type             string    `json:"type" doc:"the provider's type: one of the types this server registers (the enum)"`
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
		Type          string `json:"type" doc:"the provider's type"`
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
	headers              http.Header
}

// Resolve keeps every header of the request: an adapter gets the request as it came (the
// fields above only document the headers of the shipped providers).
func (in *ProviderWebhookIn) Resolve(ctx huma.Context) []error {
	in.headers = http.Header{}
	ctx.EachHeader(func(name, value string) { in.headers.Add(name, value) })
	return nil
}

// ProviderWebhookAnswer acknowledges a notification: its events are stored, to be applied.
type ProviderWebhookAnswer struct {
	Received bool `json:"received"`
	// The first event's receipt, flat, for the providers that send one event a notification.
	ProviderEventReceipt
	Events []ProviderEventReceipt `json:"events" doc:"every event the notification carried, in its order"`
}

// ProviderEventReceipt is one stored event of a notification.
type ProviderEventReceipt struct {
	ID        string `json:"id" doc:"the stored event (GET /v1/provider_events/{id}); its effects follow within the apply lag"`
	EventID   string `json:"event_id" doc:"the provider's id of the event"`
	State     string `json:"state" enum:"pending,applied,failed"`
	Duplicate bool   `json:"duplicate" doc:"stored before: answered with that event, not applied again"`
}

// ProviderWebhookOut answers a notification: the adapter's own answer when it shapes one,
// else a ProviderWebhookAnswer.
type ProviderWebhookOut struct {
	Body func(huma.Context)
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

// describeProviderTypes names in the document the provider types this server registers
// (provider.Registry): the values of a provider's type, and what configuring one accepts, so
// that a provider type added is documented with no change here.
func (s *Server) describeProviderTypes() {
	var names []any
	var listed []string
	for _, t := range s.app.RegisteredProviderTypes() {
		names, listed = append(names, t.Name), append(listed, t.Name)
	}
	schemas := s.api.OpenAPI().Components.Schemas.Map()
	if p := schemas["Provider"]; p != nil && p.Properties["type"] != nil {
		p.Properties["type"].Enum = names
	}
	if in := schemas["ProviderInBody"]; in != nil && in.Properties["type"] != nil {
		in.Properties["type"].Description = "the provider's type, one of: " + strings.Join(listed, ", ")
	}
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
	res, err := s.app.ReceiveProviderEvent(ctx, in.Name, in.headers, in.RawBody)
	if err != nil {
		return nil, err
	}
	return &ProviderWebhookOut{Body: func(hc huma.Context) {
		if status, contentType, body, ok := res.Answer(); ok {
			hc.SetHeader("Content-Type", contentType)
			hc.SetStatus(status)
			_, _ = hc.BodyWriter().Write(body)
			return
		}
		answer := ProviderWebhookAnswer{Received: true, Events: make([]ProviderEventReceipt, len(res.Receipts))}
		for i, r := range res.Receipts {
			answer.Events[i] = ProviderEventReceipt{ID: r.ID, EventID: r.EventID, State: r.State, Duplicate: r.Duplicate}
		}
		answer.ProviderEventReceipt = answer.Events[0]
		hc.SetHeader("Content-Type", "application/json")
		hc.SetStatus(http.StatusOK)
		_ = writeJSON(hc.BodyWriter(), answer)
	}}, nil
}

// documentWebhookAnswer says in the OpenAPI document what the webhook route answers, which its
// handler writes by hand (ProviderWebhookOut).
func (s *Server) documentWebhookAnswer(path string) {
	schema := s.api.OpenAPI().Components.Schemas.Schema(reflect.TypeFor[ProviderWebhookAnswer](), true, "")
	ok := s.api.OpenAPI().Paths[path].Post.Responses["200"]
	ok.Description = "the notification's events are stored, to be applied within the apply lag; a provider whose adapter shapes its own answer gets that instead"
	ok.Content = map[string]*huma.MediaType{"application/json": {Schema: schema}}
}

func providerResult(p store.Provider, err error) (*ProviderOut, error) {
	if err != nil {
		return nil, err
	}
	return &ProviderOut{Body: providerOut(p)}, nil
}
