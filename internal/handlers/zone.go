package handlers

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/knowthystudents/kts/internal/auth"
	"github.com/knowthystudents/kts/internal/moodle"
)

// keyZone holds "<moodle user id>:<zone name>" in the session: the teacher's Moodle time zone,
// found once per session (an empty name: Moodle names none, so the server's -timezone).
// The user id in it keeps a zone from outliving a sign-in as someone else.
const keyZone = "tz"

// zoneLookupTimeout bounds the two Moodle calls that find the zone: a slow Moodle shows the
// page in the server's zone (and tries again on the next page) rather than holding it.
const zoneLookupTimeout = 3 * time.Second

// zone returns the time zone the signed-in teacher reads dates in, by Moodle's rule: the
// site's forced zone, else their profile's, else the site's default, else -timezone. It asks
// Moodle once per session.
func (s *server) zone(r *http.Request) *time.Location {
	u, ok := s.sess.Current(r.Context())
	if !ok {
		return s.Location
	}
	prefix := strconv.FormatInt(u.UserID, 10) + ":"
	if v := s.Sessions.GetString(r.Context(), keyZone); strings.HasPrefix(v, prefix) {
		return s.location(strings.TrimPrefix(v, prefix))
	}
	name, ok := s.lookupZone(r.Context(), u)
	if !ok {
		return s.Location // not known yet: asked again on the next page
	}
	s.Sessions.Put(r.Context(), keyZone, prefix+name)
	return s.location(name)
}

// location turns a stored zone name into a location, the server's default for "".
func (s *server) location(name string) *time.Location {
	if name == "" {
		return s.Location
	}
	if l, ok := moodle.LoadZone(name); ok {
		return l
	}
	return s.Location
}

// lookupZone asks Moodle, in one batch request, for the user's own timezone
// (core_user_get_users_by_field) and the site's (tool_mobile_get_config, section
// locationsettings). ok is false when the answer did not arrive, so the caller asks again
// later; a function the token's service does not allow counts as "no zone".
func (s *server) lookupZone(ctx context.Context, u auth.User) (name string, ok bool) {
	ctx, cancel := context.WithTimeout(ctx, zoneLookupTimeout)
	defer cancel()
	var calls []moodle.BatchItem
	var user *moodle.BatchCall[[]moodle.User]
	var site *moodle.BatchCall[moodle.SiteConfigReply]
	if u.Allows(moodle.FuncUsersByField) {
		user = moodle.UserByIDCall(u.UserID)
		calls = append(calls, user)
	}
	if u.Allows(moodle.FuncSiteConfig) {
		site = moodle.SiteConfigCall("locationsettings")
		calls = append(calls, site)
	}
	if len(calls) == 0 {
		return "", true
	}
	if err := s.Moodle.RunBatch(ctx, u.Token, calls...); err != nil {
		return "", false
	}
	var own, def, force string
	if user != nil {
		if transient(user.Err) {
			return "", false
		}
		if user.Err == nil && len(user.Reply) == 1 {
			own = user.Reply[0].Timezone
		}
	}
	if site != nil {
		if transient(site.Err) {
			return "", false
		}
		def, force = site.Reply.Get("timezone"), site.Reply.Get("forcetimezone")
	}
	name, _ = moodle.UserZone(force, own, def)
	return name, true
}

// transient reports whether err may go away on its own (a timeout, Moodle down), as opposed
// to Moodle's answer that the call is not allowed.
func transient(err error) bool {
	if err == nil {
		return false
	}
	var me *moodle.Error
	return !errors.As(err, &me)
}
