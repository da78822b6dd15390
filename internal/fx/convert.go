package fx

import (
	"errors"
	"fmt"
	"math/big"

	"disputed/internal/money"
)

// ErrOverflow means the converted amount does not fit the int64 of minor units amounts are kept
// in; the conversion never wraps.
var ErrOverflow = errors.New("the converted amount is out of range")

// Convert returns amount, in minor units of from, in minor units of to at rate r: r units of to
// for one of from. The currencies' minor units are respected (100 JPY at 0.0067 USD per yen is
// 67 cents; 1.00 USD at 0.307 KWD per dollar is 307 fils), and the result is rounded once, half
// to even. Currency codes are ISO 4217 in any case; an unknown one wraps money.ErrUnknownCurrency.
func Convert(amount int64, from, to string, r Rate) (int64, error) {
	return convert(amount, from, to, r, false)
}

// ConvertInverse converts with a rate recorded the other way round: r is units of from for one
// of to, and amount is divided by it. The division is exact and only its result is rounded, half
// to even, to the minor unit of to: no inverse rate is rounded on the way.
func ConvertInverse(amount int64, from, to string, r Rate) (int64, error) {
	return convert(amount, from, to, r, true)
}

// convert computes amount × 10^e(to) × rate / 10^e(from), the rate being coef/10^scale or, when
// inverse, 10^scale/coef, in integers of any size, and rounds the quotient.
func convert(amount int64, from, to string, r Rate, inverse bool) (int64, error) {
	if r.coef == 0 {
		return 0, fmt.Errorf("%w: the zero Rate", ErrNotPositive)
	}
	eFrom, err := exponent(from)
	if err != nil {
		return 0, err
	}
	eTo, err := exponent(to)
	if err != nil {
		return 0, err
	}
	num := new(big.Int).Mul(big.NewInt(amount), pow10(eTo))
	den := pow10(eFrom)
	coef := new(big.Int).SetUint64(r.coef)
	if inverse {
		num.Mul(num, pow10(r.scale))
		den.Mul(den, coef)
	} else {
		num.Mul(num, coef)
		den.Mul(den, pow10(r.scale))
	}
	q := roundHalfEven(num, den)
	if !q.IsInt64() {
		return 0, fmt.Errorf("%w: %d %s at %s", ErrOverflow, amount, from, r)
	}
	return q.Int64(), nil
}

func exponent(code string) (int, error) {
	c, err := money.ParseCurrency(code)
	if err != nil {
		return 0, err
	}
	e, _ := money.Exponent(c)
	return e, nil
}

// roundHalfEven is num/den rounded to the nearest integer, a tie to the even one; den > 0.
func roundHalfEven(num, den *big.Int) *big.Int {
	q, rem := new(big.Int).QuoRem(num, den, new(big.Int)) // q truncated toward zero
	twice := rem.Abs(rem).Lsh(rem, 1)
	if c := twice.Cmp(den); c > 0 || (c == 0 && q.Bit(0) == 1) {
		q.Add(q, big.NewInt(int64(num.Sign())))
	}
	return q
}

func pow10(n int) *big.Int {
	return new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
}
