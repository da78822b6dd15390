package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"disputed/internal/fault"
	"disputed/internal/outbound"
)

// UserAgent identifies our deliveries in a receiver's logs and firewall rules.
const UserAgent = "disputed-webhooks"

const (
	// MaxResponse bounds the excerpt of a receiver's answer kept in an Attempt: enough for an
	// error message, small enough to keep every attempt of every delivery.
	MaxResponse = 1 << 10
	// drainLimit is how much more of an answer is read (and dropped) so that the connection can
	// be reused; a longer answer costs a new connection next time rather than our time now.
	drainLimit = 32 << 10
	// defaultTimeout applies when the caller's context has no deadline, so that a receiver that
	// accepts the connection and never answers cannot hold a worker for ever.
	defaultTimeout = 30 * time.Second
)

// Attempt is the outcome of one delivery attempt, as shown to the endpoint's owner.
type Attempt struct {
	Status   int           // the HTTP status answered; 0 when there was no answer
	Latency  time.Duration // from sending the request to the answer (or to the failure)
	Response string        // the start of the answer's body: at most MaxResponse bytes, valid UTF-8, no NUL
	Err      string        // why the attempt failed, for people; "" when it succeeded
	At       time.Time     // when the attempt was made: the signed timestamp
}

// permanentError marks a failure that a retry cannot fix.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// statusError is an answer other than 2xx.
type statusError struct{ status int }

func (e *statusError) Error() string {
	return fmt.Sprintf("the receiver answered %d %s", e.status, http.StatusText(e.status))
}

// Permanent reports whether err, from Deliver, is one that retrying cannot help: the URL is
// invalid, its host resolves to a private address the outbound client refuses, or the receiver
// answered 410 Gone. Timeouts, refused connections and other answers are worth retrying.
func Permanent(err error) bool {
	var p *permanentError
	return errors.As(err, &p) || errors.Is(err, outbound.ErrPrivateAddress)
}

// Deliver makes one attempt of a delivery: it POSTs body (a JSON event) to endpointURL through
// client, with the headers of Sign(msgID, now, body, secrets...), and reads the start of the
// answer. A 2xx answer is success. Otherwise the Attempt is filled in as far as the attempt got
// and the error says why; see Permanent.
//
// client is the outbound client (outbound.NewClient), which refuses private addresses and does
// not follow redirects: a 3xx is a failed attempt, not a reason to send the signed event to an
// address nobody configured. ctx bounds the whole attempt, reading the answer included; without
// a deadline, 30 seconds apply. now is the time of the attempt, from the caller's clock; Latency
// is measured on the monotonic clock.
func Deliver(ctx context.Context, client *http.Client, endpointURL, msgID string, body []byte, now time.Time, secrets ...string) (Attempt, error) {
	a := Attempt{At: now}
	fail := func(err error) (Attempt, error) {
		a.Err = describe(err, a.Latency)
		return a, err
	}

	// The URL was checked when the endpoint was saved, but the rules may have changed since,
	// and a URL that fails them will fail on every retry too.
	if err := ValidateURL(endpointURL); err != nil {
		return fail(&permanentError{fmt.Errorf("webhook: %w", err)})
	}
	h, err := Sign(msgID, now, body, secrets...)
	if err != nil {
		return fail(err)
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultTimeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpointURL, bytes.NewReader(body))
	if err != nil {
		return fail(&permanentError{fmt.Errorf("webhook: %w", err)})
	}
	req.Header = h
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", UserAgent)

	start := time.Now()
	resp, err := client.Do(req)
	a.Latency = time.Since(start)
	if err != nil {
		// A refused private address stays an outbound.RefusedError inside err, which Permanent
		// finds; everything else (DNS, connection refused, TLS, timeout) may heal by itself.
		return fail(fmt.Errorf("webhook: deliver %s: %w", msgID, err))
	}
	defer resp.Body.Close()
	a.Status = resp.StatusCode
	a.Response = excerpt(resp.Body)
	// Errors here only cost the connection's reuse.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, drainLimit))

	switch {
	case resp.StatusCode >= 200 && resp.StatusCode <= 299:
		return a, nil
	case resp.StatusCode == http.StatusGone:
		// The receiver says the endpoint is gone for good; retrying would only annoy it.
		return fail(&permanentError{fmt.Errorf("webhook: deliver %s: %w", msgID, &statusError{resp.StatusCode})})
	default:
		return fail(fmt.Errorf("webhook: deliver %s: %w", msgID, &statusError{resp.StatusCode}))
	}
}

// describe says in a few words why an attempt failed, for the attempt's owner: without the
// URL and the message id they already see, and with a timeout named as one.
func describe(err error, latency time.Duration) string {
	var (
		refused *outbound.RefusedError
		fe      *statusError
		invalid *fault.Error
		ne      net.Error
		ue      *url.Error
	)
	switch {
	case errors.As(err, &refused):
		return refused.Error()
	case errors.As(err, &fe):
		return fe.Error()
	case errors.As(err, &invalid):
		return invalid.Message
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		return fmt.Sprintf("timeout: no answer within %s", latency.Round(time.Millisecond))
	case errors.Is(err, context.Canceled):
		return "canceled before the receiver answered"
	case errors.As(err, &ue):
		return ue.Err.Error()
	}
	return strings.TrimPrefix(err.Error(), "webhook: ")
}

// excerpt reads the start of an answer and returns it as at most MaxResponse bytes of valid
// UTF-8. A read error (the deadline passing mid-body) keeps what was read.
func excerpt(r io.Reader) string {
	// UTFMax-1 bytes more than kept, so that a character starting within the limit is read whole
	// and not mistaken for an invalid one.
	b, _ := io.ReadAll(io.LimitReader(r, MaxResponse+utf8.UTFMax-1))
	return clean(b, MaxResponse)
}

// clean returns b as valid UTF-8 of at most limit bytes, cut at a character boundary. Invalid
// bytes and NUL become U+FFFD: the excerpt is stored as text (PostgreSQL refuses NUL in text) and
// shown in JSON and HTML.
func clean(b []byte, limit int) string {
	var sb strings.Builder
	sb.Grow(min(len(b), limit))
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		piece := b[:size]
		if r == utf8.RuneError && size == 1 || r == 0 {
			piece = []byte(string(utf8.RuneError))
		}
		if sb.Len()+len(piece) > limit {
			break
		}
		sb.Write(piece)
		b = b[size:]
	}
	return sb.String()
}
