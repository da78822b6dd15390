package web_test

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/chromedp/chromedp"

	"disputed/internal/actor"
	"disputed/internal/app"
	"disputed/internal/testenv"
	"disputed/internal/testenv/browsertest"
)

// chartBox is where a chart's svg lies on the page, in CSS pixels, and what it holds.
type chartBox struct {
	ID                  string
	X, Y, Width, Height float64
	Marks               int     // bars, dots and lines drawn
	Drawn               float64 // the area its content covers (getBBox), in the svg's units
}

// chartBoxes reads every chart and gauge of the page.
const chartBoxes = `[...document.querySelectorAll("svg.chart-svg, svg.gauge-svg")].map(s => {
	const r = s.getBoundingClientRect(), b = s.getBBox();
	return {ID: s.id, X: r.left + scrollX, Y: r.top + scrollY, Width: r.width, Height: r.height,
		Marks: s.querySelectorAll("rect, circle, polyline").length, Drawn: b.width * b.height};
})`

// inked counts the pixels inside box that are not the card's white: what the chart drew.
func inked(img image.Image, box chartBox, scale float64) int {
	n := 0
	for y := int(box.Y * scale); y < int((box.Y+box.Height)*scale); y++ {
		for x := int(box.X * scale); x < int((box.X+box.Width)*scale); x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if r < 0xf000 || g < 0xf000 || b < 0xf000 {
				n++
			}
		}
	}
	return n
}

// TestBrowserAnalyticsChartsDraw loads the Analytics page and the dashboard at 390 px and at
// 1280 px: nothing scrolls sideways, no CSP violation is logged, every chart has marks and a
// drawn box, and in a screenshot of the whole page each chart's box is not blank.
func TestBrowserAnalyticsChartsDraw(t *testing.T) {
	t.Parallel()
	e := testenv.New(t, "sqlite", testenv.Options{})
	c := e.Serve()
	// A dispute won and one lost, so that every chart has something to draw.
	won := e.Dispute(e.Sale(testenv.SaleParams{Amount: 4999}), "chargeback", func(p *app.DisputeParams) { p.Reason = "fraudulent" })
	lost := e.Dispute(e.Sale(testenv.SaleParams{Amount: 2500}), "chargeback", func(p *app.DisputeParams) { p.Reason = "product_not_received" })
	e.Dispute(e.Sale(testenv.SaleParams{Amount: 1200}), "inquiry")
	testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, won.ID, nil, app.ResolveParams{Resolution: "won"}))(t)
	testenv.Must(e.App.ResolveDispute(e.Ctx, testenv.Admin, lost.ID, nil, app.ResolveParams{Resolution: "lost"}))(t)
	ctx := browsertest.NewSignedIn(t, e, c, actor.Admin, "")
	log := watchCSPConsole(ctx)

	for _, width := range []int64{390, 1280} {
		browsertest.Do(t, ctx, chromedp.EmulateViewport(width, 900, chromedp.EmulateMobile))
		for _, p := range []struct {
			name, path, ready string
			charts            int
		}{{"analytics", "/analytics", "#chart-money", 4}, {"dashboard", "/", "#urgency-counts", 0}} {
			htmxPageReady(t, ctx, c.URL+p.path, p.ready)
			if w := browsertest.Eval[int](t, ctx, `document.documentElement.scrollWidth`); w > int(width) {
				t.Errorf("%s is %d px wide in a %d px window: it scrolls sideways", p.path, w, width)
			}
			boxes := browsertest.Eval[[]chartBox](t, ctx, chartBoxes)
			if len(boxes) < p.charts {
				t.Fatalf("%s at %d px has %d charts, want at least %d", p.path, width, len(boxes), p.charts)
			}
			shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("screenshot: %v", err)
			}
			img, err := png.Decode(bytes.NewReader(shot))
			if err != nil {
				t.Fatalf("the screenshot is not a PNG: %v", err)
			}
			if dir := os.Getenv("SCREENSHOTS"); dir != "" {
				_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("%s-%d.png", p.name, width)), shot, 0o644)
			}
			page := browsertest.Eval[float64](t, ctx, `document.documentElement.scrollWidth`)
			scale := float64(img.Bounds().Dx()) / page
			for _, b := range boxes {
				if b.Width <= 0 || b.Width > float64(width) || b.Marks == 0 || b.Drawn <= 0 {
					t.Errorf("%s at %d px: chart %s is %+v: want it inside the window with marks drawn", p.path, width, b.ID, b)
				}
				// The grid, axis and labels alone ink a few percent of the box; the marks more.
				if ink := inked(img, b, scale); float64(ink) < 0.05*b.Width*b.Height*scale*scale {
					t.Errorf("%s at %d px: chart %s is nearly blank in the screenshot (%d pixels inked of %.0f)", p.path, width, b.ID, ink, b.Width*b.Height)
				}
			}
		}
	}
	if v := log.violations(); len(v) > 0 {
		t.Errorf("the pages logged CSP violations: %q", v)
	}
}
