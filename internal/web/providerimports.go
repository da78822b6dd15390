package web

import (
	"bytes"
	"net/http"

	"disputed/internal/app"
	"disputed/internal/store"
)

// The import of a provider's history from the providers page: a date and a button start it (a
// job runs it, as POST /v1/providers/{name}/imports), and its progress (state, objects read, last
// page) is shown under it, asked for again every 2 s by htmx while it runs, with a button that
// cancels it.

// latestImports are the providers that can import, each with its latest import.
func (s *Server) latestImports(r *http.Request, ps []store.Provider) (map[string]*store.ProviderImport, error) {
	out := map[string]*store.ProviderImport{}
	for _, p := range ps {
		if !s.app.CanImport(p) {
			continue
		}
		is, _, err := s.app.ProviderImports(r.Context(), visitorOf(r.Context()).Who, p.Name, store.Page{Limit: 1})
		if err != nil {
			return nil, err
		}
		out[p.Name] = nil
		if len(is) > 0 {
			out[p.Name] = &is[0]
		}
	}
	return out, nil
}

func (s *Server) startImport(w http.ResponseWriter, r *http.Request) {
	since, err := app.ParseSince(r.PostFormValue("since"))
	if err == nil {
		_, err = s.app.StartImport(r.Context(), visitorOf(r.Context()).Who, r.PathValue("name"), since)
	}
	s.importDone(w, r, err, noticeImportStarted)
}

// cancelImport stops a running import (a job, or the command in a shell) before its next page.
func (s *Server) cancelImport(w http.ResponseWriter, r *http.Request) {
	_, err := s.app.CancelImport(r.Context(), visitorOf(r.Context()).Who, r.PathValue("name"), r.PathValue("id"))
	s.importDone(w, r, err, noticeImportCanceled)
}

// importDone answers a form about an import: back to the providers page with the notice, or
// the page again with the refusal.
func (s *Server) importDone(w http.ResponseWriter, r *http.Request, err error, n notice) {
	if err != nil {
		status, _, msg, ok := fieldRefusal(err)
		if !ok {
			s.failWith(w, r, err)
			return
		}
		s.showProviders(w, r, status, providersPage{Message: msg})
		return
	}
	done(w, r, "/providers", n)
}

// importShown is an import as its progress shows it, with the token of its cancel button's form.
type importShown struct {
	store.ProviderImport
	CSRF string
}

// importProgress answers htmx's poll with the import's progress alone.
func (s *Server) importProgress(w http.ResponseWriter, r *http.Request) {
	imp, err := s.app.ProviderImport(r.Context(), visitorOf(r.Context()).Who, r.PathValue("name"), r.PathValue("id"))
	if err != nil {
		s.failWith(w, r, err)
		return
	}
	var buf bytes.Buffer
	shown := importShown{ProviderImport: imp, CSRF: visitorOf(r.Context()).Session.CSRF}
	if err := s.pages["providers.html"].ExecuteTemplate(&buf, "import-progress", shown); err != nil {
		s.cfg.Logger.Error("render import progress", "error", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = buf.WriteTo(w)
}
