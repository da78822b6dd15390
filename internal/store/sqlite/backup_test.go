package sqlite

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pressly/goose/v3"

	"disputed/internal/store/migrations"
	"disputed/internal/store/sqlitetest"
)

// TestBackupLeavesTheWriterFree copies a database of some 24 MiB while another connection
// writes to it with a busy timeout of 0, as a server's writer would: a writer that VACUUM INTO
// blocked even once would fail with SQLITE_BUSY at once. In WAL mode it never is, and the copy
// is whole, at the current schema version, and as the database was at one moment.
func TestBackupLeavesTheWriterFree(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dir := t.TempDir()
	path := filepath.Join(dir, "disputed.db")
	write, err := OpenWriter(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer write.Close()
	if _, err := write.ExecContext(ctx, `CREATE TABLE filler (n INTEGER PRIMARY KEY, data BLOB);
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)
		INSERT INTO filler SELECT i, randomblob(4000) FROM n`); err != nil {
		t.Fatal(err)
	}
	writer, err := openPool(path, "_pragma=busy_timeout(0)&_txlock=immediate", 1)
	if err != nil {
		t.Fatal(err)
	}
	defer writer.Close()

	done := make(chan struct{})
	type result struct {
		commits int
		err     error
	}
	wrote := make(chan result)
	go func() {
		var r result
		for {
			select {
			case <-done:
				wrote <- r
				return
			default:
			}
			if _, r.err = writer.ExecContext(ctx, "INSERT INTO filler (data) VALUES (randomblob(100))"); r.err != nil {
				wrote <- r
				return
			}
			r.commits++
		}
	}()
	time.Sleep(20 * time.Millisecond) // the writer is writing
	dest := filepath.Join(dir, "backup.db")
	start := time.Now()
	sum, err := Backup(ctx, path, dest)
	took := time.Since(start)
	close(done)
	r := <-wrote
	if err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if r.err != nil {
		t.Fatalf("the writer was blocked after %d commits: %v", r.commits, r.err)
	}
	var total int
	if err := writer.QueryRowContext(ctx, "SELECT count(*) FROM filler").Scan(&total); err != nil {
		t.Fatal(err)
	}
	copied := count(t, dest, "SELECT count(*) FROM filler")
	t.Logf("backup of %d MiB in %v; %d commits while it ran; %d of the %d rows copied", sum.Bytes>>20, took, r.commits, copied, total)
	if copied < 6000 || copied >= total {
		t.Errorf("the copy holds %d rows, want the 6000 written before the backup and not all %d: not one moment's database", copied, total)
	}
	if sum.Version != migrations.Newest() || sum.Bytes < 20<<20 {
		t.Errorf("summary %+v, want schema version %d and 20 MiB or more", sum, migrations.Newest())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 4 { // the database, its WAL and shared memory, the copy
		t.Errorf("the folder holds %v, want no file left beside the copy", names(entries))
	}
}

// TestRestoreFoldsAStaleWAL restores over a database whose server was killed, which left its
// WAL and shared memory: they go, and the restored database is the backup's, not the backup's
// with the old WAL applied, with the database's permissions.
func TestRestoreFoldsAStaleWAL(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dir := t.TempDir()
	backup := filepath.Join(dir, "backup.db")
	if err := Migrate(ctx, backup); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "disputed.db")
	write, err := OpenWriter(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := write.ExecContext(ctx, "PRAGMA wal_autocheckpoint = 0; CREATE TABLE after_the_backup (x)"); err != nil {
		t.Fatal(err)
	}
	// A killed server's files: the WAL holds the commit, which the database file does not.
	stale := map[string][]byte{}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		if stale[f], err = os.ReadFile(f); err != nil {
			t.Fatal(err)
		}
	}
	write.Close()
	for f, b := range stale {
		if err := os.WriteFile(f, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	if err := os.Chmod(path, 0o640); err != nil {
		t.Fatal(err)
	}

	r, err := Restore(ctx, backup, path, nil)
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if info, err := os.Stat(path); err != nil {
		t.Fatal(err)
	} else if info.Mode().Perm() != 0o640 {
		t.Errorf("the restored database's permissions are %v, want the database's 0640", info.Mode().Perm())
	}
	if r.FromVersion != migrations.Newest() || r.Version != migrations.Newest() {
		t.Errorf("restored %+v, want schema version %d", r, migrations.Newest())
	}
	if n := count(t, path, "SELECT count(*) FROM sqlite_schema WHERE name = 'after_the_backup'"); n != 0 {
		t.Error("the old database's WAL was applied to the restored one")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 2 {
		t.Errorf("the folder holds %v, want the backup and the database alone", names(entries))
	}
}

// TestRestoreMigratesAnOlderBackup restores a backup made before the inbox (schema version 36)
// with this binary: the restored database is migrated to the newest version and keeps the
// backup's rows, the provider event given its inbox id by migration 00038.
func TestRestoreMigratesAnOlderBackup(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dir := t.TempDir()
	old := filepath.Join(dir, "backup-v36.db")
	db, err := openPool(old, common, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// The migration files as an older binary embedded them, up to 36.
	p, err := goose.NewProvider(goose.DialectSQLite3, db, os.DirFS("../migrations"), goose.WithDisableGlobalRegistry(true))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, 36); err != nil {
		t.Fatal(err)
	}
	if _, err := db.ExecContext(ctx, `INSERT INTO provider_events (provider, event_id, type, received_at, applied, payload)
		VALUES ('stripe', 'evt_old', 'charge.dispute.created', 1700000000000, TRUE, '{}')`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	path := filepath.Join(dir, "disputed.db")
	r, err := Restore(ctx, old, path, nil)
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if r.FromVersion != 36 || r.Version != migrations.Newest() || r.ProviderEvents != 1 {
		t.Errorf("restored %+v, want from 36 to %d with its 1 provider event", r, migrations.Newest())
	}
	if n := count(t, path, "SELECT count(*) FROM provider_events WHERE event_id = 'evt_old' AND id LIKE 'pev_%'"); n != 1 {
		t.Error("the backup's provider event was not migrated into the inbox")
	}
}

// TestCheckRefuses: Check takes a disputed database and nothing else.
func TestCheckRefuses(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	dir := t.TempDir()
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte("not a database, but long enough to look like a header, and more text"), 0o644); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(dir, "other.db")
	execOn(t, other, "CREATE TABLE notes (x)")
	newer := filepath.Join(dir, "newer.db")
	if err := Migrate(ctx, newer); err != nil {
		t.Fatal(err)
	}
	execOn(t, newer, "INSERT INTO goose_db_version (version_id, is_applied) VALUES (99999, 1)")
	damaged := filepath.Join(dir, "damaged.db")
	if err := Migrate(ctx, damaged); err != nil {
		t.Fatal(err)
	}
	sqlitetest.Damage(t, damaged)
	for path, want := range map[string]string{garbage: "not a SQLite database", other: "no schema version",
		newer: "newer than this binary's", damaged: "damaged"} {
		_, err := Check(ctx, path)
		if !errors.Is(err, ErrNotDisputed) || !contains(err, want) {
			t.Errorf("%s: %v, want %q", filepath.Base(path), err, want)
		}
	}
}

func execOn(t *testing.T, path, query string) {
	t.Helper()
	db, err := openPool(path, common, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(context.Background(), query); err != nil {
		t.Fatal(err)
	}
}

func count(t *testing.T, path, query string) int {
	t.Helper()
	db, err := openPool(path, readParams, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRowContext(context.Background(), query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func names(entries []os.DirEntry) []string {
	var out []string
	for _, e := range entries {
		out = append(out, e.Name())
	}
	return out
}

func contains(err error, s string) bool { return err != nil && strings.Contains(err.Error(), s) }
