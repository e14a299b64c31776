package demo

type wireForum struct {
	ID                    int    `json:"id"`
	Course                int    `json:"course"`
	Type                  string `json:"type"`
	Name                  string `json:"name"`
	Intro                 string `json:"intro"`
	Introformat           int    `json:"introformat"`
	Introfiles            []any  `json:"introfiles"`
	Lang                  string `json:"lang"`
	Duedate               int64  `json:"duedate"`
	Cutoffdate            int64  `json:"cutoffdate"`
	Assessed              int    `json:"assessed"`
	Assesstimestart       int64  `json:"assesstimestart"`
	Assesstimefinish      int64  `json:"assesstimefinish"`
	Scale                 int    `json:"scale"`
	GradeForum            int    `json:"grade_forum"`
	GradeForumNotify      int    `json:"grade_forum_notify"`
	Maxbytes              int    `json:"maxbytes"`
	Maxattachments        int    `json:"maxattachments"`
	Forcesubscribe        int    `json:"forcesubscribe"`
	Trackingtype          int    `json:"trackingtype"`
	Rsstype               int    `json:"rsstype"`
	Rssarticles           int    `json:"rssarticles"`
	Timemodified          int64  `json:"timemodified"`
	Warnafter             int    `json:"warnafter"`
	Blockafter            int    `json:"blockafter"`
	Blockperiod           int    `json:"blockperiod"`
	Completiondiscussions int    `json:"completiondiscussions"`
	Completionreplies     int    `json:"completionreplies"`
	Completionposts       int    `json:"completionposts"`
	Cmid                  int    `json:"cmid"`
	Numdiscussions        int    `json:"numdiscussions"`
	Cancreatediscussions  bool   `json:"cancreatediscussions"`
	Lockdiscussionafter   int    `json:"lockdiscussionafter"`
	Istracked             bool   `json:"istracked"`
}

// memberCourses resolves courseids[] (none: every course of the caller) to
// the courses the caller is in, with a warning per other id.
func (c *call) memberCourses() ([]*course, []wireWarning, error) {
	ids, err := c.a.ints("courseids")
	if err != nil {
		return nil, nil, err
	}
	if len(ids) == 0 {
		return c.s.coursesOf(c.u.id), []wireWarning{}, nil
	}
	var list []*course
	warnings := []wireWarning{}
	for _, id := range ids {
		co := c.s.courseByID[int(id)]
		if co == nil || co.enrolByUser[c.u.id] == nil || co.enrolByUser[c.u.id].suspended {
			warnings = append(warnings, wireWarning{Item: "course", Itemid: int(id), Warningcode: "1",
				Message: "No access rights in course context"})
			continue
		}
		list = append(list, co)
	}
	return list, warnings, nil
}

// forumsByCourses answers mod_forum_get_forums_by_courses: a bare array.
func forumsByCourses(c *call) (any, error) {
	list, _, err := c.memberCourses()
	if err != nil {
		return nil, err
	}
	out := []wireForum{}
	for _, co := range list {
		for _, m := range co.mods {
			if m.modname != "forum" {
				continue
			}
			f := wireForum{ID: m.instance, Course: co.id, Type: m.forumType, Name: m.name, Intro: m.intro,
				Introformat: 1, Introfiles: []any{}, Maxattachments: 1, Trackingtype: 1,
				Timemodified: m.timemodified, Completionposts: m.completionPosts, Cmid: m.cmid,
				Cancreatediscussions: true}
			if m.forumType == "news" {
				f.Forcesubscribe = 1
			} else if co.discussionID != 0 {
				f.Numdiscussions = 1
			}
			out = append(out, f)
		}
	}
	return out, nil
}

type wireQuiz struct {
	ID                          int     `json:"id"`
	Coursemodule                int     `json:"coursemodule"`
	Course                      int     `json:"course"`
	Name                        string  `json:"name"`
	Intro                       string  `json:"intro"`
	Introformat                 int     `json:"introformat"`
	Introfiles                  []any   `json:"introfiles"`
	Section                     int     `json:"section"`
	Visible                     bool    `json:"visible"`
	Groupmode                   int     `json:"groupmode"`
	Groupingid                  int     `json:"groupingid"`
	Lang                        string  `json:"lang"`
	Timeopen                    int64   `json:"timeopen"`
	Timeclose                   int64   `json:"timeclose"`
	Timelimit                   int     `json:"timelimit"`
	Overduehandling             string  `json:"overduehandling"`
	Graceperiod                 int     `json:"graceperiod"`
	Preferredbehaviour          string  `json:"preferredbehaviour"`
	Canredoquestions            int     `json:"canredoquestions"`
	Attempts                    int     `json:"attempts"`
	Attemptonlast               int     `json:"attemptonlast"`
	Grademethod                 int     `json:"grademethod"`
	Decimalpoints               int     `json:"decimalpoints"`
	Questiondecimalpoints       int     `json:"questiondecimalpoints"`
	Reviewattempt               int     `json:"reviewattempt"`
	Reviewcorrectness           int     `json:"reviewcorrectness"`
	Reviewmaxmarks              int     `json:"reviewmaxmarks"`
	Reviewmarks                 int     `json:"reviewmarks"`
	Reviewspecificfeedback      int     `json:"reviewspecificfeedback"`
	Reviewgeneralfeedback       int     `json:"reviewgeneralfeedback"`
	Reviewrightanswer           int     `json:"reviewrightanswer"`
	Reviewoverallfeedback       int     `json:"reviewoverallfeedback"`
	Questionsperpage            int     `json:"questionsperpage"`
	Navmethod                   string  `json:"navmethod"`
	Shuffleanswers              int     `json:"shuffleanswers"`
	Sumgrades                   float64 `json:"sumgrades"`
	Grade                       float64 `json:"grade"`
	Timecreated                 int64   `json:"timecreated"`
	Timemodified                int64   `json:"timemodified"`
	Password                    string  `json:"password"`
	Subnet                      string  `json:"subnet"`
	Browsersecurity             string  `json:"browsersecurity"`
	Delay1                      int     `json:"delay1"`
	Delay2                      int     `json:"delay2"`
	Showuserpicture             int     `json:"showuserpicture"`
	Showblocks                  int     `json:"showblocks"`
	Completionattemptsexhausted int     `json:"completionattemptsexhausted"`
	Completionpass              int     `json:"completionpass"`
	Allowofflineattempts        int     `json:"allowofflineattempts"`
	Autosaveperiod              int     `json:"autosaveperiod"`
	Hasfeedback                 int     `json:"hasfeedback"`
	Hasquestions                int     `json:"hasquestions"`
}

type wireQuizzes struct {
	Quizzes  []wireQuiz    `json:"quizzes"`
	Warnings []wireWarning `json:"warnings"`
}

// quizzesByCourses answers mod_quiz_get_quizzes_by_courses.
func quizzesByCourses(c *call) (any, error) {
	list, warnings, err := c.memberCourses()
	if err != nil {
		return nil, err
	}
	out := wireQuizzes{Quizzes: []wireQuiz{}, Warnings: warnings}
	for _, co := range list {
		m := co.quiz
		if m == nil {
			continue
		}
		review := 69904
		out.Quizzes = append(out.Quizzes, wireQuiz{
			ID: m.instance, Coursemodule: m.cmid, Course: co.id, Name: m.name, Intro: m.intro, Introformat: 1,
			Introfiles: []any{}, Section: m.section.num, Visible: true, Overduehandling: "autosubmit",
			Graceperiod: 86400, Preferredbehaviour: "deferredfeedback", Grademethod: 1, Decimalpoints: 2,
			Questiondecimalpoints: -1, Reviewattempt: review, Reviewcorrectness: review, Reviewmaxmarks: review,
			Reviewmarks: review, Reviewspecificfeedback: review, Reviewgeneralfeedback: review,
			Reviewrightanswer: review, Reviewoverallfeedback: 4368, Questionsperpage: 1, Navmethod: "free",
			Shuffleanswers: 1, Sumgrades: float64(co.quizQuestions), Grade: m.quizGrade,
			Timecreated: m.timemodified, Timemodified: m.timemodified, Completionpass: 1,
			Autosaveperiod: 60, Hasquestions: 1,
		})
	}
	return out, nil
}
