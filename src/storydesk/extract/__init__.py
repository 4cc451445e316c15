"""Articles from raw documents: main text, title, dates, byline, outlet, genre and language, cleaned."""
