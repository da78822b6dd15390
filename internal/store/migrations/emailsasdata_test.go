package migrations

import (
	"context"
	"database/sql"
	"slices"
	"testing"
)

// TestEmailsKeepTheirText: after 00050 an email written before it keeps its subject and body,
// at template version 0, which says they hold its text.
func TestEmailsKeepTheirText(t *testing.T) {
	t.Parallel()
	onEachDatabase(t, func(t *testing.T, db *sql.DB, dialect string) {
		ctx := context.Background()
		migrateTo(t, db, dialect, 49)
		if _, err := db.ExecContext(ctx, rebind(dialect, `INSERT INTO emails (id, template, subject, body, state, created_at, updated_at)
			VALUES (?, 'dispute_opened', 'Your order ord_1', ?, 'sent', 1, 1)`), "eml_1", "Hello,\n"); err != nil {
			t.Fatal(err)
		}
		if err := Up(ctx, db, dialect); err != nil {
			t.Fatal(err)
		}
		got := column(t, db, "SELECT subject || '|' || body || '|' || CAST(template_version AS TEXT) || '|' || data FROM emails")
		if want := []string{"Your order ord_1|Hello,\n|0|"}; !slices.Equal(got, want) {
			t.Errorf("the email after 00050: %q, want %q", got, want)
		}
	})
}
