package sqlstore

import (
	"context"

	"disputed/internal/store"
)

// ListCustomers reads through the index of the first filter given (the one customer a buyer may
// see, an email's, an external id's customers: each newest first), the others checked on its
// rows; with none, all customers newest first.
func (c *conn) ListCustomers(ctx context.Context, f store.CustomerFilter) ([]store.Customer, error) {
	var w conditions
	for _, e := range []struct{ column, value string }{{"id", f.OnlyID}, {"email", f.Email}, {"external_id", f.ExternalID}} {
		if e.value != "" {
			w.equal(e.column, e.value)
		}
	}
	w.created("created_at", f.Created)
	q, args := w.newestFirst("SELECT * FROM customers", "created_at", "id", f.Page)
	return list(ctx, c, "list customers", q, args, scanBy(customerRows, customerFromRow))
}

func (c *conn) NewestCustomerID(ctx context.Context, key store.CustomerKey) (string, error) {
	cs, err := c.ListCustomers(ctx, store.CustomerFilter{Email: key.Email, ExternalID: key.ExternalID, Page: store.Page{Limit: 1}})
	if err != nil || len(cs) == 0 {
		return "", err
	}
	return cs[0].ID, nil
}
