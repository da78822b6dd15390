package store

import (
	"context"
	"time"
)

// AppReader reads the dispute-service apps and the grants of their OAuth flow.
type AppReader interface {
	// GetApp returns the app with that client id, or ErrNotFound.
	GetApp(ctx context.Context, id string) (App, error)
	// ListApps returns every app, newest first (there are few).
	ListApps(ctx context.Context) ([]App, error)
	// GetOAuthGrant returns the code, token or challenge of that kind and signature, active or
	// not, or ErrNotFound.
	GetOAuthGrant(ctx context.Context, kind, signature string) (OAuthGrant, error)
	// CountOAuthConnections says how many consents of the app still hold a working token at now.
	CountOAuthConnections(ctx context.Context, appID string, now time.Time) (int, error)
}

// AppWriter writes the apps and their grants, inside a Tx.
type AppWriter interface {
	// InsertApp returns ErrConflict for a taken id.
	InsertApp(ctx context.Context, a App) error
	// DeleteApp removes the app, its grants and its webhook endpoints; ErrNotFound when there is
	// no such app.
	DeleteApp(ctx context.Context, id string) error
	// TouchApp records that the app acted at that time (kept to the minute).
	TouchApp(ctx context.Context, id string, at time.Time) error
	// InsertOAuthGrant returns ErrConflict for a taken kind and signature.
	InsertOAuthGrant(ctx context.Context, g OAuthGrant) error
	// DeleteOAuthGrant removes one code, token or challenge; ErrNotFound when there is none.
	DeleteOAuthGrant(ctx context.Context, kind, signature string) error
	// DeactivateOAuthGrant marks one used (an authorization code exchanged); ErrNotFound when
	// there is none.
	DeactivateOAuthGrant(ctx context.Context, kind, signature string) error
	// DeactivateOAuthRequest marks every grant of that kind one consent produced as revoked.
	DeactivateOAuthRequest(ctx context.Context, kind, requestID string) error
	// DeleteOAuthRequest removes every grant of that kind one consent produced.
	DeleteOAuthRequest(ctx context.Context, kind, requestID string) error
	// DeleteOAuthGrantsOfApp removes every grant of the app (it was disconnected), and says how
	// many.
	DeleteOAuthGrantsOfApp(ctx context.Context, appID string) (int, error)
	// PurgeOAuthGrants deletes the grants that expired before the time, and says how many.
	PurgeOAuthGrants(ctx context.Context, before time.Time) (int, error)
}

// App is a dispute-service app: an OAuth 2.0 client the merchant let in. Only the hash of its
// secret is kept.
type App struct {
	ID           string // the client id
	Name         string
	SecretHash   string // hex SHA-256 of the client secret
	RedirectURIs []string
	Scopes       []string // what it may ask for
	RegisteredBy string   // the actor who registered it, as the timeline names actors
	CreatedAt    time.Time
	LastUsedAt   time.Time // zero until it first calls the API
}

// The kinds of OAuth grants.
const (
	GrantCode    = "code"
	GrantAccess  = "access"
	GrantRefresh = "refresh"
	GrantPKCE    = "pkce"
)

// OAuthGrant is one authorization code, access token, refresh token or PKCE challenge, kept by
// its signature: the token itself is never stored.
type OAuthGrant struct {
	Signature       string
	Kind            string
	RequestID       string // the consent it comes from
	AppID           string
	UserID          string // the admin who approved
	RequestedScopes []string
	GrantedScopes   []string
	Form            string // the request's parameters, URL-encoded
	RequestedAt     time.Time
	ExpiresAt       time.Time
	Active          bool // false once a code was exchanged or a refresh token rotated
}
