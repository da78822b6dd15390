package web_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/oauth2"

	"disputed/internal/actor"
	"disputed/internal/testenv"
	"disputed/internal/testenv/browsertest"
)

// TestBrowserAppsPageAndConsent: an admin registers an app on the Apps page and sees its secret
// once; the app's consent page says what it asks for in words, and Approve sends the browser back
// to the app with a code (the page's form-action lets it leave); the app's page then lists what
// it did, and Disconnect ends its token at once.
func TestBrowserAppsPageAndConsent(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	ctx := browsertest.NewSignedIn(t, e, c, actor.Admin, "")
	// The app's side: its redirect URI records what the browser brings back.
	arrived := make(chan url.Values, 1)
	appSite := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case arrived <- r.URL.Query():
		default:
		}
		_, _ = w.Write([]byte("<h1>Connected</h1>"))
	}))
	t.Cleanup(appSite.Close)
	redirect := appSite.URL + "/callback"

	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/apps"), chromedp.WaitVisible(chromedp.CSS("#new-app")),
		chromedp.SendKeys(chromedp.CSS(`#new-app input[name=name]`), "Shield from the page"),
		chromedp.SendKeys(chromedp.CSS(`#new-app textarea[name=redirect_uris]`), redirect),
		chromedp.Click(chromedp.CSS(`#new-app input[value="disputes:read"]`)),
		chromedp.Click(chromedp.CSS(`#new-app input[value="disputes:write"]`)),
	)
	browsertest.Submit(t, ctx, `#new-app button[type=submit]`, "#secret-box", "shown only this once")
	id, secret := browsertest.Text(t, ctx, "#client-id"), browsertest.Text(t, ctx, "#secret")
	if !strings.HasPrefix(id, "app_") || !strings.HasPrefix(secret, "appsecret_") {
		t.Fatalf("client id %q, secret %q", id, secret)
	}
	browsertest.Wait(t, ctx, "#app-"+id, "disputes:read")

	cfg := oauth2.Config{ClientID: id, ClientSecret: secret, RedirectURL: redirect, Scopes: []string{"disputes:read", "disputes:write"},
		Endpoint: oauth2.Endpoint{AuthURL: c.URL + "/oauth/authorize", TokenURL: c.URL + "/oauth/token"}}
	verifier := oauth2.GenerateVerifier()
	browsertest.Do(t, ctx, chromedp.Navigate(cfg.AuthCodeURL(testenv.AppState, oauth2.S256ChallengeOption(verifier))))
	browsertest.Wait(t, ctx, "h1", "Connect Shield from the page")
	words := browsertest.Text(t, ctx, "#consent-scopes")
	if !strings.Contains(words, actor.Scope("disputes:read").Words()) || !strings.Contains(words, actor.Scope("disputes:write").Words()) {
		t.Fatalf("the consent page's scopes: %q", words)
	}
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`#consent-form button[value=approve]`)))
	var back url.Values
	select {
	case back = <-arrived:
	case <-time.After(10 * time.Second):
		href, _ := chromedp.Run(ctx, chromedp.Location())
		t.Fatalf("Approve did not send the browser to the app: at %s", href)
	}
	if back.Get("state") != testenv.AppState {
		t.Fatalf("the app got %v", back)
	}
	tok, err := cfg.Exchange(testenv.OAuthContext(c), back.Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		t.Fatalf("exchange the code the browser brought back: %v", err)
	}
	app := c.As(tok.AccessToken)
	testenv.WantStatus(t, app.Post("/v1/disputes", map[string]any{"type": "alert", "alert_type": "tc40", "amount": 500, "currency": "USD"}), http.StatusCreated)

	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/apps/"+id))
	browsertest.Wait(t, ctx, "#app-connected", "yes")
	browsertest.Wait(t, ctx, "#app-registered-by", "admin@example.com") // the admin who registered it, by name
	browsertest.Wait(t, ctx, "#app-actions", "Dispute opened")
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`a[href="#disconnect"]`)))
	browsertest.Submit(t, ctx, `#disconnect button[type=submit]`, "p.notice", "App disconnected")
	browsertest.Wait(t, ctx, "#app-connected", "no")
	testenv.WantError(t, app.Get("/v1/disputes"), http.StatusUnauthorized, "invalid_oauth_token")
}
