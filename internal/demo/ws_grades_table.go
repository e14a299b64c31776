package demo

import (
	"fmt"
	"html"
)

type wireCell struct {
	Class   string `json:"class"`
	Colspan *int   `json:"colspan,omitempty"`
	Rowspan *int   `json:"rowspan,omitempty"`
	Content string `json:"content,omitempty"`
	Headers string `json:"headers,omitempty"`
	ID      string `json:"id,omitempty"`
}

type wireTableRow struct {
	Itemname                  *wireCell `json:"itemname,omitempty"`
	Leader                    *wireCell `json:"leader,omitempty"`
	Weight                    *wireCell `json:"weight,omitempty"`
	Grade                     *wireCell `json:"grade,omitempty"`
	Range                     *wireCell `json:"range,omitempty"`
	Percentage                *wireCell `json:"percentage,omitempty"`
	Feedback                  *wireCell `json:"feedback,omitempty"`
	Contributiontocoursetotal *wireCell `json:"contributiontocoursetotal,omitempty"`
	Parentcategories          []int     `json:"parentcategories"`
}

type wireGradesTable struct {
	Courseid     int            `json:"courseid"`
	Userid       int            `json:"userid"`
	Userfullname string         `json:"userfullname"`
	Maxdepth     int            `json:"maxdepth"`
	Tabledata    []wireTableRow `json:"tabledata"`
}

type wireGradesTables struct {
	Tables   []wireGradesTable `json:"tables"`
	Warnings []wireWarning     `json:"warnings"`
}

// gradesTable answers gradereport_user_get_grades_table: the user report as
// table cells. The cells carry simpler HTML than Moodle's but the same
// structure: a category row, a leader row, one row per item and the course
// total.
func gradesTable(c *call) (any, error) {
	co, list, err := c.gradeReportUsers()
	if err != nil {
		return nil, err
	}
	out := wireGradesTables{Tables: []wireGradesTable{}, Warnings: []wireWarning{}}
	for _, e := range list {
		out.Tables = append(out.Tables, c.gradesTableOf(co, e))
	}
	c.work(float64(len(list)))
	return out, nil
}

func (c *call) gradesTableOf(co *course, e *enrolment) wireGradesTable {
	ug := userGradeItems(co, e)
	uid, cat := e.user.id, co.categoryID
	catID := fmt.Sprintf("cat_%d_%d", cat, uid)
	rows := []wireTableRow{
		{Itemname: &wireCell{Class: "level1 d1 b1b b1t category column-itemname", Colspan: ptr(8),
			Content: `<div class="d-flex category-content"><span>` + html.EscapeString(co.fullname) + `</span></div>`,
			ID:      catID}, Parentcategories: []int{}},
		{Leader: &wireCell{Class: "level1 d1 b1t b2b b1l", Rowspan: ptr(len(ug.Gradeitems) + 1)}, Parentcategories: []int{cat}},
	}
	var totalMax float64
	if n := len(ug.Gradeitems); n > 0 {
		totalMax = ug.Gradeitems[n-1].Grademax
	}
	for _, it := range ug.Gradeitems {
		rowID := fmt.Sprintf("row_%d_%d", it.ID, uid)
		level := "level2 item b1b"
		name := "Course total"
		if it.Itemname != nil {
			name = *it.Itemname
		}
		content := fmt.Sprintf(`<div class="item d-flex align-items-center"><div class="rowtitle">%s</div></div>`, html.EscapeString(name))
		if it.Cmid != nil {
			content = fmt.Sprintf(`<div class="item d-flex align-items-center"><div class="rowtitle"><a class="gradeitemheader" href="%s/mod/%s/view.php?id=%d">%s</a></div></div>`,
				c.base, *it.Itemmodule, *it.Cmid, html.EscapeString(name))
		} else {
			level = "level1 d1 baggt b2b"
		}
		cell := func(col, content string) *wireCell {
			return &wireCell{Class: level + " itemcenter column-" + col, Content: content,
				Headers: fmt.Sprintf("%s %s %s%d", catID, rowID, col, uid)}
		}
		weight, contribution := "-", "-"
		if it.Weightformatted != nil {
			weight = *it.Weightformatted
			if it.Graderaw == nil {
				weight += "<br>( Empty )"
			}
			contribution = "0.00 %"
			if it.Graderaw != nil && totalMax > 0 {
				contribution = fmt.Sprintf("%.2f %%", *it.Graderaw/totalMax*100)
			}
		}
		feedback := it.Feedback
		if feedback == "" {
			feedback = "&nbsp;"
		}
		rows = append(rows, wireTableRow{
			Itemname:                  &wireCell{Class: level + " column-itemname", Colspan: ptr(1), Content: content, ID: rowID},
			Weight:                    cell("weight", weight),
			Grade:                     cell("grade", it.Gradeformatted),
			Range:                     cell("range", it.Rangeformatted),
			Percentage:                cell("percentage", it.Percentageformatted),
			Feedback:                  cell("feedback", feedback),
			Contributiontocoursetotal: cell("contributiontocoursetotal", contribution),
			Parentcategories:          []int{cat},
		})
	}
	return wireGradesTable{Courseid: co.id, Userid: uid, Userfullname: e.user.fullname(), Maxdepth: 2, Tabledata: rows}
}
