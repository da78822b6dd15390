package money

import (
	"errors"
	"math/big"
	"strings"
	"testing"
)

// FuzzParseDecimal checks that ParseDecimal never panics, fails only with
// one of its sentinels, and that whatever it accepts is exactly the decimal
// value of the input and survives FormatDecimal and a second parse.
func FuzzParseDecimal(f *testing.F) {
	for _, seed := range [][2]string{
		{"12.95", "USD"}, {"-0.05", "usd"}, {"1000", "JPY"}, {"1.5", "JPY"},
		{"1.234", "KWD"}, {"1.2345", "CLF"}, {"12.950", "USD"}, {"007.50", "USD"},
		{"92233720368547758.07", "USD"}, {"-92233720368547758.08", "USD"},
		{"92233720368547758.08", "USD"}, {"1e3", "USD"}, {".5", "USD"},
		{"12.", "USD"}, {"+1", "USD"}, {"١٢", "USD"}, {"", ""}, {"1", "xau"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, s, currency string) {
		minor, err := ParseDecimal(s, currency)
		if err != nil {
			if !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrUnknownCurrency) &&
				!errors.Is(err, ErrTooManyDecimals) && !errors.Is(err, ErrOverflow) {
				t.Fatalf("ParseDecimal(%q, %q): unexpected error %v", s, currency, err)
			}
			if minor != 0 {
				t.Fatalf("ParseDecimal(%q, %q) = %d alongside error %v", s, currency, minor, err)
			}
			return
		}

		code, err := ParseCurrency(currency)
		if err != nil {
			t.Fatalf("ParseDecimal accepted currency %q that ParseCurrency rejects: %v", currency, err)
		}
		exp, _ := Exponent(code)

		// Independent oracle: big.Rat is far more lenient, but on anything
		// ParseDecimal accepts it must agree that s * 10^exp == minor.
		r, ok := new(big.Rat).SetString(s)
		if !ok {
			t.Fatalf("ParseDecimal accepted %q, which big.Rat cannot read", s)
		}
		scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(exp)), nil)
		r.Mul(r, new(big.Rat).SetInt(scale))
		if !r.IsInt() || r.Num().Cmp(big.NewInt(minor)) != 0 {
			t.Fatalf("ParseDecimal(%q, %q) = %d, but the exact value is %s", s, currency, minor, r.RatString())
		}

		formatted, err := FormatDecimal(minor, currency)
		if err != nil {
			t.Fatalf("FormatDecimal(%d, %q): %v", minor, currency, err)
		}
		if _, frac, _ := strings.Cut(formatted, "."); len(frac) != exp {
			t.Fatalf("FormatDecimal(%d, %q) = %q: want exactly %d fraction digits", minor, currency, formatted, exp)
		}
		again, err := ParseDecimal(formatted, currency)
		if err != nil || again != minor {
			t.Fatalf("round trip %q -> %d -> %q -> %d, %v", s, minor, formatted, again, err)
		}
		if refmt, _ := FormatDecimal(again, code); refmt != formatted {
			t.Fatalf("format is not canonical: %q then %q", formatted, refmt)
		}
	})
}
