package web

import (
	"net/http"
	"slices"
)

// routes is every page: sign-in here; the admin UI's dispute and order pages (admin.go), the
// admin's operations pages: webhooks, jobs, users (ops.go), the merchant's configuration:
// settings, block list (merchant.go), the rules (rules.go), and the portal for buyers and vendors (portal.go).
func (s *Server) routes() {
	m := s.mux
	m.Handle("GET /static/", s.static())
	m.HandleFunc("GET /login", s.loginForm)
	m.HandleLimited("POST /login", signInFormLimit, s.storableInput(s.login))
	m.HandleFunc("GET /setup", s.setupForm)
	m.HandleLimited("POST /setup", signInFormLimit, s.storableInput(s.setup))
	m.HandleFunc("POST /logout", s.signedIn(false, s.logout))
	s.adminRoutes()
	s.opsRoutes()
	s.merchantRoutes()
	s.ruleRoutes()
	s.integrationRoutes()
	s.appRoutes()
	s.portalRoutes()
	m.HandleFunc("/", s.signedIn(false, func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusNotFound, "There is no such page.")
	}))
}

// Routes returns the pattern of every page and form as registered ("GET /disputes/{id}", and
// "/" for the pages that do not exist), for the test that checks who may open each.
func (s *Server) Routes() []string { return slices.Clone(s.mux.patterns) }

// routeMux is a ServeMux that remembers the patterns registered on it and gives every route a
// body limit: formLimit, unless the route names its own.
type routeMux struct {
	*http.ServeMux
	patterns []string
	limit    func(n int64, h http.Handler) http.Handler
}

func (m *routeMux) Handle(pattern string, h http.Handler) { m.HandleLimited(pattern, formLimit, h) }

func (m *routeMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.Handle(pattern, http.HandlerFunc(h))
}

// HandleLimited registers a route whose bodies may have up to n bytes.
func (m *routeMux) HandleLimited(pattern string, n int64, h http.Handler) {
	m.patterns = append(m.patterns, pattern)
	m.ServeMux.Handle(pattern, m.limit(n, h))
}
