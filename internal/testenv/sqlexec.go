package testenv

import (
	"database/sql"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// ExecSQL runs statements on the Env's database through a connection of its own, outside the
// store: what a test needs to make the database itself fail (a trigger that refuses a row), as
// a full disk or a broken constraint would. sqlite and postgres give each store's statements.
func (e *Env) ExecSQL(sqlite, postgres string) {
	e.T.Helper()
	var db *sql.DB
	q := sqlite
	switch e.Kind {
	case "sqlite":
		var err error
		if db, err = sql.Open("sqlite", e.Database); err != nil {
			e.T.Fatalf("testenv: open %s: %v", e.Database, err)
		}
	case "postgres":
		cfg, err := pgx.ParseConfig(e.Database)
		if err != nil {
			e.T.Fatalf("testenv: %v", err)
		}
		db, q = stdlib.OpenDB(*cfg), postgres
	}
	defer db.Close()
	if _, err := db.ExecContext(e.Ctx, q); err != nil {
		e.T.Fatalf("testenv: %s: %v", q, err)
	}
}
