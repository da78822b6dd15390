package testenv

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"disputed/internal/access"
	"disputed/internal/actor"
	"disputed/internal/httpapi"
	"disputed/internal/store"
)

// AdminKey is the secret of the admin API key a served Env's client sends.
const AdminKey = "sk_test_admin_0123456789abcdef"

// Client calls a served Env's API over HTTP: the whole server (API and UI, the same assembly the
// process runs) on a random loopback port, on the Env's store and clock.
type Client struct {
	T testing.TB
	// URL is where the server listens, e.g. http://127.0.0.1:40123.
	URL string
	// Key is the API key sent as the bearer token; "" sends none.
	Key  string
	http *http.Client
	// applyInbox, when not nil, sees the provider events a webhook just stored applied before
	// Send returns, as the server's appliers do a moment later: a test reads their effects
	// straight after. Deferred returns a client without it.
	applyInbox func(answer []byte) error
}

// Serve runs the Env's server on a random loopback port until the test ends and returns a client
// with the admin key AdminKey.
func (e *Env) Serve() *Client {
	e.T.Helper()
	if err := e.Access.EnsureAdminKey(e.Ctx, AdminKey); err != nil {
		e.T.Fatalf("testenv: admin key: %v", err)
	}
	srv := httptest.NewServer(e.Server.Handler)
	e.Server.API.SetServerURL(srv.URL)
	e.T.Cleanup(srv.Close)
	c := NewClient(e.T, srv.URL, AdminKey)
	c.applyInbox = func([]byte) error {
		_, err := e.App.ApplyProviderEvents(e.Ctx)
		return err
	}
	return c
}

// AwaitingInbox returns a client of a server that runs its own appliers (a whole process) whose
// webhooks return once their events are applied or failed, read with the admin key adminKey.
func (c *Client) AwaitingInbox(adminKey string) *Client {
	d := *c
	admin := c.As(adminKey)
	d.applyInbox = func(answer []byte) error {
		var receipt struct{ Events []struct{ ID string } }
		if err := json.Unmarshal(answer, &receipt); err != nil {
			return nil // an adapter's own answer: nothing to wait for that the test can name
		}
		deadline := time.Now().Add(30 * time.Second)
		for _, ev := range receipt.Events {
			for {
				r, err := admin.Send(http.MethodGet, "/v1/provider_events/"+ev.ID, nil)
				if err != nil {
					return err
				}
				var stored struct{ State string }
				if err := json.Unmarshal(r.Raw, &stored); err != nil || r.Status != http.StatusOK {
					return fmt.Errorf("the stored event %s: %d %s", ev.ID, r.Status, r.Raw)
				}
				if stored.State != "pending" {
					break
				}
				if time.Now().After(deadline) {
					return fmt.Errorf("the event %s is still pending after 30 s", ev.ID)
				}
				time.Sleep(5 * time.Millisecond)
			}
		}
		return nil
	}
	return &d
}

// Deferred returns a client whose webhooks' events are left in the inbox for the appliers (the
// test's own ApplyInbox), to see them pending.
func (c *Client) Deferred() *Client {
	d := *c
	d.applyInbox = nil
	return &d
}

// NewClient returns a client of the server at url sending key. Its idle connections close when
// the test ends, before the server it was made after closes (cleanups run last first), so that
// the server's shutdown does not wait for them.
func NewClient(t testing.TB, url, key string) *Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = 64
	t.Cleanup(tr.CloseIdleConnections)
	return &Client{T: t, URL: url, Key: key, http: &http.Client{Transport: tr, Timeout: time.Minute}}
}

// HTTP is the client's HTTP client, for a request the client's methods do not make.
func (c *Client) HTTP() *http.Client { return c.http }

// EachServed runs fn as two parallel subtests, one on SQLite and one on PostgreSQL, each with a
// served Env and its client.
func EachServed(t *testing.T, fn func(t *testing.T, e *Env, c *Client)) {
	t.Helper()
	Each(t, func(t *testing.T, e *Env) { fn(t, e, e.Serve()) })
}

// As returns a client of the same server sending key instead.
func (c *Client) As(key string) *Client {
	d := *c
	d.Key = key
	return &d
}

// On returns the client reporting to t, for use inside a subtest.
func (c *Client) On(t testing.TB) *Client {
	d := *c
	d.T = t
	return &d
}

// NewKey creates an API key of the role given (bound to party for a buyer or a vendor) and
// returns its secret.
func (e *Env) NewKey(role actor.Role, party string) string {
	e.T.Helper()
	secret, _, err := e.Access.CreateAPIKey(e.Ctx, actor.System,
		access.APIKeyParams{Role: string(role), PartyID: party, Name: string(role) + " key"})
	if err != nil {
		e.T.Fatalf("testenv: create a %s key: %v", role, err)
	}
	return secret
}

// Response is an answer as the client received it.
type Response struct {
	Status int
	Header http.Header
	Raw    []byte
}

func (r Response) String() string { return string(r.Raw) }

// Do sends a request and returns the answer; body is JSON-encoded unless it is a string or
// []byte, and headers are name, value pairs set after the defaults (Content-Type, Authorization).
// A request that gets no answer ends the test.
func (c *Client) Do(method, path string, body any, headers ...string) Response {
	c.T.Helper()
	r, err := c.Send(method, path, body, headers...)
	if err != nil {
		c.T.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

// Send is Do that returns the failure instead of ending the test, for use in goroutines.
func (c *Client) Send(method, path string, body any, headers ...string) (Response, error) {
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			return Response{}, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, c.URL+path, rd)
	if err != nil {
		return Response{}, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.Key != "" {
		req.Header.Set("Authorization", "Bearer "+c.Key)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := c.http.Do(req)
	if err != nil {
		return Response{}, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return Response{}, err
	}
	if c.applyInbox != nil && method == http.MethodPost && res.StatusCode/100 == 2 && webhookPath.MatchString(path) {
		if err := c.applyInbox(raw); err != nil {
			return Response{}, fmt.Errorf("applying the events of %s: %w", path, err)
		}
	}
	return Response{Status: res.StatusCode, Header: res.Header, Raw: raw}, nil
}

// webhookPath is a provider's webhook route.
var webhookPath = regexp.MustCompile(`^/v1/providers/[^/]+/webhook$`)

// Get sends a GET.
func (c *Client) Get(path string) Response {
	c.T.Helper()
	return c.Do(http.MethodGet, path, nil)
}

// Post sends a POST of body (an empty object when nil).
func (c *Client) Post(path string, body any, headers ...string) Response {
	c.T.Helper()
	if body == nil {
		body = map[string]any{}
	}
	return c.Do(http.MethodPost, path, body, headers...)
}

// Decode reads r's body as a T, ending the test when it is not one.
func Decode[T any](t testing.TB, r Response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(r.Raw, &v); err != nil {
		t.Fatalf("answer %d is not a %T: %v: %s", r.Status, v, err, r.Raw)
	}
	return v
}

// Want ends the test unless r has the status given, and returns its body as a T.
func Want[T any](t testing.TB, r Response, status int) T {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Raw)
	}
	return Decode[T](t, r)
}

// WantStatus ends the test unless r has the status given.
func WantStatus(t testing.TB, r Response, status int) {
	t.Helper()
	if r.Status != status {
		t.Fatalf("status %d, want %d: %s", r.Status, status, r.Raw)
	}
}

// WantError ends the test unless r is an error of the status and code given, naming param when
// one is given, and returns the error.
func WantError(t testing.TB, r Response, status int, code string, param ...string) httpapi.ErrorDetail {
	t.Helper()
	e := Want[httpapi.ErrorBody](t, r, status).Error
	if e.Code != code {
		t.Fatalf("error code %q, want %q: %s", e.Code, code, r.Raw)
	}
	if len(param) > 0 && e.Param != param[0] {
		t.Fatalf("error names %q, want %q: %s", e.Param, param[0], r.Raw)
	}
	return e
}

// Password is the password of the users User creates.
const Password = "correct horse battery staple"

// User creates a web UI user of the role given (bound to party for a buyer or a vendor), with
// the password Password.
func (e *Env) User(email string, role actor.Role, party string) store.User {
	e.T.Helper()
	return Must(e.Access.CreateUser(e.Ctx, actor.System,
		access.UserParams{Email: email, Role: string(role), PartyID: party, Password: Password}))(e.T)
}

// WantErrorShape checks that r is an error as every route writes one: JSON, one top-level key
// "error" holding a type, a code and a message. It returns the error.
func WantErrorShape(t testing.TB, r Response) httpapi.ErrorDetail {
	t.Helper()
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("error Content-Type %q, want application/json: %s", ct, r.Raw)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(r.Raw, &top); err != nil || len(top) != 1 || top["error"] == nil {
		t.Errorf("error body is not {\"error\": {...}}: %s", r.Raw)
	}
	e := Decode[httpapi.ErrorBody](t, r).Error
	for f, v := range map[string]string{"type": e.Type, "code": e.Code, "message": e.Message} {
		if v == "" {
			t.Errorf("error.%s is missing: %s", f, r.Raw)
		}
	}
	return e
}
