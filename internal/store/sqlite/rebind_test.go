package sqlite

import "testing"

func TestRebind(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"WHERE a = $1 AND b = $12", "WHERE a = ?1 AND b = ?12"},
		{"LIMIT $8 OFFSET $7", "LIMIT ?8 OFFSET ?7"},
		{"a = $1 OR b = $1", "a = ?1 OR b = ?1"},
		{"x LIKE $2 ESCAPE '\\'", "x LIKE ?2 ESCAPE '\\'"},
		{"SELECT '$1', \"$2\", $3", "SELECT '$1', \"$2\", ?3"},
		{"SELECT 'it''s $1', $2", "SELECT 'it''s $1', ?2"},
		{"-- name: X $1\nSELECT $1", "-- name: X $1\nSELECT ?1"},
		{"/* $1 */ $2", "/* $1 */ ?2"},
		{"SELECT $$, $a, $", "SELECT $$, $a, $"},
		{"SELECT 'open", "SELECT 'open"},
		{"-- only a comment", "-- only a comment"},
	}
	for _, tt := range tests {
		if got := rebind(tt.in); got != tt.want {
			t.Errorf("rebind(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
