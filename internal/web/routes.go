package web

import "net/http"

// routes is every page: sign-in here; the admin UI's dispute and order pages (admin.go), the
// admin's operations pages: webhooks, jobs, users (ops.go), and the portal for buyers and
// vendors (portal.go).
func (s *Server) routes() {
	m := s.mux
	m.Handle("GET /static/", s.static())
	m.HandleFunc("GET /login", s.loginForm)
	m.HandleFunc("POST /login", s.login)
	m.HandleFunc("GET /setup", s.setupForm)
	m.HandleFunc("POST /setup", s.setup)
	m.HandleFunc("POST /logout", s.signedIn(false, s.logout))
	s.adminRoutes()
	s.opsRoutes()
	s.portalRoutes()
	m.HandleFunc("/", s.signedIn(false, func(w http.ResponseWriter, r *http.Request) {
		s.fail(w, r, http.StatusNotFound, "There is no such page.")
	}))
}
