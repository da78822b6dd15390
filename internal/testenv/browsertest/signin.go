package browsertest

import (
	"context"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/testenv"
)

// NewSignedIn returns a new browser (New) signed in to the served client c's UI as a new user
// of the role given (bound to party for a buyer or a vendor), whose email is
// role+party@example.com.
func NewSignedIn(t testing.TB, e *testenv.Env, c *testenv.Client, role actor.Role, party string) context.Context {
	t.Helper()
	email := string(role) + party + "@example.com"
	e.User(email, role, party)
	ctx := New(t)
	SignIn(t, ctx, c.URL, email, testenv.Password)
	return ctx
}
