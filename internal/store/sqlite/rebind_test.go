package sqlite

import "testing"

func TestRebind(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"SELECT 1", "SELECT 1"},
		{"WHERE a = $1 AND b = $2", "WHERE a = ? AND b = ?"},
		{"VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)", "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"},
		{"WHERE a = $1 AND b = $12", "WHERE a = ?1 AND b = ?12"},
		{"WHERE a = $2 AND b = $1", "WHERE a = ?2 AND b = ?1"},
		{"LIMIT $8 OFFSET $7", "LIMIT ?8 OFFSET ?7"},
		{"a = $1 OR b = $1", "a = ?1 OR b = ?1"},
		{"x LIKE $1 ESCAPE '\\'", "x LIKE ? ESCAPE '\\'"},
		{"SELECT '$1', \"$2\", $3", "SELECT '$1', \"$2\", ?3"},
		{"SELECT 'it''s $2', $1", "SELECT 'it''s $2', ?"},
		{"-- name: X $2\nSELECT $1", "-- name: X $2\nSELECT ?"},
		{"/* $1 */ $2", "/* $1 */ ?2"},
		{"SELECT $1, $01", "SELECT ?1, ?01"},
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
