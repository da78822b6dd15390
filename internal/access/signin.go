package access

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/password"
	"disputed/internal/store"
)

// SessionLifetime is how long a sign-in lasts.
const SessionLifetime = 12 * time.Hour

// Sign-in lockout, per email as typed and per client address: the first freeAttempts attempts
// are checked; the attempt that reaches freeAttempts locks the pair for firstLockout, and each
// attempt after a lock ends locks it twice as long as the one before, up to maxLockout. A success
// clears the pair. Another address is not locked: nobody can lock a user out from elsewhere.
const (
	freeAttempts = 5
	firstLockout = time.Minute
	maxLockout   = time.Hour
	// maxEmail is the longest email a user can have: a longer one is refused without counting.
	maxEmail = 254
)

// SignInMemory is how long the failed sign-ins of a pair are kept after its last attempt and its
// last lock: the hourly sweep deletes older ones.
const SignInMemory = 24 * time.Hour

// lockout is how long the pair is locked after its nth attempt, or 0 while it is not.
func lockout(n int) time.Duration {
	over := n - freeAttempts
	if over < 0 {
		return 0
	}
	return min(firstLockout<<min(over, 10), maxLockout)
}

// SignIn is a new session: the cookie's token and the CSRF token its forms carry.
type SignIn struct {
	Token string
	CSRF  string
	User  store.User
}

// errBadCredentials is one answer for an unknown email, a disabled user and a wrong password, so
// that sign-in does not tell which emails have accounts.
var errBadCredentials = fault.New(fault.Unauthenticated, fault.CodeInvalidCredentials, "", "the email or the password is wrong")

// Login checks the password of email, tried from the client address, and opens a session.
//
// A locked (email, address) is refused without hashing, even with the right password, until the
// lock ends: at once when it is locked already, so that a flood of attempts on a locked pair does
// not wait for the hasher. Otherwise the attempt takes a turn of the password hasher (busy: 503,
// nothing counted), then is counted in one transaction before its hash, so that concurrent
// attempts cannot all pass the count. An unknown email and a disabled user take the same path,
// hash included, and get the same answers as a wrong password and a locked account.
func (s *Service) Login(ctx context.Context, email, pass, address string) (SignIn, error) {
	email = strings.ToLower(strings.TrimSpace(email))
	if len(email) > maxEmail {
		return SignIn{}, errBadCredentials
	}
	if f, err := s.store.GetSignInFailures(ctx, email, address); err == nil && s.clock().Before(f.LockedUntil) {
		return SignIn{}, locked(f.LockedUntil)
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return SignIn{}, err
	}
	turn, err := s.hasher.TurnFor(ctx, address)
	if err != nil {
		return SignIn{}, err
	}
	defer turn.Release()
	if err := s.countAttempt(ctx, email, address); err != nil {
		return SignIn{}, err
	}
	u, err := s.store.GetUserByEmail(ctx, email)
	if errors.Is(err, store.ErrNotFound) || (err == nil && u.Disabled()) {
		_, _ = turn.Hash(pass) // spend the same time as for an enabled account
		return SignIn{}, errBadCredentials
	}
	if err != nil {
		return SignIn{}, err
	}
	if err := turn.Check(u.PasswordHash, pass); errors.Is(err, password.ErrMismatch) {
		return SignIn{}, errBadCredentials
	} else if err != nil {
		return SignIn{}, err
	}
	var in SignIn
	err = s.write(ctx, true, func(tx store.Tx, now time.Time) error {
		u, err := tx.GetUser(ctx, u.ID)
		if errors.Is(err, store.ErrNotFound) || (err == nil && u.Disabled()) {
			return errBadCredentials // disabled or deleted while the password was checked
		}
		if err != nil {
			return err
		}
		if err := tx.ClearSignInFailures(ctx, email, address); err != nil {
			return err
		}
		token, csrf := randomToken(), randomToken()
		in = SignIn{Token: token, CSRF: csrf, User: u}
		return tx.InsertSession(ctx, store.Session{ID: sessionID(token), UserID: u.ID, CSRF: csrf, CreatedAt: now,
			ExpiresAt: now.Add(SessionLifetime)})
	})
	return in, err
}

// countAttempt counts one attempt of email from address, locking the pair when it reaches the
// limit, or refuses it when the pair is locked.
func (s *Service) countAttempt(ctx context.Context, email, address string) error {
	var until time.Time
	err := s.write(ctx, false, func(tx store.Tx, now time.Time) error {
		f, err := tx.CountSignInAttempt(ctx, email, address, now)
		if errors.Is(err, store.ErrConflict) {
			locked, err := tx.GetSignInFailures(ctx, email, address)
			until = locked.LockedUntil
			return err
		}
		if err != nil {
			return err
		}
		if wait := lockout(f.Failures); wait > 0 {
			return tx.LockSignIn(ctx, email, address, now.Add(wait))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !until.IsZero() {
		return locked(until)
	}
	return nil
}

// locked refuses an attempt on a pair locked until the time.
func locked(until time.Time) error {
	return fault.New(fault.RateLimited, fault.CodeTooManyAttempts, "", "too many failed sign-ins: try again after %s",
		until.UTC().Format("15:04:05 UTC"))
}

// SignInLocks lists the (email, address) pairs locked now, up to limit, the longest locked
// first (admin).
func (s *Service) SignInLocks(ctx context.Context, who actor.Actor, limit int) ([]store.SignInFailures, error) {
	if err := actor.RequireAdmin(who, "read sign-in locks"); err != nil {
		return nil, err
	}
	return s.store.ListSignInLocks(ctx, s.clock(), limit)
}

// Session returns the signed-in actor of a session token, with its session; an unknown or
// expired token, or a disabled user's, is unauthenticated.
func (s *Service) Session(ctx context.Context, token string) (actor.Actor, store.Session, store.User, error) {
	none := fault.New(fault.Unauthenticated, fault.CodeSignedOut, "", "sign in first")
	if token == "" {
		return actor.Actor{}, store.Session{}, store.User{}, none
	}
	sess, err := s.store.GetSession(ctx, sessionID(token))
	if errors.Is(err, store.ErrNotFound) || (err == nil && !s.clock().Before(sess.ExpiresAt)) {
		return actor.Actor{}, store.Session{}, store.User{}, none
	}
	if err != nil {
		return actor.Actor{}, store.Session{}, store.User{}, err
	}
	u, err := s.store.GetUser(ctx, sess.UserID)
	if errors.Is(err, store.ErrNotFound) || (err == nil && u.Disabled()) {
		return actor.Actor{}, store.Session{}, store.User{}, none
	}
	if err != nil {
		return actor.Actor{}, store.Session{}, store.User{}, err
	}
	return actor.User(u.ID, actor.Role(u.Role), u.PartyID), sess, u, nil
}

// Logout ends a session.
func (s *Service) Logout(ctx context.Context, token string) error {
	return s.write(ctx, false, func(tx store.Tx, now time.Time) error { return tx.DeleteSession(ctx, sessionID(token)) })
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
