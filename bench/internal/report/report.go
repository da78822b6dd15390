// Package report holds what a benchmark measured, each figure with its target, and prints it:
// a Markdown table for people, JSON lines for bench/all, which gathers the figures of every
// benchmark into one table.
package report

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strings"
)

// Figure is one measured value.
type Figure struct {
	Bench  string  `json:"bench"`
	Store  string  `json:"store"`
	Name   string  `json:"name"`
	Value  float64 `json:"value"`
	Unit   string  `json:"unit"`
	Target string  `json:"target,omitempty"` // "≥ 5000 /s"; empty when the figure has none
	Met    bool    `json:"met,omitempty"`
}

// Report collects the figures of one benchmark on one store.
type Report struct {
	Bench, Store string
	Figures      []Figure
}

// Add records a figure without a target.
func (r *Report) Add(name string, value float64, unit string) {
	r.Figures = append(r.Figures, Figure{Bench: r.Bench, Store: r.Store, Name: name, Value: value, Unit: unit})
}

// AtLeast records a figure whose target is a floor.
func (r *Report) AtLeast(name string, value float64, unit string, floor float64) {
	r.Figures = append(r.Figures, Figure{Bench: r.Bench, Store: r.Store, Name: name, Value: value, Unit: unit,
		Target: "≥ " + format(floor, unit), Met: value >= floor})
}

// Below records a figure whose target is a ceiling it must stay under.
func (r *Report) Below(name string, value float64, unit string, ceiling float64) {
	r.Figures = append(r.Figures, Figure{Bench: r.Bench, Store: r.Store, Name: name, Value: value, Unit: unit,
		Target: "< " + format(ceiling, unit), Met: value < ceiling})
}

// Missed reports whether a figure missed its target.
func (r *Report) Missed() bool {
	for _, f := range r.Figures {
		if f.Target != "" && !f.Met {
			return true
		}
	}
	return false
}

// Write prints the figures, as JSON lines when asJSON, else as a Markdown table.
func (r *Report) Write(w io.Writer, asJSON bool) error {
	if !asJSON {
		return Table(w, r.Figures)
	}
	enc := json.NewEncoder(w)
	for _, f := range r.Figures {
		if err := enc.Encode(f); err != nil {
			return err
		}
	}
	return nil
}

// Read reads the JSON lines Write printed, skipping any other line.
func Read(rd io.Reader) ([]Figure, error) {
	var out []Figure
	sc := bufio.NewScanner(rd)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "{") {
			continue
		}
		var f Figure
		if err := json.Unmarshal([]byte(line), &f); err != nil {
			return nil, fmt.Errorf("report line %q: %w", line, err)
		}
		out = append(out, f)
	}
	return out, sc.Err()
}

// Table prints figures as one Markdown table: bench, store, figure, value, target, met?
func Table(w io.Writer, figures []Figure) error {
	var b strings.Builder
	b.WriteString("| bench | store | figure | value | target | met? |\n| --- | --- | --- | ---: | --- | --- |\n")
	for _, f := range figures {
		met := ""
		if f.Target != "" {
			met = "no"
			if f.Met {
				met = "yes"
			}
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", f.Bench, f.Store, f.Name, format(f.Value, f.Unit), f.Target, met)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// format writes a value with its unit, with as many decimals as its size deserves and no
// trailing zeros.
func format(v float64, unit string) string {
	var s string
	switch a := math.Abs(v); {
	case a >= 1000:
		s = thousands(int64(math.Round(v)))
	case a >= 100 || a == 0:
		s = fmt.Sprintf("%.0f", v)
	case a >= 10:
		s = fmt.Sprintf("%.1f", v)
	default:
		s = fmt.Sprintf("%.2f", v)
	}
	if strings.Contains(s, ".") { // 20.0 → 20, 0.50 → 0.5
		s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	}
	if unit == "" {
		return s
	}
	return s + " " + unit
}

// thousands groups the digits by three with commas.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
