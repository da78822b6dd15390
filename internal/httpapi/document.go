package httpapi

import (
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/danielgtaylor/huma/v2"
)

// errorResponses is what each client error status of the API means, for the document. Which of
// them an operation declares is derived from the operation by clientErrors.
var errorResponses = map[int]string{
	http.StatusBadRequest:            "The request is malformed: an unknown query parameter or body field, a value of the wrong type, unreadable JSON",
	http.StatusUnauthorized:          "No API key, or one that is unknown or revoked",
	http.StatusForbidden:             "The API key's role may not do this",
	http.StatusNotFound:              "No such object, or one this key may not see",
	http.StatusConflict:              "The object changed (revision_conflict), its state does not allow this (invalid_state), or a request with this Idempotency-Key is still running",
	http.StatusRequestEntityTooLarge: "The body is larger than this route's limit",
	http.StatusUnsupportedMediaType:  "The body is not of a type this route reads",
	http.StatusUnprocessableEntity:   "A value is well-formed but not acceptable; param names it",
	http.StatusTooManyRequests:       "Over the rate limit; Retry-After says when to try again",
}

// SetServerURL names, in the document's servers, the address where clients reach the API (the
// public URL, or the address listened on), so that a generated client needs no base URL of its
// own. Call it before serving.
func (s *Server) SetServerURL(u string) {
	s.api.OpenAPI().Servers = []*huma.Server{{URL: strings.TrimSuffix(u, "/"), Description: "this server"}}
}

// finishDocument completes the OpenAPI document once every route is registered: the client
// errors each operation can answer, and the query parameters each declares, which knownQuery
// enforces.
func (s *Server) finishDocument() {
	doc := s.api.OpenAPI()
	errSchema := doc.Components.Schemas.Schema(reflect.TypeFor[ErrorBody](), true, "")
	s.queryParams = map[string][]string{}
	for path, item := range doc.Paths {
		for method, o := range operationsOf(item) {
			pattern := method + " " + path
			var query []string
			for _, p := range o.Parameters {
				switch {
				case p.In != "query":
				case p.Style == "deepObject": // name[key]=value, for any key
					query = append(query, p.Name+"[")
				default:
					query = append(query, p.Name)
				}
			}
			s.queryParams[pattern] = query
			if o.Responses == nil {
				o.Responses = map[string]*huma.Response{}
			}
			for _, status := range s.clientErrors(method, path, len(query) > 0) {
				o.Responses[strconv.Itoa(status)] = &huma.Response{Description: errorResponses[status],
					Content: map[string]*huma.MediaType{"application/json": {Schema: errSchema}}}
			}
			o.Responses["default"] = &huma.Response{Description: "A server error (5xx): internal_error, or the database is unavailable",
				Content: map[string]*huma.MediaType{"application/json": {Schema: errSchema}}}
		}
	}
}

// clientErrors is the client error statuses an operation can answer, from what it is: every
// route refuses an unknown query parameter (400) and counts against a rate limit (429); a route
// with an API key checks it and its role; a path id may name nothing; a body may be too large,
// of another type or invalid; a query may hold an invalid value; a change may conflict.
func (s *Server) clientErrors(method, path string, hasQuery bool) []int {
	pattern := method + " " + path
	out := []int{http.StatusBadRequest}
	public, signed := s.public[pattern], s.signed[pattern]
	switch {
	case signed:
		out = append(out, http.StatusUnauthorized)
	case !public:
		out = append(out, http.StatusUnauthorized, http.StatusForbidden)
	}
	if strings.Contains(path, "{") {
		out = append(out, http.StatusNotFound)
	}
	if method != http.MethodGet && !public {
		out = append(out, http.StatusConflict)
	}
	takesBody := s.bodyLimit[pattern] > noBody
	if takesBody {
		out = append(out, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType)
	}
	if takesBody || hasQuery {
		out = append(out, http.StatusUnprocessableEntity)
	}
	return append(out, http.StatusTooManyRequests)
}
