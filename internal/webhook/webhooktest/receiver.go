// Package webhooktest is a webhook endpoint for tests: a receiver that records the deliveries it
// gets and checks their signatures with its own implementation of the Standard Webhooks scheme,
// not the server's.
package webhooktest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Receiver is a webhook endpoint listening on loopback until the test ends.
type Receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []Delivery
	fail   int // answer 500 to this many deliveries first
	secret string
}

// Delivery is one request the receiver got.
type Delivery struct {
	ID, Timestamp string
	// Type is the type of the event in the body.
	Type string
	Body []byte
	// ValidSigs is how many of the signatures verify under the receiver's secret, of AllSigs.
	ValidSigs, AllSigs int
}

// Start starts a receiver that answers 204 to every delivery, closed when the test ends.
func Start(t testing.TB) *Receiver {
	r := &Receiver{}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	t.Cleanup(r.Close)
	return r
}

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		// The sender went away mid-request (a server killed while sending): nothing arrived,
		// and the delivery is sent again.
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	d := Delivery{ID: req.Header.Get("webhook-id"), Timestamp: req.Header.Get("webhook-timestamp"), Body: body}
	var ev struct{ Type string }
	_ = json.Unmarshal(body, &ev)
	d.Type = ev.Type
	for _, sig := range strings.Fields(req.Header.Get("webhook-signature")) {
		d.AllSigs++
		if r.secret != "" && Signature(r.secret, d.ID, d.Timestamp, body) == sig {
			d.ValidSigs++
		}
	}
	r.got = append(r.got, d)
	if r.fail > 0 {
		r.fail--
		http.Error(w, "receiver is down for maintenance", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// Signature is "v1," + base64(HMAC-SHA256(key, id.timestamp.body)), the key being the base64
// after "whsec_".
func Signature(secret, id, timestamp string, body []byte) string {
	key, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_"))
	if err != nil {
		return "bad secret"
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + timestamp + "."))
	mac.Write(body)
	return "v1," + base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Deliveries returns what the receiver got so far, in the order it got it.
func (r *Receiver) Deliveries() []Delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Delivery(nil), r.got...)
}

// Setup sets the secret the signatures are checked with and how many of the next deliveries are
// answered 500.
func (r *Receiver) Setup(secret string, fail int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.secret, r.fail = secret, fail
}
