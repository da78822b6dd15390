package sqlstore

import (
	"context"
	"slices"
)

// LockReferences takes the references' locks in one order (sorted), so that two transactions
// locking the same two never wait for each other in a circle; two passes that lock them across
// several events may still, and PostgreSQL ends one as a deadlock, a lost race the caller tries
// again (IsUnique).
func (t *tx) LockReferences(ctx context.Context, refs ...string) error {
	if t.dialect.LockKey == "" {
		return nil
	}
	refs = slices.Compact(slices.Sorted(slices.Values(withoutEmpty(refs))))
	for _, ref := range refs {
		if _, err := t.sqlTx.ExecContext(ctx, t.dialect.LockKey, ref); err != nil {
			return t.fail(err, "lock the reference %q", ref)
		}
	}
	return nil
}
