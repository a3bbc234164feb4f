# Shared pieces: pagination, attachments, the visit counter.
pager-prev = Previous
pager-next = Next
attachments = Attached files
attachment-view = View in the browser
attachment-scanned = scanned picture, its text cannot be searched
stats-title = Visits
stats-online = Online now
stats-today = Today
stats-week = This week
stats-month = This month
stats-total = Total visits
