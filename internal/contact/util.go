package contact

import (
	"errors"

	"crypto/rand"
	"encoding/hex"
	"github.com/knowthystudents/kts/internal/moodle"
)

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func isNoConversation(err error) bool { return errors.Is(err, moodle.ErrConversationNotFound) }
