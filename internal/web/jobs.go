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

// jobsPage lists background jobs, the dead ones unless asked otherwise.
type jobsPage struct {
	Jobs   []store.Job
	State  string
	Kind   string
	States []string
	Pager  pager
	Now    time.Time
	// Query keeps the filter in the pager's links and in the retry forms' way back.
	Query string
}

func (s *Server) jobsPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if msg := overlongFilter(q, "state", "kind", "page"); msg != "" {
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
	js, more, err := s.app.Jobs(r.Context(), visitorOf(r.Context()).Who, store.JobFilter{Page: pg, State: filter, Kind: kind})
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	query := url.Values{"state": {state}}
	if kind != "" {
		query.Set("kind", kind)
	}
	s.render(w, r, http.StatusOK, "jobs.html", "Jobs", jobsPage{Jobs: js, State: state, Kind: kind, States: jobStates,
		Pager: nav.withMore(more), Now: s.cfg.Now(), Query: query.Encode()})
}

// retryJob runs a dead job again now; the page goes back to the list it came from.
func (s *Server) retryJob(w http.ResponseWriter, r *http.Request) {
	_, err := s.app.RetryJob(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id"))
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	back := "/jobs"
	if q, err := url.ParseQuery(r.PostFormValue("back")); err == nil && len(q) > 0 {
		keep := url.Values{}
		for _, k := range []string{"state", "kind"} {
			if v := q.Get(k); v != "" {
				keep.Set(k, v)
			}
		}
		if len(keep) > 0 {
			back += "?" + keep.Encode()
		}
	}
	done(w, r, back, noticeJobRetried)
}
