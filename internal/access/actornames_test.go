package access_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"disputed/internal/access"
	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/rules"
	"disputed/internal/store"
)

// TestActorNames: the actors the timeline records are named for people: a user by email, a key
// by its name (or its prefix), the server, providers, panels and rules by name; a deleted user
// keeps its recorded form, a deleted rule its id. Parties may not read them.
func TestActorNames(t *testing.T) {
	t.Parallel()
	eachStore(t, func(t *testing.T, e *env) {
		u := e.user("ada@example.com", actor.Agent, "")
		gone := e.user("gone@example.com", actor.Agent, "")
		_, err := e.DeleteUser(e.ctx, actor.System, gone.ID)
		noErr(t, "delete", err)
		_, named, err := e.CreateAPIKey(e.ctx, actor.System, access.APIKeyParams{Role: "admin", Name: "ops"})
		noErr(t, "named key", err)
		_, bare, err := e.CreateAPIKey(e.ctx, actor.System, access.APIKeyParams{Role: "agent"})
		noErr(t, "bare key", err)

		rule := rules.Rule{ID: "rul_small", Name: "Small ones", When: "amount < 100", Action: rules.Accept, CreatedAt: e.clock.Now(), UpdatedAt: e.clock.Now()}
		noErr(t, "rule", e.store.Tx(e.ctx, func(tx store.Tx) error { return tx.InsertRule(e.ctx, rule) }))

		recorded := []string{"rule:rul_small", "rule:rul_gone", "agent:" + u.ID, "agent:" + gone.ID, "admin:" + named.ID, "agent:" + bare.ID, "system",
			"provider:stripe", "provider:paypal", "provider:acme", "panel:xui", "agent:key_nothing", "", "system"}
		names, err := e.ActorNames(e.ctx, actor.Key("key_x", actor.Agent, ""), recorded)
		noErr(t, "names", err)
		want := map[string]string{"rule:rul_small": "Rule “Small ones”", "rule:rul_gone": "Rule rul_gone",
			"agent:" + u.ID: "ada@example.com", "agent:" + gone.ID: "agent:" + gone.ID,
			"admin:" + named.ID: "API key ops", "agent:" + bare.ID: "API key " + bare.Prefix + "…", "system": "System",
			"provider:stripe": "Stripe", "provider:paypal": "PayPal", "provider:acme": "Provider acme", "panel:xui": "Panel xui",
			"agent:key_nothing": "agent:key_nothing"}
		if diff := cmp.Diff(want, names); diff != "" {
			t.Fatalf("names (-want +got):\n%s", diff)
		}
		_, err = e.ActorNames(e.ctx, actor.User("usr_b", actor.Buyer, "cus_1"), recorded)
		wantCode(t, "a buyer reading names", err, fault.CodeForbidden)
	})
}
