package app

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/mail"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/password"
	"disputed/internal/store"
)

// SessionLifetime is how long a sign-in lasts.
const SessionLifetime = 12 * time.Hour

// Sign-in lockout: after freeAttempts failures in a row, each further failure locks the account
// for twice as long as the one before, from a minute up to an hour.
const (
	freeAttempts = 5
	firstLockout = time.Minute
	maxLockout   = time.Hour
)

// UserParams create a user of the web UI.
type UserParams struct {
	Email    string
	Role     string
	PartyID  string // buyers and vendors: the customer or vendor id they are
	Password string
}

// CreateUser adds a user (the command line, the first admin at /setup, or an admin).
func (a *App) CreateUser(ctx context.Context, who actor.Actor, p UserParams) (store.User, error) {
	if err := adminOnly(who, "create users"); err != nil {
		return store.User{}, err
	}
	u, err := newUser(p)
	if err != nil {
		return store.User{}, err
	}
	err = a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		u.ID, u.CreatedAt, u.UpdatedAt = a.ids.New("usr"), now, now
		return insertUser(ctx, tx, u)
	})
	return u, err
}

func newUser(p UserParams) (store.User, error) {
	email := strings.ToLower(strings.TrimSpace(p.Email))
	if addr, err := mail.ParseAddress(email); err != nil || addr.Address != email || len(email) > 254 {
		return store.User{}, fault.Invalidf("invalid_value", "email", "%q is not an email address", p.Email)
	}
	role := actor.Role(p.Role)
	if err := bindsParty(role, p.PartyID, "user"); err != nil {
		return store.User{}, err
	}
	switch {
	case len(p.Password) < password.MinLength:
		return store.User{}, fault.Invalidf("invalid_value", "password", "the password must have at least %d characters", password.MinLength)
	case len(p.Password) > 1024:
		return store.User{}, fault.Invalidf("invalid_value", "password", "the password is longer than 1024 characters")
	}
	hash, err := password.Hash(p.Password)
	if err != nil {
		return store.User{}, err
	}
	return store.User{Email: email, PasswordHash: hash, Role: string(role), PartyID: p.PartyID}, nil
}

func insertUser(ctx context.Context, tx store.Tx, u store.User) error {
	if err := tx.InsertUser(ctx, u); errors.Is(err, store.ErrConflict) {
		return fault.New(fault.Conflict, "user_exists", "email", "a user with the email %s exists", u.Email)
	} else if err != nil {
		return err
	}
	return nil
}

// SetupNeeded reports whether the installation has no admin user yet: /setup creates the first.
func (a *App) SetupNeeded(ctx context.Context) (bool, error) {
	n, err := a.store.CountUsersWithRole(ctx, string(actor.Admin))
	return n == 0, err
}

// Setup creates the first admin user; once there is one, it refuses.
func (a *App) Setup(ctx context.Context, email, pass string) (store.User, error) {
	u, err := newUser(UserParams{Email: email, Role: string(actor.Admin), Password: pass})
	if err != nil {
		return store.User{}, err
	}
	err = a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		if n, err := tx.CountUsersWithRole(ctx, string(actor.Admin)); err != nil {
			return err
		} else if n > 0 {
			return fault.New(fault.Conflict, "setup_done", "", "the first admin exists: sign in at /login")
		}
		u.ID, u.CreatedAt, u.UpdatedAt = a.ids.New("usr"), now, now
		return insertUser(ctx, tx, u)
	})
	return u, err
}

// SignIn is a new session: the cookie's token and the CSRF token its forms carry.
type SignIn struct {
	Token string
	CSRF  string
	User  store.User
}

// errBadCredentials is one answer for an unknown email and a wrong password, so that sign-in
// does not tell which emails have accounts.
var errBadCredentials = fault.New(fault.Unauthenticated, "invalid_credentials", "", "the email or the password is wrong")

// Login checks the password and opens a session. Repeated failures lock the account for a while
// (the answer says until when); a success clears the count.
func (a *App) Login(ctx context.Context, email, pass string) (SignIn, error) {
	u, err := a.store.GetUserByEmail(ctx, strings.TrimSpace(email))
	if errors.Is(err, store.ErrNotFound) {
		_, _ = password.Hash(pass) // spend the same time as for a real account
		return SignIn{}, errBadCredentials
	}
	if err != nil {
		return SignIn{}, err
	}
	now := a.clock()
	if now.Before(u.LockedUntil) {
		return SignIn{}, locked(u.LockedUntil)
	}
	if err := password.Check(u.PasswordHash, pass); err != nil {
		if !errors.Is(err, password.ErrMismatch) {
			return SignIn{}, err
		}
		return SignIn{}, a.loginFailed(ctx, u.ID)
	}
	var in SignIn
	err = a.write(ctx, true, func(tx store.Tx, now time.Time) error {
		u, err := tx.GetUser(ctx, u.ID)
		if err != nil {
			return err
		}
		if u.FailedLogins != 0 || !u.LockedUntil.IsZero() {
			u.FailedLogins, u.LockedUntil, u.UpdatedAt = 0, time.Time{}, now
			if err := tx.UpdateUser(ctx, u); err != nil {
				return err
			}
		}
		token, csrf := randomToken(), randomToken()
		in = SignIn{Token: token, CSRF: csrf, User: u}
		return tx.InsertSession(ctx, store.Session{ID: sessionID(token), UserID: u.ID, CSRF: csrf, CreatedAt: now,
			ExpiresAt: now.Add(SessionLifetime)})
	})
	return in, err
}

func (a *App) loginFailed(ctx context.Context, userID string) error {
	var until time.Time
	err := a.write(ctx, true, func(tx store.Tx, now time.Time) error {
		u, err := tx.GetUser(ctx, userID)
		if err != nil {
			return err
		}
		u.FailedLogins++
		if over := u.FailedLogins - freeAttempts; over > 0 {
			wait := firstLockout << min(over-1, 10)
			u.LockedUntil = now.Add(min(wait, maxLockout))
			until = u.LockedUntil
		}
		u.UpdatedAt = now
		return tx.UpdateUser(ctx, u)
	})
	if err != nil {
		return err
	}
	if !until.IsZero() {
		return locked(until)
	}
	return errBadCredentials
}

func locked(until time.Time) error {
	return fault.New(fault.RateLimited, "too_many_attempts", "", "too many failed sign-ins: try again after %s", until.UTC().Format("15:04:05 UTC"))
}

// Session returns the signed-in actor of a session token, with its session; an unknown or
// expired token is unauthenticated.
func (a *App) Session(ctx context.Context, token string) (actor.Actor, store.Session, store.User, error) {
	none := fault.New(fault.Unauthenticated, "signed_out", "", "sign in first")
	if token == "" {
		return actor.Actor{}, store.Session{}, store.User{}, none
	}
	s, err := a.store.GetSession(ctx, sessionID(token))
	if errors.Is(err, store.ErrNotFound) || (err == nil && !a.clock().Before(s.ExpiresAt)) {
		return actor.Actor{}, store.Session{}, store.User{}, none
	}
	if err != nil {
		return actor.Actor{}, store.Session{}, store.User{}, err
	}
	u, err := a.store.GetUser(ctx, s.UserID)
	if errors.Is(err, store.ErrNotFound) {
		return actor.Actor{}, store.Session{}, store.User{}, none
	}
	if err != nil {
		return actor.Actor{}, store.Session{}, store.User{}, err
	}
	return actor.User(u.ID, actor.Role(u.Role), u.PartyID), s, u, nil
}

// Logout ends a session.
func (a *App) Logout(ctx context.Context, token string) error {
	return a.write(ctx, false, func(tx store.Tx, now time.Time) error { return tx.DeleteSession(ctx, sessionID(token)) })
}

// PurgeSessions deletes expired sessions; the hourly sweep calls it.
func (a *App) PurgeSessions(ctx context.Context) (int, error) {
	var n int
	err := a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		var err error
		n, err = tx.PurgeSessions(ctx, now)
		return err
	})
	return n, err
}

// Users lists the web UI's users (admin).
func (a *App) Users(ctx context.Context, who actor.Actor) ([]store.User, error) {
	if err := adminOnly(who, "read users"); err != nil {
		return nil, err
	}
	return a.store.ListUsers(ctx)
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

func sessionID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
