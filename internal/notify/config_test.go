package notify

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

func TestParseSMTPURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw  string
		want SMTPConfig
	}{
		{"smtp://user:pass@mail.example.com:587",
			SMTPConfig{Host: "mail.example.com", Port: 587, Username: "user", Password: "pass", TLS: TLSStartTLS, From: "disputed@mail.example.com"}},
		{"smtp://user:pass@mail.example.com",
			SMTPConfig{Host: "mail.example.com", Port: 587, Username: "user", Password: "pass", TLS: TLSStartTLS, From: "disputed@mail.example.com"}},
		{"smtps://user:pass@mail.example.com",
			SMTPConfig{Host: "mail.example.com", Port: 465, Username: "user", Password: "pass", TLS: TLSImplicit, From: "disputed@mail.example.com"}},
		{"smtps://user:pass@mail.example.com:2465?tls=implicit",
			SMTPConfig{Host: "mail.example.com", Port: 2465, Username: "user", Password: "pass", TLS: TLSImplicit, From: "disputed@mail.example.com"}},
		{"SMTP://user:pass@Mail.Example.com:25/",
			SMTPConfig{Host: "Mail.Example.com", Port: 25, Username: "user", Password: "pass", TLS: TLSStartTLS, From: "disputed@Mail.Example.com"}},
		{"smtp://user:pass@mail.example.com?tls=starttls",
			SMTPConfig{Host: "mail.example.com", Port: 587, Username: "user", Password: "pass", TLS: TLSStartTLS, From: "disputed@mail.example.com"}},
		{"smtp://user:pass@mail.example.com:25?tls=opportunistic",
			SMTPConfig{Host: "mail.example.com", Port: 25, Username: "user", Password: "pass", TLS: TLSOpportunistic, From: "disputed@mail.example.com"}},
		{"smtp://localhost:25?tls=none",
			SMTPConfig{Host: "localhost", Port: 25, TLS: TLSNone, From: "disputed@localhost"}},
		{"smtp://127.0.0.1:25?tls=none",
			SMTPConfig{Host: "127.0.0.1", Port: 25, TLS: TLSNone, From: "disputed@[127.0.0.1]"}},
		{"smtp://[::1]:25?tls=none&from=relay@example.com",
			SMTPConfig{Host: "::1", Port: 25, TLS: TLSNone, From: "relay@example.com"}},
		// Percent-decoding, and an email address as the username (an unencoded '@' too: the
		// last one ends the user info).
		{"smtp://shop%40example.com:p%2Fa%3As%40s%25@mail.example.com",
			SMTPConfig{Host: "mail.example.com", Port: 587, Username: "shop@example.com", Password: "p/a:s@s%", TLS: TLSStartTLS, From: "shop@example.com"}},
		{"smtp://shop@example.com:secret@mail.example.com",
			SMTPConfig{Host: "mail.example.com", Port: 587, Username: "shop@example.com", Password: "secret", TLS: TLSStartTLS, From: "shop@example.com"}},
		{"smtp://apikey:SG.x@smtp.sendgrid.net?from=disputes@shop.example",
			SMTPConfig{Host: "smtp.sendgrid.net", Port: 587, Username: "apikey", Password: "SG.x", TLS: TLSStartTLS, From: "disputes@shop.example"}},
		{"smtp://shop%40example.com:x@mail.example.com?from=other%40example.com",
			SMTPConfig{Host: "mail.example.com", Port: 587, Username: "shop@example.com", Password: "x", TLS: TLSStartTLS, From: "other@example.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			t.Parallel()
			got, err := ParseSMTPURL(tt.raw)
			if err != nil || got != tt.want {
				t.Errorf("ParseSMTPURL(%q) =\n%#v, %v; want\n%#v", tt.raw, fields(got), err, fields(tt.want))
			}
			// What String prints parses back to the same config, password aside.
			again, err := ParseSMTPURL(got.String())
			want := got
			if want.Password != "" {
				want.Password = "xxxxx"
			}
			if err != nil || again != want {
				t.Errorf("ParseSMTPURL(%q) = %#v, %v; want it to round-trip", got.String(), fields(again), err)
			}
		})
	}
}

// fields shows every field, password included: test output only.
func fields(c SMTPConfig) string {
	type plain SMTPConfig
	return fmt.Sprintf("%+v", plain(c))
}

func TestParseSMTPURLErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		raw  string
		want string // part of the message
	}{
		{"", "want smtp://host"},
		{"mail.example.com:587", "scheme"},
		{"http://mail.example.com", `scheme "http"`},
		{"smtp:mail.example.com", "two slashes"},
		{"smtp://", "host missing"},
		{"smtp://:587", "host missing"},
		{"smtp://mail.example.com:0", `port "0" out of range`},
		{"smtp://mail.example.com:65536", "out of range"},
		{"smtp://mail.example.com:", "empty port"},
		{"smtp://mail.example.com:smtp", "invalid port"},
		{"smtp://mail.example.com/relay", `unexpected path "/relay"`},
		{"smtp://mail.example.com#x", "fragment"},
		{"smtp://mail.example.com?tsl=none", `unknown parameter "tsl"`},
		{"smtp://mail.example.com?tls=none&tls=starttls", "given 2 times"},
		{"smtp://mail.example.com?tls=ssl", `tls "ssl"`},
		{"smtp://mail.example.com?tls=", `tls ""`},
		{"smtp://mail.example.com?tls=implicit", "use smtps://"},
		{"smtps://mail.example.com?tls=starttls", "always implicit TLS"},
		{"smtps://mail.example.com?tls=none", "always implicit TLS"},
		{"smtp://mail.example.com?from=", "not a bare email address"},
		{"smtp://mail.example.com?from=Shop+%3Cshop%40example.com%3E", "not a bare email address"},
		{"smtp://mail.example.com?from=shop", "not a bare email address"},
		{"smtp://mail.example.com?from=a%40b.c%0D%0ABcc:x%40y.z", "not a bare email address"},
		{"smtp://[::1]:25?tls=none", "add ?from="},
		{"smtp://user@mail.example.com", "without a password"},
		{"smtp://:secret@mail.example.com", "without a username"},
		{"smtp://user:hunter2@localhost:25?tls=none", "clear text"},
		{"smtp://mail.example.com%zz", "escape"},
		{"smtp://::1?from=a%40b.c", "invalid host"},
		{"smtp://mail_-.example.com", "invalid host"},
		{"smtp://-mail.example.com", "invalid host"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			t.Parallel()
			got, err := ParseSMTPURL(tt.raw)
			if !errors.Is(err, ErrSMTPURL) || got != (SMTPConfig{}) {
				t.Fatalf("ParseSMTPURL(%q) = %+v, %v; want zero config and ErrSMTPURL", tt.raw, fields(got), err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseSMTPURL(%q) error %q does not mention %q", tt.raw, err, tt.want)
			}
			if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "secret") {
				t.Errorf("ParseSMTPURL(%q) error %q repeats the password", tt.raw, err)
			}
		})
	}
}

// TestParseSMTPURLSecrets checks that a password is not repeated in an error even when a
// character that should have been percent-encoded splits it across the URL.
func TestParseSMTPURLSecrets(t *testing.T) {
	t.Parallel()
	for _, raw := range []string{
		"smtp://user:hunter2/x@mail.example.com",
		"smtp://user:12/hunter2@mail.example.com",
		"smtp://user:12?hunter2@mail.example.com",
		"smtp://user:12?hunter2=1@mail.example.com",
		"smtp://user:12#hunter2@mail.example.com",
		"smtp://user:hunter2%@mail.example.com",
		"smtp://user:hunter2@mail.example.com:99999",
		"smtp://user:hunter2@mail.example.com/path",
		"smtp://user:hunter2@mail example.com",
		"ftp://user:hunter2@mail.example.com",
		"smtp://a@b:12/hunter2@mail.example.com",
	} {
		_, err := ParseSMTPURL(raw)
		if err == nil {
			t.Errorf("ParseSMTPURL(%q) succeeded; want an error", raw)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") || strings.Contains(err.Error(), "12") {
			t.Errorf("ParseSMTPURL(%q) error %q repeats part of the password", raw, err)
		}
	}
}

func TestSMTPConfigRedacts(t *testing.T) {
	t.Parallel()
	c := SMTPConfig{Host: "mail.example.com", Port: 587, Username: "user", Password: "hunter2", TLS: TLSStartTLS, From: "a@b.c"}
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("config", "smtp", c)
	for _, s := range []string{c.String(), fmt.Sprint(c), fmt.Sprintf("%+v", c), fmt.Sprintf("%#v", c), logged.String()} {
		if strings.Contains(s, "hunter2") || !strings.Contains(s, "mail.example.com") {
			t.Errorf("%q: want the host and not the password", s)
		}
	}
}
