package money

import (
	"errors"
	"testing"
)

func TestExponentSpotChecks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		code string
		want int
	}{
		{"JPY", 0}, {"USD", 2}, {"KWD", 3}, {"CLF", 4}, {"BHD", 3}, {"KRW", 0},
		{"EUR", 2}, {"GBP", 2}, {"VND", 0}, {"CLP", 0}, {"ISK", 0}, {"UGX", 0},
		{"PYG", 0}, {"XAF", 0}, {"XOF", 0}, {"XPF", 0}, {"KMF", 0}, {"DJF", 0},
		{"GNF", 0}, {"RWF", 0}, {"VUV", 0}, {"BIF", 0}, {"IQD", 3}, {"JOD", 3},
		{"LYD", 3}, {"OMR", 3}, {"TND", 3}, {"UYW", 4}, {"ZWG", 2}, {"SLE", 2},
		{"VES", 2}, {"VED", 2}, {"XCG", 2}, {"IDR", 2}, {"HUF", 2},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			t.Parallel()
			got, ok := Exponent(tt.code)
			if !ok || got != tt.want {
				t.Errorf("Exponent(%q) = %d, %v; want %d, true", tt.code, got, ok, tt.want)
			}
		})
	}
}

func TestExponentRejects(t *testing.T) {
	t.Parallel()
	for _, code := range []string{
		// Upper case only: lower case is ParseCurrency's job.
		"usd", "Usd",
		// Metals, funds and testing codes without minor units.
		"XAU", "XAG", "XPT", "XPD", "XDR", "XTS", "XXX", "XBA", "XBB", "XBC",
		"XBD", "XSU", "XUA", "XAD",
		// Withdrawn.
		"HRK", "SLL", "ZWL", "CUC", "VEF", "MRO", "STD", "LTL", "DEM",
		// Not codes.
		"", "US", "USDD", "ZZZ",
	} {
		if e, ok := Exponent(code); ok {
			t.Errorf("Exponent(%q) = %d, true; want not found", code, e)
		}
	}
}

// TestTableShape guards against typos when the table is next updated: an
// exponent other than 2 is rare enough that each one is listed here.
func TestTableShape(t *testing.T) {
	t.Parallel()
	notTwo := map[string]int{
		"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0,
		"KRW": 0, "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0,
		"XAF": 0, "XOF": 0, "XPF": 0,
		"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
		"CLF": 4, "UYW": 4,
	}
	for code, exp := range minorUnits {
		if len(code) != 3 || code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z' || code[2] < 'A' || code[2] > 'Z' {
			t.Errorf("table key %q is not three upper-case ASCII letters", code)
		}
		want, special := notTwo[code]
		if !special {
			want = 2
		}
		if exp != want {
			t.Errorf("minorUnits[%q] = %d, want %d", code, exp, want)
		}
	}
	for code := range notTwo {
		if _, ok := minorUnits[code]; !ok {
			t.Errorf("minorUnits lacks %q", code)
		}
	}
	// List One of 2025-05-12 has 179 distinct codes; 14 have no minor unit,
	// and ANG is kept for old disputes. A different count means the table
	// was edited without updating this test and the source note.
	if n := len(minorUnits); n != 166 {
		t.Errorf("len(minorUnits) = %d, want 166", n)
	}
}

func TestParseCurrency(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string
	}{
		{"USD", "USD"}, {"usd", "USD"}, {"uSd", "USD"}, {"jpy", "JPY"},
		{"kwd", "KWD"}, {"Clf", "CLF"}, {"xcg", "XCG"}, {"zwg", "ZWG"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseCurrency(tt.in)
			if err != nil || got != tt.want {
				t.Errorf("ParseCurrency(%q) = %q, %v; want %q, nil", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestParseCurrencyErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"", " usd", "usd ", "US", "USDD", "US D", "U$D", "123", "xau", "XXX",
		"hrk", "zwl", "sll",
		// Unicode letters whose upper case is ASCII must not sneak through.
		"\u0131sk", // ısk -> ISK under strings.ToUpper
		"u\u017fd", // uſd -> USD under strings.ToUpper
		"ＵＳＤ",      // full-width
		"US\x00", "usd\n",
	} {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseCurrency(in)
			if !errors.Is(err, ErrUnknownCurrency) {
				t.Errorf("ParseCurrency(%q) = %q, %v; want ErrUnknownCurrency", in, got, err)
			}
			if got != "" {
				t.Errorf("ParseCurrency(%q) returned code %q alongside an error", in, got)
			}
		})
	}
}
