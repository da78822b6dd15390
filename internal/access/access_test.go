package access_test

import (
	"context"
	"testing"

	"disputed/internal/access"
	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/store"
	"disputed/internal/store/pgtest"
	"disputed/internal/testenv"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// t0 is when every test starts: the clock only moves when a test moves it.
var t0 = testenv.Start

// env is a Service on a fresh database (testenv's), with the clock it reads.
type env struct {
	*access.Service
	t     *testing.T
	ctx   context.Context
	clock *testenv.Clock
	store store.Store
}

// eachStore runs fn on SQLite and on PostgreSQL, each with a fresh database and a Service whose
// clock stands at t0.
func eachStore(t *testing.T, fn func(t *testing.T, e *env)) {
	t.Helper()
	testenv.Each(t, func(t *testing.T, te *testenv.Env) {
		fn(t, &env{Service: access.New(te.Store, access.Options{Now: te.Clock.Now}), t: t, ctx: te.Ctx, clock: te.Clock, store: te.Store})
	})
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
