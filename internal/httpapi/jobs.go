package httpapi

import (
	"context"
	"encoding/json"
	"time"

	"disputed/internal/store"
)

// Job is a background job: a deadline, a reminder, and (later) panel actions, webhook deliveries
// and emails.
type Job struct {
	ID          string          `json:"id"`
	Object      string          `json:"object" enum:"job"`
	Kind        string          `json:"kind" doc:"e.g. dispute.deadline, dispute.reminder"`
	Key         *string         `json:"key" doc:"at most one scheduled job per key"`
	Subject     *string         `json:"subject" doc:"what the job is about, e.g. a dispute id"`
	Args        json.RawMessage `json:"args"`
	State       string          `json:"state" enum:"scheduled,running,done,dead,cancelled"`
	RunAt       time.Time       `json:"run_at"`
	Attempts    int             `json:"attempts"`
	MaxAttempts int             `json:"max_attempts"`
	LastError   *string         `json:"last_error"`
	LeaseUntil  *time.Time      `json:"lease_until"`
	LockedBy    *string         `json:"locked_by"`
	FinishedAt  *time.Time      `json:"finished_at"`
	CreatedAt   time.Time       `json:"created_at"`
	UpdatedAt   time.Time       `json:"updated_at"`
}

func jobOut(j store.Job) Job {
	args := json.RawMessage(j.Args)
	if len(args) == 0 {
		args = json.RawMessage("{}")
	}
	return Job{ID: j.ID, Object: "job", Kind: j.Kind, Key: opt(j.Key), Subject: opt(j.Subject), Args: args, State: j.State, RunAt: j.RunAt.UTC(),
		Attempts: j.Attempts, MaxAttempts: j.MaxAttempts, LastError: opt(j.LastError), LeaseUntil: optTime(j.LeaseUntil),
		LockedBy: opt(j.LockedBy), FinishedAt: optTime(j.FinishedAt), CreatedAt: j.CreatedAt.UTC(), UpdatedAt: j.UpdatedAt.UTC()}
}

// JobsIn lists jobs.
type JobsIn struct {
	PageQuery
	State string `query:"state" enum:"scheduled,running,done,dead,cancelled"`
	Kind  string `query:"kind" maxLength:"64"`
}

// JobsOut is a page of jobs.
type JobsOut struct{ Body JobList }

// JobList is a page of jobs, and whether it ends where the server stopped reading.
type JobList struct {
	List[Job]
	ReadBoundReached bool `json:"read_bound_reached" doc:"true when the server read its bound of jobs (20,000 by default) for this page before it found a full page, which happens when kind (which no index narrows) matches few jobs: data holds the matches found so far, fewer than limit or none, has_more is true and next_cursor goes on from the last job read; follow it as usual, and every match comes once"`
}

// JobOut answers with a job.
type JobOut struct{ Body Job }

func (s *Server) listJobs(ctx context.Context, in *JobsIn) (*JobsOut, error) {
	page, err := in.page()
	if err != nil {
		return nil, err
	}
	p, err := s.app.Jobs(ctx, who(ctx), store.JobFilter{Page: page, State: in.State, Kind: in.Kind})
	if err != nil {
		return nil, err
	}
	return &JobsOut{Body: JobList{List: listAt(p.Rows, jobOut, cursorOf(p.More, p.Next)), ReadBoundReached: p.Stopped}}, nil
}

func (s *Server) getJob(ctx context.Context, in *ByID) (*JobOut, error) {
	j, err := s.app.Job(ctx, who(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &JobOut{Body: jobOut(j)}, nil
}

func (s *Server) retryJob(ctx context.Context, in *ByID) (*JobOut, error) {
	j, err := s.app.RetryJob(ctx, who(ctx), in.ID)
	if err != nil {
		return nil, err
	}
	return &JobOut{Body: jobOut(j)}, nil
}
