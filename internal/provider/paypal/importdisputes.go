package paypal

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"time"

	"disputed/internal/provider"
)

const (
	// disputesPath is the Disputes API v1 list; a dispute's details are under it.
	disputesPath = "/v1/customer/disputes"
	// disputePageSize is the most disputes PayPal lists on one page.
	disputePageSize = 50
	// disputeHistory is how far back PayPal lists disputes (update_time_after must be within the
	// last 180 days); an hour is kept off it so that a clock a little ahead of PayPal's is not refused.
	disputeHistory = 180*24*time.Hour - time.Hour
)

// disputeList is a page of the disputes list: summaries, and the link to the next page.
type disputeList struct {
	Items []struct {
		DisputeID string `json:"dispute_id"`
	} `json:"items"`
	Links []link `json:"links"`
}

// link is one of PayPal's HATEOAS links.
type link struct {
	Href   string `json:"href"`
	Rel    string `json:"rel"`
	Method string `json:"method,omitempty"`
}

// disputeVersion is what names a version of a dispute's details.
type disputeVersion struct {
	DisputeID  string `json:"dispute_id"`
	Status     string `json:"status"`
	CreateTime string `json:"create_time"`
	UpdateTime string `json:"update_time"`
}

// importDisputes reads the page of the disputes list c names and each of its disputes' details.
// The list is of the disputes updated since since (a dispute opened earlier and decided since is
// history too), which PayPal's deprecated start_time, the creation date, would leave out.
func (p *PayPal) importDisputes(ctx context.Context, since, now time.Time, c importCursor) ([]provider.Event, importCursor, error) {
	query := c.Query
	if query == "" {
		query = url.Values{
			"update_time_after": {formatTime(latest(since, now.Add(-disputeHistory)))},
			"page_size":         {strconv.Itoa(disputePageSize)},
		}.Encode()
	}
	data, err := p.get(ctx, "listing disputes", disputesPath+"?"+query)
	if err != nil {
		return nil, c, err
	}
	list, next, err := readDisputeList(data)
	if err != nil {
		return nil, c, err
	}
	evs := make([]provider.Event, 0, len(list.Items))
	for _, item := range list.Items {
		data, err := p.get(ctx, "reading dispute "+item.DisputeID, disputesPath+"/"+url.PathEscape(item.DisputeID))
		if err != nil {
			return nil, c, err
		}
		ev, err := p.disputeEvent(item.DisputeID, data)
		if err != nil {
			return nil, c, err
		}
		evs = append(evs, ev)
	}
	if next == "" || next == query {
		return evs, importCursor{Phase: phaseTransactions, Page: 1}, nil
	}
	return evs, importCursor{Phase: phaseDisputes, Query: next}, nil
}

// readDisputeList reads a page of the disputes list and the query of its next page ("" on the
// last one). The next link is followed on the configured API base only, whatever host it names,
// so that the token never goes elsewhere; a link to another path is refused.
func readDisputeList(data []byte) (disputeList, string, error) {
	var list disputeList
	if err := json.Unmarshal(data, &list); err != nil {
		return list, "", payloadErr("the disputes list: %v", err)
	}
	for _, item := range list.Items {
		if item.DisputeID == "" {
			return list, "", payloadErr("the disputes list holds a dispute without dispute_id")
		}
	}
	for _, l := range list.Links {
		if l.Rel != "next" {
			continue
		}
		u, err := url.Parse(l.Href)
		if err != nil || u.Path != disputesPath || u.RawQuery == "" {
			return list, "", payloadErr("the disputes list's next link %q is not a page of the list", l.Href)
		}
		if _, err := url.ParseQuery(u.RawQuery); err != nil {
			return list, "", payloadErr("the disputes list's next link %q: %v", l.Href, err)
		}
		return list, u.RawQuery, nil
	}
	return list, "", nil
}

// disputeEvent wraps a dispute's details (listed as id) as the notification that would carry
// them: RESOLVED for a resolved dispute, CREATED for one never updated, UPDATED otherwise. Its id
// names the dispute's status and update_time.
func (p *PayPal) disputeEvent(id string, data []byte) (provider.Event, error) {
	var v disputeVersion
	if err := json.Unmarshal(data, &v); err != nil {
		return provider.Event{}, payloadErr("dispute %s: %v", id, err)
	}
	if v.DisputeID != id {
		return provider.Event{}, payloadErr("dispute %s was answered with dispute %q", id, v.DisputeID)
	}
	created, err := parseTime("dispute "+id+" create_time", v.CreateTime)
	if err != nil {
		return provider.Event{}, err
	}
	updated, err := parseTime("dispute "+id+" update_time", v.UpdateTime)
	if err != nil {
		return provider.Event{}, err
	}
	eventType := EventDisputeUpdated
	switch {
	case v.Status == "RESOLVED":
		eventType = EventDisputeResolved
	case updated.IsZero() || !updated.After(created):
		eventType = EventDisputeCreated
	}
	at := latest(created, updated)
	return p.wrap(importID(id, v.Status, formatTime(updated)), eventType, "dispute", "1.0", at, data)
}

// latest is the later of two times.
func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
