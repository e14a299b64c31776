package moodle

import "context"

// Forum is an entry of mod_forum_get_forums_by_courses.
type Forum struct {
	ID                    int64  `json:"id"`
	Course                int64  `json:"course"`
	Type                  string `json:"type"`
	Name                  string `json:"name"`
	CMID                  int64  `json:"cmid"`
	DueDate               Time   `json:"duedate"`
	CutoffDate            Time   `json:"cutoffdate"`
	CompletionDiscussions int    `json:"completiondiscussions"`
	CompletionReplies     int    `json:"completionreplies"`
	CompletionPosts       int    `json:"completionposts"`
	NumDiscussions        int    `json:"numdiscussions"`
}

// Forums calls mod_forum_get_forums_by_courses.
func (c *Client) Forums(ctx context.Context, token string, courseIDs []int64) ([]Forum, error) {
	var out []Forum
	err := c.call(ctx, token, "mod_forum_get_forums_by_courses", newParams().IntList("courseids", courseIDs), &out)
	return out, err
}

// Quiz is an entry of mod_quiz_get_quizzes_by_courses.
type Quiz struct {
	ID             int64   `json:"id"`
	CourseModule   int64   `json:"coursemodule"`
	Course         int64   `json:"course"`
	Name           string  `json:"name"`
	Section        int     `json:"section"`
	Visible        bool    `json:"visible"`
	TimeOpen       Time    `json:"timeopen"`
	TimeClose      Time    `json:"timeclose"`
	TimeLimit      int     `json:"timelimit"`
	Attempts       int     `json:"attempts"`
	SumGrades      float64 `json:"sumgrades"`
	Grade          float64 `json:"grade"`
	CompletionPass int     `json:"completionpass"`
}

// QuizzesReply is the reply of mod_quiz_get_quizzes_by_courses.
type QuizzesReply struct {
	Quizzes  []Quiz    `json:"quizzes"`
	Warnings []Warning `json:"warnings"`
}

// Quizzes calls mod_quiz_get_quizzes_by_courses.
func (c *Client) Quizzes(ctx context.Context, token string, courseIDs []int64) (*QuizzesReply, error) {
	var out QuizzesReply
	if err := c.call(ctx, token, "mod_quiz_get_quizzes_by_courses", newParams().IntList("courseids", courseIDs), &out); err != nil {
		return nil, err
	}
	return &out, nil
}
