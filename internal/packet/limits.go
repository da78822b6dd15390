package packet

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
)

//go:embed limits.json
var limitsFile []byte

// Limit is what a provider or a card network accepts as a dispute's evidence.
type Limit struct {
	Name     string   `json:"name"`
	Provider string   `json:"provider,omitempty"` // the provider type it holds for; "" for any
	Network  string   `json:"network,omitempty"`  // the card network it holds for; "" for any
	MaxBytes int64    `json:"max_bytes,omitempty"`
	MaxPages int      `json:"max_pages,omitempty"`
	About    string   `json:"about"`
	Sources  []string `json:"sources"`
}

type limitsData struct {
	Version string            `json:"version"`
	Sources map[string]string `json:"sources"`
	Limits  []Limit           `json:"limits"`
}

var limits = mustLimits()

func mustLimits() limitsData {
	var d limitsData
	if err := json.Unmarshal(limitsFile, &d); err != nil || d.Version == "" {
		panic(fmt.Sprintf("packet: limits.json: %v", err))
	}
	return d
}

// LimitsVersion is the version of the limits table.
func LimitsVersion() string { return limits.Version }

// LimitsFor are the limits a packet for a dispute with this provider type and card network must
// fit, in the table's order.
func LimitsFor(providerType, network string) []Limit {
	var out []Limit
	for _, l := range limits.Limits {
		if (l.Provider == "" || l.Provider == providerType) && (l.Network == "" || l.Network == network) {
			out = append(out, l)
		}
	}
	return out
}

// Excess is one limit a packet goes over.
type Excess struct {
	Limit Limit
	Pages int   // pages over the limit; 0 when the pages fit
	Bytes int64 // bytes over the limit; 0 when the size fits
}

// Fit reports the limits r goes over.
func (r Result) Fit(ls []Limit) []Excess {
	var out []Excess
	for _, l := range ls {
		e := Excess{Limit: l}
		if l.MaxPages > 0 && r.Pages > l.MaxPages {
			e.Pages = r.Pages - l.MaxPages
		}
		if l.MaxBytes > 0 && int64(len(r.PDF)) > l.MaxBytes {
			e.Bytes = int64(len(r.PDF)) - l.MaxBytes
		}
		if e.Pages > 0 || e.Bytes > 0 {
			out = append(out, e)
		}
	}
	return out
}

// ToCut names the exhibits whose removal would bring the packet within every excess: the
// largest first (by pages where pages are over, by bytes where bytes are), so that the merchant
// cuts as little as possible. Cutting part of an exhibit (a long log, a big photo) is often
// enough; the names say which to look at.
func (r Result) ToCut(excess []Excess) []ExhibitResult {
	var pages int
	var bytes int64
	for _, e := range excess {
		pages = max(pages, e.Pages)
		bytes = max(bytes, e.Bytes)
	}
	candidates := append([]ExhibitResult(nil), r.Exhibits...)
	var out []ExhibitResult
	for (pages > 0 || bytes > 0) && len(candidates) > 0 {
		best := 0
		for i, c := range candidates {
			if weight(c, pages, bytes) > weight(candidates[best], pages, bytes) {
				best = i
			}
		}
		c := candidates[best]
		candidates = append(candidates[:best], candidates[best+1:]...)
		out = append(out, c)
		pages -= c.Pages
		bytes -= c.Bytes
	}
	return out
}

// weight orders exhibits for cutting: what is over counts, pages before bytes.
func weight(e ExhibitResult, pages int, bytes int64) int64 {
	var w int64
	if pages > 0 {
		w += int64(e.Pages) << 40
	}
	if bytes > 0 {
		w += e.Bytes
	}
	return w
}

// Describe says an excess in words: "Mastercard: 23 pages, 4 over its 19".
func (e Excess) Describe(r Result) string {
	var parts []string
	if e.Pages > 0 {
		parts = append(parts, fmt.Sprintf("%d pages, %d over its %d", r.Pages, e.Pages, e.Limit.MaxPages))
	}
	if e.Bytes > 0 {
		parts = append(parts, fmt.Sprintf("%d bytes, %d over its %d", len(r.PDF), e.Bytes, e.Limit.MaxBytes))
	}
	return e.Limit.Name + ": " + strings.Join(parts, "; ")
}
