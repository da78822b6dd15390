package storetest

import (
	"testing"
	"time"

	"disputed/internal/store"
)

// testProviderImports: an import round-trips; a provider runs one import at a time; only a
// running import moves; the list is newest first.
func testProviderImports(t *testing.T, s store.Store) {
	ctx := t.Context()
	first := store.ProviderImport{ID: "imp_1", Provider: "stripe", Since: at(0), State: store.ImportRunning, StartedBy: "user:usr_1",
		StartedAt: at(1), UpdatedAt: at(1)}
	write(t, s, func(tx store.Tx) error { return tx.InsertProviderImport(ctx, first) })
	got, err := s.GetProviderImport(ctx, "imp_1")
	noErr(t, "GetProviderImport", err)
	same(t, "a new import", got, first)
	wantErr(t, "an unknown import", func() error { _, err := s.GetProviderImport(ctx, "imp_0"); return err }(), store.ErrNotFound)

	second := first
	second.ID, second.Since, second.StartedAt, second.UpdatedAt = "imp_2", time.Time{}, at(2), at(2)
	wantErr(t, "a second running import of one provider", s.Tx(ctx, func(tx store.Tx) error { return tx.InsertProviderImport(ctx, second) }), store.ErrConflict)
	other := second
	other.ID, other.Provider = "imp_3", "paypal"
	write(t, s, func(tx store.Tx) error { return tx.InsertProviderImport(ctx, other) })

	page := first
	page.Cursor, page.Read, page.Appended, page.UpdatedAt = "charges:ch_9", 100, 98, at(3)
	write(t, s, func(tx store.Tx) error { return tx.UpdateProviderImport(ctx, page) })
	done := page
	done.State, done.Cursor, done.Read, done.Error, done.UpdatedAt, done.FinishedAt = store.ImportFailed, "done", 150, "stripe: 401", at(4), at(4)
	write(t, s, func(tx store.Tx) error { return tx.UpdateProviderImport(ctx, done) })
	got, err = s.GetProviderImport(ctx, "imp_1")
	noErr(t, "GetProviderImport", err)
	same(t, "a failed import", got, done)
	late := done
	late.State, late.Read = store.ImportRunning, 200
	wantErr(t, "moving an import that ended", s.Tx(ctx, func(tx store.Tx) error { return tx.UpdateProviderImport(ctx, late) }), store.ErrConflict)
	late.ID = "imp_0"
	wantErr(t, "moving an unknown import", s.Tx(ctx, func(tx store.Tx) error { return tx.UpdateProviderImport(ctx, late) }), store.ErrNotFound)

	// Once the first ended, the provider may run another.
	write(t, s, func(tx store.Tx) error { return tx.InsertProviderImport(ctx, second) })
	listPage := func(p store.Page) []string {
		list, err := s.ListProviderImports(ctx, "stripe", p)
		noErr(t, "ListProviderImports", err)
		return ids(list, func(i store.ProviderImport) string { return i.ID })
	}
	same(t, "stripe's imports, newest first", listPage(store.Page{Limit: 10}), []string{"imp_2", "imp_1"})
	same(t, "the newest, and one more to tell that more follow", listPage(store.Page{Limit: 1}), []string{"imp_2", "imp_1"})
	same(t, "after the newest (its cursor)", listPage(store.Page{Limit: 1, AfterCreated: second.StartedAt, AfterID: second.ID}), []string{"imp_1"})
	same(t, "after one (an offset)", listPage(store.Page{Limit: 1, Offset: 1}), []string{"imp_1"})
	running, err := s.RunningProviderImports(ctx)
	noErr(t, "RunningProviderImports", err)
	same(t, "running, oldest first", ids(running, func(i store.ProviderImport) string { return i.ID + "/" + i.Provider }), []string{"imp_2/stripe", "imp_3/paypal"})
}
