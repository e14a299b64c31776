package demo

// This file is the KTS101 data of the recorded fixtures (internal/moodle/moodlefixtures,
// seed-data.json), one row per student. Times are hours relative to the site's
// anchor (Options.Now), copied from the recording where it shows them
// (submissions, grades, quiz attempts, accesses) and otherwise placed so
// every activity falls before the student's last course access.

// kts101Row is one student of the README's table.
type kts101Row struct {
	n               int
	id              int
	username        string
	first, last     string
	group           int // 1 = Group A, 2 = Group B
	suspended       bool
	never           bool // never logged in: every access time is 0
	courseAccessH   int  // last course access
	siteAccessH     int  // last site access
	handbookH       int  // "Course handbook" viewed; 0 = not
	readingH        int  // "Reading" ticked manually; 0 = not
	forumH          int  // second forum post; 0 = fewer than two
	furtherH        int  // "Further reading" viewed or overridden; 0 = not
	furtherOverride bool // the teacher overrode "Further reading" to complete
	posts           int
	a1, a2, a3      string // state codes of the README
	quiz            int    // score out of 10; -1 = no attempt
	quizH           int
}

func kts101Roster() []kts101Row {
	return []kts101Row{
		// n, id, username, first, last, group, suspended, never, courseAccessH, siteAccessH, handbookH, readingH, forumH, furtherH, furtherOverride, posts, a1, a2, a3, quiz, quizH
		{1, 5, "zoe.andersen", "Zoë", "Andersen", 1, false, false, 0, 0, -58, -38, -9, -5, false, 3, "g:92", "sub", "sub", 9, -64},
		{2, 6, "an.nguyen", "An", "Nguyễn", 2, false, false, -30, -25, -674, -671, -644, -31, false, 2, "g:85", "sub", "sub", 8, -57},
		{3, 7, "siobhan.obrien", "Siobhán", "O'Brien", 1, false, false, 0, 0, -661, -658, -631, -1, false, 2, "lg:78", "draft", "sub", 7, -64},
		{4, 8, "jose.martinez", "José", "Martínez", 2, false, false, -46, -51, -648, -645, -618, 0, false, 2, "g:74", "sub", "late", 6, -107},
		{5, 9, "lukasz.kowalski", "Łukasz", "Kowalski", 1, false, false, -77, -75, -635, 0, -605, -78, false, 2, "g:66", "new", "sub", 5, -141},
		{6, 10, "aisha.rahman", "Aisha", "Rahman", 2, false, false, -26, -24, -622, -619, -592, -27, false, 4, "g:95", "sub", "sub", 10, -91},
		{7, 11, "bjorn.lindqvist", "Björn", "Lindqvist", 1, false, false, -122, -120, -609, 0, 0, 0, false, 1, "g:45", "-", "draft", 3, -151},
		{8, 12, "chloe.dubois", "Chloé", "Dubois", 2, false, false, -6, 0, -596, -593, -566, 0, false, 2, "sub", "draft", "sub", 8, -48},
		{9, 13, "mei.chen", "Mei", "Chen", 1, false, false, -52, -49, -583, -580, -553, -53, false, 2, "g:88", "sub", "ext", 9, -75},
		{10, 14, "oliver.smith", "Oliver", "Smith", 2, false, false, -340, -336, -409, 0, 0, -359, true, 0, "late", "-", "-", -1, 0},
		{11, 15, "priya.patel", "Priya", "Patel", 1, false, false, -26, -24, -557, -554, -527, -27, false, 2, "g:81", "new", "sub", 7, -39},
		{12, 16, "mateo.garcia", "Mateo", "García", 2, false, false, -46, -97, -544, 0, 0, 0, false, 1, "g:58", "-", "late", 4, -82},
		{13, 17, "amara.okafor", "Amara", "Okafor", 1, false, false, -5, 0, -531, -528, -501, -6, false, 3, "g:90", "sub", "sub", 10, -21},
		{14, 18, "soren.holm", "Søren", "Holm", 2, false, false, -507, -24, 0, 0, 0, 0, false, 0, "-", "-", "-", -1, 0},
		{15, 19, "emily.johnson", "Emily", "Johnson", 1, false, false, -148, -146, -505, -502, 0, 0, false, 1, "g0", "-", "new", 5, -196},
		{16, 20, "hiroshi.tanaka", "Hiroshi", "Tanaka", 2, false, false, -52, -51, -492, -489, -462, -53, false, 2, "lg:70", "draft", "sub", 6, -71},
		{17, 21, "fatima.alsayed", "Fatima", "Al-Sayed", 1, false, false, -24, -24, -479, -476, -449, 0, false, 2, "g:77", "sub", "sub", 8, -78},
		{18, 22, "liam.murphy", "Liam", "Murphy", 2, false, false, -220, -219, -466, 0, 0, 0, false, 0, "draft", "-", "-", 2, -242},
		{19, 23, "anamaria.popescu", "Ana-Maria", "Popescu", 1, false, false, -72, -72, -453, -450, -423, -73, false, 2, "g:83", "new", "draft", 7, -111},
		{20, 24, "noah.williams", "Noah", "Williams", 2, false, false, -721, -720, 0, 0, 0, 0, false, 0, "-", "-", "-", -1, 0},
		{21, 25, "isabella.rossi", "Isabella", "Rossi", 1, false, false, -3, -1, -427, -424, -397, -4, false, 2, "g:71", "sub", "sub", 9, -53},
		{22, 26, "dmitri.volkov", "Dmitri", "Volkov", 2, false, false, -46, -168, -414, 0, 0, 0, false, 1, "late", "-", "late", 5, -51},
		{23, 27, "grace.kim", "Grace", "Kim", 1, false, false, -24, -24, -401, -398, -371, -25, false, 3, "g:97", "sub", "sub", 10, -89},
		{24, 28, "jamal.washington", "Jamal", "Washington", 2, false, false, -101, -97, -388, -385, -358, 0, false, 2, "g:62", "draft", "-", 6, -165},
		{25, 29, "sofia.muller", "Sofia", "Müller", 1, false, false, -54, -51, -375, 0, -345, -55, false, 2, "sub", "new", "sub", 7, -94},
		{26, 30, "ethan.brown", "Ethan", "Brown", 2, false, true, 0, 0, 0, 0, 0, 0, false, 0, "-", "-", "-", -1, 0},
		{27, 31, "lea.martin", "Léa", "Martin", 1, true, false, -240, -240, -283, 0, 0, 0, false, 0, "g:55", "-", "-", -1, 0},
		{28, 32, "kwame.mensah", "Kwame", "Mensah", 2, false, false, -46, -75, -336, -333, -306, -47, false, 2, "g:69", "sub", "late", 8, -98},
		{29, 33, "hannah.schmidt", "Hannah", "Schmidt", 1, false, false, -121, -121, -323, 0, 0, 0, false, 0, "g:49", "-", "-", 4, -145},
		{30, 34, "mehmet.yilmaz", "Mehmet", "Yılmaz", 2, false, false, -27, -25, -310, -307, -280, -28, false, 2, "lg:80", "sub", "sub", 7, -40},
	}
}

// kts101SubmissionRow is a submission record of the recording.
type kts101SubmissionRow struct {
	assign, user, id    int
	createdH, modifiedH int
}

func kts101Submissions() []kts101SubmissionRow {
	return []kts101SubmissionRow{
		// assign, user, id, createdH, modifiedH
		{1, 5, 1, -612, -564},
		{1, 6, 4, -626, -578},
		{1, 7, 7, -498, -450},
		{1, 8, 10, -636, -588},
		{1, 9, 13, -576, -528},
		{1, 10, 16, -603, -555},
		{1, 11, 19, -627, -579},
		{1, 12, 21, -577, -529},
		{1, 13, 24, -586, -538},
		{1, 14, 27, -448, -400},
		{1, 15, 28, -629, -581},
		{1, 16, 31, -610, -562},
		{1, 17, 33, -611, -563},
		{1, 19, 68, -632, -584},
		{1, 20, 37, -520, -472},
		{1, 21, 40, -636, -588},
		{1, 22, 43, -600, -552},
		{1, 23, 44, -582, -534},
		{1, 25, 47, -577, -529},
		{1, 26, 50, -477, -429},
		{1, 27, 52, -636, -588},
		{1, 28, 55, -605, -557},
		{1, 29, 57, -584, -536},
		{1, 31, 60, -608, -560},
		{1, 32, 61, -636, -588},
		{1, 33, 64, -636, -588},
		{1, 34, 65, -499, -451},
		{2, 5, 2, -100, -52},
		{2, 6, 5, -100, -52},
		{2, 7, 8, -76, -28},
		{2, 8, 11, -120, -72},
		{2, 9, 14, -126, -78},
		{2, 10, 17, -102, -54},
		{2, 12, 22, -125, -77},
		{2, 13, 25, -123, -75},
		{2, 15, 29, -102, -54},
		{2, 17, 34, -75, -27},
		{2, 20, 38, -101, -53},
		{2, 21, 41, -76, -28},
		{2, 23, 45, -121, -73},
		{2, 25, 48, -76, -28},
		{2, 27, 53, -101, -53},
		{2, 28, 56, -150, -102},
		{2, 29, 58, -103, -55},
		{2, 32, 62, -125, -77},
		{2, 34, 66, -82, -34},
		{3, 5, 3, -169, -121},
		{3, 6, 6, -124, -76},
		{3, 7, 9, -132, -84},
		{3, 8, 12, -95, -47},
		{3, 9, 15, -130, -82},
		{3, 10, 18, -125, -77},
		{3, 11, 20, -172, -124},
		{3, 12, 23, -180, -132},
		{3, 13, 26, -101, -53},
		{3, 15, 30, -174, -126},
		{3, 16, 32, -95, -47},
		{3, 17, 35, -173, -125},
		{3, 19, 36, -197, -149},
		{3, 20, 39, -171, -123},
		{3, 21, 42, -155, -107},
		{3, 23, 46, -147, -99},
		{3, 25, 49, -155, -107},
		{3, 26, 51, -95, -47},
		{3, 27, 54, -173, -125},
		{3, 29, 59, -151, -103},
		{3, 32, 63, -95, -47},
		{3, 34, 67, -145, -97},
	}
}

// kts101GradeRow is an A1 grade of the recording (the score is in the
// roster's a1 code).
type kts101GradeRow struct {
	user, id, gradedH int
}

func kts101Grades() []kts101GradeRow {
	return []kts101GradeRow{
		// user, id, gradedH
		{5, 1, -296},
		{6, 2, -299},
		{7, 3, -319},
		{8, 4, -321},
		{9, 5, -290},
		{10, 6, -332},
		{11, 7, -290},
		{13, 8, -329},
		{15, 9, -310},
		{16, 10, -293},
		{17, 11, -308},
		{19, 12, -334},
		{20, 13, -308},
		{21, 14, -299},
		{23, 15, -310},
		{25, 16, -302},
		{27, 17, -335},
		{28, 18, -327},
		{31, 19, -296},
		{32, 20, -308},
		{33, 21, -333},
		{34, 22, -329},
	}
}
