package stripe

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"disputed/internal/fault"
	"disputed/internal/provider"
)

var _ provider.Importer = (*Stripe)(nil)

// importPageSize is the most objects Stripe lists in one page.
const importPageSize = 100

// maxListBody bounds one list page: a hundred charges with their payment method details and
// outcome run to a few hundred kilobytes.
const maxListBody = 16 << 20

// listAttempts is how often one page is asked for when Stripe answers with a passing error (429
// rate limit, 5xx, no answer); the waits between them double from listBackoff (Stripe.listWait).
const (
	listAttempts = 4
	listBackoff  = 500 * time.Millisecond
)

// importResource is one of the lists an import pages through, and the webhook that would carry
// one of its objects as it is now.
type importResource struct {
	name  string // in the cursor and in errors
	path  string
	event func(o listedObject) (eventType, version string)
}

// importResources are read one after the other, in this order: the payments first, so that the
// refunds and disputes that follow find the charges they are about.
var importResources = []importResource{
	{name: "charges", path: "/v1/charges", event: importedCharge},
	{name: "refunds", path: "/v1/refunds", event: func(o listedObject) (string, string) { return EventRefundCreated, o.Status }},
	{name: "disputes", path: "/v1/disputes", event: func(o listedObject) (string, string) { return EventDisputeCreated, o.Status }},
	{name: "early_fraud_warnings", path: "/v1/radar/early_fraud_warnings", event: warningEvent},
}

// listedObject is what the importer reads of a listed object to name its event.
type listedObject struct {
	ID             string `json:"id"`
	Status         string `json:"status"`
	AmountRefunded int64  `json:"amount_refunded"`
	Actionable     *bool  `json:"actionable"`
}

// importedCharge is the webhook that reports a charge as it stands: refunded when any of it was,
// else what its status says. Its version changes with each refund, so that a later import
// reads a charge refunded since.
func importedCharge(o listedObject) (string, string) {
	version := o.Status + ":" + strconv.FormatInt(o.AmountRefunded, 10)
	switch {
	case o.AmountRefunded > 0:
		return "charge.refunded", version
	case o.Status == "failed":
		return "charge.failed", version
	case o.Status == "pending":
		return "charge.pending", version
	}
	return "charge.succeeded", version
}

// warningEvent reports an early fraud warning; it has no status, and only actionable changes.
func warningEvent(o listedObject) (string, string) {
	if o.Actionable != nil && !*o.Actionable {
		return EventEarlyFraudWarningUpdated, "not_actionable"
	}
	return EventEarlyFraudWarningCreated, "actionable"
}

// Import pages through the charges, refunds, disputes and early fraud warnings created since
// since, in that order, a hundred at a time. Each object is read as the webhook that would carry
// it, by Parse, with the id import:<object id>:<version> (its status; for a charge also the
// amount refunded), so that importing again repeats the ids of the objects that did not change.
// The event's time is when Stripe listed the object: what it says is the object as it stood
// then, later than any webhook sent before.
//
// The cursor names the list and the last object read. A passing error (429, 5xx, no answer) is
// tried again a few times; then, like a refusal, it is returned naming the list, and a refusal
// (a bad key, a bad request) wraps provider.ErrPermanent.
func (s *Stripe) Import(ctx context.Context, since time.Time, cursor string, page func([]provider.Event, string) error) error {
	at, after, err := readImportCursor(cursor)
	if err != nil {
		return err
	}
	for i := at; i < len(importResources); i++ {
		r := importResources[i]
		for {
			objects, more, listed, err := s.list(ctx, r, since, after)
			if err != nil {
				return fmt.Errorf("stripe import: list %s: %w", r.name, err)
			}
			evs := make([]provider.Event, 0, len(objects))
			for _, raw := range objects {
				ev, err := importEvent(r, raw, listed)
				if err != nil {
					return fmt.Errorf("stripe import: %s: %w", r.name, err)
				}
				evs = append(evs, ev)
			}
			more = more && len(objects) > 0
			next := importCursor(i+1, "")
			if more {
				after = lastID(objects)
				next = importCursor(i, after)
			}
			if err := page(evs, next); err != nil {
				return err
			}
			if !more {
				break
			}
		}
		after = ""
	}
	return nil
}

// importCursor names where an import resumes: after object after of the list at index i (at its
// start when after is empty); past the last list when i is their number.
func importCursor(i int, after string) string {
	if i >= len(importResources) {
		return "done"
	}
	return importResources[i].name + ":" + after
}

// readImportCursor reads a cursor importCursor made; "" is the start.
func readImportCursor(cursor string) (int, string, error) {
	if cursor == "" {
		return 0, "", nil
	}
	if cursor == "done" {
		return len(importResources), "", nil
	}
	name, after, ok := strings.Cut(cursor, ":")
	for i, r := range importResources {
		if ok && r.name == name {
			return i, after, nil
		}
	}
	return 0, "", fmt.Errorf("%w: stripe import: the cursor %s names no list", provider.ErrPermanent, quote(cursor))
}

// lastID is the id of the last object of a page, where the next page starts.
func lastID(objects []json.RawMessage) string {
	var o listedObject
	_ = json.Unmarshal(objects[len(objects)-1], &o)
	return o.ID
}

// importEvent wraps a listed object as the webhook that would carry it and reads it with Parse.
func importEvent(r importResource, raw json.RawMessage, listed time.Time) (provider.Event, error) {
	var o listedObject
	if err := json.Unmarshal(raw, &o); err != nil || o.ID == "" {
		return provider.Event{}, fmt.Errorf("%w: an object without an id", provider.ErrPermanent)
	}
	typ, version := r.event(o)
	body, err := json.Marshal(struct {
		ID      string `json:"id"`
		Object  string `json:"object"`
		Type    string `json:"type"`
		Created int64  `json:"created"`
		Data    struct {
			Object json.RawMessage `json:"object"`
		} `json:"data"`
	}{ID: "import:" + o.ID + ":" + version, Object: "event", Type: typ, Created: listed.Unix(),
		Data: struct {
			Object json.RawMessage `json:"object"`
		}{raw}})
	if err != nil {
		return provider.Event{}, fmt.Errorf("%w: %s: %w", provider.ErrPermanent, o.ID, err)
	}
	ev, err := parse(body)
	if err != nil {
		// The same object would be refused again: an import stops here, naming it.
		return provider.Event{}, fmt.Errorf("%w: %s: %w", provider.ErrPermanent, o.ID, err)
	}
	ev.Payload = body
	return ev, nil
}

// list reads one page of r: its objects, whether more follow, and when Stripe listed them (its
// Date header, else our clock).
func (s *Stripe) list(ctx context.Context, r importResource, since time.Time, after string) ([]json.RawMessage, bool, time.Time, error) {
	q := url.Values{"limit": {strconv.Itoa(importPageSize)}}
	if !since.IsZero() {
		q.Set("created[gte]", strconv.FormatInt(since.Unix(), 10))
	}
	if after != "" {
		q.Set("starting_after", after)
	}
	var err error
	wait := s.listWait
	for attempt := 1; ; attempt++ {
		var answer []byte
		var listed time.Time
		answer, listed, err = s.get(ctx, r.path, q)
		if err == nil {
			var l struct {
				Data    []json.RawMessage `json:"data"`
				HasMore bool              `json:"has_more"`
			}
			if err := json.Unmarshal(answer, &l); err != nil {
				return nil, false, time.Time{}, &APIError{Message: "Stripe answered the list with no list", Err: err}
			}
			return l.Data, l.HasMore, listed, nil
		}
		if errors.Is(err, provider.ErrPermanent) || attempt == listAttempts {
			return nil, false, time.Time{}, err
		}
		select {
		case <-ctx.Done():
			return nil, false, time.Time{}, errors.Join(err, ctx.Err())
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// get reads from Stripe's API with the secret key and returns the body of a success and the
// time of its answer.
func (s *Stripe) get(ctx context.Context, path string, q url.Values) ([]byte, time.Time, error) {
	if s.apiKey == "" {
		return nil, time.Time{}, refused(fault.CodeAPIKeyMissing, "", "no Stripe API key is configured for this provider")
	}
	if err := provider.CheckAPIBase(s.apiBase); err != nil {
		return nil, time.Time{}, &APIError{Code: fault.CodeInvalidAPIBase, Param: "api_base", Message: err.Error(), Permanent: true, Err: err}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.apiBase+path+"?"+q.Encode(), nil)
	if err != nil {
		return nil, time.Time{}, &APIError{Message: "cannot build the request", Permanent: true, Err: err}
	}
	req.Header.Set("Authorization", "Bearer "+s.apiKey)
	req.Header.Set("User-Agent", userAgent)
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, time.Time{}, &APIError{Message: "no response from Stripe", Err: err}
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode >= 300 {
		return nil, time.Time{}, readAPIError(resp)
	}
	answer, err := io.ReadAll(io.LimitReader(resp.Body, maxListBody))
	if err != nil {
		return nil, time.Time{}, &APIError{Message: "the answer from Stripe broke off", Err: err}
	}
	listed, err := http.ParseTime(resp.Header.Get("Date"))
	if err != nil {
		listed = time.Now()
	}
	return answer, listed.UTC(), nil
}
