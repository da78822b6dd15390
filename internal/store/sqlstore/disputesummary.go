package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"disputed/internal/store"
)

// DisputeSummaries joins a page of disputes to their customers and orders in one statement (a
// list would otherwise read one customer and one order per row). The customer is the dispute's
// own, else its order's: a provider dispute matched to a charge may carry only the order.
func (c *conn) DisputeSummaries(ctx context.Context, ids []string) ([]store.DisputeSummary, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	if len(ids) > store.MaxSummaries {
		return nil, fmt.Errorf("dispute summaries: %d ids, at most %d", len(ids), store.MaxSummaries)
	}
	var w conditions
	marks := make([]string, len(ids))
	for i, id := range ids {
		marks[i] = w.arg(id)
	}
	q := `SELECT d.id, COALESCE(c.name, ''), COALESCE(c.email, ''), COALESCE(o.items, '[]')
FROM disputes d
LEFT JOIN orders o ON o.id = d.order_id
LEFT JOIN customers c ON c.id = CASE WHEN d.customer_id <> '' THEN d.customer_id ELSE o.customer_id END
WHERE d.id IN (` + strings.Join(marks, ", ") + `)`
	return list(ctx, c, "dispute summaries", q, w.args, scanSummary)
}

func scanSummary(rows *sql.Rows) (store.DisputeSummary, error) {
	var s store.DisputeSummary
	var items string
	if err := rows.Scan(&s.DisputeID, &s.CustomerName, &s.CustomerEmail, &items); err != nil {
		return s, err
	}
	var j jsonColumns
	its := j.decodeItems(items)
	if j.err != nil {
		return s, fmt.Errorf("items of dispute %s's order: %w", s.DisputeID, j.err)
	}
	s.Items = len(its)
	if len(its) > 0 {
		s.FirstItem = its[0].Description
	}
	return s, nil
}
