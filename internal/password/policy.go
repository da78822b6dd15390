package password

import (
	"bufio"
	_ "embed"
	"strings"
	"unicode"
	"unicode/utf8"

	"disputed/internal/fault"
)

// The bounds of a password, in characters (not bytes: twelve accented letters are twelve).
const (
	MinLength = 12   // long passphrases beat complexity rules
	MaxLength = 1024 // more only costs memory and time to hash
	// minDistinct is the fewest different characters: "aaaaaaaaaaaa" and "abababababab" are not
	// passwords.
	minDistinct = 5
)

//go:embed common.txt
var commonList string

// common is the set of the most common passwords (common.txt says where they come from).
var common = func() map[string]struct{} {
	set := make(map[string]struct{}, 10_000)
	sc := bufio.NewScanner(strings.NewReader(commonList))
	for sc.Scan() {
		if line := sc.Text(); line != "" && !strings.HasPrefix(line, "#") {
			set[line] = struct{}{}
		}
	}
	return set
}()

// Validate decides whether pass may be the password of the user with that email: it says why
// not, naming the password field. This is the one rule, for the first admin, every new user and
// every reset.
func Validate(pass, email string) error {
	refuse := func(format string, args ...any) error {
		return fault.Invalidf(fault.CodeInvalidValue, "password", format, args...)
	}
	n := utf8.RuneCountInString(pass)
	switch {
	case n < MinLength:
		return refuse("the password must have at least %d characters", MinLength)
	case n > MaxLength:
		return refuse("the password is longer than %d characters", MaxLength)
	case strings.TrimSpace(pass) == "":
		return refuse("the password is only spaces")
	case distinct(pass) < minDistinct:
		return refuse("the password repeats too few characters: use at least %d different ones", minDistinct)
	case isCommon(pass):
		return refuse("the password is one of the most common passwords, which are tried first: choose another")
	case isEmail(pass, email):
		return refuse("the password is the email address: choose another")
	}
	return nil
}

func distinct(s string) int {
	seen := map[rune]struct{}{}
	for _, r := range s {
		seen[unicode.ToLower(r)] = struct{}{}
	}
	return len(seen)
}

// isCommon looks pass up in any case, and without the digits and symbols people add at its end
// to get past rules ("Password1234!" is "password").
func isCommon(pass string) bool {
	for _, v := range variants(pass) {
		if _, ok := common[v]; ok {
			return true
		}
	}
	return false
}

// isEmail reports whether pass is the email or its part before the @, in any case, with or
// without trailing digits and symbols.
func isEmail(pass, email string) bool {
	email = strings.ToLower(strings.TrimSpace(email))
	if email == "" {
		return false
	}
	local, _, _ := strings.Cut(email, "@")
	for _, v := range variants(pass) {
		if v == email || v == local {
			return true
		}
	}
	return false
}

// minVariant is the shortest form compared with the lists once trailing digits and symbols are
// left out: a common word of a few letters followed by many random digits is not a common
// password ("love 839201746251"), while "password1234" still is.
const minVariant = 6

// variants are the forms of pass compared with the lists: lower-cased, and each shorter form of
// at least minVariant characters that leaves out only digits and symbols at its end
// ("password1234!" → "password1234", "password123", …, "password").
func variants(pass string) []string {
	lower := strings.ToLower(strings.TrimSpace(pass))
	out := []string{lower}
	for end := len(lower); end > 0; {
		r, size := utf8.DecodeLastRuneInString(lower[:end])
		if unicode.IsLetter(r) {
			break
		}
		end -= size
		if utf8.RuneCountInString(lower[:end]) >= minVariant {
			out = append(out, lower[:end])
		}
	}
	return out
}
