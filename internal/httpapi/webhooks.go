package httpapi

import (
	"context"
	"time"

	"disputed/internal/store"
	"disputed/internal/webhook"
)

// WebhookEndpoint is where outgoing webhooks go, without its secret (EndpointWithSecret).
type WebhookEndpoint struct {
	ID                   string     `json:"id"`
	Object               string     `json:"object" enum:"webhook_endpoint"`
	URL                  string     `json:"url"`
	Description          *string    `json:"description"`
	Events               []string   `json:"events"`
	PreviousSecretUntil  *time.Time `json:"previous_secret_until" doc:"after a rotation, the old secret also signs until then"`
	Enabled              bool       `json:"enabled"`
	DisabledReason       *string    `json:"disabled_reason"`
	FailureStreak        int        `json:"failure_streak" doc:"failed attempts in a row"`
	DisableAfterFailures int        `json:"disable_after_failures"`
	AppID                *string    `json:"app_id" doc:"the app that subscribed with it (it sees only its own); null for the merchant's own"`
	CreatedAt            time.Time  `json:"created_at"`
	UpdatedAt            time.Time  `json:"updated_at"`
}

func endpointOut(e store.WebhookEndpoint) WebhookEndpoint {
	out := WebhookEndpoint{ID: e.ID, Object: "webhook_endpoint", URL: e.URL, Description: opt(e.Description), Events: e.Events,
		Enabled: e.Enabled, DisabledReason: opt(e.DisabledReason), FailureStreak: e.FailureStreak, DisableAfterFailures: e.DisableAfter,
		AppID: opt(e.AppID), CreatedAt: e.CreatedAt.UTC(), UpdatedAt: e.UpdatedAt.UTC()}
	if e.PreviousSecret != "" {
		out.PreviousSecretUntil = optTime(e.PreviousUntil)
	}
	return out
}

// EndpointWithSecret is an endpoint in the answer that created it or rotated its secret, the
// one answer that shows the secret.
type EndpointWithSecret struct {
	WebhookEndpoint
	Secret string `json:"secret,omitempty" doc:"the signing secret (whsec_…): shown once, in this answer; a repeat of the request with its Idempotency-Key answers the endpoint without it, as the secret is not kept"`
}

// withSecret shows the endpoint with its secret, the one time it is shown.
func withSecret(e store.WebhookEndpoint) EndpointWithSecret {
	return EndpointWithSecret{WebhookEndpoint: endpointOut(e), Secret: e.Secret}
}

// WebhookDelivery is one event on its way to one endpoint, with every attempt.
type WebhookDelivery struct {
	ID          string           `json:"id" doc:"also the webhook-id header of every attempt"`
	Object      string           `json:"object" enum:"webhook_delivery"`
	EndpointID  string           `json:"endpoint_id"`
	EventID     string           `json:"event_id"`
	EventType   string           `json:"event_type"`
	State       string           `json:"state" enum:"pending,delivered,failed"`
	Attempts    int              `json:"attempts"`
	LastStatus  *int             `json:"last_status"`
	LastError   *string          `json:"last_error"`
	DeliveredAt *time.Time       `json:"delivered_at"`
	Tries       []WebhookAttempt `json:"attempt_log,omitempty" doc:"every attempt, oldest first (on a single delivery)"`
	CreatedAt   time.Time        `json:"created_at"`
	UpdatedAt   time.Time        `json:"updated_at"`
}

// WebhookAttempt is one try at a delivery.
type WebhookAttempt struct {
	Status    *int      `json:"status" doc:"the receiver's answer; null when there was none"`
	LatencyMS int64     `json:"latency_ms"`
	Response  *string   `json:"response" doc:"the start of the receiver's answer"`
	Error     *string   `json:"error"`
	At        time.Time `json:"at"`
}

func deliveryOut(d store.WebhookDelivery) WebhookDelivery {
	out := WebhookDelivery{ID: d.ID, Object: "webhook_delivery", EndpointID: d.EndpointID, EventID: d.EventID, EventType: d.EventType,
		State: d.State, Attempts: d.Attempts, LastError: opt(d.LastError), DeliveredAt: optTime(d.DeliveredAt),
		CreatedAt: d.CreatedAt.UTC(), UpdatedAt: d.UpdatedAt.UTC()}
	if d.LastStatus != 0 {
		out.LastStatus = &d.LastStatus
	}
	return out
}

func deliveryViewOut(v webhook.DeliveryView) WebhookDelivery {
	out := deliveryOut(v.Delivery)
	out.Tries = []WebhookAttempt{}
	for _, a := range v.Attempts {
		w := WebhookAttempt{LatencyMS: a.Latency.Milliseconds(), Response: opt(a.Response), Error: opt(a.Error), At: a.CreatedAt.UTC()}
		if a.Status != 0 {
			w.Status = &a.Status
		}
		out.Tries = append(out.Tries, w)
	}
	return out
}

// EndpointIn creates or changes an endpoint; on a change, absent fields stay as they are.
type EndpointIn struct {
	Body struct {
		URL                  *string   `json:"url,omitempty" maxLength:"2048" doc:"http or https; loopback and private addresses are refused unless DISPUTED_WEBHOOK_ALLOW_PRIVATE=1"`
		Events               *[]string `json:"events,omitempty" doc:"event types to receive, or [\"*\"] for all"`
		Description          *string   `json:"description,omitempty" maxLength:"500"`
		DisableAfterFailures *int      `json:"disable_after_failures,omitempty" doc:"failed attempts in a row that disable the endpoint (default 50)"`
		Enabled              *bool     `json:"enabled,omitempty" doc:"true enables a disabled endpoint again"`
	}
}

func (in *EndpointIn) params() webhook.EndpointParams {
	b := in.Body
	return webhook.EndpointParams{URL: b.URL, Events: b.Events, Description: b.Description, DisableAfter: b.DisableAfterFailures, Enabled: b.Enabled}
}

// EndpointUpdateIn changes an endpoint.
type EndpointUpdateIn struct {
	ID string `path:"id" maxLength:"64"`
	EndpointIn
}

// EndpointOut answers with an endpoint.
type EndpointOut struct{ Body WebhookEndpoint }

// EndpointSecretOut answers with an endpoint and its new secret.
type EndpointSecretOut struct{ Body EndpointWithSecret }

// EndpointsOut lists endpoints.
type EndpointsOut struct{ Body List[WebhookEndpoint] }

// DeliveriesIn lists an endpoint's deliveries.
type DeliveriesIn struct {
	ID string `path:"id" maxLength:"64"`
	PageQuery
	State string `query:"state" enum:"pending,delivered,failed"`
}

// DeliveriesOut is a page of deliveries.
type DeliveriesOut struct{ Body List[WebhookDelivery] }

// DeliveryOut answers with a delivery and its attempts.
type DeliveryOut struct{ Body WebhookDelivery }

func (s *Server) createEndpoint(ctx context.Context, in *EndpointIn) (*EndpointSecretOut, error) {
	e, err := s.webhooks.CreateEndpoint(ctx, who(ctx), in.params())
	if err != nil {
		return nil, err
	}
	return &EndpointSecretOut{Body: withSecret(e)}, nil
}

func (s *Server) listEndpoints(ctx context.Context, _ *struct{}) (*EndpointsOut, error) {
	es, err := s.webhooks.Endpoints(ctx, who(ctx))
	if err != nil {
		return nil, err
	}
	return &EndpointsOut{Body: listOf(es, false, endpointOut, func(e store.WebhookEndpoint) (time.Time, string) { return e.CreatedAt, e.ID })}, nil
}

func (s *Server) getEndpoint(ctx context.Context, in *ByID) (*EndpointOut, error) {
	return endpointResult(s.webhooks.Endpoint(ctx, who(ctx), in.ID))
}

func (s *Server) updateEndpoint(ctx context.Context, in *EndpointUpdateIn) (*EndpointOut, error) {
	return endpointResult(s.webhooks.UpdateEndpoint(ctx, who(ctx), in.ID, in.params()))
}

func (s *Server) rotateEndpoint(ctx context.Context, in *ByID) (*EndpointSecretOut, error) {
	e, err := s.webhooks.RotateEndpointSecret(ctx, who(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &EndpointSecretOut{Body: withSecret(e)}, nil
}

func (s *Server) deleteEndpoint(ctx context.Context, in *ByID) (*DeletedOut, error) {
	if err := s.webhooks.DeleteEndpoint(ctx, who(ctx), in.ID); err != nil {
		return nil, err
	}
	return deleted(in.ID, "webhook_endpoint"), nil
}

func (s *Server) listDeliveries(ctx context.Context, in *DeliveriesIn) (*DeliveriesOut, error) {
	page, err := in.page()
	if err != nil {
		return nil, err
	}
	ds, more, err := s.webhooks.Deliveries(ctx, who(ctx), store.DeliveryFilter{Page: page, EndpointID: in.ID, State: in.State})
	if err != nil {
		return nil, err
	}
	return &DeliveriesOut{Body: listOf(ds, more, deliveryOut, func(d store.WebhookDelivery) (time.Time, string) { return d.CreatedAt, d.ID })}, nil
}

func (s *Server) getDelivery(ctx context.Context, in *ByID) (*DeliveryOut, error) {
	return deliveryResult(s.webhooks.Delivery(ctx, who(ctx), in.ID))
}

func (s *Server) redeliver(ctx context.Context, in *ByID) (*DeliveryOut, error) {
	return deliveryResult(s.webhooks.Redeliver(ctx, who(ctx), in.ID))
}

func endpointResult(e store.WebhookEndpoint, err error) (*EndpointOut, error) {
	if err != nil {
		return nil, err
	}
	return &EndpointOut{Body: endpointOut(e)}, nil
}

func deliveryResult(v webhook.DeliveryView, err error) (*DeliveryOut, error) {
	if err != nil {
		return nil, err
	}
	return &DeliveryOut{Body: deliveryViewOut(v)}, nil
}
