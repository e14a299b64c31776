package views

import "strconv"

// ComposeView is the message form, its preview and, after sending, each recipient's outcome.
type ComposeView struct {
	CourseID     int64
	CourseName   string
	Path         string
	Key          string
	Text         string
	Recipients   []MessageRecipient
	Placeholders [][2]string
	Preview      string // the exact text PreviewFor gets
	PreviewFor   string
	PreviewID    int64 // whose preview is shown (a select lets the teacher pick)
	Error        string
	Unavailable  string // why messaging cannot be used, in a sentence; the form is then hidden
	NeedConfirm  bool   // more recipients than the confirmation threshold
	ConfirmAbove int
	Max          int
	Result       *MessageResult
	// TooMany is the size of a selection over Max: the page then offers Narrow instead of
	// the form, and BackHref returns to the filtered cohort.
	TooMany  int
	Narrow   []NarrowLink
	BackHref string
}

// NarrowLink is a smaller selection to write to: "only those overdue (12)".
type NarrowLink struct {
	Label string
	Count int
	Href  string
}

// MessageRecipient is one selected student.
type MessageRecipient struct {
	UserID  int64
	Name    string
	Flags   string
	Preview bool
}

// MessageResult is the outcome of a send.
type MessageResult struct {
	Repeat   bool
	Sent     int
	Failed   int
	Unknown  int
	Rows     []MessageOutcome
	RetryIDs []int64
	SentIDs  []int64
	CanNote  bool
	NoteText string
}

// Summary says in one sentence how many got the message: "3 delivered, 1 not delivered."
func (r *MessageResult) Summary() string {
	s := strconv.Itoa(r.Sent) + " delivered"
	if r.Failed > 0 {
		s += ", " + strconv.Itoa(r.Failed) + " not delivered"
	}
	if r.Unknown > 0 {
		s += ", " + strconv.Itoa(r.Unknown) + " not known"
	}
	return s + "."
}

// MessageOutcome is one recipient's outcome.
type MessageOutcome struct {
	UserID int64
	Name   string
	Status string
	Reason string
	Href   string
}
