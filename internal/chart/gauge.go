package chart

import (
	"fmt"
	"math"
)

// The gauge's viewBox: a horizontal scale, short enough to sit in a dashboard card.
const (
	GaugeWidth  = 320
	GaugeHeight = 64
	trackLeft   = 8
	trackRight  = GaugeWidth - 8
	trackTop    = 18
	trackBottom = 38
)

// GaugeSpec describes a ratio held against its threshold.
type GaugeSpec struct {
	ID, Title string
	Value     float64
	// Projected is where the value is heading (the month's end at its pace), drawn as an outline.
	Projected    float64
	HasProjected bool
	Threshold    float64 // 0: none
	// Status is the value's standing in words (ok, approaching, excessive): the class that
	// colours its bar, and the end of the description.
	Status string
	// Format writes a value; nil writes it as a number.
	Format func(float64) string
}

// Gauge is a ratio on a horizontal scale from zero, with its threshold marked, ready to draw.
type Gauge struct {
	ID, Title, Desc string
	Width, Height   float64
	Track           Bar  // the whole scale
	Over            *Bar // the part of the scale beyond the threshold
	Value           Bar
	Projected       *Bar
	// The threshold's mark, a little taller than the track; ThresholdX 0: no threshold.
	ThresholdX, ThresholdTop, ThresholdBottom float64
	Labels                                    []Label
}

// NewGauge lays out g on a scale that shows the threshold with room beyond it, and the value and
// projection however high they are.
func NewGauge(g GaugeSpec) Gauge {
	format := g.Format
	if format == nil {
		format = plainNumber
	}
	v, p, t := math.Max(0, finite(g.Value)), math.Max(0, finite(g.Projected)), math.Max(0, finite(g.Threshold))
	if !g.HasProjected {
		p = 0
	}
	sc := niceScale(0, math.Max(t*1.5, math.Max(v, p)))
	x := func(v float64) float64 {
		f := math.Max(0, math.Min(1, finite(v/sc.hi)))
		return round(trackLeft + f*(trackRight-trackLeft))
	}
	out := Gauge{ID: g.ID, Title: g.Title, Width: GaugeWidth, Height: GaugeHeight,
		Track: Bar{X: trackLeft, Y: trackTop, W: trackRight - trackLeft, H: trackBottom - trackTop, Class: "gauge-track"},
		Value: Bar{X: trackLeft, Y: trackTop + 5, W: math.Max(1, x(v)-trackLeft), H: trackBottom - trackTop - 10, Class: "gauge-" + g.Status,
			Title: g.Title + ": " + format(v)},
		Labels: []Label{{X: trackLeft, Y: GaugeHeight - 8, Anchor: "start", Text: format(0)},
			{X: trackRight, Y: GaugeHeight - 8, Anchor: "end", Text: format(sc.hi)}}}
	out.Desc = fmt.Sprintf("%s: %s", g.Title, format(v))
	if g.HasProjected {
		out.Projected = &Bar{X: trackLeft, Y: trackTop + 1, W: math.Max(1, x(p)-trackLeft), H: trackBottom - trackTop - 2, Class: "gauge-projected",
			Title: "projected: " + format(p)}
		out.Desc += ", projected " + format(p)
	}
	if t > 0 {
		out.ThresholdX, out.ThresholdTop, out.ThresholdBottom = x(t), trackTop-4, trackBottom+4
		out.Over = &Bar{X: out.ThresholdX, Y: trackTop, W: round(trackRight - out.ThresholdX), H: trackBottom - trackTop, Class: "gauge-over"}
		anchor := "middle"
		switch {
		case out.ThresholdX < trackLeft+60:
			anchor = "start"
		case out.ThresholdX > trackRight-60:
			anchor = "end"
		}
		out.Labels = append(out.Labels, Label{X: out.ThresholdX, Y: trackTop - 5, Anchor: anchor, Text: "threshold " + format(t)})
		out.Desc += ", threshold " + format(t)
	}
	if g.Status != "" {
		out.Desc += ": " + g.Status
	}
	out.Desc += "."
	return out
}
