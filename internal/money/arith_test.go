package money

import (
	"errors"
	"math"
	"math/big"
	"testing"
)

func TestArithmetic(t *testing.T) {
	t.Parallel()
	const (
		maxI = math.MaxInt64
		minI = math.MinInt64
	)
	tests := []struct {
		name string
		op   func(a, b int64) (int64, error)
		a, b int64
		want int64
		err  error
	}{
		{"Add", Add, 1295, 5, 1300, nil},
		{"Add", Add, -5, 5, 0, nil},
		{"Add", Add, maxI, 0, maxI, nil},
		{"Add", Add, maxI, minI, -1, nil},
		{"Add", Add, maxI, 1, 0, ErrOverflow},
		{"Add", Add, minI, -1, 0, ErrOverflow},
		{"Add", Add, maxI, maxI, 0, ErrOverflow},
		{"Add", Add, minI, minI, 0, ErrOverflow},

		{"Sub", Sub, 1300, 5, 1295, nil},
		{"Sub", Sub, 0, maxI, -maxI, nil},
		{"Sub", Sub, -1, maxI, minI, nil},
		{"Sub", Sub, minI, minI, 0, nil},
		{"Sub", Sub, 0, minI, 0, ErrOverflow},
		{"Sub", Sub, minI, 1, 0, ErrOverflow},
		{"Sub", Sub, maxI, -1, 0, ErrOverflow},
		{"Sub", Sub, -2, maxI, 0, ErrOverflow},

		{"Mul", Mul, 1295, 3, 3885, nil},
		{"Mul", Mul, -5, 3, -15, nil},
		{"Mul", Mul, 0, minI, 0, nil},
		{"Mul", Mul, minI, 0, 0, nil},
		{"Mul", Mul, minI, 1, minI, nil},
		{"Mul", Mul, maxI, -1, -maxI, nil},
		{"Mul", Mul, minI, -1, 0, ErrOverflow},
		{"Mul", Mul, -1, minI, 0, ErrOverflow},
		{"Mul", Mul, maxI, 2, 0, ErrOverflow},
		{"Mul", Mul, 1 << 32, 1 << 31, 0, ErrOverflow},
		{"Mul", Mul, 1 << 32, -(1 << 31), minI, nil},
		{"Mul", Mul, 3037000500, 3037000500, 0, ErrOverflow}, // just past sqrt(MaxInt64)
		{"Mul", Mul, 3037000499, 3037000499, 9223372030926249001, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := tt.op(tt.a, tt.b)
			if !errors.Is(err, tt.err) || (tt.err == nil) != (err == nil) || got != tt.want {
				t.Errorf("%s(%d, %d) = %d, %v; want %d, %v", tt.name, tt.a, tt.b, got, err, tt.want, tt.err)
			}
		})
	}
}

// TestArithmeticAgainstBig compares every operation on a grid of boundary
// operands with exact big.Int arithmetic.
func TestArithmeticAgainstBig(t *testing.T) {
	t.Parallel()
	var operands []int64
	for _, base := range []int64{0, 1 << 31, 1 << 32, 3037000499, math.MaxInt64 / 2, math.MaxInt64} {
		for d := int64(-2); d <= 2; d++ {
			operands = append(operands, base+d, -base-d)
		}
	}
	operands = append(operands, math.MinInt64, math.MinInt64+1, math.MinInt64/2)

	minBig, maxBig := big.NewInt(math.MinInt64), big.NewInt(math.MaxInt64)
	ops := []struct {
		name string
		fn   func(a, b int64) (int64, error)
		ref  func(z, x, y *big.Int) *big.Int
	}{
		{"Add", Add, (*big.Int).Add},
		{"Sub", Sub, (*big.Int).Sub},
		{"Mul", Mul, (*big.Int).Mul},
	}
	for _, op := range ops {
		for _, a := range operands {
			for _, b := range operands {
				exact := op.ref(new(big.Int), big.NewInt(a), big.NewInt(b))
				fits := exact.Cmp(minBig) >= 0 && exact.Cmp(maxBig) <= 0
				got, err := op.fn(a, b)
				switch {
				case fits && (err != nil || got != exact.Int64()):
					t.Errorf("%s(%d, %d) = %d, %v; want %s", op.name, a, b, got, err, exact)
				case !fits && !errors.Is(err, ErrOverflow):
					t.Errorf("%s(%d, %d) = %d, %v; want ErrOverflow (exact %s)", op.name, a, b, got, err, exact)
				}
			}
		}
	}
}
