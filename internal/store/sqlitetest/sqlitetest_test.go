package sqlitetest_test

import (
	"context"
	"database/sql"
	"testing"

	"disputed/internal/store/sqlitetest"
)

// TestTemplateCopies: a template is prepared once, in WAL mode as the store does, and each test
// gets its own copy of what the preparation wrote, which its changes do not leave.
func TestTemplateCopies(t *testing.T) {
	prepared := 0
	tp := sqlitetest.NewTemplate(func(ctx context.Context, path string) error {
		prepared++
		db, err := sql.Open("sqlite", path+"?_pragma=journal_mode(WAL)")
		if err != nil {
			return err
		}
		defer db.Close()
		_, err = db.ExecContext(ctx, "CREATE TABLE note (id int PRIMARY KEY); INSERT INTO note VALUES (1)")
		return err
	})
	for i := range 4 {
		t.Run("", func(t *testing.T) {
			t.Parallel()
			db, err := sql.Open("sqlite", tp.Database(t))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec("INSERT INTO note VALUES (?)", 100+i); err != nil {
				t.Fatal(err)
			}
			var n, own int
			if err := db.QueryRow("SELECT count(*), max(id) FROM note WHERE id = 1 OR id >= 100").Scan(&n, &own); err != nil {
				t.Fatal(err)
			}
			if n != 2 || own != 100+i {
				t.Fatalf("the copy holds %d rows, the newest %d; want the template's row and its own, %d", n, own, 100+i)
			}
		})
	}
	t.Cleanup(func() {
		if prepared != 1 {
			t.Errorf("the template was prepared %d times, want once", prepared)
		}
	})
}
