package panel

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"disputed/internal/order"
	"disputed/internal/outbound"
)

// HeaderIdempotencyKey carries Request.Key: a panel that sees a key again must answer as it did
// the first time instead of acting twice (a retry after a timeout may reach a panel that did act).
const HeaderIdempotencyKey = "Idempotency-Key"

// timeoutError ends a call that reached the panel's timeout. It is a context.DeadlineExceeded,
// and says which timeout it was: a caller's shorter deadline ends the call with its own cause.
type timeoutError struct{ d time.Duration }

func (e timeoutError) Error() string      { return fmt.Sprintf("no answer within %v", e.d) }
func (timeoutError) Is(target error) bool { return target == context.DeadlineExceeded }
func (timeoutError) Timeout() bool        { return true }

// maxKey bounds the idempotency key; keys are ids, not documents.
const maxKey = 255

// httpPanel calls a panel's HTTP API.
type httpPanel struct {
	name    string
	base    string // the base URL without a trailing slash
	secret  string
	timeout time.Duration
	caps    []Capability
	client  *http.Client
	now     func() time.Time
}

// canonicalBase returns a validated base_url as the client will send it, without a trailing
// slash: its path written the one way the client keeps as is. A path typed with characters that
// need escaping (a space, say) would otherwise make the whole request path unescaped again by the
// client, and the %2F that keeps an external id in one segment would turn into a separator.
func canonicalBase(raw string) string {
	u, err := url.Parse(raw)
	if err != nil { // Validate refused it already; keep the text so the error names it
		return strings.TrimRight(raw, "/")
	}
	return u.Scheme + "://" + u.Host + strings.TrimRight(u.EscapedPath(), "/")
}

func newHTTP(c Config, client *http.Client, now func() time.Time) *httpPanel {
	p := &httpPanel{
		name:    c.Name,
		base:    canonicalBase(c.BaseURL),
		secret:  c.Secret,
		timeout: c.Timeout,
		caps:    slices.Clone(c.Capabilities),
		client:  client,
		now:     now,
	}
	if p.timeout == 0 {
		p.timeout = DefaultTimeout
	}
	if len(p.caps) == 0 {
		p.caps = []Capability{Toggle, Terminate}
	}
	return p
}

func (p *httpPanel) Name() string { return p.name }

func (p *httpPanel) Can(a order.LineAction) bool {
	switch a {
	case order.Suspend, order.Enable:
		return slices.Contains(p.caps, Toggle)
	case order.Terminate:
		return slices.Contains(p.caps, Terminate)
	}
	return false
}

// wireRequest is the JSON body of an action request.
type wireRequest struct {
	LineID     string           `json:"line_id"`
	ExternalID string           `json:"external_id"`
	OrderID    string           `json:"order_id"`
	DisputeID  string           `json:"dispute_id"`
	Action     order.LineAction `json:"action"`
}

// Do sends POST {base_url}/lines/{external_id}/{action} with the request as JSON, signed
// (HeaderSignature) and carrying the idempotency key (HeaderIdempotencyKey). It waits at most the
// panel's timeout (or ctx's deadline, if sooner). Any 2xx reply means the action was carried out.
// Redirects are not followed (they are answers).
func (p *httpPanel) Do(ctx context.Context, r Request) (Answer, error) {
	if err := p.check(r); err != nil {
		return Answer{}, err
	}
	body, err := json.Marshal(wireRequest{
		LineID: r.LineID, ExternalID: r.ExternalID, OrderID: r.OrderID, DisputeID: r.DisputeID, Action: r.Action,
	})
	if err != nil {
		return Answer{}, &Error{Panel: p.name, Permanent: true, Err: err}
	}
	var ans Answer
	err = p.post(ctx, "/lines/"+url.PathEscape(r.ExternalID)+"/"+string(r.Action), body, r.Key,
		func(resp *http.Response, path string) error {
			text := readBody(resp.Body)
			if resp.StatusCode >= 200 && resp.StatusCode < 300 {
				ans = Answer{Status: resp.StatusCode, Body: text}
				return nil
			}
			return &Error{Panel: p.name, Path: path, Status: resp.StatusCode, Body: text, Permanent: permanent(resp.StatusCode)}
		})
	return ans, err
}

// post sends body, signed and with the idempotency key, to {base_url}{path} and hands the reply to
// read, all within the panel's timeout. A failure to get a reply is an *Error.
func (p *httpPanel) post(ctx context.Context, path string, body []byte, key string, read func(resp *http.Response, path string) error) error {
	timeout := timeoutError{p.timeout}
	ctx, cancel := context.WithTimeoutCause(ctx, p.timeout, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.base+path, bytes.NewReader(body))
	if err != nil {
		return &Error{Panel: p.name, Permanent: true, Err: err}
	}
	path = req.URL.EscapedPath()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "disputed")
	req.Header.Set(HeaderIdempotencyKey, key)
	req.Header.Set(HeaderSignature, Sign(p.secret, p.now(), body))

	resp, err := p.client.Do(req)
	if err != nil {
		// *url.Error repeats the whole URL, which the *Error already names.
		if ue, ok := errors.AsType[*url.Error](err); ok {
			err = ue.Err
		}
		if context.Cause(ctx) == error(timeout) && !errors.Is(err, timeout) {
			// Some paths report the context's error rather than its cause.
			err = fmt.Errorf("%w: %w", timeout, err)
		}
		return &Error{
			Panel: p.name, Path: path, Err: err,
			// A refused private address stays refused until the configuration changes; every
			// other failure to get an answer (timeout, connection refused, reset) may pass.
			Permanent: errors.Is(err, outbound.ErrPrivateAddress),
		}
	}
	return read(resp, path)
}

// check refuses a request that cannot succeed however often it is sent.
func (p *httpPanel) check(r Request) error {
	bad := func(format string, args ...any) error {
		return &Error{Panel: p.name, Permanent: true, Err: fmt.Errorf("%w: "+format, append([]any{ErrBadRequest}, args...)...)}
	}
	switch r.Action {
	case order.Suspend, order.Enable, order.Terminate:
	default:
		return bad("unknown action %q", r.Action)
	}
	if !p.Can(r.Action) {
		return &Error{Panel: p.name, Permanent: true, Err: fmt.Errorf("%s: %w", r.Action, ErrNotCapable)}
	}
	return p.checkLine(r.ExternalID, r.Key)
}

// checkLine refuses a call about a line that cannot succeed however often it is sent.
func (p *httpPanel) checkLine(externalID, key string) error {
	bad := func(format string, args ...any) error {
		return &Error{Panel: p.name, Permanent: true, Err: fmt.Errorf("%w: "+format, append([]any{ErrBadRequest}, args...)...)}
	}
	switch externalID {
	case "":
		return bad("no external id")
	case ".", "..":
		// PathEscape leaves dots alone, and a server or proxy would resolve the segment away:
		// /lines/../suspend is not a request about a line.
		return bad("external id %q cannot be a path segment", externalID)
	}
	if key == "" || len(key) > maxKey || strings.ContainsFunc(key, func(c rune) bool { return c <= ' ' || c > '~' }) {
		return bad("the idempotency key must be 1 to %d printable ASCII characters", maxKey)
	}
	return nil
}

// readBody returns the start of a reply and closes it. A read error only shortens the text: the
// status has already said what happened.
func readBody(rc io.ReadCloser) string {
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, MaxBody+utf8.UTFMax))
	// Read a little further so that a short reply's connection can be reused; give up on a long one.
	_, _ = io.CopyN(io.Discard, rc, 16<<10)
	return clip(string(b), MaxBody)
}

// clip returns s as text any database keeps, valid UTF-8 without NUL characters (both replaced
// by U+FFFD; PostgreSQL refuses them), in at most n bytes, cut between runes.
func clip(s string, n int) string {
	s = strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", "\uFFFD"), "\uFFFD")
	if len(s) <= n {
		return s
	}
	// Back up to the start of the rune that crosses the limit.
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
