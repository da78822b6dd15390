package decide

import (
	_ "embed"
	"encoding/json"
	"sync"
)

//go:embed priors.json
var priorsJSON []byte

// prior is one published win rate.
type prior struct {
	Category   string  `json:"category"` // "" for every category without its own
	PWin       float64 `json:"p_win"`
	Source     string  `json:"source"`
	Year       int     `json:"year"`
	Confidence string  `json:"confidence"`
	Estimate   bool    `json:"estimate"`
	Note       string  `json:"note"`
}

// priorsFile is priors.json as written.
type priorsFile struct {
	Version     string            `json:"version"`
	Date        string            `json:"date"`
	Sources     map[string]string `json:"sources"`
	PriorWeight float64           `json:"prior_weight"`
	Priors      []prior           `json:"priors"`
	// Completeness shifts the log-odds by LogitSlope × (completeness − Reference) / 100.
	Completeness struct {
		Reference  float64 `json:"reference"`
		LogitSlope float64 `json:"logit_slope"`
		Source     string  `json:"source"`
	} `json:"completeness"`
	AlertToChargeback struct {
		Probability float64 `json:"probability"`
		Source      string  `json:"source"`
	} `json:"alert_to_chargeback"`
}

// loadPriors parses the embedded file once. The file is part of the binary, so one that does not
// parse is a build that must not run: it panics; its contents are checked by the tests.
var loadPriors = sync.OnceValue(func() priorsFile {
	var f priorsFile
	if err := json.Unmarshal(priorsJSON, &f); err != nil {
		panic("decide: the embedded priors.json does not parse: " + err.Error())
	}
	return f
})

// priorFor is the published win rate of a category, or the overall one.
func (f priorsFile) priorFor(category string) prior {
	var overall prior
	for _, p := range f.Priors {
		if p.Category == category && category != "" {
			return p
		}
		if p.Category == "" {
			overall = p
		}
	}
	return overall
}

// Version is the version of the priors in use.
func Version() string { return loadPriors().Version }
