package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humago"
	"github.com/danielgtaylor/huma/v2/negotiation"

	"disputed/internal/csvout"
	"disputed/internal/csvout/csvhttp"
)

// csvList is the CSV form of a list route: the list's query (I), answered by every row it
// matches, of type T.
type csvList[I, T any] struct {
	// name is the file name's stem: disputes gives disputes-YYYYMMDD.csv.
	name    string
	columns []csvout.Column[T]
	// order says how the rows come: "newest first" for a list read through its keyset.
	order string
	// rows calls each with every page of the rows in matches, holding only that page (app's
	// Export… methods); an error before its first call is answered as the JSON error.
	rows func(ctx context.Context, in *I, each func([]T) error) error
}

// CSVOut is a list answered as CSV, written as the rows are read.
type CSVOut struct {
	Body func(huma.Context)
}

// registerCSV gives the list route o (registered already) its CSV form, with the same query,
// scope and roles: at o.path+".csv", and at o.path itself for a request whose Accept prefers
// text/csv (csvByAccept). The list's OpenAPI operation says that it answers text/csv too.
func registerCSV[I, T any](s *Server, o op, c csvList[I, T]) {
	list := s.api.OpenAPI().Paths[o.path].Get
	list.Description = "Answers CSV instead (every matching row, not a page; the paging parameters are refused) with `Accept: text/csv`, as " + o.path + ".csv does."
	list.Responses["200"].Content["text/csv"] = csvMedia(c.columns)
	s.csvPaths[o.path] = true

	export := o
	export.path, export.id = o.path+".csv", o.id+"-csv"
	export.summary = o.summary + " as CSV: every matching row, " + c.order + ", streamed (README: Exports)"
	register(s, export, func(ctx context.Context, in *I) (*CSVOut, error) {
		return &CSVOut{Body: func(hc huma.Context) { streamCSV(s, ctx, hc, in, c) }}, nil
	})
	ok := s.api.OpenAPI().Paths[export.path].Get.Responses["200"]
	ok.Description = "every matching row, after a header row of the columns' names; a file cut short by an error lacks its final row and the end of the chunked body (README: Exports)"
	ok.Content = map[string]*huma.MediaType{"text/csv": csvMedia(c.columns)}
	ok.Headers = map[string]*huma.Param{"Content-Disposition": {Description: `attachment; filename="` + c.name + `-YYYYMMDD.csv"`,
		Schema: &huma.Schema{Type: "string"}}}
}

// csvMedia documents a CSV answer of columns.
func csvMedia[T any](columns []csvout.Column[T]) *huma.MediaType {
	return &huma.MediaType{Schema: &huma.Schema{Type: "string",
		Description: "RFC 4180, CRLF line ends; a header row, then a row per object: " + strings.Join(csvout.Header(columns), ",")}}
}

// streamCSV answers in's rows as CSV (csvhttp.Stream); an error before the first row is the
// usual JSON error.
func streamCSV[I, T any](s *Server, ctx context.Context, hc huma.Context, in *I, c csvList[I, T]) {
	_, w := humago.Unwrap(hc)
	err := csvhttp.Stream(ctx, w, s.log, csvhttp.FileName(c.name, s.now()), c.columns,
		func(each func([]T) error) error { return c.rows(ctx, in, each) })
	if err != nil {
		writeError(w, problem(ctx, s.log, err))
	}
}

// csvByAccept routes a GET of a list that has a CSV form to that form when the request's Accept
// prefers text/csv to JSON, before anything else reads the path, so that the route's scope, query
// parameters and metrics are the CSV route's.
func (s *Server) csvByAccept(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || !s.csvPaths[r.URL.Path] {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Add("Vary", "Accept")
		if negotiation.SelectQValueFast(r.Header.Get("Accept"), []string{"application/json", "text/csv"}) != "text/csv" {
			next.ServeHTTP(w, r)
			return
		}
		asCSV := r.Clone(r.Context())
		asCSV.URL.Path += ".csv"
		asCSV.URL.RawPath = ""
		next.ServeHTTP(w, asCSV)
	})
}
