package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"regexp"
)

// keyPattern is the shape of a key randomID makes: what a form that posts one must send.
var keyPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

// randomID is a random identifier for idempotency keys and client ids.
func randomID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
