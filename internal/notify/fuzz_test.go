package notify

import (
	"errors"
	"strings"
	"testing"
)

// FuzzParseSMTPURL checks that ParseSMTPURL never panics, fails only with ErrSMTPURL and never
// repeats part of a URL that may hold a password, and that what it accepts is a usable config
// that String writes back as an equivalent URL.
func FuzzParseSMTPURL(f *testing.F) {
	for _, seed := range []string{
		"smtp://user:pass@mail.example.com:587",
		"smtps://user:pass@mail.example.com",
		"smtp://localhost:25?tls=none",
		"smtp://127.0.0.1:2525?tls=opportunistic&from=shop@example.com",
		"smtp://shop%40example.com:p%2Fa%3As%40s%25@[::1]:25?from=a@b.c",
		"smtp://user:12/secret@host",
		"smtp://user:12?secret@host",
		"smtp://host?tls=none&tls=none",
		"SMTPS://U:P@H:465/?tls=implicit",
		"smtp://h?from=a%40b.c%0D%0ABcc:x@y.z",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		c, err := ParseSMTPURL(raw)
		if err != nil {
			if !errors.Is(err, ErrSMTPURL) || c != (SMTPConfig{}) {
				t.Fatalf("ParseSMTPURL(%q) = %+v, %v; want zero config and ErrSMTPURL", raw, fields(c), err)
			}
			// With an '@' anything may be part of a password: nothing may be quoted back.
			if strings.Contains(raw, "@") && strings.ContainsAny(err.Error(), "\"'`") {
				t.Fatalf("ParseSMTPURL(%q): error %q quotes part of a URL that may hold a password", raw, err)
			}
			return
		}

		switch {
		case c.Host == "" || c.Port < 1 || c.Port > 65535:
			t.Fatalf("ParseSMTPURL(%q) accepted host %q port %d", raw, c.Host, c.Port)
		case !bareAddress(c.From):
			t.Fatalf("ParseSMTPURL(%q) accepted From %q", raw, c.From)
		case (c.Username == "") != (c.Password == ""):
			t.Fatalf("ParseSMTPURL(%q): username %q without password or the reverse", raw, c.Username)
		case c.TLS == TLSNone && c.Username != "":
			t.Fatalf("ParseSMTPURL(%q): credentials with tls=none", raw)
		case (c.TLS == TLSImplicit) != strings.HasPrefix(strings.ToLower(raw), "smtps:"):
			t.Fatalf("ParseSMTPURL(%q): TLS %q does not match the scheme", raw, c.TLS)
		}
		// String's URL must parse back to the same config, with "xxxxx" for the password:
		// that is also the proof that String does not show the password.
		again, err := ParseSMTPURL(c.String())
		want := c
		if want.Password != "" {
			want.Password = "xxxxx"
		}
		if err != nil || again != want {
			t.Fatalf("ParseSMTPURL(%q) = %s; String %q parses to %s, %v", raw, fields(c), c.String(), fields(again), err)
		}
	})
}
