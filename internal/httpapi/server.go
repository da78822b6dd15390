// Package httpapi is the REST API: the route table, one file per resource, the wire types, the one
// error mapper, authentication, idempotency, pagination and the OpenAPI document. A handler reads
// top to bottom: decode, call the use case, respond.
package httpapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/prometheus/client_golang/prometheus"

	"disputed/internal/access"
	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/fault"
	"disputed/internal/store"
	"disputed/internal/webhook"
)

// Config configures the API.
type Config struct {
	Version string
	Now     func() time.Time
	Logger  *slog.Logger
	// Registry receives the request metrics; /metrics serves it.
	Registry *prometheus.Registry
	// KeyLimit limits the requests of each API key; AddressLimit, per client address, the
	// requests that no valid key pays for (see throttleAddress). Both count in this process.
	KeyLimit, AddressLimit RateLimit
	// BodyReadTimeout is how long a handler waits for a request body (huma's own default is
	// 5 s, too short for an evidence upload on a slow line); the server's read timeout.
	BodyReadTimeout time.Duration
	// Access signs in, resolves every request's API key, and administers the users and keys.
	Access *access.Service
	// Webhooks administers the webhook endpoints and their deliveries.
	Webhooks *webhook.Service
	// Idempotency keeps the Idempotency-Key claims and their responses (idempotency.go).
	Idempotency IdempotencyStore
	// Database is what /readyz asks whether the database answers.
	Database store.Pinger
}

// IdempotencyStore is what the Idempotency-Key claims need of the database: a claim is read
// outside a transaction and written in a transaction of its own (its Tx holds
// store.IdempotencyWriter).
type IdempotencyStore interface {
	store.IdempotencyReader
	store.Transactor
}

// Server is the HTTP API.
type Server struct {
	app    *app.App
	access *access.Service
	claims IdempotencyStore
	db     store.Pinger
	log    *slog.Logger
	now    func() time.Time
	api    huma.API
	mux    *http.ServeMux
	routes []string        // "METHOD /path" of every registered route, for the OpenAPI check
	public map[string]bool // the routes that need no API key, by ServeMux pattern
	// anonymous is the routes that also answer without a key; scopes, what an app's token needs
	// for each route (none: apps may not use it). By ServeMux pattern.
	anonymous map[string]bool
	scopes    map[string]actor.Scope
	// queryParams is the query parameters each route declares, by ServeMux pattern (knownQuery).
	queryParams map[string][]string
	// secretAnswer is the routes whose answer shows a secret once, by ServeMux pattern.
	secretAnswer map[string]bool
	// csvPaths is the list paths that also answer CSV (csv.go), by path.
	csvPaths map[string]bool
	metrics  *metrics
	handler  http.Handler

	// The limits (limits.go, ratelimit.go), by ServeMux pattern where they are per route.
	signed          map[string]bool // the public routes a provider's signature authenticates
	bodyLimit       map[string]int64
	bodyReadTimeout time.Duration
	keys, addresses *buckets

	// webhooks administers the webhook endpoints and deliveries (webhooks.go).
	webhooks *webhook.Service
}

// New builds the API on a fresh ServeMux.
func New(a *app.App, cfg Config) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Registry == nil {
		cfg.Registry = prometheus.NewRegistry()
	}
	s := &Server{app: a, access: cfg.Access, webhooks: cfg.Webhooks, claims: cfg.Idempotency, db: cfg.Database, log: cfg.Logger, now: cfg.Now, mux: http.NewServeMux(), public: map[string]bool{},
		anonymous: map[string]bool{}, scopes: map[string]actor.Scope{},
		signed: map[string]bool{}, secretAnswer: map[string]bool{}, csvPaths: map[string]bool{}, bodyLimit: map[string]int64{}, bodyReadTimeout: cfg.BodyReadTimeout,
		// The buckets keep real time, not cfg.Now: a test's fixed clock must not stop them refilling.
		keys: newBuckets(cfg.KeyLimit, time.Now), addresses: newBuckets(cfg.AddressLimit, time.Now),
		metrics: newMetrics(cfg.Registry)}
	hc := huma.DefaultConfig("disputed", cfg.Version)
	hc.Info.Description = "Payment-dispute and chargeback management: disputes of every kind, their orders, " +
		"lines and transactions, evidence, timeline and events."
	hc.DocsPath, hc.SchemasPath, hc.OpenAPIPath = "", "", ""
	hc.CreateHooks = nil
	jsonFormat := huma.Format{Marshal: writeJSON, Unmarshal: decodeJSON}
	hc.Formats = map[string]huma.Format{"application/json": jsonFormat, "json": jsonFormat}
	hc.Components.SecuritySchemes = map[string]*huma.SecurityScheme{
		"bearer": {Type: "http", Scheme: "bearer", Description: "an API key, or an app's OAuth access token: Authorization: Bearer <key or token>"},
		"oauth2": {Type: "oauth2", Description: "a dispute-service app's access token, granted by an admin's consent; each route names the scope it needs",
			Flows: &huma.OAuthFlows{AuthorizationCode: &huma.OAuthFlow{AuthorizationURL: "/oauth/authorize", TokenURL: "/oauth/token",
				RefreshURL: "/oauth/token", Scopes: oauthScopes()}}},
	}
	hc.Security = []map[string][]string{{"bearer": {}}}
	s.api = humago.New(s.mux, hc)
	s.routeTable()
	s.finishDocument()
	s.describeProviderTypes()
	s.handler = s.csvByAccept(s.metrics.wrap(s.mux, s.throttleAddress(storableText(s.authenticate(s.throttleKey(s.limitBody(s.knownQuery(s.idempotent(s.mux)))))))))
	return s
}

// ServeHTTP serves the API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Routes returns every registered route as "METHOD /path".
func (s *Server) Routes() []string { return append([]string(nil), s.routes...) }

// Scope is the scope an app's token needs for a route, as Routes lists it; "" for a route apps
// may not use.
func (s *Server) Scope(route string) actor.Scope { return s.scopes[route] }

// Public reports whether a route, as Routes lists it, answers without an API key.
func (s *Server) Public(route string) bool { return s.public[route] }

// OpenAPI returns the OpenAPI document.
func (s *Server) OpenAPI() *huma.OpenAPI { return s.api.OpenAPI() }

// op describes a route for the table.
type op struct {
	method, path, id, summary, tag string
	status                         int
	public                         bool
	signed                         bool // a provider's signature authenticates it instead of an API key
	// anonymous marks a route that answers a request without any key too (the use case decides
	// what it may do): an app registering itself.
	anonymous bool
	// scope is what an app's token needs to use the route (actor.RequireScope); "" keeps apps out.
	scope actor.Scope
	// secret marks a route whose answer shows a secret once (`secret`): an idempotent repeat
	// answers without it, since the kept answer must not hold it.
	secret  bool
	maxBody int64
	body    *huma.RequestBody // when the body is read by hand
}

// register adds a huma operation whose handler errors go through the one error mapper.
func register[I, O any](s *Server, o op, h func(context.Context, *I) (*O, error)) {
	hop := huma.Operation{OperationID: o.id, Method: o.method, Path: o.path, Summary: o.summary, Tags: []string{o.tag},
		DefaultStatus: o.status, RequestBody: o.body, BodyReadTimeout: s.bodyReadTimeout,
		// limitBody holds the body to the route's limit; huma's own would be a second one.
		MaxBodyBytes: -1,
		// A body read by hand may be of a type huma cannot decode (multipart): the handler
		// validates it, and huma must not answer 415 first.
		SkipValidateBody: o.body != nil}
	hop.Security = security(o)
	if o.method == http.MethodPost && !o.public {
		hop.Parameters = append(hop.Parameters, &huma.Param{Name: "Idempotency-Key", In: "header",
			Description: "repeat a request safely: the same key and body return the first response for 24 hours (without a secret it showed once: that is not kept)",
			Schema:      &huma.Schema{Type: "string", MaxLength: ptr(255)}})
	}
	s.record(o)
	huma.Register(s.api, hop, func(ctx context.Context, in *I) (*O, error) {
		out, err := h(ctx, in)
		if err != nil {
			return nil, problem(ctx, s.log, err)
		}
		return out, nil
	})
}

// plain adds a route served outside huma (metrics, the OpenAPI document itself) and documents it.
func (s *Server) plain(o op, h http.HandlerFunc) {
	s.record(o)
	s.mux.HandleFunc(o.method+" "+o.path, h)
	doc := &huma.Operation{OperationID: o.id, Method: o.method, Path: o.path, Summary: o.summary, Tags: []string{o.tag},
		Responses: map[string]*huma.Response{"200": {Description: "OK"}}, Security: security(o)}
	s.api.OpenAPI().AddOperation(doc)
}

// record notes a route's rules by its ServeMux pattern, for the middleware that applies them.
func (s *Server) record(o op) {
	pattern := o.method + " " + o.path
	s.routes = append(s.routes, pattern)
	if o.public {
		s.public[pattern] = true
	}
	if o.signed {
		s.signed[pattern] = true
	}
	if o.anonymous {
		s.anonymous[pattern] = true
	}
	s.scopes[pattern] = o.scope
	if o.secret {
		s.secretAnswer[pattern] = true
	}
	s.bodyLimit[pattern] = o.maxBody
}

// security is what the OpenAPI document says authenticates a route: nothing for a public one; an
// API key, or an app's token with the route's scope when apps may use it; either, or nothing, for
// an anonymous one.
func security(o op) []map[string][]string {
	if o.public {
		return []map[string][]string{}
	}
	sec := []map[string][]string{{"bearer": {}}}
	if o.scope != "" {
		sec = append(sec, map[string][]string{"oauth2": {string(o.scope)}})
	}
	if o.anonymous {
		sec = append(sec, map[string][]string{})
	}
	return sec
}

func ptr[T any](v T) *T { return &v }

func (s *Server) serveOpenAPI(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/vnd.oai.openapi+json")
	_ = json.NewEncoder(w).Encode(s.api.OpenAPI())
}

// notFound answers a request no route matched: 405 with Allow when the path exists under other
// methods (the catch-all route hides the ServeMux's own 405), 404 otherwise.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "/" && pattern != "" {
			allowed = append(allowed, m)
		}
	}
	if len(allowed) > 0 {
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		writeError(w, newAPIError(http.StatusMethodNotAllowed, fault.CodeMethodNotAllowed, "",
			r.Method+" is not allowed on "+r.URL.Path+"; use "+strings.Join(allowed, " or ")))
		return
	}
	writeError(w, newAPIError(http.StatusNotFound, fault.CodeRouteNotFound, "", "no route "+r.Method+" "+r.URL.Path))
}
