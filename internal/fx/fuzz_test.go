package fx

import (
	"errors"
	"math/big"
	"testing"
)

// FuzzParseRate checks that ParseRate never panics, fails only with one of its sentinels, and
// that whatever it accepts is exactly the decimal value of the input, within the bounds, more
// than zero, and survives String and a second parse unchanged.
func FuzzParseRate(f *testing.F) {
	for _, s := range []string{"1.0842", "0.92", "157", "007.50", "0.000023749866", "123456789012345",
		"1e5", "-1.5", "0", "0.0000000000001", ".5", "5.", "+1", " 1", "١٫٥", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := ParseRate(s)
		if err != nil {
			if !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrNotPositive) && !errors.Is(err, ErrPrecision) {
				t.Fatalf("ParseRate(%q): unexpected error %v", s, err)
			}
			if r != (Rate{}) {
				t.Fatalf("ParseRate(%q) = %v alongside error %v", s, r, err)
			}
			return
		}
		// Independent oracle: big.Rat reads far more, but on what ParseRate accepts it must agree.
		exact, ok := new(big.Rat).SetString(s)
		if !ok {
			t.Fatalf("ParseRate accepted %q, which big.Rat cannot read", s)
		}
		canonical := r.String()
		if got, _ := new(big.Rat).SetString(canonical); got == nil || got.Cmp(exact) != 0 {
			t.Fatalf("ParseRate(%q) = %s, another value", s, canonical)
		}
		if exact.Sign() <= 0 || r.coef == 0 || r.coef >= 1e15 || r.scale > MaxDecimals {
			t.Fatalf("ParseRate(%q) = %#v, out of bounds", s, r)
		}
		again, err := ParseRate(canonical)
		if err != nil || again != r || again.String() != canonical {
			t.Fatalf("ParseRate(%q) = %s, which parses back as %v, %v", s, canonical, again, err)
		}
	})
}
