package fx

import (
	"errors"
	"testing"
)

func TestParseRate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ in, want string }{
		{"1.0842", "1.0842"},
		{"0.92", "0.92"},
		{"157", "157"},
		{"1.50", "1.5"},
		{"007.50", "7.5"},
		{"1.000", "1"},
		{"0.000023749866", "0.000023749866"},
		{"42105.5", "42105.5"},
		{"123456789012345", "123456789012345"},
		{"1234.56789012345", "1234.56789012345"},
		{"0.000000000001", "0.000000000001"},
		{"1.000000000000000000000000000", "1"}, // trailing zeros are no precision
	} {
		r, err := ParseRate(tc.in)
		if err != nil {
			t.Errorf("ParseRate(%q): %v", tc.in, err)
			continue
		}
		if got := r.String(); got != tc.want {
			t.Errorf("ParseRate(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestParseRateRefuses(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want error
	}{
		{"", ErrSyntax},
		{"abc", ErrSyntax},
		{"1e5", ErrSyntax},
		{"1.5E-3", ErrSyntax},
		{"+1.5", ErrSyntax},
		{" 1.5", ErrSyntax},
		{"1.5 ", ErrSyntax},
		{"1,084.2", ErrSyntax},
		{"1_000", ErrSyntax},
		{".5", ErrSyntax},
		{"5.", ErrSyntax},
		{"1.2.3", ErrSyntax},
		{"0x1F", ErrSyntax},
		{"NaN", ErrSyntax},
		{"Inf", ErrSyntax},
		{"١٫٥", ErrSyntax}, // Arabic-Indic digits
		{"--1", ErrSyntax},
		{"-", ErrSyntax},
		{"0", ErrNotPositive},
		{"0.000", ErrNotPositive},
		{"-0", ErrNotPositive},
		{"-1.0842", ErrNotPositive},
		{"0.0000000000001", ErrPrecision},  // 13 decimals
		{"1234567890123456", ErrPrecision}, // 16 digits
		{"1.2345678901234", ErrPrecision},  // 13 decimals, 14 digits
		{"00000000000000000000000000000000000000001", ErrPrecision}, // longer than maxLen
	} {
		r, err := ParseRate(tc.in)
		if !errors.Is(err, tc.want) {
			t.Errorf("ParseRate(%q) = %v, %v; want %v", tc.in, r, err, tc.want)
		}
	}
}
