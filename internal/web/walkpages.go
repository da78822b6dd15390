package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"disputed/internal/app"
	"disputed/internal/fault"
	"disputed/internal/store"
)

// The lists read newest first within the bound of rows a list reads (app.WalkPage: the jobs and
// the provider events, both on the jobs page) are asked for by page number, or by the place
// after which a page goes on: the Search further link of a page that stopped at the bound. Their
// links are built whole, the page's filters kept: a query string written into an href by the
// template would be escaped into one parameter.

// walkParams names the query parameters of such a list on its page: its page number's, its
// place's, and the fragment its links go to.
type walkParams struct{ page, after, fragment string }

// walkAsked is the page of such a list a request asks for.
type walkAsked struct {
	Page store.Page
	nav  pager
	// byPlace tells that the page was asked for after a place: it has no number, and the first
	// page is the way back.
	byPlace bool
}

// asked reads the page of size rows the request asks for. An after parameter that names no place
// is refused, naming it.
func (wp walkParams) asked(r *http.Request, size int) (walkAsked, error) {
	pg, nav := pageParam(r, wp.page, size)
	after := r.URL.Query().Get(wp.after)
	if after == "" {
		return walkAsked{Page: pg, nav: nav}, nil
	}
	created, id, ok := parseNewestAfter(after)
	if !ok {
		return walkAsked{}, fault.Invalidf(fault.CodeInvalidValue, wp.after, "%s", notAPlace(wp.after))
	}
	pg.AfterCreated, pg.AfterID, pg.Offset = created, id, 0
	return walkAsked{Page: pg, nav: pager{Page: 1, Prev: 1}, byPlace: true}, nil
}

// walkPager is the pager of a page of such a list: its number and its links, "" for none.
// Further goes on from the last row read when the list stopped at its bound (Stopped), or from
// the last row shown on a page asked for by place.
type walkPager struct {
	Page                  int
	Newer, Older, Further string
	Stopped               bool
}

// Any tells whether the pager has a link.
func (p walkPager) Any() bool { return p.Newer != "" || p.Older != "" || p.Further != "" }

// walkPagerOf is the pager of p, the page read as asked, whose links go to path with the filters
// of query.
func walkPagerOf[T any](wp walkParams, asked walkAsked, path string, query url.Values, p app.WalkPage[T]) walkPager {
	link := func(name, value string) string {
		v := url.Values{name: {value}}
		for k, vs := range query {
			v[k] = vs
		}
		return path + "?" + v.Encode() + wp.fragment
	}
	out := walkPager{Page: asked.nav.Page, Stopped: p.Stopped}
	if asked.nav.Prev > 0 {
		out.Newer = link(wp.page, strconv.Itoa(asked.nav.Prev))
	}
	switch {
	case p.More && (p.Stopped || asked.byPlace):
		out.Further = link(wp.after, newestAfterParam(p.Next.AfterCreated, p.Next.AfterID))
	case p.More:
		out.Older = link(wp.page, strconv.Itoa(asked.nav.Page+1))
	}
	return out
}

// newestAfterParam is a list's after parameter for the row created at created with id id: its
// place newest first, "milliseconds.id".
func newestAfterParam(created time.Time, id string) string {
	return strconv.FormatInt(created.UnixMilli(), 10) + "." + id
}

// parseNewestAfter reads an after parameter (newestAfterParam's).
func parseNewestAfter(s string) (created time.Time, id string, ok bool) {
	ms, id, found := strings.Cut(s, ".")
	n, err := strconv.ParseInt(ms, 10, 64)
	return time.UnixMilli(n).UTC(), id, found && err == nil && id != "" && utf8.ValidString(id)
}
