package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"disputed/internal/secretbox"
	"disputed/internal/store/migrations"
	"disputed/internal/store/sqlstore"
)

// Backups and restores of a database file. A file appears under its final name only whole,
// synced and checked: it is written under a temporary name beside it and then renamed, which is
// atomic, so that a crash or a failed check leaves the old file (or none) and never half a copy.

// Summary describes a database file, as the backup and restore commands report it.
type Summary struct {
	Bytes          int64
	Version        int64 // the schema version: the newest migration goose recorded
	Disputes       int64
	ProviderEvents int64
}

// ErrInUse means that another connection, a running server's, holds the database open.
var ErrInUse = errors.New("the database is in use")

// ErrNotDisputed means that a file is not a database of disputed's, or not one this binary can
// run: not SQLite, damaged, without goose's version table, or at a newer schema version.
var ErrNotDisputed = errors.New("not a disputed database this binary can run")

// Backup copies the database at path, which a server may be using, to dest, replacing a file
// there (the caller decides whether one may be). VACUUM INTO reads the database in one read
// transaction, so the copy is the database as one moment saw it. In WAL mode a reader does not
// block the writer: the server goes on committing while the copy is written (the checkpoints
// wait for the copy to finish, so the WAL grows meanwhile).
func Backup(ctx context.Context, path, dest string) (Summary, error) {
	// Not the read pool's query_only, which refuses VACUUM INTO though it writes another file.
	src, err := openPool(path, common, 1)
	if err != nil {
		return Summary{}, fmt.Errorf("sqlite: %w", err)
	}
	defer src.Close()
	var sum Summary
	err = writeBeside(dest, func(tmp string) error {
		if _, err := src.ExecContext(ctx, "VACUUM INTO ?", tmp); err != nil {
			return fmt.Errorf("copy %s: %w", path, err)
		}
		if err := syncFile(tmp); err != nil {
			return err
		}
		if sum, err = Summarize(ctx, tmp); err != nil {
			return fmt.Errorf("the copy of %s: %w", path, err)
		}
		return nil
	})
	return sum, err
}

// Restored is what Restore put in place: the backup's schema version, and the database after
// its migrations.
type Restored struct {
	FromVersion int64
	Summary
}

// Restore replaces the database at path with the backup at from, migrated up to date. It
// refuses (ErrInUse) while another connection holds the database at path open, a running
// server's. The backup is copied, and the copy checked and migrated, beside path, so that
// the backup never changes, and the database at path keeps what it holds when anything fails. With keys, the copy
// must open with them: the server that will run on path reads the copy's secrets with them.
func Restore(ctx context.Context, from, path string, keys *secretbox.Ring) (Restored, error) {
	// First a cheap refusal, before copying what may be gigabytes.
	if err := release(ctx, path); err != nil {
		return Restored{}, err
	}
	var r Restored
	err := writeBeside(path, func(tmp string) error {
		if err := copyFile(from, tmp); err != nil {
			return err
		}
		var err error
		if r.FromVersion, err = Check(ctx, tmp); err != nil {
			return fmt.Errorf("%s: %w", from, err)
		}
		if keys == nil {
			err = Migrate(ctx, tmp)
		} else {
			var st *sqlstore.Store // opening migrates, and checks the keys
			if st, err = Open(ctx, tmp, keys); err == nil {
				err = st.Close()
			}
		}
		if err != nil {
			return fmt.Errorf("migrating the copy of %s: %w", from, err)
		}
		// The copy leaves WAL mode, which folds its WAL in: it is one file, whole, to rename.
		if err := release(ctx, tmp); err != nil {
			return err
		}
		if err := syncFile(tmp); err != nil {
			return err
		}
		if r.Summary, err = Summarize(ctx, tmp); err != nil {
			return err
		}
		// The temporary file is readable by its owner only; the database keeps its permissions
		// (a group the server reads it through, say).
		if info, err := os.Stat(path); err == nil {
			if err := os.Chmod(tmp, info.Mode().Perm()); err != nil {
				return err
			}
		}
		// Again at the last moment: a server may have started on path while the copy was made.
		// Its WAL and shared memory go too: left beside the new file, SQLite would apply the old
		// database's WAL to it.
		return release(ctx, path)
	})
	return r, err
}

// release makes sure that no other connection holds the database at path, and leaves it one
// file: it takes the database out of WAL mode, which SQLite allows only to the one connection
// that has it open (the busy timeout is 0: held, it fails at once), folds a WAL left by a
// server that was killed into the database, and removes the WAL and the shared memory. Left
// over without a database, they are removed.
func release(ctx context.Context, path string) error {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return errors.Join(removeIfThere(path+"-wal"), removeIfThere(path+"-shm"))
	} else if err != nil {
		return err
	}
	db, err := openPool(path, "_pragma=busy_timeout(0)", 1)
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	defer db.Close()
	var mode string
	err = db.QueryRowContext(ctx, "PRAGMA journal_mode=DELETE").Scan(&mode)
	switch {
	case code(err) == sqlite3.SQLITE_BUSY || code(err) == sqlite3.SQLITE_LOCKED:
		return fmt.Errorf("%s: %w", path, ErrInUse)
	case code(err) == sqlite3.SQLITE_NOTADB || code(err) == sqlite3.SQLITE_CORRUPT:
		return fmt.Errorf("%s is damaged (%v): whether a server holds it cannot be told; stop the servers, move it away with its -wal and -shm files, and try again", path, err)
	case err != nil:
		return fmt.Errorf("%s: %w", path, err)
	case mode != "delete":
		return fmt.Errorf("%s stayed in journal mode %s", path, mode)
	}
	return nil
}

// Check checks that the database file at path is whole (PRAGMA integrity_check) and a
// disputed database at a schema version this binary's migrations reach or migrate from, and
// returns that version.
func Check(ctx context.Context, path string) (int64, error) {
	db, err := openPool(path, readParams, 1)
	if err != nil {
		return 0, fmt.Errorf("sqlite: %w", err)
	}
	defer db.Close()
	return check(ctx, db)
}

func check(ctx context.Context, db *sql.DB) (int64, error) {
	rows, err := db.QueryContext(ctx, "PRAGMA integrity_check(20)")
	if code(err) == sqlite3.SQLITE_NOTADB {
		return 0, fmt.Errorf("%w: the file is not a SQLite database", ErrNotDisputed)
	}
	if err != nil {
		return 0, fmt.Errorf("%w: it is damaged: %v", ErrNotDisputed, err)
	}
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return 0, err
		}
		problems = append(problems, strings.ReplaceAll(line, "\n", "; "))
	}
	if err := rows.Close(); err != nil {
		return 0, fmt.Errorf("%w: it is damaged: %v", ErrNotDisputed, err)
	}
	if len(problems) != 1 || problems[0] != "ok" {
		return 0, fmt.Errorf("%w: it is damaged: PRAGMA integrity_check says %s", ErrNotDisputed, strings.Join(problems, "; "))
	}
	var tables int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'goose_db_version'").Scan(&tables); err != nil {
		return 0, err
	}
	if tables == 0 {
		return 0, fmt.Errorf("%w: it has no schema version (goose_db_version): a SQLite database, not a disputed one", ErrNotDisputed)
	}
	var version sql.NullInt64
	if err := db.QueryRowContext(ctx, "SELECT max(version_id) FROM goose_db_version").Scan(&version); err != nil {
		return 0, err
	}
	if !version.Valid || version.Int64 < 1 {
		return 0, fmt.Errorf("%w: no migration was ever applied to it", ErrNotDisputed)
	}
	if newest := migrations.Newest(); version.Int64 > newest {
		return 0, fmt.Errorf("%w: its schema version %d is newer than this binary's (%d); a newer disputed made it, and only a newer one can run it", ErrNotDisputed, version.Int64, newest)
	}
	return version.Int64, nil
}

// Summarize checks the database file at path (see Check) and counts what it holds.
func Summarize(ctx context.Context, path string) (Summary, error) {
	info, err := os.Stat(path)
	if err != nil {
		return Summary{}, err
	}
	db, err := openPool(path, readParams, 1)
	if err != nil {
		return Summary{}, fmt.Errorf("sqlite: %w", err)
	}
	defer db.Close()
	s := Summary{Bytes: info.Size()}
	if s.Version, err = check(ctx, db); err != nil {
		return Summary{}, err
	}
	err = db.QueryRowContext(ctx, "SELECT (SELECT count(*) FROM disputes), (SELECT count(*) FROM provider_events)").
		Scan(&s.Disputes, &s.ProviderEvents)
	return s, err
}

// writeBeside has write fill a new file beside dest and renames it to dest once write
// succeeded; on failure the file is removed and dest is left as it was. The directory is synced
// after the rename, which makes the rename itself survive a power cut.
func writeBeside(dest string, write func(tmp string) error) error {
	dir := filepath.Dir(dest)
	// An empty file of a name of its own: VACUUM INTO writes into an empty file, and two
	// commands writing beside the same dest do not meet.
	f, err := os.CreateTemp(dir, "."+filepath.Base(dest)+".*.partial")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if err := f.Close(); err != nil {
		return errors.Join(err, os.Remove(tmp))
	}
	if err := write(tmp); err != nil {
		return errors.Join(err, removeIfThere(tmp), removeIfThere(tmp+"-wal"), removeIfThere(tmp+"-shm"))
	}
	if err := os.Rename(tmp, dest); err != nil {
		return errors.Join(err, os.Remove(tmp))
	}
	return syncFile(dir)
}

// copyFile copies the file at from to the existing file to.
func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	if info, err := in.Stat(); err != nil {
		return err
	} else if !info.Mode().IsRegular() {
		return fmt.Errorf("%s is not a file", from)
	}
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	return errors.Join(err, out.Close())
}

// syncFile flushes the file or directory at path to the disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	return errors.Join(f.Sync(), f.Close())
}

func removeIfThere(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	return nil
}

// code is the primary result code of a SQLite error, 0 for another error or none.
func code(err error) int {
	var e *sqlite.Error
	if !errors.As(err, &e) {
		return 0
	}
	return e.Code() & 0xff
}
