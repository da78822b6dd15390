package app

import (
	"errors"

	"disputed/internal/fault"
	"disputed/internal/money"
)

// Money is an amount as a request gives it: minor units or a decimal string, never both.
type Money struct {
	Amount        *int64
	AmountDecimal *string
	Currency      string
}

// currency validates a currency code, or returns fallback when none is given.
func currency(code, fallback string) (string, error) {
	if code == "" {
		if fallback == "" {
			return "", fault.Required("currency")
		}
		return fallback, nil
	}
	cur, err := money.ParseCurrency(code)
	if err != nil {
		return "", fault.Invalidf(fault.CodeUnknownCurrency, "currency", "%q is not an active ISO 4217 currency", code)
	}
	return cur, nil
}

// resolve returns the amount in minor units of cur; ok is false when none was given. A given
// amount must be positive.
func (m Money) resolve(cur, param string) (int64, bool, error) {
	switch {
	case m.Amount != nil && m.AmountDecimal != nil:
		return 0, false, fault.Invalidf(fault.CodeInvalidValue, param, "give %s or %s_decimal, not both", param, param)
	case m.Amount != nil:
		if *m.Amount <= 0 {
			return 0, false, fault.Invalidf(fault.CodeInvalidAmount, param, "%s must be a positive integer of minor units", param)
		}
		return *m.Amount, true, nil
	case m.AmountDecimal != nil:
		v, err := money.ParseDecimal(*m.AmountDecimal, cur)
		if err != nil {
			return 0, false, amountError(err, param+"_decimal", cur)
		}
		if v <= 0 {
			return 0, false, fault.Invalidf(fault.CodeInvalidAmount, param+"_decimal", "%s_decimal must be positive", param)
		}
		return v, true, nil
	}
	return 0, false, nil
}

func amountError(err error, param, cur string) error {
	switch {
	case errors.Is(err, money.ErrTooManyDecimals):
		return fault.Invalidf(fault.CodeInvalidAmount, param, "too many decimals for %s", cur)
	case errors.Is(err, money.ErrOverflow):
		return fault.Invalidf(fault.CodeInvalidAmount, param, "amount is too large")
	case errors.Is(err, money.ErrUnknownCurrency):
		return fault.Invalidf(fault.CodeUnknownCurrency, "currency", "%q is not an active ISO 4217 currency", cur)
	}
	return fault.Invalidf(fault.CodeInvalidAmount, param, "not a decimal amount such as \"12.95\"")
}
