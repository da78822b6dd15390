package money

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParseDecimal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s, cur string
		want   int64
	}{
		{"12.95", "USD", 1295},
		{"12.9", "USD", 1290},
		{"12", "USD", 1200},
		{"0", "USD", 0},
		{"0.00", "USD", 0},
		{"-0", "USD", 0},
		{"-0.00", "USD", 0},
		{"0.01", "USD", 1},
		{"-5.00", "USD", -500},
		{"-0.05", "USD", -5},
		{"007.50", "USD", 750},
		{"0000000000000000000000000000001", "USD", 100},
		{"12.95", "usd", 1295},
		{"1000", "JPY", 1000},
		{"-1", "JPY", -1},
		{"1.234", "KWD", 1234},
		{"1.2", "KWD", 1200},
		{"1", "BHD", 1000},
		{"1.2345", "CLF", 12345},
		{"1", "CLF", 10000},
		{"1", "uyw", 10000},
		{"92233720368547758.07", "USD", math.MaxInt64},
		{"-92233720368547758.08", "USD", math.MinInt64},
		{"9223372036854775807", "JPY", math.MaxInt64},
		{"-9223372036854775808", "JPY", math.MinInt64},
		{"922337203685477.5807", "CLF", math.MaxInt64},
		{"-922337203685477.5808", "CLF", math.MinInt64},
	}
	for _, tt := range tests {
		t.Run(tt.s+"_"+tt.cur, func(t *testing.T) {
			t.Parallel()
			got, err := ParseDecimal(tt.s, tt.cur)
			if err != nil || got != tt.want {
				t.Errorf("ParseDecimal(%q, %q) = %d, %v; want %d, nil", tt.s, tt.cur, got, err, tt.want)
			}
		})
	}
}

func TestParseDecimalErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		s, cur string
		want   error
	}{
		// Syntax: anything but ["-"] digits ["." digits] in ASCII.
		{"", "USD", ErrSyntax},
		{"-", "USD", ErrSyntax},
		{".", "USD", ErrSyntax},
		{"1e3", "USD", ErrSyntax},
		{"1E3", "USD", ErrSyntax},
		{"12.", "USD", ErrSyntax},
		{".5", "USD", ErrSyntax},
		{"-.5", "USD", ErrSyntax},
		{"+1", "USD", ErrSyntax},
		{"--1", "USD", ErrSyntax},
		{"-+1", "USD", ErrSyntax},
		{"1-", "USD", ErrSyntax},
		{" 1", "USD", ErrSyntax},
		{"1 ", "USD", ErrSyntax},
		{"1\n", "USD", ErrSyntax},
		{"\t1", "USD", ErrSyntax},
		{"1,00", "USD", ErrSyntax},
		{"1,000.00", "USD", ErrSyntax},
		{"1_000", "USD", ErrSyntax},
		{"1'000", "USD", ErrSyntax},
		{"0x10", "USD", ErrSyntax},
		{"0b1", "USD", ErrSyntax},
		{"1.2.3", "USD", ErrSyntax},
		{"1..2", "USD", ErrSyntax},
		{"NaN", "USD", ErrSyntax},
		{"Inf", "USD", ErrSyntax},
		{"-Inf", "USD", ErrSyntax},
		{"$1", "USD", ErrSyntax},
		{"1 USD", "USD", ErrSyntax},
		{"١٢", "USD", ErrSyntax},       // Arabic-Indic digits
		{"１２", "USD", ErrSyntax},       // full-width digits
		{"\u22121", "USD", ErrSyntax},  // U+2212 minus sign
		{"1\u066b5", "USD", ErrSyntax}, // Arabic decimal separator
		{"1\x00", "USD", ErrSyntax},
		{"\xff", "USD", ErrSyntax},
		// Syntax is reported before currency.
		{"abc", "???", ErrSyntax},

		// Currency.
		{"1", "", ErrUnknownCurrency},
		{"1", " usd", ErrUnknownCurrency},
		{"1", "XAU", ErrUnknownCurrency},
		{"1", "HRK", ErrUnknownCurrency},
		{"1", "US", ErrUnknownCurrency},
		// Currency is reported before decimals.
		{"1.234", "XXX", ErrUnknownCurrency},

		// Too many decimals, including zeros.
		{"12.345", "USD", ErrTooManyDecimals},
		{"12.950", "USD", ErrTooManyDecimals},
		{"0.000", "USD", ErrTooManyDecimals},
		{"1.5", "JPY", ErrTooManyDecimals},
		{"1.0", "JPY", ErrTooManyDecimals},
		{"1.2345", "KWD", ErrTooManyDecimals},
		{"1.23456", "CLF", ErrTooManyDecimals},
		// Decimals are reported before range.
		{"99999999999999999999.999", "USD", ErrTooManyDecimals},

		// Range.
		{"92233720368547758.08", "USD", ErrOverflow},
		{"-92233720368547758.09", "USD", ErrOverflow},
		{"9223372036854775808", "JPY", ErrOverflow},
		{"-9223372036854775809", "JPY", ErrOverflow},
		{"92233720368547759", "USD", ErrOverflow}, // overflows only while padding the fraction
		{"922337203685477.5808", "CLF", ErrOverflow},
		{"99999999999999999999999999999", "USD", ErrOverflow},
		{"18446744073709551616", "JPY", ErrOverflow}, // 1<<64 must not wrap to 0
		{"18446744073709551617", "JPY", ErrOverflow}, // nor to 1
		{"-18446744073709551616", "JPY", ErrOverflow},
	}
	for _, tt := range tests {
		t.Run(tt.s+"_"+tt.cur, func(t *testing.T) {
			t.Parallel()
			got, err := ParseDecimal(tt.s, tt.cur)
			if !errors.Is(err, tt.want) {
				t.Fatalf("ParseDecimal(%q, %q) = %d, %v; want %v", tt.s, tt.cur, got, err, tt.want)
			}
			if got != 0 {
				t.Errorf("ParseDecimal(%q, %q) returned %d alongside an error", tt.s, tt.cur, got)
			}
			if err.Error() == tt.want.Error() {
				t.Errorf("error %q carries no context beyond the sentinel", err)
			}
		})
	}
}

func TestParseDecimalLongInputErrorIsBounded(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("9", 1<<20)
	_, err := ParseDecimal(long, "USD")
	if !errors.Is(err, ErrOverflow) {
		t.Fatalf("ParseDecimal(1 MiB of nines) error = %v, want ErrOverflow", err)
	}
	if n := len(err.Error()); n > 200 {
		t.Errorf("error message is %d bytes; untrusted input should be truncated", n)
	}
}

func TestFormatDecimal(t *testing.T) {
	t.Parallel()
	tests := []struct {
		minor int64
		cur   string
		want  string
	}{
		{1295, "USD", "12.95"},
		{1290, "USD", "12.90"},
		{1200, "USD", "12.00"},
		{0, "USD", "0.00"},
		{1, "USD", "0.01"},
		{10, "USD", "0.10"},
		{-5, "USD", "-0.05"},
		{-500, "USD", "-5.00"},
		{1295, "usd", "12.95"},
		{1000, "JPY", "1000"},
		{0, "JPY", "0"},
		{-7, "JPY", "-7"},
		{1234, "KWD", "1.234"},
		{1, "KWD", "0.001"},
		{-1, "BHD", "-0.001"},
		{12345, "CLF", "1.2345"},
		{1, "CLF", "0.0001"},
		{math.MaxInt64, "USD", "92233720368547758.07"},
		{math.MinInt64, "USD", "-92233720368547758.08"},
		{math.MinInt64, "JPY", "-9223372036854775808"},
		{math.MinInt64, "CLF", "-922337203685477.5808"},
		{math.MinInt64 + 1, "KWD", "-9223372036854775.807"},
	}
	for _, tt := range tests {
		t.Run(tt.want+"_"+tt.cur, func(t *testing.T) {
			t.Parallel()
			got, err := FormatDecimal(tt.minor, tt.cur)
			if err != nil || got != tt.want {
				t.Errorf("FormatDecimal(%d, %q) = %q, %v; want %q, nil", tt.minor, tt.cur, got, err, tt.want)
			}
		})
	}
}

func TestFormatDecimalUnknownCurrency(t *testing.T) {
	t.Parallel()
	for _, cur := range []string{"", "XAU", "XXX", "HRK", "US", "usd "} {
		got, err := FormatDecimal(1295, cur)
		if !errors.Is(err, ErrUnknownCurrency) || got != "" {
			t.Errorf("FormatDecimal(1295, %q) = %q, %v; want \"\", ErrUnknownCurrency", cur, got, err)
		}
	}
}

// TestRoundTripCanonical checks that canonical strings survive parse and
// format unchanged, and that non-canonical ones come back canonical.
func TestRoundTripCanonical(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, cur, canonical string
	}{
		{"12.95", "USD", "12.95"},
		{"-0.05", "USD", "-0.05"},
		{"0.00", "USD", "0.00"},
		{"1000", "JPY", "1000"},
		{"1.234", "KWD", "1.234"},
		{"1.2345", "CLF", "1.2345"},
		{"92233720368547758.07", "USD", "92233720368547758.07"},
		{"-92233720368547758.08", "USD", "-92233720368547758.08"},
		{"12.9", "USD", "12.90"},
		{"12", "USD", "12.00"},
		{"007.50", "USD", "7.50"},
		{"-0", "USD", "0.00"},
		{"-000", "JPY", "0"},
		{"1", "KWD", "1.000"},
	}
	for _, tt := range tests {
		t.Run(tt.in+"_"+tt.cur, func(t *testing.T) {
			t.Parallel()
			minor, err := ParseDecimal(tt.in, tt.cur)
			if err != nil {
				t.Fatalf("ParseDecimal(%q, %q): %v", tt.in, tt.cur, err)
			}
			got, err := FormatDecimal(minor, tt.cur)
			if err != nil || got != tt.canonical {
				t.Errorf("FormatDecimal(ParseDecimal(%q)) = %q, %v; want %q", tt.in, got, err, tt.canonical)
			}
		})
	}
}

// TestFormatParseEveryCurrency runs format-then-parse over boundary values
// in every currency of the table.
func TestFormatParseEveryCurrency(t *testing.T) {
	t.Parallel()
	values := []int64{0, 1, -1, 9, 10, 99, 100, 101, 999, 1000, 1001, 12345,
		-12345, math.MaxInt64, math.MinInt64, math.MaxInt64 - 1, math.MinInt64 + 1}
	for code := range minorUnits {
		for _, v := range values {
			s, err := FormatDecimal(v, code)
			if err != nil {
				t.Fatalf("FormatDecimal(%d, %q): %v", v, code, err)
			}
			back, err := ParseDecimal(s, code)
			if err != nil || back != v {
				t.Errorf("ParseDecimal(FormatDecimal(%d, %q) = %q) = %d, %v", v, code, s, back, err)
			}
		}
	}
}
