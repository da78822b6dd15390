package pgtest_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"go.uber.org/goleak"

	"disputed/internal/store/pgtest"
)

// TestMain fails the package when a test leaves a goroutine behind.
func TestMain(m *testing.M) { goleak.VerifyTestMain(pgtest.Wrap(m)) }

func TestDatabaseIsFreshAndIsolated(t *testing.T) {
	urlA := pgtest.Database(t)
	urlB := pgtest.Database(t)
	if urlA == urlB {
		t.Fatalf("two calls returned the same database %q", urlA)
	}

	ctx := context.Background()
	connect := func(url string) *pgx.Conn {
		t.Helper()
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatalf("connecting to %s: %v", url, err)
		}
		// Left open on purpose until cleanup: the drop must not be blocked by it.
		return conn
	}
	a, b := connect(urlA), connect(urlB)

	var nameA, nameB string
	if err := a.QueryRow(ctx, "SELECT current_database()").Scan(&nameA); err != nil {
		t.Fatal(err)
	}
	if err := b.QueryRow(ctx, "SELECT current_database()").Scan(&nameB); err != nil {
		t.Fatal(err)
	}
	if nameA == nameB {
		t.Fatalf("both URLs lead to database %q", nameA)
	}

	for _, conn := range []*pgx.Conn{a, b} {
		var tables int
		if err := conn.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").Scan(&tables); err != nil {
			t.Fatal(err)
		}
		if tables != 0 {
			t.Fatalf("fresh database has %d tables", tables)
		}
	}

	if _, err := a.Exec(ctx, "CREATE TABLE note (id int PRIMARY KEY, body text NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Exec(ctx, "INSERT INTO note VALUES (1, 'héllo')"); err != nil {
		t.Fatal(err)
	}
	var body string
	if err := a.QueryRow(ctx, "SELECT body FROM note WHERE id = 1").Scan(&body); err != nil {
		t.Fatal(err)
	}
	if body != "héllo" {
		t.Fatalf("read back %q", body)
	}

	// The table exists only where it was created.
	var exists bool
	if err := b.QueryRow(ctx, "SELECT to_regclass('note') IS NOT NULL").Scan(&exists); err != nil {
		t.Fatal(err)
	}
	if exists {
		t.Fatal("table created in one database is visible in the other")
	}
	if _, err := b.Exec(ctx, "CREATE TABLE note (id int PRIMARY KEY)"); err != nil {
		t.Fatalf("same table name in the other database: %v", err)
	}
}

// TestDatabaseParallel runs first calls concurrently (they must share one
// server start) and checks that parallel tests do not see each other's rows.
func TestDatabaseParallel(t *testing.T) {
	for i := range 8 {
		t.Run("", func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			conn, err := pgx.Connect(ctx, pgtest.Database(t))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			if _, err := conn.Exec(ctx, "CREATE TABLE x (i int)"); err != nil {
				t.Fatal(err)
			}
			if _, err := conn.Exec(ctx, "INSERT INTO x VALUES ($1)", i); err != nil {
				t.Fatal(err)
			}
			var n, got int
			if err := conn.QueryRow(ctx, "SELECT count(*), max(i) FROM x").Scan(&n, &got); err != nil {
				t.Fatal(err)
			}
			if n != 1 || got != i {
				t.Fatalf("got %d rows, max %d; want 1 row, %d", n, got, i)
			}
		})
	}
}

// TestTemplateCopies: a template is prepared once, and each test gets its own copy of what the
// preparation made, which its changes do not leave.
func TestTemplateCopies(t *testing.T) {
	prepared := 0
	tp := pgtest.NewTemplate(func(ctx context.Context, url string) error {
		prepared++
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, "CREATE TABLE note (id int PRIMARY KEY); INSERT INTO note VALUES (1)")
		return err
	})
	for i := range 4 {
		t.Run("", func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			conn, err := pgx.Connect(ctx, tp.Database(t))
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			if _, err := conn.Exec(ctx, "INSERT INTO note VALUES ($1)", 100+i); err != nil {
				t.Fatal(err)
			}
			var ids []int32
			rows, err := conn.Query(ctx, "SELECT id FROM note ORDER BY id")
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var id int32
				if err := rows.Scan(&id); err != nil {
					t.Fatal(err)
				}
				ids = append(ids, id)
			}
			if err := rows.Err(); err != nil {
				t.Fatal(err)
			}
			if len(ids) != 2 || ids[0] != 1 || ids[1] != int32(100+i) {
				t.Fatalf("the copy holds %v, want [1 %d]: the template's row and its own", ids, 100+i)
			}
		})
	}
	t.Cleanup(func() {
		if prepared != 1 {
			t.Errorf("the template was prepared %d times, want once", prepared)
		}
	})
}
