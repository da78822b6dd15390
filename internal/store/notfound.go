package store

import (
	"errors"

	"disputed/internal/fault"
)

// NotFound turns ErrNotFound into the API's not-found error for the object ("dispute", id); any
// other error passes unchanged. Every service reading by id answers the same way through it.
func NotFound(err error, object, id string) error {
	if errors.Is(err, ErrNotFound) {
		return fault.NotFoundf(object, id)
	}
	return err
}
