package web

import (
	"net/http"
	"strings"

	"disputed/internal/app"
	"disputed/internal/store"
)

// The providers page: the payment providers whose disputes arrive by webhook, as the API's
// /v1/providers lists them (admins only), each with the webhook address to give the provider,
// the add form, a confirmed delete, and for a provider that can, the import of its history
// (providerimports.go). Secrets and API keys are write-only: the page says
// whether each is set, never what it is.

// providerTypes are the types the add form offers: those the server registered, in their order.
func (s *Server) providerTypes() []choice {
	var out []choice
	for _, t := range s.app.RegisteredProviderTypes() {
		label := t.Title
		if label == "" {
			label = t.Name
		}
		out = append(out, choice{Value: t.Name, Label: label})
	}
	return out
}

// providerForm is the add form as typed, to show it again when it was refused. The webhook
// secret and API key are never sent back to the browser.
type providerForm struct{ Name, Type, APIBase, WebhookID string }

type providersPage struct {
	Providers []store.Provider
	// Imports are the providers that can import their history, by name, each with its latest
	// import (nil when none ran).
	Imports map[string]*store.ProviderImport
	Types   []choice
	Form    providerForm
	Errors  fieldErrors
	// Address is where this server is reached, which the webhook addresses start with.
	Address string
	Message string
	// CSRF is the token of the forms in the imports' progress, which htmx also renders alone.
	CSRF string
}

func (p providersPage) problem() string { return p.Message }

// Problem is the refusal shown beside the field name.
func (p providersPage) Problem(name string) string { return p.Errors[name] }

// WebhookURL is where the named provider sends its events.
func (p providersPage) WebhookURL(name string) string {
	return p.Address + "/v1/providers/" + name + "/webhook"
}

// CanImport says whether the named provider can import its history.
func (p providersPage) CanImport(name string) bool {
	_, ok := p.Imports[name]
	return ok
}

// LatestImport is the named provider's latest import, as its progress shows it; nil when none ran.
func (p providersPage) LatestImport(name string) *importShown {
	if imp := p.Imports[name]; imp != nil {
		return &importShown{ProviderImport: *imp, CSRF: p.CSRF}
	}
	return nil
}

// TypeWords is a provider type in words.
func (p providersPage) TypeWords(t string) string {
	for _, c := range p.Types {
		if c.Value == t {
			return c.Label
		}
	}
	return t
}

func (s *Server) providersPage(w http.ResponseWriter, r *http.Request) {
	var first string
	if types := s.app.RegisteredProviderTypes(); len(types) > 0 {
		first = types[0].Name
	}
	s.showProviders(w, r, http.StatusOK, providersPage{Form: providerForm{Type: first}})
}

func (s *Server) showProviders(w http.ResponseWriter, r *http.Request, status int, p providersPage) {
	ps, err := s.app.Providers(r.Context(), visitorOf(r.Context()).Who)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	p.Providers, p.Types, p.Address, p.CSRF = ps, s.providerTypes(), s.address(r), visitorOf(r.Context()).Session.CSRF
	if p.Imports, err = s.latestImports(r, ps); err != nil {
		s.failWith(w, r, err)
		return
	}
	s.render(w, r, status, "providers.html", "Providers", p)
}

// address is where people reach the server: DISPUTED_PUBLIC_URL, or else the address this
// request came to.
func (s *Server) address(r *http.Request) string {
	if s.cfg.PublicURL != "" {
		return strings.TrimSuffix(s.cfg.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil || s.cfg.Secure {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

func (s *Server) createProvider(w http.ResponseWriter, r *http.Request) {
	f := providerForm{Name: strings.TrimSpace(r.PostFormValue("name")), Type: r.PostFormValue("type"),
		APIBase: strings.TrimSpace(r.PostFormValue("api_base")), WebhookID: strings.TrimSpace(r.PostFormValue("webhook_id"))}
	_, err := s.app.CreateProvider(r.Context(), visitorOf(r.Context()).Who, app.ProviderParams{Name: f.Name, Type: f.Type,
		WebhookSecret: strings.TrimSpace(r.PostFormValue("webhook_secret")), APIKey: strings.TrimSpace(r.PostFormValue("api_key")),
		APIBase: f.APIBase, WebhookID: f.WebhookID})
	if err != nil {
		status, errs, msg, ok := fieldRefusal(err)
		if !ok {
			s.failWith(w, r, err)
			return
		}
		s.showProviders(w, r, status, providersPage{Form: f, Errors: errs, Message: msg})
		return
	}
	done(w, r, "/providers", noticeProviderAdded)
}

// deleteProvider removes a provider once confirmed in its box: its webhooks are refused from
// then on.
func (s *Server) deleteProvider(w http.ResponseWriter, r *http.Request) {
	if !ticked(r) {
		s.fail(w, r, http.StatusUnprocessableEntity, "Confirm the removal in its box: open the providers page and choose Delete… again.")
		return
	}
	if err := s.app.DeleteProvider(r.Context(), visitorOf(r.Context()).Who, r.PathValue("name")); err != nil {
		s.failWith(w, r, err)
		return
	}
	done(w, r, "/providers", noticeProviderDeleted)
}
