package panel

import (
	"time"

	"disputed/internal/hmacsig"
)

// HeaderSignature carries the request's signature: "t=<unix seconds>,v1=<hex HMAC-SHA256>", the
// MAC taken with the panel's secret over "<t>.<body>". It is the scheme of the generic provider
// feed, so a panel implementer meets one scheme, not two. The timestamp inside the MAC lets the
// panel reject replays of an old request.
const HeaderSignature = "X-Disputed-Signature"

// DefaultTolerance is how far a signature's timestamp may be from the verifier's clock when
// Verify is given no tolerance.
const DefaultTolerance = 5 * time.Minute

// Errors from Verify: a header that cannot be read, a signature that matches nothing, a timestamp
// too far from now.
var (
	ErrSignatureHeader   = hmacsig.ErrHeader
	ErrSignatureExpired  = hmacsig.ErrExpired
	ErrSignatureMismatch = hmacsig.ErrMismatch
)

// Sign returns the HeaderSignature value for body sent at t.
func Sign(secret string, t time.Time, body []byte) string { return hmacsig.Sign(secret, t, body) }

// Verify checks a HeaderSignature value against body: one of its v1 values must be the MAC of
// body under secret, and its timestamp within tolerance of now (DefaultTolerance when
// tolerance <= 0). A signer rotating its secret may send a v1 for each secret; keys other than t
// and v1 are ignored so that a later scheme (v2) can be added alongside.
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	return hmacsig.Verify(header, body, []string{secret}, now, tolerance)
}
