package contact

import (
	"errors"
	"net/http"

	"github.com/knowthystudents/kts/internal/moodle"
)

// verdict is what a failed call says about the write it carried.
type verdict int

const (
	// notWritten: Moodle refused before writing, or was never reached.
	notWritten verdict = iota
	// answered: Moodle finished the request with an error; whether it wrote is seen by looking.
	answered
	// noAnswer: no answer came; the write may still be happening.
	noAnswer
)

// judge classifies a failed write call, with the sentence a teacher reads when the write is
// known not to have happened.
func judge(err error, what string) (verdict, string) {
	var me *moodle.Error
	var se *moodle.StatusError
	var ne *moodle.NetworkError
	switch {
	case errors.Is(err, moodle.ErrUnavailable):
		return notWritten, "Moodle failed several times in a row just now, so the dashboard did not ask it; try again in a minute."
	case errors.As(err, &ne) && ne.Kind == moodle.NetRefused:
		// Refused at connect: the request never left. (A connection cut later, also
		// "unreachable" to pages that read, may have carried the write.)
		return notWritten, "The dashboard could not reach Moodle; try again when it is back."
	case errors.Is(err, moodle.ErrAccessException):
		return notWritten, "Your Moodle site's web service does not include the function for this; ask your Moodle administrator to add it."
	case errors.As(err, &me) && (me.Code == "disabled" || me.Code == "messagingdisabled"):
		return notWritten, "Messaging is switched off on this Moodle site."
	case errors.Is(err, moodle.ErrNoPermission):
		return notWritten, "Moodle does not let your account do this."
	case errors.Is(err, moodle.ErrInvalidToken):
		return notWritten, "Moodle no longer accepts your sign-in; sign in again and retry."
	case errors.Is(err, moodle.ErrInvalidParameter):
		return notWritten, "Moodle did not accept the " + what + " as sent."
	case errors.As(err, &me):
		return answered, "Moodle answered with an error"
	case errors.As(err, &se) && se.StatusCode == http.StatusGatewayTimeout:
		return noAnswer, ""
	case errors.As(err, &se) && se.StatusCode >= 500:
		return answered, "Moodle answered with a server error (HTTP " + itoa(se.StatusCode) + ")"
	case errors.As(err, &se):
		return notWritten, "Moodle refused the request (HTTP " + itoa(se.StatusCode) + ")."
	case errors.Is(err, moodle.ErrNotJSON), errors.Is(err, moodle.ErrTruncated), errors.Is(err, moodle.ErrBodyTooLarge):
		return answered, "Moodle's answer was broken"
	}
	return noAnswer, ""
}
