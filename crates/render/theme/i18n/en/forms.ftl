# What a public form says when it is not taken: a field's fault or the guard's refusal.

form-fault-name = Enter your full name (200 characters at most).
form-fault-email = Enter your e-mail address, so that we can reply.
form-fault-email-invalid = The e-mail address is not valid.
form-fault-phone = A phone number has only digits (30 characters at most).
form-fault-address = The address is too long (300 characters at most).
form-fault-subject = Enter a subject (300 characters at most).
form-fault-body = Enter your message (10,000 characters at most).
form-fault-topic = Choose a topic.
form-fault-topic-gone = The chosen topic no longer exists; choose again.
form-fault-organisation = The organisation's name is too long (300 characters at most).
form-fault-comment = Enter your comment (10,000 characters at most).
form-fault-file-again = Choose another file (or send without one).
form-fault-file-too-large = The file “{ $name }” is larger than { $max }. Choose a smaller file (or send without one).

# An attachment the file rules refuse.
form-file-empty = The file is empty (0 bytes).
form-file-executable = The file is a program, which cannot be uploaded whatever its name. Only PDF, Word, Excel, PowerPoint and OpenDocument files are accepted.
form-file-markup = HTML, SVG and XML files cannot be uploaded, as they may carry code that runs in a browser. Save the content as PDF and upload that.
form-file-macro = The file contains macros, which cannot be uploaded. Save it without macros (.docx, .xlsx, .pptx or PDF) and upload it again.
form-file-zip-bomb = The file unpacks to something too large or unusual and may be harmful, so it is not accepted. Save it again in Word, Excel or LibreOffice and upload it again.
form-file-too-large = The file is too large: { $size }; at most { $max }. Make it smaller and upload it again.
form-file-corrupt = The file is damaged or incomplete and cannot be read. Open it in the program that made it, save it and upload it again.
form-file-protected = The file is protected by a password, so its content cannot be checked. Save it without the password and upload it again.
form-file-image = The file is a picture. Only PDF, Word, Excel, PowerPoint and OpenDocument files are accepted here.
form-file-unsupported = This kind of file is not accepted. Only PDF, Word, Excel, PowerPoint and OpenDocument files are accepted.

form-refusal-no-consent = You need to agree to the processing of your personal data (the box at the end of the form) to send it.
form-refusal-hidden-field = A hidden field of the form was filled in (usually by software that fills forms). Leave it empty and send again.
form-refusal-no-proof = The anti-spam check has not run: the browser needs JavaScript, and the “I am not a robot” box must be ticked before sending.
form-refusal-wrong-proof = The anti-spam check is not valid. Wait for the check box to be ticked again, then send.
form-refusal-expired-proof = The anti-spam check has expired (the form was open too long). Wait for the check box to be ticked again, then send.
form-refusal-spent-proof = This form has already been sent once. To send again, wait for the check box to be ticked again, then send.
form-refusal-too-fast = The form was sent too soon after it was opened. Check what you wrote and send again in { $seconds } seconds.
form-refusal-too-many = Your network address has sent many forms in the past hour. Send again in about { $minutes } minutes.
