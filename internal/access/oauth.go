package access

import (
	"context"
	"crypto/subtle"
	"errors"
	"time"

	"github.com/ory/fosite"
	"github.com/ory/fosite/compose"

	"disputed/internal/store"
)

// The OAuth 2.0 server that lets dispute-service apps in is ory/fosite: the authorization-code
// flow with PKCE (required), rotating refresh tokens, revocation and token introspection. What
// is ours is the storage (oauthgrants.go), the consent (oauthconsent.go) and what a token is
// worth on the API (Authenticate).

// Token lifetimes: access tokens are short, so that a disconnection or an admin's departure
// takes effect soon even for a token already handed out (both also end them at once);
// refresh tokens rotate on every use.
const (
	accessTokenLifespan   = 15 * time.Minute
	refreshTokenLifespan  = 30 * 24 * time.Hour
	authorizeCodeLifespan = 10 * time.Minute
)

// accessTokenPrefix starts every access token fosite's HMAC strategy makes, which tells an app's
// token from an API key.
const accessTokenPrefix = "ory_at_"

// newOAuth builds the OAuth 2.0 provider over the service's store; keys sign the tokens (the
// first signs, all verify), so that rotating the server's secret key keeps them working.
func (s *Service) newOAuth(keys [][]byte) fosite.OAuth2Provider {
	config := &fosite.Config{
		AccessTokenLifespan:   accessTokenLifespan,
		RefreshTokenLifespan:  refreshTokenLifespan,
		AuthorizeCodeLifespan: authorizeCodeLifespan,
		GlobalSecret:          keys[0],
		RotatedGlobalSecrets:  keys[1:],
		ScopeStrategy:         fosite.ExactScopeStrategy,
		EnforcePKCE:           true,
		// Every consent may be refreshed: an app acts for the merchant until disconnected, with
		// no "offline" scope to ask for.
		RefreshTokenScopes:    []string{},
		RedirectSecureChecker: fosite.IsRedirectURISecureStrict,
		ClientSecretsHasher:   secretHasher{},
	}
	return compose.Compose(config, grants{s}, compose.NewOAuth2HMACStrategy(config),
		compose.OAuth2AuthorizeExplicitFactory,
		compose.OAuth2RefreshTokenGrantFactory,
		compose.OAuth2PKCEFactory,
		compose.OAuth2TokenRevocationFactory,
		compose.OAuth2TokenIntrospectionFactory,
	)
}

// secretHasher checks client secrets as API keys are checked (hashSecret): they are random, so a
// plain SHA-256 is enough, and fosite's default (bcrypt) would cost every token request 50 ms.
type secretHasher struct{}

func (secretHasher) Hash(_ context.Context, data []byte) ([]byte, error) {
	return []byte(hashSecret(string(data))), nil
}

func (secretHasher) Compare(_ context.Context, hash, data []byte) error {
	if subtle.ConstantTimeCompare(hash, []byte(hashSecret(string(data)))) != 1 {
		return errors.New("the client secret does not match")
	}
	return nil
}

// appClient is an app as fosite sees it: a confidential client of the authorization-code flow.
type appClient struct {
	*fosite.DefaultClient
	app store.App
}

func newAppClient(a store.App) *appClient {
	return &appClient{app: a, DefaultClient: &fosite.DefaultClient{
		ID: a.ID, Secret: []byte(a.SecretHash), RedirectURIs: a.RedirectURIs, Scopes: a.Scopes,
		GrantTypes: []string{"authorization_code", "refresh_token"}, ResponseTypes: []string{"code"},
	}}
}
