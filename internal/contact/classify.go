package contact

import "github.com/knowthystudents/kts/internal/failure"

// Outcomes of a failed write call, from the one table of failures (internal/failure).
const (
	notWritten = failure.NotWritten // Moodle refused before writing, or was never reached
	answered   = failure.Answered   // Moodle finished with an error: looking says whether it wrote
	// Anything else (failure.NoAnswer): no answer came, the write may still be happening.
)

// judge classifies a failed write call (what: "message", "note"), with the sentence a teacher
// reads when the write is known not to have happened, or the clause that starts it when
// Moodle answered.
func judge(err error, what string) (failure.Outcome, string) {
	return failure.Explain(err).Write(what)
}
