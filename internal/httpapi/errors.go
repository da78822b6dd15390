package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"reflect"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"disputed/internal/accesslog"
	"disputed/internal/fault"
)

// ErrorBody is every error response: {"error": {"type", "code", "message", "param"}}.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail says what went wrong, in words for people and codes for programs.
type ErrorDetail struct {
	Type    string `json:"type" doc:"class of error: invalid_request, authentication, permission, not_found, conflict, rate_limit, api_error"`
	Code    string `json:"code" doc:"stable machine-readable code, e.g. revision_conflict"`
	Message string `json:"message"`
	Param   string `json:"param,omitempty" doc:"the request field at fault, when there is one"`
}

// apiError is an error response; it satisfies huma.StatusError so that huma writes it as is.
type apiError struct {
	status int
	ErrorBody
}

func (e *apiError) Error() string  { return e.ErrorBody.Error.Code + ": " + e.ErrorBody.Error.Message }
func (e *apiError) GetStatus() int { return e.status }

// GetHeaders gives the 429 of a request refused while others of its caller are served its
// Retry-After (huma sets the headers of an error that has them): they answer within a second.
// The middleware's 429s say their own wait (tooManyRequests).
func (e *apiError) GetHeaders() http.Header {
	if e.ErrorBody.Error.Code == fault.CodeTooManyInFlight {
		return http.Header{"Retry-After": {"1"}}
	}
	return nil
}

var typeOf = map[int]string{
	http.StatusBadRequest:            "invalid_request",
	http.StatusUnauthorized:          "authentication",
	http.StatusForbidden:             "permission",
	http.StatusNotFound:              "not_found",
	http.StatusMethodNotAllowed:      "invalid_request",
	http.StatusConflict:              "conflict",
	http.StatusRequestEntityTooLarge: "invalid_request",
	http.StatusUnsupportedMediaType:  "invalid_request",
	http.StatusUnprocessableEntity:   "invalid_request",
	http.StatusTooManyRequests:       "rate_limit",
}

func newAPIError(status int, code, param, msg string) *apiError {
	typ, ok := typeOf[status]
	if !ok {
		typ = "api_error"
	}
	return &apiError{status: status, ErrorBody: ErrorBody{Error: ErrorDetail{Type: typ, Code: code, Message: msg, Param: param}}}
}

// problem turns an error from a use case into the response. Coded errors keep their code; any
// other error is a defect or an outage: it is logged here, once, and the client gets a 500
// without internals.
func problem(ctx context.Context, log *slog.Logger, err error) *apiError {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae
	}
	if fe, ok := fault.As(err); ok {
		return newAPIError(fe.Kind.HTTPStatus(), fe.Code, fe.Param, fe.Message)
	}
	if errors.Is(err, context.Canceled) {
		return newAPIError(499, fault.CodeCanceled, "", "the request was canceled")
	}
	log.ErrorContext(ctx, "request failed", "error", err, "request_id", accesslog.RequestID(ctx))
	return newAPIError(http.StatusInternalServerError, fault.CodeInternalError, "", "an internal error occurred; it has been logged")
}

// fromHuma turns huma's own request errors (a body read past the route's limit, unreadable JSON,
// schema validation) into ours: shape errors — unknown fields, wrong types, unreadable JSON — are
// 400, values that are well-formed but invalid are 422, and the first offending field is named.
func fromHuma(status int, msg string, errs ...error) huma.StatusError {
	for _, e := range errs {
		if ae, ok := tooLarge(e); ok {
			return ae
		}
	}
	switch status {
	case http.StatusUnsupportedMediaType:
		return newAPIError(status, fault.CodeUnsupportedMediaType, "", "send application/json")
	case http.StatusNotFound:
		return newAPIError(status, fault.CodeRouteNotFound, "", msg)
	}
	for _, e := range errs {
		var d *huma.ErrorDetail
		if !errors.As(e, &d) {
			continue
		}
		param := fieldOf(d.Location)
		switch {
		case d.Message == "unexpected property":
			return unknownField(param)
		case d.Location == "body" && strings.HasPrefix(d.Message, nulPrefix):
			return textError(http.StatusUnprocessableEntity, fault.CodeInvalidValue, quoteEmpty(strings.TrimPrefix(d.Message, nulPrefix)))
		case d.Location == "body" && strings.HasPrefix(d.Message, wrongTypePrefix):
			param, expected, _ := strings.Cut(strings.TrimPrefix(d.Message, wrongTypePrefix), ": ")
			return wrongType(param, expected)
		case d.Location == "body" && status == http.StatusBadRequest:
			return newAPIError(http.StatusBadRequest, fault.CodeMalformedJSON, "", "the body is not valid JSON: "+d.Message)
		case strings.HasPrefix(d.Message, "expected required property"):
			name := strings.TrimSuffix(strings.TrimPrefix(d.Message, "expected required property "), " to be present")
			if param != "" {
				name = param + "." + name
			}
			return newAPIError(http.StatusUnprocessableEntity, fault.CodeParameterMissing, name, name+" is required")
		case isTypeMessage(d.Message) || strings.HasPrefix(d.Message, "invalid integer") ||
			strings.HasPrefix(d.Message, "invalid float") || strings.HasPrefix(d.Message, "invalid boolean"):
			return wrongType(param, d.Message)
		default:
			return newAPIError(http.StatusUnprocessableEntity, fault.CodeInvalidValue, param, param+": "+d.Message)
		}
	}
	if status >= 500 {
		return newAPIError(status, fault.CodeInternalError, "", "an internal error occurred")
	}
	if status == http.StatusBadRequest {
		return newAPIError(status, fault.CodeMalformedRequest, "", msg)
	}
	return newAPIError(status, strings.ReplaceAll(strings.ToLower(http.StatusText(status)), " ", "_"), "", msg)
}

// unknownField is the error for a field the route does not have. JSON allows the name "", which
// is shown quoted so that the error still names the field.
func unknownField(param string) *apiError {
	param = quoteEmpty(param)
	return newAPIError(http.StatusBadRequest, fault.CodeUnknownField, param, "unknown field "+param)
}

// quoteEmpty writes a field path whose last name is empty ("", "evidence.") with that name as "".
func quoteEmpty(param string) string {
	if param == "" || strings.HasSuffix(param, ".") {
		return param + `""`
	}
	return param
}

// wrongType is the error for a value of the wrong JSON type: a field's, or the whole body's
// (param ""), which must be an object on every route.
func wrongType(param, problem string) *apiError {
	if param == "" {
		return newAPIError(http.StatusBadRequest, fault.CodeInvalidType, "", "the body must be a JSON object")
	}
	return newAPIError(http.StatusBadRequest, fault.CodeInvalidType, param, param+": "+problem)
}

// fieldOf turns huma's location ("body.items[0].amount", "query.limit") into our param name.
func fieldOf(location string) string {
	for _, p := range []string{"body.", "query.", "path.", "header."} {
		if strings.HasPrefix(location, p) {
			return strings.TrimPrefix(location, p)
		}
	}
	if location == "body" {
		return ""
	}
	return location
}

// isTypeMessage reports whether huma's message says the value has the wrong JSON type. Only the
// bare messages do: "expected string to be RFC 3339 date-time" or "expected number >= 1" are
// about a value of the right type, which is 422.
func isTypeMessage(m string) bool {
	switch m {
	case "expected object", "expected array", "expected string", "expected number", "expected integer", "expected boolean":
		return true
	}
	return false
}

// writeError writes an error outside huma (authentication, idempotency, unmatched routes).
func writeError(w http.ResponseWriter, e *apiError) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.status)
	_ = json.NewEncoder(w).Encode(e.ErrorBody)
}

// init points huma's error constructor at ours. huma offers no per-API hook for the errors it
// creates itself (validation, body limits), so this package-level replacement is the documented
// way; it is a pure function and is set once.
func init() {
	huma.NewError = fromHuma
}

// decodeJSON decodes request bodies for huma. huma first validates a body against its schema,
// which takes 1.00 or 1e3 for an integer, then decodes it, which refuses them; of that failure it
// keeps only the text. decodeJSON words it so that fromHuma can name the field.
//
// It also refuses a string holding a NUL character (see storable), on the first decoding, into
// an any, which huma validates.
func decodeJSON(data []byte, v any) error {
	err := json.Unmarshal(data, v)
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("%s%s: expected %s", wrongTypePrefix, te.Field, jsonType(te.Type))
	}
	if parsed, ok := v.(*any); ok && err == nil {
		if path, found := nulAt(*parsed, ""); found {
			return fmt.Errorf("%s%s", nulPrefix, path)
		}
	}
	return err
}

const (
	wrongTypePrefix = "wrong type: "
	nulPrefix       = "NUL character: "
)

// jsonType names a Go type the way a JSON client knows it.
func jsonType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "integer"
	case reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Pointer:
		return jsonType(t.Elem())
	}
	return "object"
}
