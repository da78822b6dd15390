package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// samples are values the filters are measured with, read from the loaded database so that a
// database kept from an earlier run (-db) is measured the same way.
type samples struct {
	disputes, orders, charges, customers, caseNumbers []string
	losers                                            []string  // customers of sampled lost disputes
	emails, providerCharges                           []string  // for the admin UI's search
	buyer                                             string    // the customer with the most disputes
	now                                               time.Time // the end of the generated year
	total                                             int64     // disputes in the database
}

// sample reads a thousand disputes spread over the whole table, matched to an order (and the
// case numbers the q filter finds slowest, worstCaseNumbers, before theirs); the
// customers of lost disputes spread the same way, for the filter of a customer's lost disputes,
// which a customer picked at random may not have in a small database; and the customer with the
// most disputes.
func sample(ctx context.Context, db *sql.DB) (samples, error) {
	var s samples
	var newest sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*), MAX(created_at) FROM disputes").Scan(&s.total, &newest); err != nil {
		return s, err
	}
	if s.total == 0 {
		return s, errors.New("no disputes in the database")
	}
	s.now = time.UnixMilli(newest.Int64).UTC()
	every := max(s.total/1000, 1)
	rows, err := db.QueryContext(ctx, "SELECT id, order_id, transaction_id, customer_id, case_number FROM disputes ORDER BY created_at, id")
	if err != nil {
		return s, err
	}
	defer rows.Close()
	for i := int64(0); rows.Next(); i++ {
		var dsp, ord, txn, cus, caseNumber string
		if err := rows.Scan(&dsp, &ord, &txn, &cus, &caseNumber); err != nil {
			return s, err
		}
		if i%every != 0 || ord == "" {
			continue
		}
		s.disputes = append(s.disputes, dsp)
		s.orders = append(s.orders, ord)
		s.charges = append(s.charges, txn)
		s.customers = append(s.customers, cus)
		s.caseNumbers = append(s.caseNumbers, caseNumber)
	}
	if err := rows.Err(); err != nil {
		return s, err
	}
	// The worst first: the case numbers are asked for in turn, and the first 200 make the p99.
	s.caseNumbers = append(worstCaseNumbers(s.total), s.caseNumbers...)
	if s.losers, err = spread(ctx, db, `SELECT customer_id FROM disputes WHERE status = 'lost' AND customer_id <> ''
		ORDER BY created_at, id`); err != nil {
		return s, err
	}
	if len(s.losers) == 0 {
		return s, errors.New("no lost dispute with a customer in the database")
	}
	if s.emails, err = spread(ctx, db, `SELECT email FROM customers WHERE email <> '' ORDER BY created_at, id`); err != nil {
		return s, err
	}
	if s.providerCharges, err = spread(ctx, db, `SELECT t.provider_reference FROM disputes d JOIN transactions t ON t.id = d.transaction_id
		WHERE t.provider_reference <> '' ORDER BY d.created_at, d.id`); err != nil {
		return s, err
	}
	if len(s.emails) == 0 || len(s.providerCharges) == 0 {
		return s, errors.New("no customer email or no disputed charge with a provider reference in the database")
	}
	err = db.QueryRowContext(ctx, `SELECT customer_id FROM disputes WHERE customer_id <> ''
		GROUP BY customer_id ORDER BY COUNT(*) DESC, customer_id LIMIT 1`).Scan(&s.buyer)
	return s, err
}

// spread returns about a thousand values of a one-column query, taken evenly over its rows.
func spread(ctx context.Context, db *sql.DB, q string) ([]string, error) {
	var n int64
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM ("+q+") AS rows").Scan(&n); err != nil {
		return nil, err
	}
	every := max(n/1000, 1)
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for i := int64(0); rows.Next(); i++ {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		if i%every == 0 {
			out = append(out, v)
		}
	}
	return out, rows.Err()
}

// readBack checks, through the API, that the server reads the loaded rows as its own: sampled
// disputes with their order, charge and customer.
func (c *client) readBack(s samples) error {
	for i := 0; i < len(s.disputes); i += max(len(s.disputes)/20, 1) {
		var d struct {
			OrderID       string `json:"order_id"`
			TransactionID string `json:"transaction_id"`
			CustomerID    string `json:"customer_id"`
		}
		if _, err := c.fetch("/v1/disputes/"+s.disputes[i], "", &d); err != nil {
			return err
		}
		if d.OrderID != s.orders[i] || d.TransactionID != s.charges[i] || d.CustomerID != s.customers[i] {
			return fmt.Errorf("dispute %s reads back as %+v", s.disputes[i], d)
		}
		var o, t struct {
			ID string `json:"id"`
		}
		if _, err := c.fetch("/v1/orders/"+d.OrderID, "", &o); err != nil {
			return err
		}
		if _, err := c.fetch("/v1/transactions/"+d.TransactionID, "", &t); err != nil {
			return err
		}
		if o.ID != d.OrderID || t.ID != d.TransactionID {
			return fmt.Errorf("dispute %s: its order reads back as %q, its charge as %q", s.disputes[i], o.ID, t.ID)
		}
	}
	return nil
}
