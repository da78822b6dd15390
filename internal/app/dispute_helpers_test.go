package app_test

import (
	"disputed/internal/app"
	"disputed/internal/dispute"
	"disputed/internal/testenv"
)

// transactionObject is what the tests read of the transaction an event carries.
type transactionObject struct {
	Type      string `json:"type"`
	Amount    int64  `json:"amount"`
	ParentID  string `json:"parent_id"`
	DisputeID string `json:"dispute_id"`
}

// disputeObject is what the tests read of the dispute an event carries.
type disputeObject struct {
	ID       string `json:"id"`
	Status   string `json:"status"`
	Revision int64  `json:"revision"`
}

// minor is an amount of minor units as the params take it.
func minor(v int64) *int64 { return &v }

// rev is a revision as the params take it.
func rev(v int64) *int64 { return &v }

// resolve resolves a dispute at whatever revision it is.
func resolve(e *testenv.Env, id, resolution string) (dispute.Dispute, error) {
	return e.App.ResolveDispute(e.Ctx, testenv.Admin, id, nil, app.ResolveParams{Resolution: resolution})
}

// update changes a dispute read at revision r.
func update(e *testenv.Env, id string, r int64, p dispute.UpdateParams) (dispute.Dispute, error) {
	return e.App.UpdateDispute(e.Ctx, testenv.Admin, id, r, app.UpdateDisputeParams{UpdateParams: p})
}

// match matches an unmatched dispute read at revision r to a charge.
func match(e *testenv.Env, id string, r int64, charge string) (dispute.Dispute, error) {
	return e.App.UpdateDispute(e.Ctx, testenv.Admin, id, r, app.UpdateDisputeParams{TransactionID: charge})
}

// charge reads a charge with its refunds.
func charge(e *testenv.Env, id string) app.TransactionView {
	e.T.Helper()
	return testenv.Must(e.App.Transaction(e.Ctx, testenv.Admin, id))(e.T)
}

// orderOf reads an order with its lines and open dispute.
func orderOf(e *testenv.Env, id string) app.OrderView {
	e.T.Helper()
	return testenv.Must(e.App.Order(e.Ctx, testenv.Admin, id))(e.T)
}

// refund refunds amount of a charge.
func refund(e *testenv.Env, chargeID string, amount int64) error {
	_, err := e.App.Refund(e.Ctx, testenv.Admin, chargeID, app.RefundParams{Money: app.Money{Amount: minor(amount)}})
	return err
}
