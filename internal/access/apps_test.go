package access_test

import (
	"testing"
	"time"

	"disputed/internal/access"
	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/store"
)

// TestAppRegistrationRules: who may register an app, what a registration must hold (the API's
// refusals name each field), what is kept (the secret's hash only, the scopes in the
// catalogue's order), and what the timeline calls it.
func TestAppRegistrationRules(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, e *env) {
		admin := actor.Key("key_admin", actor.Admin, "")
		ok := access.AppParams{Name: " Shield ", RedirectURIs: []string{"https://b.example/cb", "https://a.example/cb", "https://b.example/cb"},
			Scopes: []string{"webhooks:write", "disputes:read"}}
		for _, tt := range []struct {
			change      func(p *access.AppParams)
			code, param string
		}{
			{func(p *access.AppParams) { p.Name = "" }, fault.CodeParameterMissing, "name"},
			{func(p *access.AppParams) { p.Name = string(make([]byte, 101)) + "x" }, fault.CodeInvalidValue, "name"},
			{func(p *access.AppParams) { p.RedirectURIs = nil }, fault.CodeParameterMissing, "redirect_uris"},
			{func(p *access.AppParams) { p.RedirectURIs = []string{"http://10.0.0.1/cb"} }, fault.CodeInvalidValue, "redirect_uris"},
			{func(p *access.AppParams) { p.RedirectURIs = []string{"https://user:pw@a.example/cb"} }, fault.CodeInvalidValue, "redirect_uris"},
			{func(p *access.AppParams) { p.RedirectURIs = []string{"myapp://cb"} }, fault.CodeInvalidValue, "redirect_uris"},
			{func(p *access.AppParams) {
				p.RedirectURIs = []string{"https://1", "https://2", "https://3", "https://4", "https://5", "https://6", "https://7", "https://8", "https://9", "https://10", "https://11"}
			}, fault.CodeInvalidValue, "redirect_uris"},
			{func(p *access.AppParams) { p.Scopes = []string{"disputes:delete"} }, fault.CodeInvalidValue, "scopes"},
		} {
			p := ok
			tt.change(&p)
			_, _, err := e.RegisterApp(e.ctx, admin, p)
			if f, ok := fault.As(err); !ok || f.Code != tt.code || f.Param != tt.param {
				t.Errorf("%+v: %v, want %s naming %s", p, err, tt.code, tt.param)
			}
		}
		_, _, err := e.RegisterApp(e.ctx, actor.Key("key_agent", actor.Agent, ""), ok)
		wantCode(t, "an agent", err, fault.CodeForbidden)
		_, _, err = e.RegisterApp(e.ctx, actor.Actor{}, ok)
		wantCode(t, "nobody, self-registration off", err, fault.CodeUnauthenticated)

		secret, a, err := e.RegisterApp(e.ctx, admin, ok)
		noErr(t, "register", err)
		if a.Name != "Shield" || len(a.RedirectURIs) != 2 || a.RedirectURIs[0] != "https://a.example/cb" ||
			len(a.Scopes) != 2 || a.Scopes[0] != "disputes:read" || a.SecretHash == "" || a.SecretHash == secret || a.RegisteredBy != admin.String() {
			t.Fatalf("registered %q: %+v", secret, a)
		}
		names, err := e.ActorNames(e.ctx, admin, []string{actor.App(a.ID, actor.Admin, "").String(), "app:app_gone"})
		noErr(t, "actor names", err)
		if names["app:"+a.ID] != "App Shield" || names["app:app_gone"] != "App app_gone" {
			t.Fatalf("names: %v", names)
		}

		// Disconnected, it stays; removed, it is gone, and removing it again is a 404.
		v, err := e.DisconnectApp(e.ctx, admin, a.ID)
		if noErr(t, "disconnect", err); v.ID != a.ID || v.Connections != 0 {
			t.Fatalf("disconnected: %+v", v)
		}
		noErr(t, "remove", e.DeleteApp(e.ctx, admin, a.ID))
		wantCode(t, "remove again", e.DeleteApp(e.ctx, admin, a.ID), fault.CodeNotFound)
		_, err = e.App(e.ctx, admin, a.ID)
		wantCode(t, "a removed app", err, fault.CodeNotFound)

		// Allowed in the settings, an app registers itself.
		noErr(t, "settings", e.store.Tx(e.ctx, func(tx store.Tx) error {
			return tx.SaveSettings(e.ctx, store.Settings{AppSelfRegistration: true, UpdatedAt: t0.Add(time.Second)})
		}))
		_, self, err := e.RegisterApp(e.ctx, actor.Actor{}, ok)
		if noErr(t, "self-registration", err); self.RegisteredBy != "self" {
			t.Fatalf("self-registered: %+v", self)
		}
	})
}
