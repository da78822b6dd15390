package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"disputed/internal/app"
	"disputed/internal/store"
)

// providerEventsPerPage is how many provider events the jobs page lists.
const providerEventsPerPage = 50

// inboxView is the provider inbox as the jobs page shows it: its backlog, and the stored events
// of one state, the failed ones unless asked otherwise.
type inboxView struct {
	Stats  store.InboxStats
	Lag    string // how long the oldest pending event has waited: the apply lag a merchant feels
	Events []store.ProviderEvent
	State  string
	States []string
	Pager  walkPager
}

// eventsWalk is how the jobs page asks for a page of provider events.
var eventsWalk = walkParams{page: "events_page", after: "events_after", fragment: "#provider-events"}

// eventsState is the state of the provider events the jobs page lists (?events=, failed unless
// asked otherwise), and a refusal for the visitor ("" when the state is one).
func eventsState(r *http.Request) (state, msg string) {
	state = r.URL.Query().Get("events")
	if state == "" {
		state = store.EventFailed
	}
	if !slices.Contains(app.ProviderEventStates, state) {
		return "", "Unknown provider event state: pick one of " + strings.Join(app.ProviderEventStates, ", ") + "."
	}
	return state, ""
}

// inbox reads the jobs page's inbox: the events of state, the page ?events_page= or
// ?events_after= asks for, its links keeping the filters of query.
func (s *Server) inbox(r *http.Request, state string, query url.Values) (inboxView, error) {
	stats, err := s.app.InboxStats(r.Context())
	if err != nil {
		return inboxView{}, err
	}
	asked, err := eventsWalk.asked(r, providerEventsPerPage)
	if err != nil {
		return inboxView{}, err
	}
	p, err := s.app.ProviderEvents(r.Context(), visitorOf(r.Context()).Who, store.ProviderEventFilter{Page: asked.Page, State: state})
	if err != nil {
		return inboxView{}, err
	}
	v := inboxView{Stats: stats, Events: p.Rows, State: state, States: app.ProviderEventStates,
		Pager: walkPagerOf(eventsWalk, asked, "/jobs", query, p)}
	if !stats.OldestPending.IsZero() {
		v.Lag = waited(s.cfg.Now().Sub(stats.OldestPending))
	}
	return v, nil
}

// waited is a short wait for people, to the second under a minute: the inbox's lag is seconds
// when all is well.
func waited(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%d s", max(int(d/time.Second), 0))
	}
	return roughly(d)
}

// retryProviderEvent makes a failed provider event due at once; the page goes back to the lists
// it came from.
func (s *Server) retryProviderEvent(w http.ResponseWriter, r *http.Request) {
	if _, err := s.app.RetryProviderEvent(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id")); err != nil {
		s.failWith(w, r, err)
		return
	}
	done(w, r, jobsBack(r), noticeInboxRetried)
}

// jobsBack is the jobs page with the filters a form's "back" field kept, and nothing else.
func jobsBack(r *http.Request) string {
	q, err := url.ParseQuery(r.PostFormValue("back"))
	if err != nil {
		return "/jobs"
	}
	keep := url.Values{}
	for _, k := range []string{"state", "kind", "events"} {
		if v := q.Get(k); v != "" {
			keep.Set(k, v)
		}
	}
	if len(keep) == 0 {
		return "/jobs"
	}
	return "/jobs?" + keep.Encode()
}
