package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"time"

	"disputed/internal/store"
)

// idempotent makes a POST with an Idempotency-Key safe to repeat: the key is claimed before the
// request runs, and its response is kept; a repeat with the same body gets that response again,
// with another body 422 idempotency_mismatch, and while the first still runs 409. Server errors
// release the key so that the client can retry. Keys belong to an API key: the public routes
// have none (a provider's events are made safe to repeat by their own ids), and there anyone
// could claim a key for anyone else and fill the table without a key.
func (s *Server) idempotent(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Idempotency-Key")
		if _, pattern := s.mux.Handler(r); r.Method != http.MethodPost || key == "" || s.public[pattern] {
			next.ServeHTTP(w, r)
			return
		}
		if len(key) > 255 {
			writeError(w, newAPIError(http.StatusBadRequest, "invalid_idempotency_key", "Idempotency-Key", "the Idempotency-Key has at most 255 characters"))
			return
		}
		body, err := io.ReadAll(r.Body) // limitBody holds it to the route's limit
		if ae, ok := tooLarge(err); ok {
			writeError(w, ae)
			return
		}
		if err != nil {
			writeError(w, newAPIError(http.StatusBadRequest, "malformed_request", "", "the request body could not be read"))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		keyID := who(r.Context()).ID
		h := sha256.New()
		h.Write([]byte(r.Method + " " + r.URL.RequestURI() + "\n"))
		h.Write(body)
		rec := store.Idempotency{KeyID: keyID, Key: key, RequestHash: hex.EncodeToString(h.Sum(nil)), CreatedAt: s.now().UTC()}
		ctx := r.Context()
		err = s.app.Store().Tx(ctx, func(tx store.Tx) error { return tx.InsertIdempotency(ctx, rec) })
		if errors.Is(err, store.ErrConflict) {
			s.replay(w, r, rec)
			return
		}
		if err != nil {
			writeError(w, problem(ctx, s.log, err))
			return
		}
		buf := &bufferedResponse{header: http.Header{}}
		next.ServeHTTP(buf, r)
		if buf.status >= 500 || buf.status == 0 {
			if err := s.app.Store().Tx(ctx, func(tx store.Tx) error { return tx.DeleteIdempotency(ctx, keyID, key) }); err != nil {
				s.log.ErrorContext(ctx, "release idempotency key", "error", err)
			}
		} else {
			rec.Status, rec.Body = buf.status, buf.body.Bytes()
			if err := s.app.Store().Tx(ctx, func(tx store.Tx) error { return tx.CompleteIdempotency(ctx, rec) }); err != nil {
				s.log.ErrorContext(ctx, "store idempotent response", "error", err)
			}
		}
		buf.copyTo(w)
	})
}

func (s *Server) replay(w http.ResponseWriter, r *http.Request, rec store.Idempotency) {
	ctx := r.Context()
	first, err := s.app.Store().GetIdempotency(ctx, rec.KeyID, rec.Key)
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, newAPIError(http.StatusConflict, "idempotency_in_progress", "Idempotency-Key", "a request with this key was just released; retry"))
	case err != nil:
		writeError(w, problem(ctx, s.log, err))
	case first.RequestHash != rec.RequestHash:
		writeError(w, newAPIError(http.StatusUnprocessableEntity, "idempotency_mismatch", "Idempotency-Key",
			"this Idempotency-Key was used with another request; use a new key for a new request"))
	case first.Status == 0:
		writeError(w, newAPIError(http.StatusConflict, "idempotency_in_progress", "Idempotency-Key", "a request with this key is still running"))
	default:
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Idempotent-Replayed", "true")
		w.WriteHeader(first.Status)
		_, _ = w.Write(first.Body)
	}
}

// IdempotencyRetention is how long a key is kept (at least 24 hours, as documented).
const IdempotencyRetention = 48 * time.Hour

// bufferedResponse holds a response until its idempotency record is stored.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }
func (b *bufferedResponse) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

func (b *bufferedResponse) copyTo(w http.ResponseWriter) {
	for k, v := range b.header {
		w.Header()[k] = v
	}
	if b.status == 0 {
		b.status = http.StatusOK
	}
	w.WriteHeader(b.status)
	_, _ = w.Write(b.body.Bytes())
}
