package main

import "net/http"

// strictTransport adds Strict-Transport-Security to every answer, the API's and the web UI's,
// errors included: once a browser has seen it over https, it never again sends the session
// cookie, or a password, in clear text to this host, even through an http:// link (for a year,
// renewed by each answer).
func strictTransport(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Strict-Transport-Security", "max-age=31536000")
		next.ServeHTTP(w, r)
	})
}
