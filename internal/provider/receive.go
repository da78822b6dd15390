package provider

import (
	"context"
	"net/http"
	"time"
)

// Request is a notification as it reached the provider's webhook route.
type Request struct {
	Header http.Header
	Body   []byte
	Now    time.Time // the server's clock, for the signature's age
}

// Receiver reads a provider's notification.
type Receiver interface {
	// Receive verifies r and returns the events it carries, in the provider's order, each with
	// its Payload: one for most providers, several for a provider that batches notifications.
	// The error wraps ErrSignature when r is not the provider's (nothing is stored), ErrPayload
	// when it cannot be read.
	Receive(ctx context.Context, r Request) ([]Event, error)
}

// Receipt is what became of one event of a notification once the inbox holds it.
type Receipt struct {
	ID        string // the stored event's id (pev_…)
	EventID   string // the provider's event id
	Duplicate bool   // the inbox held it already: it is not applied again
	State     string // pending, applied or failed
}

// Answerer is a Receiver that shapes the answer to its notifications itself (a provider that
// expects a fixed body, such as Adyen's "[accepted]"). The server answers the others with its
// own JSON, naming the stored events.
type Answerer interface {
	Answer(receipts []Receipt) (status int, contentType string, body []byte)
}

// Importer reads a provider's history through its list APIs: payments, refunds, disputes,
// warnings.
type Importer interface {
	// Import reads what happened since since, resuming after cursor ("" from the start), and
	// calls page with each page of it read as events (shaped as the provider's webhooks carry
	// them, with ids that the same object imported again repeats) and the cursor that resumes
	// after that page. It returns the first error page returns.
	Import(ctx context.Context, since time.Time, cursor string, page func(events []Event, cursor string) error) error
}

// ReceiveOne is Receive for a provider whose notification is one event: checked by v, read by
// p, the whole body its payload.
func ReceiveOne(ctx context.Context, v Verifier, p Parser, r Request) ([]Event, error) {
	if err := v.Verify(ctx, r.Header, r.Body, r.Now); err != nil {
		return nil, err
	}
	ev, err := p.Parse(r.Body)
	if err != nil {
		return nil, err
	}
	ev.Payload = r.Body
	return []Event{ev}, nil
}
