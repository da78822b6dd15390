package sqlstore

import (
	"context"

	"disputed/internal/store"
	"disputed/internal/store/query"
)

// InsertAPIKey returns store.ErrConflict for a taken id or hash.
func (t *tx) InsertAPIKey(ctx context.Context, k store.APIKey) error {
	err := inserted(t.q.InsertAPIKey(ctx, query.InsertAPIKeyParams{
		ID: k.ID, Role: k.Role, PartyID: k.PartyID, Hash: k.Hash, Prefix: k.Prefix, Name: k.Name,
		CreatedAt: millis(k.CreatedAt),
	}))
	if err != nil {
		return t.fail(err, "insert API key %s", k.ID)
	}
	return nil
}

func (c *conn) GetAPIKeyByHash(ctx context.Context, hash string) (store.APIKey, error) {
	r, err := c.q.GetAPIKeyByHash(ctx, hash)
	if err != nil {
		return store.APIKey{}, c.fail(err, "get API key by hash") // the hash stays out of logs
	}
	return store.APIKey{
		ID: r.ID, Role: r.Role, PartyID: r.PartyID, Hash: r.Hash, Prefix: r.Prefix, Name: r.Name,
		CreatedAt: fromMillis(r.CreatedAt),
	}, nil
}
