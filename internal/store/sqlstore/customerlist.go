package sqlstore

import (
	"context"

	"disputed/internal/store"
)

// ListCustomers is WalkCustomers without a bound.
func (c *conn) ListCustomers(ctx context.Context, f store.CustomerFilter) ([]store.Customer, error) {
	w, err := c.WalkCustomers(ctx, f, 0)
	return w.Rows, err
}

// WalkCustomers reads through the index of the first filter given (the one customer a buyer may
// see, an email's, an external id's customers: each newest first), else all customers newest
// first, at most readAtMost of them, within the time range and after the cursor; the other
// filters are checked on the rows read.
func (c *conn) WalkCustomers(ctx context.Context, f store.CustomerFilter, readAtMost int) (store.Walk[store.Customer], error) {
	var w conditions
	for _, e := range []struct{ column, value string }{{"id", f.OnlyID}, {"email", f.Email}, {"external_id", f.ExternalID}} {
		if e.value != "" {
			w.equal(e.column, e.value)
		}
	}
	w.created("created_at", f.Created)
	pg := w.startAfter("created_at", "id", f.Page)
	return walkNewest(ctx, c, "list customers", w, walkOf{selectFrom: "SELECT * FROM customers", table: "customers", walked: "customers",
		order: "created_at DESC, id DESC", key: "created_at, id"}, pg, readAtMost, scanCustomer)
}

// scanCustomer reads a row of SELECT * FROM customers, by name.
var scanCustomer = scanBy(customerRows, customerFromRow)

func (c *conn) NewestCustomerID(ctx context.Context, key store.CustomerKey) (string, error) {
	cs, err := c.ListCustomers(ctx, store.CustomerFilter{Email: key.Email, ExternalID: key.ExternalID, Page: store.Page{Limit: 1}})
	if err != nil || len(cs) == 0 {
		return "", err
	}
	return cs[0].ID, nil
}
