// Package sqlitetest gives tests SQLite databases that start from a template prepared once per
// test binary (migrated, say): each test gets a copy of the template's file, which costs a
// fraction of running the preparation again for every test. It is pgtest.Template's SQLite
// counterpart.
package sqlitetest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" driver, to write the template's image
)

// Template is an SQLite database prepared once and copied for each test. Declare one per
// preparation, as a package variable of the tests.
type Template struct {
	prepare func(ctx context.Context, path string) error

	once  sync.Once
	image []byte // the prepared database, one self-contained file
	err   error  // why it could not be prepared
}

// NewTemplate returns the template that prepare makes from a database file that does not exist
// yet (path names it) on the first call to its Database.
func NewTemplate(prepare func(ctx context.Context, path string) error) *Template {
	return &Template{prepare: prepare}
}

// Database returns the path of a new database file, disputed.db in the test's own temporary
// folder (the server's default name), holding a copy of the template.
func (tp *Template) Database(t testing.TB) string {
	t.Helper()
	tp.once.Do(func() { tp.image, tp.err = makeImage(tp.prepare) })
	if tp.err != nil {
		t.Fatalf("%v", tp.err)
	}
	path := filepath.Join(t.TempDir(), "disputed.db")
	if err := os.WriteFile(path, tp.image, 0o600); err != nil {
		t.Fatalf("sqlitetest: %v", err)
	}
	return path
}

// makeImage prepares a database in a folder of its own and returns its content as one file. A
// WAL database's latest pages may still be in its -wal file, so the image is written by VACUUM
// INTO, which gives a consistent, self-contained copy whatever the journal mode.
func makeImage(prepare func(ctx context.Context, path string) error) (image []byte, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	dir, err := os.MkdirTemp("", "sqlitetest-")
	if err != nil {
		return nil, fmt.Errorf("sqlitetest: %w", err)
	}
	defer func() { err = errors.Join(err, os.RemoveAll(dir)) }()
	prepared, imageFile := filepath.Join(dir, "template.db"), filepath.Join(dir, "image.db")
	if err := prepare(ctx, prepared); err != nil {
		return nil, fmt.Errorf("sqlitetest: preparing the template database: %w", err)
	}
	db, err := sql.Open("sqlite", prepared)
	if err != nil {
		return nil, fmt.Errorf("sqlitetest: %w", err)
	}
	_, err = db.ExecContext(ctx, "VACUUM INTO ?", imageFile)
	if err = errors.Join(err, db.Close()); err != nil {
		return nil, fmt.Errorf("sqlitetest: copying the template database: %w", err)
	}
	return os.ReadFile(imageFile)
}
