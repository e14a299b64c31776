package lti

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// Sealer encrypts what must stay secret at rest (a teacher's Moodle token) with AES-256-GCM.
// The first key encrypts; every key decrypts, so a rotated key list (new key first, old keys
// after it) still opens what the old keys sealed. A sealed value is bound to its owner (the
// additional data), so it cannot be moved to another teacher's row.
type Sealer struct {
	aeads []cipher.AEAD
}

// sealVersion is the first byte of a sealed value: the format, for a later change.
const sealVersion = 1

// ParseKeys reads -secret-key: comma-separated keys, each 32 bytes written as base64 (standard
// or URL alphabet, padded or not) or as 64 hexadecimal digits. An empty list gives a nil
// Sealer: nothing is kept at rest.
func ParseKeys(list string) (*Sealer, error) {
	var s Sealer
	for i, f := range strings.Split(list, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		k, err := decodeKey(f)
		if err != nil {
			return nil, fmt.Errorf("-secret-key: key %d: %w", i+1, err)
		}
		block, _ := aes.NewCipher(k)
		aead, err := cipher.NewGCM(block)
		if err != nil {
			return nil, err
		}
		s.aeads = append(s.aeads, aead)
	}
	if len(s.aeads) == 0 {
		return nil, nil
	}
	return &s, nil
}

func decodeKey(f string) ([]byte, error) {
	if len(f) == 64 {
		if k, err := hex.DecodeString(f); err == nil {
			return k, nil
		}
	}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if k, err := enc.DecodeString(f); err == nil {
			if len(k) != 32 {
				return nil, fmt.Errorf("it is %d bytes long; a key is 32 random bytes (e.g. `openssl rand -base64 32`)", len(k))
			}
			return k, nil
		}
	}
	return nil, errors.New("it is neither base64 nor 64 hexadecimal digits; make one with `openssl rand -base64 32`")
}

// Seal encrypts plain for owner.
func (s *Sealer) Seal(plain, owner string) ([]byte, error) {
	a := s.aeads[0]
	out := make([]byte, 1+a.NonceSize(), 1+a.NonceSize()+len(plain)+a.Overhead())
	out[0] = sealVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, err
	}
	return a.Seal(out, out[1:], []byte(plain), []byte(owner)), nil
}

// ErrUnseal means no key opens a sealed value: it was sealed with a key no longer listed, for
// another owner, or it was altered.
var ErrUnseal = errors.New("lti: no secret key opens this value")

// Open decrypts what Seal sealed for owner, with whichever key sealed it.
func (s *Sealer) Open(sealed []byte, owner string) (string, error) {
	for _, a := range s.aeads {
		n := a.NonceSize()
		if len(sealed) < 1+n || sealed[0] != sealVersion {
			return "", ErrUnseal
		}
		if p, err := a.Open(nil, sealed[1:1+n], sealed[1+n:], []byte(owner)); err == nil {
			return string(p), nil
		}
	}
	return "", ErrUnseal
}
