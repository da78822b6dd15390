package money

import (
	"errors"
	"math"
	"testing"
)

func TestNew(t *testing.T) {
	t.Parallel()
	a, err := New(1295, "usd")
	if err != nil || a != (Amount{Minor: 1295, Currency: "USD"}) {
		t.Errorf("New(1295, \"usd\") = %+v, %v; want {1295 USD}, nil", a, err)
	}
	for _, cur := range []string{"", "XAU", " usd", "ZWL"} {
		a, err := New(1, cur)
		if !errors.Is(err, ErrUnknownCurrency) || a != (Amount{}) {
			t.Errorf("New(1, %q) = %+v, %v; want zero Amount, ErrUnknownCurrency", cur, a, err)
		}
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	tests := []struct {
		dec, cur string
		want     Amount
		err      error
	}{
		{"12.95", "usd", Amount{1295, "USD"}, nil},
		{"1000", "JPY", Amount{1000, "JPY"}, nil},
		{"-1.234", "kwd", Amount{-1234, "KWD"}, nil},
		{"1.5", "JPY", Amount{}, ErrTooManyDecimals},
		{"1e3", "USD", Amount{}, ErrSyntax},
		{"1", "XAU", Amount{}, ErrUnknownCurrency},
		{"92233720368547758.08", "USD", Amount{}, ErrOverflow},
	}
	for _, tt := range tests {
		t.Run(tt.dec+"_"+tt.cur, func(t *testing.T) {
			t.Parallel()
			got, err := Parse(tt.dec, tt.cur)
			if !errors.Is(err, tt.err) || got != tt.want {
				t.Errorf("Parse(%q, %q) = %+v, %v; want %+v, %v", tt.dec, tt.cur, got, err, tt.want, tt.err)
			}
		})
	}
}

func TestAmountStrings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a       Amount
		decimal string
		str     string
	}{
		{Amount{1295, "USD"}, "12.95", "12.95 USD"},
		{Amount{-5, "USD"}, "-0.05", "-0.05 USD"},
		{Amount{1000, "JPY"}, "1000", "1000 JPY"},
		{Amount{1234, "KWD"}, "1.234", "1.234 KWD"},
		{Amount{math.MinInt64, "EUR"}, "-92233720368547758.08", "-92233720368547758.08 EUR"},
		// Hand-built values: lower case is still understood ...
		{Amount{1295, "usd"}, "12.95", "12.95 USD"},
		// ... an unknown code must neither panic nor look like money.
		{Amount{1295, "XAU"}, "!(minor=1295)", `!(minor=1295) "XAU"`},
		{Amount{}, "!(minor=0)", `!(minor=0) ""`},
	}
	for _, tt := range tests {
		t.Run(tt.str, func(t *testing.T) {
			t.Parallel()
			if got := tt.a.Decimal(); got != tt.decimal {
				t.Errorf("%+v.Decimal() = %q, want %q", tt.a, got, tt.decimal)
			}
			if got := tt.a.String(); got != tt.str {
				t.Errorf("%+v.String() = %q, want %q", tt.a, got, tt.str)
			}
		})
	}
	if _, err := ParseDecimal(Amount{1295, "XAU"}.Decimal(), "USD"); err == nil {
		t.Error("the invalid-amount marker parses as a decimal")
	}
}

func TestRequirePositive(t *testing.T) {
	t.Parallel()
	tests := []struct {
		minor int64
		err   error
	}{
		{1, nil}, {math.MaxInt64, nil},
		{0, ErrNotPositive}, {-1, ErrNotPositive}, {math.MinInt64, ErrNotPositive},
	}
	for _, tt := range tests {
		a := Amount{tt.minor, "USD"}
		err := a.RequirePositive()
		if !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
			t.Errorf("%v.RequirePositive() = %v, want %v", a, err, tt.err)
		}
	}
}

func TestRequireNonNegative(t *testing.T) {
	t.Parallel()
	tests := []struct {
		minor int64
		err   error
	}{
		{0, nil}, {1, nil}, {math.MaxInt64, nil},
		{-1, ErrNegative}, {math.MinInt64, ErrNegative},
	}
	for _, tt := range tests {
		a := Amount{tt.minor, "USD"}
		err := a.RequireNonNegative()
		if !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) {
			t.Errorf("%v.RequireNonNegative() = %v, want %v", a, err, tt.err)
		}
	}
}
