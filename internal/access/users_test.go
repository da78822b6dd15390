package access_test

import (
	"strings"
	"testing"

	"disputed/internal/access"
	"disputed/internal/actor"
	"disputed/internal/fault"
)

// TestCreateUserRules: a user needs an email address (kept lower-cased), a known role, a party
// exactly for buyers and vendors, and a password the rules accept; only an admin (or the system)
// creates one, and an email has one user.
func TestCreateUserRules(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, e *env) {
		for _, tc := range []struct {
			p           access.UserParams
			code, param string
		}{
			{access.UserParams{Email: "not an email", Role: "agent", Password: goodPassword}, fault.CodeInvalidValue, "email"},
			{access.UserParams{Email: "Ada <ada@example.com>", Role: "agent", Password: goodPassword}, fault.CodeInvalidValue, "email"},
			{access.UserParams{Email: strings.Repeat("a", 250) + "@example.com", Role: "agent", Password: goodPassword}, fault.CodeInvalidValue, "email"},
			{access.UserParams{Email: "ada@example.com", Role: "root", Password: goodPassword}, fault.CodeInvalidValue, "role"},
			{access.UserParams{Email: "ada@example.com", Role: "buyer", Password: goodPassword}, fault.CodeParameterMissing, "party_id"},
			{access.UserParams{Email: "ada@example.com", Role: "agent", PartyID: "cus_1", Password: goodPassword}, fault.CodeInvalidValue, "party_id"},
			{access.UserParams{Email: "ada@example.com", Role: "agent", Password: "short"}, fault.CodeInvalidValue, "password"},
			{access.UserParams{Email: "ada@example.com", Role: "agent", Password: "ada@example.com"}, fault.CodeInvalidValue, "password"},
		} {
			_, err := e.CreateUser(e.ctx, actor.System, tc.p)
			wantParam(t, tc.p.Email+" "+tc.p.Role+" "+tc.p.PartyID+" "+tc.p.Password, err, tc.code, tc.param)
		}
		_, err := e.CreateUser(e.ctx, actor.Key("key_a", actor.Agent, ""), access.UserParams{Email: "ada@example.com", Role: "agent", Password: goodPassword})
		wantCode(t, "an agent creating a user", err, fault.CodeForbidden)
		if us, err := e.Users(e.ctx, actor.System); err != nil || len(us) != 0 {
			t.Fatalf("users after refusals: %v %v", us, err)
		}

		u, err := e.CreateUser(e.ctx, actor.Key("key_a", actor.Admin, ""), access.UserParams{Email: " Ada@Example.com ", Role: "buyer", PartyID: "cus_1", Password: goodPassword})
		noErr(t, "create a buyer", err)
		if !strings.HasPrefix(u.ID, "usr_") || u.Email != "ada@example.com" || u.Role != "buyer" || u.PartyID != "cus_1" ||
			!u.CreatedAt.Equal(t0) || u.PasswordHash == "" || strings.Contains(u.PasswordHash, goodPassword) {
			t.Fatalf("created: %+v", u)
		}
		_, err = e.CreateUser(e.ctx, actor.System, access.UserParams{Email: "ADA@example.com", Role: "agent", Password: goodPassword})
		wantParam(t, "the same email again", err, fault.CodeUserExists, "email")

		for _, name := range []string{u.ID, "ADA@example.com"} {
			found, err := e.FindUser(e.ctx, actor.System, name)
			if noErr(t, "find "+name, err); found.ID != u.ID {
				t.Fatalf("find %s: %+v", name, found)
			}
		}
		_, err = e.FindUser(e.ctx, actor.System, "nobody@example.com")
		wantCode(t, "find an unknown email", err, fault.CodeNotFound)
		_, err = e.Users(e.ctx, actor.User("usr_x", actor.Agent, ""))
		wantCode(t, "an agent listing users", err, fault.CodeForbidden)
	})
}

// TestUserChangesEndSessions: disabling, signing out, resetting the password of and deleting a
// user end their sessions at once; a disabled user cannot sign in until enabled; the new password
// replaces the old; an admin cannot disable or delete their own account, but may sign themselves
// out or reset their own password; only admins change users.
func TestUserChangesEndSessions(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, e *env) {
		boss := e.user("boss@example.com", actor.Admin, "")
		u := e.user("ada@example.com", actor.Agent, "")
		admin := actor.User(boss.ID, actor.Admin, "")
		signIn := func(pass string) string {
			t.Helper()
			in, err := e.Login(e.ctx, "ada@example.com", pass, "192.0.2.1")
			noErr(t, "sign in", err)
			return in.Token
		}
		signedOut := func(what, token string) {
			t.Helper()
			_, _, _, err := e.Session(e.ctx, token)
			wantCode(t, what, err, fault.CodeSignedOut)
		}

		token := signIn(goodPassword)
		disabled, err := e.DisableUser(e.ctx, admin, u.ID)
		if noErr(t, "disable", err); !disabled.Disabled() || !disabled.DisabledAt.Equal(t0) {
			t.Fatalf("disabled: %+v", disabled)
		}
		signedOut("a disabled user's session", token)
		_, err = e.Login(e.ctx, "ada@example.com", goodPassword, "192.0.2.1")
		wantCode(t, "a disabled user signing in", err, fault.CodeInvalidCredentials)
		enabled, err := e.EnableUser(e.ctx, admin, u.ID)
		if noErr(t, "enable", err); enabled.Disabled() {
			t.Fatalf("enabled: %+v", enabled)
		}

		token = signIn(goodPassword)
		_, err = e.SignOutUser(e.ctx, admin, u.ID)
		noErr(t, "sign out", err)
		signedOut("a session signed out by an admin", token)

		token = signIn(goodPassword)
		_, err = e.ResetPassword(e.ctx, admin, u.ID, "short")
		wantParam(t, "a reset to a weak password", err, fault.CodeInvalidValue, "password")
		_, _, _, err = e.Session(e.ctx, token)
		noErr(t, "the session after a refused reset", err)
		const newPassword = "a brand new passphrase"
		_, err = e.ResetPassword(e.ctx, admin, u.ID, newPassword)
		noErr(t, "reset the password", err)
		signedOut("a session after a reset", token)
		_, err = e.Login(e.ctx, "ada@example.com", goodPassword, "192.0.2.1")
		wantCode(t, "the old password", err, fault.CodeInvalidCredentials)
		token = signIn(newPassword)

		_, err = e.DisableUser(e.ctx, admin, boss.ID)
		wantCode(t, "an admin disabling themselves", err, fault.CodeOwnAccount)
		_, err = e.DeleteUser(e.ctx, admin, boss.ID)
		wantCode(t, "an admin deleting themselves", err, fault.CodeOwnAccount)
		_, err = e.SignOutUser(e.ctx, admin, boss.ID)
		noErr(t, "an admin signing themselves out", err)
		agent := actor.User(u.ID, actor.Agent, "")
		for what, err := range map[string]error{
			"disable":  func() error { _, err := e.DisableUser(e.ctx, agent, boss.ID); return err }(),
			"enable":   func() error { _, err := e.EnableUser(e.ctx, agent, boss.ID); return err }(),
			"sign out": func() error { _, err := e.SignOutUser(e.ctx, agent, boss.ID); return err }(),
			"reset":    func() error { _, err := e.ResetPassword(e.ctx, agent, boss.ID, newPassword); return err }(),
			"delete":   func() error { _, err := e.DeleteUser(e.ctx, agent, boss.ID); return err }(),
		} {
			wantCode(t, "an agent's "+what, err, fault.CodeForbidden)
		}
		_, err = e.DisableUser(e.ctx, admin, "usr_nobody")
		wantCode(t, "disable an unknown user", err, fault.CodeNotFound)

		deleted, err := e.DeleteUser(e.ctx, admin, u.ID)
		if noErr(t, "delete", err); deleted.ID != u.ID {
			t.Fatalf("deleted: %+v", deleted)
		}
		signedOut("a deleted user's session", token)
		_, err = e.DeleteUser(e.ctx, admin, u.ID)
		wantCode(t, "delete again", err, fault.CodeNotFound)
		if us, _ := e.Users(e.ctx, admin); len(us) != 1 || us[0].ID != boss.ID {
			t.Fatalf("users after the delete: %+v", us)
		}
	})
}
