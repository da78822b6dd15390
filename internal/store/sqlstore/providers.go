package sqlstore

import (
	"context"
	"time"

	"disputed/internal/dispute"
	"disputed/internal/store"
	"disputed/internal/store/query"
)

func (t *tx) SaveProvider(ctx context.Context, p store.Provider) error {
	t.memo.rows.providerWritten()
	err := t.q.SaveProvider(ctx, query.SaveProviderParams(t.providerParams(p)))
	if err != nil {
		return t.fail(err, "save provider %s", p.Name)
	}
	return nil
}

func (t *tx) InsertProvider(ctx context.Context, p store.Provider) error {
	t.memo.rows.providerWritten()
	if err := inserted(t.q.InsertProvider(ctx, t.providerParams(p))); err != nil {
		return t.fail(err, "insert provider %s", p.Name)
	}
	return nil
}

func (t *tx) providerParams(p store.Provider) query.InsertProviderParams {
	return query.InsertProviderParams{Name: p.Name, Type: p.Type,
		WebhookSecret: t.seal(p.WebhookSecret, "providers", p.Name, "webhook_secret"),
		APIKey:        t.seal(p.APIKey, "providers", p.Name, "api_key"),
		APIBase:       p.APIBase, WebhookID: p.WebhookID, CreatedAt: millis(p.CreatedAt), UpdatedAt: millis(p.UpdatedAt)}
}

// DeleteProvider returns store.ErrNotFound when there is no such provider.
func (t *tx) DeleteProvider(ctx context.Context, name string) error {
	t.memo.rows.providerWritten()
	n, err := t.q.DeleteProvider(ctx, name)
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return t.fail(err, "delete provider %s", name)
	}
	return nil
}

func (c *conn) GetProvider(ctx context.Context, name string) (store.Provider, error) {
	r, err := c.q.GetProvider(ctx, name)
	if err != nil {
		return store.Provider{}, c.fail(err, "get provider %s", name)
	}
	p, err := c.providerFromRow(r)
	if err != nil {
		return store.Provider{}, c.fail(err, "get provider %s", name)
	}
	return p, nil
}

func (c *conn) ListProviders(ctx context.Context) ([]store.Provider, error) {
	rows, err := c.q.ListProviders(ctx)
	if err != nil {
		return nil, c.fail(err, "list providers")
	}
	out := make([]store.Provider, len(rows))
	for i, r := range rows {
		if out[i], err = c.providerFromRow(r); err != nil {
			return nil, c.fail(err, "list providers")
		}
	}
	return out, nil
}

func (c *conn) providerFromRow(r query.Provider) (store.Provider, error) {
	var err error
	webhookSecret := c.open(r.WebhookSecret, "providers", r.Name, "webhook_secret", &err)
	apiKey := c.open(r.APIKey, "providers", r.Name, "api_key", &err)
	return store.Provider{Name: r.Name, Type: r.Type, WebhookSecret: webhookSecret, APIKey: apiKey, APIBase: r.APIBase,
		WebhookID: r.WebhookID, CreatedAt: fromMillis(r.CreatedAt), UpdatedAt: fromMillis(r.UpdatedAt)}, err
}

func (c *conn) LastProviderEventAt(ctx context.Context, disputeID string) (time.Time, error) {
	ms, err := c.q.LastProviderEventAt(ctx, disputeID)
	if err != nil {
		return time.Time{}, c.fail(err, "last provider event of %s", disputeID)
	}
	if ms == 0 {
		return time.Time{}, nil
	}
	return fromMillis(ms), nil
}

func (c *conn) FindDisputeByProvider(ctx context.Context, provider, providerDisputeID string) (dispute.Dispute, error) {
	r, err := c.q.FindDisputeByProvider(ctx, query.FindDisputeByProviderParams{Provider: provider, ProviderDisputeID: providerDisputeID})
	if err != nil {
		return dispute.Dispute{}, c.fail(err, "find dispute %s/%s", provider, providerDisputeID)
	}
	d, err := disputeFromRow(r)
	if err != nil {
		return dispute.Dispute{}, c.fail(err, "find dispute %s/%s", provider, providerDisputeID)
	}
	return d, nil
}
