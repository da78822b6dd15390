package migrations

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/pressly/goose/v3"

	"disputed/internal/store/searchwords"
)

// disputeWords is migration 00042: dispute_words, the words of the disputes' search texts that
// hold a digit (package searchwords), each with its dispute, by which the q filter finds a case
// number, an ARN or an id by the start of a word in a B-tree where the trigram index reads the
// row lists of trigrams every dispute holds. The store writes a dispute's words with it; this
// fills them for the disputes written before. It is in Go because the words are split in Go
// (the one rule, which the store follows too), and because the table is written differently:
// PostgreSQL compares the words byte by byte (COLLATE "C"), as SQLite does, so that the range
// of the words that start with a text is the same on both; SQLite keeps the rows in their key's
// B-tree alone (WITHOUT ROWID).
func disputeWords(dialect string) *goose.Migration {
	create := map[string]string{
		SQLite: `CREATE TABLE dispute_words (
    word       TEXT NOT NULL,
    dispute_id TEXT NOT NULL REFERENCES disputes (id),
    PRIMARY KEY (word, dispute_id)
) WITHOUT ROWID`,
		Postgres: `CREATE TABLE dispute_words (
    word       TEXT COLLATE "C" NOT NULL,
    dispute_id TEXT NOT NULL REFERENCES disputes (id),
    PRIMARY KEY (word, dispute_id)
)`,
	}[dialect]
	up := func(ctx context.Context, tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, create); err != nil {
			return fmt.Errorf("create dispute_words: %w", err)
		}
		return fillDisputeWords(ctx, tx, "TRUE")
	}
	return goose.NewGoMigration(42, &goose.GoFunc{RunTx: up}, &goose.GoFunc{RunTx: run([]string{"DROP TABLE dispute_words"})})
}

// orderWords is migration 00045: dispute_words holds the words of each dispute's order id too
// (searchwords.OfDispute), so that the admin UI's search, which matches order ids, reads through
// them as the API's q does; this adds them for the disputes written before.
func orderWords() *goose.Migration {
	up := func(ctx context.Context, tx *sql.Tx) error {
		return fillDisputeWords(ctx, tx, "order_id <> ''")
	}
	down := run([]string{`DELETE FROM dispute_words WHERE NOT EXISTS (SELECT 1 FROM disputes d
    WHERE d.id = dispute_words.dispute_id AND d.search LIKE '%' || dispute_words.word || '%')`})
	return goose.NewGoMigration(45, &goose.GoFunc{RunTx: up}, &goose.GoFunc{RunTx: down})
}

// fillDisputeWords writes the words of the disputes that where (a term over disputes) holds, a
// page of disputes at a time in the order of their ids (a query's rows must be read before the
// next statement on PostgreSQL's connection). A word already held is left as it is.
func fillDisputeWords(ctx context.Context, tx *sql.Tx, where string) error {
	const perPage = 500
	after := ""
	for {
		rows, err := tx.QueryContext(ctx, `SELECT id, search, order_id FROM disputes WHERE id > $1 AND `+where+` ORDER BY id LIMIT $2`, after, perPage)
		if err != nil {
			return fmt.Errorf("read disputes: %w", err)
		}
		var words [][2]any // word, dispute
		n := 0
		for rows.Next() {
			var search, orderID string
			if err := rows.Scan(&after, &search, &orderID); err != nil {
				rows.Close()
				return fmt.Errorf("read disputes: %w", err)
			}
			n++
			for _, w := range searchwords.OfDispute(search, orderID) {
				words = append(words, [2]any{w, after})
			}
		}
		if err := rows.Close(); err != nil {
			return fmt.Errorf("read disputes: %w", err)
		}
		// Statements of at most 1,000 rows: a text's words are as many as it has.
		for part := range slices.Chunk(words, 1000) {
			values := make([]string, len(part))
			args := make([]any, 0, 2*len(part))
			for i, row := range part {
				values[i] = fmt.Sprintf("($%d, $%d)", 2*i+1, 2*i+2)
				args = append(args, row[0], row[1])
			}
			if _, err := tx.ExecContext(ctx, "INSERT INTO dispute_words (word, dispute_id) VALUES "+strings.Join(values, ", ")+" ON CONFLICT DO NOTHING", args...); err != nil {
				return fmt.Errorf("write the words of the disputes up to %s: %w", after, err)
			}
		}
		if n < perPage {
			return nil
		}
	}
}
