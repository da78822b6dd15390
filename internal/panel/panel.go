// Package panel carries out line actions (suspend, enable, terminate) on the control panels that
// run the services an order sold. Each line names a panel; each panel is a plugin behind the
// Panel interface:
//
//   - manual: the panel has no API. It can do nothing, so every action waits for an admin to do it
//     by hand and confirm it (the line's pending action).
//   - http: the panel exposes a small signed HTTP API (see the http plugin's Do for the contract),
//     and may report what the customer did with a line (its Activity), the evidence of use that
//     wins disputes over digital services.
//
// The package only talks to panels. Deciding which action a line needs, retrying, and recording
// the result belong to the caller (the job that runs the action).
package panel

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"disputed/internal/order"
)

// Capability is a group of actions a panel can carry out by itself.
type Capability string

// Capabilities. Suspend and enable come as a pair: a panel that could suspend a line but not enable
// it again would strand the customer when the merchant wins the dispute.
const (
	Toggle    Capability = "toggle"    // suspend and enable
	Terminate Capability = "terminate" // terminate
)

// Panel types.
const (
	TypeManual = "manual"
	TypeHTTP   = "http"
)

// Request asks a panel to carry out one action on one line.
type Request struct {
	LineID     string
	ExternalID string // the line's id on the panel
	OrderID    string
	DisputeID  string // empty when the action does not come from a dispute (a voided order)
	Action     order.LineAction
	Key        string // idempotency key: the same for every retry of one action
}

// Answer is a panel's reply to an action it carried out.
type Answer struct {
	Status int
	Body   string // at most MaxBody bytes of the reply, valid UTF-8
}

// MaxBody is how much of a panel's reply is kept: enough to show an admin what the panel said,
// little enough to store with every attempt.
const MaxBody = 1 << 10

// Panel carries out line actions on one configured panel.
type Panel interface {
	// Name is the panel's configured name, the one lines refer to.
	Name() string
	// Can reports whether the panel carries out a by itself. When it cannot, an admin must.
	Can(a order.LineAction) bool
	// Do carries out r. A failure is an *Error telling whether retrying may help.
	Do(ctx context.Context, r Request) (Answer, error)
	// ReportsActivity reports whether the panel can be asked what the customer did with a line.
	ReportsActivity() bool
	// Activity asks for what the customer did with a line (see the http plugin's Activity). A
	// failure is an *Error like Do's.
	Activity(ctx context.Context, r ActivityRequest) ([]order.ActivityReport, error)
}

// New returns the panel c describes, calling it through client (outbound.NewClient, which refuses
// private addresses) and signing with the time from now. client is unused by a manual panel and may
// then be nil; now defaults to time.Now.
func New(c Config, client *http.Client, now func() time.Time) (Panel, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if now == nil {
		now = time.Now
	}
	switch c.Type {
	case TypeManual:
		return manual{name: c.Name}, nil
	case TypeHTTP:
		if client == nil {
			return nil, fmt.Errorf("panel %q: an http panel needs a client", c.Name)
		}
		return newHTTP(c, client, now), nil
	}
	// Validate accepted a type this switch does not know: a defect.
	return nil, fmt.Errorf("panel %q: unknown type %q", c.Name, c.Type)
}

// ErrNotCapable is the cause of an *Error for an action the panel cannot carry out by itself.
var ErrNotCapable = errors.New("the panel cannot do this action")

// ErrBadRequest is the cause of an *Error for a Request that cannot be sent (no external id, no
// idempotency key).
var ErrBadRequest = errors.New("invalid request")

// Error is a failed action. Permanent tells the caller to stop retrying and hand the action to an
// admin: the panel said it cannot do it, or the request can never succeed as configured. Otherwise
// the failure may pass (the panel is down, busy or slow) and the action should be retried with
// backoff, always with the same idempotency key.
type Error struct {
	Panel     string // the panel's name
	Path      string // the URL path called, empty when nothing was sent
	Status    int    // the reply's status, 0 when there was no reply
	Body      string // at most MaxBody bytes of the reply, valid UTF-8
	Permanent bool
	Err       error // the cause when there was no reply (timeout, connection error, ErrNotCapable…)
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "panel %q", e.Panel)
	if e.Path != "" {
		b.WriteString(": POST " + e.Path)
	}
	if e.Status != 0 {
		fmt.Fprintf(&b, ": status %d", e.Status)
		if e.Body != "" {
			fmt.Fprintf(&b, ": %q", clip(e.Body, 120))
		}
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// permanent reports whether a reply with this (non-2xx) status means retrying cannot help.
func permanent(status int) bool {
	switch {
	case status == http.StatusNotImplemented:
		// 5xx, but it says the panel lacks the feature, not that it is having a bad moment.
		return true
	case status >= 500:
		return false
	case status == http.StatusRequestTimeout, status == http.StatusConflict,
		status == http.StatusTooEarly, status == http.StatusTooManyRequests:
		// The panel is busy with this line or with us: try again later.
		return false
	case status >= 400:
		// 404 unknown line, 400/422 refused, 401/403 wrong secret: the same request will get the
		// same answer until someone changes something.
		return true
	}
	// 1xx and 3xx: a redirect is not followed (it would carry the signed request to an address
	// nobody configured); it means the base URL is wrong, which no retry fixes.
	return true
}
