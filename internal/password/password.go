// Package password is everything about the web UI's passwords: which ones are accepted (Validate:
// long enough in characters, not blank, not repetitive, not one of the most common passwords, not
// the email), and their argon2id hashes, in the PHC string format
// ($argon2id$v=19$m=…,t=…,p=…$salt$hash) so that the parameters travel with each hash and can be
// raised later without invalidating the stored ones. Each hash takes 64 MiB: a Hasher runs only a
// few at once.
package password

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// cost is the price of one argon2id hash: the memory it fills and the passes over it.
type cost struct{ memoryKiB, passes uint32 }

// The costs a Hasher hashes at. Checking needs no cost: a hash carries the one it was made at.
var (
	// productionCost is RFC 9106's second recommended option (64 MiB, 3 passes): every password
	// a server stores.
	productionCost = cost{memoryKiB: 64 * 1024, passes: 3}
	// testCost is the least argon2id allows (8 KiB, one pass), for test servers only (see
	// NewTestHasher).
	testCost = cost{memoryKiB: 8, passes: 1}
)

// The other parameters, the same at every cost: one lane, a 16-byte salt, a 32-byte key.
const (
	lanes   = 1
	saltLen = 16
	keyLen  = 32
)

// ErrMismatch means the password is not the one hashed.
var ErrMismatch = errors.New("password does not match")

// hash returns the PHC string of password hashed at c with a fresh salt.
func hash(c cost, password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, c.passes, c.memoryKiB, lanes, keyLen)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, c.memoryKiB, c.passes, lanes,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// check returns nil when password matches the PHC string, ErrMismatch when it does not, and
// another error when the string is not one hash writes.
func check(phc, password string) error {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return errors.New("password: not an argon2id hash")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return errors.New("password: unsupported argon2 version")
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || m == 0 || t == 0 || p == 0 || m > 1<<22 || t > 100 {
		return errors.New("password: bad argon2 parameters")
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return errors.New("password: bad salt")
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil || len(want) == 0 || len(want) > 128 {
		return errors.New("password: bad hash")
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return ErrMismatch
	}
	return nil
}
