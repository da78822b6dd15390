package panel

import (
	"crypto/hmac"
	"disputed/internal/hmacsig"
	"errors"
	"testing"
	"time"
)

// fuzzSecret and signedBody make the known vector that the seed corpus in
// testdata/fuzz/FuzzVerify uses.
const (
	fuzzSecret = "fuzz-secret-0123456789"
	signedBody = `{"line_id":"line_1","external_id":"vm-1","order_id":"ord_1","dispute_id":"dp_1","action":"suspend"}`
	signedSig  = "t=1772366400,v1=ea0e217986fa537615ae634734e318ff9991888addbc5707d220e750520acf0b"
)

func TestSignKnownVector(t *testing.T) {
	t.Parallel()
	if got := Sign(fuzzSecret, t0, []byte(signedBody)); got != signedSig {
		t.Errorf("Sign = %q, want %q", got, signedSig)
	}
}

func TestVerify(t *testing.T) {
	t.Parallel()
	body := []byte(signedBody)
	v1 := signedSig[len("t=1772366400,"):]
	other := Sign("another-secret-0123456789", t0, body)[len("t=1772366400,"):]
	tests := []struct {
		name      string
		secret    string
		header    string
		body      []byte
		now       time.Time
		tolerance time.Duration
		want      error
	}{
		{"valid", fuzzSecret, signedSig, body, t0, time.Minute, nil},
		{"default tolerance", fuzzSecret, signedSig, body, t0.Add(4 * time.Minute), 0, nil},
		{"at the tolerance", fuzzSecret, signedSig, body, t0.Add(time.Minute), time.Minute, nil},
		{"spaces", fuzzSecret, "t=1772366400, " + v1, body, t0, time.Minute, nil},
		{"v1 first", fuzzSecret, v1 + ",t=1772366400", body, t0, time.Minute, nil},
		{"upper-case hex", fuzzSecret, "t=1772366400,v1=EA0E217986FA537615AE634734E318FF9991888ADDBC5707D220E750520ACF0B", body, t0, time.Minute, nil},
		{"rotation: new first", fuzzSecret, "t=1772366400," + v1 + "," + other, body, t0, time.Minute, nil},
		{"rotation: new last", fuzzSecret, "t=1772366400," + other + "," + v1, body, t0, time.Minute, nil},
		{"unknown scheme ignored", fuzzSecret, signedSig + ",v2=whatever", body, t0, time.Minute, nil},
		{"unreadable v1 beside a good one", fuzzSecret, "t=1772366400,v1=zz," + v1, body, t0, time.Minute, nil},

		{"tampered body", fuzzSecret, signedSig, []byte(signedBody + " "), t0, time.Minute, ErrSignatureMismatch},
		{"empty body", fuzzSecret, signedSig, nil, t0, time.Minute, ErrSignatureMismatch},
		{"wrong secret", "wrong-secret-0123456789", signedSig, body, t0, time.Minute, ErrSignatureMismatch},
		{"only the old secret", fuzzSecret, "t=1772366400," + other, body, t0, time.Minute, ErrSignatureMismatch},
		{"tampered timestamp", fuzzSecret, "t=1772366401," + v1, body, t0, time.Minute, ErrSignatureMismatch},
		{"truncated signature", fuzzSecret, signedSig[:len(signedSig)-2], body, t0, time.Minute, ErrSignatureHeader},
		{"unreadable v1", fuzzSecret, "t=1772366400,v1=xyz", body, t0, time.Minute, ErrSignatureHeader},
		{"too old", fuzzSecret, signedSig, body, t0.Add(time.Minute + time.Second), time.Minute, ErrSignatureExpired},
		{"too new", fuzzSecret, signedSig, body, t0.Add(-time.Minute - time.Second), time.Minute, ErrSignatureExpired},
		{"default tolerance exceeded", fuzzSecret, signedSig, body, t0.Add(6 * time.Minute), 0, ErrSignatureExpired},

		{"empty", fuzzSecret, "", body, t0, time.Minute, ErrSignatureHeader},
		{"no timestamp", fuzzSecret, v1, body, t0, time.Minute, ErrSignatureHeader},
		{"no v1", fuzzSecret, "t=1772366400", body, t0, time.Minute, ErrSignatureHeader},
		{"two timestamps", fuzzSecret, "t=1772366400,t=1772366400," + v1, body, t0, time.Minute, ErrSignatureHeader},
		{"signed timestamp", fuzzSecret, "t=+1772366400," + v1, body, t0, time.Minute, ErrSignatureHeader},
		{"negative timestamp", fuzzSecret, "t=-1," + v1, body, t0, time.Minute, ErrSignatureHeader},
		{"empty timestamp", fuzzSecret, "t=," + v1, body, t0, time.Minute, ErrSignatureHeader},
		{"huge timestamp", fuzzSecret, "t=99999999999999999999," + v1, body, t0, time.Minute, ErrSignatureHeader},
		{"part without =", fuzzSecret, signedSig + ",v1", body, t0, time.Minute, ErrSignatureHeader},
		{"trailing comma", fuzzSecret, signedSig + ",", body, t0, time.Minute, ErrSignatureHeader},
		{"semicolons", fuzzSecret, "t=1772366400;" + v1, body, t0, time.Minute, ErrSignatureHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := Verify(tt.secret, tt.header, tt.body, tt.now, tt.tolerance)
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Errorf("Verify(%q) = %v, want %v", tt.header, err, tt.want)
			}
		})
	}
}

func TestSignVerifyRoundTrip(t *testing.T) {
	t.Parallel()
	for _, body := range []string{"", "{}", signedBody, "\x00\xff not JSON"} {
		for _, at := range []time.Time{t0, time.Unix(0, 0), t0.Add(123456789 * time.Millisecond)} {
			h := Sign("secret-0123456789", at, []byte(body))
			if err := Verify("secret-0123456789", h, []byte(body), at, time.Second); err != nil {
				t.Errorf("Verify(Sign(%q, %v)) = %v", body, at, err)
			}
		}
	}
}

// FuzzVerify feeds the header parser outside input. Whatever the header, Verify must not panic,
// and it may accept a header only when it carries the MAC of the body at an acceptable time.
func FuzzVerify(f *testing.F) {
	f.Fuzz(func(t *testing.T, header string, body []byte) {
		const tolerance = time.Minute
		err := Verify(fuzzSecret, header, body, t0, tolerance)
		if err == nil {
			h, perr := hmacsig.Parse(header)
			if perr != nil {
				t.Fatalf("Verify accepted %q, which does not parse: %v", header, perr)
			}
			if h.At.Sub(t0).Abs() > tolerance {
				t.Fatalf("Verify accepted timestamp %q", h.TS)
			}
			want := hmacsig.MAC(fuzzSecret, h.TS, body)
			found := false
			for _, sig := range h.Sigs {
				if hmac.Equal(sig, want) {
					found = true
				}
			}
			if !found {
				t.Fatalf("Verify accepted %q without the body's MAC", header)
			}
		} else if !errors.Is(err, ErrSignatureHeader) && !errors.Is(err, ErrSignatureMismatch) && !errors.Is(err, ErrSignatureExpired) {
			t.Fatalf("Verify(%q) = %v, not one of the documented errors", header, err)
		}

		// Whatever the body, its own signature verifies and a changed body's does not.
		h := Sign(fuzzSecret, t0, body)
		if err := Verify(fuzzSecret, h, body, t0, tolerance); err != nil {
			t.Fatalf("Verify(Sign(%q)) = %v", body, err)
		}
		if err := Verify(fuzzSecret, h, append(body[:len(body):len(body)], 'x'), t0, tolerance); !errors.Is(err, ErrSignatureMismatch) {
			t.Fatalf("a changed body verified: %v", err)
		}
	})
}
