package sqlstore

import (
	"context"
	"fmt"

	"disputed/internal/store"
	"disputed/internal/store/query"
)

func (t *tx) InsertCustomer(ctx context.Context, c store.Customer) error {
	t.memo.rows.customerInserted(c)
	var j jsonColumns
	p := query.InsertCustomerParams{
		ID: c.ID, Email: c.Email, Name: c.Name, ExternalID: c.ExternalID,
		Metadata: j.stringMap(c.Metadata), CreatedAt: millis(c.CreatedAt), UpdatedAt: millis(c.UpdatedAt),
	}
	if j.err != nil {
		return t.fail(j.err, "insert customer %s", c.ID)
	}
	if err := inserted(t.q.InsertCustomer(ctx, p)); err != nil {
		return t.fail(err, "insert customer %s", c.ID)
	}
	return nil
}

func (c *conn) GetCustomer(ctx context.Context, id string) (store.Customer, error) {
	r, err := c.q.GetCustomer(ctx, id)
	if err != nil {
		return store.Customer{}, c.fail(err, "get customer %s", id)
	}
	out, err := customerFromRow(r)
	if err != nil {
		return store.Customer{}, c.fail(err, "get customer %s", id)
	}
	return out, nil
}

// customerRows reads the rows of SELECT * FROM customers.
var customerRows = newByName[query.Customer]()

func customerFromRow(r query.Customer) (store.Customer, error) {
	var j jsonColumns
	out := store.Customer{
		ID: r.ID, Email: r.Email, Name: r.Name, ExternalID: r.ExternalID,
		Metadata: j.decodeStringMap(r.Metadata), CreatedAt: fromMillis(r.CreatedAt), UpdatedAt: fromMillis(r.UpdatedAt),
	}
	if j.err != nil {
		return store.Customer{}, fmt.Errorf("customer %s: %w", r.ID, j.err)
	}
	return out, nil
}
