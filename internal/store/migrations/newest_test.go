package migrations

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
)

// TestNewestIsWhereUpEnds: Newest, which a backup and a restore hold a database's version
// against, is the version Up brings a new database to, the migrations in Go counted.
func TestNewestIsWhereUpEnds(t *testing.T) {
	t.Parallel()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "new.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if err := Up(t.Context(), db, SQLite); err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(database.Dialect(SQLite), db, files, goose.WithDisableGlobalRegistry(true),
		goose.WithGoMigrations(inGo(SQLite)...))
	if err != nil {
		t.Fatal(err)
	}
	version, err := p.GetDBVersion(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if version != Newest() {
		t.Errorf("Up brings a database to version %d; Newest says %d", version, Newest())
	}
}
