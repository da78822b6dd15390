package app

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/jobs"
	"disputed/internal/provider"
	"disputed/internal/store"
)

// KindProviderImport is the job that runs a history import in the server.
const KindProviderImport = "provider.import"

// ProviderImportAttempts is how often one run of an import is tried when it fails with a passing
// error (the provider or the database unreachable after the importer's own retries): with the
// runner's backoff, about half an hour. Then the import is failed.
const ProviderImportAttempts = 10

// An import runs in the server as a chain of jobs: each pages for importSlice, stores its cursor
// after every page, and hands on to a new job. One job of unbounded length would outlive the
// runner's lease (a minute), and another runner would claim it while it still ran; each slice
// ends well inside the lease and inside its timeout.
const (
	importSlice   = 30 * time.Second
	importTimeout = 50 * time.Second
)

// ImportProgress is where an import stands after a page.
type ImportProgress struct {
	Import   store.ProviderImport
	Page     int    // objects in the page just written
	LastType string // the type of its last event (charge.succeeded, charge.dispute.created, …)
}

// importJob is the argument of a KindProviderImport job.
type importJob struct {
	ImportID string `json:"import_id"`
}

// ParseSince reads the start of an import's period: a date (2025-01-01, from midnight UTC), an
// RFC 3339 time, or "" for the provider's whole history.
func ParseSince(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fault.Invalidf(fault.CodeInvalidValue, "since", "since must be a date (2025-01-01) or an RFC 3339 time")
	}
	return t.UTC(), nil
}

// StartImport records an import of the named provider's history since since (zero: all of it)
// and schedules the job that runs it. It is refused when the provider is not configured (404), cannot
// import (422) or is importing already (409).
func (a *App) StartImport(ctx context.Context, who actor.Actor, name string, since time.Time) (store.ProviderImport, error) {
	var imp store.ProviderImport
	err := a.beginImport(ctx, who, name, since, func(ctx context.Context, tx store.Tx, now time.Time, i store.ProviderImport) error {
		imp = i
		return a.scheduleImport(ctx, tx, now, i.ID)
	})
	return imp, err
}

// OpenImport is the import of the named provider that a foreground run (disputed import) takes
// on: the one running, which a killed process left behind (resumed is true), or else a new one
// since since, which no job runs. The caller runs it with RunImport.
func (a *App) OpenImport(ctx context.Context, who actor.Actor, name string, since time.Time) (imp store.ProviderImport, resumed bool, err error) {
	if err := adminOnly(who, "import a provider's history"); err != nil {
		return store.ProviderImport{}, false, err
	}
	if running, ok, err := a.runningImport(ctx, name); err != nil || ok {
		return running, ok, err
	}
	err = a.beginImport(ctx, who, name, since, func(_ context.Context, _ store.Tx, _ time.Time, i store.ProviderImport) error {
		imp = i
		return nil
	})
	return imp, false, err
}

// runningImport is the import of provider that is running, if any.
func (a *App) runningImport(ctx context.Context, name string) (store.ProviderImport, bool, error) {
	running, err := a.store.RunningProviderImports(ctx)
	if err != nil {
		return store.ProviderImport{}, false, err
	}
	for _, i := range running {
		if i.Provider == name {
			return i, true, nil
		}
	}
	return store.ProviderImport{}, false, nil
}

// beginImport checks and records a new import, then calls then in the same transaction.
func (a *App) beginImport(ctx context.Context, who actor.Actor, name string, since time.Time,
	then func(context.Context, store.Tx, time.Time, store.ProviderImport) error) error {
	if err := adminOnly(who, "import a provider's history"); err != nil {
		return err
	}
	p, err := a.store.GetProvider(ctx, name)
	if err != nil {
		return store.NotFound(err, "provider", name)
	}
	if _, err := a.importerOf(p); err != nil {
		return err
	}
	if since.After(a.clock()) {
		return fault.Invalidf(fault.CodeInvalidValue, "since", "since is in the future")
	}
	return a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		i := store.ProviderImport{ID: a.ids.New("imp"), Provider: name, Since: store.AtPrecision(since.UTC()), State: store.ImportRunning,
			StartedBy: who.String(), StartedAt: now, UpdatedAt: now}
		if err := tx.InsertProviderImport(ctx, i); errors.Is(err, store.ErrConflict) {
			return fault.New(fault.Conflict, fault.CodeImportRunning, "name", "an import of %s is running; it resumes where it stopped", name)
		} else if err != nil {
			return err
		}
		return then(ctx, tx, now, i)
	})
}

// CanImport says whether the provider's adapter reads its history (provider.Importer).
func (a *App) CanImport(p store.Provider) bool {
	_, err := a.importerOf(p)
	return err == nil
}

// importerOf is the provider's importer; a provider whose adapter reads no history is refused
// (422), naming it.
func (a *App) importerOf(p store.Provider) (provider.Importer, error) {
	ad, err := a.adapterFor(p)
	if err != nil {
		return nil, err
	}
	im, ok := ad.(provider.Importer)
	if !ok {
		return nil, fault.Invalidf(fault.CodeProviderCannotImport, "name", "the provider %s (%s) cannot import its history", p.Name, p.Type)
	}
	return im, nil
}

// scheduleImport schedules the next run of an import, replacing one scheduled already.
func (a *App) scheduleImport(ctx context.Context, tx store.Tx, now time.Time, id string) error {
	b, err := json.Marshal(importJob{ImportID: id})
	if err != nil {
		return err
	}
	return a.enqueue(ctx, tx, now, store.Job{Kind: KindProviderImport, Key: "import:" + id, Subject: "import:" + id, Args: b, RunAt: now})
}

// ProviderImport returns one import of the named provider.
func (a *App) ProviderImport(ctx context.Context, who actor.Actor, name, id string) (store.ProviderImport, error) {
	if err := adminOnly(who, "read imports"); err != nil {
		return store.ProviderImport{}, err
	}
	i, err := a.store.GetProviderImport(ctx, id)
	if err == nil && i.Provider != name {
		err = store.ErrNotFound
	}
	return i, store.NotFound(err, "import", id)
}

// ProviderImports returns a page of the named provider's imports, newest first; the bool tells
// whether more follow.
func (a *App) ProviderImports(ctx context.Context, who actor.Actor, name string, p store.Page) ([]store.ProviderImport, bool, error) {
	if err := adminOnly(who, "read imports"); err != nil {
		return nil, false, err
	}
	if _, err := a.store.GetProvider(ctx, name); err != nil {
		return nil, false, store.NotFound(err, "provider", name)
	}
	if err := a.OffsetWithin(p, true); err != nil {
		return nil, false, err
	}
	is, err := a.store.ListProviderImports(ctx, name, p)
	is, more := store.Trim(is, p.Limit)
	return is, more, err
}

// CancelImport stops a running import of the named provider: its run in progress writes no
// page after this one, and no run takes it up again. What it appended stays, and is applied:
// those are the provider's own events, which its webhooks would have brought. Only a running
// import can be canceled.
func (a *App) CancelImport(ctx context.Context, who actor.Actor, name, id string) (store.ProviderImport, error) {
	if err := adminOnly(who, "cancel imports"); err != nil {
		return store.ProviderImport{}, err
	}
	var imp store.ProviderImport
	err := a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		var err error
		if imp, err = tx.GetProviderImport(ctx, id); err == nil && imp.Provider != name {
			err = store.ErrNotFound
		}
		if err != nil {
			return store.NotFound(err, "import", id)
		}
		if imp.State != store.ImportRunning {
			return fault.New(fault.Conflict, fault.CodeInvalidState, "", "import %s is %s: only a running import can be canceled", id, imp.State)
		}
		imp.State, imp.Error, imp.UpdatedAt, imp.FinishedAt = store.ImportCanceled, "canceled by "+who.String(), now, now
		return tx.UpdateProviderImport(ctx, imp)
	})
	return imp, err
}

// RunImport runs an import in the foreground until it is done, reporting each page to progress
// (which may be nil). Each page is written through acceptProviderEvents, and then its cursor is
// stored: a run killed mid-way loses at most the page it was writing, which the next run reads
// again and the provider events take once (by event id). A refusal of the provider (a bad key)
// fails the import; a passing error, or ctx ending, leaves it running, to be resumed.
func (a *App) RunImport(ctx context.Context, id string, progress func(ImportProgress)) error {
	_, err := a.runImport(ctx, id, time.Time{}, progress)
	return err
}

// errSliceOver ends a run of an import whose time is up; the next run resumes it.
var errSliceOver = errors.New("the run's time is up")

// errImportEnded ends a run of an import that another run ended meanwhile.
var errImportEnded = errors.New("the import ended in another run")

// runImport runs an import until it is done or, when until is set, until the first page written
// after until (more is then true).
func (a *App) runImport(ctx context.Context, id string, until time.Time, progress func(ImportProgress)) (more bool, err error) {
	imp, err := a.store.GetProviderImport(ctx, id)
	if err != nil || imp.State != store.ImportRunning {
		return false, err
	}
	p, err := a.store.GetProvider(ctx, imp.Provider)
	if errors.Is(err, store.ErrNotFound) {
		return false, a.endImport(ctx, imp, fmt.Errorf("the provider %s is no longer configured", imp.Provider))
	}
	if err != nil {
		return false, err
	}
	im, err := a.importerOf(p)
	if err != nil {
		return false, a.endImport(ctx, imp, err)
	}
	err = im.Import(ctx, imp.Since, imp.Cursor, func(evs []provider.Event, cursor string) error {
		// A page read after the import was canceled is not written.
		if now, err := a.store.GetProviderImport(ctx, imp.ID); err != nil || now.State != store.ImportRunning {
			return cmp.Or(err, errImportEnded)
		}
		receipts, err := a.acceptProviderEvents(ctx, imp.Provider, evs, false)
		if err != nil {
			return err
		}
		for _, r := range receipts {
			if !r.Duplicate {
				imp.Appended++
			}
		}
		imp.Cursor, imp.Read = cursor, imp.Read+int64(len(evs))
		err = a.write(ctx, false, func(tx store.Tx, now time.Time) error {
			imp.UpdatedAt = now
			return tx.UpdateProviderImport(ctx, imp)
		})
		if errors.Is(err, store.ErrConflict) {
			return errImportEnded
		}
		if err != nil {
			return err
		}
		if progress != nil {
			pr := ImportProgress{Import: imp, Page: len(evs)}
			if len(evs) > 0 {
				pr.LastType = evs[len(evs)-1].Type
			}
			progress(pr)
		}
		if !until.IsZero() && a.clock().After(until) {
			return errSliceOver
		}
		return nil
	})
	switch {
	case errors.Is(err, errSliceOver):
		return true, nil
	case errors.Is(err, errImportEnded):
		return false, nil
	case err == nil, errors.Is(err, provider.ErrPermanent):
		return false, a.endImport(ctx, imp, err)
	}
	return false, err
}

// endImport records that an import is done (cause nil) or failed, and returns cause.
func (a *App) endImport(ctx context.Context, imp store.ProviderImport, cause error) error {
	imp.State = store.ImportDone
	if cause != nil {
		imp.State, imp.Error = store.ImportFailed, provider.CleanText(cause.Error())
	}
	err := a.write(context.WithoutCancel(ctx), false, func(tx store.Tx, now time.Time) error {
		imp.UpdatedAt, imp.FinishedAt = now, now
		err := tx.UpdateProviderImport(ctx, imp)
		if errors.Is(err, store.ErrConflict) {
			return nil // another run ended it first
		}
		return err
	})
	return errors.Join(cause, err)
}

// ImportJob runs an import for one slice of time in the server and, when it is not done, hands
// on to the next job. A refusal of the provider fails the import and ends the job; a passing
// error is the job's, retried with backoff until ImportFailed fails the import.
func (a *App) ImportJob(ctx context.Context, job store.Job) (jobs.Record, error) {
	var args importJob
	if err := json.Unmarshal(job.Args, &args); err != nil {
		return nil, jobs.Permanent(fmt.Errorf("import job arguments: %w", err))
	}
	more, err := a.runImport(ctx, args.ImportID, a.clock().Add(importSlice), nil)
	if errors.Is(err, provider.ErrPermanent) {
		return nil, nil // the import is failed, with why
	}
	if err != nil || !more {
		return nil, err
	}
	return func(ctx context.Context, tx store.Tx) error {
		return a.scheduleImport(ctx, tx, a.clock(), args.ImportID)
	}, nil
}

// ImportFailed fails the import whose job failed for good.
func (a *App) ImportFailed(ctx context.Context, tx store.Tx, job store.Job, cause error, dead bool) error {
	var args importJob
	if err := json.Unmarshal(job.Args, &args); err != nil || !dead {
		return err
	}
	imp, err := tx.GetProviderImport(ctx, args.ImportID)
	if errors.Is(err, store.ErrNotFound) || err == nil && imp.State != store.ImportRunning {
		return nil
	}
	if err != nil {
		return err
	}
	now := a.clock()
	imp.State, imp.Error, imp.UpdatedAt, imp.FinishedAt = store.ImportFailed, provider.CleanText(cause.Error()), now, now
	return tx.UpdateProviderImport(ctx, imp)
}

// importOrphaned is how long a running import with no job has gone without a page before it is
// taken as left behind by a killed foreground run (disputed import), and not one still running:
// a page takes seconds, or a minute when the provider limits the rate.
const importOrphaned = 2 * time.Minute

// ResumeImports schedules a job for every running import that no job runs or waits to run and
// that no foreground run has moved for importOrphaned: one a killed process left behind. The
// server calls it as it starts and every minute.
func (a *App) ResumeImports(ctx context.Context) error {
	running, err := a.store.RunningProviderImports(ctx)
	if err != nil || len(running) == 0 {
		return err
	}
	stale := a.clock().Add(-importOrphaned)
	held := map[string]bool{}
	for _, state := range []string{store.JobScheduled, store.JobRunning} {
		js, err := a.store.ListJobs(ctx, store.JobFilter{Kind: KindProviderImport, State: state})
		if err != nil {
			return err
		}
		for _, j := range js {
			held[j.Key] = true
		}
	}
	return a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		for _, i := range running {
			if !held["import:"+i.ID] && i.UpdatedAt.Before(stale) {
				if err := a.scheduleImport(ctx, tx, now, i.ID); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
