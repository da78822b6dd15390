package app_test

import (
	"strings"
	"testing"
	"time"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/deadline"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// dueBy asks for a due date when the dispute is opened.
func dueBy(t time.Time) func(*app.DisputeParams) { return func(p *app.DisputeParams) { p.DueBy = t } }

// TestDeadlines: a missed due date loses the dispute once, at the minute it passes; a dispute
// answered in time or whose due date moved is not touched at the old time.
func TestDeadlines(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		due := e.Clock.Now().Add(10 * 24 * time.Hour)
		s1, s2, s3 := e.Sale(testenv.SaleParams{}), e.Sale(testenv.SaleParams{}), e.Sale(testenv.SaleParams{})
		missed := e.Dispute(s1, "chargeback", dueBy(due))
		met := e.Dispute(s2, "chargeback", dueBy(due))
		moved := e.Dispute(s3, "chargeback", dueBy(due))
		testenv.Must(e.App.UpdateDispute(e.Ctx, testenv.Admin, met.ID, met.Revision, app.UpdateDisputeParams{UpdateParams: dispute.UpdateParams{
			Evidence: map[string]string{"uncategorized_text": "proof"}, Submit: true}}))(t)
		later := e.Clock.Now().Add(12 * 24 * time.Hour)
		testenv.Must(e.App.UpdateDispute(e.Ctx, testenv.Admin, moved.ID, moved.Revision, app.UpdateDisputeParams{UpdateParams: dispute.UpdateParams{
			DueBy: &later}}))(t)

		e.Advance(10*24*time.Hour - time.Minute)
		if st := e.Reload(missed).Status; st != dispute.NeedsResponse {
			t.Fatalf("a deadline fired a minute early: %s", st)
		}
		e.Advance(2 * time.Minute)
		if lost := e.Reload(missed); lost.Status != dispute.Lost || lost.ResolvedBy != "system" {
			t.Fatalf("missed deadline: %+v", lost)
		}
		if tx := testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, s1.Charge.ID))(t); tx.Transaction.AmountWithdrawn != 1500 {
			t.Fatalf("the lost chargeback's withdrawal is not recorded: %+v", tx.Transaction)
		}
		if n := eventCount(e, missed.ID, "dispute.resolved"); n != 1 {
			t.Fatalf("%d dispute.resolved events", n)
		}
		if st := e.Reload(met).Status; st != dispute.UnderReview {
			t.Fatalf("a dispute answered in time changed: %s", st)
		}
		if st := e.Reload(moved).Status; st != dispute.NeedsResponse {
			t.Fatalf("a moved deadline fired at its old time: %s", st)
		}
		e.Advance(2 * 24 * time.Hour)
		if st := e.Reload(moved).Status; st != dispute.Lost {
			t.Fatalf("the moved deadline did not fire at its new time: %s", st)
		}
		e.RunJobs()
		if n := eventCount(e, missed.ID, "dispute.resolved"); n != 1 {
			t.Fatalf("the deadline fired again: %d dispute.resolved events", n)
		}
	})
}

// TestDeadlinesUndoOnlyTheRefusedExpiry: three disputes expire in one batch of jobs, and the
// database refuses one's timeline entries, held for the commit (a trigger, as a full disk
// would): the two others are lost and committed, that one stays open with its job due again,
// and is lost once the cause is gone.
func TestDeadlinesUndoOnlyTheRefusedExpiry(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		due := e.Clock.Now().Add(24 * time.Hour)
		var ds []dispute.Dispute
		for range 3 {
			ds = append(ds, e.Dispute(e.Sale(testenv.SaleParams{}), "chargeback", dueBy(due)))
		}
		poisoned := ds[1].ID
		e.ExecSQL(`CREATE TRIGGER poison BEFORE INSERT ON timeline WHEN NEW.dispute_id = '`+poisoned+`' BEGIN SELECT RAISE(ABORT, 'the timeline refused it'); END`,
			`CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN IF NEW.dispute_id = '`+poisoned+`' THEN RAISE EXCEPTION 'the timeline refused it'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
			 CREATE TRIGGER poison BEFORE INSERT ON timeline FOR EACH ROW EXECUTE FUNCTION poison()`)
		e.Advance(24*time.Hour + time.Minute)
		for i, d := range ds {
			want := map[bool]dispute.Status{true: dispute.NeedsResponse, false: dispute.Lost}[d.ID == poisoned]
			if got := e.Reload(d).Status; got != want {
				t.Fatalf("dispute %d after the batch: %s, want %s", i, got, want)
			}
		}
		if n := eventCount(e, poisoned, "dispute.resolved"); n != 0 {
			t.Fatalf("the refused expiry's event was kept: %d", n)
		}
		e.ExecSQL(`DROP TRIGGER poison`, `DROP TRIGGER poison ON timeline; DROP FUNCTION poison()`)
		e.Advance(time.Hour)
		for i, d := range ds {
			if got := e.Reload(d).Status; got != dispute.Lost {
				t.Fatalf("dispute %d once the cause is gone: %s", i, got)
			}
			if n := eventCount(e, d.ID, "dispute.resolved"); n != 1 {
				t.Fatalf("dispute %d resolved %d times", i, n)
			}
		}
	})
}

// TestOtherDeadlineRules: a manual dispute lost by default records the provider's refund, an
// inquiry closes, a marketplace dispute goes to review after its 48-hour window.
func TestOtherDeadlineRules(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		s := e.Sale(testenv.SaleParams{Amount: 4000})
		manual := testenv.Must(e.App.OpenManualDispute(e.Ctx, testenv.Admin, s.Order.ID, app.ManualDisputeParams{Reason: "general",
			Description: "PayPal case", ExternalReference: "PP-1", EvidenceDueBy: e.Clock.Now().Add(24 * time.Hour)}))(t)
		inq := e.Dispute(e.Sale(testenv.SaleParams{Amount: 4000}), "inquiry", dueBy(e.Clock.Now().Add(24*time.Hour)))
		sold := e.Sale(testenv.SaleParams{Amount: 4000})
		mkt := e.Dispute(sold, "marketplace", func(p *app.DisputeParams) {
			p.TransactionID, p.OrderID, p.Description = "", sold.Order.ID, "broken"
		})
		if !mkt.DueBy.Equal(e.Clock.Now().Add(48 * time.Hour)) {
			t.Fatalf("marketplace response window: due by %v", mkt.DueBy)
		}
		e.Advance(49 * time.Hour)
		if m := e.Reload(manual); m.Status != dispute.Lost {
			t.Fatalf("manual: %+v", m)
		}
		charge := testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, s.Charge.ID))(t)
		if charge.Transaction.AmountRefunded != 4000 || len(charge.Refunds) != 1 || !charge.Refunds[0].External {
			t.Fatalf("the manual dispute's refund by the provider is not recorded: %+v %+v", charge.Transaction, charge.Refunds)
		}
		if st := e.Reload(inq).Status; st != dispute.WarningClosed {
			t.Fatalf("inquiry: %s", st)
		}
		if st := e.Reload(mkt).Status; st != dispute.PendingReview {
			t.Fatalf("marketplace: %s", st)
		}
	})
}

// TestReminders: a dispute is reminded of at 72 and 24 hours before its due date, once each;
// reminders switched off send none; the offsets are durations.
func TestReminders(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		d := e.Dispute(e.Sale(testenv.SaleParams{Amount: 700}), "chargeback", dueBy(e.Clock.Now().Add(100*time.Hour)))
		e.RunJobs()
		if n := eventCount(e, d.ID, "dispute.due_soon"); n != 0 {
			t.Fatalf("%d reminders 100 h before the due date", n)
		}
		e.Advance(29 * time.Hour) // 71 h left: the 72 h reminder
		e.RunJobs()
		if n := eventCount(e, d.ID, "dispute.due_soon"); n != 1 {
			t.Fatalf("%d reminders with 71 h left, want 1", n)
		}
		// Each reminder schedules the next when it runs: one is waiting, the 24 h one.
		if next := jobsOf(t, e, store.JobFilter{Kind: deadline.KindRemind, State: "scheduled"}); len(next) != 1 || !next[0].RunAt.Equal(d.DueBy.Add(-24*time.Hour)) {
			t.Fatalf("scheduled after the 72 h reminder: %+v", next)
		}
		e.Advance(48 * time.Hour) // 23 h left: the 24 h reminder
		if n := eventCount(e, d.ID, "dispute.due_soon"); n != 2 {
			t.Fatalf("%d reminders with 23 h left, want 2", n)
		}
		// A change of the offsets applies to the open disputes' reminders still to come: the
		// 24 h one, already scheduled, says nothing once removed, and the new 12 h one goes out.
		later := e.Dispute(e.Sale(testenv.SaleParams{Amount: 700}), "chargeback", dueBy(e.Clock.Now().Add(100*time.Hour)))
		e.Advance(29 * time.Hour) // 71 h left: the 72 h reminder, which schedules the 24 h one
		testenv.Must(e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{ReminderOffsets: &[]string{"72h", "12h"}}))(t)
		e.Advance(48 * time.Hour) // 23 h left
		if n := eventCount(e, later.ID, "dispute.due_soon"); n != 1 {
			t.Fatalf("%d reminders with 23 h left after 24 h was removed, want 1", n)
		}
		e.Advance(12 * time.Hour) // 11 h left: the 12 h reminder
		if n := eventCount(e, later.ID, "dispute.due_soon"); n != 2 {
			t.Fatalf("%d reminders with 11 h left after 12 h was added, want 2", n)
		}
		// No reminder for a dispute that was answered, and none when they are switched off.
		testenv.Must(e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{ReminderOffsets: &[]string{}}))(t)
		quiet := e.Dispute(e.Sale(testenv.SaleParams{Amount: 700}), "chargeback", dueBy(e.Clock.Now().Add(10*time.Hour)))
		e.Advance(9 * time.Hour)
		if n := eventCount(e, quiet.ID, "dispute.due_soon"); n != 0 {
			t.Fatalf("%d reminders with reminders off", n)
		}
		set := testenv.Must(e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{ReminderOffsets: &[]string{"2h", "90m"}}))(t)
		var got []string
		for _, o := range app.EffectiveReminders(set) {
			got = append(got, deadline.FormatOffset(o))
		}
		if strings.Join(got, ",") != "2h,90m" {
			t.Fatalf("settings: reminders %v", got)
		}
		_, err := e.App.SaveSettings(e.Ctx, testenv.Admin, app.SettingsParams{ReminderOffsets: &[]string{"soon"}})
		testenv.WantFault(t, err, fault.Invalid, fault.CodeInvalidValue)
	})
}

// TestJobAdministration: dead jobs are listed for admins and can be retried once.
func TestJobAdministration(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		now := e.Clock.Now()
		err := e.Store.Tx(e.Ctx, func(tx store.Tx) error {
			_, err := tx.ScheduleJob(e.Ctx, store.Job{ID: "job_broken", Kind: "dispute.deadline", Args: []byte(`{"dispute_id":""}`),
				RunAt: now, MaxAttempts: 1, CreatedAt: now, UpdatedAt: now})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		e.RunJobs()
		dead := jobsOf(t, e, store.JobFilter{State: "dead"})
		if len(dead) != 1 || dead[0].ID != "job_broken" || dead[0].LastError == "" {
			t.Fatalf("dead jobs: %+v", dead)
		}
		agent := actor.Key("key_agent", actor.Agent, "")
		_, err = e.App.Jobs(e.Ctx, agent, store.JobFilter{State: "dead"})
		testenv.WantFault(t, err, fault.Forbidden, fault.CodeForbidden)
		_, err = e.App.RetryJob(e.Ctx, agent, "job_broken")
		testenv.WantFault(t, err, fault.Forbidden, fault.CodeForbidden)
		r := testenv.Must(e.App.RetryJob(e.Ctx, testenv.Admin, "job_broken"))(t)
		if r.State != "scheduled" || r.Attempts != 0 {
			t.Fatalf("retried: %+v", r)
		}
		_, err = e.App.RetryJob(e.Ctx, testenv.Admin, "job_broken")
		testenv.WantFault(t, err, fault.Conflict, fault.CodeInvalidState)
		_, err = e.App.RetryJob(e.Ctx, testenv.Admin, "job_nope")
		testenv.WantFault(t, err, fault.NotFound, fault.CodeNotFound)
	})
}
