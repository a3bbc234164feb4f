# The documents library's list and one document.
documents-breadcrumb = You are here
documents = Documents
documents-description = Search legal documents and directives
# "Documents - Page 2" (page titles)
documents-page = Page
documents-search = Search documents
documents-q = Number, reference or summary
documents-type = Type of document
documents-all-types = All types
documents-issuer = Issued by
documents-all-issuers = All issuers
documents-field = Field
documents-all-fields = All fields
documents-year = Year of issue
documents-all-years = All years
documents-effect = Status
documents-all = All
documents-submit = Search
documents-clear = Clear filters
# "There are <strong>12</strong> documents.": the words before and after the number.
documents-count-before = { $count ->
    [one] There is
   *[other] There are
}
documents-count = { $count ->
    [one] document.
   *[other] documents.
}
documents-count-matching = { $count ->
    [one] matching document.
   *[other] matching documents.
}
documents-none = There are no documents.
documents-none-matching = No documents match.
documents-show-all = Show all documents
documents-list = List of documents
documents-number = Number, reference
documents-issued = Date of issue
documents-summary = Summary
documents-kind = Type
documents-pager = Pages of documents
documents-print = Print the document
documents-fields = Properties of the document
documents-signer = Signed by
documents-effective = In force from
documents-expires = In force until
documents-effect-state = Status
documents-full-text = Full text
documents-related = Related documents
documents-source = Source: { $url }
# "Field “x” is not in the list.", "The year “x” is not valid."
documents-not-listed = is not in the list.
documents-the-year = The year
documents-not-valid = is not valid.
documents-bad-effect = The chosen status does not exist.
effect-chua-co-hieu-luc = Not yet in force
effect-con-hieu-luc = In force
effect-het-hieu-luc-mot-phan = Partly no longer in force
effect-het-hieu-luc = No longer in force
relation-replaces = Replaces
relation-replaced-by = Replaced by
relation-partly-replaces = Partly replaces
relation-partly-replaced-by = Partly replaced by
relation-amends = Amends
relation-amended-by = Amended by
relation-repeals = Repeals
relation-repealed-by = Repealed by
relation-guides = Guides
relation-guided-by = Guided by
