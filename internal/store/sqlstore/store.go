// Package sqlstore implements store.Store once for every SQL database: SQLite and PostgreSQL run
// the same generated queries (package query) through database/sql, and what differs between them
// (placeholder syntax, how a unique violation looks, one pool or two, the two job statements that
// lock rows or read a list of kinds) is a small Dialect that the sqlite and postgres packages fill
// in when they open a database.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"disputed/internal/secretbox"
	"disputed/internal/store"
	"disputed/internal/store/query"
)

// Dialect is what a database needs beyond the shared SQL.
type Dialect struct {
	// Rebind rewrites the generated queries' $N parameters for the driver; nil leaves them.
	Rebind func(query string) string
	// IsUnique reports whether err is a violated unique constraint or primary key (or another
	// lost race the database reports: PostgreSQL's deadlocks), which the store reports as
	// store.ErrConflict.
	IsUnique func(err error) bool

	// The job statements that each database words its own way, with $N parameters like the
	// generated queries (Rebind applies to them too) and times in unix milliseconds. The kinds
	// come as one parameter, a JSON array of strings, so that both take the same arguments.

	// ClaimJobs leases due jobs: $1 now, $2 the new lease_until, $3 the runner, $4 the kinds,
	// $5 the limit. It returns the claimed rows' columns in table order (as SELECT * lists
	// them), in any row order. It alone decides how two claimers keep off each other's rows.
	ClaimJobs string
	// NextJobAt returns one row of one column: the earliest scheduled run_at or running
	// lease_until of the kinds in $1, or NULL.
	NextJobAt string

	// ExtendedField is a dispute's extended field's value text, as the extended_fields column
	// keeps it (see extendedValueColumn): %[1]s is the column, %[2]s the parameter naming the
	// field. Each database reads JSON in its own words.
	ExtendedField string

	// SkipLocked ends a SELECT … FROM provider_events e that claims rows for the transaction:
	// on PostgreSQL, " FOR UPDATE OF e SKIP LOCKED", so that instances claiming together pass
	// over each other's rows; "" on SQLite, whose one writer claims alone.
	SkipLocked string

	// Trigrams is how the database reads its trigram indexes (migration 00039): FTS5Tables on
	// SQLite, PgTrgmIndexes on PostgreSQL.
	Trigrams TrigramIndexes

	// JSONTexts is a query of one column, the texts of the JSON array of strings in the
	// parameter %s: a list of any length as one parameter, so that its statement is one.
	JSONTexts string

	// LockKeys holds, until the transaction ends, a lock on each text of the JSON array of
	// strings $1, in the array's order (LockReferences): on PostgreSQL an advisory lock on each
	// one's hash; "" on SQLite, whose one writer runs every write transaction alone.
	LockKeys string
}

// Store is a store.Store on a database/sql database.
type Store struct {
	conn   // reads outside a transaction, prepared on the read pool
	read   *sql.DB
	write  *sql.DB
	writeQ *query.Queries // prepared on the write pool; Tx binds it to each transaction
	writeD *dialectStmts  // the dialect's statements, prepared on the write pool
	// closeFirst are what Close stops before it closes the pools (CloseFirst).
	closeFirst []func() error
}

var _ store.Store = (*Store)(nil)

// New prepares every query on both pools and returns a Store that reads from read and runs
// transactions on write; they may be the same pool. The secrets it keeps are sealed with box
// (the first key seals, every key opens); New refuses a box that does not open the database's
// secrets (store.ErrSecretKey). SQLite wants them apart: one connection for
// every write, so that writers queue in Go instead of failing on the file lock, and several for
// reads, which WAL lets run alongside. Statements are prepared once because compiling the SQL is
// most of the cost of a small query on SQLite; database/sql re-prepares them on each connection
// as needed. The Store owns both pools: Close closes them.
func New(ctx context.Context, read, write *sql.DB, d Dialect, box *secretbox.Ring) (*Store, error) {
	if d.ClaimJobs == "" || d.NextJobAt == "" {
		return nil, errors.New("the dialect lacks its job statements")
	}
	if d.Trigrams == 0 {
		return nil, errors.New("the dialect names no trigram indexes")
	}
	if box == nil {
		return nil, errors.New("no secret key to seal the stored secrets with")
	}
	s := &Store{read: read, write: write}
	var err error
	if s.writeQ, err = query.Prepare(ctx, preparer(write, d)); err != nil {
		return nil, fmt.Errorf("preparing queries: %w", err)
	}
	if s.writeD, err = prepareDialect(ctx, preparer(write, d), d, true); err != nil {
		return nil, errors.Join(fmt.Errorf("preparing queries: %w", err), s.writeQ.Close())
	}
	s.conn = conn{q: s.writeQ, dialect: d, own: s.writeD, box: box, samples: &searchSamples{}}
	if read != write {
		if s.q, err = query.Prepare(ctx, preparer(read, d)); err != nil {
			return nil, errors.Join(fmt.Errorf("preparing queries: %w", err), s.writeQ.Close(), s.writeD.close())
		}
		if s.own, err = prepareDialect(ctx, preparer(read, d), d, false); err != nil {
			return nil, errors.Join(fmt.Errorf("preparing queries: %w", err), s.writeQ.Close(), s.writeD.close(), s.q.Close())
		}
	}
	if err := s.checkKey(ctx); err != nil {
		return nil, errors.Join(err, s.closeStatements())
	}
	return s, nil
}

// Tx runs fn in a transaction on the write pool. The transaction commits when fn returns nil and
// rolls back otherwise, including when fn panics (the deferred rollback runs while the panic
// goes on). fn's error is returned as it is, so that callers still see their own errors. A
// transaction run for a request that claimed an Idempotency-Key (store.WithClaim) marks the
// claim committed within itself.
func (s *Store) Tx(ctx context.Context, fn func(store.Tx) error) error {
	sqlTx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	done := false
	defer func() {
		if !done {
			_ = sqlTx.Rollback() // the error that made us roll back is the one worth reporting
		}
	}()
	t := &tx{conn: conn{q: s.writeQ.WithTx(sqlTx), dialect: s.dialect, own: s.writeD, sqlTx: sqlTx, box: s.box, samples: s.samples}}
	if err := fn(t); err != nil {
		return err
	}
	if err := t.insertAppends(ctx); err != nil {
		return err
	}
	if err := t.countPending(ctx); err != nil {
		return err
	}
	claim := store.ClaimOf(ctx)
	if claim != nil {
		if err := t.markCommitted(ctx, claim); err != nil {
			return err
		}
	}
	done = true
	if err := sqlTx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	if claim != nil {
		claim.SetCommitted()
	}
	// Statements this transaction built for the first time are prepared now that the
	// connection is free. Failing to is no error of the transaction, which committed.
	_ = s.writeD.updates.prepare(ctx)
	_ = s.writeD.lists.prepare(ctx)
	return nil
}

// Writers is the size of the write pool.
func (s *Store) Writers() int { return max(s.write.Stats().MaxOpenConnections, 1) }

// Ping checks both pools.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.write.PingContext(ctx); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	if err := s.read.PingContext(ctx); err != nil {
		return fmt.Errorf("ping: %w", err)
	}
	return nil
}

// Close closes the statements and both pools.
func (s *Store) Close() error {
	var err error
	for _, fn := range s.closeFirst {
		err = errors.Join(err, fn())
	}
	err = errors.Join(err, s.closeStatements(), s.write.Close())
	if s.read != s.write {
		err = errors.Join(err, s.read.Close())
	}
	return err
}

// CloseFirst has Close call fn before it closes the pools: the end of what a store's opener
// runs beside it.
func (s *Store) CloseFirst(fn func() error) { s.closeFirst = append(s.closeFirst, fn) }

// closeStatements closes what New prepared, leaving the pools to their owner.
func (s *Store) closeStatements() error {
	err := errors.Join(s.writeQ.Close(), s.writeD.close())
	if s.q != s.writeQ {
		err = errors.Join(err, s.q.Close(), s.own.close())
	}
	return err
}

// conn runs the queries on one pool or transaction; its methods are the store.Reader.
type conn struct {
	q       *query.Queries
	dialect Dialect
	own     *dialectStmts // the dialect's statements, prepared on the same pool as q
	sqlTx   *sql.Tx       // the transaction q runs in; nil outside one
	box     *secretbox.Ring
	samples *searchSamples // the store's, shared by its transactions
}

// rebind rewrites a statement's $N parameters for the driver, as the preparer does.
func (c *conn) rebind(q string) string {
	if c.dialect.Rebind == nil {
		return q
	}
	return c.dialect.Rebind(q)
}

// stmt binds one of the dialect's prepared statements to the transaction, if there is one, the
// way the generated queries bind theirs.
func (c *conn) stmt(ctx context.Context, s *sql.Stmt) *sql.Stmt {
	if c.sqlTx != nil {
		return c.sqlTx.StmtContext(ctx, s)
	}
	return s
}

// dialectStmts are the Dialect's statements, prepared once like the generated queries.
type dialectStmts struct {
	claimJobs *sql.Stmt // only on the write pool
	nextJobAt *sql.Stmt
	// The savepoint statements, only on the write pool: the job runner uses a savepoint per job.
	savepoint, release, rollbackTo *sql.Stmt
	updates                        *stmtCache // the statements written from a dispute's columns: its insert, its updates (one per set of columns)
	lists                          *stmtCache // the lists' statements written per set of filters (ListDisputes, ListTimeline)
}

func prepareDialect(ctx context.Context, db query.DBTX, d Dialect, write bool) (*dialectStmts, error) {
	var (
		ds  dialectStmts
		err error
	)
	if ds.nextJobAt, err = db.PrepareContext(ctx, d.NextJobAt); err != nil {
		return nil, fmt.Errorf("NextJobAt: %w", err)
	}
	ds.lists = newStmtCache(db)
	if !write {
		return &ds, nil
	}
	ds.updates = newStmtCache(db)
	for _, p := range []struct {
		stmt **sql.Stmt
		sql  string
	}{{&ds.claimJobs, d.ClaimJobs}, {&ds.savepoint, "SAVEPOINT sp"}, {&ds.release, "RELEASE SAVEPOINT sp"},
		{&ds.rollbackTo, "ROLLBACK TO SAVEPOINT sp"}} {
		if *p.stmt, err = db.PrepareContext(ctx, p.sql); err != nil {
			return nil, errors.Join(fmt.Errorf("prepare %q: %w", p.sql, err), ds.close())
		}
	}
	return &ds, nil
}

func (ds *dialectStmts) close() error {
	var err error
	for _, s := range []*sql.Stmt{ds.claimJobs, ds.nextJobAt, ds.savepoint, ds.release, ds.rollbackTo} {
		if s != nil {
			err = errors.Join(err, s.Close())
		}
	}
	for _, c := range []*stmtCache{ds.updates, ds.lists} {
		if c != nil {
			err = errors.Join(err, c.close())
		}
	}
	return err
}

// preparer is db, rewriting the placeholders of what it prepares when the dialect asks for it.
func preparer(db *sql.DB, d Dialect) query.DBTX {
	if d.Rebind == nil {
		return db
	}
	return rebound{db: db, rebind: d.Rebind}
}

// tx adds the writes to a conn on a transaction.
type tx struct {
	conn
	memo    memo
	pending pending // counted at the commit (countPending)
	appends appends // inserted at the commit (insertAppends)
}

var _ store.Tx = (*tx)(nil)

// fail wraps a query's error with what was being done, turning "no rows" into store.ErrNotFound
// and a unique violation into store.ErrConflict (keeping the database's error for the log).
func (c *conn) fail(err error, format string, args ...any) error {
	switch {
	case errors.Is(err, sql.ErrNoRows):
		err = store.ErrNotFound
	case c.dialect.IsUnique != nil && c.dialect.IsUnique(err):
		err = fmt.Errorf("%w: %w", store.ErrConflict, err)
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

// missedUpdate explains a guarded UPDATE that changed no row: the row is gone
// (store.ErrNotFound) or the guard refused it (store.ErrConflict, for the reason given).
func (t *tx) missedUpdate(ctx context.Context, count func(context.Context, string) (int64, error), id, reason string) error {
	n, err := count(ctx, id)
	switch {
	case err != nil:
		return err
	case n == 0:
		return store.ErrNotFound
	}
	return fmt.Errorf("%w: %s", store.ErrConflict, reason)
}

// inserted reports an INSERT … ON CONFLICT DO NOTHING that wrote no row as store.ErrConflict.
func inserted(rows int64, err error) error {
	if err == nil && rows == 0 {
		return fmt.Errorf("%w: a row with the same key exists", store.ErrConflict)
	}
	return err
}
