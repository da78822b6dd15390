package access

import (
	"context"
	"errors"
	"net/url"
	"time"

	"github.com/ory/fosite"

	"disputed/internal/store"
)

// grants is fosite's storage: apps are its clients, and every code, token and PKCE challenge is
// an OAuthGrant row kept by its signature.
type grants struct{ s *Service }

// keptForm are the parameters of a request worth keeping with its grant: what a later step
// checks (the redirect URI of the code exchange, PKCE's challenge). The rest (a refresh token,
// a client secret sent in the form) must never reach the database.
var keptForm = []string{"client_id", "redirect_uri", "response_type", "scope", "code_challenge", "code_challenge_method"}

// tokenTypes is the token type fosite keeps each grant's expiry under.
var tokenTypes = map[string]fosite.TokenType{
	store.GrantCode: fosite.AuthorizeCode, store.GrantPKCE: fosite.AuthorizeCode,
	store.GrantAccess: fosite.AccessToken, store.GrantRefresh: fosite.RefreshToken,
}

func (g grants) GetClient(ctx context.Context, id string) (fosite.Client, error) {
	a, err := g.s.store.GetApp(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fosite.ErrNotFound.WithHint("No app has this client id.")
	}
	if err != nil {
		return nil, err
	}
	return newAppClient(a), nil
}

// ClientAssertionJWTValid and SetClientAssertionJWT serve JWT client authentication, which apps
// do not use (they authenticate with their secret): no assertion is ever valid.
func (g grants) ClientAssertionJWTValid(context.Context, string) error {
	return fosite.ErrJTIKnown.WithHint("Apps authenticate with their client secret.")
}

func (g grants) SetClientAssertionJWT(context.Context, string, time.Time) error { return nil }

func (g grants) create(ctx context.Context, kind, signature string, r fosite.Requester) error {
	form := url.Values{}
	for _, k := range keptForm {
		if v := r.GetRequestForm().Get(k); v != "" {
			form.Set(k, v)
		}
	}
	return g.s.write(ctx, false, func(tx store.Tx, now time.Time) error {
		expires := r.GetSession().GetExpiresAt(tokenTypes[kind])
		if expires.IsZero() {
			expires = now.Add(refreshTokenLifespan)
		}
		return tx.InsertOAuthGrant(ctx, store.OAuthGrant{
			Signature: signature, Kind: kind, RequestID: r.GetID(), AppID: r.GetClient().GetID(),
			UserID: r.GetSession().GetSubject(), RequestedScopes: r.GetRequestedScopes(),
			GrantedScopes: r.GetGrantedScopes(), Form: form.Encode(), RequestedAt: r.GetRequestedAt(),
			ExpiresAt: expires, Active: true,
		})
	})
}

// get rebuilds the request a grant was made by, into session. A grant no longer active comes
// with inactive, as fosite wants it (the request, and the error).
func (g grants) get(ctx context.Context, kind, signature string, session fosite.Session, inactive error) (fosite.Requester, error) {
	row, err := g.s.store.GetOAuthGrant(ctx, kind, signature)
	if errors.Is(err, store.ErrNotFound) {
		return nil, fosite.ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	client, err := g.GetClient(ctx, row.AppID)
	if err != nil {
		return nil, err
	}
	form, err := url.ParseQuery(row.Form)
	if err != nil {
		return nil, err
	}
	if session == nil {
		session = &fosite.DefaultSession{}
	}
	if ds, ok := session.(*fosite.DefaultSession); ok {
		ds.Subject = row.UserID
	}
	session.SetExpiresAt(tokenTypes[kind], row.ExpiresAt)
	r := &fosite.Request{
		ID: row.RequestID, RequestedAt: row.RequestedAt, Client: client, Form: form, Session: session,
		RequestedScope: fosite.Arguments(row.RequestedScopes), GrantedScope: fosite.Arguments(row.GrantedScopes),
	}
	if !row.Active {
		return r, inactive
	}
	return r, nil
}

// change writes grants in a transaction, reporting one that is not there as fosite wants it.
func (g grants) change(ctx context.Context, fn func(tx store.Tx) error) error {
	err := g.s.write(ctx, false, func(tx store.Tx, _ time.Time) error { return fn(tx) })
	if errors.Is(err, store.ErrNotFound) {
		return fosite.ErrNotFound
	}
	return err
}

func (g grants) delete(ctx context.Context, kind, signature string) error {
	return g.change(ctx, func(tx store.Tx) error { return tx.DeleteOAuthGrant(ctx, kind, signature) })
}

func (g grants) CreateAuthorizeCodeSession(ctx context.Context, code string, r fosite.Requester) error {
	return g.create(ctx, store.GrantCode, code, r)
}

func (g grants) GetAuthorizeCodeSession(ctx context.Context, code string, session fosite.Session) (fosite.Requester, error) {
	return g.get(ctx, store.GrantCode, code, session, fosite.ErrInvalidatedAuthorizeCode)
}

// InvalidateAuthorizeCodeSession keeps the used code, inactive, so that a second exchange of it
// is recognised (and fosite revokes what the first one gave).
func (g grants) InvalidateAuthorizeCodeSession(ctx context.Context, code string) error {
	return g.change(ctx, func(tx store.Tx) error { return tx.DeactivateOAuthGrant(ctx, store.GrantCode, code) })
}

func (g grants) CreateAccessTokenSession(ctx context.Context, signature string, r fosite.Requester) error {
	return g.create(ctx, store.GrantAccess, signature, r)
}

func (g grants) GetAccessTokenSession(ctx context.Context, signature string, session fosite.Session) (fosite.Requester, error) {
	return g.get(ctx, store.GrantAccess, signature, session, fosite.ErrInactiveToken)
}

func (g grants) DeleteAccessTokenSession(ctx context.Context, signature string) error {
	return g.delete(ctx, store.GrantAccess, signature)
}

func (g grants) CreateRefreshTokenSession(ctx context.Context, signature, _ string, r fosite.Requester) error {
	return g.create(ctx, store.GrantRefresh, signature, r)
}

// GetRefreshTokenSession returns a rotated refresh token with fosite.ErrInactiveToken: its reuse
// is a sign of theft, on which fosite revokes the whole grant.
func (g grants) GetRefreshTokenSession(ctx context.Context, signature string, session fosite.Session) (fosite.Requester, error) {
	return g.get(ctx, store.GrantRefresh, signature, session, fosite.ErrInactiveToken)
}

func (g grants) DeleteRefreshTokenSession(ctx context.Context, signature string) error {
	return g.delete(ctx, store.GrantRefresh, signature)
}

// RotateRefreshToken ends the grant's refresh and access tokens when a refresh token is used;
// the refresh flow then issues new ones.
func (g grants) RotateRefreshToken(ctx context.Context, requestID, _ string) error {
	return g.change(ctx, func(tx store.Tx) error {
		if err := tx.DeactivateOAuthRequest(ctx, store.GrantRefresh, requestID); err != nil {
			return err
		}
		return tx.DeleteOAuthRequest(ctx, store.GrantAccess, requestID)
	})
}

func (g grants) RevokeRefreshToken(ctx context.Context, requestID string) error {
	return g.change(ctx, func(tx store.Tx) error { return tx.DeactivateOAuthRequest(ctx, store.GrantRefresh, requestID) })
}

func (g grants) RevokeAccessToken(ctx context.Context, requestID string) error {
	return g.change(ctx, func(tx store.Tx) error { return tx.DeleteOAuthRequest(ctx, store.GrantAccess, requestID) })
}

func (g grants) CreatePKCERequestSession(ctx context.Context, signature string, r fosite.Requester) error {
	return g.create(ctx, store.GrantPKCE, signature, r)
}

func (g grants) GetPKCERequestSession(ctx context.Context, signature string, session fosite.Session) (fosite.Requester, error) {
	return g.get(ctx, store.GrantPKCE, signature, session, fosite.ErrInactiveToken)
}

func (g grants) DeletePKCERequestSession(ctx context.Context, signature string) error {
	return g.delete(ctx, store.GrantPKCE, signature)
}
