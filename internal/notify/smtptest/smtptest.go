// Package smtptest runs a real SMTP server on 127.0.0.1 for tests, so that a sender is tested
// against the protocol and not against a mock of it: STARTTLS (or implicit TLS) with a
// throwaway certificate, AUTH PLAIN, and switches that refuse recipients or fail transactions.
// It is for tests only: it keeps every message in memory and trusts nobody's certificate but its
// own.
package smtptest

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"math/big"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// The fixed credentials every server accepts. The password has characters that a URL must
// percent-encode, so URL round trips are tested too.
const (
	username = "disputed-test"
	password = "s3cret/p@ss:w0rd%"
)

// From is the sender address URL puts in its from parameter.
const From = "shop@example.com"

// Message is one message the server accepted.
type Message struct {
	From string   // envelope sender
	To   []string // envelope recipients
	Data []byte   // the message as received, CRLF line endings

	Header  mail.Header // parsed from Data
	Subject string      // decoded (RFC 2047)
	Text    string      // the text/plain body, transfer encoding undone, lines ending "\n"

	TLS          bool   // whether the session was encrypted when the message arrived
	AuthUsername string // who authenticated, or "" when no one did
}

// Option changes how Start configures the server.
type Option func(*Server)

// RequireAuth makes the server refuse MAIL FROM before AUTH, as a submission server does.
func RequireAuth() Option { return func(s *Server) { s.requireAuth = true } }

// RejectRecipient makes the server refuse RCPT TO addr (compared case-insensitively) with
// 550 5.1.1, a permanent failure.
func RejectRecipient(addr string) Option {
	return func(s *Server) { s.reject = append(s.reject, strings.ToLower(addr)) }
}

// FailTransactions makes the server answer the next n MAIL FROM commands with 451 4.3.0, a
// temporary failure, and accept mail after that.
func FailTransactions(n int) Option { return func(s *Server) { s.failNext = n } }

// ImplicitTLS makes the server speak TLS from the first byte (SMTPS) instead of offering
// STARTTLS. URL then starts smtps://.
func ImplicitTLS() Option { return func(s *Server) { s.implicitTLS = true } }

// NoTLS makes the server offer neither TLS nor AUTH: a plain local relay. URL then carries
// tls=none and no credentials.
func NoTLS() Option { return func(s *Server) { s.noTLS = true } }

// Server is a running SMTP server. Its methods are safe for concurrent use.
type Server struct {
	// Username and Password are the fixed credentials AUTH PLAIN accepts.
	Username, Password string

	requireAuth, implicitTLS, noTLS bool
	reject                          []string
	addr                            string
	roots                           *x509.CertPool

	mu       sync.Mutex
	failNext int
	msgs     []Message
	arrived  chan struct{} // closed and replaced whenever a message arrives
	closed   bool          // set on cleanup: no more logging through t
}

// Start starts a server on 127.0.0.1 and a free port, stopped by t.Cleanup.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	s := &Server{Username: username, Password: password, arrived: make(chan struct{})}
	for _, o := range opts {
		o(s)
	}
	if s.noTLS && (s.implicitTLS || s.requireAuth) {
		t.Fatal("smtptest: NoTLS cannot be combined with ImplicitTLS or RequireAuth")
	}

	srv := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{srv: s, conn: c}, nil
	}))
	srv.Domain = "localhost"
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxMessageBytes = 1 << 20
	srv.MaxRecipients = 10
	srv.ErrorLog = logger{s, t}

	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("smtptest: listen: %v", err)
	}
	s.addr = tcp.Addr().String()
	// Cleanup waits for every connection to close, so no handler outlives the test.
	tracked := &trackingListener{Listener: tcp}
	var l net.Listener = tracked
	if !s.noTLS {
		cert, roots, err := certificate()
		if err != nil {
			tcp.Close()
			t.Fatalf("smtptest: certificate: %v", err)
		}
		s.roots = roots
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
		if s.implicitTLS {
			l = tls.NewListener(l, srv.TLSConfig)
		}
	}

	served := make(chan struct{})
	go func() {
		defer close(served)
		srv.Serve(l) // returns nil once Close is called
	}()
	t.Cleanup(func() {
		srv.Close()
		// Close closes only the listeners Serve has registered; if the goroutine has not
		// got that far, Serve would wait on Accept forever.
		tcp.Close()
		<-served
		done := make(chan struct{})
		go func() { tracked.conns.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Errorf("smtptest: connections still open 5s after close")
		}
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
	})
	return s
}

// Addr returns the server's host:port.
func (s *Server) Addr() string { return s.addr }

// URL returns an address for notify.ParseSMTPURL: credentials and From, and smtps:// for
// ImplicitTLS or tls=none for NoTLS.
func (s *Server) URL() string {
	u := url.URL{Scheme: "smtp", Host: s.addr, User: url.UserPassword(s.Username, s.Password),
		RawQuery: "from=" + From}
	switch {
	case s.implicitTLS:
		u.Scheme = "smtps"
	case s.noTLS:
		u.User = nil
		u.RawQuery = "tls=none&" + u.RawQuery
	}
	return u.String()
}

// RootCAs returns a pool holding the server's certificate, for the client's TLS config; nil
// with NoTLS.
func (s *Server) RootCAs() *x509.CertPool { return s.roots }

// FailNext makes the next n transactions fail with 451, as FailTransactions does at start.
func (s *Server) FailNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failNext = n
}

// Messages returns the messages accepted so far, oldest first.
func (s *Server) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.msgs)
}

// WaitFor waits until at least n messages have arrived and returns them all; after timeout it
// fails the test.
func (s *Server) WaitFor(t testing.TB, n int, timeout time.Duration) []Message {
	t.Helper()
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		msgs, arrived := slices.Clone(s.msgs), s.arrived
		s.mu.Unlock()
		if len(msgs) >= n {
			return msgs
		}
		select {
		case <-arrived:
		case <-deadline.C:
			t.Fatalf("smtptest: %d messages after %v; want %d", len(msgs), timeout, n)
			return nil
		}
	}
}

func (s *Server) add(m Message) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.msgs = append(s.msgs, m)
	close(s.arrived)
	s.arrived = make(chan struct{})
}

// takeFailure reports whether this transaction is one FailTransactions asked to fail.
func (s *Server) takeFailure() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failNext > 0 {
		s.failNext--
		return true
	}
	return false
}

// session is one client connection's state, from EHLO to QUIT (or to STARTTLS, which starts
// a new one).
type session struct {
	srv  *Server
	conn *smtp.Conn
	user string
	from string
	to   []string
}

func (ss *session) AuthMechanisms() []string {
	if ss.srv.noTLS {
		return nil
	}
	return []string{sasl.Plain}
}

func (ss *session) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain || ss.srv.noTLS {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(identity, user, pass string) error {
		if (identity != "" && identity != user) || user != ss.srv.Username || pass != ss.srv.Password {
			return smtp.ErrAuthFailed
		}
		ss.user = user
		return nil
	}), nil
}

func (ss *session) Mail(from string, _ *smtp.MailOptions) error {
	if ss.srv.requireAuth && ss.user == "" {
		return smtp.ErrAuthRequired
	}
	if ss.srv.takeFailure() {
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0},
			Message: "smtptest: temporary failure, try again later"}
	}
	ss.from = from
	return nil
}

func (ss *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if slices.Contains(ss.srv.reject, strings.ToLower(to)) {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
			Message: "smtptest: no such mailbox"}
	}
	ss.to = append(ss.to, to)
	return nil
}

func (ss *session) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := parse(data)
	if err != nil {
		// Refusing makes a malformed message fail the test that sent it.
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0},
			Message: "smtptest: cannot parse message: " + err.Error()}
	}
	m.From, m.To = ss.from, slices.Clone(ss.to)
	_, m.TLS = ss.conn.TLSConnectionState()
	m.AuthUsername = ss.user
	ss.srv.add(m)
	return nil
}

func (ss *session) Reset() { ss.from, ss.to = "", nil }

func (ss *session) Logout() error { return nil }

// parse reads the headers, subject and plain-text body of a raw message.
func parse(data []byte) (Message, error) {
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		return Message{}, err
	}
	subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
	if err != nil {
		return Message{}, fmt.Errorf("subject: %w", err)
	}
	text, err := plainText(msg.Header.Get, msg.Body)
	if err != nil {
		return Message{}, fmt.Errorf("body: %w", err)
	}
	return Message{
		Data:    data,
		Header:  msg.Header,
		Subject: subject,
		Text:    strings.ReplaceAll(text, "\r\n", "\n"),
	}, nil
}

// plainText returns the first text/plain part of an entity, searching multipart bodies.
func plainText(header func(string) string, body io.Reader) (string, error) {
	mediaType, params := "text/plain", map[string]string{}
	if ct := header("Content-Type"); ct != "" {
		var err error
		if mediaType, params, err = mime.ParseMediaType(ct); err != nil {
			return "", err
		}
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			// NextRawPart: NextPart would undo quoted-printable itself and hide that it did.
			p, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return "", nil
			}
			if err != nil {
				return "", err
			}
			text, err := plainText(p.Header.Get, p)
			if err != nil || text != "" {
				return text, err
			}
		}
	}
	if mediaType != "text/plain" {
		return "", nil
	}
	switch cte := strings.ToLower(header("Content-Transfer-Encoding")); cte {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		body = base64.NewDecoder(base64.StdEncoding, body)
	case "", "7bit", "8bit", "binary":
	default:
		return "", fmt.Errorf("unknown transfer encoding %q", cte)
	}
	b, err := io.ReadAll(body)
	return string(b), err
}

// certificate makes a self-signed certificate for 127.0.0.1, ::1 and localhost, valid for a
// day, and a pool that trusts it.
func certificate() (tls.Certificate, *x509.CertPool, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber:          serial,
		Subject:               pkix.Name{CommonName: "smtptest"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		BasicConstraintsValid: true,
		IsCA:                  true,
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	leaf, err := x509.ParseCertificate(der)
	if err != nil {
		return tls.Certificate{}, nil, err
	}
	roots := x509.NewCertPool()
	roots.AddCert(leaf)
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}, roots, nil
}

// trackingListener counts open connections so that cleanup can wait for them to close.
type trackingListener struct {
	net.Listener
	conns sync.WaitGroup
}

func (l *trackingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	l.conns.Add(1)
	return &trackedConn{Conn: c, done: l.conns.Done}, nil
}

type trackedConn struct {
	net.Conn
	once sync.Once
	done func()
}

func (c *trackedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.done)
	return err
}

// logger sends the server's error log to the test log until cleanup; t must not be used after
// the test ends.
type logger struct {
	s *Server
	t testing.TB
}

func (l logger) Printf(format string, v ...any) { l.log(fmt.Sprintf(format, v...)) }
func (l logger) Println(v ...any)               { l.log(fmt.Sprintln(v...)) }

func (l logger) log(msg string) {
	l.s.mu.Lock()
	defer l.s.mu.Unlock()
	if !l.s.closed {
		l.t.Logf("smtptest: %s", strings.TrimSpace(msg))
	}
}
