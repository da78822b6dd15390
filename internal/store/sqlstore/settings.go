package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"disputed/internal/store"
	"disputed/internal/store/query"
)

// SaveSettings replaces the saved settings.
func (t *tx) SaveSettings(ctx context.Context, s store.Settings) error {
	err := t.q.SaveSettings(ctx, query.SaveSettingsParams{
		BlockOnDispute: s.BlockOnDispute, MerchantName: s.MerchantName, UpdatedAt: millis(s.UpdatedAt),
	})
	if err != nil {
		return t.fail(err, "save settings")
	}
	return nil
}

// GetSettings returns the zero Settings, which are the defaults, until some are saved.
func (c *conn) GetSettings(ctx context.Context) (store.Settings, error) {
	r, err := c.q.GetSettings(ctx)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return store.Settings{}, nil
	case err != nil:
		return store.Settings{}, c.fail(err, "get settings")
	}
	return store.Settings{BlockOnDispute: r.BlockOnDispute, MerchantName: r.MerchantName, UpdatedAt: fromMillis(r.UpdatedAt)}, nil
}
