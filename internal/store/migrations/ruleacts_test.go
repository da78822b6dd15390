package migrations

import (
	"context"
	"database/sql"
	"slices"
	"testing"
)

// TestRuleActsCarriedOver: 00049 counts each rule's runs already recorded whose outcome is
// done, and nothing for a rule whose runs were all skipped.
func TestRuleActsCarriedOver(t *testing.T) {
	t.Parallel()
	onEachDatabase(t, func(t *testing.T, db *sql.DB, dialect string) {
		ctx := context.Background()
		migrateTo(t, db, dialect, 48)
		for _, r := range []struct{ rule, dispute, outcome string }{
			{"rul_a", "dsp_1", "done"}, {"rul_a", "dsp_2", "done"}, {"rul_a", "dsp_3", "skipped"},
			{"rul_b", "dsp_1", "done"},
			{"rul_c", "dsp_2", "skipped"}, {"rul_c", "dsp_3", "failed"},
		} {
			if _, err := db.ExecContext(ctx, rebind(dialect, `INSERT INTO rule_runs (rule_id, dispute_id, action, outcome, at)
				VALUES (?, ?, 'tag', ?, 1)`), r.rule, r.dispute, r.outcome); err != nil {
				t.Fatal(err)
			}
		}
		if err := Up(ctx, db, dialect); err != nil {
			t.Fatal(err)
		}
		got := column(t, db, "SELECT rule_id || '=' || CAST(n AS TEXT) FROM rule_acts ORDER BY rule_id")
		if want := []string{"rul_a=2", "rul_b=1"}; !slices.Equal(got, want) {
			t.Errorf("rule_acts after 00049: %q, want %q", got, want)
		}
	})
}
