package testenv

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"golang.org/x/oauth2"

	"disputed/internal/httpapi"
)

// Dispute-service apps, as one would connect: golang.org/x/oauth2 is the client, the consent is
// given through the UI by a signed-in admin (Forms).

// AppRedirect is the redirect URI of the test apps: never called, the tests read the redirect.
const AppRedirect = "http://127.0.0.1:9/callback"

// AppState is the state the test apps send, which comes back with the answer.
const AppState = "state-0123456789"

// App is a connected app: its client configuration and the tokens its code was exchanged for.
type App struct {
	ID     string
	Config oauth2.Config
	Token  *oauth2.Token
}

// RegisterApp registers an app named "Chargeback Shield" asking for scopes, as c's key.
func RegisterApp(c *Client, scopes ...string) (httpapi.NewApp, oauth2.Config) {
	c.T.Helper()
	a := Want[httpapi.NewApp](c.T, c.Post("/v1/apps", map[string]any{
		"name": "Chargeback Shield", "redirect_uris": []string{AppRedirect}, "scopes": scopes}), 201)
	return a, oauth2.Config{ClientID: a.ID, ClientSecret: a.Secret, RedirectURL: AppRedirect, Scopes: scopes,
		Endpoint: oauth2.Endpoint{AuthURL: c.URL + "/oauth/authorize", TokenURL: c.URL + "/oauth/token"}}
}

// Authorize sends the signed-in admin to the app's authorization URL (with PKCE's challenge of
// verifier), answers the consent page with decision ("approve" or "refuse"), and returns where
// the answer sent the browser: the app's redirect URI, with a code or an error.
func (f *Forms) Authorize(cfg oauth2.Config, verifier, decision string) *url.URL {
	f.T.Helper()
	auth, err := url.Parse(cfg.AuthCodeURL(AppState, oauth2.S256ChallengeOption(verifier)))
	if err != nil {
		f.T.Fatal(err)
	}
	if page := f.Get(auth.RequestURI()); page.Status != http.StatusOK || !strings.Contains(page.Body, "<h1>Connect ") {
		f.T.Fatalf("consent page: %d\n%s", page.Status, page.Body)
	}
	form := auth.Query()
	form.Set("decision", decision)
	answer := f.Post("/oauth/authorize", f.Signed(form))
	back, err := url.Parse(answer.Location)
	if answer.Status/100 != 3 || err != nil || !strings.HasPrefix(answer.Location, cfg.RedirectURL) {
		f.T.Fatalf("the consent's answer went to %q (%d), not the app's redirect URI\n%s", answer.Location, answer.Status, answer.Body)
	}
	return back
}

// OAuthContext makes golang.org/x/oauth2 call the server with c's HTTP client.
func OAuthContext(c *Client) context.Context {
	return context.WithValue(context.Background(), oauth2.HTTPClient, c.HTTP())
}

// ConnectApp registers an app asking for scopes (as c's key), has the admin signed in to f
// approve it, and exchanges the code, as the app would.
func ConnectApp(c *Client, f *Forms, scopes ...string) App {
	c.T.Helper()
	a, cfg := RegisterApp(c, scopes...)
	verifier := oauth2.GenerateVerifier()
	back := f.Authorize(cfg, verifier, "approve")
	if back.Query().Get("state") != AppState || back.Query().Get("code") == "" {
		c.T.Fatalf("approved: %s", back)
	}
	tok, err := cfg.Exchange(OAuthContext(c), back.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		c.T.Fatalf("exchange the code: %v", err)
	}
	return App{ID: a.ID, Config: cfg, Token: tok}
}
