package web

import (
	"net/http"

	"disputed/internal/fault"
)

// integrationRoutes are the pages of what the server talks to: the panels that carry out
// actions on service lines (panels.go) and the payment providers whose disputes arrive by
// webhook (providers.go). Admins change them; the use cases decide who may, as in the API.
func (s *Server) integrationRoutes() {
	m := s.mux
	page := func(h http.HandlerFunc) http.HandlerFunc { return s.signedIn(true, h) }
	m.HandleFunc("GET /panels", page(s.panelsPage))
	m.HandleFunc("POST /panels", page(s.createPanel))
	m.HandleFunc("POST /panels/{name}/delete", page(s.deletePanel))
	m.HandleFunc("GET /providers", page(s.providersPage))
	m.HandleFunc("POST /providers", page(s.createProvider))
	m.HandleFunc("POST /providers/{name}/delete", page(s.deleteProvider))
	m.HandleFunc("POST /providers/{name}/imports", page(s.startImport))
	m.HandleFunc("GET /providers/{name}/imports/{id}", page(s.importProgress))
	m.HandleFunc("POST /providers/{name}/imports/{id}/cancel", page(s.cancelImport))
}

// fieldErrors are the refusals of a form shown beside their field, by the field's name in the
// API ("name", "config.base_url"); a refusal that names no field is the page's message.
type fieldErrors map[string]string

// fieldRefusal reads a refused form's error: its status, the refusal beside its field, and false when
// err is not the user's to fix (it is then the error page's).
func fieldRefusal(err error) (int, fieldErrors, string, bool) {
	status, msg, ok := formProblem(err)
	if !ok {
		return status, nil, "", false
	}
	if f, isFault := fault.As(err); isFault && f.Param != "" {
		return status, fieldErrors{f.Param: msg}, "", true
	}
	return status, fieldErrors{}, msg, true
}
