package app_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/order"
	"disputed/internal/store"
	"disputed/internal/testenv"
)

// marketplaceDispute is a completed order of one service line, charged, with a marketplace
// dispute the buyer opened; review moves it to pending_review, as an admin does.
func marketplaceDispute(e *testenv.Env, amount int64, review bool) (dispute.Dispute, testenv.Sale) {
	e.T.Helper()
	s := e.Sale(testenv.SaleParams{Amount: amount, Line: &order.LineSpec{Panel: "manual", ExternalID: "svc-1"}})
	d := testenv.Must(e.App.CreateDispute(e.Ctx, testenv.Admin, app.DisputeParams{Type: "marketplace", OrderID: s.Order.ID,
		InitiatedBy: "buyer", Description: "not as described"}))(e.T)
	if review {
		d = testenv.Must(e.App.MoveDispute(e.Ctx, testenv.Admin, d.ID, nil, "pending_review", ""))(e.T)
	}
	return d, s
}

// snapshot is what a refused action must leave as it was: the dispute, its order, its charge
// and the events.
type snapshot struct {
	Dispute dispute.Dispute
	Order   app.OrderView
	Charge  app.TransactionView
	Events  []store.Event
}

func snap(e *testenv.Env, d dispute.Dispute, s testenv.Sale) snapshot {
	e.T.Helper()
	evsPage, err := e.App.Events(e.Ctx, testenv.Admin, store.EventFilter{Page: store.Page{Limit: 100}})
	evs := evsPage.Rows
	if err != nil {
		e.T.Fatal(err)
	}
	return snapshot{Dispute: e.Reload(d), Order: orderOf(e, s.Order.ID), Charge: charge(e, s.Charge.ID), Events: evs}
}

// unchanged fails the test when something differs from before.
func (before snapshot) unchanged(t testing.TB, after snapshot) {
	t.Helper()
	if diff := cmp.Diff(before, after); diff != "" {
		t.Errorf("a refused action changed something (-before +after):\n%s", diff)
	}
}
