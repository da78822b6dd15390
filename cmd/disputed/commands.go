package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"disputed/internal/access"
	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/server"
	"disputed/internal/store"
	"disputed/internal/store/postgres"
	"disputed/internal/store/sqlite"
)

// migrate brings the schema up to date and exits.
func migrate(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := newFlagSet("migrate", stdout)
	db := dbFlag(fs, getenv)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	// Migrating needs no secret key: a deploy job that migrates must not tie a new database to a
	// key it generated and nobody keeps.
	migrateSchema := sqlite.Migrate
	if isPostgres(*db) {
		migrateSchema = postgres.Migrate
	}
	if err := migrateSchema(ctx, *db); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "database is up to date:", redact(*db))
	return nil
}

const providerUsage = `usage:
  disputed provider add --name NAME --type TYPE [--api-key K] [--api-base URL] [--webhook-id ID] [--db …]
      (the webhook secret is read from standard input, or from --webhook-secret-env VAR)
      TYPE: `

// providerTypeNames lists the provider types this binary registers (server.ProviderTypes).
func providerTypeNames() string {
	var names []string
	for _, t := range server.ProviderTypes().Types() {
		names = append(names, t.Name)
	}
	return strings.Join(names, ", ")
}

// providerAdd configures a payment provider (replacing one of the same name). The webhook secret
// comes from standard input or from an environment variable, never from the command line, where
// other users of the machine could read it.
func providerAdd(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	if len(args) > 0 && isHelp(args[0]) {
		fmt.Fprintln(stdout, providerUsage+providerTypeNames())
		return nil
	}
	if len(args) == 0 || args[0] != "add" {
		return fmt.Errorf("%s", providerUsage+providerTypeNames())
	}
	fs := newFlagSet("provider add", stdout)
	name := fs.String("name", "", "the provider's name: its webhooks arrive at /v1/providers/NAME/webhook")
	typ := fs.String("type", "", "the provider's type, one of: "+providerTypeNames())
	secretEnv := fs.String("webhook-secret-env", "", "read the webhook secret from this environment variable instead of standard input")
	apiKey := fs.String("api-key", "", "pushes answers back: a Stripe secret key, or PayPal client_id:secret")
	apiBase := fs.String("api-base", "", "the provider's API address; empty for the live one")
	webhookID := fs.String("webhook-id", "", "PayPal: the webhook's id")
	db := dbFlag(fs, getenv)
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	secret := getenv(*secretEnv)
	if *secretEnv == "" {
		b, err := io.ReadAll(io.LimitReader(stdin, 4096))
		if err != nil {
			return fmt.Errorf("read the webhook secret: %w", err)
		}
		secret = strings.TrimSpace(string(b))
	}
	return withApp(ctx, *db, getenv, changing, func(a *app.App) error {
		p, err := a.SaveProvider(ctx, app.ProviderParams{Name: *name, Type: *typ, WebhookSecret: secret, APIKey: *apiKey,
			APIBase: *apiBase, WebhookID: *webhookID})
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "provider %s (%s): webhooks at /v1/providers/%s/webhook\n", p.Name, p.Type, p.Name)
		return nil
	})
}

// withApp runs fn, a command that acts on its own, as the system, on the use cases of the
// database dsn names (see withStore).
func withApp(ctx context.Context, dsn string, getenv func(string) string, how openMode, fn func(*app.App) error) error {
	return withStore(ctx, dsn, getenv, how, func(st store.Store) error {
		return fn(app.New(st, app.Options{Presenter: httpapi.Presenter{Now: time.Now}, Providers: server.ProviderTypes()}))
	})
}

// withAccess runs fn, a command that acts on its own, as the system, on the users and API keys
// of the database dsn names (see withStore).
func withAccess(ctx context.Context, dsn string, getenv func(string) string, how openMode, fn func(*access.Service) error) error {
	return withStore(ctx, dsn, getenv, how, func(st store.Store) error { return fn(access.New(st, access.Options{})) })
}

// withStore runs fn on the database dsn names: one that changes rows (how) on a database it may
// create, one that only reads on an existing one. A change refused leaves nothing behind: a
// SQLite database and key file that the opening created are removed again.
func withStore(ctx context.Context, dsn string, getenv func(string) string, how openMode, fn func(store.Store) error) error {
	// The files of a SQLite database that is not there yet. Of a database that is, nothing is
	// removed: a key generated now already sealed its key check, and the database needs it.
	var fresh []string
	if how == changing && !isPostgres(dsn) {
		if path, err := sqlitePath(dsn); err == nil {
			if _, err := os.Lstat(path); errors.Is(err, fs.ErrNotExist) {
				for _, f := range []string{path, path + "-wal", path + "-shm", path + ".key"} {
					if _, err := os.Lstat(f); errors.Is(err, fs.ErrNotExist) {
						fresh = append(fresh, f)
					}
				}
			}
		}
	}
	st, err := openStore(ctx, dsn, getenv, commandLog, how)
	if err != nil {
		return err
	}
	err = fn(st)
	err = errors.Join(err, st.Close())
	if err != nil {
		for _, f := range fresh {
			if rmErr := os.Remove(f); rmErr != nil && !errors.Is(rmErr, fs.ErrNotExist) {
				err = errors.Join(err, rmErr)
			}
		}
	}
	return err
}
