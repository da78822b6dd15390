package migrations

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"testing"
)

// TestDisputeWordsFill: 00042 writes the words with a digit of every dispute stored before it,
// more disputes than it reads at a time, each once; and the words that start with a text are a
// range of the key in byte order on both databases (PostgreSQL compares them by the C collation,
// whatever the server's: en_US's ignores the "{" that ends the range).
func TestDisputeWordsFill(t *testing.T) {
	t.Parallel()
	onEachDatabase(t, func(t *testing.T, db *sql.DB, dialect string) {
		ctx := context.Background()
		migrateTo(t, db, dialect, 40)
		const n = 1234
		for i := range n {
			search := fmt.Sprintf("dsp_%04d\x1fc-%08d\x1fno digits", i, i)
			if i == 7 {
				search += "\x1fword7 word7 Z-0001{a} 0001a"
			}
			if _, err := db.ExecContext(ctx, rebind(dialect, `INSERT INTO disputes (id, type, status, amount, currency, revision,
				is_open, search, created_at, updated_at) VALUES (?, 'chargeback', 'won', 100, 'USD', 1, FALSE, ?, 1, 1)`),
				fmt.Sprintf("dsp_%04d", i), search); err != nil {
				t.Fatal(err)
			}
		}
		if err := Up(ctx, db, dialect); err != nil {
			t.Fatal(err)
		}
		var rows int
		if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM dispute_words").Scan(&rows); err != nil {
			t.Fatal(err)
		}
		if want := 2*n + 3; rows != want {
			t.Errorf("%d words, want %d", rows, want)
		}
		got := column(t, db, `SELECT word || ' ' || dispute_id FROM dispute_words WHERE word >= '0001' AND word < '0001{' ORDER BY word, dispute_id`)
		want := []string{"0001 dsp_0001", "0001 dsp_0007", "0001a dsp_0007"} // ids' words, and 7's
		if !slices.Equal(got, want) {
			t.Errorf("the words that start with 0001: %q, want %q", got, want)
		}
		if dialect == Postgres { // the test servers' locale, C.UTF-8, orders by bytes too; a server's may not
			collation := column(t, db, `SELECT collation_name FROM information_schema.columns
				WHERE table_name = 'dispute_words' AND column_name = 'word'`)
			if !slices.Equal(collation, []string{"C"}) {
				t.Errorf("dispute_words.word is compared by %q, want C", collation)
			}
		}
	})
}

// TestOrderWordsFill: 00045 adds the words of the order ids of the disputes stored before it,
// beside their search texts' words, which stay.
func TestOrderWordsFill(t *testing.T) {
	t.Parallel()
	onEachDatabase(t, func(t *testing.T, db *sql.DB, dialect string) {
		ctx := context.Background()
		migrateTo(t, db, dialect, 43)
		for i, order := range []string{"ORD_0001", "", "ord_0001"} {
			id := fmt.Sprintf("dsp_%04d", i+7)
			if _, err := db.ExecContext(ctx, rebind(dialect, `INSERT INTO disputes (id, type, status, amount, currency, revision,
				is_open, search, order_id, created_at, updated_at) VALUES (?, 'chargeback', 'won', 100, 'USD', 1, FALSE, ?, ?, 1, 1)`),
				id, id, order); err != nil {
				t.Fatal(err)
			}
			if _, err := db.ExecContext(ctx, rebind(dialect, "INSERT INTO dispute_words (word, dispute_id) VALUES (?, ?)"), fmt.Sprintf("%04d", i+7), id); err != nil {
				t.Fatal(err)
			}
		}
		if err := Up(ctx, db, dialect); err != nil {
			t.Fatal(err)
		}
		got := column(t, db, `SELECT word || ' ' || dispute_id FROM dispute_words ORDER BY word, dispute_id`)
		want := []string{"0001 dsp_0007", "0001 dsp_0009", "0007 dsp_0007", "0008 dsp_0008", "0009 dsp_0009"}
		if !slices.Equal(got, want) {
			t.Errorf("words after 00045: %q, want %q", got, want)
		}
	})
}
