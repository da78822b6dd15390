package notify

import (
	"context"
	"crypto/x509"
	"errors"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"disputed/internal/notify/smtptest"
)

// newSender starts a test server with opts and returns it with a sender configured from its URL,
// as cmd would configure one.
func newSender(t *testing.T, opts ...smtptest.Option) (*smtptest.Server, *SMTP) {
	t.Helper()
	srv := smtptest.Start(t, opts...)
	cfg, err := ParseSMTPURL(srv.URL())
	if err != nil {
		t.Fatalf("ParseSMTPURL(%q): %v", srv.URL(), err)
	}
	return srv, NewSMTP(cfg, srv.RootCAs())
}

func email(id string) Email {
	return Email{ID: id, To: "jane@example.com", ToName: "Jane Doe", Subject: "Hello", Text: "Hello Jane.\n"}
}

// ctx returns a context that ends with the test, bounded so a hung exchange fails fast.
func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return c
}

func TestSendStartTLSAuth(t *testing.T) {
	t.Parallel()
	srv, s := newSender(t, smtptest.RequireAuth())
	if s.From() != smtptest.From {
		t.Errorf("From() = %q; want %q", s.From(), smtptest.From)
	}
	rendered, err := Render(DisputeOpened, full())
	if err != nil {
		t.Fatal(err)
	}
	e := Email{ID: "ntf_01hx", To: "jane@example.com", ToName: "Jane Doe", Subject: rendered.Subject, Text: rendered.Text}
	if err := s.Send(ctx(t), e); err != nil {
		t.Fatalf("Send: %v", err)
	}

	msgs := srv.WaitFor(t, 1, 5*time.Second)
	if len(msgs) != 1 {
		t.Fatalf("server got %d messages; want 1", len(msgs))
	}
	m := msgs[0]
	if !m.TLS || m.AuthUsername != srv.Username {
		t.Errorf("TLS = %v, authenticated as %q; want STARTTLS and %q", m.TLS, m.AuthUsername, srv.Username)
	}
	if m.From != smtptest.From || !slices.Equal(m.To, []string{"jane@example.com"}) {
		t.Errorf("envelope from %q to %q; want %q to [jane@example.com]", m.From, m.To, smtptest.From)
	}
	if m.Subject != rendered.Subject {
		t.Errorf("Subject = %q; want %q", m.Subject, rendered.Subject)
	}
	if strings.TrimRight(m.Text, "\n") != strings.TrimRight(rendered.Text, "\n") {
		t.Errorf("body differs from the rendered text.\ngot:\n%s\nwant:\n%s", m.Text, rendered.Text)
	}
	for header, want := range map[string]string{
		"Message-Id":     "<ntf_01hx@disputed>",
		"Auto-Submitted": "auto-generated",
		"From":           "<shop@example.com>",
		"To":             `"Jane Doe" <jane@example.com>`,
	} {
		if got := m.Header.Get(header); got != want {
			t.Errorf("header %s = %q; want %q", header, got, want)
		}
	}
	if m.Header.Get("Date") == "" {
		t.Error("no Date header")
	}
	if ct := m.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type = %q; want text/plain", ct)
	}
}

func TestSendTLSModes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    []smtptest.Option
		edit    func(*SMTPConfig)
		wantTLS bool
	}{
		{name: "implicit TLS", opts: []smtptest.Option{smtptest.ImplicitTLS(), smtptest.RequireAuth()}, wantTLS: true},
		{name: "no TLS to a local relay", opts: []smtptest.Option{smtptest.NoTLS()}},
		{
			name: "opportunistic takes STARTTLS when offered",
			edit: func(c *SMTPConfig) { c.TLS = TLSOpportunistic }, wantTLS: true,
		},
		{
			name: "opportunistic falls back to clear text",
			opts: []smtptest.Option{smtptest.NoTLS()},
			edit: func(c *SMTPConfig) { c.TLS = TLSOpportunistic },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := smtptest.Start(t, tt.opts...)
			cfg, err := ParseSMTPURL(srv.URL())
			if err != nil {
				t.Fatal(err)
			}
			if tt.edit != nil {
				tt.edit(&cfg)
			}
			if err := NewSMTP(cfg, srv.RootCAs()).Send(ctx(t), email("ntf_1")); err != nil {
				t.Fatalf("Send: %v", err)
			}
			msgs := srv.Messages()
			if len(msgs) != 1 || msgs[0].TLS != tt.wantTLS || msgs[0].Subject != "Hello" {
				t.Fatalf("server got %+v; want one message, TLS %v", msgs, tt.wantTLS)
			}
		})
	}
}

func TestSendErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		opts      []smtptest.Option
		edit      func(*SMTPConfig, **x509.CertPool)
		email     Email
		permanent bool
		errText   string // part of the error message
	}{
		{
			name:      "recipient refused with 550",
			opts:      []smtptest.Option{smtptest.RejectRecipient("jane@example.com")},
			email:     email("ntf_1"),
			permanent: true,
			errText:   "550",
		},
		{
			name:    "transaction failed with 451",
			opts:    []smtptest.Option{smtptest.FailTransactions(1)},
			email:   email("ntf_1"),
			errText: "451",
		},
		{
			name:  "wrong password is a config problem, not the message's",
			opts:  []smtptest.Option{smtptest.RequireAuth()},
			edit:  func(c *SMTPConfig, _ **x509.CertPool) { c.Password = "wrong" },
			email: email("ntf_1"), errText: "535",
		},
		{
			name:  "STARTTLS required but not offered",
			opts:  []smtptest.Option{smtptest.NoTLS()},
			edit:  func(c *SMTPConfig, _ **x509.CertPool) { c.TLS = TLSStartTLS },
			email: email("ntf_1"), errText: "STARTTLS",
		},
		{
			name:  "untrusted certificate",
			edit:  func(_ *SMTPConfig, roots **x509.CertPool) { *roots = x509.NewCertPool() },
			email: email("ntf_1"), errText: "certificate",
		},
		{
			name:  "incomplete config",
			edit:  func(c *SMTPConfig, _ **x509.CertPool) { c.From = "" },
			email: email("ntf_1"), errText: "from address not configured",
		},
		{
			name:      "no id",
			email:     email(""),
			permanent: true, errText: "email id",
		},
		{
			name:      "id that would break the Message-ID",
			email:     email("ntf>\r\nBcc: x@example.com"),
			permanent: true, errText: "email id",
		},
		{
			name:      "recipient with a display name",
			email:     func() Email { e := email("ntf_1"); e.To = "Jane <jane@example.com>"; return e }(),
			permanent: true, errText: "not a bare email address",
		},
		{
			name:      "no recipient",
			email:     func() Email { e := email("ntf_1"); e.To = ""; return e }(),
			permanent: true, errText: "recipient",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := smtptest.Start(t, tt.opts...)
			cfg, err := ParseSMTPURL(srv.URL())
			if err != nil {
				t.Fatal(err)
			}
			roots := srv.RootCAs()
			if tt.edit != nil {
				tt.edit(&cfg, &roots)
			}
			err = NewSMTP(cfg, roots).Send(ctx(t), tt.email)
			var se *SendError
			if !errors.As(err, &se) {
				t.Fatalf("Send error = %v (%T); want *SendError", err, err)
			}
			if se.Permanent != tt.permanent || IsPermanent(err) != tt.permanent {
				t.Errorf("Permanent = %v; want %v (%v)", se.Permanent, tt.permanent, err)
			}
			if !strings.Contains(err.Error(), tt.errText) {
				t.Errorf("error %q does not mention %q", err, tt.errText)
			}
			if strings.Contains(err.Error(), srv.Password) {
				t.Errorf("error %q contains the password", err)
			}
			if n := len(srv.Messages()); n != 0 {
				t.Errorf("server accepted %d messages; want none", n)
			}
		})
	}
}

// TestSendRetryAfter451 checks that a transient failure really is one: the same email goes
// through on the next attempt, with the same Message-ID.
func TestSendRetryAfter451(t *testing.T) {
	t.Parallel()
	srv, s := newSender(t, smtptest.FailTransactions(2))
	for attempt := 1; attempt <= 2; attempt++ {
		err := s.Send(ctx(t), email("ntf_retry"))
		if err == nil || IsPermanent(err) {
			t.Fatalf("attempt %d: Send error = %v; want a transient error", attempt, err)
		}
	}
	if err := s.Send(ctx(t), email("ntf_retry")); err != nil {
		t.Fatalf("attempt 3: %v", err)
	}
	msgs := srv.Messages()
	if len(msgs) != 1 || msgs[0].Header.Get("Message-Id") != "<ntf_retry@disputed>" {
		t.Fatalf("server got %d messages (%+v); want one with Message-ID <ntf_retry@disputed>", len(msgs), msgs)
	}
}

func TestSendConnectionRefused(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close() // nothing listens on port now
	s := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: port, TLS: TLSStartTLS, From: "shop@example.com"}, nil)
	err = s.Send(ctx(t), email("ntf_1"))
	var se *SendError
	if !errors.As(err, &se) || se.Permanent {
		t.Fatalf("Send error = %v; want a transient *SendError", err)
	}
}

// TestSendContext checks that ctx bounds the whole exchange, not only the dial: the server
// accepts the connection and then never says a word.
func TestSendContext(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	go func() {
		var conns []net.Conn
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			conns = append(conns, c)
		}
	}()
	s := NewSMTP(SMTPConfig{Host: "127.0.0.1", Port: l.Addr().(*net.TCPAddr).Port, TLS: TLSStartTLS,
		From: "shop@example.com"}, nil)

	tests := []struct {
		name string
		ctx  func(*testing.T) (context.Context, context.CancelFunc)
		want error
	}{
		{"cancelled midway", func(t *testing.T) (context.Context, context.CancelFunc) {
			c, cancel := context.WithCancel(t.Context())
			time.AfterFunc(100*time.Millisecond, cancel)
			return c, cancel
		}, context.Canceled},
		{"deadline", func(t *testing.T) (context.Context, context.CancelFunc) {
			return context.WithTimeout(t.Context(), 100*time.Millisecond)
		}, context.DeadlineExceeded},
		{"cancelled before", func(t *testing.T) (context.Context, context.CancelFunc) {
			c, cancel := context.WithCancel(t.Context())
			cancel()
			return c, cancel
		}, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, cancel := tt.ctx(t)
			defer cancel()
			start := time.Now()
			err := s.Send(c, email("ntf_1"))
			if !errors.Is(err, tt.want) || IsPermanent(err) {
				t.Errorf("Send error = %v; want a transient error wrapping %v", err, tt.want)
			}
			if d := time.Since(start); d > 5*time.Second {
				t.Errorf("Send took %v after its context ended", d)
			}
		})
	}
}

// TestSendHeaderInjection checks that caller text cannot add headers or recipients.
func TestSendHeaderInjection(t *testing.T) {
	t.Parallel()
	srv, s := newSender(t)
	e := email("ntf_1")
	e.Subject = "Hello\r\nBcc: eve@example.com"
	e.ToName = "Jane\r\nCc: eve@example.com"
	if err := s.Send(ctx(t), e); err != nil {
		t.Fatalf("Send: %v", err)
	}
	m := srv.Messages()[0]
	if !slices.Equal(m.To, []string{"jane@example.com"}) {
		t.Errorf("envelope recipients %q; want only jane@example.com", m.To)
	}
	if m.Header.Get("Bcc") != "" || m.Header.Get("Cc") != "" {
		t.Errorf("injected headers arrived: Bcc %q, Cc %q", m.Header.Get("Bcc"), m.Header.Get("Cc"))
	}
	if m.Subject != "Hello Bcc: eve@example.com" {
		t.Errorf("Subject = %q; want the injection flattened onto one line", m.Subject)
	}
}

func TestSendConcurrent(t *testing.T) {
	t.Parallel()
	srv, s := newSender(t, smtptest.RequireAuth())
	const n = 8
	errs := make(chan error, n)
	for i := range n {
		go func() { errs <- s.Send(ctx(t), email("ntf_"+string(rune('a'+i)))) }()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if got := len(srv.WaitFor(t, n, 5*time.Second)); got != n {
		t.Errorf("server got %d messages; want %d", got, n)
	}
}
