package httpapi_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"disputed/internal/actor"
	"disputed/internal/httpapi"
	"disputed/internal/outbound"
	"disputed/internal/testenv"
	"disputed/internal/webhook/webhooktest"
)

// TestAppRunsTheSeedFlow runs the seed's dispute-service app end to end as an app would: registered
// by an admin, connected through the OAuth 2.0 authorization-code flow with PKCE
// (golang.org/x/oauth2 as the client, an admin's consent in the UI), then subscribing, receiving
// transaction.created, creating an alert, matching it, blocking the customer, recording the
// external refund and resolving; disconnected, every call answers 401.
func TestAppRunsTheSeedFlow(t *testing.T) {
	t.Parallel()
	eachServedWithOutbound(t, outbound.AllowInternal, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		admin := e.Forms(c, actor.Admin, "")
		app := testenv.ConnectApp(c, admin, "disputes:read", "disputes:write", "transactions:read",
			"refunds:write", "orders:read", "blocklist:write", "webhooks:write")
		appAPI := c.As(app.Token.AccessToken)
		if app.Token.RefreshToken == "" || app.Token.Expiry.IsZero() {
			t.Fatalf("token: %+v", app.Token)
		}

		// 1. The app subscribes with its token; "*" is what its scopes read.
		r := webhooktest.Start(t)
		ep := testenv.Want[httpapi.EndpointWithSecret](t, appAPI.Post("/v1/webhook_endpoints",
			map[string]any{"url": r.URL + "/hook", "events": []string{"*"}}), 201)
		r.Setup(ep.Secret, 0)
		if ep.AppID == nil || *ep.AppID != app.ID || slices.Contains(ep.Events, "customer.blocked") || !slices.Contains(ep.Events, "transaction.created") {
			t.Fatalf("the app's endpoint: %+v", ep.WebhookEndpoint)
		}
		testenv.WantError(t, appAPI.Post("/v1/webhook_endpoints", map[string]any{"url": r.URL + "/x", "events": []string{"customer.blocked"}}),
			403, "insufficient_scope", "events")
		// The merchant's admin sees whose endpoint it is; another app would not see it at all.
		if page := admin.Get("/webhooks/" + ep.ID); !strings.Contains(page.Body, `href="/apps/`+app.ID+`"`) {
			t.Fatalf("the endpoint's page does not name its app:\n%s", page.Body)
		}
		other := testenv.ConnectApp(c, admin, "webhooks:write")
		testenv.WantError(t, c.As(other.Token.AccessToken).Get("/v1/webhook_endpoints/"+ep.ID), 404, "not_found")
		if l := testenv.Want[httpapi.List[httpapi.WebhookEndpoint]](t, c.As(other.Token.AccessToken).Get("/v1/webhook_endpoints"), 200); len(l.Data) != 0 {
			t.Fatalf("another app lists %+v", l.Data)
		}

		// 2. The merchant's store records a sale; the app hears of it.
		sale := e.Sale(testenv.SaleParams{Amount: 2500, CardFingerprint: "fp_shield"})
		testenv.WantStatus(t, c.Post("/v1/transactions", map[string]any{"type": "charge", "amount": 700, "currency": "USD",
			"order_id": sale.Order.ID, "provider": "stripe", "provider_reference": "ch_seed"}), 201)
		e.RunJobs()
		var heard []string
		for _, d := range r.Deliveries() {
			heard = append(heard, d.Type)
			if d.ValidSigs != 1 {
				t.Fatalf("delivery not signed with the app's secret: %+v", d)
			}
		}
		if !slices.Contains(heard, "transaction.created") {
			t.Fatalf("the app heard %v", heard)
		}

		// 3. It creates an alert, 4. matches it to the charge, 5. blocks the customer, 6. records
		// the refund made at the gateway, 7. resolves the alert.
		alert := testenv.Want[httpapi.Dispute](t, appAPI.Post("/v1/disputes",
			map[string]any{"type": "alert", "alert_type": "ethoca", "amount": 2500, "currency": "USD"}), 201)
		alert = testenv.Want[httpapi.Dispute](t, appAPI.Post("/v1/disputes/"+alert.ID,
			map[string]any{"revision": alert.Revision, "transaction_id": sale.Charge.ID}), 200)
		if alert.OrderID == nil || *alert.OrderID != sale.Order.ID {
			t.Fatalf("matched alert: %+v", alert)
		}
		testenv.WantStatus(t, appAPI.Post("/v1/blocklist", map[string]any{"kind": "card_fingerprint", "value": "fp_shield"}), 201)
		testenv.WantStatus(t, appAPI.Post("/v1/transactions/"+sale.Charge.ID+"/refund",
			map[string]any{"amount": 2500, "is_external": true}), 201)
		alert = testenv.Want[httpapi.Dispute](t, appAPI.Post("/v1/disputes/"+alert.ID+"/resolve",
			map[string]any{"resolution": "previously_refunded_nothing_to_do"}), 200)
		if alert.Status != "resolved" && alert.Status != "closed" {
			t.Fatalf("resolved alert: %+v", alert)
		}

		// The timeline names the app; the merchant's admin sees it on the app's record.
		tl := testenv.Want[httpapi.List[httpapi.TimelineEntry]](t, c.Get("/v1/disputes/"+alert.ID+"/timeline"), 200).Data
		for _, en := range tl {
			if en.Actor != "app:"+app.ID && en.Actor != "system" {
				t.Fatalf("timeline entry by %q, want the app: %+v", en.Actor, en)
			}
		}
		seen := testenv.Want[httpapi.App](t, c.Get("/v1/apps/"+app.ID), 200)
		if seen.Connections != 1 || seen.LastUsedAt == nil {
			t.Fatalf("the app as the admin sees it: %+v", seen)
		}

		// The scopes hold: nothing of the merchant's own, nothing not granted.
		for _, path := range []string{"/v1/settings", "/v1/api_keys", "/v1/apps", "/v1/users", "/v1/providers", "/v1/customers", "/v1/events"} {
			testenv.WantError(t, appAPI.Get(path), 403, "insufficient_scope")
		}

		// A refresh rotates the refresh token: the old one is refused, the new pair works.
		old := *app.Token
		expired := old
		expired.Expiry = expired.Expiry.Add(-24 * 60 * 60 * 1e9)
		fresh, err := app.Config.TokenSource(testenv.OAuthContext(c), &expired).Token()
		if err != nil || fresh.AccessToken == old.AccessToken || fresh.RefreshToken == old.RefreshToken {
			t.Fatalf("refresh: %v %+v", err, fresh)
		}
		testenv.WantError(t, appAPI.Get("/v1/disputes"), 401, "invalid_oauth_token")
		testenv.WantStatus(t, c.As(fresh.AccessToken).Get("/v1/disputes"), 200)
		if _, err := app.Config.TokenSource(testenv.OAuthContext(c), &expired).Token(); err == nil {
			t.Fatal("a rotated refresh token worked again")
		}

		// Disconnected, every call answers 401; the token endpoint refuses to refresh.
		testenv.WantStatus(t, c.Post("/v1/apps/"+app.ID+"/disconnect", map[string]any{}), 200)
		testenv.WantError(t, c.As(fresh.AccessToken).Get("/v1/disputes"), 401, "invalid_oauth_token")
		testenv.WantError(t, c.As(fresh.AccessToken).Post("/v1/disputes", map[string]any{"type": "alert", "alert_type": "tc40", "amount": 5, "currency": "USD"}),
			401, "invalid_oauth_token")
		fresh.Expiry = expired.Expiry
		if _, err := app.Config.TokenSource(testenv.OAuthContext(c), fresh).Token(); err == nil {
			t.Fatal("a disconnected app refreshed its token")
		}

		// Removed, its endpoints go with it.
		testenv.WantStatus(t, c.Do(http.MethodDelete, "/v1/apps/"+app.ID, nil), 200)
		testenv.WantError(t, c.Get("/v1/webhook_endpoints/"+ep.ID), 404, "not_found")
	})
}

func TestAppConsentRefusals(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		_, cfg := testenv.RegisterApp(c, "disputes:read")
		admin := e.Forms(c, actor.Admin, "")
		verifier := oauth2.GenerateVerifier()

		// Refused: the app hears access_denied, with its state.
		back := admin.Authorize(cfg, verifier, "refuse")
		if back.Query().Get("error") != "access_denied" || back.Query().Get("state") != testenv.AppState || back.Query().Has("code") {
			t.Fatalf("refused: %s", back)
		}

		authURL := func(change func(q url.Values)) string {
			u, _ := url.Parse(cfg.AuthCodeURL(testenv.AppState, oauth2.S256ChallengeOption(verifier)))
			q := u.Query()
			change(q)
			u.RawQuery = q.Encode()
			return u.RequestURI()
		}
		// A client or redirect URI we do not know is answered here: never a redirect elsewhere.
		for name, change := range map[string]func(url.Values){
			"unknown client":       func(q url.Values) { q.Set("client_id", "app_nobody") },
			"unregistered address": func(q url.Values) { q.Set("redirect_uri", "https://evil.example/cb") },
		} {
			got := admin.Get(authURL(change))
			if got.Status != http.StatusBadRequest || got.Location != "" || !strings.Contains(got.Body, "not valid") {
				t.Fatalf("%s: %d %q\n%s", name, got.Status, got.Location, got.Body)
			}
		}
		// A known app's bad request is told to the app.
		for want, change := range map[string]func(url.Values){
			"invalid_request": func(q url.Values) { q.Del("code_challenge"); q.Del("code_challenge_method") }, // PKCE is required
			"invalid_scope":   func(q url.Values) { q.Set("scope", "disputes:read settings:write") },
		} {
			got := admin.Get(authURL(change))
			back, _ := url.Parse(got.Location)
			if got.Status/100 != 3 || !strings.HasPrefix(got.Location, testenv.AppRedirect) || back.Query().Get("error") != want {
				t.Fatalf("want %s at the app: %d %q", want, got.Status, got.Location)
			}
		}
		// Only a signed-in admin approves; a visitor signs in first.
		agent := e.Forms(c, actor.Agent, "")
		if got := agent.Get(authURL(func(url.Values) {})); got.Status != http.StatusForbidden {
			t.Fatalf("an agent at the consent page: %d", got.Status)
		}
		stranger := testenv.NewForms(t, c.URL, c.HTTP().Transport)
		if got := stranger.Get(authURL(func(url.Values) {})); got.Status != http.StatusSeeOther || !strings.HasPrefix(got.Location, "/login?next=%2Foauth%2Fauthorize") {
			t.Fatalf("a visitor at the consent page: %d %q", got.Status, got.Location)
		}

		// The token endpoint: a wrong verifier, a wrong secret, a code used twice.
		code := func() string {
			return admin.Authorize(cfg, verifier, "approve").Query().Get("code")
		}
		ctx := testenv.OAuthContext(c)
		if _, err := cfg.Exchange(ctx, code(), oauth2.VerifierOption(oauth2.GenerateVerifier())); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
			t.Fatalf("a wrong PKCE verifier: %v", err)
		}
		wrong := cfg
		wrong.ClientSecret = "appsecret_wrong"
		if _, err := wrong.Exchange(ctx, code(), oauth2.VerifierOption(verifier)); err == nil || !strings.Contains(err.Error(), "invalid_client") {
			t.Fatalf("a wrong client secret: %v", err)
		}
		once := code()
		first, err := cfg.Exchange(ctx, once, oauth2.VerifierOption(verifier))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cfg.Exchange(ctx, once, oauth2.VerifierOption(verifier)); err == nil {
			t.Fatal("a code was exchanged twice")
		}
		// The reuse of a code revokes what its first exchange gave (RFC 6749 §4.1.2).
		testenv.WantError(t, c.As(first.AccessToken).Get("/v1/disputes"), 401, "invalid_oauth_token")

		// Revocation (RFC 7009) ends the token at once.
		tok, err := cfg.Exchange(ctx, code(), oauth2.VerifierOption(verifier))
		if err != nil {
			t.Fatal(err)
		}
		testenv.WantStatus(t, c.As(tok.AccessToken).Get("/v1/disputes"), 200)
		revoke, _ := http.NewRequest(http.MethodPost, c.URL+"/oauth/revoke", strings.NewReader(url.Values{"token": {tok.RefreshToken}}.Encode()))
		revoke.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		revoke.SetBasicAuth(cfg.ClientID, cfg.ClientSecret)
		res, err := c.HTTP().Do(revoke)
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("revoke: %v %v", err, res)
		}
		res.Body.Close()
		testenv.WantError(t, c.As(tok.AccessToken).Get("/v1/disputes"), 401, "invalid_oauth_token")

		// An app's approver who can no longer sign in takes its tokens with them.
		tok, err = cfg.Exchange(ctx, code(), oauth2.VerifierOption(verifier))
		if err != nil {
			t.Fatal(err)
		}
		approver := testenv.Must(e.Store.GetUserByEmail(e.Ctx, "admin@example.com"))(t)
		testenv.Must(e.Access.DisableUser(e.Ctx, testenv.Admin, approver.ID))(t)
		testenv.WantError(t, c.As(tok.AccessToken).Get("/v1/disputes"), 401, "invalid_oauth_token")
	})
}

func TestAppRegistration(t *testing.T) {
	t.Parallel()
	testenv.EachServed(t, func(t *testing.T, e *testenv.Env, c *testenv.Client) {
		ok := map[string]any{"name": "Shield", "redirect_uris": []string{"https://shield.example/cb"}, "scopes": []string{"disputes:read"}}
		with := func(k string, v any) map[string]any {
			m := map[string]any{}
			for key, val := range ok {
				m[key] = val
			}
			m[k] = v
			return m
		}
		for _, tt := range []struct {
			body        map[string]any
			code, param string
		}{
			{with("name", " "), "parameter_missing", "name"},
			{with("redirect_uris", []string{}), "parameter_missing", "redirect_uris"},
			{with("redirect_uris", []string{"http://shield.example/cb"}), "invalid_value", "redirect_uris"},
			{with("redirect_uris", []string{"https://shield.example/cb#x"}), "invalid_value", "redirect_uris"},
			{with("redirect_uris", []string{"/cb"}), "invalid_value", "redirect_uris"},
			{with("scopes", []string{"disputes:read", "settings:write"}), "invalid_value", "scopes"},
			{with("scopes", []string{}), "parameter_missing", "scopes"},
		} {
			testenv.WantError(t, c.Post("/v1/apps", tt.body), 422, tt.code, tt.param)
		}
		if got := testenv.Want[httpapi.List[httpapi.App]](t, c.Get("/v1/apps"), 200).Data; len(got) != 0 {
			t.Fatalf("a refused registration left %+v", got)
		}

		// Registered, the secret is shown once; loopback http is allowed (RFC 8252).
		a := testenv.Want[httpapi.NewApp](t, c.Post("/v1/apps", with("redirect_uris", []string{"http://127.0.0.1:8000/cb", "https://shield.example/cb"})), 201)
		if !strings.HasPrefix(a.Secret, "appsecret_") || !strings.HasPrefix(a.ID, "app_") || a.Connections != 0 || !strings.HasPrefix(a.RegisteredBy, "admin:key_") {
			t.Fatalf("registered: %+v", a)
		}
		if got := c.Get("/v1/apps/" + a.ID); strings.Contains(got.String(), "appsecret_") || strings.Contains(got.String(), "secret_hash") {
			t.Fatalf("the secret is shown again: %s", got)
		}
		// Staff other than admins may not; an agent key is refused.
		testenv.WantError(t, c.As(e.NewKey(actor.Agent, "")).Post("/v1/apps", ok), 403, "forbidden")

		// Without a key an app registers itself only when the settings allow it.
		anonymous := c.As("")
		testenv.WantError(t, anonymous.Post("/v1/apps", ok), 401, "unauthenticated")
		testenv.WantStatus(t, c.Post("/v1/settings", map[string]any{"app_self_registration": true}), 200)
		self := testenv.Want[httpapi.NewApp](t, anonymous.Post("/v1/apps", ok), 201)
		if self.RegisteredBy != "self" || self.Secret == "" {
			t.Fatalf("self-registered: %+v", self)
		}
		// Anonymous requests share no key to keep their Idempotency-Keys apart: each registers.
		again := testenv.Want[httpapi.NewApp](t, anonymous.Post("/v1/apps", ok, "Idempotency-Key", "same"), 201)
		if other := testenv.Want[httpapi.NewApp](t, anonymous.Post("/v1/apps", ok, "Idempotency-Key", "same"), 201); other.ID == again.ID || other.Secret == "" {
			t.Fatalf("an anonymous repeat answered another's registration: %+v", other)
		}
		// An admin asked to connect a self-registered app is warned that nobody vouched for it.
		selfCfg := oauth2.Config{ClientID: self.ID, ClientSecret: self.Secret, RedirectURL: "https://shield.example/cb", Scopes: []string{"disputes:read"},
			Endpoint: oauth2.Endpoint{AuthURL: c.URL + "/oauth/authorize", TokenURL: c.URL + "/oauth/token"}}
		u, _ := url.Parse(selfCfg.AuthCodeURL(testenv.AppState, oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
		if page := e.Forms(c, actor.Admin, "").Get(u.RequestURI()); page.Status != 200 || !strings.Contains(page.Body, `id="self-registered"`) {
			t.Fatalf("the consent page of a self-registered app: %d\n%s", page.Status, page.Body)
		}
		// Self-registration opens registration only: the rest stays behind a key.
		testenv.WantError(t, anonymous.Get("/v1/apps"), 401, "unauthenticated")
		testenv.WantError(t, c.As("sk_not_a_key").Post("/v1/apps", ok), 401, "invalid_api_key")
	})
}
