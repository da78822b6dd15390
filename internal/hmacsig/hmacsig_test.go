package hmacsig

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var t0 = time.Unix(1_763_900_000, 0)

func TestSignAndVerify(t *testing.T) {
	t.Parallel()
	body := []byte(`{"id":"evt_1"}`)
	h := Sign("s3cret", t0, body)
	tests := []struct {
		name    string
		header  string
		body    []byte
		secrets []string
		now     time.Time
		want    error
	}{
		{"good", h, body, []string{"s3cret"}, t0, nil},
		{"rotated: the old secret still listed", h, body, []string{"new", "s3cret"}, t0, nil},
		{"several v1, one good", strings.Replace(h, "v1=", "v1="+strings.Repeat("ab", 32)+",v1=", 1), body, []string{"s3cret"}, t0, nil},
		{"a future scheme beside v1", h + ",v2=zz", body, []string{"s3cret"}, t0, nil},
		{"wrong secret", h, body, []string{"other"}, t0, ErrMismatch},
		{"tampered body", h, []byte(`{"id":"evt_2"}`), []string{"s3cret"}, t0, ErrMismatch},
		{"too old", h, body, []string{"s3cret"}, t0.Add(6 * time.Minute), ErrExpired},
		{"too far ahead", h, body, []string{"s3cret"}, t0.Add(-6 * time.Minute), ErrExpired},
		{"no secrets", h, body, nil, t0, ErrMismatch},
		{"no t", "v1=" + strings.Repeat("ab", 32), body, []string{"s3cret"}, t0, ErrHeader},
		{"two t", "t=1,t=2,v1=" + strings.Repeat("ab", 32), body, []string{"s3cret"}, t0, ErrHeader},
		{"t not digits", "t=-1,v1=" + strings.Repeat("ab", 32), body, []string{"s3cret"}, t0, ErrHeader},
		{"no usable v1", "t=1,v1=xyz", body, []string{"s3cret"}, t0, ErrHeader},
		{"not key=value", "garbage", body, []string{"s3cret"}, t0, ErrHeader},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := Verify(tt.header, tt.body, tt.secrets, tt.now, 5*time.Minute)
			if (tt.want == nil) != (err == nil) || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Fatalf("Verify = %v, want %v", err, tt.want)
			}
		})
	}
}

// FuzzParse: any header either parses into a usable Header or is refused as malformed; it
// never panics, and what parses keeps its timestamp as sent.
func FuzzParse(f *testing.F) {
	f.Add("t=1763900000,v1=" + strings.Repeat("ab", 32))
	f.Add("t=1,v1=00,v0=ff")
	f.Add(",,=")
	f.Fuzz(func(t *testing.T, header string) {
		h, err := Parse(header)
		if err != nil {
			if !errors.Is(err, ErrHeader) {
				t.Fatalf("error %v does not wrap ErrHeader", err)
			}
			return
		}
		if h.TS == "" || len(h.Sigs) == 0 || !strings.Contains(header, "t="+h.TS) {
			t.Fatalf("parsed %q into %+v", header, h)
		}
	})
}
