package panel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"time"

	"disputed/internal/order"
)

// ReportActivity is the capability to tell what the customer did with a line's service (sign-ins,
// streams, downloads). It is never implied: a panel lists it when it answers activity requests.
const ReportActivity Capability = "activity"

// ActivityRequest asks a panel what the customer did with one line since a time.
type ActivityRequest struct {
	LineID     string
	ExternalID string // the line's id on the panel
	OrderID    string
	DisputeID  string // the dispute that wants the evidence
	Since      time.Time
	Key        string // idempotency key: the same for every retry
}

// Bounds on a panel's answer to an activity request: the entries an issuer reads, not a whole
// server log.
const (
	MaxActivityEntries = 1000
	MaxActivityAnswer  = 1 << 20 // bytes
)

// ErrNoActivity is the cause of an *Error for a panel that answered 501: it does not report
// activity after all. Nothing went wrong; there is simply no log to get from it.
var ErrNoActivity = errors.New("the panel does not report activity")

// wireActivityRequest is the JSON body of an activity request.
type wireActivityRequest struct {
	LineID     string    `json:"line_id"`
	ExternalID string    `json:"external_id"`
	OrderID    string    `json:"order_id"`
	DisputeID  string    `json:"dispute_id"`
	Since      time.Time `json:"since"`
}

// wireActivityAnswer is a panel's answer: entries in the shape of POST /v1/lines/{id}/activity.
type wireActivityAnswer struct {
	Data []struct {
		Kind   string    `json:"kind"`
		IP     string    `json:"ip"`
		At     time.Time `json:"at"`
		Detail string    `json:"detail"`
	} `json:"data"`
}

func (p *httpPanel) ReportsActivity() bool { return slices.Contains(p.caps, ReportActivity) }

// Activity sends POST {base_url}/lines/{external_id}/activity, signed like an action, with
// {"line_id", "external_id", "order_id", "dispute_id", "since"}; a 2xx answer is
// {"data": [{"kind", "ip", "at", "detail"}, …]}, at most MaxActivityEntries entries in at most
// MaxActivityAnswer bytes. A 501 answer fails with ErrNoActivity. The entries come back as the
// panel wrote them: the caller checks each one.
func (p *httpPanel) Activity(ctx context.Context, r ActivityRequest) ([]order.ActivityReport, error) {
	if !p.ReportsActivity() {
		return nil, &Error{Panel: p.name, Permanent: true, Err: fmt.Errorf("activity: %w", ErrNotCapable)}
	}
	if err := p.checkLine(r.ExternalID, r.Key); err != nil {
		return nil, err
	}
	body, err := json.Marshal(wireActivityRequest{LineID: r.LineID, ExternalID: r.ExternalID, OrderID: r.OrderID,
		DisputeID: r.DisputeID, Since: r.Since.UTC()})
	if err != nil {
		return nil, &Error{Panel: p.name, Permanent: true, Err: err}
	}
	var out []order.ActivityReport
	err = p.post(ctx, "/lines/"+url.PathEscape(r.ExternalID)+"/activity", body, r.Key, func(resp *http.Response, path string) error {
		if resp.StatusCode < 200 || resp.StatusCode >= 300 {
			e := &Error{Panel: p.name, Path: path, Status: resp.StatusCode, Body: readBody(resp.Body), Permanent: permanent(resp.StatusCode)}
			if resp.StatusCode == http.StatusNotImplemented {
				e.Err = ErrNoActivity
			}
			return e
		}
		out, err = p.readActivity(resp.Body, path, resp.StatusCode)
		return err
	})
	return out, err
}

// readActivity reads an activity answer, refusing one too large or not in the contract's shape:
// the panel would send the same again, so the error is permanent.
func (p *httpPanel) readActivity(rc io.ReadCloser, path string, status int) ([]order.ActivityReport, error) {
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, MaxActivityAnswer+1))
	if err != nil {
		return nil, &Error{Panel: p.name, Path: path, Status: status, Err: fmt.Errorf("reading the answer: %w", err)}
	}
	refuse := func(format string, args ...any) error {
		return &Error{Panel: p.name, Path: path, Status: status, Body: clip(string(b), 120), Permanent: true, Err: fmt.Errorf(format, args...)}
	}
	if len(b) > MaxActivityAnswer {
		return nil, refuse("the answer is larger than %d bytes", MaxActivityAnswer)
	}
	var ans wireActivityAnswer
	if err := json.Unmarshal(b, &ans); err != nil {
		return nil, refuse("the answer is not {\"data\": [{\"kind\", \"ip\", \"at\", \"detail\"}]}: %v", err)
	}
	if len(ans.Data) > MaxActivityEntries {
		return nil, refuse("the answer holds %d entries, more than %d", len(ans.Data), MaxActivityEntries)
	}
	out := make([]order.ActivityReport, len(ans.Data))
	for i, e := range ans.Data {
		out[i] = order.ActivityReport{Kind: e.Kind, IP: e.IP, At: e.At, Detail: e.Detail}
	}
	return out, nil
}
