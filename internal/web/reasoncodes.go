package web

import (
	"net/http"
	"slices"

	"disputed/internal/reasoncode"
)

// reasonCodesPage is the reason-code catalogue for the merchant's staff: what each network's codes
// mean and what wins them, filtered by network and family, as GET /v1/reason_codes gives them.
type reasonCodesPage struct {
	Networks   []reasoncode.Network
	Categories []reasoncode.Category
	Network    string
	Category   string
	Codes      []reasoncode.Entry
	Version    string
}

// reasonCategories are the families in the order the filter offers them.
var reasonCategories = []reasoncode.Category{reasoncode.Fraud, reasoncode.Authorization, reasoncode.ProcessingError,
	reasoncode.ConsumerDispute, reasoncode.Request, reasoncode.Compliance}

func (s *Server) reasonCodesPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p := reasonCodesPage{Networks: reasoncode.Networks(), Categories: reasonCategories, Version: reasoncode.Version()}
	// A filter value the catalogue does not have shows everything rather than an error page:
	// the filters are select boxes, and an edited address is the only way to another value.
	if slices.ContainsFunc(p.Networks, func(n reasoncode.Network) bool { return n.Network == q.Get("network") }) {
		p.Network = q.Get("network")
	}
	if c := reasoncode.Category(q.Get("category")); c.Valid() {
		p.Category = string(c)
	}
	p.Codes = reasoncode.List(p.Network, reasoncode.Category(p.Category))
	s.render(w, r, http.StatusOK, "reasoncodes.html", "Reason codes", p)
}
