package sqlstore

import (
	"context"
	"encoding/json"
)

// LockReferences takes the references' locks in one statement, in one order (sorted), so that
// two transactions locking the same two never wait for each other in a circle; two passes that
// lock them across several events may still, and PostgreSQL ends one as a deadlock, a lost race
// the caller tries again (IsUnique). What the transaction read ahead about the references is
// forgotten: what another transaction committed about them before the lock is read after it.
func (t *tx) LockReferences(ctx context.Context, refs ...string) error {
	if t.dialect.LockKeys == "" {
		return nil
	}
	if refs = distinctKeys(refs); len(refs) == 0 {
		return nil
	}
	keys, err := json.Marshal(refs)
	if err == nil {
		_, err = t.sqlTx.ExecContext(ctx, t.dialect.LockKeys, string(keys))
	}
	if err != nil {
		return t.fail(err, "lock the references %q", refs)
	}
	t.memo.rows.referencesLocked(refs)
	return nil
}
