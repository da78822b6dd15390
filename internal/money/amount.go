package money

import (
	"fmt"
	"strconv"
)

// Amount is a value in minor units of one currency. Construct it with New or
// Parse so that Currency is a known, upper-case ISO 4217 code; the fields are
// exported only so that storage and JSON layers can fill them directly.
type Amount struct {
	Minor    int64
	Currency string
}

// New returns an Amount after normalising currency to its upper-case code.
func New(minor int64, currency string) (Amount, error) {
	code, err := ParseCurrency(currency)
	if err != nil {
		return Amount{}, err
	}
	return Amount{Minor: minor, Currency: code}, nil
}

// Parse is ParseDecimal followed by New.
func Parse(decimal, currency string) (Amount, error) {
	minor, err := ParseDecimal(decimal, currency)
	if err != nil {
		return Amount{}, err
	}
	return New(minor, currency)
}

// Decimal returns the amount in major units, e.g. "12.95".
//
// An Amount built by hand with an unknown currency has no correct decimal
// form. Rather than panic inside a log line or guess an exponent, it returns
// a marker that ParseDecimal rejects, so the bad value cannot be read back
// as money.
func (a Amount) Decimal() string {
	s, err := FormatDecimal(a.Minor, a.Currency)
	if err != nil {
		return "!(minor=" + strconv.FormatInt(a.Minor, 10) + ")"
	}
	return s
}

// String returns the decimal followed by the code, e.g. "12.95 USD".
func (a Amount) String() string {
	code, err := ParseCurrency(a.Currency)
	if err != nil {
		return a.Decimal() + " " + strconv.Quote(a.Currency)
	}
	return a.Decimal() + " " + code
}

// RequirePositive returns an error wrapping ErrNotPositive when the amount is
// zero or negative, as for a charge or a disputed amount.
func (a Amount) RequirePositive() error {
	if a.Minor <= 0 {
		return fmt.Errorf("%w: %s", ErrNotPositive, a)
	}
	return nil
}

// RequireNonNegative returns an error wrapping ErrNegative when the amount is
// below zero, as for a fee or a remaining balance that may be zero.
func (a Amount) RequireNonNegative() error {
	if a.Minor < 0 {
		return fmt.Errorf("%w: %s", ErrNegative, a)
	}
	return nil
}
