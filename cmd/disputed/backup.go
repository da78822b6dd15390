package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"disputed/internal/bytesize"
	"disputed/internal/store"
	"disputed/internal/store/sqlite"
)

const backupUsage = `usage:
  disputed backup FILE [--force] [--db …]
      Writes a consistent copy of the SQLite database to FILE while the server runs and writes:
      the database as it was when the copy began, checked, then renamed into place. An existing
      FILE is replaced only with --force. On PostgreSQL it says how to use pg_dump instead.`

const restoreUsage = `usage:
  disputed restore FILE [--db …]
      Replaces the SQLite database with the backup FILE, checked first and migrated up to date
      (an older backup works). Stop the server first: a database in use is refused. FILE itself
      never changes. On PostgreSQL it says how to use pg_restore instead.`

// backup writes a copy of the SQLite database to a file, while a server may be writing.
func backup(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintln(stdout, backupUsage)
		return nil
	}
	fs := newFlagSet("backup", stdout)
	force := fs.Bool("force", false, "replace FILE if it exists")
	db := dbFlag(fs, getenv)
	file, err := fileArgument(fs, args, backupUsage)
	if err != nil {
		return err
	}
	if isPostgres(*db) {
		return postgresBackupAdvice("backup", file, *db)
	}
	if err := sqliteExists(*db); err != nil {
		return err
	}
	path, err := sqlitePath(*db)
	if err != nil {
		return err
	}
	dest, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	if same, err := sameFile(path, dest); err != nil {
		return err
	} else if same {
		return fmt.Errorf("%s is the database itself: back it up to another file", dest)
	}
	if info, err := os.Stat(dest); err == nil && info.IsDir() {
		return fmt.Errorf("%s is a folder: name the backup's file", dest)
	} else if err == nil && !*force {
		return fmt.Errorf("%s exists: name another file, or add --force to replace it", dest)
	}
	start := time.Now()
	sum, err := sqlite.Backup(ctx, path, dest)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stdout, "backed up %s to %s: %s, schema version %d, %d disputes, %d provider events, in %v\n",
		path, dest, bytesize.Format(sum.Bytes), sum.Version, sum.Disputes, sum.ProviderEvents, time.Since(start).Round(time.Millisecond))
	return nil
}

// restore replaces the SQLite database with a backup, migrated up to date.
func restore(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintln(stdout, restoreUsage)
		return nil
	}
	fs := newFlagSet("restore", stdout)
	db := dbFlag(fs, getenv)
	file, err := fileArgument(fs, args, restoreUsage)
	if err != nil {
		return err
	}
	if isPostgres(*db) {
		return postgresBackupAdvice("restore", file, *db)
	}
	path, err := sqlitePath(*db)
	if err != nil {
		return err
	}
	from, err := filepath.Abs(file)
	if err != nil {
		return err
	}
	if same, err := sameFile(path, from); err != nil {
		return err
	} else if same {
		return fmt.Errorf("%s is the database itself: restore another file", from)
	}
	keys, err := restoreKeys(*db, getenv)
	if err != nil {
		return err
	}
	start := time.Now()
	r, err := sqlite.Restore(ctx, from, path, keys.ring)
	switch {
	case errors.Is(err, sqlite.ErrInUse):
		return fmt.Errorf("%s is in use by a running server: stop every server on it, then restore again (nothing was changed)", path)
	case errors.Is(err, store.ErrSecretKey):
		return fmt.Errorf("restore: %w\nthe backup's secrets were sealed under another key than the one from %s: restore it with that key in %s (nothing was changed)", err, keys.source, secretKeyEnv)
	case err != nil:
		return fmt.Errorf("restore: %w (nothing was changed)", err)
	}
	migrated := ""
	if r.FromVersion != r.Version {
		migrated = fmt.Sprintf(" (migrated from the backup's %d)", r.FromVersion)
	}
	fmt.Fprintf(stdout, "restored %s to %s: %s, schema version %d%s, %d disputes, %d provider events, in %v\n",
		from, path, bytesize.Format(r.Bytes), r.Version, migrated, r.Disputes, r.ProviderEvents, time.Since(start).Round(time.Millisecond))
	if keys.ring == nil {
		fmt.Fprintf(stdout, "no secret key for it yet: before starting the server, put the key file the backup's database had at %s.key, or set %s to its key\n",
			path, secretKeyEnv)
	}
	return nil
}

// restoreKeys are the keys the server on the database dsn names will open the restored
// secrets with: DISPUTED_SECRET_KEY, or else the database's key file. When neither is there
// (a restore into a new folder), the ring is nil: the key goes there before the server starts.
func restoreKeys(dsn string, getenv func(string) string) (secretKeys, error) {
	if getenv(secretKeyEnv) == "" {
		path, err := keyFile(dsn)
		if err != nil {
			return secretKeys{}, err
		}
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return secretKeys{}, nil
		}
	}
	return readSecretKeys(dsn, getenv, commandLog, false)
}

// postgresBackupAdvice is the answer of backup and restore on PostgreSQL: its own tools do both,
// and better (a consistent dump while the servers run, restored in parallel).
func postgresBackupAdvice(command, file, dsn string) error {
	return fmt.Errorf(`%s works on SQLite only; on PostgreSQL use its own tools, with URL the database's URL (here %s):
  back up, while the servers run (pg_dump takes a consistent snapshot):
    pg_dump --format=custom --file=%s "$URL"
  restore, with every server stopped (it replaces what the database holds):
    pg_restore --clean --if-exists --dbname="$URL" %s
  then start the servers, which migrate a backup made by an older version`, command, redact(dsn), file, file)
}

// fileArgument parses args, the one FILE argument among flags (before or after them), into fs.
func fileArgument(fs *flag.FlagSet, args []string, usage string) (string, error) {
	if err := fs.Parse(args); err != nil {
		return "", err
	}
	if fs.NArg() == 0 {
		return "", fmt.Errorf("%s", usage)
	}
	file := fs.Arg(0)
	if err := parseFlags(fs, fs.Args()[1:]); err != nil {
		return "", err
	}
	if file == "" {
		return "", fmt.Errorf("%s", usage)
	}
	return file, nil
}

// sameFile reports whether a and b name one file; a file that is not there is no other's.
func sameFile(a, b string) (bool, error) {
	ia, err := os.Stat(a)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	ib, err := os.Stat(b)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	} else if err != nil {
		return false, err
	}
	return os.SameFile(ia, ib), nil
}
