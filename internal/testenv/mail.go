package testenv

import (
	"testing"

	"disputed/internal/notify"
	"disputed/internal/notify/smtptest"
)

// EachWithMail is Each with the customer emails sent through an SMTP server of each subtest's
// own (STARTTLS, and whatever opts ask for), so that what one store's app sent never reaches the
// other's messages.
func EachWithMail(t *testing.T, opts []smtptest.Option, fn func(t *testing.T, e *Env, mail *smtptest.Server)) {
	t.Helper()
	for _, kind := range Kinds {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			mail := smtptest.Start(t, opts...)
			cfg, err := notify.ParseSMTPURL(mail.URL())
			if err != nil {
				t.Fatalf("testenv: the SMTP server's URL: %v", err)
			}
			fn(t, New(t, kind, Options{Mailer: notify.NewSMTP(cfg, mail.RootCAs())}), mail)
		})
	}
}
