# Questions and answers: the published questions, one question, following a question by its code.
questions-breadcrumb = You are here
questions-description = Questions from citizens and businesses and the answers of the agency
questions-ask = Ask a question
questions-track-link = Follow a question you sent
questions-search = Search the questions
questions-q = Search terms
questions-topic = Field
questions-all-topics = All fields
questions-count = { $count ->
    [one] 1 question answered.
   *[other] { $count } questions answered.
}
questions-count-q = { $count ->
    [one] 1 question answered with “{ $q }”.
   *[other] { $count } questions answered with “{ $q }”.
}
questions-answered-on = Answered on { $date }
questions-asked-on = Asked on { $date }
questions-topic-is = Field: { $topic }
questions-pager = Pages of questions
questions-question = Question
questions-answer = Answer
questions-others = Other questions
questions-bad-topic = The field must be a number.
track-title = Follow a question
track-form = Follow a question by its code
track-code-label = Question code (in the confirmation e-mail, like HD-…)
track-submit = Search
track-code = Code
track-asked = Sent on
track-status = Status
track-reason = Reason
track-see-answer = See the answer
track-not-found = There is no question with this code. Please check the code in the confirmation e-mail.
question-status-new = Received, awaiting review
question-status-accepted = Accepted, awaiting assignment
question-status-assigned = Being answered
question-status-answered = Answered, awaiting approval for publication
question-status-published = Answered and published
question-status-rejected = Not accepted
question-status-merged = Merged into a question with the same content
# The form to ask a question (/hoi-dap/gui).
question-form-heading = Ask a question
question-form-lead = The agency considers each question, answers it and publishes it with its answer; your name and contact details are never published.
question-form-received = The agency has received your question
question-form-attachment = One PDF, Word, Excel, PowerPoint or OpenDocument file, up to { $max }. Only the agency sees the file; it is not published.
question-form-purpose = Your name, e-mail address and phone number are used only for the agency to contact you and tell you each step of your question; they are not published with it.
question-form-description = Send a question to the agency
question-form-subject = Subject of the question
question-form-body = Your question
