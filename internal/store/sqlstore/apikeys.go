package sqlstore

import (
	"context"
	"time"

	"disputed/internal/store"
	"disputed/internal/store/query"
)

// InsertAPIKey returns store.ErrConflict for a taken id or hash.
func (t *tx) InsertAPIKey(ctx context.Context, k store.APIKey) error {
	err := inserted(t.q.InsertAPIKey(ctx, query.InsertAPIKeyParams{
		ID: k.ID, Role: k.Role, PartyID: k.PartyID, Hash: k.Hash, Prefix: k.Prefix, Name: k.Name,
		CreatedAt: millis(k.CreatedAt), RevokedAt: nullMillis(k.RevokedAt), RevokedBy: k.RevokedBy,
	}))
	if err != nil {
		return t.fail(err, "insert API key %s", k.ID)
	}
	return nil
}

func (t *tx) RevokeAPIKey(ctx context.Context, id string, at time.Time, by string) error {
	n, err := t.q.RevokeAPIKey(ctx, query.RevokeAPIKeyParams{ID: id, RevokedAt: nullMillis(at), RevokedBy: by})
	if err == nil && n == 0 {
		err = t.missedUpdate(ctx, t.q.APIKeyExists, id, "the key is revoked already")
	}
	if err != nil {
		return t.fail(err, "revoke API key %s", id)
	}
	return nil
}

func (c *conn) GetAPIKey(ctx context.Context, id string) (store.APIKey, error) {
	r, err := c.q.GetAPIKey(ctx, id)
	if err != nil {
		return store.APIKey{}, c.fail(err, "get API key %s", id)
	}
	return apiKeyFromRow(r), nil
}

func (c *conn) GetAPIKeyByHash(ctx context.Context, hash string) (store.APIKey, error) {
	r, err := c.q.GetAPIKeyByHash(ctx, hash)
	if err != nil {
		return store.APIKey{}, c.fail(err, "get API key by hash") // the hash stays out of logs
	}
	return apiKeyFromRow(r), nil
}

func (c *conn) ListAPIKeys(ctx context.Context, p store.Page) ([]store.APIKey, error) {
	pg := pageOf(p)
	rows, err := c.q.ListAPIKeys(ctx, query.ListAPIKeysParams{
		AfterID: pg.afterID, AfterCreated: pg.afterCreated, Lim: pg.limit, Off: pg.offset,
	})
	if err != nil {
		return nil, c.fail(err, "list API keys")
	}
	out := make([]store.APIKey, len(rows))
	for i, r := range rows {
		out[i] = apiKeyFromRow(r)
	}
	return out, nil
}

func apiKeyFromRow(r query.APIKey) store.APIKey {
	return store.APIKey{
		ID: r.ID, Role: r.Role, PartyID: r.PartyID, Hash: r.Hash, Prefix: r.Prefix, Name: r.Name,
		CreatedAt: fromMillis(r.CreatedAt), RevokedAt: fromNullMillis(r.RevokedAt), RevokedBy: r.RevokedBy,
	}
}
