package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sync"

	"disputed/internal/store/query"
)

// stmtCache keeps statements built at run time, prepared once each through the dialect's
// preparer (which rebinds the parameters). The SQL comes from a fixed set of column names, never
// from input, so the cache stays small. A statement is prepared after the transaction that first
// needed it has ended: preparing on the pool from inside a transaction would wait for a
// connection that the transaction holds (SQLite's write pool has only one).
type stmtCache struct {
	db      query.DBTX
	mu      sync.Mutex
	stmts   map[string]*sql.Stmt
	pending map[string]bool
}

func newStmtCache(db query.DBTX) *stmtCache {
	return &stmtCache{db: db, stmts: map[string]*sql.Stmt{}, pending: map[string]bool{}}
}

// get returns the prepared statement for q, or nil after noting that q is wanted.
func (c *stmtCache) get(q string) *sql.Stmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.stmts[q]; ok {
		return s
	}
	c.pending[q] = true
	return nil
}

// prepared returns the statement for q, preparing it now if it is not yet. Only a caller outside
// a transaction may use it: it waits for a connection of the pool.
func (c *stmtCache) prepared(ctx context.Context, q string) (*sql.Stmt, error) {
	c.mu.Lock()
	s, ok := c.stmts[q]
	c.mu.Unlock()
	if ok {
		return s, nil
	}
	s, err := c.db.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if kept, dup := c.stmts[q]; dup {
		_ = s.Close() // another caller prepared it meanwhile
		return kept, nil
	}
	c.stmts[q] = s
	delete(c.pending, q)
	return s, nil
}

// prepare prepares the statements wanted since the last call; it runs outside transactions and
// does not hold the lock while it waits for a connection, which a transaction may hold while it
// asks the cache for a statement.
func (c *stmtCache) prepare(ctx context.Context) error {
	c.mu.Lock()
	var wanted []string
	for q := range c.pending {
		wanted = append(wanted, q)
		delete(c.pending, q)
	}
	c.mu.Unlock()
	var err error
	for _, q := range wanted {
		s, perr := c.db.PrepareContext(ctx, q)
		if perr != nil {
			err = errors.Join(err, perr)
			continue
		}
		c.mu.Lock()
		if _, dup := c.stmts[q]; dup {
			_ = s.Close() // another transaction prepared it meanwhile
		} else {
			c.stmts[q] = s
		}
		c.mu.Unlock()
	}
	return err
}

func (c *stmtCache) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	for _, s := range c.stmts {
		err = errors.Join(err, s.Close())
	}
	return err
}
