package sqlstore

import (
	"context"
	"time"

	"disputed/internal/store"
	"disputed/internal/store/query"
)

func (t *tx) InsertProviderImport(ctx context.Context, i store.ProviderImport) error {
	err := inserted(t.q.InsertProviderImport(ctx, query.InsertProviderImportParams{ID: i.ID, Provider: i.Provider,
		Since: zeroMillis(i.Since), State: i.State, Cursor: i.Cursor, Read: i.Read, Appended: i.Appended, Error: i.Error,
		StartedBy: i.StartedBy, StartedAt: millis(i.StartedAt), UpdatedAt: millis(i.UpdatedAt), FinishedAt: zeroMillis(i.FinishedAt)}))
	if err != nil {
		return t.fail(err, "insert import %s of %s", i.ID, i.Provider)
	}
	return nil
}

func (t *tx) UpdateProviderImport(ctx context.Context, i store.ProviderImport) error {
	n, err := t.q.UpdateProviderImport(ctx, query.UpdateProviderImportParams{ID: i.ID, State: i.State, Cursor: i.Cursor,
		Read: i.Read, Appended: i.Appended, Error: i.Error, UpdatedAt: millis(i.UpdatedAt), FinishedAt: zeroMillis(i.FinishedAt)})
	if err == nil && n == 0 {
		err = t.missedUpdate(ctx, t.q.ProviderImportExists, i.ID, "the import is no longer running")
	}
	if err != nil {
		return t.fail(err, "update import %s", i.ID)
	}
	return nil
}

func (c *conn) GetProviderImport(ctx context.Context, id string) (store.ProviderImport, error) {
	r, err := c.q.GetProviderImport(ctx, id)
	if err != nil {
		return store.ProviderImport{}, c.fail(err, "get import %s", id)
	}
	return importFromRow(r), nil
}

func (c *conn) ListProviderImports(ctx context.Context, provider string, p store.Page) ([]store.ProviderImport, error) {
	var w conditions
	w.add("provider = " + w.arg(provider))
	q, args := w.newestFirst("SELECT * FROM provider_imports", "started_at", "id", p)
	rows, err := list(ctx, c, "list imports of "+provider, q, args, providerImportRows.scan)
	if err != nil {
		return nil, err
	}
	return importsFromRows(rows), nil
}

var providerImportRows = newByName[query.ProviderImport]()

func (c *conn) RunningProviderImports(ctx context.Context) ([]store.ProviderImport, error) {
	rows, err := c.q.RunningProviderImports(ctx)
	if err != nil {
		return nil, c.fail(err, "list running imports")
	}
	return importsFromRows(rows), nil
}

func importsFromRows(rows []query.ProviderImport) []store.ProviderImport {
	out := make([]store.ProviderImport, len(rows))
	for i, r := range rows {
		out[i] = importFromRow(r)
	}
	return out
}

func importFromRow(r query.ProviderImport) store.ProviderImport {
	return store.ProviderImport{ID: r.ID, Provider: r.Provider, Since: fromZeroMillis(r.Since), State: r.State, Cursor: r.Cursor,
		Read: r.Read, Appended: r.Appended, Error: r.Error, StartedBy: r.StartedBy, StartedAt: fromMillis(r.StartedAt),
		UpdatedAt: fromMillis(r.UpdatedAt), FinishedAt: fromZeroMillis(r.FinishedAt)}
}

// zeroMillis is a time that may be "none" (zero) in a NOT NULL column: 0.
func zeroMillis(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromZeroMillis(ms int64) time.Time {
	if ms == 0 {
		return time.Time{}
	}
	return fromMillis(ms)
}
