package ceiling

import (
	"context"
	"database/sql"
	"path/filepath"
	"reflect"
	"testing"

	"disputed/bench/internal/benchdb"
	"disputed/internal/store/sqlite"
)

// TestSnapshotFindsWhatARunWroteAndWriteRepeatsIt changes a database after its snapshot, checks
// that Since finds exactly the new rows and the changed columns, and that writing them into a
// copy of the snapshot's database (one row per statement and several) gives the same tables.
func TestSnapshotFindsWhatARunWroteAndWriteRepeatsIt(t *testing.T) {
	ctx := t.Context()
	dir := t.TempDir()
	run := open(t, filepath.Join(dir, "run.db"))
	exec(t, run, `CREATE TABLE things (id TEXT PRIMARY KEY, state TEXT NOT NULL, n BIGINT, note TEXT)`)
	exec(t, run, `INSERT INTO things VALUES ('a', 'open', 1, 'x'), ('b', 'open', 2, NULL), ('c', 'open', 3, 'z')`)
	for i, copyPath := range []string{filepath.Join(dir, "one.db"), filepath.Join(dir, "many.db")} {
		if _, err := run.ExecContext(ctx, "VACUUM INTO ?", copyPath); err != nil {
			t.Fatalf("copy %d: %v", i, err)
		}
	}
	before, err := Take(ctx, run, "things")
	if err != nil {
		t.Fatal(err)
	}
	exec(t, run, `UPDATE things SET state = 'lost', note = NULL WHERE id = 'a'`)
	exec(t, run, `UPDATE things SET n = 2 WHERE id = 'b'`) // the same value: no change
	exec(t, run, `INSERT INTO things VALUES ('d', 'new', 4, 'w'), ('e', 'new', NULL, NULL), ('f', 'new', 6, 'v')`)

	c, err := before.Since(ctx, run)
	if err != nil {
		t.Fatal(err)
	}
	wantUpdates := []Update{{Table: "things", Key: "id", KeyValue: "a", Columns: []string{"state", "note"}, Values: []any{"lost", nil}}}
	if !reflect.DeepEqual(c.Updates, wantUpdates) {
		t.Errorf("updates %#v, want %#v", c.Updates, wantUpdates)
	}
	if len(c.Inserts) != 1 || len(c.Inserts[0].Rows) != 3 || c.Count() != 4 {
		t.Errorf("inserts %#v (count %d), want the 3 new rows of things and 4 in all", c.Inserts, c.Count())
	}

	want := rows(t, run)
	for _, per := range []int{1, 2} {
		path := filepath.Join(dir, map[int]string{1: "one.db", 2: "many.db"}[per])
		db := open(t, path)
		if _, err := Write(ctx, db, benchdb.SQLite, c, 2, per); err != nil {
			t.Fatalf("write %d per statement: %v", per, err)
		}
		if got := rows(t, db); !reflect.DeepEqual(got, want) {
			t.Errorf("%d rows per statement: the copy holds %v, want %v", per, got, want)
		}
	}
}

func open(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sqlite.OpenWriter(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func exec(t *testing.T, db *sql.DB, q string) {
	t.Helper()
	if _, err := db.Exec(q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

func rows(t *testing.T, db *sql.DB) [][]any {
	t.Helper()
	r, err := db.Query("SELECT * FROM things ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	table, err := ReadTable("things", r)
	if err != nil {
		t.Fatal(err)
	}
	return table.Rows
}
