package chart

import (
	"math"
	"strconv"
)

// scale maps values in [lo, hi] onto the plot's height, whose bottom is lo.
type scale struct{ lo, hi, step float64 }

// targetTicks is about how many grid lines a chart gets: enough to read a value, few enough that
// their labels never touch at the chart's height.
const targetTicks = 5

// niceScale returns the scale from the nice ticks that hold [lo, hi]: a step of 1, 2 or 5 times
// a power of ten, and bounds that are multiples of it. An empty or zero range gives [0, 1].
func niceScale(lo, hi float64) scale {
	lo, hi = finite(lo), finite(hi)
	if lo > hi {
		lo, hi = hi, lo
	}
	if hi == lo {
		if hi == 0 {
			return scale{0, 1, 0.2}
		}
		if hi > 0 {
			lo = 0
		} else {
			hi = 0
		}
	}
	step := niceStep((hi - lo) / targetTicks)
	s := scale{lo: math.Floor(lo/step) * step, hi: math.Ceil(hi/step) * step, step: step}
	if math.IsInf(s.hi-s.lo, 0) { // beyond float64: keep the data's own bounds
		return scale{lo: lo, hi: hi, step: hi/2 - lo/2}
	}
	return s
}

// niceStep is the smallest of 1, 2, 5 times a power of ten that is at least raw.
func niceStep(raw float64) float64 {
	if !(raw > 0) || math.IsInf(raw, 0) {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= raw*(1-1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// ticks are the scale's values from lo to hi.
func (s scale) ticks() []float64 {
	n := int(math.Round((s.hi - s.lo) / s.step))
	if n < 1 || n > 4*targetTicks {
		return []float64{s.lo, s.hi}
	}
	out := make([]float64, 0, n+1)
	for i := 0; i <= n; i++ {
		out = append(out, s.tidy(s.lo+float64(i)*s.step))
	}
	return out
}

// tidy rounds v to the step's decimals, dropping the sum's residue (0.6000000000000001, -0).
func (s scale) tidy(v float64) float64 {
	d := max(0, int(-math.Floor(math.Log10(s.step))))
	t, err := strconv.ParseFloat(strconv.FormatFloat(v, 'f', d, 64), 64)
	if err != nil || t == 0 {
		return 0
	}
	return t
}

// y is where v lies between top (hi) and bottom (lo), kept inside the plot.
func (s scale) y(v, top, bottom float64) float64 {
	f := (finite(v) - s.lo) / (s.hi - s.lo)
	f = math.Max(0, math.Min(1, finite(f)))
	return round(bottom - f*(bottom-top))
}

// plainNumber writes v with no more decimals than it needs: the default Format.
func plainNumber(v float64) string { return strconv.FormatFloat(finite(v), 'f', -1, 64) }
