package views

import (
	"strconv"
	"strings"
	"time"

	"github.com/knowthystudents/kts/internal/cohort"
)

// PathChart is a student's completions over time against the course's median path, drawn on
// the server as SVG, with the same facts in words beside it.
type PathChart struct {
	Width, Height int
	Student       string // the student's polyline points
	Median        string // the median's polyline points, "" when unknown
	Submissions   []ChartMark
	YTicks        []ChartTick
	XTicks        []ChartTick
	Left, Bottom  int
	Summary       string // the text equivalent
}

// ChartMark is a submission on the time axis.
type ChartMark struct {
	X     int
	Title string
}

// ChartTick is an axis label.
type ChartTick struct {
	Pos   int
	Label string
}

const (
	pathW, pathH         = 560, 190
	pathLeft, pathBottom = 34, 24
	pathTop, pathRight   = 8, 10
	medianSamples        = 48
)

// NewPathChart draws st's path; ok is false when there is nothing to draw (completion not
// loaded, or no activity with completion).
func NewPathChart(c *cohort.Cohort, st cohort.Student, loc *time.Location) (PathChart, bool) {
	total := st.Completion.Total
	if !st.Completion.Loaded || total == 0 {
		return PathChart{}, false
	}
	start, end := c.FirstActivity(), c.Now
	for _, a := range st.Assignments {
		if !a.Submitted.Never() && (start.IsZero() || a.Submitted.Time().Before(start)) {
			start = a.Submitted.Time()
		}
	}
	if start.IsZero() || !start.Before(end) {
		start = end.Add(-14 * 24 * time.Hour)
	}
	start = start.Add(-24 * time.Hour)
	ch := PathChart{Width: pathW, Height: pathH, Left: pathLeft, Bottom: pathH - pathBottom}
	plotW, plotH := float64(pathW-pathLeft-pathRight), float64(pathH-pathTop-pathBottom)
	x := func(t time.Time) int {
		return pathLeft + int(plotW*float64(t.Sub(start))/float64(end.Sub(start)))
	}
	y := func(n float64) int { return pathTop + int(plotH*(1-n/float64(total))) }

	times := st.CompletionTimes()
	var pts []string
	pt := func(t time.Time, n float64) { pts = append(pts, strconv.Itoa(x(t))+","+strconv.Itoa(y(n))) }
	pt(start, 0)
	for i, t := range times {
		pt(t, float64(i))
		pt(t, float64(i+1))
	}
	pt(end, float64(len(times)))
	ch.Student = strings.Join(pts, " ")

	at := make([]time.Time, medianSamples+1)
	for i := range at {
		at[i] = start.Add(time.Duration(float64(end.Sub(start)) * float64(i) / medianSamples))
	}
	median, ok := c.MedianPath(at)
	medianNow := 0.0
	if ok {
		var mp []string
		for i, t := range at {
			mp = append(mp, strconv.Itoa(x(t))+","+strconv.Itoa(y(min(median[i], float64(total)))))
		}
		ch.Median = strings.Join(mp, " ")
		medianNow = median[len(median)-1]
	}
	var subs []string
	for i, a := range st.Assignments {
		if a.Submitted.Never() || i >= len(c.Assignments) {
			continue
		}
		name := c.Assignments[i].Name
		day := a.Submitted.Time().In(loc).Format("2 Jan")
		ch.Submissions = append(ch.Submissions, ChartMark{X: x(a.Submitted.Time()), Title: name + " submitted " + day})
		subs = append(subs, name+" on "+day)
	}
	for n := 0; n <= total; n += max(1, total/4) {
		ch.YTicks = append(ch.YTicks, ChartTick{Pos: y(float64(n)), Label: strconv.Itoa(n)})
	}
	for i := 0; i <= 4; i++ {
		t := start.Add(time.Duration(float64(end.Sub(start)) * float64(i) / 4))
		ch.XTicks = append(ch.XTicks, ChartTick{Pos: x(t), Label: t.In(loc).Format("2 Jan")})
	}

	var b strings.Builder
	b.WriteString(st.FullName + " has completed " + strconv.Itoa(len(times)) + " of " + strconv.Itoa(total) + " activities")
	if len(times) > 0 {
		b.WriteString(", the last on " + times[len(times)-1].In(loc).Format("2 Jan"))
	}
	b.WriteString(".")
	if ok {
		b.WriteString(" By now the course's median student has completed " + formatCount(medianNow) + ".")
	}
	if len(subs) > 0 {
		b.WriteString(" Submitted: " + strings.Join(subs, ", ") + ".")
	} else if len(c.Assignments) > 0 {
		b.WriteString(" No assignment submitted yet.")
	}
	ch.Summary = b.String()
	return ch, true
}

// SpreadChart is the spread of completion across the students shown: one bar per tenth.
type SpreadChart struct {
	Width, Height int
	Bars          []SpreadBar
	Summary       string
}

// SpreadBar is one tenth of completion.
type SpreadBar struct {
	X, Y, H int
	Label   string
	Count   int
}

const spreadBarW, spreadH = 40, 120

// NewSpreadChart draws how the students of rows spread over completion; ok is false when no
// student's completion is in.
func NewSpreadChart(rows []cohort.Student) (SpreadChart, bool) {
	bins, n := cohort.CompletionSpread(rows)
	if n == 0 {
		return SpreadChart{}, false
	}
	most := 1
	for _, b := range bins {
		most = max(most, b)
	}
	ch := SpreadChart{Width: len(bins) * spreadBarW, Height: spreadH}
	var parts []string
	for i, b := range bins {
		label := strconv.Itoa(i*10) + "–" + strconv.Itoa(i*10+9)
		if i == 10 {
			label = "100"
		}
		h := (spreadH - 36) * b / most
		ch.Bars = append(ch.Bars, SpreadBar{X: i * spreadBarW, Y: spreadH - 20 - h, H: h, Label: label, Count: b})
		if b > 0 {
			parts = append(parts, label+" %: "+strconv.Itoa(b))
		}
	}
	ch.Summary = "Completion of the " + Plural(n, "student", "students") + " shown, in tenths: " + strings.Join(parts, "; ") + "."
	return ch, true
}

func formatCount(f float64) string {
	if f == float64(int(f)) {
		return Plural(int(f), "activity", "activities")
	}
	return strconv.FormatFloat(f, 'f', 1, 64) + " activities"
}
