package web

import (
	"net/http"
	"strings"

	"disputed/internal/access"
	"disputed/internal/actor"
	"disputed/internal/store"
)

// apiKeysPerPage is how many keys the API keys page lists at once.
const apiKeysPerPage = 50

// apiKeyForm is the new-key form, to show it again when it was refused.
type apiKeyForm struct {
	Name    string
	Role    string
	PartyID string
}

type apiKeysPage struct {
	Keys    []store.APIKey
	Pager   pager
	Roles   []actor.Role
	Form    apiKeyForm
	Secret  string // only in the answer to create
	Created string // the new key's id, with the secret
	Message string
}

func (p apiKeysPage) problem() string { return p.Message }

func (s *Server) apiKeysPage(w http.ResponseWriter, r *http.Request) {
	s.showAPIKeys(w, r, http.StatusOK, apiKeysPage{Form: apiKeyForm{Role: string(actor.Agent)}})
}

// showAPIKeys renders the page with p's form, message or new secret, and a page of the keys.
func (s *Server) showAPIKeys(w http.ResponseWriter, r *http.Request, status int, p apiKeysPage) {
	page, nav := listPage(r, apiKeysPerPage)
	keys, more, err := s.access.APIKeys(r.Context(), visitorOf(r.Context()).Who, page)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	p.Keys, p.Pager, p.Roles = keys, nav.withMore(more), actor.Roles
	s.render(w, r, status, "apikeys.html", "API keys", p)
}

// createAPIKey makes a key and answers with the page showing its secret, this once: the secret
// is never put in a URL, so there is no redirect (and the page is not cached: render says
// no-store).
func (s *Server) createAPIKey(w http.ResponseWriter, r *http.Request) {
	f := apiKeyForm{Name: strings.TrimSpace(r.PostFormValue("name")), Role: r.PostFormValue("role"),
		PartyID: strings.TrimSpace(r.PostFormValue("party_id"))}
	secret, k, err := s.access.CreateAPIKey(r.Context(), visitorOf(r.Context()).Who,
		access.APIKeyParams{Name: f.Name, Role: f.Role, PartyID: f.PartyID})
	if err != nil {
		if status, msg, ok := formProblem(err); ok {
			s.showAPIKeys(w, r, status, apiKeysPage{Form: f, Message: msg})
			return
		}
		s.failWith(w, r, err)
		return
	}
	s.showAPIKeys(w, r, http.StatusCreated, apiKeysPage{Form: apiKeyForm{Role: string(actor.Agent)}, Secret: secret, Created: k.ID})
}

// revokeAPIKey stops a key from authenticating from the next request on, once confirmed in its
// box.
func (s *Server) revokeAPIKey(w http.ResponseWriter, r *http.Request) {
	if !ticked(r) {
		s.fail(w, r, http.StatusUnprocessableEntity, "Confirm the revocation in its box: open the API keys page and choose Revoke… again.")
		return
	}
	_, err := s.access.RevokeAPIKey(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id"))
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	done(w, r, "/api-keys", noticeAPIKeyRevoked)
}
