package sqlstore

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// row is what sqlc generates for a table (a, b).
type row struct {
	A string `db:"a"`
	B int64  `db:"b"`
}

// TestScanByNameReadsEveryColumnOrRefuses: columns are read into the fields named for them,
// whatever their order, and a column no field reads (one a migration added) or a field no column
// fills is an error, never a value dropped or left zero.
func TestScanByNameReadsEveryColumnOrRefuses(t *testing.T) {
	t.Parallel()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "byname.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec("CREATE TABLE t (b INTEGER, a TEXT, c TEXT); INSERT INTO t VALUES (7, 'x', 'new')"); err != nil {
		t.Fatal(err)
	}
	read := func(q string) ([]row, error) {
		rows, err := db.QueryContext(context.Background(), q)
		if err != nil {
			t.Fatal(err)
		}
		return scanRows(rows, newByName[row]().scan)
	}
	got, err := read("SELECT b, a FROM t")
	if err != nil || len(got) != 1 || got[0] != (row{A: "x", B: 7}) {
		t.Errorf("SELECT b, a: %+v, %v", got, err)
	}
	for q, want := range map[string]string{"SELECT * FROM t": "3 columns", "SELECT a, c FROM t": "column c", "SELECT a FROM t": "1 columns"} {
		if _, err := read(q); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want an error naming %q", q, err, want)
		}
	}
}

// TestColumnsAreTheFieldsInOrder: a whole row is written by the names of its fields.
func TestColumnsAreTheFieldsInOrder(t *testing.T) {
	t.Parallel()
	columns, values := Columns(row{A: "x", B: 7})
	if strings.Join(columns, ",") != "a,b" || len(values) != 2 || values[0] != "x" || values[1] != int64(7) {
		t.Errorf("Columns: %v %v", columns, values)
	}
}
