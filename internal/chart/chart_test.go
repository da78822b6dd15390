package chart

import (
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
)

func TestNiceTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   []float64
	}{
		{0, 0, []float64{0, 0.2, 0.4, 0.6, 0.8, 1}},
		{0, 7, []float64{0, 2, 4, 6, 8}},
		{0, 100, []float64{0, 20, 40, 60, 80, 100}},
		{0, 0.0183, []float64{0, 0.005, 0.01, 0.015, 0.02}},
		{0, 0.6, []float64{0, 0.2, 0.4, 0.6}},
		{-30, 70, []float64{-40, -20, 0, 20, 40, 60, 80}},
		{5, 5, []float64{0, 1, 2, 3, 4, 5}},
		{0, 9e18, []float64{0, 2e18, 4e18, 6e18, 8e18, 1e19}},
	} {
		if got := niceScale(c.lo, c.hi).ticks(); !reflect.DeepEqual(got, c.want) {
			t.Errorf("ticks of [%v, %v] = %v, want %v", c.lo, c.hi, got, c.want)
		}
	}
}

func TestTicksOfMaxFloatStayFinite(t *testing.T) {
	for _, v := range niceScale(-math.MaxFloat64, math.MaxFloat64).ticks() {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("a tick of the whole float range is %v", v)
		}
	}
}

func percent(v float64) string { return fmt.Sprintf("%.1f %%", v*100) }

func TestLineScalesValuesAndThresholds(t *testing.T) {
	c := Line(Spec{ID: "r", Title: "Ratio", X: []string{"Jan", "Feb", "Mar"}, Format: percent, Series: []Series{
		{Name: "Visa VAMP", Values: []float64{0.005, 0.01, 0.02}, Threshold: []float64{0.022, 0.022, 0.015}},
	}})
	if c.Empty {
		t.Fatal("a chart with values says it is empty")
	}
	top := c.Grid[len(c.Grid)-1]
	if top.Text != "2.5 %" || top.Y != plotTop {
		t.Errorf("the top grid line is %+v, want 2.5 %% at the plot's top: the highest value is the threshold 2.2 %%", top)
	}
	if len(c.Dots) != 3 || c.Dots[2].Y != plotTop+(plotBottom-plotTop)*0.2 {
		t.Errorf("dots %+v: want three, the last (2 %%) a fifth below the top (2.5 %%)", c.Dots)
	}
	if c.Dots[2].Title != "Visa VAMP, Mar: 2.0 %" {
		t.Errorf("the last dot's title is %q", c.Dots[2].Title)
	}
	var dashed []Polyline
	for _, l := range c.Lines {
		if l.Dashed {
			dashed = append(dashed, l)
		}
	}
	if len(dashed) != 1 || strings.Count(dashed[0].Points, ",") != 6 {
		t.Fatalf("the threshold is %+v, want one dashed step line across three categories", dashed)
	}
	if !reflect.DeepEqual(c.Legend, []Key{{Class: "series-0", Text: "Visa VAMP"}, {Class: "series-0", Text: "Visa VAMP threshold", Dashed: true}}) {
		t.Errorf("legend %+v", c.Legend)
	}
}

func TestStackedBarsStack(t *testing.T) {
	c := StackedBars(Spec{ID: "w", Title: "Disputes", X: []string{"2 Mar", "9 Mar"}, Series: []Series{
		{Name: "Chargeback", Values: []float64{3, 0}}, {Name: "Inquiry", Values: []float64{1, 4}},
	}})
	if len(c.Bars) != 3 {
		t.Fatalf("bars %+v: want one per value above zero", c.Bars)
	}
	first, onTop := c.Bars[0], c.Bars[1]
	if math.Abs(onTop.Y+onTop.H-first.Y) > 0.01 || first.X != onTop.X {
		t.Errorf("the inquiry bar %+v does not sit on the chargeback bar %+v", onTop, first)
	}
	if c.Bars[1].Y != plotTop || c.Bars[2].Y != plotTop {
		t.Errorf("both stacks of 4 should reach the top of a 0–4 scale: %+v", c.Bars)
	}
	if c.Bars[2].Title != "Inquiry, 9 Mar: 4" {
		t.Errorf("title %q", c.Bars[2].Title)
	}
}

func TestGroupedBarsSideBySideAndFixedMax(t *testing.T) {
	c := GroupedBars(Spec{ID: "c", Title: "Win rate", X: []string{"fraud"}, Max: 100, Series: []Series{{Name: "Win rate", Values: []float64{50}}}})
	if c.Grid[len(c.Grid)-1].Text != "100" {
		t.Errorf("a percentage's scale ends at %s, want 100", c.Grid[len(c.Grid)-1].Text)
	}
	if b := c.Bars[0]; math.Abs(b.H-(plotBottom-plotTop)/2) > 0.01 {
		t.Errorf("50 of 100 is %v tall, want half the plot", b.H)
	}
	two := GroupedBars(Spec{ID: "m", Title: "Money", X: []string{"Jan"}, Series: []Series{
		{Name: "Recovered", Class: "good", Values: []float64{10}}, {Name: "Lost", Class: "bad", Values: []float64{5}}}})
	if len(two.Bars) != 2 || two.Bars[0].X+two.Bars[0].W > two.Bars[1].X+0.01 || two.Bars[1].Class != "bad" {
		t.Errorf("paired bars %+v: want recovered then lost side by side, with their own classes", two.Bars)
	}
}

func TestEmptyChartsSayNoData(t *testing.T) {
	for name, c := range map[string]Chart{
		"no category": Line(Spec{ID: "a", Title: "A", Series: []Series{{Name: "x"}}}),
		"no series":   StackedBars(Spec{ID: "b", Title: "B", X: []string{"Jan"}}),
		"only zeros":  GroupedBars(Spec{ID: "c", Title: "C", X: []string{"Jan", "Feb"}, Series: []Series{{Name: "x", Values: []float64{0, 0}}}}),
	} {
		if !c.Empty || len(c.Bars)+len(c.Lines)+len(c.Dots)+len(c.Grid) != 0 || c.Desc != "No data." || c.Title == "" {
			t.Errorf("%s: %+v, want an empty chart with its title that says No data", name, c)
		}
	}
}

// every coordinate of c, for the checks that none is undrawable.
func coordinates(c Chart) []float64 {
	out := []float64{c.Width, c.Height}
	for _, g := range c.Grid {
		out = append(out, g.Y)
	}
	for _, b := range c.Bars {
		out = append(out, b.X, b.Y, b.W, b.H)
	}
	for _, d := range c.Dots {
		out = append(out, d.X, d.Y)
	}
	for _, l := range c.XLabels {
		out = append(out, l.X, l.Y)
	}
	return out
}

func TestHugeAndUndrawableValuesStayInside(t *testing.T) {
	values := []float64{math.NaN(), math.Inf(1), math.MaxInt64, math.Inf(-1), 1}
	x := []string{"a", "b", "c", "d", "e"}
	for name, c := range map[string]Chart{
		"line":    Line(Spec{ID: "l", Title: "L", X: x, Series: []Series{{Name: "s", Values: values, Threshold: values}}}),
		"stacked": StackedBars(Spec{ID: "s", Title: "S", X: x, Series: []Series{{Name: "s", Values: values}, {Name: "t", Values: values}}}),
		"grouped": GroupedBars(Spec{ID: "g", Title: "G", X: x, Series: []Series{{Name: "s", Values: values}}}),
	} {
		for _, v := range coordinates(c) {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < -1 || v > Width {
				t.Errorf("%s: a coordinate is %v, outside the viewBox", name, v)
			}
		}
		for _, l := range c.Lines {
			if strings.ContainsAny(l.Points, "NI") {
				t.Errorf("%s: a line's points %q", name, l.Points)
			}
		}
		if strings.Contains(c.Desc, "NaN") || strings.Contains(c.Desc, "Inf") {
			t.Errorf("%s: its description %q", name, c.Desc)
		}
	}
}

func TestLabelsFitTheirRoom(t *testing.T) {
	few := fitLabels([]string{"consumer_dispute", "fraud"}, 200)
	if len(few) != 2 || few[0].Text != "consumer_dispute" {
		t.Errorf("two labels with room: %+v", few)
	}
	cut := fitLabels([]string{"consumer_dispute", "processing_error", "fraud", "authorization", "request", "compliance"}, 69)
	if len(cut) != 6 || cut[0].Text != "consumer…" || cut[0].Full != "consumer_dispute" || cut[2].Full != "" {
		t.Errorf("six categories in 69 units each: %+v, want each shown, the long ones cut with their whole text kept", cut)
	}
	weeks := make([]string, 52)
	for i := range weeks {
		weeks[i] = fmt.Sprintf("%d Mar", i%28+1)
	}
	shown := fitLabels(weeks, float64(plotRight-plotLeft)/52)
	if len(shown) >= 52 || len(shown) < 8 {
		t.Fatalf("52 week labels: %d shown, want some skipped so none overlaps", len(shown))
	}
	for i := 1; i < len(shown); i++ {
		if gap := shown[i].X - shown[i-1].X; gap < float64(len([]rune(shown[i].Text)))*charWidth {
			t.Errorf("labels %q and %q are %v apart: they overlap", shown[i-1].Text, shown[i].Text, gap)
		}
	}
}

func TestAccessibleNames(t *testing.T) {
	c := Line(Spec{ID: "r", Title: "Ratio by month", X: []string{"Jan", "Feb"}, Format: percent,
		Series: []Series{{Name: "Visa VAMP", Values: []float64{0.01, 0.004}}}})
	want := "Ratio by month (Jan to Feb). Visa VAMP: first 1.0 % (Jan), last 0.4 % (Feb), highest 1.0 % (Jan)."
	if c.Title != "Ratio by month" || c.Desc != want {
		t.Errorf("title %q, desc %q, want %q", c.Title, c.Desc, want)
	}
	if d := Line(Spec{ID: "r", Title: "T", Desc: "Given.", X: []string{"Jan"}, Series: []Series{{Name: "s", Values: []float64{1}}}}).Desc; d != "Given." {
		t.Errorf("a given description became %q", d)
	}
}

func TestGauge(t *testing.T) {
	g := NewGauge(GaugeSpec{ID: "g", Title: "Visa VAMP", Value: 0.012, Projected: 0.018, HasProjected: true, Threshold: 0.015,
		Status: "approaching", Format: percent})
	if g.Desc != "Visa VAMP: 1.2 %, projected 1.8 %, threshold 1.5 %: approaching." {
		t.Errorf("desc %q", g.Desc)
	}
	if g.Value.Class != "gauge-approaching" || g.Projected == nil || g.Projected.W <= g.Value.W || g.ThresholdX <= g.Value.X+g.Value.W {
		t.Errorf("gauge %+v: want the value short of the threshold, the projection beyond it", g)
	}
	if g.Labels[1].Text != "2.5 %" {
		t.Errorf("the scale ends at %s, want 2.5 %%: room beyond the 1.5 %% threshold", g.Labels[1].Text)
	}
	over := NewGauge(GaugeSpec{ID: "o", Title: "Mastercard ECP", Value: 0.09, Threshold: 0.015, Status: "excessive", Format: percent})
	if over.Value.X+over.Value.W > trackRight+0.01 || over.Projected != nil {
		t.Errorf("a value six times the threshold leaves the track: %+v", over.Value)
	}
	zero := NewGauge(GaugeSpec{ID: "z", Title: "Amex", Value: math.NaN()})
	if zero.Value.W != 1 || zero.ThresholdX != 0 || zero.Over != nil || zero.Desc != "Amex: 0." {
		t.Errorf("a gauge of nothing: %+v", zero)
	}
}
