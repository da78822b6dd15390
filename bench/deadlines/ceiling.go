package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"disputed/bench/internal/benchdb"
	"disputed/bench/internal/ceiling"
	"disputed/internal/store/sqlite"
)

// changedTables are the tables an expiry may write to, in an order in which rows only refer to
// rows of earlier tables.
var changedTables = []string{"customers", "orders", "lines", "transactions", "disputes", "blocklist", "timeline",
	"events", "webhook_deliveries", "emails", "jobs"}

// ceilingRun holds two copies of the seeded database, one for each way of writing the rows
// again, and what the run's database held before the run.
type ceilingRun struct {
	copies [2]string
	seeded string // one more copy, kept as seeded, for the cost of each table
	before ceiling.Snapshot
}

// prepareCeiling copies the seeded SQLite database at path and takes its snapshot.
func prepareCeiling(ctx context.Context, path string) (*ceilingRun, error) {
	db, err := sqlite.OpenWriter(ctx, path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	c := &ceilingRun{}
	for i := range c.copies {
		c.copies[i] = filepath.Join(filepath.Dir(path), fmt.Sprintf("ceiling-%d.db", i))
		if _, err := db.ExecContext(ctx, "VACUUM INTO ?", c.copies[i]); err != nil {
			return nil, err
		}
	}
	if perTable {
		c.seeded = filepath.Join(filepath.Dir(path), "seeded.db")
		if _, err := db.ExecContext(ctx, "VACUUM INTO ?", c.seeded); err != nil {
			return nil, err
		}
	}
	c.before, err = ceiling.Take(ctx, db, changedTables...)
	return c, err
}

// measure reads what the run changed in the database at path and writes it into the copies in
// txs transactions (as many as the runner's batches): once a statement per row, once with
// setRows rows per INSERT.
func (c *ceilingRun) measure(ctx context.Context, path string, txs int, res *result) error {
	db, err := sqlite.OpenWriter(ctx, path)
	if err != nil {
		return err
	}
	changes, err := c.before.Since(ctx, db)
	db.Close()
	if err != nil {
		return err
	}
	res.rows = changes.Count()
	if c.seeded != "" {
		if err := c.eachTable(ctx, changes, txs); err != nil {
			return err
		}
	}
	for i, per := range []int{1, setRows} {
		took, err := writeCopy(ctx, c.copies[i], changes, txs, per)
		if err != nil {
			return err
		}
		fmt.Printf("ceiling, %d row(s) per INSERT: %d rows in %v\n", per, res.rows, took.Round(time.Millisecond))
		if per == 1 {
			res.ceiling = took
		} else {
			res.setCeiling = took
		}
	}
	return nil
}

func writeCopy(ctx context.Context, path string, changes ceiling.Changes, txs, per int) (time.Duration, error) {
	db, err := sqlite.OpenWriter(ctx, path)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	return ceiling.Write(ctx, db, benchdb.SQLite, changes, txs, per)
}

// eachTable prints, for each table the run wrote to, how long its rows alone take to write in
// a statement per row, each into a fresh copy of the seeded database: where the ceiling's time goes.
func (c *ceilingRun) eachTable(ctx context.Context, changes ceiling.Changes, txs int) error {
	for _, table := range changedTables {
		part := changes.Of(table)
		if part.Count() == 0 {
			continue
		}
		copied := filepath.Join(filepath.Dir(c.seeded), "table.db")
		if err := copyFile(c.seeded, copied); err != nil {
			return err
		}
		took, err := writeCopy(ctx, copied, part, txs, 1)
		if err != nil {
			return err
		}
		fmt.Printf("ceiling of %s alone: %d rows in %v (%.1f µs a row)\n", table, part.Count(), took.Round(time.Millisecond),
			float64(took.Microseconds())/float64(part.Count()))
	}
	return nil
}

func copyFile(from, to string) error {
	b, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	return os.WriteFile(to, b, 0o600)
}
