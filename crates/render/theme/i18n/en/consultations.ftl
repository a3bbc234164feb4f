# Drafts for comment: the list of drafts out for comment and a draft's box on its page.
consultations-breadcrumb = You are here
consultations-title = Draft documents for public comment
consultations-description = Draft documents that are or were open for comment by citizens, organisations and businesses
consultations-lead = Draft documents the agency puts out for comment by citizens, organisations and businesses. While a draft is open for comment, you can send your comment on the draft's page.
consultations-tabs = Filter by status
consultations-tab-all = All
consultations-tab-open = Open for comment
consultations-tab-closed = Closed
# "There are <strong>4</strong> drafts.": the words before and after the number.
consultations-count-before = { $count ->
    [one] There is
   *[other] There are
}
consultations-count = { $count ->
    [one] draft.
   *[other] drafts.
}
consultations-none = There are no drafts yet.
consultations-list = List of drafts for comment
consultations-draft = Draft
consultations-period = Comment period
consultations-state = Status
consultations-received = { $count ->
    [one] 1 comment
   *[other] { $count } comments
}
consultations-pager = Pages of drafts
consultations-bad-state = The chosen status does not exist (dang-lay or da-ket-thuc).
consultation-state-upcoming = Opening for comment soon
consultation-state-open = Open for comment
consultation-state-closed = Comment period over
consultation-from = from
consultation-until = to the end of
# "<strong>3</strong> comments received."
consultation-received-before = Received
consultation-received-after = { $count ->
    [one] comment.
   *[other] comments.
}
consultation-report = Report on the comments and how they were taken into account
consultation-view-in-browser = View in the browser
consultation-report-pending = The drafting agency is going through the comments; its report will be published here.
consultation-opens-on = The comment form opens on { $date }.
consultation-thanks = Thank you. The agency has received your comment; it will be published once it has been reviewed.
consultation-fix-errors = Not sent yet: please correct the marked fields below. What you typed has been kept.
consultation-send-heading = Send a comment
consultation-required = Fields marked * are required.
consultation-send = Send the comment
consultation-comments = Published comments
consultation-anonymous = (anonymous)
consultation-field-name = Full name
consultation-field-email = E-mail (not published)
consultation-field-organisation = Agency or organisation
consultation-field-body = Comment
consultation-purpose = Your name and agency or organisation (if any) are published with your comment once it is approved; your e-mail address is only for the drafting agency to contact you if your comment needs clarifying, and is never published.
consultation-all-drafts = All drafts for comment
consultation-not-yet = Comments on this draft open on { $date }; none are taken before that day.
consultation-over = The comment period for this draft ended on { $date }; no more comments are taken.
