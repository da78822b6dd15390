package smtptest

import (
	"crypto/tls"
	"errors"
	"net/smtp"
	"net/textproto"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		raw           string
		subject, text string
	}{
		{
			name:    "quoted-printable with an encoded subject",
			raw:     "Subject: =?UTF-8?q?Caf=C3=A9?=\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nA long line that was=\r\n wrapped =E2=82=AC\r\nnext\r\n",
			subject: "Café",
			text:    "A long line that was wrapped €\nnext\n",
		},
		{
			name:    "base64",
			raw:     "Subject: Hi\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\nSGVs\r\nbG8K\r\n",
			subject: "Hi",
			text:    "Hello\n",
		},
		{
			name:    "no MIME headers",
			raw:     "Subject: Plain\r\n\r\nJust text\r\n",
			subject: "Plain",
			text:    "Just text\n",
		},
		{
			name: "multipart takes the text part",
			raw: "Subject: Alt\r\nContent-Type: multipart/alternative; boundary=b\r\n\r\n" +
				"--b\r\nContent-Type: text/html\r\n\r\n<p>html</p>\r\n" +
				"--b\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nplain =3D text\r\n" +
				"--b--\r\n",
			subject: "Alt",
			text:    "plain = text",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m, err := parse([]byte(tt.raw))
			if err != nil {
				t.Fatal(err)
			}
			if m.Subject != tt.subject || m.Text != tt.text {
				t.Errorf("parse = subject %q, text %q; want %q, %q", m.Subject, m.Text, tt.subject, tt.text)
			}
		})
	}
}

// dial connects a standard-library client, upgrading with STARTTLS and authenticating when
// asked, as a sender would.
func dial(t *testing.T, s *Server, startTLS, auth bool) *smtp.Client {
	t.Helper()
	c, err := smtp.Dial(s.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	if startTLS {
		if err := c.StartTLS(&tls.Config{ServerName: "127.0.0.1", RootCAs: s.RootCAs()}); err != nil {
			t.Fatalf("STARTTLS: %v", err)
		}
	}
	if auth {
		if err := c.Auth(smtp.PlainAuth("", s.Username, s.Password, "127.0.0.1")); err != nil {
			t.Fatalf("AUTH: %v", err)
		}
	}
	return c
}

func send(c *smtp.Client, to, body string) error {
	if err := c.Mail(From); err != nil {
		return err
	}
	if err := c.Rcpt(to); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write([]byte(body)); err != nil {
		return err
	}
	return w.Close()
}

func code(err error) int {
	var te *textproto.Error
	if errors.As(err, &te) {
		return te.Code
	}
	return 0
}

func TestServer(t *testing.T) {
	t.Parallel()
	s := Start(t, RequireAuth(), RejectRecipient("Eve@Example.com"), FailTransactions(1))

	if err := send(dial(t, s, true, false), "jane@example.com", "Subject: x\r\n\r\nx\r\n"); code(err) != 502 {
		t.Errorf("MAIL without AUTH: %v; want 502", err)
	}

	c := dial(t, s, true, true)
	if err := send(c, "jane@example.com", "Subject: x\r\n\r\nx\r\n"); code(err) != 451 {
		t.Errorf("first transaction: %v; want 451", err)
	}
	c.Reset()
	if err := send(c, "eve@example.com", "Subject: x\r\n\r\nx\r\n"); code(err) != 550 {
		t.Errorf("refused recipient: %v; want 550", err)
	}
	c.Reset()
	if err := send(c, "jane@example.com", "Subject: Hello\r\n\r\nHi Jane\r\n"); err != nil {
		t.Fatalf("send: %v", err)
	}

	msgs := s.WaitFor(t, 1, time.Second)
	if len(msgs) != 1 {
		t.Fatalf("got %d messages; want 1", len(msgs))
	}
	m := msgs[0]
	if m.From != From || len(m.To) != 1 || m.To[0] != "jane@example.com" || m.Subject != "Hello" ||
		m.Text != "Hi Jane\n" || !m.TLS || m.AuthUsername != s.Username {
		t.Errorf("message = %+v", m)
	}
}

func TestURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		opts             []Option
		scheme, rawQuery string
		user             bool
	}{
		{nil, "smtp", "from=" + From, true},
		{[]Option{ImplicitTLS()}, "smtps", "from=" + From, true},
		{[]Option{NoTLS()}, "smtp", "tls=none&from=" + From, false},
	}
	for _, tt := range tests {
		s := Start(t, tt.opts...)
		u, err := url.Parse(s.URL())
		if err != nil {
			t.Fatal(err)
		}
		pass, _ := u.User.Password()
		if u.Scheme != tt.scheme || u.Host != s.Addr() || u.RawQuery != tt.rawQuery ||
			(u.User != nil) != tt.user || (tt.user && (u.User.Username() != s.Username || pass != s.Password)) {
			t.Errorf("URL() = %q; want scheme %s, host %s, query %s, credentials %v", s.URL(), tt.scheme, s.Addr(), tt.rawQuery, tt.user)
		}
		if strings.Contains(s.URL(), "/p@ss") {
			t.Errorf("URL() = %q: password not percent-encoded", s.URL())
		}
	}
}
