// Package hmacsig is the signature header "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">":
// the scheme Stripe signs its webhooks with, which this server also reads on its generic provider
// feed and uses to sign its own calls to panels. One parser, one comparison and one time rule
// serve all three.
package hmacsig

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Errors Verify returns, wrapped with the reason.
var (
	ErrHeader   = errors.New("malformed signature header")
	ErrMismatch = errors.New("no v1 signature matches")
	ErrExpired  = errors.New("signature timestamp outside the tolerance")
)

// maxUnixDigits keeps the timestamp well inside int64 and time.Time.
const maxUnixDigits = 12

// Header is a parsed signature header.
type Header struct {
	TS   string    // the timestamp as sent: it is what was signed
	At   time.Time // the time it stands for
	Sigs [][]byte  // the v1 signatures that can be SHA-256 MACs
}

// Parse reads "t=<unix>,v1=<hex>,…". Elements other than t and v1 are skipped, so that a
// sender can add a later scheme next to v1; a v1 that is not 64 hex digits can never match and is
// skipped too, so that one odd element does not hide a good one. Exactly one t is required: with
// two, which one was signed would be a guess.
func Parse(h string) (Header, error) {
	var (
		out   Header
		haveT bool
	)
	for elem := range strings.SplitSeq(h, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(elem), "=")
		if !ok {
			return Header{}, fmt.Errorf("%w: an element has no '='", ErrHeader)
		}
		switch k {
		case "t":
			if haveT {
				return Header{}, fmt.Errorf("%w: more than one timestamp", ErrHeader)
			}
			out.TS, haveT = v, true
		case "v1":
			if sig, err := hex.DecodeString(v); err == nil && len(sig) == sha256.Size {
				out.Sigs = append(out.Sigs, sig)
			}
		}
	}
	if !haveT {
		return Header{}, fmt.Errorf("%w: no timestamp (t=)", ErrHeader)
	}
	if out.TS == "" || len(out.TS) > maxUnixDigits || strings.Trim(out.TS, "0123456789") != "" {
		return Header{}, fmt.Errorf("%w: the timestamp is not a Unix time in seconds", ErrHeader)
	}
	if len(out.Sigs) == 0 {
		return Header{}, fmt.Errorf("%w: no v1 signature", ErrHeader)
	}
	n, err := strconv.ParseInt(out.TS, 10, 64)
	if err != nil {
		return Header{}, fmt.Errorf("%w: the timestamp is not a Unix time in seconds", ErrHeader)
	}
	out.At = time.Unix(n, 0)
	return out, nil
}

// MAC is the v1 signature of body at the timestamp ts under secret.
func MAC(secret, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// Sign returns the header value for body sent at t.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(MAC(secret, ts, body))
}

// Verify checks a header against body under any of the secrets (several while one is being
// rotated), then its time against now within tolerance either way.
func Verify(header string, body []byte, secrets []string, now time.Time, tolerance time.Duration) error {
	return VerifyWith(header, now, tolerance, func(h Header) [][]byte {
		want := make([][]byte, 0, len(secrets))
		for _, s := range secrets {
			want = append(want, MAC(s, h.TS, body))
		}
		return want
	})
}

// VerifyWith is Verify with the expected signatures computed by the caller (a provider's own
// library). The signature is checked before the time, so that only an authentic sender learns
// that its clock is off; every comparison runs in constant time and to the end, so the time
// taken tells nothing about how close a forgery came.
func VerifyWith(header string, now time.Time, tolerance time.Duration, expected func(Header) [][]byte) error {
	h, err := Parse(header)
	if err != nil {
		return err
	}
	ok := false
	for _, want := range expected(h) {
		for _, sig := range h.Sigs {
			if hmac.Equal(want, sig) {
				ok = true
			}
		}
	}
	if !ok {
		return ErrMismatch
	}
	if d := now.Sub(h.At); d > tolerance || d < -tolerance {
		return fmt.Errorf("%w: signed at %s, more than %s from now (%s)", ErrExpired,
			h.At.UTC().Format(time.RFC3339), tolerance, now.UTC().Format(time.RFC3339))
	}
	return nil
}
