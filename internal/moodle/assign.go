package moodle

import (
	"context"
	"strconv"
)

// Assignment is an assignment of mod_assign_get_assignments.
type Assignment struct {
	ID                       int64   `json:"id"`
	CMID                     int64   `json:"cmid"`
	Course                   int64   `json:"course"`
	Name                     string  `json:"name"`
	NoSubmissions            int     `json:"nosubmissions"`
	SubmissionDrafts         int     `json:"submissiondrafts"`
	DueDate                  Time    `json:"duedate"`
	AllowSubmissionsFromDate Time    `json:"allowsubmissionsfromdate"`
	Grade                    float64 `json:"grade"` // maximum grade; negative for a scale
	TimeModified             Time    `json:"timemodified"`
	CompletionSubmit         int     `json:"completionsubmit"`
	CutoffDate               Time    `json:"cutoffdate"`
	GradingDueDate           Time    `json:"gradingduedate"`
	TeamSubmission           int     `json:"teamsubmission"`
	MaxAttempts              int     `json:"maxattempts"`
	Intro                    string  `json:"intro"`
}

// AssignmentsReply is the reply of mod_assign_get_assignments.
type AssignmentsReply struct {
	Courses []struct {
		ID          int64        `json:"id"`
		FullName    string       `json:"fullname"`
		ShortName   string       `json:"shortname"`
		Assignments []Assignment `json:"assignments"`
	} `json:"courses"`
	Warnings []Warning `json:"warnings"`
}

// All returns every assignment of every course in the reply.
func (r *AssignmentsReply) All() []Assignment {
	var out []Assignment
	for _, c := range r.Courses {
		out = append(out, c.Assignments...)
	}
	return out
}

// Assignments calls mod_assign_get_assignments; capabilities (e.g. mod/assign:grade) narrows
// the reply to assignments where the user holds them.
func (c *Client) Assignments(ctx context.Context, token string, courseIDs []int64, capabilities ...string) (*AssignmentsReply, error) {
	var out AssignmentsReply
	p := newParams().IntList("courseids", courseIDs).StringList("capabilities", capabilities)
	if err := c.call(ctx, token, "mod_assign_get_assignments", p, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Submission is a submission record (mod_assign_get_submissions, submission status).
type Submission struct {
	ID            int64  `json:"id"`
	UserID        int64  `json:"userid"`
	AttemptNumber int    `json:"attemptnumber"`
	TimeCreated   Time   `json:"timecreated"`
	TimeModified  Time   `json:"timemodified"`
	TimeStarted   Time   `json:"timestarted"`
	Status        string `json:"status"` // new, draft, submitted, reopened
	GroupID       int64  `json:"groupid"`
	GradingStatus string `json:"gradingstatus"`
}

// AssignmentSubmissions are one assignment's submissions.
type AssignmentSubmissions struct {
	AssignmentID int64        `json:"assignmentid"`
	Submissions  []Submission `json:"submissions"`
}

// SubmissionsReply is the reply of mod_assign_get_submissions. A student gets no assignments
// and a warning, not an exception.
type SubmissionsReply struct {
	Assignments []AssignmentSubmissions `json:"assignments"`
	Warnings    []Warning               `json:"warnings"`
}

// SubmissionsOptions filter mod_assign_get_submissions.
type SubmissionsOptions struct {
	Status string // e.g. "submitted"; empty for all
	Since  Time   // only submissions modified at or after; zero for all
}

// Submissions calls mod_assign_get_submissions for several assignments at once.
func (c *Client) Submissions(ctx context.Context, token string, assignIDs []int64, o SubmissionsOptions) (*SubmissionsReply, error) {
	p := newParams().IntList("assignmentids", assignIDs)
	if o.Status != "" {
		p.Set("status", o.Status)
	}
	if !o.Since.Never() {
		p.SetInt("since", o.Since.Unix())
	}
	var out SubmissionsReply
	if err := c.call(ctx, token, "mod_assign_get_submissions", p, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// AssignGrade is a grade record of mod_assign_get_grades.
type AssignGrade struct {
	ID            int64  `json:"id"`
	UserID        int64  `json:"userid"`
	AttemptNumber int    `json:"attemptnumber"`
	TimeCreated   Time   `json:"timecreated"`
	TimeModified  Time   `json:"timemodified"`
	Grader        int64  `json:"grader"`
	Grade         Number `json:"grade"` // sent as a string ("92.00000"); negative means no grade
}

// Graded reports whether the record holds a real grade (Moodle writes -1 for "no grade").
func (g AssignGrade) Graded() bool { return g.Grade.Valid && g.Grade.Value >= 0 }

// GradesReply is the reply of mod_assign_get_grades. Assignments without grades appear only
// as warnings.
type GradesReply struct {
	Assignments []AssignmentGrades `json:"assignments"`
	Warnings    []Warning          `json:"warnings"`
}

// AssignmentGrades are one assignment's grades.
type AssignmentGrades struct {
	AssignmentID int64         `json:"assignmentid"`
	Grades       []AssignGrade `json:"grades"`
}

// Grades calls mod_assign_get_grades; since (optional) keeps grades modified at or after it.
func (c *Client) Grades(ctx context.Context, token string, assignIDs []int64, since Time) (*GradesReply, error) {
	p := newParams().IntList("assignmentids", assignIDs)
	if !since.Never() {
		p.SetInt("since", since.Unix())
	}
	var out GradesReply
	if err := c.call(ctx, token, "mod_assign_get_grades", p, &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// UserFlag is a per-user assignment flag: extensions live here.
type UserFlag struct {
	ID               int64  `json:"id"`
	UserID           int64  `json:"userid"`
	Locked           int    `json:"locked"`
	Mailed           int    `json:"mailed"`
	ExtensionDueDate Time   `json:"extensionduedate"`
	WorkflowState    string `json:"workflowstate"`
	AllocatedMarker  int64  `json:"allocatedmarker"`
}

// UserFlagsReply is the reply of mod_assign_get_user_flags.
type UserFlagsReply struct {
	Assignments []AssignmentUserFlags `json:"assignments"`
	Warnings    []Warning             `json:"warnings"`
}

// AssignmentUserFlags are one assignment's user flags.
type AssignmentUserFlags struct {
	AssignmentID int64      `json:"assignmentid"`
	UserFlags    []UserFlag `json:"userflags"`
}

// UserFlags calls mod_assign_get_user_flags.
func (c *Client) UserFlags(ctx context.Context, token string, assignIDs []int64) (*UserFlagsReply, error) {
	var out UserFlagsReply
	if err := c.call(ctx, token, "mod_assign_get_user_flags", newParams().IntList("assignmentids", assignIDs), &out); err != nil {
		return nil, err
	}
	return &out, nil
}

// Participant is an entry of mod_assign_list_participants (teachers only; suspended
// enrolments are left out).
type Participant struct {
	ID               int64       `json:"id"`
	FirstName        string      `json:"firstname"`
	LastName         string      `json:"lastname"`
	FullName         string      `json:"fullname"`
	Email            string      `json:"email"`
	FirstAccess      Time        `json:"firstaccess"`
	LastAccess       Time        `json:"lastaccess"`
	Suspended        bool        `json:"suspended"`
	Groups           []UserGroup `json:"groups"`
	Roles            []Role      `json:"roles"`
	Submitted        bool        `json:"submitted"`
	RequireGrading   bool        `json:"requiregrading"`
	GrantedExtension bool        `json:"grantedextension"`
	SubmissionStatus string      `json:"submissionstatus"`
}

// ListParticipantsOptions are the arguments of mod_assign_list_participants.
type ListParticipantsOptions struct {
	AssignID          int64
	GroupID           int64
	Filter            string
	Skip, Limit       int
	OnlyIDs           bool
	IncludeEnrolments bool
	TableSort         bool
}

// ListParticipants calls mod_assign_list_participants. A student gets nopermission, which
// makes it a cheap probe for "may grade in this course".
func (c *Client) ListParticipants(ctx context.Context, token string, o ListParticipantsOptions) ([]Participant, error) {
	p := newParams().SetInt("assignid", o.AssignID).SetInt("groupid", o.GroupID).Set("filter", o.Filter).
		Set("skip", strconv.Itoa(o.Skip)).Set("limit", strconv.Itoa(o.Limit)).SetBool("onlyids", o.OnlyIDs).
		SetBool("includeenrolments", o.IncludeEnrolments).SetBool("tablesort", o.TableSort)
	var out []Participant
	err := c.call(ctx, token, "mod_assign_list_participants", p, &out)
	return out, err
}

// SubmissionStatus is the reply of mod_assign_get_submission_status for one user.
type SubmissionStatus struct {
	GradingSummary *struct {
		ParticipantCount            int  `json:"participantcount"`
		SubmissionDraftsCount       int  `json:"submissiondraftscount"`
		SubmissionsEnabled          bool `json:"submissionsenabled"`
		SubmissionsSubmittedCount   int  `json:"submissionssubmittedcount"`
		SubmissionsNeedGradingCount int  `json:"submissionsneedgradingcount"`
	} `json:"gradingsummary"`
	LastAttempt *struct {
		// Submission is nil on the very first read for a student without a record.
		Submission         *Submission `json:"submission"`
		SubmissionsEnabled bool        `json:"submissionsenabled"`
		Locked             bool        `json:"locked"`
		Graded             bool        `json:"graded"`
		CanEdit            bool        `json:"canedit"`
		CanSubmit          bool        `json:"cansubmit"`
		ExtensionDueDate   Time        `json:"extensionduedate"`
		GradingStatus      string      `json:"gradingstatus"`
		UserGroups         []int64     `json:"usergroups"`
	} `json:"lastattempt"`
	Feedback *struct {
		Grade           *AssignGrade `json:"grade"`
		GradeForDisplay string       `json:"gradefordisplay"` // HTML entities
		GradedDate      Time         `json:"gradeddate"`
		Plugins         []Plugin     `json:"plugins"`
	} `json:"feedback"`
	Warnings []Warning `json:"warnings"`
}

// Plugin is a submission or feedback plugin's content.
type Plugin struct {
	Type         string `json:"type"`
	Name         string `json:"name"`
	EditorFields []struct {
		Name        string `json:"name"`
		Description string `json:"description"`
		Text        string `json:"text"` // HTML
		Format      int    `json:"format"`
	} `json:"editorfields"`
}

// SubmissionStatus calls mod_assign_get_submission_status. Beware: on a student without a
// submission record, Moodle creates a "new" record as a side effect of this read.
func (c *Client) SubmissionStatus(ctx context.Context, token string, assignID, userID int64) (*SubmissionStatus, error) {
	var out SubmissionStatus
	p := newParams().SetInt("assignid", assignID).SetInt("userid", userID)
	if err := c.call(ctx, token, "mod_assign_get_submission_status", p, &out); err != nil {
		return nil, err
	}
	return &out, nil
}
