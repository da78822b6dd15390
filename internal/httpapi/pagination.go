package httpapi

import (
	"encoding/base64"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"disputed/internal/fault"
	"disputed/internal/store"
)

// PageQuery is the pagination of every list: a cursor, or the older page/per_page style.
type PageQuery struct {
	Limit   int    `query:"limit" doc:"page size, 1 to 100 (default 50)"`
	Cursor  string `query:"cursor" maxLength:"200" doc:"next_cursor of the previous page"`
	Page    int    `query:"page" doc:"page number from 1, older style (with per_page). The rows it skips count in the bound of rows a list reads (20,000 by default): a list that walks within the bound answers a page past it with no rows and read_bound_reached, one read by offset (the block list, exchange rates, webhook deliveries, API keys, evidence, line activity, imports) refuses it, 422 invalid_value naming page; next_cursor goes as deep as any"`
	PerPage int    `query:"per_page" doc:"page size for page, 1 to 100"`
}

// List is a page of objects.
type List[T any] struct {
	Object     string  `json:"object" enum:"list"`
	Data       []T     `json:"data"`
	HasMore    bool    `json:"has_more"`
	NextCursor *string `json:"next_cursor" doc:"pass as cursor to read the next page; null on the last page"`
}

const defaultLimit = 50

// Resolve rejects an explicit limit=0 or per_page=0, which the parsed fields cannot tell from an
// absent parameter (huma does not support optional query parameters as pointers); page checks
// every other value.
func (q *PageQuery) Resolve(ctx huma.Context) []error {
	u := ctx.URL()
	query := u.Query()
	for _, p := range []struct {
		name  string
		value int
	}{{"limit", q.Limit}, {"per_page", q.PerPage}} {
		if p.value == 0 && query.Get(p.name) != "" {
			return []error{&huma.ErrorDetail{Location: "query." + p.name, Value: 0, Message: "must be between 1 and 100"}}
		}
	}
	return nil
}

func (q PageQuery) page() (store.Page, error) {
	p := store.Page{Limit: defaultLimit}
	switch {
	case q.Limit != 0:
		p.Limit = q.Limit
	case q.PerPage != 0:
		p.Limit = q.PerPage
	}
	if p.Limit < 1 || p.Limit > 100 {
		param := "limit"
		if q.Limit == 0 {
			param = "per_page"
		}
		return store.Page{}, fault.Invalidf(fault.CodeInvalidValue, param, "%s must be between 1 and 100", param)
	}
	if q.Cursor != "" {
		created, id, ok := decodeCursor(q.Cursor)
		if !ok {
			return store.Page{}, fault.Invalidf(fault.CodeInvalidValue, "cursor", "not a cursor this API returned")
		}
		p.AfterCreated, p.AfterID = created, id
		return p, nil
	}
	if q.Page < 0 {
		return store.Page{}, fault.Invalidf(fault.CodeInvalidValue, "page", "page starts at 1")
	}
	switch {
	case q.Page-1 > math.MaxInt/p.Limit: // the offset would overflow: the page is past any end
		p.Offset = math.MaxInt
	case q.Page > 1:
		p.Offset = (q.Page - 1) * p.Limit
	}
	return p, nil
}

func encodeCursor(created time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(created.UnixMilli(), 10) + "." + id))
}

func decodeCursor(c string) (time.Time, string, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return time.Time{}, "", false
	}
	ms, id, ok := strings.Cut(string(raw), ".")
	n, err := strconv.ParseInt(ms, 10, 64)
	if !ok || err != nil || id == "" || !storable(id) {
		return time.Time{}, "", false
	}
	return time.UnixMilli(n).UTC(), id, true
}

// listOf builds a page; key gives the (created_at, id) of an item for the cursor.
func listOf[D, W any](rows []D, more bool, out func(D) W, key func(D) (time.Time, string)) List[W] {
	var next *string
	if more && len(rows) > 0 {
		c := encodeCursor(key(rows[len(rows)-1]))
		next = &c
	}
	return listAt(rows, out, next)
}

// cursorOf is the cursor of the page next when more, after a page's last row or the last row a
// list read when it stopped at its bound; nil when the list ends.
func cursorOf(more bool, next store.Page) *string {
	if !more {
		return nil
	}
	c := encodeCursor(next.AfterCreated, next.AfterID)
	return &c
}

// listAt builds a page whose next page starts at the cursor next; nil: it is the last.
func listAt[D, W any](rows []D, out func(D) W, next *string) List[W] {
	l := List[W]{Object: "list", Data: make([]W, 0, len(rows)), HasMore: next != nil, NextCursor: next}
	for _, r := range rows {
		l.Data = append(l.Data, out(r))
	}
	return l
}

// CreatedQuery bounds a list by creation time.
type CreatedQuery struct {
	CreatedFrom   time.Time `query:"created_from" doc:"only objects created at or after this time (RFC 3339)"`
	CreatedBefore time.Time `query:"created_before" doc:"only objects created before this time (RFC 3339)"`
}

// ListQuery is the query of a list that pages and filters by creation time.
type ListQuery struct {
	PageQuery
	CreatedQuery
}

// window is the page and the creation-time range a list request asks for.
func (q ListQuery) window() (store.Page, store.Created, error) {
	page, err := q.page()
	if err != nil {
		return store.Page{}, store.Created{}, err
	}
	created, err := q.created()
	return page, created, err
}

func (q CreatedQuery) created() (store.Created, error) {
	if !q.CreatedFrom.IsZero() && !q.CreatedBefore.IsZero() && !q.CreatedFrom.Before(q.CreatedBefore) {
		return store.Created{}, fault.Invalidf(fault.CodeInvalidValue, "created_before", "created_before must be after created_from")
	}
	return store.Created{After: q.CreatedFrom, Before: q.CreatedBefore}, nil
}
