// Package fx converts amounts between currencies with the exchange rates a merchant records.
// Nothing here fetches a rate or guesses one: a rate is what the merchant said, kept as the exact
// decimal it was written in, and a conversion without one is the caller's to report.
//
// A rate is exact: "1.0842" is 10842/10000, never a binary float, and a conversion multiplies
// integers and rounds once, at the end, to the target currency's minor unit, half to even
// (banker's rounding), so that the sums of many converted amounts carry no bias upwards.
package fx

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// The bounds of a rate: enough for any real currency pair (USD→IRR is about 42000, IRR→USD
// about 0.0000238), small enough that the coefficient fits an int64 many times over.
const (
	// MaxDecimals is how many digits a rate may have after the point, trailing zeros aside.
	MaxDecimals = 12
	// MaxDigits is how many significant digits a rate may have.
	MaxDigits = 15
	// maxLen bounds the text read, so that a long run of zeros cannot cost more than it is worth.
	maxLen = 40
)

// Errors of ParseRate, wrapped with the text refused; callers test them with errors.Is.
var (
	ErrSyntax      = errors.New("not a plain decimal such as 1.0842 (no exponent, sign, spaces or separators)")
	ErrNotPositive = errors.New("a rate must be more than zero")
	ErrPrecision   = fmt.Errorf("a rate has at most %d significant digits, %d of them after the point", MaxDigits, MaxDecimals)
)

// Rate is how many units of one currency a unit of another buys: coef / 10^scale, more than
// zero. Its zero value is not a rate; ParseRate makes them.
type Rate struct {
	coef  uint64 // 1 to 10^MaxDigits - 1
	scale int    // 0 to MaxDecimals; coef has no trailing zero when scale > 0
}

// ParseRate reads a rate written as a plain decimal: digits, then optionally a point and more
// digits ("1.0842", "0.92", "157"). Leading zeros and trailing zeros after the point are
// allowed and dropped; a sign, an exponent, spaces and separators are refused, and so are zero
// and rates more precise than MaxDigits and MaxDecimals allow.
func ParseRate(s string) (Rate, error) {
	if len(s) > maxLen {
		return Rate{}, fmt.Errorf("%w: %d characters", ErrPrecision, len(s))
	}
	if rest, neg := strings.CutPrefix(s, "-"); neg {
		if _, err := parseUnsigned(rest); err == nil || errors.Is(err, ErrNotPositive) {
			return Rate{}, fmt.Errorf("%w: %q", ErrNotPositive, s)
		}
		return Rate{}, fmt.Errorf("%w: %q", ErrSyntax, s)
	}
	return parseUnsigned(s)
}

// parseUnsigned is ParseRate without the sign.
func parseUnsigned(s string) (Rate, error) {
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || !digits(whole) || (dot && (frac == "" || !digits(frac))) {
		return Rate{}, fmt.Errorf("%w: %q", ErrSyntax, s)
	}
	frac = strings.TrimRight(frac, "0")
	all := strings.TrimLeft(whole+frac, "0")
	switch {
	case all == "":
		return Rate{}, fmt.Errorf("%w: %q", ErrNotPositive, s)
	case len(frac) > MaxDecimals || len(all) > MaxDigits:
		return Rate{}, fmt.Errorf("%w: %q", ErrPrecision, s)
	}
	coef, err := strconv.ParseUint(all, 10, 64)
	if err != nil { // cannot happen: at most MaxDigits ASCII digits
		return Rate{}, fmt.Errorf("%w: %q", ErrSyntax, s)
	}
	return Rate{coef: coef, scale: len(frac)}, nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// String is the rate in its canonical form, the one ParseRate reads back to the same rate: no
// leading zero but the one before a point ("0.92"), no trailing zero after it.
func (r Rate) String() string {
	d := strconv.FormatUint(r.coef, 10)
	if r.scale == 0 {
		return d
	}
	if len(d) <= r.scale {
		d = strings.Repeat("0", r.scale-len(d)+1) + d
	}
	return d[:len(d)-r.scale] + "." + d[len(d)-r.scale:]
}

// Equal reports whether r and o are the same rate; "1.50" and "1.5" are.
func (r Rate) Equal(o Rate) bool { return r == o }
