package chart

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// palette is how many series classes the stylesheet colours (series-0 … series-5).
const palette = 6

// frame is what every line and bar chart shares: the categories' slots, the scale, the axes.
type frame struct {
	spec   Spec
	sc     scale
	slot   float64
	format func(float64) string
}

// newFrame lays out the axes of s for values in [lo, hi] and returns the chart so far.
func newFrame(s Spec, lo, hi float64) (Chart, frame) {
	if s.Max > 0 {
		hi = math.Max(hi, s.Max)
	}
	f := frame{spec: s, sc: niceScale(math.Min(0, lo), hi), format: s.Format}
	if f.format == nil {
		f.format = plainNumber
	}
	c := Chart{ID: s.ID, Title: s.Title, Desc: s.Desc, Width: Width, Height: Height,
		Left: plotLeft, Top: plotTop, Right: plotRight, Bottom: plotBottom, Empty: empty(s)}
	if c.Empty {
		if c.Desc == "" {
			c.Desc = "No data."
		}
		c.NoData = Label{X: Width / 2, Y: Height / 2, Anchor: "middle", Text: "No data"}
		return c, f
	}
	f.slot = float64(plotRight-plotLeft) / float64(len(s.X))
	for _, v := range f.sc.ticks() {
		c.Grid = append(c.Grid, Tick{X: plotLeft - 6, Y: f.sc.y(v, plotTop, plotBottom), Text: f.format(v)})
	}
	c.XLabels = fitLabels(s.X, f.slot)
	for i, sr := range s.Series {
		c.Legend = append(c.Legend, Key{Class: f.class(i), Text: sr.Name})
	}
	if c.Desc == "" {
		c.Desc = describe(s, f.format)
	}
	return c, f
}

// empty: no category, no series, or nothing but zeros to draw.
func empty(s Spec) bool {
	if len(s.X) == 0 || len(s.Series) == 0 {
		return true
	}
	for _, sr := range s.Series {
		for i := range s.X {
			if value(sr.Values, i) != 0 || value(sr.Threshold, i) != 0 {
				return false
			}
		}
	}
	return true
}

// value is vs[i], 0 when missing or not finite.
func value(vs []float64, i int) float64 {
	if i >= len(vs) {
		return 0
	}
	return finite(vs[i])
}

func (f frame) class(i int) string {
	if c := f.spec.Series[i].Class; c != "" {
		return c
	}
	return "series-" + strconv.Itoa(i%palette)
}

// centre is the middle of category i.
func (f frame) centre(i int) float64 { return round(plotLeft + f.slot*(float64(i)+0.5)) }

func (f frame) y(v float64) float64 { return f.sc.y(v, plotTop, plotBottom) }

func (f frame) title(series string, i int, v float64) string {
	return fmt.Sprintf("%s, %s: %s", series, f.spec.X[i], f.format(v))
}

// Line draws one line per series over the categories, a dot on each value, and each series'
// threshold as a dashed step line across the categories where it has one.
func Line(s Spec) Chart {
	lo, hi := 0.0, 0.0
	for _, sr := range s.Series {
		for i := range s.X {
			v, t := value(sr.Values, i), value(sr.Threshold, i)
			lo, hi = math.Min(lo, math.Min(v, t)), math.Max(hi, math.Max(v, t))
		}
	}
	c, f := newFrame(s, lo, hi)
	if c.Empty {
		return c
	}
	for k, sr := range s.Series {
		class := f.class(k)
		var pts []string
		for i := range s.X {
			v := value(sr.Values, i)
			x, y := f.centre(i), f.y(v)
			pts = append(pts, point(x, y))
			c.Dots = append(c.Dots, Dot{X: x, Y: y, Class: class, Title: f.title(sr.Name, i, v)})
		}
		c.Lines = append(c.Lines, Polyline{Points: strings.Join(pts, " "), Class: class, Title: sr.Name})
		thresholds := f.thresholdLines(sr, class)
		if len(thresholds) > 0 {
			c.Lines = append(c.Lines, thresholds...)
			c.Legend = append(c.Legend, Key{Class: class, Text: sr.Name + " threshold", Dashed: true})
		}
	}
	return c
}

// thresholdLines are the dashed steps of a series' threshold, one line per run of categories
// that have one.
func (f frame) thresholdLines(sr Series, class string) []Polyline {
	var out []Polyline
	var run []string
	flush := func() {
		if len(run) > 0 {
			out = append(out, Polyline{Points: strings.Join(run, " "), Class: class, Dashed: true, Title: sr.Name + " threshold"})
			run = nil
		}
	}
	for i := range f.spec.X {
		t := value(sr.Threshold, i)
		if t == 0 {
			flush()
			continue
		}
		y := f.y(t)
		run = append(run, point(round(plotLeft+f.slot*float64(i)), y), point(round(plotLeft+f.slot*float64(i+1)), y))
	}
	flush()
	return out
}

// StackedBars draws one bar per category made of each series' value stacked in order; values
// below zero count as zero (a stack of counts).
func StackedBars(s Spec) Chart {
	hi := 0.0
	for i := range s.X {
		sum := 0.0
		for _, sr := range s.Series {
			sum += math.Max(0, value(sr.Values, i))
		}
		hi = math.Max(hi, finite(sum))
	}
	c, f := newFrame(s, 0, hi)
	if c.Empty {
		return c
	}
	w := f.slot * 0.7
	for i := range s.X {
		base := 0.0
		for k, sr := range s.Series {
			v := math.Max(0, value(sr.Values, i))
			if v == 0 {
				continue
			}
			top := finite(base + v)
			c.Bars = append(c.Bars, f.bar(f.centre(i)-w/2, w, base, top, f.class(k), f.title(sr.Name, i, v)))
			base = top
		}
	}
	return c
}

// GroupedBars draws the series' values side by side in each category.
func GroupedBars(s Spec) Chart {
	lo, hi := 0.0, 0.0
	for _, sr := range s.Series {
		for i := range s.X {
			v := value(sr.Values, i)
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
	}
	c, f := newFrame(s, lo, hi)
	if c.Empty {
		return c
	}
	w := f.slot * 0.8 / float64(len(s.Series))
	for i := range s.X {
		left := f.centre(i) - f.slot*0.4
		for k, sr := range s.Series {
			v := value(sr.Values, i)
			if v == 0 {
				continue
			}
			c.Bars = append(c.Bars, f.bar(left+float64(k)*w, w, 0, v, f.class(k), f.title(sr.Name, i, v)))
		}
	}
	return c
}

// bar is the rectangle from value from to value to, at least a hair tall so that a value too
// small for the scale still shows.
func (f frame) bar(x, w, from, to float64, class, title string) Bar {
	y1, y2 := f.y(from), f.y(to)
	top, h := math.Min(y1, y2), math.Abs(y1-y2)
	if h < 1 {
		top, h = math.Min(y1, y2)-1+h, 1
	}
	return Bar{X: round(x), Y: round(top), W: round(w), H: round(h), Class: class, Title: title}
}

func point(x, y float64) string {
	return strconv.FormatFloat(round(x), 'f', -1, 64) + "," + strconv.FormatFloat(round(y), 'f', -1, 64)
}

// fitLabels places the categories' labels under their slots: every one when they fit, else
// every second, third … one; a label longer than its room is cut with "…" (Full keeps it).
func fitLabels(x []string, slot float64) []Label {
	longest := 0
	for _, l := range x {
		longest = max(longest, utf8.RuneCountInString(l))
	}
	const shortest = 6 // a label is cut to no fewer runes before labels are skipped
	every := 1
	for every < len(x) && float64(min(longest, shortest))*charWidth > slot*float64(every)-4 {
		every++
	}
	room := max(1, int((slot*float64(every)-4)/charWidth))
	var out []Label
	for i := 0; i < len(x); i += every {
		l := Label{X: round(plotLeft + slot*(float64(i)+0.5)), Y: labelY, Anchor: "middle", Text: x[i]}
		if r := []rune(x[i]); len(r) > room {
			l.Text, l.Full = string(r[:max(1, room-1)])+"…", x[i]
		}
		out = append(out, l)
	}
	return out
}

// describe says what a chart shows, for who cannot see it: its categories' span, and each
// series' first, last and highest value.
func describe(s Spec, format func(float64) string) string {
	var b strings.Builder
	first, last := s.X[0], s.X[len(s.X)-1]
	fmt.Fprintf(&b, "%s (%s to %s).", s.Title, first, last)
	for _, sr := range s.Series {
		top := 0
		for i := range s.X {
			if value(sr.Values, i) > value(sr.Values, top) {
				top = i
			}
		}
		fmt.Fprintf(&b, " %s: first %s (%s), last %s (%s), highest %s (%s).", sr.Name, format(value(sr.Values, 0)), first,
			format(value(sr.Values, len(s.X)-1)), last, format(value(sr.Values, top)), s.X[top])
	}
	return b.String()
}
