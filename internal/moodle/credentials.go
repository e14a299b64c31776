package moodle

import (
	"fmt"
	"log/slog"
)

// Credentials are what the dashboard calls Moodle with on a teacher's behalf: the site, the
// teacher's Moodle user id and their web-service token. It is the one type a token travels
// in, from the session to the loader and the writes. The token is for the calls only: never
// in a cache key, a log line, an error or a page. String, GoString and LogValue leave it out,
// so printing or logging Credentials cannot show it.
type Credentials struct {
	Site   string // the site's base URL (Client.BaseURL)
	UserID int64  // the teacher's Moodle user id
	Token  string
}

func (c Credentials) String() string {
	return fmt.Sprintf("Moodle user %d at %s", c.UserID, c.Site)
}

// GoString keeps %#v from printing the token.
func (c Credentials) GoString() string { return "moodle.Credentials{" + c.String() + "}" }

// LogValue logs the site and user, not the token.
func (c Credentials) LogValue() slog.Value {
	return slog.GroupValue(slog.String("site", c.Site), slog.Int64("moodle_user", c.UserID))
}
