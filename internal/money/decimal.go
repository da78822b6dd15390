package money

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// ParseDecimal parses s, an exact decimal in the currency's major units, into
// minor units: ("12.95", "USD") is 1295 and ("1000", "JPY") is 1000.
//
// The grammar is deliberately narrow, because these strings come from
// merchants and card networks and anything lenient is a way to smuggle a
// different amount past validation:
//
//	decimal = ["-"] digit {digit} ["." digit {digit}]
//	digit   = "0" ... "9"   (ASCII only)
//
// No '+', no exponent, no spaces, no thousands separators, and no bare
// leading or trailing '.'. Leading zeros are allowed. A '-' is accepted;
// whether a negative amount makes sense is the caller's decision.
//
// More fraction digits than the currency has is ErrTooManyDecimals even when
// the extra digits are zeros ("12.950" for USD): it signals the sender
// assumed a different exponent. currency is matched case-insensitively.
//
// Errors are checked in the order syntax, currency, decimals, range, and wrap
// ErrSyntax, ErrUnknownCurrency, ErrTooManyDecimals or ErrOverflow.
func ParseDecimal(s, currency string) (int64, error) {
	neg, intPart, fracPart, ok := splitDecimal(s)
	if !ok {
		return 0, fmt.Errorf("%w: %s", ErrSyntax, quote(s))
	}
	code, err := ParseCurrency(currency)
	if err != nil {
		return 0, err
	}
	exp := minorUnits[code]
	if len(fracPart) > exp {
		return 0, fmt.Errorf("%w: %s has %d decimal places, %s allows %d",
			ErrTooManyDecimals, quote(s), len(fracPart), code, exp)
	}

	// Accumulate the magnitude in uint64 so that the most negative value,
	// whose magnitude is one more than math.MaxInt64, is representable.
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	var mag uint64
	push := func(d uint64) bool {
		if mag > (limit-d)/10 {
			return false
		}
		mag = mag*10 + d
		return true
	}
	digits := intPart + fracPart
	for i := 0; i < len(digits); i++ {
		if !push(uint64(digits[i] - '0')) {
			return 0, fmt.Errorf("%w: %s %s", ErrOverflow, quote(s), code)
		}
	}
	for i := len(fracPart); i < exp; i++ {
		if !push(0) {
			return 0, fmt.Errorf("%w: %s %s", ErrOverflow, quote(s), code)
		}
	}
	if neg {
		// For mag == 1<<63 the conversion gives math.MinInt64 and negating
		// it wraps back to math.MinInt64, which is the intended value.
		return -int64(mag), nil
	}
	return int64(mag), nil
}

// splitDecimal checks s against the ParseDecimal grammar and returns its
// parts; intPart is non-empty and both parts contain only ASCII digits.
func splitDecimal(s string) (neg bool, intPart, fracPart string, ok bool) {
	if strings.HasPrefix(s, "-") {
		neg = true
		s = s[1:]
	}
	intPart, fracPart, hasDot := strings.Cut(s, ".")
	if intPart == "" || !allDigits(intPart) {
		return false, "", "", false
	}
	if hasDot && (fracPart == "" || !allDigits(fracPart)) {
		return false, "", "", false
	}
	return neg, intPart, fracPart, true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// FormatDecimal renders minor units of currency as an exact decimal in major
// units with exactly the currency's number of fraction digits: (1295, "USD")
// is "12.95", (-5, "USD") is "-0.05", (1000, "JPY") is "1000". The output is
// the canonical form that ParseDecimal accepts and maps back to minor.
//
// An unknown currency is an error rather than a guessed exponent, because a
// guess would print an amount off by a power of ten.
func FormatDecimal(minor int64, currency string) (string, error) {
	code, err := ParseCurrency(currency)
	if err != nil {
		return "", err
	}
	return formatExp(minor, minorUnits[code]), nil
}

func formatExp(minor int64, exp int) string {
	// uint64(-minor) is the magnitude for every negative value, including
	// math.MinInt64, whose negation wraps to itself and converts to 1<<63.
	mag := uint64(minor)
	if minor < 0 {
		mag = uint64(-minor)
	}
	digits := strconv.FormatUint(mag, 10)
	if len(digits) <= exp {
		digits = strings.Repeat("0", exp-len(digits)+1) + digits
	}
	var b strings.Builder
	b.Grow(len(digits) + 2)
	if minor < 0 {
		b.WriteByte('-')
	}
	split := len(digits) - exp
	b.WriteString(digits[:split])
	if exp > 0 {
		b.WriteByte('.')
		b.WriteString(digits[split:])
	}
	return b.String()
}
