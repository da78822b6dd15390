package access_test

import (
	"context"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"disputed/internal/access"
	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/secretbox"
	"disputed/internal/store"
	"disputed/internal/store/pgtest"
	"disputed/internal/store/postgres"
	"disputed/internal/store/sqlite"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// t0 is when every test starts: the clock only moves when a test moves it.
var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// clock is a settable time, read by the Service under test.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Add(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// env is a Service on a fresh database, with its clock.
type env struct {
	*access.Service
	t     *testing.T
	ctx   context.Context
	clock *clock
	store store.Store
}

// eachStore runs fn on SQLite and on PostgreSQL, each with a fresh database and a Service whose
// clock stands at t0.
func eachStore(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			st := open(t, name)
			c := &clock{t: t0}
			fn(t, &env{Service: access.New(st, access.Options{Now: c.Now}), t: t, ctx: t.Context(), clock: c, store: st})
		})
	}
}

func open(t *testing.T, name string) store.Store {
	t.Helper()
	var st store.Store
	var err error
	if name == "sqlite" {
		st, err = sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "access.db"), secretbox.Fresh())
	} else {
		st, err = postgres.Open(t.Context(), pgtest.Database(t), secretbox.Fresh())
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// user creates a user of that role as the system, with a password the rules accept.
func (e *env) user(email string, role actor.Role, party string) store.User {
	e.t.Helper()
	u, err := e.CreateUser(e.ctx, actor.System, access.UserParams{Email: email, Role: string(role), PartyID: party, Password: goodPassword})
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// goodPassword passes the password rules.
const goodPassword = "correct horse battery"

// wantCode fails the test unless err is a coded error with that code.
func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := fault.Code(err); got != code || err == nil {
		t.Fatalf("%s: %v (code %q), want code %q", what, err, got, code)
	}
}

// wantParam fails the test unless err is a coded error with that code naming that field.
func wantParam(t *testing.T, what string, err error, code, param string) {
	t.Helper()
	wantCode(t, what, err, code)
	if e, _ := fault.As(err); e.Param != param {
		t.Fatalf("%s: %v names %q, want %q", what, err, e.Param, param)
	}
}

// noErr fails the test on an error.
func noErr(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}
