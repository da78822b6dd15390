package httpapi

import (
	"context"
	"time"

	"disputed/internal/order"
	"disputed/internal/store"
)

// Activity is one thing the customer did with a line's service.
type Activity struct {
	ID        string    `json:"id"`
	Object    string    `json:"object" enum:"line_activity"`
	LineID    string    `json:"line_id"`
	OrderID   string    `json:"order_id"`
	Kind      string    `json:"kind"`
	Label     string    `json:"label" doc:"the kind in words: Signed in, Streamed, …"`
	IP        *string   `json:"ip" doc:"canonical IPv4 or IPv6 address; null when not reported"`
	At        time.Time `json:"at"`
	Detail    *string   `json:"detail"`
	Source    string    `json:"source" enum:"api,panel" doc:"reported through this API, or by the line's panel when a dispute opened"`
	CreatedAt time.Time `json:"created_at"`
}

func activityOut(a order.Activity) Activity {
	return Activity{ID: a.ID, Object: "line_activity", LineID: a.LineID, OrderID: a.OrderID, Kind: a.Kind,
		Label: order.ActivityLabel(a.Kind), IP: opt(a.IP), At: a.At.UTC(), Detail: opt(a.Detail), Source: string(a.Source),
		CreatedAt: a.CreatedAt.UTC()}
}

// ActivityEntry is an entry as the merchant's system reports it.
type ActivityEntry struct {
	Kind   string    `json:"kind" maxLength:"40" doc:"what the customer did: sign_in, stream, download, api_call, usage, purchase_confirmed, page_view, settings_changed, support_contact, or any other of a-z, 0-9 and _ (kept as given)"`
	IP     string    `json:"ip,omitempty" maxLength:"64" doc:"from where: an IPv4 or IPv6 address"`
	At     time.Time `json:"at" doc:"when (RFC 3339); not in the future"`
	Detail string    `json:"detail,omitempty" maxLength:"1000" doc:"what, in words: the title streamed, the file downloaded, the device"`
}

func (e ActivityEntry) report() order.ActivityReport {
	return order.ActivityReport{Kind: e.Kind, IP: e.IP, At: e.At, Detail: e.Detail}
}

// ActivityIn records one entry.
type ActivityIn struct {
	ID   string `path:"id" maxLength:"64"`
	Body ActivityEntry
}

// ActivityBatchIn records up to 100 entries, all or none.
type ActivityBatchIn struct {
	ID   string `path:"id" maxLength:"64"`
	Body struct {
		Data []ActivityEntry `json:"data" minItems:"1" maxItems:"100"`
	}
}

// ActivityOut answers with an entry.
type ActivityOut struct{ Body Activity }

// ActivityListIn reads a line's activity.
type ActivityListIn struct {
	ID string `path:"id" maxLength:"64"`
	PageQuery
	Since time.Time `query:"since" doc:"only entries at or after this time (RFC 3339)"`
	Until time.Time `query:"until" doc:"only entries before this time (RFC 3339)"`
}

// ActivityListOut is a page of entries, newest first.
type ActivityListOut struct{ Body List[Activity] }

func (s *Server) recordActivity(ctx context.Context, in *ActivityIn) (*ActivityOut, error) {
	a, err := s.app.RecordActivity(ctx, who(ctx), in.ID, in.Body.report())
	if err != nil {
		return nil, err
	}
	return &ActivityOut{Body: activityOut(a)}, nil
}

func (s *Server) recordActivityBatch(ctx context.Context, in *ActivityBatchIn) (*ActivityListOut, error) {
	rs := make([]order.ActivityReport, len(in.Body.Data))
	for i, e := range in.Body.Data {
		rs[i] = e.report()
	}
	as, err := s.app.RecordActivityBatch(ctx, who(ctx), in.ID, rs)
	if err != nil {
		return nil, err
	}
	return &ActivityListOut{Body: listOf(as, false, activityOut, activityKey)}, nil
}

func (s *Server) listActivity(ctx context.Context, in *ActivityListIn) (*ActivityListOut, error) {
	page, err := in.page()
	if err != nil {
		return nil, err
	}
	as, more, err := s.app.Activity(ctx, who(ctx), store.ActivityFilter{Page: page, LineID: in.ID, Since: in.Since, Until: in.Until})
	if err != nil {
		return nil, err
	}
	return &ActivityListOut{Body: listOf(as, more, activityOut, activityKey)}, nil
}

// activityKey is an entry's place in the newest-first order: the cursor of the page after it.
func activityKey(a order.Activity) (time.Time, string) { return a.At, a.ID }
