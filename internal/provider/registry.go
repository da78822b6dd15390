package provider

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"disputed/internal/fault"
)

// Adapter is what the server needs of a configured provider to take its webhooks: Receive
// verifies a notification and reads the events it carries, each with its payload, which the
// inbox stores; Parse reads a stored payload again when the event is applied. An adapter that
// also implements Responder takes the merchant's answers (evidence, concession); one that does
// not (the generic feed) is one-way, and answers to its cases are given elsewhere. An Answerer
// shapes its own answers to notifications; an Importer reads the provider's history.
type Adapter interface {
	Receiver
	Parser
}

// Type is one kind of provider (Stripe, PayPal, the generic feed): how to check a configuration
// of it and how to build its adapter. Each adapter package offers its Type, and the server's
// main registers them: adding a provider is one new package and one line there.
type Type struct {
	// Name is the value of a configured provider's type ("stripe").
	Name string
	// Title is the type for people, as the providers page offers it ("Stripe").
	Title string
	// Check refuses a configuration the adapter cannot work with (a missing webhook secret or
	// webhook id), with a fault naming the field at fault; nil takes any.
	Check func(Config) error
	// New builds the adapter of a configured provider. client makes its calls to the provider
	// (certificate downloads, the REST API), under the server's outbound policy.
	New func(cfg Config, client *http.Client) Adapter
	// DisputeURL is the page of one of the provider's disputes, by its id, on the provider's own
	// site (Stripe's dashboard, PayPal's Resolution Center), which the dispute page links to;
	// nil when there is none.
	DisputeURL func(disputeID string) string
	// CaseID tells whether ref, a case number or reference an admin typed on a manual dispute,
	// has the form of one of the provider's dispute ids, and returns it as the provider writes
	// it; nil when its ids cannot be told by their form.
	CaseID func(ref string) (string, bool)
}

// Registry holds the provider types a server knows, in the order they were registered. It is
// not changed after it is made, and is safe for concurrent use.
type Registry struct {
	types []Type
}

// NewRegistry returns a registry of types. A type without a name or a constructor, or two of the
// same name, is a programming error: it panics.
func NewRegistry(types ...Type) *Registry {
	r := &Registry{}
	for _, t := range types {
		if t.Name == "" || t.New == nil {
			panic(fmt.Sprintf("provider: type %q registered without a name or a constructor", t.Name))
		}
		if _, ok := r.Lookup(t.Name); ok {
			panic(fmt.Sprintf("provider: type %q registered twice", t.Name))
		}
		r.types = append(r.types, t)
	}
	return r
}

// Lookup returns the type of that name. A nil registry knows no type.
func (r *Registry) Lookup(name string) (Type, bool) {
	if r == nil {
		return Type{}, false
	}
	for _, t := range r.types {
		if t.Name == name {
			return t, true
		}
	}
	return Type{}, false
}

// Types are the registered types, in the order they were registered.
func (r *Registry) Types() []Type {
	if r == nil {
		return nil
	}
	return slices.Clone(r.types)
}

// Check refuses a configuration whose type is not registered or that its type refuses; the
// api_base, which carries the API key, is checked for every type (CheckAPIBase).
func (r *Registry) Check(cfg Config) error {
	t, ok := r.Lookup(cfg.Type)
	switch {
	case cfg.Type == "":
		return fault.Required("type")
	case !ok:
		return fault.Invalidf(fault.CodeInvalidValue, "type", "type must be %s", r.names())
	}
	if t.Check != nil {
		if err := t.Check(cfg); err != nil {
			return err
		}
	}
	if cfg.APIBase != "" {
		if err := CheckAPIBase(cfg.APIBase); err != nil {
			return fault.Invalidf(fault.CodeInvalidValue, "api_base", "%v", err)
		}
	}
	return nil
}

// names lists the registered types for people: "stripe, paypal or generic".
func (r *Registry) names() string {
	var names []string
	if r != nil {
		for _, t := range r.types {
			names = append(names, t.Name)
		}
	}
	switch len(names) {
	case 0:
		return "a registered provider type (none is)"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// RequireWebhookSecret is the Check of a provider whose notifications are signed with a shared
// secret.
func RequireWebhookSecret(cfg Config) error {
	if cfg.WebhookSecret == "" {
		return fault.Required("webhook_secret")
	}
	return nil
}

// DisputeURL is the page of the dispute disputeID on the site of the provider of type typeName,
// or "" when the type has none or there is no id.
func (r *Registry) DisputeURL(typeName, disputeID string) string {
	t, ok := r.Lookup(typeName)
	if !ok || t.DisputeURL == nil || disputeID == "" {
		return ""
	}
	return t.DisputeURL(disputeID)
}

// CaseOf finds the provider whose dispute ids have the form of ref (Type.CaseID), the first
// registered, and returns its type's name and the dispute's page (DisputeURL); "" for both when
// none does.
func (r *Registry) CaseOf(ref string) (typeName, url string) {
	for _, t := range r.Types() {
		if t.CaseID == nil {
			continue
		}
		if id, ok := t.CaseID(ref); ok {
			return t.Name, r.DisputeURL(t.Name, id)
		}
	}
	return "", ""
}
