// Package server assembles disputed from a store: the use cases (app), access, webhooks, the job
// runner, the HTTP API and the web UI behind one handler, and the background work they need.
// cmd/disputed runs it as a process (its configuration, listener and lifecycle); the HTTP and UI
// tests run the same assembly on a loopback port over a test store, so that what they test is
// what the process serves.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"disputed/internal/access"
	"disputed/internal/app"
	"disputed/internal/httpapi"
	"disputed/internal/jobs"
	"disputed/internal/password"
	"disputed/internal/provider"
	"disputed/internal/service"
	"disputed/internal/store"
	"disputed/internal/web"
	"disputed/internal/webhook"
)

// Options configure a Server; the zero value is a server on the wall clock that sends no email,
// logs nowhere, and knows the provider types of ProviderTypes.
type Options struct {
	Version string
	Now     func() time.Time
	Logger  *slog.Logger
	// Mailer sends the customer emails; nil records them as not sent.
	Mailer app.Mailer
	// Outbound makes the calls to panels, providers and webhook endpoints; nil means
	// http.DefaultClient.
	Outbound *http.Client
	// Providers are the provider types the server can be configured with; nil means
	// ProviderTypes().
	Providers *provider.Registry
	// PublicURL is where people reach the server, for links in emails and pages.
	PublicURL string
	// Secure marks the cookies Secure (the server is reached over TLS).
	Secure bool
	// Hasher computes the password hashes; nil means the default bound.
	Hasher *password.Hasher
	// Registry receives the request metrics /metrics serves; nil means a registry of its own.
	Registry *prometheus.Registry
	// KeyLimit, AddressLimit and BodyReadTimeout are the API's (httpapi.Config).
	KeyLimit, AddressLimit httpapi.RateLimit
	BodyReadTimeout        time.Duration
	// JobPoll is the longest the job runner sleeps when idle (default 1 s).
	JobPoll time.Duration
	// ExportPage is how many rows a CSV export reads per query (app.Options.ExportPage).
	ExportPage int
	// ListReadAtMost is the most rows a list reads (app.Options.ListReadAtMost).
	ListReadAtMost int
	// DeferApplying leaves every provider event to the appliers (app.Options.DeferApplying).
	DeferApplying bool
}

// Server is disputed assembled: its parts, for the process to configure and the tests to drive,
// and Handler, which serves the API and the UI.
type Server struct {
	App      *app.App
	Access   *access.Service
	Webhooks *webhook.Service
	Runner   *jobs.Runner
	API      *httpapi.Server
	UI       *web.Server
	// Handler routes the API's paths to API and every other path to UI.
	Handler http.Handler

	store store.Store
	now   func() time.Time
	log   *slog.Logger
}

// apiPaths are the paths the API serves; the UI serves the rest.
var apiPaths = []string{"/v1/", "/healthz", "/readyz", "/metrics", "/openapi.json", "/oauth/token", "/oauth/revoke"}

// New assembles a server on st.
func New(st store.Store, o Options) (*Server, error) {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Providers == nil {
		o.Providers = ProviderTypes()
	}
	if o.Registry == nil {
		o.Registry = prometheus.NewRegistry()
	}
	presenter := httpapi.Presenter{Now: o.Now}
	s := &Server{store: st, now: o.Now, log: o.Logger}
	inbox := newInboxMetrics(o.Registry, func(ctx context.Context) (int64, int64, error) {
		stats, err := st.InboxStats(ctx)
		return stats.Pending, stats.Failed, err
	}, o.Logger)
	s.App = app.New(st, app.Options{Now: o.Now, Logger: o.Logger, Presenter: presenter,
		Outbound: o.Outbound, Mailer: o.Mailer, Providers: o.Providers, PublicURL: o.PublicURL, ExportPage: o.ExportPage,
		ListReadAtMost: o.ListReadAtMost, Inbox: inbox, DeferApplying: o.DeferApplying})
	o.Registry.MustRegister(newRatioMetrics(s.App, st, o.Now, o.Logger))
	s.Webhooks = webhook.New(st, webhook.Options{Now: o.Now, Presenter: presenter, Client: o.Outbound,
		OffsetWithin: func(p store.Page) error { return s.App.OffsetWithin(p, true) }})
	s.Access = access.New(st, access.Options{Now: o.Now, Logger: o.Logger, Hasher: o.Hasher, TokenKeys: st.DeriveKeys("oauth tokens"),
		OffsetWithin: func(p store.Page) error { return s.App.OffsetWithin(p, true) }})
	s.Runner = jobs.New(st, jobs.Config{Now: o.Now, Logger: o.Logger, Poll: o.JobPoll},
		append(s.App.JobKinds(), s.Webhooks.JobKind())...)
	s.API = httpapi.New(s.App, httpapi.Config{Version: o.Version, Now: o.Now, Logger: o.Logger, Registry: o.Registry,
		KeyLimit: o.KeyLimit, AddressLimit: o.AddressLimit, BodyReadTimeout: o.BodyReadTimeout,
		Access: s.Access, Webhooks: s.Webhooks, Idempotency: st, Database: st})
	ui, err := web.New(s.App, web.Config{Now: o.Now, Logger: o.Logger, Secure: o.Secure, PublicURL: o.PublicURL,
		Access: s.Access, Webhooks: s.Webhooks})
	if err != nil {
		return nil, err
	}
	s.UI = ui
	root := http.NewServeMux()
	for _, p := range apiPaths {
		root.Handle(p, s.API)
	}
	root.Handle("/", s.UI)
	s.Handler = root
	return s, nil
}

// Services is the background work of a running server, to start in this order and stop in the
// reverse one: the hourly history purge, the check of the dispute ratios every 5 minutes (which
// announces a crossing once: app.CheckRatios), the appliers of the provider events' inbox, the
// history imports a killed process left running given a job every minute (app.ResumeImports),
// and the job runner unless jobs is false (a test that runs the jobs itself).
func (s *Server) Services(jobs bool) []service.Service {
	out := []service.Service{&service.Periodic{Name: "purge history", Interval: time.Hour, Timeout: time.Minute,
		Logger: s.log, Work: s.PurgeHistory},
		&service.Periodic{Name: "check dispute ratios", Interval: 5 * time.Minute, Timeout: time.Minute,
			Logger: s.log, Work: s.App.CheckRatios},
		s.App.InboxApplier(),
		&service.Periodic{Name: "resume history imports", Interval: time.Minute, Timeout: 30 * time.Second,
			Logger: s.log, Work: s.App.ResumeImports}}
	if jobs {
		out = append(out, s.Runner)
	}
	return out
}

// JobRetention is how long finished jobs stay visible through the job API.
const JobRetention = 7 * 24 * time.Hour

// PurgeHistory deletes idempotency keys past their retention, jobs that finished more than
// JobRetention ago, expired sessions, expired OAuth codes and tokens, and failed sign-ins older
// than access.SignInMemory.
func (s *Server) PurgeHistory(ctx context.Context) error {
	now := s.now()
	return s.store.Tx(ctx, func(tx store.Tx) error {
		keys, err := tx.PurgeIdempotency(ctx, now.Add(-httpapi.IdempotencyRetention))
		if err != nil {
			return err
		}
		jobs, err := tx.PurgeJobs(ctx, now.Add(-JobRetention))
		if err != nil {
			return err
		}
		sessions, err := tx.PurgeSessions(ctx, now)
		if err != nil {
			return err
		}
		signIns, err := tx.PurgeSignInFailures(ctx, now.Add(-access.SignInMemory))
		if err != nil {
			return err
		}
		grants, err := tx.PurgeOAuthGrants(ctx, now)
		if err != nil {
			return err
		}
		if keys+jobs+int64(sessions+signIns+grants) > 0 {
			s.log.Info("purged history", "idempotency_keys", keys, "jobs", jobs, "sessions", sessions, "sign_in_failures", signIns, "oauth_grants", grants)
		}
		return nil
	})
}
