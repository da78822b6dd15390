package main

import (
	"disputed/internal/testenv/browsertest"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
)

// TestUIAPIKeys: on the API keys page an admin makes a key and sees its secret once, and the
// secret works against the API; a form the app refuses says why and makes nothing; revoking asks
// for a confirmation, then the key stops working at once and stays listed as revoked.
func TestUIAPIKeys(t *testing.T) {
	t.Parallel()
	s := startServer(t, "sqlite", nil)
	ctx := browsertest.New(t)
	s.signIn(ctx, "admin@example.com", s.user("admin@example.com", actor.Admin, ""))
	keys := func() int { return len(s.get("/v1/api_keys").list()) }
	before := keys()

	browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/api-keys"), chromedp.WaitVisible(chromedp.CSS("#new-api-key")))
	// A buyer key must name the customer it acts for.
	browsertest.Do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#new-api-key input[name=name]`), "portal sync"),
		chromedp.SetValue(chromedp.CSS(`#new-api-key select[name=role]`), "buyer"),
	)
	browsertest.Submit(t, ctx, `#new-api-key button[type=submit]`, "p.error", "whose id it needs")
	if n := keys(); n != before {
		t.Fatalf("a refused form made a key: %d keys, were %d", n, before)
	}
	role, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#new-api-key select[name=role]").value`))
	name, err2 := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("#new-api-key input[name=name]").value`))
	if err != nil || err2 != nil || role != "buyer" || name != "portal sync" {
		t.Errorf("the refused form came back as role %q, name %q (%v, %v)", role, name, err, err2)
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
	want(t, s.as(secret).get("/v1/disputes"), http.StatusOK)
	var id string
	for _, k := range s.get("/v1/api_keys").list() {
		if k["name"] == "billing sync" {
			id, _ = k["id"].(string)
			if k["role"] != "agent" {
				t.Errorf("the key as the API lists it: %v", k)
			}
		}
	}
	if strings.Contains(string(s.get("/v1/api_keys").raw), secret) {
		t.Error("the API lists the secret")
	}
	if id == "" || keys() != before+1 {
		t.Fatalf("the new key is not listed once: %v", s.get("/v1/api_keys").list())
	}
	browsertest.Wait(t, ctx, "#key-"+id, "billing sync")

	// The secret is not shown again.
	browsertest.Do(t, ctx, chromedp.Navigate(s.base+"/api-keys"), chromedp.WaitVisible(chromedp.CSS("#key-"+id)))
	if html := browsertest.Text(t, ctx, "main"); strings.Contains(html, secret) {
		t.Fatal("the page shows the secret again")
	}

	// Revoking asks for a confirmation first.
	browsertest.Do(t, ctx, chromedp.Click(chromedp.CSS(`#key-`+id+` a[href="#revoke-`+id+`"]`)), chromedp.WaitVisible(chromedp.CSS("#revoke-"+id)))
	want(t, s.as(secret).get("/v1/disputes"), http.StatusOK)
	browsertest.Submit(t, ctx, "#revoke-"+id+" form.revoke button", "p.notice", "revoked")
	browsertest.Wait(t, ctx, "#key-"+id, "revoked")
	want(t, s.as(secret).get("/v1/disputes"), http.StatusUnauthorized)
	want(t, s.get("/v1/disputes"), http.StatusOK) // the admin's own key still works
}
