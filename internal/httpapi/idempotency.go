package httpapi

import (
	"bytes"
	"cmp"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"disputed/internal/fault"
	"disputed/internal/store"
)

// idempotent makes a POST with an Idempotency-Key safe to repeat: the key is claimed before the
// request runs, and its response is kept; a repeat with the same body gets that response again,
// with another body 422 idempotency_mismatch, and while the first still runs 409. A secret
// shown once (an API key's, a webhook endpoint's) is not kept: its repeat answers the same
// object without it. Server errors
// release the key so that the client can retry, unless the request had committed a change.
// Keys belong to an API key: the public routes have none (a provider's events are made safe to
// repeat by their own ids), and there anyone could claim a key for anyone else and fill the
// table without a key.
//
// A crash leaves a claim without its response. The request's transactions mark the claim
// committed as they commit (store.WithClaim), so a repeat can tell the two cases apart: a claim
// that changed nothing and is older than ClaimAbandonedAfter is taken over and the request runs
// again (the dead run's claim token no longer holds the key, so it could not commit even if it
// were still alive); an abandoned claim whose change committed answers 409
// idempotency_outcome_unknown, since running it again could take money twice. Until then both
// answer 409 idempotency_in_progress: the first run may still be finishing.
func (s *Server) idempotent(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Idempotency-Key")
		_, pattern := s.mux.Handler(r)
		// An anonymous request (an app registering itself) has no key to keep its claims apart
		// from everyone else's: it is not idempotent.
		if r.Method != http.MethodPost || key == "" || s.public[pattern] || who(r.Context()).Kind == "" {
			next.ServeHTTP(w, r)
			return
		}
		if len(key) > 255 {
			writeError(w, newAPIError(http.StatusBadRequest, fault.CodeInvalidIdempotencyKey, "Idempotency-Key", "the Idempotency-Key has at most 255 characters"))
			return
		}
		body, err := io.ReadAll(r.Body) // limitBody holds it to the route's limit
		if ae, ok := tooLarge(err); ok {
			writeError(w, ae)
			return
		}
		if err != nil {
			writeError(w, newAPIError(http.StatusBadRequest, fault.CodeMalformedRequest, "", "the request body could not be read"))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		h := sha256.New()
		h.Write([]byte(r.Method + " " + r.URL.RequestURI() + "\n"))
		h.Write(body)
		rec := store.Idempotency{KeyID: who(r.Context()).ID, Key: key, RequestHash: hex.EncodeToString(h.Sum(nil)),
			CreatedAt: s.now().UTC(), Claim: rand.Text()}
		ctx := r.Context()
		err = s.claims.Tx(ctx, func(tx store.Tx) error { return tx.InsertIdempotency(ctx, rec) })
		switch {
		case errors.Is(err, store.ErrConflict): // claimed already: answered, unless taken over
			if !s.replay(w, r, rec) {
				return
			}
		case err != nil:
			writeError(w, problem(ctx, s.log, err))
			return
		}
		claim := &store.ClaimedRequest{KeyID: rec.KeyID, Key: rec.Key, Claim: rec.Claim, At: rec.CreatedAt}
		buf := &bufferedResponse{header: http.Header{}}
		next.ServeHTTP(buf, r.WithContext(store.WithClaim(ctx, claim)))
		buf.status = cmp.Or(buf.status, http.StatusOK)
		if buf.status >= 500 && !claim.Committed() {
			if err := s.claims.Tx(ctx, func(tx store.Tx) error { return tx.DeleteIdempotency(ctx, rec) }); err != nil {
				s.log.ErrorContext(ctx, "release idempotency key", "error", err)
			}
		} else {
			rec.Status, rec.Body = buf.status, buf.body.Bytes()
			if s.secretAnswer[pattern] {
				rec.Body = withoutSecret(rec.Body)
			}
			if err := s.claims.Tx(ctx, func(tx store.Tx) error { return tx.CompleteIdempotency(ctx, rec) }); err != nil {
				s.log.ErrorContext(ctx, "store idempotent response", "error", err)
			}
		}
		buf.copyTo(w)
	})
}

// replay answers a request whose key is claimed already: the first response, or why there is
// none. It reports true, having answered nothing, when the claim was abandoned and rec took it
// over: the request is to run.
func (s *Server) replay(w http.ResponseWriter, r *http.Request, rec store.Idempotency) bool {
	ctx := r.Context()
	abandonedBefore := rec.CreatedAt.Add(-ClaimAbandonedAfter)
	first, err := s.claims.GetIdempotency(ctx, rec.KeyID, rec.Key)
	if err == nil && first.RequestHash == rec.RequestHash && first.Status == 0 && first.CommittedAt.IsZero() &&
		first.CreatedAt.Before(abandonedBefore) {
		err = s.claims.Tx(ctx, func(tx store.Tx) error { return tx.TakeOverIdempotency(ctx, rec, abandonedBefore) })
		if err == nil {
			return true
		}
		if errors.Is(err, store.ErrNotFound) { // another repeat took it over first, or it finished
			first, err = s.claims.GetIdempotency(ctx, rec.KeyID, rec.Key)
		}
	}
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeError(w, newAPIError(http.StatusConflict, fault.CodeIdempotencyInProgress, "Idempotency-Key", "a request with this key was just released; retry"))
	case err != nil:
		writeError(w, problem(ctx, s.log, err))
	case first.RequestHash != rec.RequestHash:
		writeError(w, newAPIError(http.StatusUnprocessableEntity, fault.CodeIdempotencyMismatch, "Idempotency-Key",
			"this Idempotency-Key was used with another request; use a new key for a new request"))
	case first.Status == 0 && !first.CommittedAt.IsZero() && first.CreatedAt.Before(abandonedBefore):
		writeError(w, newAPIError(http.StatusConflict, fault.CodeIdempotencyOutcomeUnknown, "Idempotency-Key",
			"the request with this key was carried out, but the server stopped before its answer was stored; "+
				"read the resource to see the outcome, and do not repeat it with a new key"))
	case first.Status == 0:
		writeError(w, newAPIError(http.StatusConflict, fault.CodeIdempotencyInProgress, "Idempotency-Key", "a request with this key is still running"))
	default:
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Idempotent-Replayed", "true")
		w.WriteHeader(first.Status)
		_, _ = w.Write(first.Body)
	}
	return false
}

// withoutSecret is an answer as it is kept for repeats: the JSON object without its top-level
// "secret", the rest as it was, in its order and with what followed the object (the encoder's
// newline), so that an answer with no secret (a refusal) is kept byte for byte. An answer that is
// not an object (none is) is kept as it is; one that breaks off is kept up to its last whole
// field, or not at all when a field breaks off: never with its secret.
func withoutSecret(body []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return body
	}
	out, removed := []byte{'{'}, false
	for dec.More() {
		name, err := dec.Token()
		var value json.RawMessage
		if err == nil {
			err = dec.Decode(&value)
		}
		if err != nil {
			return nil
		}
		if name == "secret" {
			removed = true
			continue
		}
		if len(out) > 1 {
			out = append(out, ',')
		}
		quoted, _ := json.Marshal(name)
		out = append(append(append(out, quoted...), ':'), value...)
	}
	if !removed {
		return body
	}
	if _, err := dec.Token(); err != nil {
		return append(out, '}')
	}
	return append(append(out, '}'), body[dec.InputOffset():]...)
}

// ClaimAbandonedAfter is how long a claimed key whose request neither answered nor committed a
// change waits before a repeat takes it over. Longer than any request runs (the server's write
// timeout is 2 minutes by default); a run that outlives it anyway cannot commit, as its claim no
// longer holds the key.
const ClaimAbandonedAfter = 10 * time.Minute

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
	w.WriteHeader(b.status)
	_, _ = w.Write(b.body.Bytes())
}
