package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"disputed/internal/httpapi"
	"disputed/internal/outbound"
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
	// CPUProfile is a file to write the server's CPU profile to until it stops
	// (DISPUTED_CPU_PROFILE), for the benchmarks.
	CPUProfile string
	// SMTPURL is where customer emails go (DISPUTED_SMTP_URL, smtp://user:pass@host:587); empty
	// means emails are recorded as not sent.
	SMTPURL string
	// Outbound says which non-public addresses outgoing calls (panels, webhooks, provider APIs)
	// may reach (DISPUTED_WEBHOOK_ALLOW_PRIVATE: 1 for private and loopback ones, or a list of
	// prefixes): for a panel on the merchant's network, development and tests.
	Outbound outbound.Policy
	// StripeWebhookSecret configures a provider named "stripe" at start
	// (DISPUTED_STRIPE_WEBHOOK_SECRET), with DISPUTED_STRIPE_API_KEY to push answers back.
	StripeWebhookSecret string
	StripeAPIKey        string
	// PublicURL is where people reach the server (DISPUTED_PUBLIC_URL); https:// marks the
	// web UI's cookies Secure and makes every answer ask browsers for https only (HSTS).
	PublicURL string
	// AccessLog writes a line per request at info (DISPUTED_ACCESS_LOG, on by default).
	AccessLog bool
	Limits    Limits
}

// HTTPS reports whether people reach the server over https only (behind a proxy that ends TLS).
func (c Config) HTTPS() bool { return strings.HasPrefix(c.PublicURL, "https://") }

// Limits protect the server from clients that send too much, too often or too slowly. The rate
// limits count in each server process: n instances sharing one database allow n times as much.
type Limits struct {
	// KeyRate limits the requests of each API key (DISPUTED_RATE_LIMIT); AddressRate, per client
	// address, the requests that no valid key pays for (DISPUTED_IP_RATE_LIMIT).
	KeyRate, AddressRate httpapi.RateLimit
	// The HTTP server's timeouts (DISPUTED_READ_HEADER_TIMEOUT, DISPUTED_READ_TIMEOUT,
	// DISPUTED_WRITE_TIMEOUT, DISPUTED_IDLE_TIMEOUT).
	ReadHeaderTimeout, ReadTimeout, WriteTimeout, IdleTimeout time.Duration
	// MaxConnections is how many connections are open at once (DISPUTED_MAX_CONNECTIONS); a new
	// one takes the place of the idlest kept-alive connection, or waits until one closes or goes
	// idle.
	MaxConnections int
}

// readLimits reads the Limits from the environment, with their defaults.
func readLimits(getenv func(string) string) (Limits, error) {
	var l Limits
	var err error
	// Generous: a busy integration, the tests and the acceptance scripts stay far below them.
	l.KeyRate = rateLimitEnv(getenv, "DISPUTED_RATE_LIMIT", &err)
	l.AddressRate = rateLimitEnv(getenv, "DISPUTED_IP_RATE_LIMIT", &err)
	// Headers come at once; a body, up to an 11 MiB evidence upload, may take a while on a slow
	// line; the write deadline runs from the end of the headers, so it covers reading the body too.
	l.ReadHeaderTimeout = durationEnv(getenv, "DISPUTED_READ_HEADER_TIMEOUT", &err)
	l.ReadTimeout = durationEnv(getenv, "DISPUTED_READ_TIMEOUT", &err)
	l.WriteTimeout = durationEnv(getenv, "DISPUTED_WRITE_TIMEOUT", &err)
	// A kept-alive connection is closed after 30 s without a request, or sooner when it is the
	// idlest one and a new connection needs its place (limitListener).
	l.IdleTimeout = durationEnv(getenv, "DISPUTED_IDLE_TIMEOUT", &err)
	v := envValue(getenv, "DISPUTED_MAX_CONNECTIONS")
	if n, convErr := strconv.Atoi(v); convErr != nil || n < 1 {
		err = errors.Join(err, fmt.Errorf("DISPUTED_MAX_CONNECTIONS: %q is not a whole number of connections, 1 or more", v))
	} else {
		l.MaxConnections = n
	}
	return l, err
}

// rateLimitEnv reads name as RATE:BURST (requests a second, a decimal; the largest burst, whole
// requests) or "off", joining a failure to *errs.
func rateLimitEnv(getenv func(string) string, name string, errs *error) httpapi.RateLimit {
	v := envValue(getenv, name)
	if v == "off" {
		return httpapi.RateLimit{}
	}
	perSecond, burst, _ := strings.Cut(v, ":")
	r, rErr := strconv.ParseFloat(perSecond, 64)
	b, bErr := strconv.Atoi(burst)
	if rErr != nil || bErr != nil || !(r > 0) || math.IsInf(r, 1) || b < 1 {
		*errs = errors.Join(*errs, fmt.Errorf("%s: %q is neither RATE:BURST (requests a second and the largest burst, e.g. 100:200) nor off", name, v))
		return httpapi.RateLimit{}
	}
	return httpapi.RateLimit{PerSecond: r, Burst: b}
}

// durationEnv reads name as a positive Go duration ("10s", "2m"), joining a failure to *errs.
func durationEnv(getenv func(string) string, name string, errs *error) time.Duration {
	v := envValue(getenv, name)
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		*errs = errors.Join(*errs, fmt.Errorf("%s: %q is not a duration such as 10s or 2m", name, v))
	}
	return d
}

// dbFlag adds --db to fs with its environment default.
func dbFlag(fs *flag.FlagSet, getenv func(string) string) *string {
	return fs.String("db", envValue(getenv, "DISPUTED_DATABASE_URL"), "SQLite file, or postgres:// URL (env DISPUTED_DATABASE_URL)")
}

// switchEnv reads an on/off variable.
func switchEnv(getenv func(string) string, name string) (bool, error) {
	switch v := envValue(getenv, name); v {
	case "on":
		return true, nil
	case "off":
		return false, nil
	default:
		return false, fmt.Errorf("%s: %q is neither on nor off", name, v)
	}
}

// sqliteExists refuses a SQLite database that does not exist.
func sqliteExists(dsn string) error {
	path, err := sqlitePath(dsn)
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no database at %s: the server creates it on its first start (disputed serve), or disputed migrate; --db or DISPUTED_DATABASE_URL names another", path)
	} else if err != nil {
		return fmt.Errorf("database: %w", err)
	}
	return nil
}

func isPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// openMode is what opening the database may make that is not there yet.
type openMode int

const (
	// serving is the server's start, which creates a missing SQLite database and generates a
	// missing key file.
	serving openMode = iota
	// changing is a command that changes rows: it may create a SQLite database and its key file,
	// as the server's first start would (withApp removes them again when the change is refused);
	// never the PostgreSQL key file, which would land in whatever folder the command ran in.
	changing
	// reading is a command that only reads: an existing database and an existing key only.
	reading
)

// openStore opens (and migrates) the database dsn names, with the keys that seal its secrets
// (readSecretKeys). A key generated now is removed again when the database refuses it. Only the
// server and a change create a database: a command that only reads, run in the wrong folder,
// says so instead of leaving an empty database there.
func openStore(ctx context.Context, dsn string, getenv func(string) string, log *slog.Logger, how openMode) (store.Store, error) {
	if how == reading && !isPostgres(dsn) {
		if err := sqliteExists(dsn); err != nil {
			return nil, err
		}
	}
	keys, err := readSecretKeys(dsn, getenv, log, how == serving || (how == changing && !isPostgres(dsn)))
	if err != nil {
		return nil, err
	}
	var st store.Store
	if isPostgres(dsn) {
		st, err = postgres.Open(ctx, dsn, keys.ring)
	} else {
		st, err = sqlite.Open(ctx, dsn, keys.ring)
	}
	if errors.Is(err, store.ErrSecretKey) {
		if keys.generated != "" {
			err = errors.Join(err, os.Remove(keys.generated))
		}
		return nil, fmt.Errorf("%w (the key came from %s; set %s to the key the database was sealed with)", err, keys.source, secretKeyEnv)
	}
	return st, err
}

// commandLog is where the commands other than serve report what they did beside their output.
var commandLog = slog.New(slog.NewTextHandler(os.Stderr, nil))

func newFlagSet(name string, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("disputed "+name, flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: disputed %s [flags]\n\nflags:\n", name)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlags reads args into fs and refuses an argument left over.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		return err
	}
	return noArgs(fs)
}

func noArgs(fs *flag.FlagSet) error {
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return nil
}
