// Package secretbox seals the secrets the server keeps (a provider's webhook secret and API key,
// a panel's signing secret, a webhook endpoint's secrets) so that a copy of the database alone
// does not give them away. A Ring holds the keys: the first seals, every one opens, so that a new
// key can take over while values sealed under the old one are still read.
//
// A sealed value is text, "v1:<key id>:<base64 of nonce and ciphertext>": AES-256-GCM with a
// random nonce, its key named by an id derived from the key, so that the key that sealed it is
// known. Each value is bound to what it is (its additional data, such as
// "provider:stripe:api_key"): a sealed value copied to another row or column does not open.
package secretbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the length of a key: AES-256.
const KeySize = 32

// version names the format; a new one would open the old alongside.
const version = "v1"

// ErrUnknownKey is a value sealed under a key the ring does not hold.
var ErrUnknownKey = errors.New("sealed under a key this server does not have")

// ErrCorrupt is a value that is not a sealed value, or that does not open with its key: changed,
// truncated, or moved from another row or column.
var ErrCorrupt = errors.New("not a sealed value of this place, or altered")

// Ring is the keys a server seals and opens with.
type Ring struct {
	keys []key // the first seals
}

type key struct {
	id     string
	aead   cipher.AEAD
	derive []byte // the root of the keys Derive makes from this one
}

// NewKey returns a new random key in the text form Parse reads (standard base64).
func NewKey() string {
	b := make([]byte, KeySize)
	_, _ = rand.Read(b) // crypto/rand.Read does not fail
	return base64.StdEncoding.EncodeToString(b)
}

// Parse reads a comma-separated list of keys, each the standard base64 of 32 bytes (what
// `openssl rand -base64 32` prints); the first seals, all of them open.
func Parse(list string) (*Ring, error) {
	var r Ring
	for i, text := range strings.Split(list, ",") {
		raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(text))
		if err != nil || len(raw) != KeySize {
			return nil, fmt.Errorf("key %d of the list is not the base64 of %d bytes (make one with: openssl rand -base64 32)", i+1, KeySize)
		}
		r.keys = append(r.keys, newKey(raw))
	}
	return &r, nil
}

// Fresh returns a ring of one new random key, for a database that lives no longer than the
// program that opened it (a test, a benchmark run).
func Fresh() *Ring {
	raw := make([]byte, KeySize)
	_, _ = rand.Read(raw)
	return &Ring{keys: []key{newKey(raw)}}
}

func newKey(raw []byte) key {
	block, err := aes.NewCipher(raw)
	if err != nil {
		panic(err) // only a key of another length fails, and raw has KeySize bytes
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err) // AES has the block size GCM needs
	}
	root := hmac.New(sha256.New, raw)
	root.Write([]byte("disputed secretbox derived keys"))
	return key{id: keyID(raw), aead: aead, derive: root.Sum(nil)}
}

// Derive returns a 32-byte key for purpose from each key of the ring, the sealing key's first:
// a secret of another use (signing tokens) that rotates with the secret key, the older keys'
// still accepted while they are in the ring, and that reveals nothing of the sealing key.
func (r *Ring) Derive(purpose string) [][]byte {
	out := make([][]byte, len(r.keys))
	for i, k := range r.keys {
		m := hmac.New(sha256.New, k.derive)
		m.Write([]byte(purpose))
		out[i] = m.Sum(nil)
	}
	return out
}

// keyID names a key without revealing it: the start of a hash of it.
func keyID(raw []byte) string {
	sum := sha256.Sum256(append([]byte("disputed secretbox key id\x00"), raw...))
	return hex.EncodeToString(sum[:4])
}

// SealingKey is the id of the key that seals.
func (r *Ring) SealingKey() string { return r.keys[0].id }

// KeyIDs are the ids of every key, the sealing one first.
func (r *Ring) KeyIDs() []string {
	ids := make([]string, len(r.keys))
	for i, k := range r.keys {
		ids[i] = k.id
	}
	return ids
}

// Seal seals plain under the first key, bound to what (where the value is kept). Nothing stays
// nothing: an empty value says "none configured" and has no secret to hide.
func (r *Ring) Seal(plain, what string) string {
	if plain == "" {
		return ""
	}
	k := r.keys[0]
	nonce := make([]byte, k.aead.NonceSize(), k.aead.NonceSize()+len(plain)+k.aead.Overhead())
	_, _ = rand.Read(nonce)
	sealed := k.aead.Seal(nonce, nonce, []byte(plain), []byte(what))
	return version + ":" + k.id + ":" + base64.RawURLEncoding.EncodeToString(sealed)
}

// Open returns the value sealed in text, which must have been sealed for what. An empty text is
// an empty value.
func (r *Ring) Open(text, what string) (string, error) {
	if text == "" {
		return "", nil
	}
	id, payload, ok := parse(text)
	if !ok {
		return "", ErrCorrupt
	}
	for _, k := range r.keys {
		if k.id != id {
			continue
		}
		raw, err := base64.RawURLEncoding.DecodeString(payload)
		if err != nil || len(raw) < k.aead.NonceSize() {
			return "", ErrCorrupt
		}
		plain, err := k.aead.Open(nil, raw[:k.aead.NonceSize()], raw[k.aead.NonceSize():], []byte(what))
		if err != nil {
			return "", ErrCorrupt
		}
		return string(plain), nil
	}
	return "", fmt.Errorf("%w (key %s)", ErrUnknownKey, id)
}

// Sealed reports whether text has the form of a sealed value (a secret stored before sealing
// began does not).
func Sealed(text string) bool {
	_, _, ok := parse(text)
	return ok
}

// Current reports whether text needs no sealing again: it is empty, or sealed under the first key.
func (r *Ring) Current(text string) bool {
	id, _, ok := parse(text)
	return text == "" || ok && id == r.keys[0].id
}

// KeyOf is the id of the key that sealed text, or "" when it is not a sealed value.
func KeyOf(text string) string {
	id, _, _ := parse(text)
	return id
}

func parse(text string) (id, payload string, ok bool) {
	rest, ok := strings.CutPrefix(text, version+":")
	if !ok {
		return "", "", false
	}
	id, payload, ok = strings.Cut(rest, ":")
	return id, payload, ok && len(id) == 8 && payload != ""
}
