package web_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
	"disputed/internal/httpapi"
	"disputed/internal/testenv"
	"disputed/internal/testenv/browsertest"
)

// TestUIAPIKeys: on the API keys page an admin makes a key and sees its secret once, and the
// secret works against the API; a form the app refuses says why and makes nothing; revoking asks
// for a confirmation, then the key stops working at once and stays listed as revoked.
func TestUIAPIKeys(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	ctx := browsertest.NewSignedIn(t, e, c, actor.Admin, "")
	listed := func() httpapi.List[httpapi.APIKey] {
		return testenv.Want[httpapi.List[httpapi.APIKey]](t, c.Get("/v1/api_keys"), http.StatusOK)
	}
	before := len(listed().Data)

	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/api-keys"), chromedp.WaitVisible(chromedp.CSS("#new-api-key")))
	// A buyer key must name the customer it acts for.
	browsertest.Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#new-api-key input[name=name]`), "portal sync"),
		chromedp.SetValue(chromedp.CSS(`#new-api-key select[name=role]`), "buyer"),
	)
	browsertest.Submit(t, ctx, `#new-api-key button[type=submit]`, "p.error", "whose id it needs")
	if n := len(listed().Data); n != before {
		t.Fatalf("a refused form made a key: %d keys, were %d", n, before)
	}
	role := browsertest.Eval[string](t, ctx, `document.querySelector("#new-api-key select[name=role]").value`)
	name := browsertest.Eval[string](t, ctx, `document.querySelector("#new-api-key input[name=name]").value`)
	if role != "buyer" || name != "portal sync" {
		t.Errorf("the refused form came back as role %q, name %q", role, name)
	}

	browsertest.Do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#new-api-key input[name=name]`), "billing sync"),
		chromedp.SetValue(chromedp.CSS(`#new-api-key select[name=role]`), "agent"),
	)
	browsertest.Submit(t, ctx, `#new-api-key button[type=submit]`, "#secret-box", "shown only this once")
	secret := browsertest.Text(t, ctx, "#secret")
	if !strings.HasPrefix(secret, "sk_") {
		t.Fatalf("secret %q", secret)
	}
	testenv.WantStatus(t, c.As(secret).Get("/v1/disputes"), http.StatusOK)
	var id string
	keys := listed()
	for _, k := range keys.Data {
		if k.Name == "billing sync" {
			id = k.ID
			if k.Role != "agent" {
				t.Errorf("the key as the API lists it: %+v", k)
			}
		}
	}
	if raw := c.Get("/v1/api_keys"); strings.Contains(raw.String(), secret) {
		t.Error("the API lists the secret")
	}
	if id == "" || len(keys.Data) != before+1 {
		t.Fatalf("the new key is not listed once: %+v", keys.Data)
	}
	browsertest.Wait(t, ctx, "#key-"+id, "billing sync")

	// The secret is not shown again.
	browsertest.Do(t, ctx, chromedp.Navigate(c.URL+"/api-keys"), chromedp.WaitVisible(chromedp.CSS("#key-"+id)))
	if html := browsertest.Text(t, ctx, "main"); strings.Contains(html, secret) {
		t.Fatal("the page shows the secret again")
	}

	// Revoking asks for a confirmation first.
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`#key-`+id+` a[href="#revoke-`+id+`"]`)), chromedp.WaitVisible(chromedp.CSS("#revoke-"+id)))
	testenv.WantStatus(t, c.As(secret).Get("/v1/disputes"), http.StatusOK)
	browsertest.Submit(t, ctx, "#revoke-"+id+" form.revoke button", "p.notice", "revoked")
	browsertest.Wait(t, ctx, "#key-"+id, "revoked")
	testenv.WantStatus(t, c.As(secret).Get("/v1/disputes"), http.StatusUnauthorized)
	testenv.WantStatus(t, c.Get("/v1/disputes"), http.StatusOK) // the admin's own key still works
}
