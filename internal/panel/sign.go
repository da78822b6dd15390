package panel

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
)

// HeaderSignature carries the request's signature: "t=<unix seconds>,v1=<hex HMAC-SHA256>", the
// MAC taken with the panel's secret over "<t>.<body>". It is the scheme of the generic provider
// feed, so a panel implementer meets one scheme, not two. The timestamp inside the MAC lets the
// panel reject replays of an old request.
const HeaderSignature = "X-Disputed-Signature"

// DefaultTolerance is how far a signature's timestamp may be from the verifier's clock when
// Verify is given no tolerance.
const DefaultTolerance = 5 * time.Minute

// Errors from Verify.
var (
	ErrSignatureHeader   = errors.New("panel: malformed signature header")
	ErrSignatureExpired  = errors.New("panel: signature timestamp outside the tolerance")
	ErrSignatureMismatch = errors.New("panel: signature does not match")
)

// Sign returns the HeaderSignature value for body sent at t.
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(ts))
	m.Write([]byte{'.'})
	m.Write(body)
	return m.Sum(nil)
}

// Verify checks a HeaderSignature value against body: its timestamp must be within tolerance of
// now (DefaultTolerance when tolerance <= 0) and one of its v1 values must be the MAC of body. A
// signer rotating its secret may send a v1 for each secret; keys other than t and v1 are ignored
// so that a later scheme (v2) can be added alongside.
func Verify(secret, header string, body []byte, now time.Time, tolerance time.Duration) error {
	ts, sigs, err := parseSignature(header)
	if err != nil {
		return err
	}
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return ErrSignatureHeader
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return ErrSignatureExpired
	}
	// The MAC is over the timestamp as sent, not as reformatted, so that what was signed is
	// exactly what is checked.
	want := mac(secret, ts, body)
	ok := false
	for _, s := range sigs {
		got, err := hex.DecodeString(s)
		if err != nil {
			continue // a value we cannot read matches nothing; another one may
		}
		// No early exit: the time taken does not tell which value matched.
		if hmac.Equal(got, want) {
			ok = true
		}
	}
	if !ok {
		return ErrSignatureMismatch
	}
	return nil
}

// parseSignature splits "t=…,v1=…[,v1=…]" into the timestamp and the v1 values. The timestamp
// must appear once, as decimal digits.
func parseSignature(header string) (ts string, sigs []string, err error) {
	seenT := false
	for part := range strings.SplitSeq(header, ",") {
		k, v, found := strings.Cut(strings.TrimSpace(part), "=")
		if !found {
			return "", nil, ErrSignatureHeader
		}
		switch k {
		case "t":
			if seenT || !digits(v) {
				return "", nil, ErrSignatureHeader
			}
			ts, seenT = v, true
		case "v1":
			sigs = append(sigs, v)
		}
	}
	if !seenT || len(sigs) == 0 {
		return "", nil, ErrSignatureHeader
	}
	return ts, sigs, nil
}

// digits reports whether s is 1 to 18 ASCII digits: a unix time in seconds that fits an int64.
func digits(s string) bool {
	if s == "" || len(s) > 18 {
		return false
	}
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
