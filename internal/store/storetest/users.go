package storetest

import (
	"slices"
	"sync"
	"testing"
	"time"

	"disputed/internal/store"
)

func testUsersAndSessions(t *testing.T, s store.Store) {
	ctx := t.Context()
	admin := store.User{ID: "usr_1", Email: "Ada@Example.com", PasswordHash: "$argon2id$x", Role: "admin", DisabledAt: at(9),
		CreatedAt: at(1), UpdatedAt: at(1)}
	write(t, s, func(tx store.Tx) error { return tx.InsertUser(ctx, admin) })
	twin := admin
	twin.ID, twin.Email = "usr_2", "ada@example.COM"
	wantErr(t, "a taken email in another case", s.Tx(ctx, func(tx store.Tx) error { return tx.InsertUser(ctx, twin) }), store.ErrConflict)
	got, err := s.GetUserByEmail(ctx, "ADA@example.com")
	noErr(t, "GetUserByEmail", err)
	want := admin
	want.Email = "ada@example.com"
	same(t, "user by email", got, want)
	want.DisabledAt, want.UpdatedAt, want.PasswordHash = time.Time{}, at(5), "$argon2id$y"
	write(t, s, func(tx store.Tx) error { return tx.UpdateUser(ctx, want) })
	got, err = s.GetUser(ctx, "usr_1")
	noErr(t, "GetUser", err)
	same(t, "updated user", got, want)
	write(t, s, func(tx store.Tx) error {
		return tx.InsertUser(ctx, store.User{ID: "usr_3", Email: "buyer@example.com", PasswordHash: "h", Role: "buyer",
			PartyID: "cus_1", CreatedAt: at(2), UpdatedAt: at(2)})
	})
	n, err := s.CountUsersWithRole(ctx, "admin")
	noErr(t, "CountUsersWithRole", err)
	same(t, "admins", n, 1)
	all, err := s.ListUsers(ctx)
	noErr(t, "ListUsers", err)
	same(t, "users by email", ids(all, func(u store.User) string { return u.ID }), []string{"usr_1", "usr_3"})

	sess := store.Session{ID: "5e55", UserID: "usr_1", CSRF: "c5rf", CreatedAt: at(10), ExpiresAt: at(100)}
	old := store.Session{ID: "01d", UserID: "usr_1", CSRF: "x", CreatedAt: at(1), ExpiresAt: at(20)}
	write(t, s, func(tx store.Tx) error {
		if err := tx.InsertSession(ctx, sess); err != nil {
			return err
		}
		return tx.InsertSession(ctx, old)
	})
	gotS, err := s.GetSession(ctx, "5e55")
	noErr(t, "GetSession", err)
	same(t, "session", gotS, sess)
	var purged int
	write(t, s, func(tx store.Tx) error {
		var err error
		purged, err = tx.PurgeSessions(ctx, at(50))
		return err
	})
	same(t, "purged sessions", purged, 1)
	write(t, s, func(tx store.Tx) error { return tx.DeleteSession(ctx, "5e55") })
	write(t, s, func(tx store.Tx) error { return tx.DeleteSession(ctx, "5e55") }) // signing out twice is fine
	wantErr(t, "a deleted session", func() error { _, err := s.GetSession(ctx, "5e55"); return err }(), store.ErrNotFound)
}

// testRevokeUser: a user's sessions end all at once, and a deleted user is gone.
func testRevokeUser(t *testing.T, s store.Store) {
	ctx := t.Context()
	for _, u := range []store.User{
		{ID: "usr_1", Email: "ada@example.com", PasswordHash: "h", Role: "agent", CreatedAt: at(1), UpdatedAt: at(1)},
		{ID: "usr_2", Email: "bob@example.com", PasswordHash: "h", Role: "agent", CreatedAt: at(1), UpdatedAt: at(1)},
	} {
		write(t, s, func(tx store.Tx) error { return tx.InsertUser(ctx, u) })
	}
	for _, sess := range []store.Session{
		{ID: "s1", UserID: "usr_1", CSRF: "c", CreatedAt: at(1), ExpiresAt: at(100)},
		{ID: "s2", UserID: "usr_1", CSRF: "c", CreatedAt: at(2), ExpiresAt: at(100)},
		{ID: "s3", UserID: "usr_2", CSRF: "c", CreatedAt: at(2), ExpiresAt: at(100)},
	} {
		write(t, s, func(tx store.Tx) error { return tx.InsertSession(ctx, sess) })
	}
	var ended int
	write(t, s, func(tx store.Tx) error {
		var err error
		ended, err = tx.DeleteSessionsOfUser(ctx, "usr_1")
		return err
	})
	same(t, "sessions ended", ended, 2)
	wantErr(t, "a session of the signed-out user", func() error { _, err := s.GetSession(ctx, "s2"); return err }(), store.ErrNotFound)
	_, err := s.GetSession(ctx, "s3")
	noErr(t, "another user's session", err)
	write(t, s, func(tx store.Tx) error { return tx.DeleteUser(ctx, "usr_1") })
	wantErr(t, "a deleted user", func() error { _, err := s.GetUser(ctx, "usr_1"); return err }(), store.ErrNotFound)
	wantErr(t, "deleting a deleted user", s.Tx(ctx, func(tx store.Tx) error { return tx.DeleteUser(ctx, "usr_1") }), store.ErrNotFound)
	write(t, s, func(tx store.Tx) error {
		return tx.InsertUser(ctx, store.User{ID: "usr_3", Email: "ada@example.com", PasswordHash: "h", Role: "agent", CreatedAt: at(3), UpdatedAt: at(3)})
	}) // the email is free again
}

// testSignInFailures: attempts are counted per email and address; a locked pair counts nothing
// until its lock ends; a success clears it; old pairs are purged.
func testSignInFailures(t *testing.T, s store.Store) {
	ctx := t.Context()
	count := func(email, address string, now time.Time) (store.SignInFailures, error) {
		var f store.SignInFailures
		err := s.Tx(ctx, func(tx store.Tx) error {
			var err error
			f, err = tx.CountSignInAttempt(ctx, email, address, now)
			return err
		})
		return f, err
	}
	for i := 1; i <= 3; i++ {
		f, err := count("ada@example.com", "192.0.2.1", at(int64(i)))
		noErr(t, "CountSignInAttempt", err)
		same(t, "attempt", f, store.SignInFailures{Email: "ada@example.com", Address: "192.0.2.1", Failures: i, UpdatedAt: at(int64(i))})
	}
	other, err := count("ada@example.com", "192.0.2.2", at(4))
	noErr(t, "CountSignInAttempt from another address", err)
	same(t, "failures from another address", other.Failures, 1)
	write(t, s, func(tx store.Tx) error { return tx.LockSignIn(ctx, "ada@example.com", "192.0.2.1", at(60)) })
	_, err = count("ada@example.com", "192.0.2.1", at(59))
	wantErr(t, "an attempt while locked", err, store.ErrConflict)
	got, err := s.GetSignInFailures(ctx, "ada@example.com", "192.0.2.1")
	noErr(t, "GetSignInFailures", err)
	same(t, "the locked pair, nothing counted", got, store.SignInFailures{Email: "ada@example.com", Address: "192.0.2.1",
		Failures: 3, LockedUntil: at(60), UpdatedAt: at(3)})
	locks, err := s.ListSignInLocks(ctx, at(59), 10)
	noErr(t, "ListSignInLocks", err)
	same(t, "locks", locks, []store.SignInFailures{got})
	locks, err = s.ListSignInLocks(ctx, at(60), 10)
	noErr(t, "ListSignInLocks after the lock", err)
	same(t, "locks after the lock ended", len(locks), 0)
	f, err := count("ada@example.com", "192.0.2.1", at(60))
	noErr(t, "an attempt once the lock ended", err)
	same(t, "failures once the lock ended", f.Failures, 4)
	write(t, s, func(tx store.Tx) error { return tx.ClearSignInFailures(ctx, "ada@example.com", "192.0.2.1") })
	wantErr(t, "a cleared pair", func() error { _, err := s.GetSignInFailures(ctx, "ada@example.com", "192.0.2.1"); return err }(), store.ErrNotFound)
	var purged int
	write(t, s, func(tx store.Tx) error {
		var err error
		purged, err = tx.PurgeSignInFailures(ctx, at(5))
		return err
	})
	same(t, "purged pairs", purged, 1)
	wantErr(t, "a purged pair", func() error { _, err := s.GetSignInFailures(ctx, "ada@example.com", "192.0.2.2"); return err }(), store.ErrNotFound)
}

// testSignInAttemptsConcurrent: attempts sent at once are counted one after the other, none lost.
func testSignInAttemptsConcurrent(t *testing.T, s store.Store) {
	const attempts = 30
	ctx := t.Context()
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		counts []int
	)
	for range attempts {
		wg.Go(func() {
			err := s.Tx(ctx, func(tx store.Tx) error {
				f, err := tx.CountSignInAttempt(ctx, "ada@example.com", "192.0.2.1", at(1))
				if err == nil {
					mu.Lock()
					counts = append(counts, f.Failures)
					mu.Unlock()
				}
				return err
			})
			if err != nil {
				t.Errorf("CountSignInAttempt: %v", err)
			}
		})
	}
	wg.Wait()
	slices.Sort(counts)
	want := make([]int, attempts)
	for i := range want {
		want[i] = i + 1
	}
	same(t, "the counts the attempts saw", counts, want)
}

// testSetupTokens: tokens wait until they are all deleted at once.
func testSetupTokens(t *testing.T, s store.Store) {
	ctx := t.Context()
	write(t, s, func(tx store.Tx) error { return tx.InsertSetupToken(ctx, "aa", at(1)) })
	write(t, s, func(tx store.Tx) error { return tx.InsertSetupToken(ctx, "bb", at(2)) })
	wantErr(t, "the same token twice", s.Tx(ctx, func(tx store.Tx) error { return tx.InsertSetupToken(ctx, "aa", at(3)) }), store.ErrConflict)
	for _, h := range []string{"aa", "bb"} {
		ok, err := s.SetupTokenExists(ctx, h)
		noErr(t, "SetupTokenExists", err)
		same(t, "token "+h+" waits", ok, true)
	}
	ok, err := s.SetupTokenExists(ctx, "cc")
	noErr(t, "SetupTokenExists", err)
	same(t, "an unknown token", ok, false)
	write(t, s, func(tx store.Tx) error { return tx.DeleteSetupTokens(ctx) })
	ok, err = s.SetupTokenExists(ctx, "bb")
	noErr(t, "SetupTokenExists", err)
	same(t, "a token after the first admin", ok, false)
}
