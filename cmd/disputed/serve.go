package main

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"disputed/internal/accesslog"
	"disputed/internal/app"
	"disputed/internal/fault"
	"disputed/internal/notify"
	"disputed/internal/outbound"
	"disputed/internal/password"
	"disputed/internal/provider/paypal"
	"disputed/internal/provider/stripe"
	"disputed/internal/server"
	"disputed/internal/service"
	"disputed/internal/store"
)

// Main is a running server: ParseFlags, Run, then Close. Tests use it to start the real server
// on a random port.
type Main struct {
	Config Config
	Now    func() time.Time
	// JobPoll is the longest the job runner sleeps when idle (default 1 s); JobLoop false leaves
	// the runner stopped so that a test drives it with Runner().RunOnce and an injected clock.
	JobPoll time.Duration
	JobLoop bool
	// SMTPRootCAs are the certificate authorities trusted for the SMTP server's TLS; nil means
	// the system's. Tests set it to trust their own server.
	SMTPRootCAs *x509.CertPool
	// PayPal adjusts the PayPal adapters; tests give them their own certificate fetcher.
	PayPal []paypal.Option
	// Hasher computes the password hashes; nil means the default bound (password.DefaultSlots
	// at once). Tests give a smaller one to see it refuse.
	Hasher *password.Hasher

	getenv func(string) string
	logOut io.Writer
	log    *slog.Logger
	store  store.Store
	server *server.Server
	ln     net.Listener
	http   *http.Server
	done   chan struct{}
	closed bool
	// services is the background work, started in this order and stopped in the reverse one.
	services []service.Service

	// profile is the CPU profile being written, if one was asked for.
	profile *os.File
}

// NewMain returns a Main reading its environment from getenv and logging to logOut.
func NewMain(getenv func(string) string, logOut io.Writer) *Main {
	return &Main{getenv: getenv, logOut: logOut, Now: time.Now, JobLoop: true}
}

// ParseFlags reads the serve flags and the environment into m.Config.
func (m *Main) ParseFlags(args []string) error {
	fs := newFlagSet("serve", m.logOut)
	fs.StringVar(&m.Config.Addr, "addr", envValue(m.getenv, "DISPUTED_ADDR"), "listen address (env DISPUTED_ADDR)")
	db := dbFlag(fs, m.getenv)
	fs.StringVar(&m.Config.LogLevel, "log-level", envValue(m.getenv, "DISPUTED_LOG_LEVEL"), "debug, info, warn or error (env DISPUTED_LOG_LEVEL)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "Usage: disputed serve [flags]\n\nFlags:")
		fs.PrintDefaults()
		printEnvironment(fs.Output())
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	m.Config.DB = *db
	m.Config.AdminKey = m.getenv("DISPUTED_ADMIN_KEY")
	m.Config.CPUProfile = m.getenv("DISPUTED_CPU_PROFILE")
	m.Config.SMTPURL = m.getenv("DISPUTED_SMTP_URL")
	m.Config.StripeWebhookSecret = m.getenv("DISPUTED_STRIPE_WEBHOOK_SECRET")
	m.Config.PublicURL = m.getenv("DISPUTED_PUBLIC_URL")
	m.Config.StripeAPIKey = m.getenv("DISPUTED_STRIPE_API_KEY")
	var err error
	if m.Config.AccessLog, err = switchEnv(m.getenv, "DISPUTED_ACCESS_LOG"); err != nil {
		return err
	}
	limits, err := readLimits(m.getenv)
	if err != nil {
		return err
	}
	m.Config.Limits = limits
	if m.Config.Outbound, err = outbound.ParsePolicy(m.getenv(outbound.AllowPrivateEnv)); err != nil {
		return err
	}
	return noArgs(fs)
}

// Run opens the database, migrates it, and starts serving in the background.
func (m *Main) Run(ctx context.Context) error {
	var level slog.Level
	if err := level.UnmarshalText([]byte(m.Config.LogLevel)); err != nil {
		return fmt.Errorf("--log-level: %w", err)
	}
	m.log = slog.New(slog.NewJSONHandler(m.logOut, &slog.HandlerOptions{Level: level}))
	var mailer app.Mailer
	if m.Config.SMTPURL != "" {
		cfg, err := notify.ParseSMTPURL(m.Config.SMTPURL)
		if err != nil {
			return fmt.Errorf("DISPUTED_SMTP_URL: %w", err)
		}
		mailer = notify.NewSMTP(cfg, m.SMTPRootCAs)
		m.log.Info("customer emails", "smtp", cfg)
	} else {
		m.log.Warn("customer emails are recorded but not sent: DISPUTED_SMTP_URL is not set")
	}
	st, err := openStore(ctx, m.Config.DB, m.getenv, m.log, serving)
	if err != nil {
		return fmt.Errorf("open database: %w", err)
	}
	m.store = st
	sealed, err := st.SealSecrets(ctx)
	if err != nil {
		_ = st.Close()
		return err
	}
	if sealed.Sealed+sealed.Resealed > 0 {
		m.log.Info("sealed the stored secrets under the first secret key", "from_plain_text", sealed.Sealed, "from_older_keys", sealed.Resealed)
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	lim := m.Config.Limits
	m.server, err = server.New(st, server.Options{Version: version, Now: m.Now, Logger: m.log, Mailer: mailer,
		Outbound: outbound.NewClient(m.Config.Outbound), Providers: server.ProviderTypes(m.PayPal...),
		PublicURL: m.Config.PublicURL, Secure: m.Config.HTTPS(), Hasher: m.Hasher, Registry: reg,
		KeyLimit: lim.KeyRate, AddressLimit: lim.AddressRate, BodyReadTimeout: lim.ReadTimeout, JobPoll: m.JobPoll})
	if err != nil {
		_ = st.Close()
		return fmt.Errorf("web UI: %w", err)
	}
	if m.Config.StripeWebhookSecret != "" {
		_, err := m.server.App.SaveProvider(ctx, app.ProviderParams{Name: "stripe", Type: stripe.TypeName,
			WebhookSecret: m.Config.StripeWebhookSecret, APIKey: m.Config.StripeAPIKey, APIBase: m.getenv("DISPUTED_STRIPE_API_BASE")})
		if err != nil {
			_ = st.Close()
			if e, ok := fault.As(err); ok && e.Param == "api_base" {
				return fmt.Errorf("DISPUTED_STRIPE_API_BASE: %w", err)
			}
			return fmt.Errorf("DISPUTED_STRIPE_WEBHOOK_SECRET: %w", err)
		}
	}
	if m.Config.AdminKey != "" {
		if err := m.server.Access.EnsureAdminKey(ctx, m.Config.AdminKey); err != nil {
			_ = st.Close()
			return fmt.Errorf("DISPUTED_ADMIN_KEY: %w", err)
		}
	}
	ln, err := net.Listen("tcp", m.Config.Addr)
	if err != nil {
		_ = st.Close()
		return fmt.Errorf("listen: %w", err)
	}
	limited := limitListener(ln, lim.MaxConnections)
	m.ln = limited
	m.server.API.SetServerURL(m.baseURL())
	handler := m.server.Handler
	if m.Config.HTTPS() {
		handler = strictTransport(handler)
	}
	if m.Config.AccessLog {
		handler = accesslog.Handler(m.log, handler)
	}
	m.http = &http.Server{Handler: handler, ReadHeaderTimeout: lim.ReadHeaderTimeout, ReadTimeout: lim.ReadTimeout,
		WriteTimeout: lim.WriteTimeout, IdleTimeout: lim.IdleTimeout, ConnState: limited.ConnState,
		ErrorLog: slog.NewLogLogger(m.log.Handler(), slog.LevelWarn)}
	m.done = make(chan struct{})
	go func() {
		defer close(m.done)
		if err := m.http.Serve(m.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.log.Error("serve", "error", err)
		}
	}()
	// With the job runner, deadlines that passed while the server was down fire now.
	m.services = m.server.Services(m.JobLoop)
	for _, s := range m.services {
		// They run until Close, not until ctx ends: the requests still being answered may
		// schedule work.
		if err := s.Start(context.WithoutCancel(ctx)); err != nil {
			return errors.Join(err, m.Close())
		}
	}
	if err := m.startProfile(); err != nil {
		return errors.Join(err, m.Close())
	}
	m.log.Info("listening", "addr", m.ln.Addr().String(), "db", redact(m.Config.DB), "version", version)
	if err := m.offerSetup(ctx); err != nil {
		return errors.Join(err, m.Close())
	}
	return nil
}

// offerSetup prints, while there is no admin user, the link that creates the first one: a
// one-time setup token, in the log, which only whoever runs the server reads.
func (m *Main) offerSetup(ctx context.Context) error {
	token, err := m.server.Access.NewSetupToken(ctx)
	if err != nil || token == "" {
		return err
	}
	m.log.Warn("no admin user yet: open this link to create the first one (or run disputed user create --role admin)",
		"url", m.baseURL()+"/setup?token="+token)
	return nil
}

// baseURL is where people and clients reach the server: the public URL, or else the address it
// listens on.
func (m *Main) baseURL() string {
	if base := strings.TrimSuffix(m.Config.PublicURL, "/"); base != "" {
		return base
	}
	return "http://" + m.ln.Addr().String()
}

// Server is what the process serves (its API's route table, its UI's pages, its job runner for
// the tests that drive it by hand).
func (m *Main) Server() *server.Server { return m.server }

// Addr is the address the server listens on (useful with port 0).
func (m *Main) Addr() string { return m.ln.Addr().String() }

// Close stops accepting requests, lets running requests finish (up to 30 s), stops the background
// services, letting the running jobs finish (each within its kind's timeout; jobs claimed but not
// started go back for another server), and closes the database.
func (m *Main) Close() error {
	if m.http == nil || m.closed {
		return nil
	}
	m.closed = true
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	err := m.http.Shutdown(ctx)
	<-m.done
	for _, s := range slices.Backward(m.services) {
		s.Stop()
	}
	m.log.Info("stopped")
	return errors.Join(err, m.store.Close(), m.stopProfile())
}

// redact hides a password in a database URL before it is logged.
func redact(dsn string) string {
	if !isPostgres(dsn) {
		return dsn
	}
	if u, err := url.Parse(dsn); err == nil {
		return u.Redacted()
	}
	return "postgres://…"
}
