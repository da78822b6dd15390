package main

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"disputed/internal/secretbox"
)

// secretKeyEnv holds the keys that seal the secrets kept in the database: the standard base64
// of 32 bytes, or a comma-separated list while rotating (the first seals, all open).
const secretKeyEnv = "DISPUTED_SECRET_KEY"

// secretKeys is where the keys come from, for the server and every command that opens the
// database.
type secretKeys struct {
	ring *secretbox.Ring
	// source says where they came from, for an error about them.
	source string
	// generated is the key file made now, "" when none was: a database that refuses the new
	// key (its secrets were sealed under another one) must not leave it behind.
	generated string
}

// readSecretKeys reads DISPUTED_SECRET_KEY, or else the key file of the database's data folder,
// which it generates, readable by this user only, when there is none: beside a SQLite database
// (its path with ".key" added), or for PostgreSQL disputed.key in the working directory. Every
// server sharing a PostgreSQL database needs the same key: the generated one is for a first start
// on one machine, and the log says to move it to the variable; the key check in the database
// refuses a server that generated another. Without generate, a missing key file is an error.
func readSecretKeys(dsn string, getenv func(string) string, log *slog.Logger, generate bool) (secretKeys, error) {
	if v := getenv(secretKeyEnv); v != "" {
		ring, err := secretbox.Parse(v)
		if err != nil {
			return secretKeys{}, fmt.Errorf("%s: %w", secretKeyEnv, err)
		}
		return secretKeys{ring: ring, source: secretKeyEnv}, nil
	}
	path, err := keyFile(dsn)
	if err != nil {
		return secretKeys{}, err
	}
	keys := secretKeys{source: "the key file " + path}
	text, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !generate {
		return secretKeys{}, fmt.Errorf("no secret key: %s does not exist and %s is not set; the server makes the key file on its first start (disputed serve)", path, secretKeyEnv)
	}
	if errors.Is(err, fs.ErrNotExist) {
		var created bool
		if text, created, err = generateKeyFile(path); created {
			keys.generated = path
		}
	}
	if err != nil {
		return secretKeys{}, fmt.Errorf("secret key: %w", err)
	}
	if keys.ring, err = secretbox.Parse(strings.TrimSpace(string(text))); err != nil {
		return secretKeys{}, fmt.Errorf("%s: %w", path, err)
	}
	if keys.generated != "" {
		log.Warn("generated the key that seals the secrets kept in the database; keep it apart from the database's backups, or move it to "+
			secretKeyEnv+" (every server sharing a PostgreSQL database needs it)", "file", path, "key", keys.ring.SealingKey())
	}
	return keys, nil
}

// postgresKeyFile is the key file of a PostgreSQL database, in the working directory.
const postgresKeyFile = "disputed.key"

// keyFile is the key file of the database dsn names: a SQLite database's path with ".key" added,
// or postgresKeyFile, made absolute so that the log names it wherever it is read.
func keyFile(dsn string) (string, error) {
	if isPostgres(dsn) {
		return filepath.Abs(postgresKeyFile)
	}
	path, err := sqlitePath(dsn)
	if err != nil {
		return "", fmt.Errorf("secret key: %w: set %s", err, secretKeyEnv)
	}
	return path + ".key", nil
}

// sqlitePath is the absolute path of the SQLite database dsn names, a path or a file: URI.
func sqlitePath(dsn string) (string, error) {
	path, isURI := strings.CutPrefix(dsn, "file:")
	if isURI {
		var err error
		path, _, _ = strings.Cut(path, "?")
		if path, err = url.PathUnescape(path); err != nil || path == "" {
			return "", fmt.Errorf("no file path in %q", dsn)
		}
	}
	return filepath.Abs(path)
}

// generateKeyFile writes a new key to path and reports it created, unless another process just
// did: then it reads that one.
func generateKeyFile(path string) ([]byte, bool, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		text, err := os.ReadFile(path)
		return text, false, err
	}
	if err != nil {
		return nil, false, err
	}
	text := []byte(secretbox.NewKey() + "\n")
	_, err = f.Write(text)
	if err = errors.Join(err, f.Sync(), f.Close()); err != nil {
		return nil, false, errors.Join(err, os.Remove(path))
	}
	return text, true, nil
}
