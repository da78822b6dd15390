package app_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"disputed/internal/actor"
	"disputed/internal/dispute"
	"disputed/internal/notify"
	"disputed/internal/notify/smtptest"
	"disputed/internal/testenv"
	"disputed/internal/webhook"
)

// announcedHooks is a webhook endpoint's receiver: it keeps each delivery's body and whether one
// of its signatures is the secret's (Standard Webhooks, computed here, not with the server's code).
type announcedHooks struct {
	*httptest.Server
	mu     sync.Mutex
	secret string
	got    []announcedHook
}

type announcedHook struct {
	body   []byte
	signed bool
}

func startAnnouncedHooks(t *testing.T) *announcedHooks {
	r := &announcedHooks{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		defer r.mu.Unlock()
		key, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(r.secret, "whsec_"))
		mac := hmac.New(sha256.New, key)
		mac.Write([]byte(req.Header.Get("webhook-id") + "." + req.Header.Get("webhook-timestamp") + "."))
		mac.Write(body)
		want := "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
		r.got = append(r.got, announcedHook{body: body, signed: strings.Contains(" "+req.Header.Get("webhook-signature")+" ", " "+want+" ")})
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *announcedHooks) deliveries() []announcedHook {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]announcedHook(nil), r.got...)
}

// TestSubmissionFailureIsAnnounced: evidence that failed to reach the provider is announced: the
// dispute.submission_failed event is delivered, signed, to the webhook endpoint, and the admins
// (not the agents) get an email naming the dispute, the provider, the cause, a link to the dispute
// and what to do. What the failure does to the dispute is TestSubmissionReachesTheProviderOrSaysSo.
// (Moved from cmd/disputed, where it ran on SQLite.)
func TestSubmissionFailureIsAnnounced(t *testing.T) {
	t.Parallel()
	mail := smtptest.Start(t)
	cfg, err := notify.ParseSMTPURL(mail.URL())
	if err != nil {
		t.Fatal(err)
	}
	e := testenv.New(t, "sqlite", testenv.Options{Mailer: notify.NewSMTP(cfg, mail.RootCAs()), PublicURL: "https://disputes.example"})
	e.StripeProvider("", "") // no API key: Stripe cannot be asked, the push fails for good
	e.User("boss@example.com", actor.Admin, "")
	e.User("helper@example.com", actor.Agent, "")
	hooks := startAnnouncedHooks(t)
	url := hooks.URL + "/hook"
	ep := testenv.Must(e.Webhooks.CreateEndpoint(e.Ctx, testenv.Admin, webhook.EndpointParams{URL: &url, Events: &[]string{"dispute.submission_failed"}}))(t)
	hooks.mu.Lock()
	hooks.secret = ep.Secret
	hooks.mu.Unlock()

	d := stripeDispute(e, "1")
	testenv.Must(update(e, d.ID, d.Revision, dispute.UpdateParams{Evidence: map[string]string{"uncategorized_text": "used for 30 days"}, Submit: true}))(t)
	e.RunJobs() // the failed push, then the webhook delivery and the email
	if sub := submissionOf(t, e.Reload(d)); sub.State != dispute.SubmissionFailed {
		t.Fatalf("after the failed push: %+v", sub)
	}
	delivered := false
	for _, g := range hooks.deliveries() {
		var body struct {
			Type string
			Data struct{ Object struct{ ID string } }
		}
		_ = json.Unmarshal(g.body, &body)
		if body.Type == "dispute.submission_failed" && body.Data.Object.ID == d.ID && g.signed {
			delivered = true
		}
	}
	if !delivered {
		t.Fatalf("dispute.submission_failed was not delivered: %d deliveries", len(hooks.deliveries()))
	}
	// The staff's messages: the customers of the sales are at other addresses.
	var msgs []smtptest.Message
	for _, m := range mail.Messages() {
		if len(m.To) > 0 && (m.To[0] == "boss@example.com" || m.To[0] == "helper@example.com") {
			msgs = append(msgs, m)
		}
	}
	if len(msgs) != 1 || len(msgs[0].To) != 1 || msgs[0].To[0] != "boss@example.com" {
		t.Fatalf("emails to staff: %+v", msgs)
	}
	for _, w := range []string{d.ID, "did not reach stripe", "API key", "https://disputes.example/disputes/" + d.ID, "Retry"} {
		if !strings.Contains(msgs[0].Subject+msgs[0].Text, w) {
			t.Errorf("the admins' email lacks %q:\n%s\n%s", w, msgs[0].Subject, msgs[0].Text)
		}
	}
}
