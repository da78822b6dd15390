package httpapi

import (
	"errors"
	"net/http"

	"disputed/internal/bytesize"
	"disputed/internal/dispute"
	"disputed/internal/fault"
)

// Request body limits, by what a route reads. Every route of the table names its own; a body
// over it is answered 413 and nothing is done.
const (
	// noBody is for routes that read nothing (GET, DELETE): any body is refused. It is the zero
	// value, so that a route that reads a body and forgets to name its limit refuses every one.
	noBody int64 = 0
	// smallJSON fits any request of a few bounded fields: the longest text field (a note) has
	// 10,000 characters, 60 KB even when every one is sent as a \u escape.
	smallJSON int64 = 64 << 10
	// largeJSON fits an order of up to 500 items and a dispute's evidence dictionary (Stripe
	// accepts up to 150,000 characters of evidence text).
	largeJSON int64 = 1 << 20
	// providerEvent fits the largest event a provider sends: a Stripe dispute update carries the
	// evidence text twice (the dispute and its previous attributes), up to 1.8 MB escaped. A
	// provider whose event is refused would retry it in vain, so the limit errs on the large side.
	providerEvent int64 = 2 << 20
	// evidenceUpload is an evidence file of up to 10 MiB with the form's other fields, the same
	// rule as the web UI's upload.
	evidenceUpload int64 = dispute.MaxFileBytes + 1<<20
)

// limitBody holds every request body to its route's limit, so that nothing behind it (the
// idempotency record, huma, a handler reading by hand) reads more: a body that declares a
// larger length is refused before it is read, and one sent without a length fails the read that
// crosses the limit (see tooLarge).
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, pattern := s.mux.Handler(r)
		limit, routed := s.bodyLimit[pattern]
		if !routed { // no route: notFound answers without reading
			next.ServeHTTP(w, r)
			return
		}
		if r.ContentLength > limit {
			writeError(w, bodyTooLarge(limit))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit)
		next.ServeHTTP(w, r)
	})
}

// tooLarge is the answer to a body read that crossed the route's limit set by limitBody.
func tooLarge(err error) (*apiError, bool) {
	var mbe *http.MaxBytesError
	if !errors.As(err, &mbe) {
		return nil, false
	}
	return bodyTooLarge(mbe.Limit), true
}

func bodyTooLarge(limit int64) *apiError {
	if limit == noBody {
		return newAPIError(http.StatusRequestEntityTooLarge, fault.CodeBodyTooLarge, "", "this route takes no request body")
	}
	return newAPIError(http.StatusRequestEntityTooLarge, fault.CodeBodyTooLarge, "", "the request body is larger than this route's limit of "+bytesize.Format(limit))
}
