package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"disputed/internal/store"
)

// jobsPerPage is how many jobs the jobs page lists.
const jobsPerPage = 50

// jobStates are the filters of the jobs page; "all" shows every state.
var jobStates = []string{store.JobDead, store.JobScheduled, store.JobRunning, store.JobDone, store.JobCancelled, "all"}

// jobsPage lists background jobs, the dead ones unless asked otherwise, and the provider inbox.
type jobsPage struct {
	Jobs   []store.Job
	State  string
	Kind   string
	States []string
	Pager  pager
	// Stopped tells that the page ends where the list stopped at its bound of jobs read; Further,
	// when not "", is the link to the page that goes on from its last job read or shown, with an
	// after parameter (such a page has no number: the first page is the way back).
	Stopped bool
	Further string
	Now     time.Time
	// Query keeps the filters in the pagers' links and in the retry forms' way back.
	Query string
	Inbox inboxView
}

func (s *Server) jobsPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if msg := overlongFilter(q, "state", "kind", "page", "after", "events", "events_page"); msg != "" {
		s.fail(w, r, http.StatusUnprocessableEntity, msg)
		return
	}
	state := q.Get("state")
	if state == "" {
		state = store.JobDead
	}
	if !slices.Contains(jobStates, state) {
		s.fail(w, r, http.StatusBadRequest, "Unknown job state: pick one of "+strings.Join(jobStates, ", ")+".")
		return
	}
	kind := strings.TrimSpace(q.Get("kind"))
	filter := state
	if state == "all" {
		filter = ""
	}
	pg, nav := listPage(r, jobsPerPage)
	after := q.Get("after")
	if after != "" {
		created, id, ok := parseNewestAfter(after)
		if !ok {
			s.fail(w, r, http.StatusUnprocessableEntity, notAPlace)
			return
		}
		pg.AfterCreated, pg.AfterID, pg.Offset = created, id, 0
		nav = pager{Page: 1, Prev: 1}
	}
	jp, err := s.app.Jobs(r.Context(), visitorOf(r.Context()).Who, store.JobFilter{Page: pg, State: filter, Kind: kind})
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	further := jp.More && (jp.Stopped || after != "")
	if !further {
		nav = nav.withMore(jp.More)
	}
	inbox, msg, err := s.inbox(r)
	if msg != "" {
		s.fail(w, r, http.StatusBadRequest, msg)
		return
	}
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	query := url.Values{"state": {state}, "events": {inbox.State}}
	if kind != "" {
		query.Set("kind", kind)
	}
	next := ""
	if further {
		v := url.Values{"after": {newestAfterParam(jp.Next.AfterCreated, jp.Next.AfterID)}}
		for k, vs := range query {
			v[k] = vs
		}
		next = "/jobs?" + v.Encode()
	}
	s.render(w, r, http.StatusOK, "jobs.html", "Jobs", jobsPage{Jobs: jp.Jobs, State: state, Kind: kind, States: jobStates,
		Pager: nav, Stopped: jp.Stopped, Further: next, Now: s.cfg.Now(), Query: query.Encode(), Inbox: inbox})
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

// retryJob runs a dead job again now; the page goes back to the list it came from.
func (s *Server) retryJob(w http.ResponseWriter, r *http.Request) {
	_, err := s.app.RetryJob(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id"))
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	done(w, r, jobsBack(r), noticeJobRetried)
}
