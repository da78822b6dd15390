package fx

import (
	"errors"
	"math"
	"math/big"
	"testing"

	"pgregory.net/rapid"

	"disputed/internal/money"
)

func rate(t testing.TB, s string) Rate {
	t.Helper()
	r, err := ParseRate(s)
	if err != nil {
		t.Fatalf("ParseRate(%q): %v", s, err)
	}
	return r
}

func TestConvert(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		amount   int64
		from, to string
		rate     string
		want     int64
	}{
		{"dollars to euros", 1000, "USD", "EUR", "0.92", 920},
		{"euros to dollars", 1999, "EUR", "USD", "1.0842", 2167}, // 2167.3158
		{"yen (no minor unit) to cents", 100, "JPY", "USD", "0.0067", 67},
		{"cents to yen", 2400, "USD", "JPY", "157.23", 3774}, // 3773.52
		{"cents to fils (three digits)", 100, "USD", "KWD", "0.307", 307},
		{"fils to yen", 1234, "KWD", "JPY", "511.2", 631}, // 630.8208
		{"lower case codes", 100, "usd", "eur", "0.92", 92},
		{"half to even, down", 5, "USD", "EUR", "0.5", 2}, // 2.5
		{"half to even, up", 7, "USD", "EUR", "0.5", 4},   // 3.5
		{"negative half to even", -5, "USD", "EUR", "0.5", -2},
		{"negative rounds away past half", -7, "USD", "EUR", "0.51", -4}, // -3.57
		{"zero", 0, "USD", "EUR", "0.92", 0},
		{"a tiny rate", 100000000, "IRR", "USD", "0.000023749866", 2375}, // 2374.9866
	} {
		got, err := Convert(tc.amount, tc.from, tc.to, rate(t, tc.rate))
		if err != nil || got != tc.want {
			t.Errorf("%s: Convert(%d %s→%s at %s) = %d, %v; want %d", tc.name, tc.amount, tc.from, tc.to, tc.rate, got, err, tc.want)
		}
	}
}

func TestConvertInverse(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name     string
		amount   int64
		from, to string
		rate     string // units of from for one of to
		want     int64
	}{
		{"euros with a dollar-to-euro rate", 920, "EUR", "USD", "0.92", 1000},
		// 1/1.0842 rounded to any number of digits would drift; the exact division gives 92.23390518
		{"dollars with a euro-to-dollar rate", 10000, "USD", "EUR", "1.0842", 9223},
		{"yen with a dollar-to-yen rate", 10000, "JPY", "USD", "157.23", 6360}, // 63.6010
		{"cents with a fils-to-cents rate", 307, "KWD", "USD", "0.307", 100},
		{"half to even", 25, "USD", "EUR", "10", 2}, // 2.5
		{"half to even, odd", 35, "USD", "EUR", "10", 4},
	} {
		got, err := ConvertInverse(tc.amount, tc.from, tc.to, rate(t, tc.rate))
		if err != nil || got != tc.want {
			t.Errorf("%s: ConvertInverse(%d %s→%s at 1/%s) = %d, %v; want %d", tc.name, tc.amount, tc.from, tc.to, tc.rate, got, err, tc.want)
		}
	}
}

func TestConvertRefuses(t *testing.T) {
	t.Parallel()
	big := rate(t, "1000")
	for _, tc := range []struct {
		name string
		do   func() (int64, error)
		want error
	}{
		{"out of range", func() (int64, error) { return Convert(math.MaxInt64/10, "USD", "EUR", big) }, ErrOverflow},
		{"out of range below", func() (int64, error) { return Convert(math.MinInt64, "USD", "EUR", big) }, ErrOverflow},
		{"exponents push it out of range", func() (int64, error) { return Convert(math.MaxInt64, "JPY", "KWD", rate(t, "1")) }, ErrOverflow},
		{"inverse out of range", func() (int64, error) { return ConvertInverse(math.MaxInt64, "USD", "EUR", rate(t, "0.5")) }, ErrOverflow},
		{"unknown from", func() (int64, error) { return Convert(1, "XXY", "EUR", big) }, money.ErrUnknownCurrency},
		{"unknown to", func() (int64, error) { return ConvertInverse(1, "USD", "", big) }, money.ErrUnknownCurrency},
		{"the zero Rate", func() (int64, error) { return ConvertInverse(1, "USD", "EUR", Rate{}) }, ErrNotPositive},
	} {
		got, err := tc.do()
		if !errors.Is(err, tc.want) || got != 0 {
			t.Errorf("%s: got %d, %v; want %v", tc.name, got, err, tc.want)
		}
	}
}

// TestConvertMatchesRationals checks Convert and ConvertInverse against exact rational
// arithmetic rounded half to even, for any amount, rate and pair of exponents.
func TestConvertMatchesRationals(t *testing.T) {
	t.Parallel()
	codes := []string{"JPY", "USD", "KWD", "CLF"} // exponents 0, 2, 3, 4
	rapid.Check(t, func(t *rapid.T) {
		amount := rapid.Int64().Draw(t, "amount")
		from := rapid.SampledFrom(codes).Draw(t, "from")
		to := rapid.SampledFrom(codes).Draw(t, "to")
		r := Rate{coef: rapid.Uint64Range(1, 999_999_999_999_999).Draw(t, "coef"), scale: rapid.IntRange(0, MaxDecimals).Draw(t, "scale")}
		inverse := rapid.Bool().Draw(t, "inverse")

		eFrom, _ := money.Exponent(from)
		eTo, _ := money.Exponent(to)
		exact, _ := new(big.Rat).SetString(r.String())
		if inverse {
			exact.Inv(exact)
		}
		exact.Mul(exact, new(big.Rat).SetInt64(amount))
		exact.Mul(exact, new(big.Rat).SetFrac(pow10(eTo), pow10(eFrom)))
		want := nearestEven(exact)

		convert := Convert
		if inverse {
			convert = ConvertInverse
		}
		got, err := convert(amount, from, to, r)
		if !want.IsInt64() {
			if !errors.Is(err, ErrOverflow) {
				t.Fatalf("%s is out of range, got %d, %v", want, got, err)
			}
			return
		}
		if err != nil || got != want.Int64() {
			t.Fatalf("got %d, %v; want %s", got, err, want)
		}
	})
}

// nearestEven rounds x by comparing it with the two integers around it, as a person would.
func nearestEven(x *big.Rat) *big.Int {
	floor := new(big.Int).Div(x.Num(), x.Denom()) // Euclidean: the floor, as Denom > 0
	diff := new(big.Rat).Sub(x, new(big.Rat).SetInt(floor))
	switch diff.Cmp(big.NewRat(1, 2)) {
	case 1:
		return floor.Add(floor, big.NewInt(1))
	case 0:
		if floor.Bit(0) == 1 {
			return floor.Add(floor, big.NewInt(1))
		}
	}
	return floor
}
