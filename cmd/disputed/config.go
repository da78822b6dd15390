package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"disputed/internal/store"
	"disputed/internal/store/postgres"
	"disputed/internal/store/sqlite"
)

// Config is everything the server reads from flags and the environment.
type Config struct {
	Addr     string // --addr, DISPUTED_ADDR
	DB       string // --db, DISPUTED_DATABASE_URL: a SQLite file path or a postgres:// URL
	AdminKey string // DISPUTED_ADMIN_KEY: an admin key with exactly this secret exists
	LogLevel string // --log-level, DISPUTED_LOG_LEVEL: debug, info, warn, error
	// SMTPURL is where customer emails go (DISPUTED_SMTP_URL, smtp://user:pass@host:587); empty
	// means emails are recorded as not sent.
	SMTPURL string
	// AllowPrivate lets outgoing calls (panels, webhooks) reach loopback and private addresses
	// (DISPUTED_WEBHOOK_ALLOW_PRIVATE=1): for development and tests.
	AllowPrivate bool
	// StripeWebhookSecret configures a provider named "stripe" at start
	// (DISPUTED_STRIPE_WEBHOOK_SECRET), with DISPUTED_STRIPE_API_KEY to push answers back.
	StripeWebhookSecret string
	StripeAPIKey        string
	// PublicURL is where people reach the server (DISPUTED_PUBLIC_URL); https:// marks the
	// web UI's cookies Secure.
	PublicURL string
}

func envOr(getenv func(string) string, name, fallback string) string {
	if v := getenv(name); v != "" {
		return v
	}
	return fallback
}

// dbFlag adds --db to fs with its environment default.
func dbFlag(fs *flag.FlagSet, getenv func(string) string) *string {
	return fs.String("db", envOr(getenv, "DISPUTED_DATABASE_URL", "disputed.db"), "SQLite file, or postgres:// URL (env DISPUTED_DATABASE_URL)")
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// openStore opens (and migrates) the database dsn names.
func openStore(ctx context.Context, dsn string) (store.Store, error) {
	if isPostgres(dsn) {
		return postgres.Open(ctx, dsn)
	}
	return sqlite.Open(ctx, dsn)
}

func newFlagSet(name string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("disputed "+name, flag.ContinueOnError)
	fs.SetOutput(out)
	return fs
}

func noArgs(fs *flag.FlagSet) error {
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return nil
}
