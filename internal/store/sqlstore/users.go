package sqlstore

import (
	"context"
	"strings"
	"time"

	"disputed/internal/store"
	"disputed/internal/store/query"
)

func (t *tx) InsertUser(ctx context.Context, u store.User) error {
	err := inserted(t.q.InsertUser(ctx, query.InsertUserParams{
		ID: u.ID, Email: strings.ToLower(u.Email), PasswordHash: u.PasswordHash, Role: u.Role, PartyID: u.PartyID,
		DisabledAt: nullMillis(u.DisabledAt), CreatedAt: millis(u.CreatedAt), UpdatedAt: millis(u.UpdatedAt),
	}))
	if err != nil {
		return t.fail(err, "insert user %s", u.ID)
	}
	return nil
}

// UpdateUser returns store.ErrNotFound when there is no such user.
func (t *tx) UpdateUser(ctx context.Context, u store.User) error {
	n, err := t.q.UpdateUser(ctx, query.UpdateUserParams{
		ID: u.ID, PasswordHash: u.PasswordHash, Role: u.Role, PartyID: u.PartyID, DisabledAt: nullMillis(u.DisabledAt),
		UpdatedAt: millis(u.UpdatedAt),
	})
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return t.fail(err, "update user %s", u.ID)
	}
	return nil
}

// DeleteUser returns store.ErrNotFound when there is no such user.
func (t *tx) DeleteUser(ctx context.Context, id string) error {
	n, err := t.q.DeleteUser(ctx, id)
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	if err != nil {
		return t.fail(err, "delete user %s", id)
	}
	return nil
}

func (c *conn) GetUser(ctx context.Context, id string) (store.User, error) {
	r, err := c.q.GetUser(ctx, id)
	if err != nil {
		return store.User{}, c.fail(err, "get user %s", id)
	}
	return userFromRow(r), nil
}

func (c *conn) GetUserByEmail(ctx context.Context, email string) (store.User, error) {
	r, err := c.q.GetUserByEmail(ctx, strings.ToLower(email))
	if err != nil {
		return store.User{}, c.fail(err, "get user by email")
	}
	return userFromRow(r), nil
}

func (c *conn) CountUsersWithRole(ctx context.Context, role string) (int, error) {
	n, err := c.q.CountUsersWithRole(ctx, role)
	if err != nil {
		return 0, c.fail(err, "count %s users", role)
	}
	return int(n), nil
}

func (c *conn) ListUsers(ctx context.Context) ([]store.User, error) {
	rows, err := c.q.ListUsers(ctx)
	if err != nil {
		return nil, c.fail(err, "list users")
	}
	out := make([]store.User, len(rows))
	for i, r := range rows {
		out[i] = userFromRow(r)
	}
	return out, nil
}

func userFromRow(r query.User) store.User {
	return store.User{ID: r.ID, Email: r.Email, PasswordHash: r.PasswordHash, Role: r.Role, PartyID: r.PartyID,
		DisabledAt: fromNullMillis(r.DisabledAt), CreatedAt: fromMillis(r.CreatedAt), UpdatedAt: fromMillis(r.UpdatedAt)}
}

func (t *tx) InsertSession(ctx context.Context, s store.Session) error {
	err := inserted(t.q.InsertSession(ctx, query.InsertSessionParams{ID: s.ID, UserID: s.UserID, CSRF: s.CSRF,
		CreatedAt: millis(s.CreatedAt), ExpiresAt: millis(s.ExpiresAt)}))
	if err != nil {
		return t.fail(err, "insert session")
	}
	return nil
}

func (c *conn) GetSession(ctx context.Context, id string) (store.Session, error) {
	r, err := c.q.GetSession(ctx, id)
	if err != nil {
		return store.Session{}, c.fail(err, "get session")
	}
	return store.Session{ID: r.ID, UserID: r.UserID, CSRF: r.CSRF, CreatedAt: fromMillis(r.CreatedAt), ExpiresAt: fromMillis(r.ExpiresAt)}, nil
}

// DeleteSession deletes the session if it exists: signing out twice is not an error.
func (t *tx) DeleteSession(ctx context.Context, id string) error {
	if _, err := t.q.DeleteSession(ctx, id); err != nil {
		return t.fail(err, "delete session")
	}
	return nil
}

func (t *tx) DeleteSessionsOfUser(ctx context.Context, userID string) (int, error) {
	n, err := t.q.DeleteSessionsOfUser(ctx, userID)
	if err != nil {
		return 0, t.fail(err, "delete the sessions of user %s", userID)
	}
	return int(n), nil
}

func (t *tx) PurgeSessions(ctx context.Context, before time.Time) (int, error) {
	n, err := t.q.PurgeSessions(ctx, millis(before))
	if err != nil {
		return 0, t.fail(err, "purge sessions")
	}
	return int(n), nil
}
