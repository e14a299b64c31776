package views

// StudentNav moves between students from a student page: within the attention queue
// (?from=queue) or within the cohort's current filter and sort.
type StudentNav struct {
	Within   string // "in your attention queue", "in this list"
	BackHref string // the queue or the filtered cohort
	PrevHref string
	NextHref string
	Pos, Of  int // 1-based; 0 when the student is not in the list
}
