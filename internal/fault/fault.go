// Package fault defines the coded errors that rules and use cases return: a kind, a code from
// codes.go and the field at fault. A rule says what went wrong; which HTTP status that is, the
// API and the web pages both ask Kind.HTTPStatus, the one table of statuses.
package fault

import (
	"errors"
	"fmt"
)

// Kind is the class of a failure; each kind maps to one HTTP status.
type Kind int

// The kinds of failure, from the caller's point of view.
const (
	Internal        Kind = iota // a defect or an unavailable dependency: 500
	Malformed                   // the request cannot be read: 400
	Unauthenticated             // no or bad credentials: 401
	Forbidden                   // the role may not do this: 403
	NotFound                    // 404
	Conflict                    // the current state forbids it: 409
	TooLarge                    // body over the limit: 413
	Unsupported                 // content type not accepted: 415
	Invalid                     // well-formed but invalid values: 422
	RateLimited                 // 429
	Unavailable                 // the server is too busy for it now; the same request later may succeed: 503
)

// Error is a failure with a stable machine-readable code and, when one field is at fault, its name.
type Error struct {
	Kind    Kind
	Code    string
	Message string
	Param   string
}

func (e *Error) Error() string {
	if e.Param != "" {
		return fmt.Sprintf("%s (%s): %s", e.Code, e.Param, e.Message)
	}
	return e.Code + ": " + e.Message
}

// New builds an error of the given kind.
func New(kind Kind, code, param, format string, args ...any) *Error {
	return &Error{Kind: kind, Code: code, Param: param, Message: fmt.Sprintf(format, args...)}
}

// Invalidf is a 422-class error about one field.
func Invalidf(code, param, format string, args ...any) *Error {
	return New(Invalid, code, param, format, args...)
}

// Required reports a missing field.
func Required(param string) *Error {
	return New(Invalid, CodeParameterMissing, param, "%s is required", param)
}

// InvalidState reports a transition the state machine forbids, naming the current status.
func InvalidState(current, action string) *Error {
	return New(Conflict, CodeInvalidState, "status", "cannot %s: the current status is %s", action, current)
}

// ConcurrentUpdate reports a write that kept losing the race against another writer of the same
// object: the client may retry it.
func ConcurrentUpdate() *Error {
	return New(Conflict, CodeConcurrentUpdate, "", "another change to the same object happened at the same moment; retry")
}

// NotFoundf reports a missing object.
func NotFoundf(object, id string) *Error {
	return New(NotFound, CodeNotFound, "", "no %s with id %q", object, id)
}

// As returns the *Error inside err, if any.
func As(err error) (*Error, bool) {
	var fe *Error
	if errors.As(err, &fe) {
		return fe, true
	}
	return nil, false
}

// Code returns the code of the *Error inside err, or "" when err carries none.
func Code(err error) string {
	if fe, ok := As(err); ok {
		return fe.Code
	}
	return ""
}
