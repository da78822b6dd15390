package app

import (
	"context"
	"fmt"
	"time"

	"disputed/internal/deadline"
	"disputed/internal/jobs"
	"disputed/internal/panel"
	"disputed/internal/store"
	"disputed/internal/webhook"
)

// Attempts of the deadline jobs. An expiry only writes to the database, so it fails only while
// the database does: it keeps trying for about nine hours (the backoff doubles from 2 s and caps
// at an hour) rather than leave a passed due date unenforced. A reminder is worth little once
// late: five tries, about half a minute.
const (
	ExpireAttempts = 20
	RemindAttempts = 5
)

// jobAttempts is how often a job of each kind is tried before it is parked as dead: the one
// place the runner (through JobKinds) and every site that schedules a job (through enqueue) read.
// The webhook deliveries, which internal/webhook schedules and runs, read the same constant.
var jobAttempts = map[string]int{
	deadline.KindExpire: ExpireAttempts,
	deadline.KindRemind: RemindAttempts,
	KindLineAction:      LineActionAttempts,
	KindLineActivity:    LineActivityAttempts,
	KindCompileEvidence: CompileAttempts,
	KindSendEmail:       EmailAttempts,
	KindProviderRespond: ProviderRespondAttempts,
	KindRulesEvaluate:   RulesAttempts,
	KindProviderRefund:  ProviderRefundAttempts,
	KindProviderImport:  ProviderImportAttempts,
	webhook.KindDeliver: webhook.MaxAttempts,
}

// JobAttempts is how often a job of kind is tried before it is parked as dead.
func JobAttempts(kind string) int { return jobAttempts[kind] }

// JobKinds are the background jobs the app runs, each with how to run it, its attempts and its
// timeout, for the job runner (the webhook deliveries are webhook.Service.JobKind).
func (a *App) JobKinds() []jobs.Kind {
	kinds := []jobs.Kind{
		{Name: deadline.KindExpire, Handler: a.ExpireDue, ReadAhead: readExpiring},
		{Name: deadline.KindRemind, Handler: a.RemindDue, ReadAhead: readReminded},
		{Name: KindLineAction, Call: a.CarryOutLineAction, Failed: a.LineActionFailed, Timeout: panel.MaxTimeout + 5*time.Second},
		{Name: KindLineActivity, Call: a.CollectLineActivity, Failed: a.LineActivityFailed, Timeout: panel.MaxTimeout + 5*time.Second},
		{Name: KindCompileEvidence, Call: a.CompileJob, Timeout: 60 * time.Second},
		{Name: KindSendEmail, Call: a.SendEmail, Failed: a.EmailFailed, Timeout: 45 * time.Second},
		{Name: KindProviderRespond, Call: a.RespondToProvider, Failed: a.ProviderRespondFailed, Timeout: 40 * time.Second},
		{Name: KindRulesEvaluate, Handler: a.EvaluateRules},
		{Name: KindProviderRefund, Call: a.RefundThroughProvider, Failed: a.ProviderRefundFailed, Timeout: 40 * time.Second},
		{Name: KindProviderImport, Call: a.ImportJob, Failed: a.ImportFailed, Timeout: importTimeout},
	}
	for i := range kinds {
		kinds[i].MaxAttempts = JobAttempts(kinds[i].Name)
		kinds[i] = a.updatingOrdersInJobs(kinds[i])
	}
	return kinds
}

// enqueue schedules j inside tx with the attempts of its kind (replacing the job of the same key,
// if any).
func (a *App) enqueue(ctx context.Context, tx store.Tx, now time.Time, j store.Job) error {
	j.ID, j.MaxAttempts, j.CreatedAt, j.UpdatedAt = a.ids.New("job"), JobAttempts(j.Kind), now, now
	if _, err := tx.ScheduleJob(ctx, j); err != nil {
		return fmt.Errorf("schedule %s: %w", j.Kind, err)
	}
	return nil
}
