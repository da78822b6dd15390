package app

import (
	"context"

	"disputed/internal/actor"
)

// OrderPayments are an order's payments that can be refunded (its charges and captures), each
// with its refunds, oldest first: the order page's payments and refund forms. Whoever may see
// the order may see them.
func (a *App) OrderPayments(ctx context.Context, who actor.Actor, orderID string) ([]TransactionView, error) {
	if _, err := a.Order(ctx, who, orderID); err != nil {
		return nil, err
	}
	txns, err := a.store.TransactionsOfOrder(ctx, orderID)
	if err != nil {
		return nil, err
	}
	var out []TransactionView
	for _, t := range txns {
		if !t.Captures() {
			continue
		}
		v, err := a.transactionView(ctx, a.store, t)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}
