package money

import "math"

// Total is a sum of amounts in minor units that never overflows: a sum past the int64 range
// saturates at its bound and says so (Over), so that a page showing it can mark the figure
// ("over …") instead of failing or showing a wrapped-around number.
type Total struct {
	Value int64 // the sum, or the bound it reached when Over
	Over  bool  // the true sum lies beyond Value
}

// Add returns t+v.
func (t Total) Add(v int64) Total {
	if t.Over {
		return t
	}
	sum, err := Add(t.Value, v)
	if err != nil {
		return saturated(v)
	}
	return Total{Value: sum}
}

// Plus returns t+u.
func (t Total) Plus(u Total) Total {
	if u.Over {
		return t.Add(u.Value).over(u.Value)
	}
	return t.Add(u.Value)
}

// over marks t as beyond its value when it is not already: u, the part added, was itself a
// bound.
func (t Total) over(u int64) Total {
	if t.Over {
		return t
	}
	return saturated(u)
}

// SplitBase is the base in which a database sums amounts in two parts, SUM(amount / SplitBase)
// and SUM(amount % SplitBase), each of which fits an int64 for any number of rows below 2^31:
// neither SQLite nor PostgreSQL can then fail on a sum that overflows.
const SplitBase = 1 << 32

// Joined is the Total of a sum a database computed in two parts (see SplitBase).
func Joined(high, low int64) Total {
	h, err := Mul(high, SplitBase)
	if err != nil {
		return saturated(high)
	}
	return Total{Value: h}.Add(low)
}

func saturated(sign int64) Total {
	if sign < 0 {
		return Total{Value: math.MinInt64, Over: true}
	}
	return Total{Value: math.MaxInt64, Over: true}
}
