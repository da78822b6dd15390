package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

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
	q, args := w.newestFirst("SELECT id, email, name, external_id, metadata, created_at, updated_at FROM customers", "created_at", "id", f.Page)
	return list(ctx, c, "list customers", q, args, func(rows *sql.Rows) (store.Customer, error) {
		var cu store.Customer
		var metadata string
		var created, updated int64
		if err := rows.Scan(&cu.ID, &cu.Email, &cu.Name, &cu.ExternalID, &metadata, &created, &updated); err != nil {
			return store.Customer{}, err
		}
		var j jsonColumns
		cu.Metadata = j.decodeStringMap(metadata)
		cu.CreatedAt, cu.UpdatedAt = fromMillis(created), fromMillis(updated)
		if j.err != nil {
			return store.Customer{}, fmt.Errorf("customer %s: %w", cu.ID, j.err)
		}
		return cu, nil
	})
}
