package cohort

// fillFlags computes the median the "behind" flag compares with, then every student's flags
// and the course's flag counts.
func (c *Cohort) fillFlags() {
	var hist [101]int
	n := 0
	for _, s := range c.Students {
		if !s.Suspended && s.Completion.comparable() {
			hist[min(max(s.Completion.Percent, 0), 100)]++
			n++
		}
	}
	if n > 0 {
		c.MedianCompletion, c.MedianKnown = medianOf(hist[:], n), true
	}
	fc := newFlagContext(c)
	for i := range c.Students {
		c.Students[i].Flags = flagsOf(&c.Students[i], fc)
	}
	codes := c.FlagCodes()
	c.FlagCounts = make([]FlagCount, len(codes))
	pos := make(map[FlagCode]int, len(codes))
	for i, code := range codes {
		c.FlagCounts[i].Code = code
		pos[code] = i
	}
	for _, s := range c.Students {
		for _, f := range s.Flags {
			if i, ok := pos[f.Code]; ok && (!s.Suspended || f.Code == FlagSuspended) {
				c.FlagCounts[i].Count++
			}
		}
	}
}

// medianOf returns the median of n values given as a histogram of whole percents.
func medianOf(hist []int, n int) float64 {
	nth := func(k int) int { // the k-th smallest, 0-based
		for v, cnt := range hist {
			if k < cnt {
				return v
			}
			k -= cnt
		}
		return len(hist) - 1
	}
	if n%2 == 1 {
		return float64(nth(n / 2))
	}
	return float64(nth(n/2-1)+nth(n/2)) / 2
}
