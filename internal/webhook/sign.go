package webhook

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// The Standard Webhooks headers, as the library names them.
const (
	HeaderID        = standardwebhooks.HeaderWebhookID
	HeaderTimestamp = standardwebhooks.HeaderWebhookTimestamp
	HeaderSignature = standardwebhooks.HeaderWebhookSignature
)

// maxIDLength bounds a message id; ours are far shorter, and receivers store it as a dedup key.
const maxIDLength = 255

// Sign returns the Standard Webhooks headers for one attempt of a delivery:
//
//   - webhook-id: msgID, the same on every retry of one delivery, so that a receiver can drop a
//     message it has already processed;
//   - webhook-timestamp: at in unix seconds, the time of this attempt, so that a receiver can
//     refuse replays of an old request;
//   - webhook-signature: "v1,<base64 HMAC-SHA256 of msgID.timestamp.body>" for each of secrets,
//     separated by spaces. Signing with the old and the new secret while an endpoint rotates lets
//     the receiver switch its secret at any moment without dropping a delivery.
//
// The secrets are those made by NewSecret. Errors never quote a secret.
func Sign(msgID string, at time.Time, body []byte, secrets ...string) (http.Header, error) {
	if err := checkID(msgID); err != nil {
		return nil, err
	}
	if at.IsZero() {
		// A zero time is a caller's mistake; signed, it is a request every receiver refuses as
		// two thousand years old.
		return nil, errors.New("webhook: no timestamp to sign with")
	}
	if len(secrets) == 0 {
		return nil, errors.New("webhook: no secret to sign with")
	}
	sigs := make([]string, len(secrets))
	for i, secret := range secrets {
		key, err := decodeSecret(secret)
		if err != nil {
			return nil, fmt.Errorf("webhook: secret %d: %w", i+1, err)
		}
		// NewWebhookRaw takes the key we decoded and checked; NewWebhook would decode again and
		// accept a secret without its prefix or with an empty key.
		wh, err := standardwebhooks.NewWebhookRaw(key)
		if err != nil {
			return nil, fmt.Errorf("webhook: secret %d: %w", i+1, err)
		}
		sigs[i], err = wh.Sign(msgID, at, body)
		if err != nil {
			return nil, fmt.Errorf("webhook: sign with secret %d: %w", i+1, err)
		}
	}
	h := make(http.Header, 3)
	h.Set(HeaderID, msgID)
	h.Set(HeaderTimestamp, strconv.FormatInt(at.Unix(), 10))
	h.Set(HeaderSignature, strings.Join(sigs, " "))
	return h, nil
}

// checkID accepts the message ids we make (printable ASCII without spaces): the id goes into a
// header as it is, and into the signed content, where a space or line break would make the
// request unsendable or the signature ambiguous to a receiver's parser.
func checkID(id string) error {
	if id == "" {
		return errors.New("webhook: empty message id")
	}
	if len(id) > maxIDLength {
		return fmt.Errorf("webhook: message id longer than %d bytes", maxIDLength)
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; c <= ' ' || c >= 0x7f {
			return fmt.Errorf("webhook: message id %q has a character other than printable ASCII", id)
		}
	}
	return nil
}
