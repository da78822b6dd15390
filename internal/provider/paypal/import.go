package paypal

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"disputed/internal/provider"
)

var _ provider.Importer = (*PayPal)(nil)

const (
	// importAttempts is how many times one list call is made while PayPal answers that it is busy
	// (429) or failing (5xx, a broken connection), waiting twice as long after each.
	importAttempts = 5
	// DefaultRetryWait is the first wait between two attempts of a list call.
	DefaultRetryWait = time.Second
	// maxListBytes bounds what is read of one list answer: a page of 500 transactions is about a
	// megabyte.
	maxListBytes = 16 << 20
)

// The phases of an import, in their order: the disputes first, as they are what the server is
// for, then the payments, refunds and reversals of transaction search.
const (
	phaseDisputes     = "disputes"
	phaseTransactions = "transactions"
	phaseDone         = "done"
)

// importCursor is where an import resumes, after the page it was given with.
type importCursor struct {
	Phase string `json:"phase"`
	// Query is the query of the disputes list's next link ("" for the first page).
	Query string `json:"query,omitempty"`
	// From is the start of the transaction search window and Page its page (from 1).
	From time.Time `json:"from,omitzero"`
	Page int       `json:"page,omitempty"`
}

// String is the cursor handed to the caller: opaque, read back by readCursor.
func (c importCursor) String() string {
	b, err := json.Marshal(c)
	if err != nil { // a struct of strings, a time and an int always marshals
		panic(err)
	}
	return string(b)
}

// readCursor reads a cursor Import gave; "" starts from the beginning. One that Import cannot
// have given is refused as ErrInvalidRequest: resuming from it cannot succeed.
func readCursor(s string) (importCursor, error) {
	if s == "" {
		return importCursor{Phase: phaseDisputes}, nil
	}
	var c importCursor
	if err := json.Unmarshal([]byte(s), &c); err != nil {
		return c, fmt.Errorf("%w: not a PayPal import cursor: %v", ErrInvalidRequest, err)
	}
	switch {
	case c.Phase == phaseDisputes:
		if _, err := url.ParseQuery(c.Query); err != nil {
			return c, fmt.Errorf("%w: the cursor's disputes query: %v", ErrInvalidRequest, err)
		}
	case c.Phase == phaseTransactions && c.Page >= 1: // From zero: since
	case c.Phase == phaseDone:
	default:
		return c, fmt.Errorf("%w: not a PayPal import cursor: %s", ErrInvalidRequest, s)
	}
	return c, nil
}

// WithRetryWait sets the first wait between two attempts of a list call that PayPal answered
// busy or failing (default DefaultRetryWait); values that are not positive keep the default.
func WithRetryWait(d time.Duration) Option {
	return func(p *PayPal) {
		if d > 0 {
			p.retryWait = d
		}
	}
}

// Import reads PayPal's history since since: the disputes updated since then (the list, then
// each dispute's details, wrapped as the CUSTOMER.DISPUTE.* notification that carries it), then
// transaction search in windows of 31 days, its payments, refunds and reversals wrapped as the
// PAYMENT.CAPTURE.* notifications that carry them. Every wrapped notification is read by Parse,
// as a webhook is. PayPal lists disputes of the last 180 days and transactions of the last three
// years: an earlier since starts there.
//
// A 429 or 5xx answer is retried with backoff (WithRetryWait); a refused call (401, 403, 400)
// ends the import with an error wrapping provider.ErrPermanent that names what was listed.
func (p *PayPal) Import(ctx context.Context, since time.Time, cursor string, page func(events []provider.Event, cursor string) error) error {
	c, err := readCursor(cursor)
	if err != nil {
		return err
	}
	for c.Phase != phaseDone {
		now := p.now().UTC()
		var evs []provider.Event
		var next importCursor
		switch c.Phase {
		case phaseDisputes:
			evs, next, err = p.importDisputes(ctx, since, now, c)
		default:
			evs, next, err = p.importTransactions(ctx, since, now, c)
		}
		if err != nil {
			return err
		}
		if err := page(evs, next.String()); err != nil {
			return err
		}
		c = next
	}
	return nil
}

// get makes a list call (pathQuery on the API base), retrying while PayPal is busy or failing;
// what names the call in errors.
func (p *PayPal) get(ctx context.Context, what, pathQuery string) ([]byte, error) {
	wait := p.retryWait
	for attempt := 1; ; attempt++ {
		data, err := p.authorized(ctx, "GET "+pathQuery, maxListBytes, func(base string) (*http.Request, error) {
			return http.NewRequestWithContext(ctx, http.MethodGet, base+pathQuery, nil)
		})
		if err == nil {
			return data, nil
		}
		if ctx.Err() != nil || !passing(err) || attempt == importAttempts {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, fmt.Errorf("%s: %w", what, ctx.Err())
		case <-t.C:
		}
		wait *= 2
	}
}

// passing reports whether err may not happen again: PayPal busy (429) or failing (5xx, a
// timeout), or no answer at all. A refusal (any other 4xx) or a call that cannot be sent is not.
func passing(err error) bool {
	var api *APIError
	if errors.As(err, &api) {
		return api.Status == http.StatusTooManyRequests || api.Status == http.StatusRequestTimeout || api.Status >= 500
	}
	return !errors.Is(err, provider.ErrPermanent)
}

// wrap makes the notification PayPal would send about resource, as Parse reads it, with the
// import's event id.
func (p *PayPal) wrap(id, eventType, resourceType, resourceVersion string, created time.Time, resource json.RawMessage) (provider.Event, error) {
	body, err := json.Marshal(struct {
		ID              string          `json:"id"`
		CreateTime      string          `json:"create_time"`
		ResourceType    string          `json:"resource_type"`
		EventType       string          `json:"event_type"`
		Resource        json.RawMessage `json:"resource"`
		EventVersion    string          `json:"event_version"`
		ResourceVersion string          `json:"resource_version"`
	}{id, formatTime(created), resourceType, eventType, resource, "1.0", resourceVersion})
	if err != nil {
		return provider.Event{}, payloadErr("%s %s: %v", eventType, id, err)
	}
	ev, err := p.Parse(body)
	if err != nil {
		return provider.Event{}, err
	}
	ev.Payload = body
	return ev, nil
}

// importID is the id of an imported notification: the object and its version, so that importing
// the same object again gives the same id, and a changed object a new one.
func importID(object string, version ...string) string {
	id := "import:" + object
	for _, v := range version {
		id += ":" + v
	}
	return id
}

// formatTime writes a time as the notifications do (RFC 3339, UTC); "" for the zero time.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}
