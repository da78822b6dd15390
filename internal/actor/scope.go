package actor

import (
	"slices"
	"strings"

	"disputed/internal/fault"
)

// Scope is one kind of access an app may be granted: what its tokens reach, on top of what the
// role of the admin who approved it allows. Keys and users are not limited by scopes.
type Scope string

// ScopeInfo is a scope and the plain words the consent page shows for it.
type ScopeInfo struct {
	Scope Scope
	Words string
}

// Scopes lists every scope with its words, in the order the consent page shows them. The API's
// route table names the scope each route needs; a route that names none is never open to apps
// (providers, panels, settings, keys, users, jobs, apps).
var Scopes = []ScopeInfo{
	{"disputes:read", "See disputes: their evidence, notes, timeline and the emails sent about them"},
	{"disputes:write", "Open, update, match, submit, resolve and close disputes; add evidence and notes"},
	{"orders:read", "See orders, their service lines and their emails"},
	{"orders:write", "Create, update, complete and void orders; confirm service lines"},
	{"customers:read", "See customers"},
	{"customers:write", "Create customers"},
	{"transactions:read", "See charges and refunds"},
	{"transactions:write", "Record charges and refunds made elsewhere"},
	{"refunds:write", "Refund charges"},
	{"blocklist:read", "See the block list"},
	{"blocklist:write", "Block and unblock customers, emails, cards and addresses"},
	{"rules:read", "See the automation rules and how many disputes each acted on"},
	{"rules:write", "Write, backtest and delete automation rules, which concede, refund, submit, tag, block and notify on their own"},
	{"events:read", "See the event log"},
	{"exchange_rates:read", "See the exchange rates the merchant recorded"},
	{"exchange_rates:write", "Record and delete exchange rates"},
	{"analytics:read", "See the dispute ratios against the card networks' monitoring programs and how disputes ended (outcomes)"},
	{"webhooks:write", "Receive events at its own webhook endpoints"},
}

// Valid reports whether s is a known scope.
func (s Scope) Valid() bool {
	return slices.ContainsFunc(Scopes, func(i ScopeInfo) bool { return i.Scope == s })
}

// Words are the plain words for the scope.
func (s Scope) Words() string {
	for _, i := range Scopes {
		if i.Scope == s {
			return i.Words
		}
	}
	return string(s)
}

// ScopeSet is the scopes an app's token carries, space-separated as OAuth writes them.
type ScopeSet string

// NewScopeSet joins scopes in the catalogue's order, each once.
func NewScopeSet(scopes []string) ScopeSet {
	var out []string
	for _, i := range Scopes {
		if slices.Contains(scopes, string(i.Scope)) {
			out = append(out, string(i.Scope))
		}
	}
	return ScopeSet(strings.Join(out, " "))
}

// List is the scopes, one per element.
func (s ScopeSet) List() []string { return strings.Fields(string(s)) }

// Has reports whether the set holds the scope.
func (s ScopeSet) Has(scope Scope) bool { return slices.Contains(s.List(), string(scope)) }

// App is a dispute-service app acting through a token an admin approved: it has the role of that
// admin, limited to the scopes granted. ID is the app's client id; the timeline names it
// "app:<id>".
func App(id string, role Role, scopes ScopeSet) Actor {
	return Actor{Kind: "app", Role: role, ID: id, Scopes: scopes}
}

// RequireScope is the check every API route starts with: keys, users and the server pass (their
// role decides, in the use case); an app passes when its token carries the scope the route
// needs, and never for a route that needs none (those are the merchant's own: configuration and
// access). need is "" for such a route.
func RequireScope(who Actor, need Scope) error {
	if who.Kind != "app" {
		return nil
	}
	if need == "" {
		return fault.New(fault.Forbidden, fault.CodeInsufficientScope, "", "apps may not use this route")
	}
	if !who.Scopes.Has(need) {
		return fault.New(fault.Forbidden, fault.CodeInsufficientScope, "", "the token lacks the scope %s", need)
	}
	return nil
}
