package fault

import "net/http"

// httpStatus is the HTTP status of each kind of failure. Both the API and the web pages answer
// with it, so a failure has the same status whichever door the request came through.
var httpStatus = [...]int{
	Internal:        http.StatusInternalServerError,
	Malformed:       http.StatusBadRequest,
	Unauthenticated: http.StatusUnauthorized,
	Forbidden:       http.StatusForbidden,
	NotFound:        http.StatusNotFound,
	Conflict:        http.StatusConflict,
	TooLarge:        http.StatusRequestEntityTooLarge,
	Unsupported:     http.StatusUnsupportedMediaType,
	Invalid:         http.StatusUnprocessableEntity,
	RateLimited:     http.StatusTooManyRequests,
	Unavailable:     http.StatusServiceUnavailable,
}

// HTTPStatus is the status a failure of kind k is answered with; an unknown kind is a defect: 500.
func (k Kind) HTTPStatus() int {
	if k < 0 || int(k) >= len(httpStatus) {
		return http.StatusInternalServerError
	}
	return httpStatus[k]
}
