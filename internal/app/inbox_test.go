package app_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/order"
	"disputed/internal/provider"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// TestInboxAnswersBeforeApplying: a provider's notification is answered once its event is
// stored, pending, before it changes anything (as under load, or with DeferApplying); the
// appliers then open the dispute and settle the event applied; a replay is answered with the
// event stored first and changes nothing.
func TestInboxAnswersBeforeApplying(t *testing.T) {
	t.Parallel()
	testenv.EachWith(t, testenv.Options{DeferApplying: true}, func(t *testing.T, e *testenv.Env) {
		e.StripeProvider("", "")
		sale := e.Sale(testenv.SaleParams{Amount: 4999})
		created := testenv.StripeEvent("evt_1", "charge.dispute.created", "needs_response", "dp_inbox", sale.Charge.ProviderReference, e.Clock.Now())
		first := testenv.Must(e.StoreStripe(created))(t).Receipts
		if len(first) != 1 || first[0].State != "pending" || first[0].Duplicate || first[0].EventID != "evt_1" {
			t.Fatalf("the answer is %+v; want the event stored, pending", first)
		}
		if ds := disputesOf(e, sale.Order.ID); len(ds) != 0 {
			t.Fatalf("a dispute was opened before the event was applied: %+v", ds)
		}
		if s := e.InboxStats(); s.Pending != 1 || s.Failed != 0 || s.OldestPending.IsZero() {
			t.Errorf("inbox %+v; want the one event pending", s)
		}
		e.Clock.Advance(40 * time.Millisecond)
		e.ApplyInbox()
		ds := disputesOf(e, sale.Order.ID)
		stored := testenv.Must(e.App.ProviderEvent(e.Ctx, testenv.Admin, first[0].ID))(t)
		if len(ds) != 1 || stored.State != store.EventApplied || stored.DisputeID != ds[0].ID || stored.Outcome != "opened" ||
			!stored.AppliedAt.Equal(e.Clock.Now()) || stored.Attempts != 1 {
			t.Fatalf("after applying: disputes %d, stored %+v", len(ds), stored)
		}
		timeline := len(testenv.Must(e.App.Timeline(e.Ctx, testenv.Admin, ds[0].ID))(t))

		again := testenv.Must(e.StoreStripe(created))(t).Receipts
		if len(again) != 1 || again[0].ID != first[0].ID || !again[0].Duplicate || again[0].State != store.EventApplied {
			t.Fatalf("a replay is answered %+v; want the event stored first, applied", again)
		}
		e.ApplyInbox()
		if n := len(testenv.Must(e.App.Timeline(e.Ctx, testenv.Admin, ds[0].ID))(t)); n != timeline || len(disputesOf(e, sale.Order.ID)) != 1 {
			t.Errorf("a replay changed the dispute: %d timeline entries, were %d", n, timeline)
		}
		if s := e.InboxStats(); s.Pending != 0 {
			t.Errorf("inbox %+v; want it empty", s)
		}
	})
}

// TestInboxAppliesANotificationAloneAtOnce: a notification that arrives while no other one is
// being received, and the appliers drain no backlog, is applied before its answer, which says
// so: whoever sent it finds the dispute as soon as it has the answer.
func TestInboxAppliesANotificationAloneAtOnce(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.StripeProvider("", "")
		sale := e.Sale(testenv.SaleParams{Amount: 4999})
		created := testenv.StripeEvent("evt_1", "charge.dispute.created", "needs_response", "dp_alone", sale.Charge.ProviderReference, e.Clock.Now())
		r := testenv.Must(e.StoreStripe(created))(t).Receipts
		if len(r) != 1 || r[0].State != store.EventApplied || r[0].Duplicate {
			t.Fatalf("the answer is %+v; want the event applied", r)
		}
		if ds := disputesOf(e, sale.Order.ID); len(ds) != 1 || ds[0].ProviderDisputeID != "dp_alone" {
			t.Fatalf("disputes after the answer: %+v", ds)
		}
		if s := e.InboxStats(); s.Pending != 0 {
			t.Errorf("inbox %+v; want it empty", s)
		}

		// While the appliers drain a backlog, a notification that arrives alone is one of a
		// stream sent one at a time: it is answered once stored, and applied by them.
		e.App.Draining(true)
		updated := testenv.StripeEvent("evt_2", "charge.dispute.updated", "under_review", "dp_alone", sale.Charge.ProviderReference, e.Clock.Now())
		r = testenv.Must(e.StoreStripe(updated))(t).Receipts
		e.App.Draining(false)
		if len(r) != 1 || r[0].State != store.EventPending {
			t.Fatalf("the answer while the appliers drain is %+v; want the event pending", r)
		}
		e.ApplyInbox()
		if ds := disputesOf(e, sale.Order.ID); len(ds) != 1 || ds[0].Status != "under_review" {
			t.Fatalf("disputes after the appliers applied the update: %+v", ds)
		}
	})
}

// TestInboxAppliesEachObjectInOrder: notifications about many disputes arrive at once, each
// dispute's in its order, while two appliers drain the inbox side by side (on PostgreSQL two
// transactions claiming together): every event is applied once, and each dispute's events in
// the order they arrived, even though they all say the same creation time (so that nothing but
// the order of arrival orders them).
func TestInboxAppliesEachObjectInOrder(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.StripeProvider("", "")
		const cases = 12
		steps := []struct{ typ, status string }{{"charge.dispute.created", "needs_response"},
			{"charge.dispute.updated", "under_review"}, {"charge.dispute.closed", "won"}}
		sales := make([]testenv.Sale, cases)
		for i := range sales {
			sales[i] = e.Sale(testenv.SaleParams{Amount: 4999})
		}
		at := e.Clock.Now()
		var delivered, appliers sync.WaitGroup
		done := make(chan struct{})
		errs := make(chan error, cases*len(steps)+2)
		for i, s := range sales {
			delivered.Go(func() {
				for j, step := range steps {
					ev := testenv.StripeEvent(fmt.Sprintf("evt_%d_%d", i, j), step.typ, step.status, fmt.Sprintf("dp_%d", i), s.Charge.ProviderReference, at)
					if _, err := e.StoreStripe(ev); err != nil {
						errs <- err
					}
				}
			})
		}
		for range 2 {
			appliers.Go(func() {
				for {
					select {
					case <-done:
						return
					default:
					}
					if _, err := e.App.ApplyProviderEvents(e.Ctx); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		delivered.Wait()
		close(done)
		appliers.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		e.ApplyInbox()
		if s := e.InboxStats(); s.Pending != 0 || s.Failed != 0 {
			t.Fatalf("inbox %+v after draining", s)
		}
		for i, s := range sales {
			ds := disputesOf(e, s.Order.ID)
			if len(ds) != 1 || ds[0].Status != dispute.Won {
				t.Fatalf("case %d: disputes %+v; want one, won", i, ds)
			}
			var seen []string
			for _, en := range testenv.Must(e.App.Timeline(e.Ctx, testenv.Admin, ds[0].ID))(t) {
				if en.Action == "provider_event" {
					seen = append(seen, en.Note)
				}
			}
			want := []string{fmt.Sprintf("charge.dispute.created evt_%d_0: opened", i), fmt.Sprintf("charge.dispute.updated evt_%d_1: applied", i),
				fmt.Sprintf("charge.dispute.closed evt_%d_2: applied", i)}
			if fmt.Sprint(seen) != fmt.Sprint(want) {
				t.Errorf("case %d applied %q; want %q", i, seen, want)
			}
		}
	})
}

// TestInboxAppliesAChargeAndItsRefundsInOrder: charges, each followed by its refunds (each
// refund reported twice, by refund.created and then charge.refund.updated), arrive at once with
// other disputes' events, all saying the same creation time, while two appliers drain the inbox
// side by side (on PostgreSQL two transactions claiming together). A refund is ordered with its
// charge (provider.Event.Object): none is applied before its charge (it would find no payment and
// record nothing), each refund is recorded once, by its first report, in the order the refunds
// arrived, and each charge's amount refunded is the sum of its refunds. (On SQLite one writer
// applies the passes one after another, in arrival order, whatever the objects: the order is
// put to the test on PostgreSQL, where a refund not ordered with its charge fails most runs.)
func TestInboxAppliesAChargeAndItsRefundsInOrder(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.StripeProvider("", "")
		const charges = 8
		amounts := []int64{1000, 1500, 2000}
		sales := make([]testenv.Sale, 8)
		for i := range sales {
			sales[i] = e.Sale(testenv.SaleParams{Amount: 4999})
		}
		at := e.Clock.Now()
		refundEvent := func(id, typ, ch, re string, amount int64) map[string]any {
			return map[string]any{"id": id, "object": "event", "type": typ, "created": at.Unix(), "data": map[string]any{"object": map[string]any{
				"id": re, "object": "refund", "amount": amount, "currency": "usd", "charge": ch, "payment_intent": nil,
				"status": "succeeded", "created": at.Unix()}}}
		}
		var (
			mu                  sync.Mutex
			stored              = map[string]string{} // the inbox id of each event, by its Stripe id
			errs                = make(chan error, charges*(1+2*len(amounts))+2*len(sales)+2)
			done                = make(chan struct{})
			delivered, appliers sync.WaitGroup
		)
		deliver := func(ev map[string]any) {
			r, err := e.StoreStripe(ev)
			if err != nil {
				errs <- err
				return
			}
			mu.Lock()
			stored[ev["id"].(string)] = r.Receipts[0].ID
			mu.Unlock()
		}
		for i := range charges {
			delivered.Go(func() {
				ch := fmt.Sprintf("ch_3QOrdered%02d", i)
				deliver(stripeCharge(fmt.Sprintf("evt_ch_%d", i), "charge.succeeded", ch, 4999, nil, at, nil))
				for j, amount := range amounts {
					re := fmt.Sprintf("re_3QOrdered%02d_%d", i, j)
					deliver(refundEvent(fmt.Sprintf("evt_re_%d_%d_created", i, j), "refund.created", ch, re, amount))
					deliver(refundEvent(fmt.Sprintf("evt_re_%d_%d_updated", i, j), "charge.refund.updated", ch, re, amount))
				}
			})
		}
		for i, s := range sales {
			delivered.Go(func() {
				for j, step := range []struct{ typ, status string }{{"charge.dispute.created", "needs_response"}, {"charge.dispute.updated", "under_review"}} {
					deliver(testenv.StripeEvent(fmt.Sprintf("evt_dp_%d_%d", i, j), step.typ, step.status, fmt.Sprintf("dp_%d", i), s.Charge.ProviderReference, at))
				}
			})
		}
		for range 2 {
			appliers.Go(func() {
				for {
					select {
					case <-done:
						return
					default:
					}
					if _, err := e.App.ApplyProviderEvents(e.Ctx); err != nil {
						errs <- err
						return
					}
				}
			})
		}
		delivered.Wait()
		close(done)
		appliers.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		e.ApplyInbox()
		if s := e.InboxStats(); s.Pending != 0 || s.Failed != 0 {
			t.Fatalf("inbox %+v after draining", s)
		}
		outcome := func(eventID string) string {
			return testenv.Must(e.App.ProviderEvent(e.Ctx, testenv.Admin, stored[eventID]))(t).Outcome
		}
		for i := range charges {
			ch := fmt.Sprintf("ch_3QOrdered%02d", i)
			ts := transactionsOf(t, e, ch)
			if len(ts) != 1 {
				t.Fatalf("%s: %d transactions (%s)", ch, len(ts), outcome(fmt.Sprintf("evt_ch_%d", i)))
			}
			view := testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, ts[0].Transaction.ID))(t)
			// Identifiers sort in the order they were made: the refunds' in the order recorded.
			refunds := slices.SortedFunc(slices.Values(view.Refunds), func(a, b order.Transaction) int { return strings.Compare(a.ID, b.ID) })
			var got, want []string
			for _, r := range refunds {
				got = append(got, fmt.Sprintf("%s %d", r.ProviderReference, r.Amount))
			}
			for j, amount := range amounts {
				re := fmt.Sprintf("re_3QOrdered%02d_%d", i, j)
				want = append(want, fmt.Sprintf("%s %d", re, amount))
				first, second := outcome(fmt.Sprintf("evt_re_%d_%d_created", i, j)), outcome(fmt.Sprintf("evt_re_%d_%d_updated", i, j))
				if !strings.HasPrefix(first, "refund "+re+" recorded as ") || second != strings.Replace(first, "recorded as", "recorded before as", 1) {
					t.Errorf("%s: its first report %q, its second %q; want it recorded by the first", re, first, second)
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(want) || view.Transaction.AmountRefunded != 4500 {
				t.Errorf("%s: refunds recorded %q, refunded %d; want %q, 4500", ch, got, view.Transaction.AmountRefunded, want)
			}
		}
		for i, s := range sales {
			if ds := disputesOf(e, s.Order.ID); len(ds) != 1 || ds[0].Status != dispute.UnderReview {
				t.Errorf("case %d: disputes %+v; want one, under review", i, ds)
			}
		}
	})
}

// TestInboxKeepsAFailedEvent: an event that cannot be applied (its provider was removed) is
// kept failed with its error, tried again after a wait that doubles, and holds the later events
// of its dispute until it applies; once the merchant fixed the cause, a retry applies it at once
// and the held events after it, in order. Only a failed event can be retried.
func TestInboxKeepsAFailedEvent(t *testing.T) {
	t.Parallel()
	testenv.EachWith(t, testenv.Options{DeferApplying: true}, func(t *testing.T, e *testenv.Env) {
		e.StripeProvider("", "")
		sale := e.Sale(testenv.SaleParams{Amount: 4999})
		ref := sale.Charge.ProviderReference
		created := testenv.Must(e.StoreStripe(testenv.StripeEvent("evt_1", "charge.dispute.created", "needs_response", "dp_f", ref, e.Clock.Now())))(t)
		updated := testenv.Must(e.StoreStripe(testenv.StripeEvent("evt_2", "charge.dispute.updated", "under_review", "dp_f", ref, e.Clock.Now())))(t)
		if err := e.App.DeleteProvider(e.Ctx, testenv.Admin, "stripe"); err != nil {
			t.Fatal(err)
		}

		e.ApplyInbox()
		failed := testenv.Must(e.App.ProviderEvent(e.Ctx, testenv.Admin, created.Receipts[0].ID))(t)
		if failed.State != store.EventFailed || failed.Attempts != 1 || failed.Error != "the provider stripe is no longer configured" ||
			!failed.NextAttempt.Equal(e.Clock.Now().Add(10*time.Second)) {
			t.Fatalf("the event that cannot apply: %+v", failed)
		}
		if held := testenv.Must(e.App.ProviderEvent(e.Ctx, testenv.Admin, updated.Receipts[0].ID))(t); held.State != store.EventPending || held.Attempts != 0 {
			t.Fatalf("the later event of the same dispute: %+v; want it held, pending", held)
		}
		list, err := e.App.ProviderEvents(e.Ctx, testenv.Admin, store.ProviderEventFilter{State: "failed", Page: store.Page{Limit: 10}})
		if err != nil || len(list.Rows) != 1 || list.Rows[0].ID != failed.ID {
			t.Errorf("failed events listed: %+v", list)
		}
		if s := e.InboxStats(); s.Pending != 1 || s.Failed != 1 {
			t.Errorf("inbox %+v", s)
		}

		e.Clock.Advance(5 * time.Second)
		e.ApplyInbox()
		if got := testenv.Must(e.App.ProviderEvent(e.Ctx, testenv.Admin, failed.ID))(t); got.Attempts != 1 {
			t.Errorf("tried again before its time: %+v", got)
		}
		e.Clock.Advance(5 * time.Second)
		e.ApplyInbox()
		if got := testenv.Must(e.App.ProviderEvent(e.Ctx, testenv.Admin, failed.ID))(t); got.Attempts != 2 || !got.NextAttempt.Equal(e.Clock.Now().Add(20*time.Second)) {
			t.Errorf("the second attempt: %+v; want it failed again, next in 20 s", got)
		}

		_, err = e.App.RetryProviderEvent(e.Ctx, testenv.Admin, updated.Receipts[0].ID)
		testenv.WantFault(t, err, fault.Conflict, fault.CodeInvalidState)
		e.StripeProvider("", "")
		retried := testenv.Must(e.App.RetryProviderEvent(e.Ctx, testenv.Admin, failed.ID))(t)
		if retried.State != store.EventPending {
			t.Errorf("retried: %+v", retried)
		}
		e.ApplyInbox()
		ds := disputesOf(e, sale.Order.ID)
		if len(ds) != 1 || ds[0].Status != dispute.UnderReview {
			t.Fatalf("after the retry: %+v; want the dispute opened and then under review", ds)
		}
		if got := testenv.Must(e.App.ProviderEvent(e.Ctx, testenv.Admin, failed.ID))(t); got.State != store.EventApplied || got.Error != "" ||
			!got.NextAttempt.IsZero() || got.Attempts != 3 {
			t.Errorf("the retried event: %+v", got)
		}
		if s := e.InboxStats(); s.Pending != 0 || s.Failed != 0 {
			t.Errorf("inbox %+v", s)
		}
	})
}

// TestInboxTakesAHugeBatch: a notification carrying far more events than a group takes (a
// batching provider's) is stored whole, a group's worth at a time, each event once: no
// statement outgrows PostgreSQL's limit on parameters.
func TestInboxTakesAHugeBatch(t *testing.T) {
	t.Parallel()
	testenv.EachWith(t, testenv.Options{DeferApplying: true}, func(t *testing.T, e *testenv.Env) {
		e.StripeProvider("", "")
		evs := make([]provider.Event, 9000)
		for i := range evs {
			evs[i] = provider.Event{ID: fmt.Sprintf("evt_batch_%05d", i), Type: "payout.paid", Payload: []byte(`{}`)}
		}
		receipts := testenv.Must(e.App.AcceptProviderEvents(e.Ctx, "stripe", evs))(t)
		seen := map[string]bool{}
		for i, r := range receipts {
			if r.EventID != evs[i].ID || r.State != store.EventPending || r.Duplicate || seen[r.ID] {
				t.Fatalf("receipt %d: %+v", i, r)
			}
			seen[r.ID] = true
		}
		if len(receipts) != len(evs) {
			t.Fatalf("%d receipts for %d events", len(receipts), len(evs))
		}
		if s := e.InboxStats(); s.Pending != int64(len(evs)) {
			t.Errorf("inbox %+v; want every event pending", s)
		}
	})
}

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
