// Package actor names who does something (an API key of some role, the system, a provider) and
// what each role may do. The timeline records the actor of every change.
package actor

import (
	"slices"
	"strings"
)

// Role is what an API key is allowed to do.
type Role string

// The roles. Admin may do everything; agent everything but keys, settings and void; buyer and
// vendor are portal parties bound to one customer or vendor id.
const (
	Admin  Role = "admin"
	Agent  Role = "agent"
	Buyer  Role = "buyer"
	Vendor Role = "vendor"
)

// Roles lists every role.
var Roles = []Role{Admin, Agent, Buyer, Vendor}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Staff reports whether the role works for the merchant (admin or agent), as opposed to a party.
func (r Role) Staff() bool { return r == Admin || r == Agent }

// Party reports whether the role is a portal party (buyer or vendor).
func (r Role) Party() bool { return r == Buyer || r == Vendor }

// Actor is who made a change.
type Actor struct {
	Kind    string   // "key" for an API key, "user" for a signed-in person, "app" for a dispute-service app, "system" for the server itself, "provider" for a payment provider, "panel" for a panel plugin, "rule" for an automation rule
	Role    Role     // for keys, users and apps (an app has its approving admin's)
	ID      string   // key, user or app id, or provider or panel name
	PartyID string   // for buyer and vendor keys and users: the customer or vendor id they are bound to
	Scopes  ScopeSet // for apps: what their token was granted
}

// System is the server acting on its own (deadlines, automatic resolutions).
var System = Actor{Kind: "system"}

// Key is an API key of the given role.
func Key(id string, role Role, partyID string) Actor {
	return Actor{Kind: "key", Role: role, ID: id, PartyID: partyID}
}

// User is a person signed in to the web UI with the given role.
func User(id string, role Role, partyID string) Actor {
	return Actor{Kind: "user", Role: role, ID: id, PartyID: partyID}
}

// HasRole reports whether the actor is a key, a user or an app, whose role decides what it may
// do; the server and its integrations act with the merchant's authority.
func (a Actor) HasRole() bool { return a.Kind == "key" || a.Kind == "user" || a.Kind == "app" }

// Provider is a payment provider's notification.
func Provider(name string) Actor { return Actor{Kind: "provider", ID: name} }

// Panel is a panel plugin reporting what it did.
func Panel(name string) Actor { return Actor{Kind: "panel", ID: name} }

// Rule is one of the merchant's automation rules acting on a dispute, with the merchant's
// authority (an admin wrote it).
func Rule(id string) Actor { return Actor{Kind: "rule", ID: id} }

// String is the form the timeline shows: "admin:key_…", "agent:usr_…", "app:app_…", "system",
// "provider:stripe", "panel:xui", "rule:rul_…".
func (a Actor) String() string {
	switch a.Kind {
	case "system":
		return "system"
	case "provider", "panel", "app", "rule":
		return a.Kind + ":" + a.ID
	}
	return string(a.Role) + ":" + a.ID
}

// NamesPerson reports whether s, an actor as String writes it, names a key or a user: someone who
// acted through disputed, rather than the server, a provider or a panel.
func NamesPerson(s string) bool {
	role, _, ok := strings.Cut(s, ":")
	return ok && Role(role).Valid()
}

// IsStaff reports whether the actor acts for the merchant: staff keys, the system and providers.
func (a Actor) IsStaff() bool { return !a.HasRole() || a.Role.Staff() }

// IsAdmin reports whether the actor has the merchant's full authority: admin keys and users, the
// system and providers.
func (a Actor) IsAdmin() bool { return !a.HasRole() || a.Role == Admin }
