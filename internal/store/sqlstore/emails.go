package sqlstore

import (
	"context"

	"disputed/internal/store"
	"disputed/internal/store/query"
)

// UpdateEmail returns store.ErrNotFound when there is no such email.
func (t *tx) UpdateEmail(ctx context.Context, e store.Email) error {
	if err := t.insertAppends(ctx); err != nil {
		return err
	}
	n, err := t.q.UpdateEmail(ctx, query.UpdateEmailParams{
		ID: e.ID, FromAddress: e.From, State: e.State, Reason: e.Reason, Attempts: int64(e.Attempts),
		UpdatedAt: millis(e.UpdatedAt), SentAt: nullMillis(e.SentAt),
	})
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return t.fail(err, "update email %s", e.ID)
	}
	return nil
}

func (c *conn) GetEmail(ctx context.Context, id string) (store.Email, error) {
	r, err := c.q.GetEmail(ctx, id)
	if err != nil {
		return store.Email{}, c.fail(err, "get email %s", id)
	}
	return emailFromRow(r), nil
}

// ListEmails lists oldest first; the filter names a dispute or an order.
func (c *conn) ListEmails(ctx context.Context, f store.EmailFilter) ([]store.Email, error) {
	var (
		rows []query.Email
		err  error
	)
	if f.DisputeID != "" {
		rows, err = c.q.EmailsOfDispute(ctx, f.DisputeID)
	} else {
		rows, err = c.q.EmailsOfOrder(ctx, f.OrderID)
	}
	if err != nil {
		return nil, c.fail(err, "list emails")
	}
	out := make([]store.Email, len(rows))
	for i, r := range rows {
		out[i] = emailFromRow(r)
	}
	return out, nil
}

func emailFromRow(r query.Email) store.Email {
	return store.Email{
		ID: r.ID, Template: r.Template, TemplateVersion: int(r.TemplateVersion), Data: r.Data,
		DisputeID: r.DisputeID, OrderID: r.OrderID, CustomerID: r.CustomerID, To: r.ToAddress, ToName: r.ToName, From: r.FromAddress, Subject: r.Subject, Body: r.Body,
		State: r.State, Reason: r.Reason, Attempts: int(r.Attempts), CreatedAt: fromMillis(r.CreatedAt),
		UpdatedAt: fromMillis(r.UpdatedAt), SentAt: fromNullMillis(r.SentAt),
	}
}
