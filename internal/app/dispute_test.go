package app_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/fault"
	"disputed/internal/order"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// TestChargebackConcede concedes a chargeback: it is lost for good, the funds are withdrawn from
// the charge, and later refunds can only use what the chargeback left.
func TestChargebackConcede(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		s := e.Sale(testenv.SaleParams{Amount: 1000, Line: &order.LineSpec{Panel: "manual", ExternalID: "u-1"}})
		d := e.Dispute(s, "chargeback", func(p *app.DisputeParams) { p.Amount, p.Reason = minor(600), "fraudulent" })
		if d.Amount != 600 || d.Stage != dispute.StageChargeback {
			t.Fatalf("new chargeback: amount %d stage %s", d.Amount, d.Stage)
		}
		lost := testenv.Must(e.App.CloseDispute(e.Ctx, testenv.Admin, d.ID, nil, "not worth fighting"))(t)
		if lost.Status != dispute.Lost || lost.Resolution != dispute.ResolutionLost || lost.Revision != d.Revision+1 {
			t.Fatalf("conceded: status %s resolution %s revision %d", lost.Status, lost.Resolution, lost.Revision)
		}
		if len(lost.Actions()) != 0 {
			t.Errorf("a lost dispute offers actions: %v", lost.Actions())
		}
		if ch := charge(e, s.Charge.ID).Transaction; ch.AmountWithdrawn != 600 || ch.AmountRefunded != 0 {
			t.Errorf("charge after the concession: withdrawn %d refunded %d", ch.AmountWithdrawn, ch.AmountRefunded)
		}
		if _, wd := testenv.LastDisputeEvent[transactionObject](e, "transaction.created", d.ID); wd.Type != "chargeback" ||
			wd.Amount != 600 || wd.ParentID != s.Charge.ID || wd.DisputeID != d.ID {
			t.Errorf("withdrawal event: %+v", wd)
		}
		if evs := e.DisputeEventTypes(d.ID); testenv.Count(evs, "dispute.closed") != 1 {
			t.Errorf("events %v: want one dispute.closed", evs)
		}
		if _, obj := testenv.LastDisputeEvent[disputeObject](e, "dispute.closed", d.ID); obj.Status != "lost" {
			t.Errorf("dispute.closed carries status %q", obj.Status)
		}

		// The lost order's line must go.
		o := orderOf(e, s.Order.ID)
		if len(o.Lines) != 1 || o.Lines[0].PendingAction != order.Terminate || !o.NeedsManualAction() {
			t.Errorf("order after a lost dispute: lines %+v", o.Lines)
		}
		if o.Dispute != nil {
			t.Errorf("a lost dispute is still the order's open dispute: %s", o.Dispute.ID)
		}

		// Refunds can use only what the chargeback left: 1000 - 600.
		testenv.WantFault(t, refund(e, s.Charge.ID, 401), fault.Invalid, fault.CodeAmountTooLarge)
		if err := refund(e, s.Charge.ID, 400); err != nil {
			t.Fatal(err)
		}
		testenv.WantFault(t, refund(e, s.Charge.ID, 1), fault.Invalid, fault.CodeAmountTooLarge)
		if ch := charge(e, s.Charge.ID).Transaction; ch.AmountRefunded != 400 || ch.AmountWithdrawn != 600 {
			t.Errorf("charge: refunded %d withdrawn %d", ch.AmountRefunded, ch.AmountWithdrawn)
		}

		// Lost is final: no win, no move, no second concession.
		before := testenv.Must(e.App.Dispute(e.Ctx, testenv.Admin, d.ID))(t)
		_, err := resolve(e, d.ID, "won")
		if fe := testenv.WantFault(t, err, fault.Conflict, fault.CodeInvalidState); !strings.Contains(fe.Message, "lost") {
			t.Errorf("invalid_state does not name the status: %v", fe)
		}
		_, err = e.App.CloseDispute(e.Ctx, testenv.Admin, d.ID, nil, "")
		testenv.WantFault(t, err, fault.Conflict, fault.CodeInvalidState)
		_, err = e.App.MoveDispute(e.Ctx, testenv.Admin, d.ID, nil, "under_review", "")
		testenv.WantFault(t, err, fault.Conflict, fault.CodeInvalidState)
		if diff := cmp.Diff(before, testenv.Must(e.App.Dispute(e.Ctx, testenv.Admin, d.ID))(t)); diff != "" {
			t.Errorf("refused changes changed the dispute (-before +after):\n%s", diff)
		}
		if charge(e, s.Charge.ID).Transaction.AmountWithdrawn != 600 {
			t.Errorf("a refused win moved money")
		}
	})
}

// TestChargebackResolveLost resolves a submitted chargeback as lost: the funds are withdrawn
// and it cannot be won afterwards.
func TestChargebackResolveLost(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		s := e.Sale(testenv.SaleParams{Amount: 1500, Currency: "EUR"})
		d := e.Dispute(s, "chargeback")
		testenv.Must(update(e, d.ID, d.Revision, dispute.UpdateParams{Evidence: map[string]string{"uncategorized_text": "x"}, Submit: true}))(t)
		lost := testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, d.ID, nil,
			app.ResolveParams{Resolution: "lost", Notes: "issuer sided with the cardholder"}))(t)
		if lost.Status != dispute.Lost || lost.ResolutionNotes != "issuer sided with the cardholder" {
			t.Errorf("lost: status %s notes %q", lost.Status, lost.ResolutionNotes)
		}
		if got := charge(e, s.Charge.ID).Transaction.AmountWithdrawn; got != 1500 {
			t.Errorf("amount withdrawn %d, want 1500", got)
		}
		if n := testenv.Count(e.DisputeEventTypes(d.ID), "dispute.resolved"); n != 1 {
			t.Errorf("%d dispute.resolved events", n)
		}
		_, err := resolve(e, d.ID, "won")
		testenv.WantFault(t, err, fault.Conflict, fault.CodeInvalidState)
	})
}

// TestInquiryEscalation escalates an inquiry into a chargeback by moving its status.
func TestInquiryEscalation(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		d := e.Dispute(e.Sale(testenv.SaleParams{Amount: 1000}), "inquiry")
		if d.Status != dispute.WarningNeedsResponse || d.Stage != dispute.StageInquiry || d.Type != dispute.Inquiry {
			t.Fatalf("new inquiry: status %s stage %s type %s", d.Status, d.Stage, d.Type)
		}
		_, err := e.App.MoveDispute(e.Ctx, testenv.Admin, d.ID, nil, "lost", "")
		testenv.WantFault(t, err, fault.Invalid, "")
		esc := testenv.Must(e.App.MoveDispute(e.Ctx, testenv.Admin, d.ID, nil, "needs_response", "issuer escalated"))(t)
		if esc.Type != dispute.Chargeback || esc.Stage != dispute.StageChargeback || esc.Status != dispute.NeedsResponse ||
			esc.Revision != d.Revision+1 {
			t.Fatalf("escalated: type %s stage %s status %s revision %d", esc.Type, esc.Stage, esc.Status, esc.Revision)
		}
		listed, _, err := e.App.ListDisputes(e.Ctx, testenv.Admin, store.DisputeFilter{Type: "chargeback", Page: store.Page{Limit: 10}}, nil)
		if err != nil || len(listed) == 0 || listed[0].ID != d.ID {
			t.Errorf("the escalated dispute is not listed as a chargeback")
		}
		if n := testenv.Count(e.DisputeEventTypes(d.ID), "dispute.status_changed"); n != 1 {
			t.Errorf("%d dispute.status_changed events, want 1", n)
		}
		tl := testenv.Must(e.App.Timeline(e.Ctx, testenv.Admin, d.ID))(t)
		if last := tl[len(tl)-1]; last.Action != "escalated" || last.From != "warning_needs_response" || last.To != "needs_response" {
			t.Errorf("timeline entry: %+v", last)
		}
	})
}

// TestChargebackStages walks a chargeback through pre-arbitration to arbitration: each time the
// issuer answers a representment (under_review → needs_response) the stage advances.
func TestChargebackStages(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		d := e.Dispute(e.Sale(testenv.SaleParams{Amount: 1000}), "chargeback")
		r := d.Revision
		for _, stage := range []dispute.Stage{dispute.StagePreArbitration, dispute.StageArbitration} {
			sub := testenv.Must(update(e, d.ID, r, dispute.UpdateParams{Evidence: map[string]string{"uncategorized_text": "round " + string(stage)}, Submit: true}))(t)
			if sub.Status != dispute.UnderReview {
				t.Fatalf("after submit: %s", sub.Status)
			}
			next := testenv.Must(e.App.MoveDispute(e.Ctx, testenv.Admin, d.ID, rev(sub.Revision), "needs_response", ""))(t)
			if next.Stage != stage || next.Status != dispute.NeedsResponse || next.Revision != sub.Revision+1 {
				t.Fatalf("want stage %s: stage %s status %s revision %d", stage, next.Stage, next.Status, next.Revision)
			}
			r = next.Revision
		}
		sub := testenv.Must(e.App.SubmitDispute(e.Ctx, testenv.Admin, d.ID, rev(r)))(t)
		_, err := e.App.MoveDispute(e.Ctx, testenv.Admin, d.ID, nil, "needs_response", "")
		testenv.WantFault(t, err, fault.Conflict, fault.CodeInvalidState)
		_, err = e.App.MoveDispute(e.Ctx, testenv.Admin, d.ID, rev(r), "needs_response", "")
		testenv.WantFault(t, err, fault.Conflict, fault.CodeRevisionConflict)
		if got := e.Reload(d); got.Stage != dispute.StageArbitration || got.Revision != sub.Revision {
			t.Errorf("after refused escalations: stage %s revision %d", got.Stage, got.Revision)
		}
	})
}

// TestAlertMatchAndResolve: an unmatched alert can only end as could_not_find_order or other;
// matched, issued_full_refund refunds what is left of the charge.
func TestAlertMatchAndResolve(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		s := e.Sale(testenv.SaleParams{Amount: 1000})
		if err := refund(e, s.Charge.ID, 250); err != nil {
			t.Fatal(err)
		}
		a := testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "alert", AlertType: "ethoca",
			Money: app.Money{Amount: minor(1000), Currency: "usd"}, ARN: "74000000000000000000099"}))(t)
		if a.Status != dispute.Open || a.TransactionID != "" || a.OrderID != "" {
			t.Fatalf("new alert: status %s transaction %q order %q", a.Status, a.TransactionID, a.OrderID)
		}
		if n := testenv.Count(e.DisputeEventTypes(a.ID), "alert.created"); n != 1 {
			t.Errorf("%d alert.created events", n)
		}
		_, err := resolve(e, a.ID, "issued_full_refund")
		testenv.WantFault(t, err, fault.Invalid, fault.CodeAlertUnmatched)
		_, err = resolve(e, a.ID, "won")
		testenv.WantFault(t, err, fault.Invalid, fault.CodeResolutionNotAllowed)
		if got := e.Reload(a); got.Status != dispute.Open || got.Revision != a.Revision {
			t.Fatalf("refused resolutions changed the alert: status %s revision %d", got.Status, got.Revision)
		}

		_, err = match(e, a.ID, a.Revision, "txn_nope")
		testenv.WantFault(t, err, fault.Invalid, "")
		m := testenv.Must(match(e, a.ID, a.Revision, s.Charge.ID))(t)
		if m.TransactionID != s.Charge.ID || m.OrderID != s.Order.ID || m.CustomerID != s.Customer.ID || m.Revision != a.Revision+1 {
			t.Fatalf("matched: %+v", m)
		}
		if o := orderOf(e, s.Order.ID); o.Dispute == nil || o.Dispute.ID != a.ID || o.Dispute.Status != dispute.Open {
			t.Errorf("the matched order does not show the alert: %+v", o.Dispute)
		}
		res := testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, a.ID, nil, app.ResolveParams{Resolution: "issued_full_refund", Notes: "refunded"}))(t)
		if res.Status != dispute.Resolved || res.Resolution != dispute.IssuedFullRefund {
			t.Fatalf("resolved: status %s resolution %s", res.Status, res.Resolution)
		}
		ch := charge(e, s.Charge.ID)
		if ch.Transaction.AmountRefunded != 1000 || len(ch.Refunds) != 2 {
			t.Fatalf("charge after the alert's refund: refunded %d, %d refunds", ch.Transaction.AmountRefunded, len(ch.Refunds))
		}
		if last := ch.Refunds[len(ch.Refunds)-1]; last.Amount != 750 || last.External || last.DisputeID != a.ID {
			t.Errorf("the alert's refund: %+v", last)
		}
		if o := orderOf(e, s.Order.ID); o.Order.Status != order.Refunded || o.Dispute != nil {
			t.Errorf("order after the refund: status %s, open dispute %v", o.Order.Status, o.Dispute != nil)
		}
		evs := e.DisputeEventTypes(a.ID)
		for _, typ := range []string{"alert.created", "alert.resolved", "refund.created", "dispute.updated"} {
			if testenv.Count(evs, typ) != 1 {
				t.Errorf("events %v: want one %s", evs, typ)
			}
		}
		if _, obj := testenv.LastDisputeEvent[transactionObject](e, "refund.created", a.ID); obj.Amount != 750 || obj.Type != "refund" {
			t.Errorf("refund.created object: %+v", obj)
		}
		// Resolved alerts are done.
		_, err = resolve(e, a.ID, "other")
		testenv.WantFault(t, err, fault.Conflict, fault.CodeInvalidState)

		// The order may be disputed again later (an alert, then a chargeback).
		testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "chargeback", OrderID: s.Order.ID,
			Money: app.Money{Amount: minor(100), Currency: "usd"}}))(t)
	})
}

// TestAlertUnmatchedResolutions: could_not_find_order and other are allowed without a match.
func TestAlertUnmatchedResolutions(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		alert := func(typ string) (dispute.Dispute, error) {
			return e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "alert", AlertType: typ,
				Money: app.Money{Amount: minor(500), Currency: "usd"}})
		}
		for _, res := range []dispute.Resolution{dispute.CouldNotFindOrder, dispute.Other} {
			a := testenv.Must(alert("tc40"))(t)
			r := testenv.Must(resolve(e, a.ID, string(res)))(t)
			if r.Status != dispute.Resolved || r.Resolution != res {
				t.Errorf("%s: status %s resolution %s", res, r.Status, r.Resolution)
			}
		}
		_, err := alert("visa")
		testenv.WantFault(t, err, fault.Invalid, "")
		_, err = alert("")
		testenv.WantFault(t, err, fault.Invalid, "")
	})
}

// TestRDRAlert: an RDR alert is refunded by the network: once matched, it resolves itself with
// an external refund of the disputed amount.
func TestRDRAlert(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		s := e.Sale(testenv.SaleParams{Amount: 1000})
		a := testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "alert", AlertType: "rdr",
			Money: app.Money{Amount: minor(400), Currency: "usd"}}))(t)
		if a.Status != dispute.Open {
			t.Fatalf("unmatched RDR: %s", a.Status)
		}
		m := testenv.Must(match(e, a.ID, a.Revision, s.Charge.ID))(t)
		if m.Status != dispute.Resolved || m.Resolution != dispute.IssuedFullRefund || m.ResolvedBy != "system" {
			t.Fatalf("matched RDR did not resolve itself: status %s resolution %s by %q", m.Status, m.Resolution, m.ResolvedBy)
		}
		ch := charge(e, s.Charge.ID)
		if len(ch.Refunds) != 1 || ch.Transaction.AmountRefunded != 400 {
			t.Fatalf("charge after RDR: refunded %d, %d refunds", ch.Transaction.AmountRefunded, len(ch.Refunds))
		}
		if r := ch.Refunds[0]; !r.External || r.Amount != 400 {
			t.Errorf("RDR refund: %+v", r)
		}
		if o := orderOf(e, s.Order.ID); o.Order.Status != order.PartiallyRefunded {
			t.Errorf("order %s after a partial RDR refund", o.Order.Status)
		}
		evs := e.DisputeEventTypes(a.ID)
		for _, typ := range []string{"alert.created", "alert.resolved", "refund.created"} {
			if testenv.Count(evs, typ) != 1 {
				t.Errorf("events %v: want one %s", evs, typ)
			}
		}

		// Created matched, it resolves at once.
		s2 := e.Sale(testenv.SaleParams{Amount: 800})
		b := testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "alert", AlertType: "rdr", TransactionID: s2.Charge.ID}))(t)
		if b.Status != dispute.Resolved || b.Amount != 800 {
			t.Errorf("RDR created matched: status %s amount %d", b.Status, b.Amount)
		}
		if ch2 := charge(e, s2.Charge.ID); ch2.Transaction.AmountRefunded != 800 || len(ch2.Refunds) != 1 || !ch2.Refunds[0].External {
			t.Errorf("charge after an RDR created matched: refunded %d, refunds %+v", ch2.Transaction.AmountRefunded, ch2.Refunds)
		}
	})
}

// TestResolutionKinds: a resolution of the wrong kind is invalid (422); a valid one at the wrong
// moment is a conflict (409 invalid_state) naming the status.
func TestResolutionKinds(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		cb := e.Dispute(e.Sale(testenv.SaleParams{Amount: 1000}), "chargeback")
		for _, res := range []string{"issued_full_refund", "could_not_find_order", "full_refund", "bogus"} {
			_, err := resolve(e, cb.ID, res)
			if fe := testenv.WantFault(t, err, fault.Invalid, ""); res != "bogus" && fe.Code != fault.CodeResolutionNotAllowed {
				t.Errorf("%s on a chargeback: %v", res, fe)
			}
		}
		_, err := e.App.ResolveDispute(e.Ctx, testenv.Admin, cb.ID, nil, app.ResolveParams{Resolution: "won", RefundAmount: app.Money{Amount: minor(5)}})
		testenv.WantFault(t, err, fault.Invalid, "")

		s := e.Sale(testenv.SaleParams{Amount: 1000})
		mp := testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "marketplace", OrderID: s.Order.ID, InitiatedBy: "buyer"}))(t)
		_, err = resolve(e, mp.ID, "full_refund")
		if fe := testenv.WantFault(t, err, fault.Conflict, fault.CodeInvalidState); fe.Param != "status" || !strings.Contains(fe.Message, "open") {
			t.Errorf("invalid_state does not name the status: %v", fe)
		}
		_, err = resolve(e, mp.ID, "won")
		testenv.WantFault(t, err, fault.Invalid, fault.CodeResolutionNotAllowed)
		if got := e.Reload(mp); got.Status != dispute.Open || got.Revision != mp.Revision {
			t.Errorf("refused resolutions changed the dispute: status %s revision %d", got.Status, got.Revision)
		}
		if got := e.Reload(cb); got.Revision != cb.Revision {
			t.Errorf("refused resolutions changed the chargeback: revision %d", got.Revision)
		}
	})
}

// TestDisputeUpdate: evidence staging, tags, metadata, due date; one revision per accepted change,
// none for a change that changes nothing.
func TestDisputeUpdate(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		d := e.Dispute(e.Sale(testenv.SaleParams{Amount: 1000}), "chargeback")
		r := d.Revision
		due := time.Date(2031, 5, 1, 12, 0, 0, 0, time.UTC)
		tags := []string{"vip", "vip", " late "}
		u := testenv.Must(update(e, d.ID, r, dispute.UpdateParams{Tags: &tags, Metadata: map[string]string{"crm": "42"}, DueBy: &due,
			Evidence: map[string]string{"customer_name": "Ada", "billing_address": "1 Main St"}}))(t)
		if u.Revision != r+1 || strings.Join(u.Tags, ",") != "vip,late" || u.Metadata["crm"] != "42" ||
			u.Evidence["customer_name"] != "Ada" || !u.DueBy.Equal(due) {
			t.Errorf("updated: revision %d tags %v metadata %v evidence %v due %s", u.Revision, u.Tags, u.Metadata, u.Evidence, u.DueBy)
		}
		if u.DueBy.IsZero() || !u.HasEvidence() {
			t.Errorf("evidence details: due %s, has evidence %v", u.DueBy, u.HasEvidence())
		}
		same := []string{"vip", "late"}
		if got := testenv.Must(update(e, d.ID, r+1, dispute.UpdateParams{Tags: &same}))(t); got.Revision != r+1 {
			t.Errorf("a change that changes nothing moved the revision to %d", got.Revision)
		}
		rm := testenv.Must(update(e, d.ID, r+1, dispute.UpdateParams{Metadata: map[string]string{"crm": ""},
			Evidence: map[string]string{"billing_address": ""}}))(t)
		if _, kept := rm.Evidence["billing_address"]; rm.Revision != r+2 || len(rm.Metadata) != 0 || kept {
			t.Errorf("removing: revision %d metadata %v evidence %v", rm.Revision, rm.Metadata, rm.Evidence)
		}
		long := []string{strings.Repeat("x", 65)}
		_, err := update(e, d.ID, r+2, dispute.UpdateParams{Tags: &long})
		testenv.WantFault(t, err, fault.Invalid, "")
		if got := e.Reload(d).Revision; got != r+2 {
			t.Errorf("refused updates moved the revision to %d", got)
		}
		if evs := e.DisputeEventTypes(d.ID); testenv.Count(evs, "dispute.updated") != 2 {
			t.Errorf("events %v: want two dispute.updated", evs)
		}
		newest, _ := testenv.LastDisputeEvent[disputeObject](e, "dispute.updated", d.ID)
		ev := testenv.Must(e.App.Event(e.Ctx, testenv.Admin, newest.ID))(t)
		var obj disputeObject
		if err := json.Unmarshal(ev.Data, &obj); err != nil {
			t.Fatal(err)
		}
		if obj.ID != d.ID || obj.Revision != r+2 || ev.Type != "dispute.updated" {
			t.Errorf("event %s: type %s object %+v", ev.ID, ev.Type, obj)
		}
		_, err = e.App.Event(e.Ctx, testenv.Admin, "evt_nope")
		testenv.WantFault(t, err, fault.NotFound, fault.CodeNotFound)
	})
}

// TestMatchByProviderReference: a dispute may name its charge by the provider's reference (the
// Stripe charge id a chargeback quotes), when opened and when an alert is matched later.
func TestMatchByProviderReference(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		s := e.Sale(testenv.SaleParams{Amount: 1800}) // its charge's provider reference is "ch_" + the order id
		d := testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "chargeback", TransactionID: "ch_" + s.Order.ID}))(t)
		if d.TransactionID != s.Charge.ID || d.OrderID != s.Order.ID || d.Amount != 1800 {
			t.Fatalf("opened by provider reference: transaction %s order %s amount %d", d.TransactionID, d.OrderID, d.Amount)
		}
		s2 := e.Sale(testenv.SaleParams{Amount: 900})
		a := testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "alert", AlertType: "ethoca",
			Money: app.Money{Amount: minor(900), Currency: "USD"}}))(t)
		m := testenv.Must(match(e, a.ID, a.Revision, "ch_"+s2.Order.ID))(t)
		if m.TransactionID != s2.Charge.ID || m.OrderID != s2.Order.ID {
			t.Fatalf("matched by provider reference: transaction %s order %s", m.TransactionID, m.OrderID)
		}
		_, err := e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "chargeback", TransactionID: "ch_nowhere"})
		testenv.WantFault(t, err, fault.Invalid, fault.CodeInvalidValue)
	})
}

// TestDisputeReasons checks that a reason is one of its type's coded reasons, whoever opens the
// dispute, and that a manual dispute says the rest in its description.
func TestDisputeReasons(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		s := e.Sale(testenv.SaleParams{Amount: 900})
		for _, p := range []app.DisputeParams{
			{Type: "chargeback", TransactionID: s.Charge.ID, Reason: "stolen card"},
			{Type: "marketplace", OrderID: s.Order.ID, InitiatedBy: "buyer", Reason: "insufficient_funds"},
		} {
			_, err := e.App.CreateDispute(e.Ctx, testenv.Admin, p)
			if fe := testenv.WantFault(t, err, fault.Invalid, ""); !strings.HasSuffix(fe.Param, "reason") {
				t.Errorf("%+v: param %q", p, fe.Param)
			}
		}
		if ds := disputesOf(e, s.Order.ID); len(ds) != 0 {
			t.Fatalf("%d disputes opened by refused reasons", len(ds))
		}
		manual := func(reason, description string) dispute.Dispute {
			return testenv.Must(e.App.OpenManualDispute(e.Ctx, testenv.Admin, s.Order.ID, app.ManualDisputeParams{Reason: reason, Description: description}))(t)
		}
		d := manual("product_not_received", "PayPal case: the buyer says the box never came")
		if d.Reason != "product_not_received" || d.Description != "PayPal case: the buyer says the box never came" {
			t.Errorf("manual dispute: reason %q description %q", d.Reason, d.Description)
		}
		// Words that are no code (what integrations sent when the reason was free text) are kept
		// in the description, the reason general; a marketplace's synonym becomes its code.
		testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, d.ID, nil, app.ResolveParams{Resolution: "won", Notes: "letter"}))(t)
		if words := manual("the bank's letter of 3 May", "see scan"); words.Reason != "general" || words.Description != "the bank's letter of 3 May: see scan" {
			t.Errorf("manual dispute in words: reason %q description %q", words.Reason, words.Description)
		}
		s2 := e.Sale(testenv.SaleParams{Amount: 900})
		m := testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "marketplace", OrderID: s2.Order.ID, InitiatedBy: "buyer",
			Reason: "not_as_described"}))(t)
		if m.Reason != "product_unacceptable" {
			t.Errorf("marketplace synonym: %q", m.Reason)
		}
	})
}

// TestDisputeDefenceFields follows accepted_at, defended_at, auto_defended, defendable and
// channel through the ways a dispute is answered: evidence submitted by a person, a concession,
// a defence the provider reports, and the kinds the merchant does not defend.
func TestDisputeDefenceFields(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.StripeProvider("sk_test_123", "")
		chargeback := func() dispute.Dispute {
			s := e.Sale(testenv.SaleParams{Amount: 900})
			return testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "chargeback", TransactionID: s.Charge.ID,
				Reason: "fraudulent", DueBy: e.Clock.Now().Add(7 * 24 * time.Hour)}))(t)
		}
		d := chargeback()
		if d.Channel != dispute.ChannelNetwork || !d.Defendable(e.Clock.Now()) || !d.AcceptedAt.IsZero() || !d.DefendedAt.IsZero() || d.AutoDefended {
			t.Fatalf("a new chargeback: %+v", d)
		}
		e.Clock.Advance(time.Hour)
		sub := testenv.Must(update(e, d.ID, d.Revision, dispute.UpdateParams{Submit: true, Evidence: map[string]string{"uncategorized_text": "used for 30 days"}}))(t)
		if !sub.DefendedAt.Equal(e.Clock.Now()) || sub.AutoDefended || sub.Defendable(e.Clock.Now()) {
			t.Errorf("after a person submitted the evidence: defended %s auto %v defendable %v", sub.DefendedAt, sub.AutoDefended, sub.Defendable(e.Clock.Now()))
		}

		closed := testenv.Must(e.App.CloseDispute(e.Ctx, testenv.Admin, chargeback().ID, nil, "not worth it"))(t)
		if !closed.AcceptedAt.Equal(e.Clock.Now()) || closed.Defendable(e.Clock.Now()) || !closed.DefendedAt.IsZero() {
			t.Errorf("after a concession: accepted %s defendable %v defended %s", closed.AcceptedAt, closed.Defendable(e.Clock.Now()), closed.DefendedAt)
		}

		// Stripe reports evidence submitted on its side: defended, automatically.
		r := testenv.Must(e.SendStripe(testenv.StripeEvent("evt_seed_1", "charge.dispute.created", "needs_response", "dp_1QStripe0001", "ch_3QSeedUnrecorded", e.Clock.Now())))(t)
		e.Clock.Advance(time.Minute)
		testenv.Must(e.SendStripe(testenv.StripeEvent("evt_seed_2", "charge.dispute.updated", "under_review", "dp_1QStripe0001", "ch_3QSeedUnrecorded", e.Clock.Now())))(t)
		auto := e.Reload(dispute.Dispute{ID: r.DisputeID})
		if auto.Status != dispute.UnderReview || !auto.AutoDefended || !auto.DefendedAt.Equal(e.Clock.Now()) ||
			auto.Channel != dispute.ChannelNetwork || auto.ProviderCharge != "ch_3QSeedUnrecorded" {
			t.Errorf("a defence the provider reported: %+v", auto)
		}

		m := testenv.Must(e.App.OpenManualDispute(e.Ctx, testenv.Admin, e.Sale(testenv.SaleParams{Amount: 500}).Order.ID,
			app.ManualDisputeParams{Reason: "general", Description: "bank letter"}))(t)
		if m.Channel != dispute.ChannelManual || !m.Defendable(e.Clock.Now()) {
			t.Errorf("a manual dispute: channel %s defendable %v", m.Channel, m.Defendable(e.Clock.Now()))
		}
		if mp, _ := marketplaceDispute(e, 700, false); mp.Channel != dispute.ChannelMarketplace || mp.Defendable(e.Clock.Now()) {
			t.Errorf("a marketplace dispute: channel %s defendable %v", mp.Channel, mp.Defendable(e.Clock.Now()))
		}
	})
}

// TestPaymentFilters lists a payment's disputes by our transaction id or the provider's charge id
// (Charge), and by the provider's payment intent (PaymentIntent), matched to a transaction of
// ours or not.
func TestPaymentFilters(t *testing.T) {
	t.Parallel()
	testenv.Each(t, func(t *testing.T, e *testenv.Env) {
		e.StripeProvider("sk_test_123", "")
		unmatched := testenv.Must(e.SendStripe(testenv.StripeEvent("evt_pf_1", "charge.dispute.created", "needs_response", "dp_1QStripe0001",
			"ch_3QNotOurs", e.Clock.Now())))(t).DisputeID
		s := e.Sale(testenv.SaleParams{Amount: 1000}) // its provider reference is ch_<order id>
		ours := e.Dispute(s, "chargeback").ID
		pi := testenv.Must(e.App.CreateTransaction(e.Ctx, testenv.Admin, app.TransactionParams{Kind: "charge",
			Money: app.Money{Amount: minor(300), Currency: "usd"}, Provider: "stripe", ProviderReference: "pi_3QOurIntent"}))(t)
		byIntent := testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "chargeback", TransactionID: pi.Transaction.ID}))(t).ID
		for _, c := range []struct {
			f    store.DisputeFilter
			want []string
		}{
			{store.DisputeFilter{Charge: "ch_3QNotOurs"}, []string{unmatched}},
			{store.DisputeFilter{Charge: s.Charge.ID}, []string{ours}},
			{store.DisputeFilter{Charge: "ch_" + s.Order.ID}, []string{ours}},
			{store.DisputeFilter{Charge: "ch_nobody"}, nil},
			{store.DisputeFilter{PaymentIntent: "pi_3QStripe0001"}, []string{unmatched}},
			{store.DisputeFilter{PaymentIntent: "pi_3QOurIntent"}, []string{byIntent}},
			{store.DisputeFilter{PaymentIntent: "pi_nobody"}, nil},
			{store.DisputeFilter{Charge: "ch_3QNotOurs", Type: "inquiry"}, nil},
		} {
			c.f.Limit = 100
			ds, _, err := e.App.ListDisputes(e.Ctx, testenv.Admin, c.f, nil)
			var got []string
			for _, d := range ds {
				got = append(got, d.ID)
			}
			if err != nil || !slices.Equal(got, c.want) {
				t.Errorf("%+v: %v, want %v (%v)", c.f, got, c.want, err)
			}
		}
	})
}
