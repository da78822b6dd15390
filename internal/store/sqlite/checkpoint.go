package sqlite

import (
	"database/sql"
	"sync"
	"time"
)

// checkpointInterval is how often the checkpointer copies the write-ahead log into the database.
const checkpointInterval = 50 * time.Millisecond

// A checkpointer copies the pages the write-ahead log holds back into the database file, from a
// connection of its own, every checkpointInterval. Otherwise the writer does it, whenever a
// commit leaves the log longer than wal_autocheckpoint pages: in the middle of its own work,
// holding the one write connection every other write waits for (7.7 % of the inbox appliers'
// time in bench/ingest, with the fsync of the database file). From here it runs beside the
// writer, on another core: a PASSIVE checkpoint copies what no reader still needs and never
// blocks a writer, and once the log is copied whole the next write starts it again from the
// beginning, so that it stays short. The writer keeps a higher wal_autocheckpoint (writeParams)
// as a backstop, should this one fall behind or fail (another process's checkpoint holding the
// lock: the next tick tries again).
type checkpointer struct {
	db      *sql.DB
	stop    chan struct{}
	done    chan struct{}
	stopped sync.Once
}

// startCheckpointer starts a checkpointer on the database at path, already in WAL mode.
func startCheckpointer(path string) (*checkpointer, error) {
	db, err := openPool(path, common, 1)
	if err != nil {
		return nil, err
	}
	c := &checkpointer{db: db, stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c, nil
}

func (c *checkpointer) run() {
	defer close(c.done)
	tick := time.NewTicker(checkpointInterval)
	defer tick.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-tick.C:
			// An error is another checkpoint holding the lock, or the file gone: the next tick,
			// or the writer's backstop, copies what this one did not.
			_, _ = c.db.Exec("PRAGMA wal_checkpoint(PASSIVE)")
		}
	}
}

// Close stops the checkpointer and closes its connection; a store closed twice calls it twice.
func (c *checkpointer) Close() error {
	c.stopped.Do(func() { close(c.stop) })
	<-c.done
	return c.db.Close()
}
