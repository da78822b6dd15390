package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"disputed/internal/app"
	"disputed/internal/httpapi"
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

// providerAdd configures a payment provider (replacing one of the same name). The webhook secret
// comes from standard input or from an environment variable, never from the command line, where
// other users of the machine could read it.
func providerAdd(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return fmt.Errorf("usage: disputed provider add --name NAME --type stripe|paypal|generic [--api-key K] [--api-base URL] [--webhook-id ID]")
	}
	fs := newFlagSet("provider add", stdout)
	name := fs.String("name", "", "the provider's name: its webhooks arrive at /v1/providers/NAME/webhook")
	typ := fs.String("type", "", "stripe, paypal or generic")
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
	a, st, err := openApp(ctx, *db, getenv)
	if err != nil {
		return err
	}
	defer st.Close()
	p, err := a.SaveProvider(ctx, app.ProviderParams{Name: *name, Type: *typ, WebhookSecret: secret, APIKey: *apiKey,
		APIBase: *apiBase, WebhookID: *webhookID})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "provider %s (%s): webhooks at /v1/providers/%s/webhook\n", p.Name, p.Type, p.Name)
	return nil
}

// openApp opens the database dsn names and the use cases on it, for a command that acts on its
// own, as the system; the caller closes the store.
func openApp(ctx context.Context, dsn string, getenv func(string) string) (*app.App, store.Store, error) {
	st, err := openStore(ctx, dsn, getenv, commandLog)
	if err != nil {
		return nil, nil, err
	}
	return app.New(st, app.Options{Presenter: httpapi.Presenter{Now: time.Now}}), st, nil
}
