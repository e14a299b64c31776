package moodle_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/knowthystudents/kts/internal/moodle"
)

// TestCredentialsHideTheToken: printing or logging credentials, alone or inside a struct,
// never shows the token.
func TestCredentialsHideTheToken(t *testing.T) {
	t.Parallel()
	const token = "5ec7e7t0ken0f32charactersxxxxxxx"
	c := moodle.Credentials{Site: "https://moodle.example", UserID: 3, Token: token}
	var logs bytes.Buffer
	slog.New(slog.NewTextHandler(&logs, nil)).Info("x", "who", c)
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("x", "who", c)
	outer := struct{ C moodle.Credentials }{c}
	for _, s := range []string{fmt.Sprint(c), fmt.Sprintf("%v %+v %#v %s", c, c, c, c), fmt.Sprintf("%v %+v %#v", outer, outer, &outer), logs.String()} {
		if strings.Contains(s, token) {
			t.Errorf("the token shows: %s", s)
		}
		if !strings.Contains(s, "3") {
			t.Errorf("the user does not show: %s", s)
		}
	}
}
