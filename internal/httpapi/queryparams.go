package httpapi

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"disputed/internal/fault"
)

// knownQuery answers 400 unknown_parameter, naming it, for a query parameter the route does not
// declare, as an unknown body field is: a misspelt filter (?stauts=won) must not quietly return
// every row. What a route declares is read from its OpenAPI operation, so a filter added to a
// route's input is accepted, and documented, by that alone.
//
// Provider webhooks are left alone: their address is pasted into a provider's dashboard, and an
// event refused for a query the merchant added would be lost to the provider's retries.
func (s *Server) knownQuery(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery == "" {
			next.ServeHTTP(w, r)
			return
		}
		_, pattern := s.mux.Handler(r)
		declared, routed := s.queryParams[pattern]
		if !routed || s.signed[pattern] {
			next.ServeHTTP(w, r)
			return
		}
		if name, ok := undeclared(r, declared); ok {
			writeError(w, unknownParameter(name, declared))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// undeclared returns the first parameter of the request's query, in the order sent, that is not
// among declared.
func undeclared(r *http.Request, declared []string) (string, bool) {
	for part := range strings.SplitSeq(r.URL.RawQuery, "&") {
		if part == "" {
			continue
		}
		raw, _, _ := strings.Cut(part, "=")
		name, err := url.QueryUnescape(raw)
		if err != nil {
			name = raw
		}
		if !slices.Contains(declared, name) && !inDeepObject(name, declared) {
			return name, true
		}
	}
	return "", false
}

// inDeepObject reports whether name is a key of a declared deepObject parameter: "f[k]" of "f[".
func inDeepObject(name string, declared []string) bool {
	prefix, _, ok := strings.Cut(name, "[")
	return ok && strings.HasSuffix(name, "]") && slices.Contains(declared, prefix+"[")
}

func unknownParameter(name string, declared []string) *apiError {
	shown := quoteEmpty(name)
	msg := "unknown query parameter " + shown + "; this route takes none"
	if len(declared) > 0 {
		names := make([]string, len(declared))
		for i, d := range declared {
			names[i] = strings.Replace(d, "[", "[…]", 1)
		}
		msg = "unknown query parameter " + shown + "; this route takes " + strings.Join(names, ", ")
	}
	return newAPIError(http.StatusBadRequest, fault.CodeUnknownParameter, shown, msg)
}

// operationsOf is a path's operations by method, for the methods the API uses.
func operationsOf(item *huma.PathItem) map[string]*huma.Operation {
	out := map[string]*huma.Operation{}
	for method, o := range map[string]*huma.Operation{http.MethodGet: item.Get, http.MethodPost: item.Post, http.MethodDelete: item.Delete} {
		if o != nil {
			out[method] = o
		}
	}
	return out
}
