package app_test

import (
	"strings"
	"testing"

	"disputed/internal/order"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// TestInboxUndoesOnlyTheFailedEvent: a pass applies three disputes' first events, and the
// database refuses the second one's last write (a trigger on the timeline, as a full disk
// would): that event is kept failed with the database's error and none of its writes (no
// dispute, the line still active, no event sent), the two others are applied once each; once
// the cause is gone, a retry applies it, once.
func TestInboxUndoesOnlyTheFailedEvent(t *testing.T) {
	t.Parallel()
	testenv.EachWith(t, testenv.Options{DeferApplying: true}, func(t *testing.T, e *testenv.Env) {
		e.StripeProvider("", "")
		var sales []testenv.Sale
		for _, svc := range []string{"svc-1", "svc-2", "svc-3"} {
			sales = append(sales, e.Sale(testenv.SaleParams{Amount: 4999, Line: &order.LineSpec{Panel: "manual", ExternalID: svc}}))
		}
		ids := []string{"evt_first", "evt_poison", "evt_last"}
		e.ExecSQL(`CREATE TRIGGER poison BEFORE INSERT ON timeline WHEN NEW.note LIKE '%evt_poison%' BEGIN SELECT RAISE(ABORT, 'the timeline refused it'); END`,
			`CREATE FUNCTION poison() RETURNS trigger AS $$ BEGIN IF NEW.note LIKE '%evt_poison%' THEN RAISE EXCEPTION 'the timeline refused it'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql;
			 CREATE TRIGGER poison BEFORE INSERT ON timeline FOR EACH ROW EXECUTE FUNCTION poison()`)
		var stored []string
		for i, s := range sales {
			ev := testenv.StripeEvent(ids[i], "charge.dispute.created", "needs_response", "dp_"+ids[i], s.Charge.ProviderReference, e.Clock.Now())
			stored = append(stored, testenv.Must(e.StoreStripe(ev))(t).Receipts[0].ID)
		}
		e.ApplyInbox()

		opened := func(s testenv.Sale) []string {
			ds := disputesOf(e, s.Order.ID)
			if len(ds) == 0 {
				return nil
			}
			return e.DisputeEventTypes(ds[0].ID)
		}
		for _, i := range []int{0, 2} {
			if got := opened(sales[i]); len(disputesOf(e, sales[i].Order.ID)) != 1 || testenv.Count(got, "dispute.created") != 1 || testenv.Count(got, "line.action_required") != 1 {
				t.Errorf("%s: disputes %d, events %v; want one dispute, opened once", ids[i], len(disputesOf(e, sales[i].Order.ID)), got)
			}
		}
		failed := testenv.Must(e.App.ProviderEvent(e.Ctx, testenv.Admin, stored[1]))(t)
		if failed.State != store.EventFailed || !strings.Contains(failed.Error, "the timeline refused it") || failed.Attempts != 1 {
			t.Fatalf("the refused event: %+v; want it failed with the database's error", failed)
		}
		if got := opened(sales[1]); got != nil {
			t.Errorf("the refused event's dispute: events %v; want none of its writes", got)
		}
		if l := testenv.Must(e.Store.GetLine(e.Ctx, sales[1].Lines[0].ID))(t); l.PendingAction != order.NoAction {
			t.Errorf("the refused event's line: %+v; want it left alone", l)
		}

		e.ExecSQL(`DROP TRIGGER poison`, `DROP TRIGGER poison ON timeline`)
		testenv.Must(e.App.RetryProviderEvent(e.Ctx, testenv.Admin, stored[1]))(t)
		e.ApplyInbox()
		if got := opened(sales[1]); len(disputesOf(e, sales[1].Order.ID)) != 1 || testenv.Count(got, "dispute.created") != 1 {
			t.Errorf("after the retry: events %v; want the dispute opened once", got)
		}
		for _, i := range []int{0, 2} {
			if got := opened(sales[i]); testenv.Count(got, "dispute.created") != 1 {
				t.Errorf("%s after the retry: events %v; want it opened once", ids[i], got)
			}
		}
	})
}
