package webhook

import (
	"strings"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/store"
)

// An app subscribes with its own endpoints: it sees and manages only those, and receives only
// the events its scopes let it read (an event carries the whole object). The merchant's admins
// see every endpoint, each with the app it belongs to.

// eventScopes is the scope that reads the object of each family of events (the type's first
// word).
var eventScopes = map[string]actor.Scope{
	"dispute": "disputes:read", "alert": "disputes:read",
	"order": "orders:read", "line": "orders:read",
	"transaction": "transactions:read", "refund": "transactions:read",
	"customer": "blocklist:read",
}

// EventScope is the scope an app needs to receive events of type t.
func EventScope(t string) actor.Scope {
	family, _, _ := strings.Cut(t, ".")
	return eventScopes[family]
}

// visible reports whether who may see and manage endpoint e: an app only its own.
func visible(who actor.Actor, e store.WebhookEndpoint) bool {
	return who.Kind != "app" || e.AppID == who.ID
}

// forApp holds an app's endpoint to the events its scopes read; "*" becomes each of those, so
// that a scope granted later does not widen an old subscription.
func forApp(who actor.Actor, e *store.WebhookEndpoint) error {
	if who.Kind != "app" {
		return nil
	}
	if len(e.Events) == 1 && e.Events[0] == All {
		e.Events = nil
		for _, t := range EventTypes {
			if who.Scopes.Has(EventScope(t)) {
				e.Events = append(e.Events, t)
			}
		}
		if len(e.Events) == 0 {
			return fault.New(fault.Forbidden, fault.CodeInsufficientScope, "events", "the token's scopes read no event")
		}
		return nil
	}
	for _, t := range e.Events {
		if !who.Scopes.Has(EventScope(t)) {
			return fault.New(fault.Forbidden, fault.CodeInsufficientScope, "events", "receiving %s needs the scope %s", t, EventScope(t))
		}
	}
	return nil
}
