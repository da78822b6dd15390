// Package chart lays out the Analytics page's charts (lines, stacked and grouped bars) and the
// dashboard's ratio gauge as geometry: rectangles, polylines, dots and text at coordinates in a
// fixed viewBox, which a template draws as SVG. It does no I/O and writes no markup, so every
// user-supplied word reaches the page through html/template's escaping, and every number it
// returns is finite: a NaN or an infinity in the data is drawn as zero.
package chart

import "math"

// The viewBox of the line and bar charts. The page scales it to its column (width 100 %); it is
// narrow enough that its 12-unit text stays readable on a 390 px phone (about 10 px).
const (
	Width      = 420
	Height     = 260
	plotLeft   = 56 // room for the y axis' labels
	plotRight  = Width - 8
	plotTop    = 10
	plotBottom = Height - 30 // room for the x axis' labels
	labelY     = plotBottom + 18
	charWidth  = 6.8 // the average advance of a 12-unit label, for fitting labels
)

// Chart is a line or bar chart ready to draw.
type Chart struct {
	ID          string // the svg's id, prefix of its title's and description's ids
	Title, Desc string
	Width       float64
	Height      float64
	// Empty: there is nothing to draw; the chart says NoData instead, in its middle.
	Empty  bool
	NoData Label
	// The plot area, for the axes.
	Left, Top, Right, Bottom float64
	Grid                     []Tick  // horizontal grid lines with their value
	XLabels                  []Label // the categories under the plot
	Bars                     []Bar
	Lines                    []Polyline
	Dots                     []Dot
	Legend                   []Key // in text, beside the chart
}

// Tick is a value on the y axis: a grid line at Y and its label, which ends at X.
type Tick struct {
	X, Y float64
	Text string
}

// Label is a text at X, Y on its baseline, anchored there by its middle unless Anchor says
// "start" or "end"; Full is the whole text when Text was shortened to fit.
type Label struct {
	X, Y   float64
	Anchor string
	Text   string
	Full   string
}

// Bar is a rectangle; Title says what it shows ("Chargeback, 2 Mar: 4").
type Bar struct {
	X, Y, W, H float64
	Class      string
	Title      string
}

// Polyline is a line through Points ("x,y x,y …"); a dashed line is a threshold.
type Polyline struct {
	Points string
	Class  string
	Dashed bool
	Title  string
}

// Dot marks one value of a line.
type Dot struct {
	X, Y  float64
	Class string
	Title string
}

// Key is one entry of a chart's legend: the class that colours the series and its name.
type Key struct {
	Class  string
	Text   string
	Dashed bool
}

// Series is one named row of values, one per category of the chart.
type Series struct {
	Name string
	// Class colours the series (a class of the stylesheet); "" gives series-0, series-1, … in
	// the series' order.
	Class  string
	Values []float64
	// Threshold, for a line chart, is the reference each value is held against, drawn dashed
	// across its category; 0 (or a missing entry) draws none there.
	Threshold []float64
}

// Spec describes a line or bar chart.
type Spec struct {
	ID, Title string
	// Desc describes the chart to who cannot see it; "" gives one made from the data.
	Desc   string
	X      []string // the categories, left to right
	Series []Series
	// Format writes a value for the axis and the titles; nil writes it as a number.
	Format func(float64) string
	// Max, when above 0, is the top of the scale (100 for a percentage) unless a value is above it.
	Max float64
}

// finite is v, or 0 when v is not a number or infinite, so that nothing undrawable reaches the
// SVG.
func finite(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}

// round keeps two decimals of a coordinate: enough for any screen, and short in the markup.
func round(v float64) float64 { return math.Round(finite(v)*100) / 100 }
