package access_test

import (
	"testing"

	"disputed/internal/actor"
	"disputed/internal/fault"
)

// TestSetup: while there is no admin, each start makes a setup token, and any of them creates the
// first admin (checked before the password is); that spends every token, and setup is done.
func TestSetup(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, e *env) {
		need, err := e.SetupNeeded(e.ctx)
		if noErr(t, "setup needed", err); !need {
			t.Fatal("a fresh installation needs no setup")
		}
		a, err := e.NewSetupToken(e.ctx)
		noErr(t, "token a", err)
		b, err := e.NewSetupToken(e.ctx)
		noErr(t, "token b", err)
		if a == "" || b == "" || a == b {
			t.Fatalf("setup tokens %q and %q", a, b)
		}
		for _, token := range []string{"", "not-the-token", a + "x"} {
			wantCode(t, "check the token "+token, e.CheckSetupToken(e.ctx, token), fault.CodeInvalidSetupToken)
			_, err := e.Setup(e.ctx, token, "evil@example.com", "short")
			wantCode(t, "setup with the token "+token+" (and a password the rules refuse)", err, fault.CodeInvalidSetupToken)
		}
		noErr(t, "check token a", e.CheckSetupToken(e.ctx, a))
		_, err = e.Setup(e.ctx, b, "owner@example.com", "short")
		wantParam(t, "setup with a weak password", err, fault.CodeInvalidValue, "password")

		u, err := e.Setup(e.ctx, b, "Owner@example.com", goodPassword)
		if noErr(t, "setup with the token", err); u.Role != string(actor.Admin) || u.Email != "owner@example.com" {
			t.Fatalf("the first admin: %+v", u)
		}
		if need, _ := e.SetupNeeded(e.ctx); need {
			t.Fatal("setup still needed once the first admin exists")
		}
		for _, token := range []string{a, b} {
			wantCode(t, "check a spent token", e.CheckSetupToken(e.ctx, token), fault.CodeSetupDone)
			_, err := e.Setup(e.ctx, token, "second@example.com", goodPassword)
			wantCode(t, "setup with a spent token", err, fault.CodeSetupDone)
		}
		if token, err := e.NewSetupToken(e.ctx); err != nil || token != "" {
			t.Fatalf("a setup token once an admin exists: %q %v", token, err)
		}
		if us, _ := e.Users(e.ctx, actor.System); len(us) != 1 {
			t.Fatalf("users: %+v", us)
		}
		in, err := e.Login(e.ctx, "owner@example.com", goodPassword, "192.0.2.1")
		if noErr(t, "the first admin signs in", err); in.User.ID != u.ID {
			t.Fatalf("signed in as %+v", in.User)
		}
	})
}

// TestAdminUserSpendsSetupTokens: an admin created otherwise (the command line) spends the tokens
// printed so far too; another role does not.
func TestAdminUserSpendsSetupTokens(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, e *env) {
		token, err := e.NewSetupToken(e.ctx)
		noErr(t, "token", err)
		e.user("agent@example.com", actor.Agent, "")
		noErr(t, "the token once an agent exists", e.CheckSetupToken(e.ctx, token))
		e.user("admin@example.com", actor.Admin, "")
		wantCode(t, "the token once an admin exists", e.CheckSetupToken(e.ctx, token), fault.CodeSetupDone)
	})
}
