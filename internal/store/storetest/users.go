package storetest

import (
	"testing"
	"time"

	"disputed/internal/store"
)

func testUsersAndSessions(t *testing.T, s store.Store) {
	ctx := t.Context()
	admin := store.User{ID: "usr_1", Email: "Ada@Example.com", PasswordHash: "$argon2id$x", Role: "admin", FailedLogins: 2,
		LockedUntil: at(9), CreatedAt: at(1), UpdatedAt: at(1)}
	write(t, s, func(tx store.Tx) error { return tx.InsertUser(ctx, admin) })
	twin := admin
	twin.ID, twin.Email = "usr_2", "ada@example.COM"
	wantErr(t, "a taken email in another case", s.Tx(ctx, func(tx store.Tx) error { return tx.InsertUser(ctx, twin) }), store.ErrConflict)
	got, err := s.GetUserByEmail(ctx, "ADA@example.com")
	noErr(t, "GetUserByEmail", err)
	want := admin
	want.Email = "ada@example.com"
	same(t, "user by email", got, want)
	want.FailedLogins, want.LockedUntil, want.UpdatedAt = 0, time.Time{}, at(5)
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
