package store

import (
	"context"
	"time"
)

// AccessStore is what sign-in, users, sessions and API keys take: their reads outside a
// transaction, and write transactions (whose Tx holds AccessWriter).
type AccessStore interface {
	AccessReader
	Transactor
}

// AccessReader reads users, sessions, sign-in limits, setup tokens and API keys.
type AccessReader interface {
	GetUser(ctx context.Context, id string) (User, error)
	// GetUserByEmail finds a user by email, which the store keeps lower-cased.
	GetUserByEmail(ctx context.Context, email string) (User, error)
	CountUsersWithRole(ctx context.Context, role string) (int, error)
	// ListUsers returns every user by email.
	ListUsers(ctx context.Context) ([]User, error)
	GetSession(ctx context.Context, id string) (Session, error)
	// GetSignInFailures returns the failed sign-ins of email from address, or ErrNotFound.
	GetSignInFailures(ctx context.Context, email, address string) (SignInFailures, error)
	// ListSignInLocks returns up to limit (email, address) pairs locked at now, the longest
	// locked first.
	ListSignInLocks(ctx context.Context, now time.Time, limit int) ([]SignInFailures, error)
	// SetupTokenExists reports whether a setup token with that hash is waiting to be used.
	SetupTokenExists(ctx context.Context, hash string) (bool, error)
	GetAPIKey(ctx context.Context, id string) (APIKey, error)
	// GetAPIKeyByHash returns the key whose secret hashes to hash, revoked or not, or ErrNotFound.
	GetAPIKeyByHash(ctx context.Context, hash string) (APIKey, error)
	// ListAPIKeys returns every key, revoked ones included, newest first, keyset-paginated like
	// the other lists.
	ListAPIKeys(ctx context.Context, p Page) ([]APIKey, error)
}

// AccessWriter writes users, sessions, sign-in limits, setup tokens and API keys, inside a Tx.
type AccessWriter interface {
	// InsertUser returns ErrConflict when the email is taken.
	InsertUser(ctx context.Context, u User) error
	UpdateUser(ctx context.Context, u User) error
	// DeleteUser returns ErrNotFound when there is no such user; its sessions are left to
	// DeleteSessionsOfUser.
	DeleteUser(ctx context.Context, id string) error
	InsertSession(ctx context.Context, s Session) error
	DeleteSession(ctx context.Context, id string) error
	// DeleteSessionsOfUser signs a user out everywhere, and says how many sessions ended.
	DeleteSessionsOfUser(ctx context.Context, userID string) (int, error)
	// CountSignInAttempt counts one more attempt of email from address, before its password is
	// checked, and returns the count as it is now. When the pair is locked at now (LockedUntil
	// after now), nothing is counted and it returns ErrConflict. Concurrent attempts are counted
	// one after the other.
	CountSignInAttempt(ctx context.Context, email, address string, now time.Time) (SignInFailures, error)
	// LockSignIn refuses the attempts of email from address until the time.
	LockSignIn(ctx context.Context, email, address string, until time.Time) error
	// ClearSignInFailures forgets the attempts of email from address (a success).
	ClearSignInFailures(ctx context.Context, email, address string) error
	// PurgeSignInFailures deletes the pairs neither tried nor locked since the time, and says
	// how many.
	PurgeSignInFailures(ctx context.Context, before time.Time) (int, error)
	// InsertSetupToken keeps the hash of a setup token.
	InsertSetupToken(ctx context.Context, hash string, createdAt time.Time) error
	// DeleteSetupTokens deletes every setup token (the first admin exists).
	DeleteSetupTokens(ctx context.Context) error
	// PurgeSessions deletes the sessions that expired before the time, and says how many.
	PurgeSessions(ctx context.Context, before time.Time) (int, error)
	InsertAPIKey(ctx context.Context, k APIKey) error
	// RevokeAPIKey records that the key was revoked at that time by that actor. ErrNotFound when
	// there is no such key; ErrConflict when it is revoked already (the first revocation stands).
	RevokeAPIKey(ctx context.Context, id string, at time.Time, by string) error
}

// User is a person who signs in to the web UI.
type User struct {
	ID           string
	Email        string // lower case
	PasswordHash string // argon2id, PHC format (internal/password)
	Role         string
	PartyID      string    // buyers and vendors: the customer or vendor id they are
	DisabledAt   time.Time // zero while the user may sign in
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Disabled reports whether an admin disabled the user.
func (u User) Disabled() bool { return !u.DisabledAt.IsZero() }

// SignInFailures counts the sign-in attempts of one email, as typed, from one client address
// since the last success.
type SignInFailures struct {
	Email       string // lower case
	Address     string
	Failures    int
	LockedUntil time.Time // zero when never locked
	UpdatedAt   time.Time // the last attempt
}

// Session is a signed-in browser.
type Session struct {
	ID        string // the SHA-256 of the cookie's token, hex
	UserID    string
	CSRF      string // the token every form of the session carries
	CreatedAt time.Time
	ExpiresAt time.Time
}

// APIKey is a credential; only the hash of its secret is stored.
type APIKey struct {
	ID        string
	Role      string
	PartyID   string // buyer and vendor keys: the customer or vendor id they act for
	Hash      string // hex SHA-256 of the secret
	Prefix    string // the first characters of the secret, to recognise it in a list
	Name      string
	CreatedAt time.Time
	RevokedAt time.Time // zero while the key works
	RevokedBy string    // the actor who revoked it, as the timeline names actors
}

// Revoked reports whether the key was revoked: it authenticates no more.
func (k APIKey) Revoked() bool { return !k.RevokedAt.IsZero() }
