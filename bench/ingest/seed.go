package main

import (
	"context"
	"fmt"
	"time"

	"disputed/bench/internal/benchdb"
	"disputed/internal/id"
	"disputed/internal/order"
	"disputed/internal/store"
)

// seed writes the orders the charges of blocks blocks pay, and returns for each block the order
// each of its charges names: every even charge (the disputed one among them) pays an order of
// ours, a customer's completed order with a service line on the manual panel, so that a dispute
// matched to it suspends the line, blocks, emails and schedules as in production; every odd one
// names an order we never saw (a payment taken elsewhere).
func seed(ctx context.Context, db *benchdb.DB, phase string, blocks int) ([][]string, error) {
	raw, err := db.Open(ctx)
	if err != nil {
		return nil, err
	}
	defer raw.Close()
	l, err := benchdb.NewLoader(ctx, raw, db.Store)
	if err != nil {
		return nil, err
	}
	rows := l.Rows()
	at := time.Now().Add(-30 * 24 * time.Hour)
	ids := id.NewGenerator(func() time.Time { return at })
	orders := make([][]string, blocks)
	for b := range orders {
		orders[b] = make([]string, chargesPerBlock)
		for j := range orders[b] {
			if j%2 == 1 {
				orders[b][j] = fmt.Sprintf("ord_%s_elsewhere_%06d_%02d", phase, b, j)
				continue
			}
			c := store.Customer{ID: ids.New("cus"), Email: fmt.Sprintf("%s-%d-%d@example.com", phase, b, j), CreatedAt: at, UpdatedAt: at}
			o, lines, err := order.New(order.NewParams{ID: ids.New("ord"), CustomerID: c.ID, Currency: "USD", Now: at,
				Items: []order.Item{{Description: "IPTV 12 months", Amount: amount(b, j),
					Line: &order.LineSpec{Panel: "manual", ExternalID: fmt.Sprintf("svc-%s-%d-%d", phase, b, j)}}},
				LineID: func() string { return ids.New("line") }})
			if err != nil {
				return nil, err
			}
			if err := o.Complete(lines, order.Payments{}, at); err != nil {
				return nil, err
			}
			if err := rows.Customer(ctx, c); err != nil {
				return nil, err
			}
			if err := rows.Order(ctx, o, lines); err != nil {
				return nil, err
			}
			orders[b][j] = o.ID
		}
	}
	return orders, l.Flush(ctx)
}
