package notify

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
)

// TLSMode says how the connection to the SMTP server is encrypted.
type TLSMode string

// The TLS modes.
const (
	// TLSStartTLS upgrades the connection with STARTTLS and refuses to send if the server does
	// not offer it: without it the password and the customer's email would cross in clear text.
	TLSStartTLS TLSMode = "starttls"
	// TLSOpportunistic uses STARTTLS when the server offers it and sends in clear text when it
	// does not. An attacker on the path can strip the offer, so it suits only old relays.
	TLSOpportunistic TLSMode = "opportunistic"
	// TLSNone never encrypts: only for a trusted relay on the same host or network.
	TLSNone TLSMode = "none"
	// TLSImplicit speaks TLS from the first byte (SMTPS, RFC 8314), usually on port 465.
	TLSImplicit TLSMode = "implicit"
)

// SMTPConfig is where and as whom to send mail. Its String and LogValue leave the password out,
// so the config can be logged.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string // empty: no SMTP AUTH
	Password string
	TLS      TLSMode
	From     string // the envelope and header sender, a bare address
}

// ErrSMTPURL is wrapped by every error of ParseSMTPURL.
var ErrSMTPURL = errors.New("notify: invalid SMTP URL")

// Default ports: submission with STARTTLS (RFC 6409) and submissions with implicit TLS (RFC 8314).
const (
	defaultSubmissionPort  = 587
	defaultSubmissionsPort = 465
)

// ParseSMTPURL reads an SMTP server address of the form
//
//	smtp://user:pass@host:587              STARTTLS required (port 587 by default)
//	smtps://user:pass@host:465             TLS from the first byte (port 465 by default)
//	smtp://host:25?tls=opportunistic       STARTTLS when offered
//	smtp://127.0.0.1:25?tls=none           no TLS and no credentials: a trusted local relay
//	smtp://user:pass@host?from=shop@example.com
//
// User and password are percent-decoded. The From address is the from parameter, else the
// username when it is an email address, else disputed@host. Errors wrap ErrSMTPURL and never
// repeat the password.
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	// With an '@' in the URL there may be a password in it, and a password with an unencoded
	// '/', '?' or '#' ends up split into the host, port, path or query. No part of such a URL is
	// safe to repeat in an error, which is logged; without an '@' every part is.
	hasAt := strings.Contains(raw, "@")
	show := func(s string) string {
		if hasAt {
			return ""
		}
		return " " + quote(s)
	}
	bad := func(format string, args ...any) (SMTPConfig, error) {
		return SMTPConfig{}, fmt.Errorf("%w: "+format, append([]any{ErrSMTPURL}, args...)...)
	}

	u, err := url.Parse(raw)
	if err != nil {
		if hasAt {
			return bad("malformed; percent-encode any of / ? # @ : in the username and password")
		}
		// url.Error repeats the whole URL; its inner error says what is wrong.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return bad("%v", err)
	}

	var c SMTPConfig
	switch u.Scheme {
	case "smtp":
		c.TLS, c.Port = TLSStartTLS, defaultSubmissionPort
	case "smtps":
		c.TLS, c.Port = TLSImplicit, defaultSubmissionsPort
	case "":
		return bad("want smtp://host or smtps://host")
	default:
		return bad("scheme%s: want smtp or smtps", show(u.Scheme))
	}
	if u.Opaque != "" {
		return bad("want %s://host, with two slashes", u.Scheme)
	}
	if u.Path != "" && u.Path != "/" {
		return bad("unexpected path%s", show(u.Path))
	}
	if u.Fragment != "" || strings.HasSuffix(raw, "#") {
		return bad("unexpected fragment")
	}

	c.Host = u.Hostname()
	if c.Host == "" {
		return bad("host missing")
	}
	if !validHost(c.Host, u.Host) {
		return bad("invalid host%s", show(c.Host))
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return bad("port%s out of range 1-65535", show(p))
		}
		c.Port = n
	} else if strings.HasSuffix(u.Host, ":") {
		return bad("empty port")
	}

	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
		if c.Username == "" {
			return bad("password given without a username")
		}
		if c.Password == "" {
			return bad("username given without a password")
		}
	}

	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return bad("bad query string")
	}
	for k, vs := range q {
		if k != "tls" && k != "from" {
			return bad("unknown parameter%s; known: tls, from", show(k))
		}
		if len(vs) > 1 {
			return bad("parameter %s given %d times", k, len(vs))
		}
	}

	if q.Has("tls") {
		mode := TLSMode(q.Get("tls"))
		switch {
		case mode != TLSStartTLS && mode != TLSOpportunistic && mode != TLSNone && mode != TLSImplicit:
			return bad("tls%s: want starttls, opportunistic or none", show(string(mode)))
		case u.Scheme == "smtps" && mode != TLSImplicit:
			return bad("smtps:// is always implicit TLS; use smtp:// for tls=%s", mode)
		case u.Scheme == "smtp" && mode == TLSImplicit:
			return bad("use smtps:// for implicit TLS")
		}
		c.TLS = mode
	}
	if c.TLS == TLSNone && c.Username != "" {
		return bad("tls=none would send the password in clear text; remove the credentials or use STARTTLS")
	}

	switch {
	case q.Has("from"):
		from := q.Get("from")
		if !bareAddress(from) {
			return bad("from%s is not a bare email address such as shop@example.com", show(from))
		}
		c.From = from
	case bareAddress(c.Username):
		c.From = c.Username
	default:
		c.From = "disputed@" + c.Host
		if ip := net.ParseIP(c.Host); ip != nil {
			// An address literal (RFC 5321 section 4.1.3). An IPv6 literal needs an "IPv6:" tag
			// that net/mail cannot read, so for IPv6 the From must be given.
			c.From = "disputed@[" + c.Host + "]"
			if ip.To4() == nil {
				c.From = ""
			}
		}
		if !bareAddress(c.From) {
			return bad("cannot make a From address from the host; add ?from=")
		}
	}
	return c, nil
}

// validHost reports whether host, from authority, is an IP address (IPv6 in brackets) or a DNS
// name: letters, digits, '-' and '_' in dot-separated labels.
func validHost(host, authority string) bool {
	if ip := net.ParseIP(host); ip != nil {
		return ip.To4() != nil || strings.HasPrefix(authority, "[")
	}
	if len(host) > 253 {
		return false
	}
	for label := range strings.SplitSeq(strings.TrimSuffix(host, "."), ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for _, r := range label {
			if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == '-' || r == '_') {
				return false
			}
		}
	}
	return true
}

// bareAddress reports whether s is an email address alone, without a display name or angle
// brackets: the form an SMTP envelope needs.
func bareAddress(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Name == "" && a.Address == s
}

// String returns the config as a URL with the password replaced by "xxxxx".
func (c SMTPConfig) String() string {
	scheme := "smtp"
	if c.TLS == TLSImplicit {
		scheme = "smtps"
	}
	u := url.URL{Scheme: scheme, Host: net.JoinHostPort(c.Host, strconv.Itoa(c.Port))}
	if c.Username != "" {
		u.User = url.UserPassword(c.Username, "xxxxx")
	}
	q := url.Values{}
	if c.TLS == TLSOpportunistic || c.TLS == TLSNone {
		q.Set("tls", string(c.TLS))
	}
	if c.From != "" {
		q.Set("from", c.From)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// LogValue makes slog print String, not the fields.
func (c SMTPConfig) LogValue() slog.Value { return slog.StringValue(c.String()) }

// GoString keeps %#v from printing the password.
func (c SMTPConfig) GoString() string { return "notify.SMTPConfig(" + c.String() + ")" }
