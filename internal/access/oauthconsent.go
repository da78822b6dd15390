package access

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"time"

	"github.com/ory/fosite"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/store"
)

// Consent is an app's authorization request (GET /oauth/authorize), read and checked, waiting for
// an admin to approve or refuse it.
type Consent struct {
	App    store.App
	Scopes []actor.ScopeInfo // what it asks for, in the catalogue's order and words
	req    fosite.AuthorizeRequester
}

// ReadConsent reads and checks an authorization request. When it is not valid, the error says
// why; the request, when one was read, says whether the app can be told (ConsentError).
func (s *Service) ReadConsent(r *http.Request) (*Consent, error) {
	ar, err := s.oauth.NewAuthorizeRequest(r.Context(), r)
	c := &Consent{req: ar}
	if err != nil {
		return c, err
	}
	// fosite checks PKCE only once the consent is given: an app that cannot finish is told now,
	// before an admin approves it for nothing.
	if f := ar.GetRequestForm(); f.Get("code_challenge") == "" || f.Get("code_challenge_method") != "S256" {
		return c, fosite.ErrInvalidRequest.WithHint("PKCE is required: send code_challenge with code_challenge_method S256.")
	}
	if client, ok := ar.GetClient().(*appClient); ok {
		c.App = client.app
	}
	for _, sc := range actor.Scopes {
		if slices.Contains(ar.GetRequestedScopes(), string(sc.Scope)) {
			c.Scopes = append(c.Scopes, sc)
		}
	}
	return c, nil
}

// Redirects reports whether an answer to the request may go back to the app: its client and
// redirect URI are known. When not, the person gets the error on a page of ours, not at an
// address the request chose.
func (c *Consent) Redirects() bool { return c.req != nil && c.req.IsRedirectURIValid() }

// ConsentError sends the app an error for its request, at its redirect URI (c.Redirects).
func (s *Service) ConsentError(w http.ResponseWriter, r *http.Request, c *Consent, err error) {
	s.oauth.WriteAuthorizeError(r.Context(), w, c.req, err)
}

// ErrorWords are the words of an OAuth error for a person.
func ErrorWords(err error) string {
	if e := fosite.ErrorToRFC6749Error(err); e.DescriptionField != "" {
		if e.HintField != "" {
			return e.DescriptionField + " " + e.HintField
		}
		return e.DescriptionField
	}
	return err.Error()
}

// Approve grants the app what it asked for, for who (a signed-in admin, whose role its tokens
// will have), and sends the merchant back to the app with an authorization code.
func (s *Service) Approve(w http.ResponseWriter, r *http.Request, who actor.Actor, c *Consent) error {
	if err := requireAdminUser(who, "connect apps"); err != nil {
		return err
	}
	for _, sc := range c.req.GetRequestedScopes() {
		c.req.GrantScope(sc)
	}
	resp, err := s.oauth.NewAuthorizeResponse(r.Context(), c.req, &fosite.DefaultSession{Subject: who.ID})
	if err != nil {
		s.ConsentError(w, r, c, err)
		return nil
	}
	s.log.Info("app connected", "app", c.App.ID, "scopes", c.req.GetGrantedScopes(), "by", who.String())
	s.oauth.WriteAuthorizeResponse(r.Context(), w, c.req, resp)
	return nil
}

// Refuse sends the merchant back to the app with access_denied.
func (s *Service) Refuse(w http.ResponseWriter, r *http.Request, who actor.Actor, c *Consent) error {
	if err := requireAdminUser(who, "connect apps"); err != nil {
		return err
	}
	s.ConsentError(w, r, c, fosite.ErrAccessDenied.WithHint("The merchant refused."))
	return nil
}

// requireAdminUser allows a signed-in admin: an app acts with the role of the person who let it
// in, so neither a key nor an app may approve one.
func requireAdminUser(who actor.Actor, what string) error {
	if who.Kind != "user" {
		return actor.Refuse(what)
	}
	return actor.RequireAdmin(who, what)
}

// Token answers the token endpoint (POST /oauth/token): an authorization code, or a refresh
// token, for new tokens, in OAuth's own JSON.
func (s *Service) Token(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ar, err := s.oauth.NewAccessRequest(ctx, r, &fosite.DefaultSession{})
	if err != nil {
		s.oauth.WriteAccessError(ctx, w, ar, err)
		return
	}
	resp, err := s.oauth.NewAccessResponse(ctx, ar)
	if err != nil {
		s.oauth.WriteAccessError(ctx, w, ar, err)
		return
	}
	s.oauth.WriteAccessResponse(ctx, w, ar, resp)
}

// Revoke answers the revocation endpoint (POST /oauth/revoke, RFC 7009): the token, and the
// rest of its grant, stop working.
func (s *Service) Revoke(w http.ResponseWriter, r *http.Request) {
	s.oauth.WriteRevocationResponse(r.Context(), w, s.oauth.NewRevocationRequest(r.Context(), r))
}

// authenticateApp resolves an app's access token into the app acting with its approving admin's
// role and its granted scopes. The token no longer works once revoked, expired, or when that
// admin can no longer sign in.
func (s *Service) authenticateApp(ctx context.Context, token string) (actor.Actor, error) {
	session := &fosite.DefaultSession{}
	_, ar, err := s.oauth.IntrospectToken(ctx, token, fosite.AccessToken, session)
	if err != nil {
		return actor.Actor{}, invalidToken("the access token is not valid: expired, revoked, or never issued")
	}
	client, ok := ar.GetClient().(*appClient)
	if !ok {
		return actor.Actor{}, invalidToken("the access token is not valid")
	}
	u, err := s.store.GetUser(ctx, session.Subject)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return actor.Actor{}, invalidToken("the admin who approved this app is gone: the merchant must connect it again")
	case err != nil:
		return actor.Actor{}, err
	case u.Disabled() || u.Role != string(actor.Admin):
		return actor.Actor{}, invalidToken("the admin who approved this app can no longer sign in: the merchant must connect it again")
	}
	return actor.App(client.app.ID, actor.Role(u.Role), actor.NewScopeSet(ar.GetGrantedScopes())), nil
}

func invalidToken(why string) error {
	return fault.New(fault.Unauthenticated, fault.CodeInvalidOAuthToken, "", "%s", why)
}

// Acted records that an app acted (a request its token and scopes let through), at most once a
// minute: the Apps page shows when it last did. A refused request records nothing.
func (s *Service) Acted(ctx context.Context, who actor.Actor) {
	if who.Kind != "app" {
		return
	}
	a, err := s.store.GetApp(ctx, who.ID)
	if err != nil || s.clock().Sub(a.LastUsedAt) < time.Minute {
		return
	}
	if err := s.write(ctx, false, func(tx store.Tx, now time.Time) error { return tx.TouchApp(ctx, a.ID, now) }); err != nil {
		s.log.Warn("record the use of an app", "app", a.ID, "err", err)
	}
}
