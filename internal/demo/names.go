package demo

// Name parts of generated students: an international cohort, accents
// included, so the dashboard's sorting, searching and CSV export meet real
// names.

func firstNames() []string {
	return []string{
		"Rhys", "Priya", "Ava", "Olivia", "Mathéo", "Giulia", "Aoife", "Nguyễn", "Lucía", "Sofia",
		"Björk", "Aleksander", "Mia", "Łucja", "Ida", "Chidi", "Fatma", "Søren", "Oskar", "Amélie",
		"Jakub", "Noor", "Kenji", "Zanele", "Mateus", "Ingrid", "Tariq", "Chiara", "Emeka", "Linnea",
		"Hugo", "Yasmin", "Dāvis", "Eilidh", "Farhan", "Greta", "Ilse", "Joaquín", "Kalani", "Léon",
		"Maëlle", "Niamh", "Örjan", "Pilar", "Quentin", "Rosalía", "Saoirse", "Thabo", "Uxía", "Vít",
		"Wiktoria", "Xiadani", "Yusuf", "Zoltán", "Anaïs", "Bongani", "Cáit", "Dagný", "Elif", "Gökhan",
	}
}

func lastNames() []string {
	return []string{
		"Iyer", "Lê", "Nielsen", "Andersen", "Okeke", "Adeyemi", "Christensen", "O'Connor", "Jensen", "Yılmaz",
		"Rasmussen", "Kowalczyk", "Müller", "García", "Rossi", "Dubois", "Novák", "Haddad", "Tanaka", "Ndlovu",
		"Silva", "Larsen", "Fernández", "Nowak", "Petersen", "Mensah", "Kaur", "Ó Briain", "Søndergaard", "Horváth",
		"Ivanova", "Ahmed", "Brennan", "Costa", "Đorđević", "Eriksson", "Fischer", "Gonçalves", "Hansen", "Jovanović",
	}
}
