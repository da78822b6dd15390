package web

import (
	"net/http"
	"net/url"
	"strings"

	"disputed/internal/access"
	"disputed/internal/actor"
)

// appRoutes are the Apps pages, where the merchant lets dispute-service apps in and throws them
// out, and the consent page an app sends an admin to (GET /oauth/authorize).
func (s *Server) appRoutes() {
	m := s.mux
	page := func(h http.HandlerFunc) http.HandlerFunc { return s.signedIn(true, h) }
	m.HandleFunc("GET /apps", page(s.appsPage))
	m.HandleFunc("POST /apps", page(s.registerApp))
	m.HandleFunc("GET /apps/{id}", page(s.appPage))
	m.HandleFunc("POST /apps/{id}/disconnect", page(s.disconnectApp))
	m.HandleFunc("POST /apps/{id}/delete", page(s.deleteApp))
	m.HandleFunc("GET /oauth/authorize", page(s.consentPage))
	m.HandleFunc("POST /oauth/authorize", page(s.answerConsent))
}

// appActionsPerPage is how many of an app's actions its page lists at once.
const appActionsPerPage = 100

// appForm is the registration form, to show it again when it was refused.
type appForm struct {
	Name         string
	RedirectURIs string // one per line
	Scopes       map[string]bool
}

type appsPage struct {
	Apps    []access.AppView
	Names   map[string]string // who registered each app, as people know them
	Scopes  []actor.ScopeInfo
	Form    appForm
	Secret  string // only in the answer to a registration
	Created string // the new app's client id, with the secret
	Message string
	Fields  fieldErrors
}

func (p appsPage) problem() string { return p.Message }

// Problem is the refusal of a field of the form, if any.
func (p appsPage) Problem(field string) string { return p.Fields[field] }

func (s *Server) appsPage(w http.ResponseWriter, r *http.Request) {
	s.showApps(w, r, http.StatusOK, appsPage{})
}

func (s *Server) showApps(w http.ResponseWriter, r *http.Request, status int, p appsPage) {
	apps, err := s.access.Apps(r.Context(), visitorOf(r.Context()).Who)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	if p.Names, err = s.registrants(r, apps...); err != nil {
		s.failWith(w, r, err)
		return
	}
	p.Apps, p.Scopes = apps, actor.Scopes
	if p.Form.Scopes == nil {
		p.Form.Scopes = map[string]bool{}
	}
	s.render(w, r, status, "apps.html", "Apps", p)
}

// registerApp registers an app and answers with the page showing its secret, this once (no
// redirect: the secret must not be in a URL).
func (s *Server) registerApp(w http.ResponseWriter, r *http.Request) {
	f := appForm{Name: strings.TrimSpace(r.PostFormValue("name")), RedirectURIs: r.PostFormValue("redirect_uris"), Scopes: map[string]bool{}}
	for _, sc := range r.PostForm["scopes"] {
		f.Scopes[sc] = true
	}
	secret, a, err := s.access.RegisterApp(r.Context(), visitorOf(r.Context()).Who, access.AppParams{
		Name: f.Name, RedirectURIs: strings.Fields(f.RedirectURIs), Scopes: r.PostForm["scopes"]})
	if err != nil {
		status, fields, msg, ok := fieldRefusal(err)
		if !ok {
			s.failWith(w, r, err)
			return
		}
		s.showApps(w, r, status, appsPage{Form: f, Message: msg, Fields: fields})
		return
	}
	s.showApps(w, r, http.StatusCreated, appsPage{Secret: secret, Created: a.ID})
}

// appAction is one thing an app did, with where it did it.
type appAction struct {
	timelineLine
	DisputeID, OrderID string
}

// registrants names who registered the apps, as the timeline names actors ("self" for an app
// that registered itself).
func (s *Server) registrants(r *http.Request, apps ...access.AppView) (map[string]string, error) {
	var recorded []string
	for _, a := range apps {
		recorded = append(recorded, a.RegisteredBy)
	}
	names, err := s.access.ActorNames(r.Context(), visitorOf(r.Context()).Who, recorded)
	if err != nil {
		return nil, err
	}
	names["self"] = "the app itself"
	return names, nil
}

type appPage struct {
	App     access.AppView
	Names   map[string]string // who registered it, as people know them
	Scopes  []actor.ScopeInfo // the scopes it may ask for, in words
	Actions []appAction
	Pager   pager
}

func (s *Server) appPage(w http.ResponseWriter, r *http.Request) {
	who := visitorOf(r.Context()).Who
	a, err := s.access.App(r.Context(), who, r.PathValue("id"))
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	page, nav := listPage(r, appActionsPerPage)
	entries, more, err := s.app.ActorTimeline(r.Context(), who, actor.App(a.ID, "", "").String(), page)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	lines, _, err := s.timelineOf(r, entries)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	p := appPage{App: a, Pager: nav.withMore(more)}
	if p.Names, err = s.registrants(r, a); err != nil {
		s.failWith(w, r, err)
		return
	}
	for _, sc := range a.Scopes {
		p.Scopes = append(p.Scopes, actor.ScopeInfo{Scope: actor.Scope(sc), Words: actor.Scope(sc).Words()})
	}
	for i, e := range entries {
		p.Actions = append(p.Actions, appAction{timelineLine: lines[i], DisputeID: e.DisputeID, OrderID: e.OrderID})
	}
	s.render(w, r, http.StatusOK, "app.html", a.Name, p)
}

// disconnectApp revokes every token of the app at once, once confirmed.
func (s *Server) disconnectApp(w http.ResponseWriter, r *http.Request) {
	if !ticked(r) {
		s.fail(w, r, http.StatusUnprocessableEntity, "Confirm the disconnection in its box: open the app's page and choose Disconnect… again.")
		return
	}
	id := r.PathValue("id")
	if _, err := s.access.DisconnectApp(r.Context(), visitorOf(r.Context()).Who, id); err != nil {
		s.failWith(w, r, err)
		return
	}
	done(w, r, "/apps/"+url.PathEscape(id), noticeAppDisconnected)
}

// deleteApp removes the app, its tokens and its webhook endpoints, once confirmed.
func (s *Server) deleteApp(w http.ResponseWriter, r *http.Request) {
	if !ticked(r) {
		s.fail(w, r, http.StatusUnprocessableEntity, "Confirm the removal in its box: open the app's page and choose Remove… again.")
		return
	}
	if err := s.access.DeleteApp(r.Context(), visitorOf(r.Context()).Who, r.PathValue("id")); err != nil {
		s.failWith(w, r, err)
		return
	}
	done(w, r, "/apps", noticeAppRemoved)
}

type consentPage struct {
	Consent  *access.Consent
	Merchant string
	Host     string     // where the answer sends the merchant back to
	Params   url.Values // the request's parameters, which the answer carries again
}

// consentPage shows an admin what an app asks for, in words, with Approve and Refuse. A request
// that is not valid is refused: at the app's redirect URI when it is known, here otherwise.
func (s *Server) consentPage(w http.ResponseWriter, r *http.Request) {
	who := visitorOf(r.Context()).Who
	c, err := s.access.ReadConsent(r)
	if err != nil {
		s.consentRefused(w, r, c, err)
		return
	}
	if who.Role != actor.Admin {
		s.fail(w, r, http.StatusForbidden, "Only an admin can connect an app. Ask one of the merchant's admins to open this link.")
		return
	}
	set, err := s.app.Settings(r.Context(), who)
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	redirect, _ := url.Parse(r.URL.Query().Get("redirect_uri"))
	if redirect == nil || redirect.Host == "" {
		redirect, _ = url.Parse(c.App.RedirectURIs[0]) // the only one, which OAuth lets the request leave out
	}
	// The answer is a redirect to the app: the page's form-action must allow where it goes.
	w.Header().Set("Content-Security-Policy", contentPolicy("'self' "+redirect.Scheme+"://"+redirect.Host))
	s.render(w, r, http.StatusOK, "consent.html", "Connect "+c.App.Name,
		consentPage{Consent: c, Merchant: set.MerchantName, Host: redirect.Host, Params: r.URL.Query()})
}

// answerConsent approves or refuses the request the consent page carried.
func (s *Server) answerConsent(w http.ResponseWriter, r *http.Request) {
	who := visitorOf(r.Context()).Who
	c, err := s.access.ReadConsent(r)
	if err != nil {
		s.consentRefused(w, r, c, err)
		return
	}
	answer := s.access.Refuse
	if r.PostFormValue("decision") == "approve" {
		answer = s.access.Approve
	}
	if err := answer(w, r, who, c); err != nil {
		s.failWith(w, r, err)
	}
}

// consentRefused answers a request that is not valid: at the app when it can be told, on a page
// of ours when its client or redirect URI is unknown (sending anyone there would make this server
// an open redirector).
func (s *Server) consentRefused(w http.ResponseWriter, r *http.Request, c *access.Consent, err error) {
	if c.Redirects() {
		s.access.ConsentError(w, r, c, err)
		return
	}
	s.fail(w, r, http.StatusBadRequest, "This app's link is not valid: "+access.ErrorWords(err))
}
