package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"disputed/internal/dispute"
	"disputed/internal/store"
)

const listPageSize = 25

// disputesPage is the dispute list: the filter form as it was filled in, a page of disputes and the
// links to the pages around it.
type disputesPage struct {
	F         disputesFilter
	Rows      []disputeRow
	Statuses  []string
	Types     []string
	Providers []string
	Dues      []choice
	Sorts     []choice
	Page      int
	Prev      string
	Next      string
	// Further tells that the page goes on from a dispute (the after parameter) rather than
	// being a page number; Stopped, that it ends where the search stopped at its bound of
	// disputes read, which Next goes on from.
	Further, Stopped bool
	Filtered         bool
	Message          string
	// Export downloads every dispute the filters match as CSV.
	Export string
	// From and To are the transactions export's default range: the last 30 days.
	From, To string
}

func (p disputesPage) problem() string { return p.Message }

// disputesFilter is the list's query string.
type disputesFilter struct {
	Q         string
	Status    string
	Type      string
	Provider  string
	Tag       string
	Due       string // overdue, 24h, 72h, 7d
	DueBefore string // a date: due before the end of that day (UTC)
	Open      bool
	Sort      string
}

var dueWindows = []choice{
	{Value: "overdue", Label: "overdue"},
	{Value: "24h", Label: "due within 24 h"},
	{Value: "72h", Label: "due within 72 h"},
	{Value: "7d", Label: "due within 7 days"},
}

var sortOrders = []choice{
	{Value: store.SortNewest, Label: "newest first"},
	{Value: store.SortOldest, Label: "oldest first"},
	{Value: store.SortDue, Label: "soonest due first"},
	{Value: store.SortAmount, Label: "largest amount first"},
}

// newDisputesPage is the list page of filter f at page, with the choices of its filters.
func newDisputesPage(f disputesFilter, page int) disputesPage {
	p := disputesPage{F: f, Statuses: statusOptions(), Dues: dueWindows, Sorts: sortOrders, Page: page}
	for _, t := range dispute.Types {
		p.Types = append(p.Types, string(t))
	}
	return p
}

// disputeSearch reads the list's filters from q: the form as it was filled in, less what was left
// out (and msg saying so), and the store's filter for it, without its page. The list and its
// export are the one search.
func disputeSearch(q url.Values, now time.Time) (f disputesFilter, search store.DisputeFilter, msg string) {
	f = disputesFilter{Q: strings.TrimSpace(q.Get("q")), Status: q.Get("status"), Type: q.Get("type"),
		Provider: strings.TrimSpace(q.Get("provider")), Tag: strings.TrimSpace(q.Get("tag")), Due: q.Get("due"),
		DueBefore: q.Get("due_before"), Open: q.Get("open") == "1", Sort: q.Get("sort")}
	search = store.DisputeFilter{Status: f.Status, Type: f.Type, Provider: f.Provider, Tag: f.Tag, Query: f.Q, QueryRelated: true,
		OpenOnly: f.Open, Sort: f.Sort}
	if !slices.ContainsFunc(sortOrders, func(o choice) bool { return o.Value == f.Sort }) {
		search.Sort, f.Sort = store.SortNewest, store.SortNewest
	}
	switch f.Due {
	case "overdue":
		search.DueBefore, search.OpenOnly = now.Add(time.Millisecond), true
	case "24h", "72h", "7d":
		hours := map[string]time.Duration{"24h": 24, "72h": 72, "7d": 7 * 24}[f.Due]
		search.DueAfter, search.DueBefore, search.OpenOnly = now, now.Add(hours*time.Hour), true
	default:
		f.Due = ""
	}
	if f.DueBefore != "" {
		day, err := time.ParseInLocation("2006-01-02", f.DueBefore, time.UTC)
		switch {
		case err != nil:
			msg = "The due date filter is not a date (YYYY-MM-DD); it was left out."
			f.DueBefore = ""
		case search.DueBefore.IsZero() || day.AddDate(0, 0, 1).Before(search.DueBefore):
			search.DueBefore = day.AddDate(0, 0, 1)
		}
	}
	return f, search, msg
}

// disputeFilterNames are the query parameters of the dispute list's filters.
var disputeFilterNames = []string{"q", "status", "type", "provider", "tag", "due", "due_before", "open", "sort"}

func (s *Server) disputeList(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if msg := overlongFilter(q, append(disputeFilterNames, "page")...); msg != "" {
		p := newDisputesPage(disputesFilter{}, 1)
		p.Message = msg
		s.render(w, r, http.StatusUnprocessableEntity, "disputes.html", "Disputes", p)
		return
	}
	page, _ := strconv.Atoi(q.Get("page"))
	page = max(page, 1)
	f, search, msg := disputeSearch(q, s.cfg.Now())
	search.Page = store.Page{Limit: listPageSize, Offset: (page - 1) * listPageSize}
	p := newDisputesPage(f, page)
	if after := q.Get("after"); after != "" {
		key, ok := parseAfter(after)
		if !ok {
			p.Message = notAPlace("after")
			s.render(w, r, http.StatusUnprocessableEntity, "disputes.html", "Disputes", p)
			return
		}
		search.After(key)
		p.Further = true
	}
	p.Message = msg
	now := s.cfg.Now()
	who := visitorOf(r.Context()).Who
	res, err := s.app.SearchDisputes(r.Context(), who, search)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	ds := res.Disputes
	plain := make([]dispute.Dispute, len(ds))
	for i, d := range ds {
		plain[i] = d.Dispute
	}
	recs, err := s.app.Recommendations(r.Context(), who, plain...)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	for _, d := range ds {
		row := disputeRowOf(d, now)
		rec, ok := recs[d.ID]
		row.Advice = adviceOf(rec, ok)
		p.Rows = append(p.Rows, row)
	}
	types, err := s.app.ProviderTypes(r.Context(), who)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	for name := range types {
		p.Providers = append(p.Providers, name)
	}
	slices.Sort(p.Providers)
	// at is path with the page's filters, on page n (1: none said), or after a dispute.
	at := func(path string, n int, after string) string {
		v := url.Values{}
		for k, vs := range q {
			if k != "page" && k != "after" && len(vs) > 0 && vs[0] != "" {
				v.Set(k, vs[0])
			}
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		}
		if after != "" {
			v.Set("after", after)
		}
		if len(v) == 0 {
			return path
		}
		return path + "?" + v.Encode()
	}
	// A page that goes on from a dispute has no number, nor do the ones after it: the first
	// page is the way back.
	switch {
	case p.Further:
		p.Prev = at("/disputes", 1, "")
	case page > 1:
		p.Prev = at("/disputes", page-1, "")
	}
	p.Stopped = res.Stopped
	switch {
	case res.More && (res.Stopped || p.Further):
		p.Next = at("/disputes", 1, afterParam(res.Next.AfterKey()))
	case res.More:
		p.Next = at("/disputes", page+1, "")
	}
	p.Export = at("/disputes.csv", 1, "")
	p.From, p.To = now.AddDate(0, 0, -30).Format(time.DateOnly), now.Format(time.DateOnly)
	p.Filtered = f != disputesFilter{Sort: f.Sort}
	s.render(w, r, http.StatusOK, "disputes.html", "Disputes", p)
}

// notAPlace refuses param, an after parameter that names no place in a list (the dispute list's,
// the jobs', the provider events').
func notAPlace(param string) string {
	return "The parameter " + param + " is not a place in this list; nothing was searched."
}

// afterParam is the list's after parameter for the dispute of key k: its place in every order
// of the list, "created.amount.due.id" (milliseconds; due empty for none).
func afterParam(k store.DisputeKey) string {
	due := ""
	if !k.DueBy.IsZero() {
		due = strconv.FormatInt(k.DueBy.UnixMilli(), 10)
	}
	return fmt.Sprintf("%d.%d.%s.%s", k.CreatedAt.UnixMilli(), k.Amount, due, k.ID)
}

// parseAfter reads an after parameter (afterParam's).
func parseAfter(s string) (store.DisputeKey, bool) {
	parts := strings.SplitN(s, ".", 4)
	if len(s) > maxSearchFilter || len(parts) != 4 || parts[3] == "" {
		return store.DisputeKey{}, false
	}
	created, err1 := strconv.ParseInt(parts[0], 10, 64)
	amount, err2 := strconv.ParseInt(parts[1], 10, 64)
	k := store.DisputeKey{CreatedAt: time.UnixMilli(created).UTC(), ID: parts[3], Amount: amount}
	if parts[2] != "" {
		due, err := strconv.ParseInt(parts[2], 10, 64)
		if err != nil {
			return store.DisputeKey{}, false
		}
		k.DueBy = time.UnixMilli(due).UTC()
	}
	return k, err1 == nil && err2 == nil && utf8.ValidString(k.ID)
}
