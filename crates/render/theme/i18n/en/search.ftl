# The search page.
search-title = Search
search-title-query = Search: { $query }
search-description = Search the news, documents and questions and answers of the electronic information portal
search-form = Search articles and documents
search-query = Search terms
search-query-hint = Type with or without Vietnamese accents. Put a phrase in double quotes, like "administrative reform", to find exactly that phrase.
search-section = Section
search-all-sections = All sections
search-kind = Search in
search-kind-all = Everything
search-kind-articles = Articles
search-kind-documents = Documents
search-kind-questions = Questions and answers
search-scope = Scope
search-scope-this = This site
search-scope-all = All sites
search-from = From
search-until = Until
search-building = The search index is being rebuilt: for a few minutes, results may be incomplete.
# "Found <strong>12</strong> results for “…”."
search-found = Found
search-found-more = Found more than
search-found-for = { $count ->
    [one] result for “{ $query }”.
   *[other] results for “{ $query }”.
}
search-result-document = Document
search-result-question = Question
search-in-files = In attached files:
search-pager = Search result pages
search-none = No results for “{ $query }”.
search-tip-spelling = Check the spelling, or type without accents.
search-tip-fewer = Use fewer or more general words.
search-tip-filters = Remove some of the section and date filters.
search-error-section = The chosen section is not on this portal.
search-error-date = “{ $label }” is not a date (write it as day/month/year, for example 17/05/2023).
search-error-empty = Enter the words to search for (letters or digits).
search-error-too-long = The search is too long: at most { $chars } characters and { $words } different words. Shorten it and search again.
search-error-quote = The search is not valid: a closing double quote is missing. To find an exact phrase, put it between two " marks; otherwise remove the quote.
search-error-dates = The search is not valid: the start date must be before the end date.
