package app

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sync"
	"time"

	"disputed/internal/actor"
	"disputed/internal/fault"
	"disputed/internal/provider"
	"disputed/internal/store"
)

// ProviderParams configure a payment provider.
type ProviderParams struct {
	Name          string
	Type          string
	WebhookSecret string
	APIKey        string
	APIBase       string
	WebhookID     string
}

var providerName = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,63}$`)

// validateProvider refuses a configuration: a name that cannot be in a webhook's path, or what its type
// refuses (provider.Registry.Check).
func (a *App) validateProvider(p ProviderParams) error {
	switch {
	case p.Name == "":
		return fault.Required("name")
	case !providerName.MatchString(p.Name):
		return fault.Invalidf(fault.CodeInvalidValue, "name", "name must be 1-64 of a-z, 0-9, - and _, starting with a letter")
	}
	return a.providers.Check(provider.Config{Name: p.Name, Type: p.Type, WebhookSecret: p.WebhookSecret,
		APIKey: p.APIKey, APIBase: p.APIBase, WebhookID: p.WebhookID})
}

// providerConfig is what an adapter knows of a configured provider.
func providerConfig(p store.Provider) provider.Config {
	return provider.Config{Name: p.Name, Type: p.Type, WebhookSecret: p.WebhookSecret, APIKey: p.APIKey, APIBase: p.APIBase, WebhookID: p.WebhookID}
}

// CreateProvider configures a payment provider under a name: its webhooks arrive at
// POST /v1/providers/{name}/webhook.
func (a *App) CreateProvider(ctx context.Context, who actor.Actor, p ProviderParams) (store.Provider, error) {
	if err := adminOnly(who, "configure providers"); err != nil {
		return store.Provider{}, err
	}
	if err := a.validateProvider(p); err != nil {
		return store.Provider{}, err
	}
	var out store.Provider
	err := a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		out = store.Provider{Name: p.Name, Type: p.Type, WebhookSecret: p.WebhookSecret, APIKey: p.APIKey, APIBase: p.APIBase,
			WebhookID: p.WebhookID, CreatedAt: now, UpdatedAt: now}
		err := tx.InsertProvider(ctx, out)
		if errors.Is(err, store.ErrConflict) {
			return fault.New(fault.Conflict, fault.CodeProviderExists, "name", "a provider named %q exists", p.Name)
		}
		return err
	})
	a.forgetAdapter(p.Name)
	return out, err
}

// SaveProvider configures a provider, replacing one of the same name: for the command line and
// the environment (DISPUTED_STRIPE_WEBHOOK_SECRET), where the configuration is the source of truth.
func (a *App) SaveProvider(ctx context.Context, p ProviderParams) (store.Provider, error) {
	if err := a.validateProvider(p); err != nil {
		return store.Provider{}, err
	}
	var out store.Provider
	err := a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		out = store.Provider{Name: p.Name, Type: p.Type, WebhookSecret: p.WebhookSecret, APIKey: p.APIKey, APIBase: p.APIBase,
			WebhookID: p.WebhookID, CreatedAt: now, UpdatedAt: now}
		return tx.SaveProvider(ctx, out)
	})
	a.forgetAdapter(p.Name)
	return out, err
}

// ProviderTypes maps the configured providers' names to their types (stripe, paypal, generic),
// for staff who may not read the providers' configuration.
func (a *App) ProviderTypes(ctx context.Context, who actor.Actor) (map[string]string, error) {
	if err := staff(who, "read provider names"); err != nil {
		return nil, err
	}
	ps, err := a.store.ListProviders(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(ps))
	for _, p := range ps {
		out[p.Name] = p.Type
	}
	return out, nil
}

// RegisteredProviderTypes are the types a provider can be configured with, in the order main
// registered them.
func (a *App) RegisteredProviderTypes() []provider.Type { return a.providers.Types() }

// ProviderType is the registered provider type of that name.
func (a *App) ProviderType(typeName string) (provider.Type, bool) {
	return a.providers.Lookup(typeName)
}

// ProviderDisputeURL is the page of a provider's dispute on the provider's own site
// (provider.Registry.DisputeURL), or "".
func (a *App) ProviderDisputeURL(typeName, disputeID string) string {
	return a.providers.DisputeURL(typeName, disputeID)
}

// ProviderCaseOf finds the provider type whose dispute ids have the form of ref, a case number
// an admin typed, and the page of that dispute (provider.Registry.CaseOf).
func (a *App) ProviderCaseOf(ref string) (typeName, url string) { return a.providers.CaseOf(ref) }

// Providers lists the configured providers.
func (a *App) Providers(ctx context.Context, who actor.Actor) ([]store.Provider, error) {
	if err := adminOnly(who, "read providers"); err != nil {
		return nil, err
	}
	return a.store.ListProviders(ctx)
}

// Provider returns one configured provider.
func (a *App) Provider(ctx context.Context, who actor.Actor, name string) (store.Provider, error) {
	if err := adminOnly(who, "read providers"); err != nil {
		return store.Provider{}, err
	}
	p, err := a.store.GetProvider(ctx, name)
	return p, store.NotFound(err, "provider", name)
}

// DeleteProvider removes a provider; its disputes stay, and its webhooks are refused from then on.
func (a *App) DeleteProvider(ctx context.Context, who actor.Actor, name string) error {
	if err := adminOnly(who, "configure providers"); err != nil {
		return err
	}
	err := a.write(ctx, false, func(tx store.Tx, now time.Time) error {
		return store.NotFound(tx.DeleteProvider(ctx, name), "provider", name)
	})
	a.forgetAdapter(name)
	return err
}

// adapters keeps one adapter per configured provider, so that what an adapter caches (PayPal's
// certificates and access token) lives across requests; a changed configuration builds a new one.
type adapters struct {
	mu   sync.Mutex
	byID map[string]cachedAdapter
}

type cachedAdapter struct {
	config store.Provider
	read   time.Time // when config was last read from the store
	provider.Adapter
}

// providerTTL is how long a webhook trusts the configuration last read of its provider: a
// provider sending thousands of notifications a second has its configuration read once a second,
// not once each. A change made through this server takes effect at once (forgetAdapter); one
// made through another server instance within providerTTL, which a secret's rotation survives
// since the old secret stays valid beside the new one.
const providerTTL = time.Second

// receivingAdapter is the adapter that takes the named provider's notifications, from its
// configuration as last read (providerTTL); store.ErrNotFound when none is configured.
func (a *App) receivingAdapter(ctx context.Context, name string) (provider.Adapter, error) {
	a.adapters.mu.Lock()
	c, ok := a.adapters.byID[name]
	a.adapters.mu.Unlock()
	if ok && time.Since(c.read) < providerTTL {
		return c.Adapter, nil
	}
	p, err := a.store.GetProvider(ctx, name)
	if err != nil {
		a.forgetAdapter(name)
		return nil, err
	}
	return a.adapterFor(p)
}

// forgetAdapter drops the adapter of a provider whose configuration changed or went.
func (a *App) forgetAdapter(name string) {
	a.adapters.mu.Lock()
	delete(a.adapters.byID, name)
	a.adapters.mu.Unlock()
}

// adapterFor returns the adapter of a configured provider, built by its registered type.
func (a *App) adapterFor(p store.Provider) (provider.Adapter, error) {
	a.adapters.mu.Lock()
	defer a.adapters.mu.Unlock()
	if c, ok := a.adapters.byID[p.Name]; ok && c.config == p {
		c.read = time.Now()
		a.adapters.byID[p.Name] = c
		return c.Adapter, nil
	}
	t, ok := a.providers.Lookup(p.Type)
	if !ok {
		return nil, fmt.Errorf("provider %s: unknown type %q", p.Name, p.Type)
	}
	ad := t.New(providerConfig(p), a.outbound)
	if a.adapters.byID == nil {
		a.adapters.byID = map[string]cachedAdapter{}
	}
	a.adapters.byID[p.Name] = cachedAdapter{config: p, read: time.Now(), Adapter: ad}
	return ad, nil
}

// responderFor builds what pushes answers back to a provider; ok is false for a provider that
// takes none (the generic feed).
func (a *App) responderFor(p store.Provider) (provider.Responder, bool) {
	ad, err := a.adapterFor(p)
	if err != nil {
		return nil, false
	}
	r, ok := ad.(provider.Responder)
	return r, ok
}
