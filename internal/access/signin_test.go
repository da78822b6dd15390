package access_test

import (
	"testing"
	"time"

	"disputed/internal/access"
	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/password"
)

// TestLoginSession: the right password opens a session whose token names the user (its actor
// and CSRF token); it lasts SessionLifetime, and Logout ends it at once.
func TestLoginSession(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, e *env) {
		u := e.user("ada@example.com", actor.Agent, "")
		in, err := e.Login(e.ctx, "  Ada@Example.com ", goodPassword, "192.0.2.1")
		noErr(t, "sign in with the email in other case and spaces", err)
		if in.Token == "" || in.CSRF == "" || in.Token == in.CSRF || in.User.ID != u.ID {
			t.Fatalf("sign-in: %+v", in)
		}
		who, sess, su, err := e.Session(e.ctx, in.Token)
		noErr(t, "session", err)
		if who != actor.User(u.ID, actor.Agent, "") || sess.CSRF != in.CSRF || su.Email != "ada@example.com" ||
			!sess.ExpiresAt.Equal(t0.Add(access.SessionLifetime)) {
			t.Fatalf("session: %+v %+v %+v", who, sess, su)
		}
		_, _, _, err = e.Session(e.ctx, in.CSRF)
		wantCode(t, "the CSRF token as a session", err, fault.CodeSignedOut)
		_, _, _, err = e.Session(e.ctx, "")
		wantCode(t, "no token", err, fault.CodeSignedOut)

		e.clock.Advance(access.SessionLifetime - time.Millisecond)
		_, _, _, err = e.Session(e.ctx, in.Token)
		noErr(t, "a session just before it expires", err)
		e.clock.Advance(time.Millisecond)
		_, _, _, err = e.Session(e.ctx, in.Token)
		wantCode(t, "an expired session", err, fault.CodeSignedOut)

		again, err := e.Login(e.ctx, "ada@example.com", goodPassword, "192.0.2.1")
		noErr(t, "sign in again", err)
		noErr(t, "sign out", e.Logout(e.ctx, again.Token))
		_, _, _, err = e.Session(e.ctx, again.Token)
		wantCode(t, "a session signed out", err, fault.CodeSignedOut)
	})
}

// TestLoginLockout: per (email, address), the fifth failed attempt locks the pair for a minute,
// and the first attempt after the lock ends locks it again for twice as long (the whole ladder:
// TestLockoutLadder); a locked pair refuses even the right password; another address is not
// locked; a success clears the pair; an unknown email answers like a wrong password and is
// locked the same way, and so is a disabled user.
func TestLoginLockout(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, e *env) {
		e.user("ada@example.com", actor.Admin, "")
		const here, there = "192.0.2.1", "192.0.2.2"
		for range 5 {
			_, err := e.Login(e.ctx, "ada@example.com", "not the password", here)
			wantCode(t, "a wrong password", err, fault.CodeInvalidCredentials)
		}
		_, err := e.Login(e.ctx, "ada@example.com", goodPassword, here)
		wantCode(t, "the right password after five wrong ones", err, fault.CodeTooManyAttempts)
		if want := lockedUntil(e.clock.Now().Add(time.Minute)); err.Error() != want {
			t.Fatalf("locked: %q, want %q", err, want)
		}
		locks, err := e.SignInLocks(e.ctx, actor.System, 10)
		noErr(t, "sign-in locks", err)
		if len(locks) != 1 || locks[0].Email != "ada@example.com" || locks[0].Address != here ||
			!locks[0].LockedUntil.Equal(t0.Add(time.Minute)) {
			t.Fatalf("locks: %+v", locks)
		}
		_, err = e.SignInLocks(e.ctx, actor.User("usr_x", actor.Agent, ""), 10)
		wantCode(t, "an agent reading the locks", err, fault.CodeForbidden)

		_, err = e.Login(e.ctx, "ada@example.com", goodPassword, there)
		noErr(t, "the right password from another address", err)

		e.clock.Advance(time.Minute)
		_, err = e.Login(e.ctx, "ada@example.com", "not the password", here)
		wantCode(t, "a wrong password once the lock ended", err, fault.CodeInvalidCredentials)
		_, err = e.Login(e.ctx, "ada@example.com", goodPassword, here)
		wantCode(t, "the right password, locked again", err, fault.CodeTooManyAttempts)
		if want := lockedUntil(e.clock.Now().Add(2 * time.Minute)); err.Error() != want {
			t.Fatalf("locked again: %q, want %q", err, want)
		}

		e.clock.Advance(2 * time.Minute)
		_, err = e.Login(e.ctx, "ada@example.com", goodPassword, here)
		noErr(t, "the right password once the lock ended", err)
		if locks, _ := e.SignInLocks(e.ctx, actor.System, 10); len(locks) != 0 {
			t.Fatalf("locks after a success: %+v", locks)
		}

		for range 5 {
			_, err := e.Login(e.ctx, "nobody@example.com", "not the password", here)
			wantCode(t, "an unknown email", err, fault.CodeInvalidCredentials)
		}
		_, err = e.Login(e.ctx, "nobody@example.com", "not the password", here)
		if want := lockedUntil(e.clock.Now().Add(time.Minute)); err.Error() != want {
			t.Fatalf("an unknown email after five attempts: %q, want %q", err, want)
		}

		off := e.user("off@example.com", actor.Agent, "")
		_, err = e.DisableUser(e.ctx, actor.System, off.ID)
		noErr(t, "disable", err)
		_, err = e.Login(e.ctx, "off@example.com", goodPassword, here)
		wantCode(t, "a disabled user's right password", err, fault.CodeInvalidCredentials)
	})
}

// lockedUntil is the answer to an attempt on a pair locked until the time.
func lockedUntil(until time.Time) string {
	return fault.CodeTooManyAttempts + ": too many failed sign-ins: try again after " + until.UTC().Format("15:04:05 UTC")
}

// TestLoginBusy: when every password hash allowed at once is taken, a sign-in is refused at once
// as busy, and not counted as an attempt.
func TestLoginBusy(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, e *env) {
		e.user("ada@example.com", actor.Admin, "")
		hasher := password.NewHasher(1, 0)
		busy := access.New(e.store, access.Options{Now: e.clock.Now, Hasher: hasher})
		turn, err := hasher.Turn(e.ctx)
		noErr(t, "take the one slot", err)
		for range 6 {
			_, err = busy.Login(e.ctx, "ada@example.com", "not the password", "192.0.2.1")
			wantCode(t, "a sign-in while the hasher is busy", err, fault.CodeBusy)
		}
		turn.Release()
		_, err = busy.Login(e.ctx, "ada@example.com", goodPassword, "192.0.2.1")
		noErr(t, "the right password once the slot is free (the busy ones were not counted)", err)
	})
}

// TestLoginLongEmail: an email longer than any user's is refused as a wrong one, without being
// counted (it could not be stored).
func TestLoginLongEmail(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, e *env) {
		long := string(make([]byte, 255))
		for range 6 {
			_, err := e.Login(e.ctx, long, "not the password", "192.0.2.1")
			wantCode(t, "a 255-byte email", err, fault.CodeInvalidCredentials)
		}
		locks, err := e.SignInLocks(e.ctx, actor.System, 10)
		if noErr(t, "locks", err); len(locks) != 0 {
			t.Fatalf("locks: %+v", locks)
		}
	})
}
