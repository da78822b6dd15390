// Package web is the admin UI and the buyer/vendor portal: pages rendered on the server with
// html/template (htmx, embedded, only enhances them: every page reads without JavaScript), signed
// in with a session cookie, every form carrying a CSRF token. It calls the same use cases as the
// REST API, as the signed-in user.
package web

import (
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"disputed/internal/access"
	"disputed/internal/app"
	"disputed/internal/webhook"
)

//go:embed templates/*.html templates/*.tmpl
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Config tunes the UI. Zero values pick the defaults.
type Config struct {
	Now    func() time.Time
	Logger *slog.Logger
	// Secure marks the cookies Secure: set it when the server is reached over TLS (directly or
	// behind a proxy), so that the browser never sends them in clear.
	Secure bool
	// PublicURL is where people reach the server (DISPUTED_PUBLIC_URL), which the addresses the
	// pages give out (a provider's webhook) start with; "" uses the address a page was asked at.
	PublicURL string
	// Access signs in and out, resolves sessions, and administers the users and keys.
	Access *access.Service
	// Webhooks administers the webhook endpoints and their deliveries.
	Webhooks *webhook.Service
}

// Server serves the pages.
type Server struct {
	app   *app.App
	cfg   Config
	mux   *routeMux
	pages map[string]*template.Template
	// access signs in and out, resolves sessions, and administers the users and keys.
	access *access.Service
	// webhooks administers the webhook endpoints and deliveries (webhooks.go).
	webhooks *webhook.Service
}

// New builds the UI.
func New(a *app.App, cfg Config) (*Server, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	pages, err := parsedPages()
	if err != nil {
		return nil, err
	}
	s := &Server{app: a, access: cfg.Access, webhooks: cfg.Webhooks, cfg: cfg, pages: pages}
	s.mux = &routeMux{ServeMux: http.NewServeMux(), limit: s.limitBody}
	s.routes()
	return s, nil
}

// parsedPages are the page templates by file name, each with the layout, parsed once per process:
// they are embedded and their functions are the package's, so every Server may share them (a
// template is safe to execute concurrently), and a test binary that builds hundreds of servers
// parses and escapes them once instead of hundreds of times.
var parsedPages = sync.OnceValues(func() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, name := range names {
		if name == "templates/layout.html" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/*.tmpl", name)
		if err != nil {
			return nil, err
		}
		pages[name[len("templates/"):]] = t
	}
	return pages, nil
})

// ServeHTTP serves a page, with the headers that keep the pages from being framed, sniffed or
// made to run scripts from elsewhere.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", contentPolicy("'self'"))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	s.mux.ServeHTTP(w, r)
}

// contentPolicy is the pages' Content-Security-Policy, forms allowed to go to formAction: the
// server itself, and on the consent page the app the answer returns to.
func contentPolicy(formAction string) string {
	return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action " + formAction +
		"; frame-ancestors 'none'; base-uri 'none'"
}

func (s *Server) static() http.Handler {
	sub, _ := fs.Sub(staticFS, "static")
	fsrv := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		http.StripPrefix("/static/", fsrv).ServeHTTP(w, r)
	})
}
