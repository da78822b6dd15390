package web

import "net/http"

// merchantRoutes are the pages of the merchant's configuration: the settings (settings.go,
// admins only), the exchange rates (exchangerates.go, staff read, admins write) and the block
// list (blocklist.go, staff). The use cases decide who may: a role
// the API refuses gets the 403 page here too.
func (s *Server) merchantRoutes() {
	m := s.mux
	page := func(h http.HandlerFunc) http.HandlerFunc { return s.signedIn(true, h) }
	m.HandleFunc("GET /settings", page(s.settingsPage))
	m.HandleFunc("POST /settings", page(s.saveSettings))
	m.HandleFunc("GET /settings/exchange-rates", page(s.exchangeRatesPage))
	m.HandleFunc("POST /settings/exchange-rates", page(s.recordExchangeRate))
	m.HandleFunc("POST /settings/exchange-rates/{id}/delete", page(s.deleteExchangeRate))
	m.HandleFunc("GET /blocklist", page(s.blocklistPage))
	m.HandleFunc("POST /blocklist", page(s.addBlock))
	m.HandleFunc("POST /blocklist/{id}/delete", page(s.unblock))
}
