// Package testenv is the shared test harness of the packages beside the code they test: a migrated
// store on SQLite or PostgreSQL, an app on it whose clock the test moves, its job runner driven by
// hand, and typed helpers for the objects most tests start from. Every store-touching test runs on
// both databases through Each.
//
// A package that uses it routes its TestMain through pgtest.Main, which stops the throwaway
// PostgreSQL the tests share:
//
//	func TestMain(m *testing.M) { pgtest.Main(m) }
package testenv

import (
	"context"
	"net/http"
	"testing"
	"time"

	"disputed/internal/access"
	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/jobs"
	"disputed/internal/password"
	"disputed/internal/provider"
	"disputed/internal/secretbox"
	"disputed/internal/server"
	"disputed/internal/store"
	"disputed/internal/store/pgtest"
	"disputed/internal/store/postgres"
	"disputed/internal/store/sqlite"
	"disputed/internal/store/sqlitetest"
	"disputed/internal/webhook"
)

// Kinds are the two stores every store-touching test runs on.
var Kinds = []string{"sqlite", "postgres"}

// Admin is the caller most tests act as: an admin API key.
var Admin = actor.Key("key_testenv_admin", actor.Admin, "")

// Env is one app on one fresh database.
type Env struct {
	T    testing.TB
	Kind string // "sqlite" or "postgres"
	// Database is where Store keeps its data: SQLite's file, or PostgreSQL's URL (ExecSQL).
	Database string
	Ctx      context.Context
	Store    store.Store
	App      *app.App
	Clock    *Clock
	Runner   *jobs.Runner
	// Webhooks administers the webhook endpoints; Runner delivers what the app enqueues to them.
	Webhooks *webhook.Service
	// Access signs in and administers users and API keys.
	Access *access.Service
	// Server is the whole assembly these parts belong to, whose Handler serves the API and the
	// UI (Serve runs it on a loopback port).
	Server *server.Server

	keys *secretbox.Ring // what Store seals its secrets with, for another store on Database (OpenAgain)
}

// Options adjust an Env; the zero value is an app with no mailer, the default outbound client and
// a clock at Start.
type Options struct {
	// Mailer sends the customer emails (internal/notify/smtptest gives a real SMTP server); nil
	// records them as not sent.
	Mailer app.Mailer
	// Outbound makes the calls to panels, providers and webhook endpoints; nil means
	// http.DefaultClient.
	Outbound *http.Client
	// PublicURL is where people reach the server, for links in emails.
	PublicURL string
	// Providers are the provider types the app knows; nil means the server's own
	// (server.ProviderTypes).
	Providers *provider.Registry
	// DeferApplying leaves every provider event in the inbox until the test applies it
	// (ApplyInbox), even one that arrives alone: to watch it pending or failed.
	DeferApplying bool
	// ListReadAtMost is the most rows a list reads (app.Options.ListReadAtMost); 0 is the
	// app's bound, which no test's few rows reach.
	ListReadAtMost int
}

// Start is where every Env's clock starts: a fixed moment, so that due dates and emails read the
// same in every run.
var Start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// ExportPage is how many rows the Envs' exports read per query: a handful, so that an export
// test of a few rows crosses pages as a real export of thousands does.
const ExportPage = 3

// Each runs fn as two parallel subtests, one on SQLite and one on PostgreSQL.
func Each(t *testing.T, fn func(t *testing.T, e *Env)) {
	t.Helper()
	EachWith(t, Options{}, fn)
}

// EachWith is Each with the Envs built from o.
func EachWith(t *testing.T, o Options, fn func(t *testing.T, e *Env)) {
	t.Helper()
	for _, kind := range Kinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			fn(t, New(t, kind, o))
		})
	}
}

// New returns an app on a fresh database of the kind given, closed when the test ends.
func New(t testing.TB, kind string, o Options) *Env {
	t.Helper()
	ctx := t.Context()
	db := Database(t, kind)
	keys := secretbox.Fresh()
	st := open(t, kind, db, keys)
	clock := NewClock(Start)
	s, err := server.New(st, o.serverOptions(clock))
	if err != nil {
		t.Fatalf("testenv: assemble the server: %v", err)
	}
	return &Env{T: t, Kind: kind, Database: db, Ctx: ctx, Store: st, App: s.App, Clock: clock, Runner: s.Runner,
		Webhooks: s.Webhooks, Access: s.Access, Server: s, keys: keys}
}

// OpenAgain opens another store on e's database, with e's secret keys, closed when the test
// ends: what a second server instance opens, with a connection pool of its own.
func (e *Env) OpenAgain() store.Store {
	e.T.Helper()
	return open(e.T, e.Kind, e.Database, e.keys)
}

// Instance returns the app of another server on e's database, built from o: a second instance,
// or the server after a restart, holding nothing of what e's app received. Its clock is e's.
func (e *Env) Instance(o Options) *app.App {
	e.T.Helper()
	s, err := server.New(e.Store, o.serverOptions(e.Clock))
	if err != nil {
		e.T.Fatalf("testenv: assemble another server: %v", err)
	}
	return s.App
}

// serverOptions are the server's options for o, on clock.
func (o Options) serverOptions(clock *Clock) server.Options {
	return server.Options{Now: clock.Now, Mailer: o.Mailer, Outbound: o.Outbound, DeferApplying: o.DeferApplying,
		Providers: o.Providers, PublicURL: o.PublicURL, Hasher: password.NewTestHasher(), ExportPage: ExportPage, ListReadAtMost: o.ListReadAtMost}
}

// Database returns a fresh, migrated database of the kind given: a file in the test's temporary
// folder for SQLite, a database of the shared throwaway server for PostgreSQL.
func Database(t testing.TB, kind string) string {
	t.Helper()
	switch kind {
	case "sqlite":
		return sqliteMigrated.Database(t)
	case "postgres":
		return postgresMigrated.Database(t)
	}
	t.Fatalf("testenv: unknown store kind %q", kind)
	return ""
}

// The migrated databases every Env starts from: migrated once per test binary, then copied,
// which is what makes a test on PostgreSQL cost tens of milliseconds instead of a migration.
var (
	sqliteMigrated   = sqlitetest.NewTemplate(sqlite.Migrate)
	postgresMigrated = pgtest.NewTemplate(postgres.Migrate)
)

// Open opens (and migrates) the store on db, closed when the test ends.
func Open(t testing.TB, kind, db string) store.Store {
	t.Helper()
	return open(t, kind, db, secretbox.Fresh())
}

// open is Open sealing the store's secrets with keys.
func open(t testing.TB, kind, db string, keys *secretbox.Ring) store.Store {
	t.Helper()
	var (
		st  store.Store
		err error
	)
	// A context of its own: the store outlives the test's context, which ends before cleanups.
	ctx := context.Background()
	switch kind {
	case "sqlite":
		st, err = sqlite.Open(ctx, db, keys)
	case "postgres":
		st, err = postgres.Open(ctx, db, keys)
	default:
		t.Fatalf("testenv: unknown store kind %q", kind)
	}
	if err != nil {
		t.Fatalf("testenv: open %s store: %v", kind, err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("testenv: close %s store: %v", kind, err)
		}
	})
	return st
}

// RunJobs runs every job that is due now until none is left, as the background runner would, and
// returns how many ran. Jobs due later wait for the clock to be moved past them.
func (e *Env) RunJobs() int {
	e.T.Helper()
	total := 0
	for range 1000 {
		n, err := e.Runner.RunOnce(e.Ctx)
		if err != nil {
			e.T.Fatalf("testenv: run jobs: %v", err)
		}
		if n == 0 {
			return total
		}
		total += n
	}
	e.T.Fatalf("testenv: jobs still due after %d ran", total)
	return total
}

// Advance moves the clock on by d and runs the jobs that came due.
func (e *Env) Advance(d time.Duration) int {
	e.T.Helper()
	e.Clock.Advance(d)
	return e.RunJobs()
}

// Must takes what a setup step returned and gives a function that returns the value, ending the
// test when the step failed: v := Must(e.App.CreateCustomer(…))(t).
func Must[T any](v T, err error) func(t testing.TB) T {
	return func(t testing.TB) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%v", err)
		}
		return v
	}
}

// Store opens a store of the kind given on a fresh, migrated database (Database), closed when the
// test ends: for the tests of the store's own consumers, which need no app.
func Store(t testing.TB, kind string) store.Store {
	t.Helper()
	return Open(t, kind, Database(t, kind))
}
