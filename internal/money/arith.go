package money

import (
	"fmt"
	"math"
)

// Add returns a+b, or ErrOverflow instead of silently wrapping around.
func Add(a, b int64) (int64, error) {
	c := a + b
	if (b > 0 && c < a) || (b < 0 && c > a) {
		return 0, fmt.Errorf("%w: %d + %d", ErrOverflow, a, b)
	}
	return c, nil
}

// Sub returns a-b, or ErrOverflow instead of silently wrapping around.
func Sub(a, b int64) (int64, error) {
	c := a - b
	if (b > 0 && c > a) || (b < 0 && c < a) {
		return 0, fmt.Errorf("%w: %d - %d", ErrOverflow, a, b)
	}
	return c, nil
}

// Mul returns minor*quantity, or ErrOverflow instead of silently wrapping
// around.
func Mul(minor, quantity int64) (int64, error) {
	if minor == 0 || quantity == 0 {
		return 0, nil
	}
	// MinInt64 * -1 is the one overflow the division check below cannot
	// see: the product wraps to MinInt64, and so does MinInt64 / -1.
	if quantity == -1 && minor == math.MinInt64 {
		return 0, fmt.Errorf("%w: %d * %d", ErrOverflow, minor, quantity)
	}
	c := minor * quantity
	if c/quantity != minor {
		return 0, fmt.Errorf("%w: %d * %d", ErrOverflow, minor, quantity)
	}
	return c, nil
}
