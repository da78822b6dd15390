// Package money holds exact monetary amounts for the dispute server.
//
// An amount is an int64 count of the currency's minor units (cents for USD,
// yen for JPY, fils for KWD) plus an ISO 4217 code. Floating point never
// appears: disputed amounts are compared to the cent against what the card
// network and the merchant reported, and a binary fraction cannot represent
// 0.10 exactly. Decimal strings cross the API boundary; int64 minor units are
// what gets stored, summed and compared.
package money

import (
	"errors"
	"fmt"
)

// Sentinel errors. Functions wrap them with context, so callers test with
// errors.Is.
var (
	ErrUnknownCurrency = errors.New("money: unknown currency")
	ErrTooManyDecimals = errors.New("money: too many decimal places for currency")
	ErrSyntax          = errors.New("money: invalid decimal syntax")
	ErrOverflow        = errors.New("money: amount out of range")
)

// Exponent returns the number of minor-unit digits of an active ISO 4217
// currency. code must already be upper case (see ParseCurrency), so that a
// lookup on a hot path never allocates.
func Exponent(code string) (int, bool) {
	e, ok := minorUnits[code]
	return e, ok
}

// ParseCurrency returns the upper-case ISO 4217 code for s, accepting any
// ASCII case. Nothing is trimmed: " usd" is unknown.
func ParseCurrency(s string) (string, error) {
	// Upper-casing by hand rather than strings.ToUpper, which would map
	// non-ASCII letters such as 'ı' (U+0131) or 'ſ' (U+017F) onto 'I' and 'S'
	// and so accept "ısk" or "uſd" as real codes.
	if len(s) != 3 {
		return "", fmt.Errorf("%w: %s", ErrUnknownCurrency, quote(s))
	}
	var b [3]byte
	for i := 0; i < 3; i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
		case 'a' <= c && c <= 'z':
			c -= 'a' - 'A'
		default:
			return "", fmt.Errorf("%w: %s", ErrUnknownCurrency, quote(s))
		}
		b[i] = c
	}
	code := string(b[:])
	if _, ok := minorUnits[code]; !ok {
		return "", fmt.Errorf("%w: %s", ErrUnknownCurrency, quote(s))
	}
	return code, nil
}

// maxQuoted bounds how much of an untrusted input is echoed into an error
// message, so a megabyte request field cannot become a megabyte log line.
const maxQuoted = 64

func quote(s string) string {
	if len(s) > maxQuoted {
		return fmt.Sprintf("%q... (%d bytes)", s[:maxQuoted], len(s))
	}
	return fmt.Sprintf("%q", s)
}
