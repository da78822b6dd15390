package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

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
	Pager  walkPager
	Now    time.Time
	// Query keeps the filters in the retry forms' way back.
	Query string
	Inbox inboxView
}

// jobsWalk is how the jobs page asks for a page of jobs.
var jobsWalk = walkParams{page: "page", after: "after"}

func (s *Server) jobsPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if msg := overlongFilter(q, "state", "kind", "page", "after", "events", "events_page", "events_after"); msg != "" {
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
	events, msg := eventsState(r)
	if msg != "" {
		s.fail(w, r, http.StatusBadRequest, msg)
		return
	}
	kind := strings.TrimSpace(q.Get("kind"))
	filter := state
	if state == "all" {
		filter = ""
	}
	asked, err := jobsWalk.asked(r, jobsPerPage)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	jp, err := s.app.Jobs(r.Context(), visitorOf(r.Context()).Who, store.JobFilter{Page: asked.Page, State: filter, Kind: kind})
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	query := url.Values{"state": {state}, "events": {events}}
	if kind != "" {
		query.Set("kind", kind)
	}
	inbox, err := s.inbox(r, events, query)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "jobs.html", "Jobs", jobsPage{Jobs: jp.Rows, State: state, Kind: kind, States: jobStates,
		Pager: walkPagerOf(jobsWalk, asked, "/jobs", query, jp), Now: s.cfg.Now(), Query: query.Encode(), Inbox: inbox})
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
