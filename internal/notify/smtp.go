package notify

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"

	mail "github.com/wneessen/go-mail"
)

// Email is one message to one customer.
type Email struct {
	// ID identifies the email across retries: it becomes the Message-ID <ID@disputed>, so a
	// receiver that saw an earlier attempt arrive can drop the duplicate. Letters, digits and
	// "._-" only.
	ID      string
	To      string // a bare address
	ToName  string // optional display name
	Subject string
	Text    string // plain-text body
}

// SendError is the error Send returns: what went wrong, and whether trying again later can help.
type SendError struct {
	// Permanent is set when retrying cannot help: the server refused the message with a 5xx
	// reply (unknown recipient, rejected sender, message refused), or the email itself is
	// invalid. Everything else, from a refused connection to a 4xx reply or a timeout, is
	// transient.
	Permanent bool
	Err       error
}

func (e *SendError) Error() string {
	kind := "transient"
	if e.Permanent {
		kind = "permanent"
	}
	return fmt.Sprintf("notify: %s send error: %v", kind, e.Err)
}

func (e *SendError) Unwrap() error { return e.Err }

// IsPermanent reports whether err is a *SendError marked Permanent.
func IsPermanent(err error) bool {
	var se *SendError
	return errors.As(err, &se) && se.Permanent
}

// defaultTimeout bounds each step of an SMTP exchange (connect, each command, the data) when
// the context sets no earlier deadline. A job runner retries; a hung server must not hold a
// worker for minutes.
const defaultTimeout = 30 * time.Second

// SMTP sends email through one SMTP server. It opens a connection per message: customer emails
// are few, and a fresh connection has no idle-timeout or half-closed state to manage. It is
// safe for concurrent use.
type SMTP struct {
	cfg     SMTPConfig
	rootCAs *x509.CertPool
}

// NewSMTP returns a sender for c, trusting rootCAs for the server's certificate (nil: the
// system roots). c is checked when sending, so a bad config shows up as a transient failure
// that is logged and retried once the config is fixed, not as lost mail.
func NewSMTP(c SMTPConfig, rootCAs *x509.CertPool) *SMTP {
	return &SMTP{cfg: c, rootCAs: rootCAs}
}

// From returns the sender address of every email.
func (s *SMTP) From() string { return s.cfg.From }

// Send delivers e. ctx bounds the whole exchange: cancelling it closes the connection. Every
// error is a *SendError. A message the server has accepted counts as sent even if the
// connection then fails, because sending it again would deliver it twice.
func (s *SMTP) Send(ctx context.Context, e Email) error {
	if err := s.check(); err != nil {
		return &SendError{Err: err}
	}
	msg, err := s.message(e)
	if err != nil {
		return &SendError{Permanent: true, Err: err}
	}
	if err := ctx.Err(); err != nil {
		return &SendError{Err: err}
	}

	// go-mail's context covers only the dial; its later steps run on per-step deadlines. So
	// the dialler hands the connection to context.AfterFunc, which closes it when ctx ends,
	// failing whatever step is under way.
	var conn net.Conn
	var stop func() bool
	defer func() {
		if conn != nil {
			stop()
			// go-mail leaves the connection open when the greeting, STARTTLS or AUTH fails.
			// After a QUIT this is a no-op.
			conn.Close()
		}
	}()
	dial := func(dialCtx context.Context, _, _ string) (net.Conn, error) {
		addr := net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port))
		var c net.Conn
		var err error
		if s.cfg.TLS == TLSImplicit {
			d := tls.Dialer{Config: s.tlsConfig()}
			c, err = d.DialContext(dialCtx, "tcp", addr)
		} else {
			var d net.Dialer
			c, err = d.DialContext(dialCtx, "tcp", addr)
		}
		if err != nil {
			return nil, err
		}
		conn, stop = c, context.AfterFunc(ctx, func() { c.Close() })
		return c, nil
	}

	client, err := mail.NewClient(s.cfg.Host, s.options(ctx, dial)...)
	if err != nil {
		return &SendError{Err: fmt.Errorf("smtp client: %w", err)}
	}
	err = client.DialAndSendWithContext(ctx, msg)
	if err == nil || msg.IsDelivered() {
		return nil
	}
	if ctxErr := contextErr(ctx); ctxErr != nil {
		return &SendError{Err: fmt.Errorf("%w: %w", ctxErr, err)}
	}
	return &SendError{Permanent: rejected(err), Err: err}
}

// contextErr returns ctx.Err, or context.DeadlineExceeded once the deadline has passed: the
// connection's own deadline, set to the same instant, can fire before the context's timer.
func contextErr(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if dl, ok := ctx.Deadline(); ok && !time.Now().Before(dl) {
		return context.DeadlineExceeded
	}
	return nil
}

// rejected reports whether err carries a 5xx reply to the message itself: MAIL FROM, RCPT TO
// or DATA. A 5xx before that (to AUTH, say, for a wrong password), or a 530 "authentication
// required" to MAIL FROM, is about our configuration, not this message; it stays transient so
// that the mail goes out once the config is fixed.
func rejected(err error) bool {
	var se *mail.SendError
	if !errors.As(err, &se) {
		return false
	}
	code := se.ErrorCode()
	switch se.Reason {
	case mail.ErrSMTPMailFrom:
		return code >= 500 && code <= 599 && code != 530
	case mail.ErrSMTPRcptTo, mail.ErrSMTPData, mail.ErrSMTPDataClose:
		return code >= 500 && code <= 599
	}
	return false
}

// message builds the MIME message for e, refusing what cannot be sent however often we try.
func (s *SMTP) message(e Email) (*mail.Msg, error) {
	if !validID(e.ID) {
		return nil, fmt.Errorf("email id %s: want 1-128 of letters, digits and ._-", quote(e.ID))
	}
	if !bareAddress(e.To) {
		return nil, fmt.Errorf("recipient %s is not a bare email address", quote(e.To))
	}
	msg := mail.NewMsg(mail.WithNoDefaultUserAgent())
	if err := msg.From(s.cfg.From); err != nil {
		return nil, fmt.Errorf("from address: %w", err)
	}
	if err := msg.AddToFormat(oneLine(e.ToName), e.To); err != nil {
		return nil, fmt.Errorf("recipient: %w", err)
	}
	// A line break in a header value would start a header of the caller's choosing.
	msg.Subject(oneLine(e.Subject))
	msg.SetMessageIDWithValue(e.ID + "@disputed")
	// RFC 3834: tells vacation responders and ticket systems not to answer.
	msg.SetGenHeader(mail.Header("Auto-Submitted"), "auto-generated")
	msg.SetDate()
	msg.SetBodyString(mail.TypeTextPlain, e.Text)
	return msg, nil
}

func validID(id string) bool {
	if id == "" || len(id) > 128 {
		return false
	}
	for _, r := range id {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', '0' <= r && r <= '9', r == '.', r == '_', r == '-':
		default:
			return false
		}
	}
	return !strings.HasPrefix(id, ".") && !strings.HasSuffix(id, ".") && !strings.Contains(id, "..")
}

// check reports a config that can never send.
func (s *SMTP) check() error {
	c := s.cfg
	switch {
	case c.Host == "":
		return errors.New("SMTP host not configured")
	case c.Port < 1 || c.Port > 65535:
		return fmt.Errorf("SMTP port %d out of range", c.Port)
	case c.From == "":
		return errors.New("SMTP from address not configured")
	}
	switch c.TLS {
	case TLSStartTLS, TLSOpportunistic, TLSNone, TLSImplicit:
	default:
		return fmt.Errorf("unknown SMTP TLS mode %s", quote(string(c.TLS)))
	}
	return nil
}

func (s *SMTP) tlsConfig() *tls.Config {
	return &tls.Config{ServerName: s.cfg.Host, RootCAs: s.rootCAs, MinVersion: tls.VersionTLS12}
}

func (s *SMTP) options(ctx context.Context, dial mail.DialContextFunc) []mail.Option {
	timeout := defaultTimeout
	if dl, ok := ctx.Deadline(); ok {
		// go-mail rejects a timeout that is not positive; AfterFunc ends an expired exchange.
		timeout = max(min(timeout, time.Until(dl)), time.Millisecond)
	}
	opts := []mail.Option{
		mail.WithPort(s.cfg.Port),
		mail.WithTimeout(timeout),
		mail.WithDialContextFunc(dial),
		mail.WithTLSConfig(s.tlsConfig()),
	}
	switch s.cfg.TLS {
	case TLSStartTLS:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSMandatory))
	case TLSOpportunistic:
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	case TLSNone:
		opts = append(opts, mail.WithTLSPolicy(mail.NoTLS))
	case TLSImplicit:
		// The dialler already speaks TLS. Opportunistic rather than mail.WithSSL: go-mail then
		// sees the TLS connection (no STARTTLS is offered on one) and counts it as encrypted,
		// which its AUTH discovery needs before it will use PLAIN or LOGIN.
		opts = append(opts, mail.WithTLSPolicy(mail.TLSOpportunistic))
	}
	if s.cfg.Username != "" {
		// Discovery picks the strongest mechanism the server offers, and PLAIN or LOGIN only
		// over TLS, so the password never crosses in clear text.
		opts = append(opts,
			mail.WithSMTPAuth(mail.SMTPAuthAutoDiscover),
			mail.WithUsername(s.cfg.Username),
			mail.WithPassword(s.cfg.Password))
	}
	return opts
}
