package stripe

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/stripe/stripe-go/v85/webhook"

	"disputed/internal/provider"
)

// SignatureHeader is the header Stripe signs webhooks in: "t=<unix>,v1=<hex>[,v1=<hex>…]".
const SignatureHeader = "Stripe-Signature"

// Verify checks the Stripe-Signature header of a webhook against every configured secret.
//
// stripe-go's webhook.ValidatePayloadWithTolerance measures the age of a signature with
// time.Since and so cannot be given the clock of the caller; the header is therefore read
// here, the timestamp compared with now in both directions, and the signature itself computed
// by stripe-go's webhook.ComputeSignature and compared in constant time. The API version of
// the event is not looked at: events of every version are accepted.
//
// Errors wrap provider.ErrSignature.
func (s *Stripe) Verify(_ context.Context, header http.Header, body []byte, now time.Time) error {
	if len(s.secrets) == 0 {
		return fmt.Errorf("%w: no Stripe webhook secret is configured", provider.ErrSignature)
	}
	values := header.Values(SignatureHeader)
	switch len(values) {
	case 0:
		return fmt.Errorf("%w: no %s header", provider.ErrSignature, SignatureHeader)
	case 1:
	default:
		// Two headers could be read two ways; Stripe sends one.
		return fmt.Errorf("%w: %d %s headers", provider.ErrSignature, len(values), SignatureHeader)
	}
	signedAt, sigs, err := parseSignature(values[0])
	if err != nil {
		return fmt.Errorf("%w: %s: %w", provider.ErrSignature, SignatureHeader, err)
	}
	// The signature is checked before the time, so that only an authentic request can learn
	// that its clock is off: useful to whoever debugs it, useless to anyone else.
	if !s.signedByUs(signedAt, body, sigs) {
		return fmt.Errorf("%w: no v1 signature matches a configured secret", provider.ErrSignature)
	}
	if d := now.Sub(signedAt); d > Tolerance || d < -Tolerance {
		return fmt.Errorf("%w: signed at %s, more than %s from now (%s)", provider.ErrSignature,
			signedAt.UTC().Format(time.RFC3339), Tolerance, now.UTC().Format(time.RFC3339))
	}
	return nil
}

// signedByUs reports whether one of sigs is the signature of body at signedAt under one of the
// secrets. Every comparison is constant-time, so the time taken says nothing about how close a
// forged signature came.
func (s *Stripe) signedByUs(signedAt time.Time, body []byte, sigs [][]byte) bool {
	for _, secret := range s.secrets {
		want := webhook.ComputeSignature(signedAt, body, secret)
		for _, sig := range sigs {
			if hmac.Equal(want, sig) {
				return true
			}
		}
	}
	return false
}

// maxUnixDigits keeps the timestamp well inside int64 and time.Time.
const maxUnixDigits = 12

// parseSignature reads "t=<unix>,v1=<hex>,…". Elements other than t and v1 (v0, a future
// scheme) are skipped, as Stripe documents; a v1 value that is not 64 hex digits can never
// match and is skipped too, so that one odd element does not hide a good one. Exactly one t is
// required: with two, which one was signed would be a guess.
func parseSignature(h string) (time.Time, [][]byte, error) {
	var (
		ts    string
		haveT bool
		sigs  [][]byte
	)
	for elem := range strings.SplitSeq(h, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(elem), "=")
		if !ok {
			return time.Time{}, nil, errors.New("an element has no '='")
		}
		switch k {
		case "t":
			if haveT {
				return time.Time{}, nil, errors.New("more than one timestamp")
			}
			ts, haveT = v, true
		case "v1":
			sig, err := hex.DecodeString(v)
			if err != nil || len(sig) != sha256.Size {
				continue
			}
			sigs = append(sigs, sig)
		}
	}
	if !haveT {
		return time.Time{}, nil, errors.New("no timestamp (t=)")
	}
	if ts == "" || len(ts) > maxUnixDigits || strings.Trim(ts, "0123456789") != "" {
		return time.Time{}, nil, errors.New("the timestamp is not a Unix time in seconds")
	}
	if len(sigs) == 0 {
		return time.Time{}, nil, errors.New("no v1 signature")
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil { // unreachable after the checks above; kept so that a change there fails safe
		return time.Time{}, nil, errors.New("the timestamp is not a Unix time in seconds")
	}
	return time.Unix(n, 0), sigs, nil
}
