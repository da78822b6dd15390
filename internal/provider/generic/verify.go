package generic

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

	"disputed/internal/provider"
)

// SignatureHeader carries the feed's signature: "t=<unix>,v1=<hex>[,v1=<hex>…]", where each v1
// is the hex HMAC-SHA256, under one of the secrets, of "<t>.<body>".
const SignatureHeader = "X-Signature"

// maxUnixDigits keeps the timestamp well inside int64 and time.Time.
const maxUnixDigits = 12

// Sign returns the X-Signature value for body signed with secret at t. A feed sends one v1
// per secret it holds while a secret is being rotated; the receiver accepts any that matches.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac([]byte(secret), ts, body))
}

// mac is HMAC-SHA256 of "<t>.<body>", with t exactly as it appears in the header.
func mac(secret []byte, ts string, body []byte) []byte {
	h := hmac.New(sha256.New, secret)
	h.Write([]byte(ts))
	h.Write([]byte("."))
	h.Write(body)
	return h.Sum(nil)
}

// Verify checks the X-Signature header against every configured secret and the signing time
// against now, within Tolerance either way. Errors wrap provider.ErrSignature.
func (g *Generic) Verify(_ context.Context, header http.Header, body []byte, now time.Time) error {
	if len(g.secrets) == 0 {
		return fmt.Errorf("%w: no webhook secret is configured for this feed", provider.ErrSignature)
	}
	values := header.Values(SignatureHeader)
	switch len(values) {
	case 0:
		return fmt.Errorf("%w: no %s header", provider.ErrSignature, SignatureHeader)
	case 1:
	default:
		// Two headers could be read two ways.
		return fmt.Errorf("%w: %d %s headers", provider.ErrSignature, len(values), SignatureHeader)
	}
	ts, signedAt, sigs, err := parseSignature(values[0])
	if err != nil {
		return fmt.Errorf("%w: %s: %w", provider.ErrSignature, SignatureHeader, err)
	}
	// The signature is checked before the time, so that only an authentic sender learns that
	// its clock is off.
	if !g.signedByUs(ts, body, sigs) {
		return fmt.Errorf("%w: no v1 signature matches a configured secret", provider.ErrSignature)
	}
	if d := now.Sub(signedAt); d > Tolerance || d < -Tolerance {
		return fmt.Errorf("%w: signed at %s, more than %s from now (%s)", provider.ErrSignature,
			signedAt.UTC().Format(time.RFC3339), Tolerance, now.UTC().Format(time.RFC3339))
	}
	return nil
}

// signedByUs reports whether one of sigs is the MAC of the request under one of the secrets.
// hmac.Equal compares in constant time, so the time taken says nothing about how close a
// forged signature came.
func (g *Generic) signedByUs(ts string, body []byte, sigs [][]byte) bool {
	for _, secret := range g.secrets {
		want := mac(secret, ts, body)
		for _, sig := range sigs {
			if hmac.Equal(want, sig) {
				return true
			}
		}
	}
	return false
}

// parseSignature reads "t=<unix>,v1=<hex>,…" and returns t as sent (it is what was signed),
// the time it stands for, and the v1 signatures. Elements other than t and v1 are skipped, so
// that a sender can add a future scheme next to v1; a v1 that is not 64 hex digits can never
// match and is skipped too. Exactly one t is required: with two, which one was signed would be
// a guess.
func parseSignature(h string) (string, time.Time, [][]byte, error) {
	var (
		ts    string
		haveT bool
		sigs  [][]byte
	)
	for elem := range strings.SplitSeq(h, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(elem), "=")
		if !ok {
			return "", time.Time{}, nil, errors.New("an element has no '='")
		}
		switch k {
		case "t":
			if haveT {
				return "", time.Time{}, nil, errors.New("more than one timestamp")
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
		return "", time.Time{}, nil, errors.New("no timestamp (t=)")
	}
	if ts == "" || len(ts) > maxUnixDigits || strings.Trim(ts, "0123456789") != "" {
		return "", time.Time{}, nil, errors.New("the timestamp is not a Unix time in seconds")
	}
	if len(sigs) == 0 {
		return "", time.Time{}, nil, errors.New("no v1 signature")
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil { // unreachable after the checks above; kept so that a change there fails safe
		return "", time.Time{}, nil, errors.New("the timestamp is not a Unix time in seconds")
	}
	return ts, time.Unix(n, 0), sigs, nil
}
